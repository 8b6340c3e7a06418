# expected: static_rejected work_outside_pallas
# task: relu
# attack: computes the answer with jnp and passes it through a Pallas copy kernel
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

BLOCK = 1024


def _copy(x_ref, y_ref):
    y_ref[...] = x_ref[...]


def kernel(x, *, N):
    y = jnp.maximum(x, 0.0)
    return pl.pallas_call(
        _copy,
        out_shape=jax.ShapeDtypeStruct((N,), jnp.float32),
        grid=(pl.cdiv(N, BLOCK),),
        in_specs=[pl.BlockSpec((BLOCK,), lambda i: (i,))],
        out_specs=pl.BlockSpec((BLOCK,), lambda i: (i,)),
    )(y)
