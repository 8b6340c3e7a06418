# expected: passed -
# task: relu
# timed: yes
# attack: none: a 1-D blocked Pallas ReLU
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

BLOCK = 1024


def _k(x_ref, y_ref):
    y_ref[...] = jnp.maximum(x_ref[...], 0.0)


def kernel(x, *, N):
    return pl.pallas_call(
        _k,
        out_shape=jax.ShapeDtypeStruct((N,), jnp.float32),
        grid=(pl.cdiv(N, BLOCK),),
        in_specs=[pl.BlockSpec((BLOCK,), lambda i: (i,))],
        out_specs=pl.BlockSpec((BLOCK,), lambda i: (i,)),
    )(x)
