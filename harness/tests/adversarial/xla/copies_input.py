# expected: mismatch input_copy
# task: relu
# attack: copies the input through, betting that ReLU's positive half is enough
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

BLOCK = 1024


def _k(x_ref, y_ref):
    y_ref[...] = x_ref[...]


def kernel(x, *, N):
    return pl.pallas_call(
        _k,
        out_shape=jax.ShapeDtypeStruct((N,), jnp.float32),
        grid=(pl.cdiv(N, BLOCK),),
        in_specs=[pl.BlockSpec((BLOCK,), lambda i: (i,))],
        out_specs=pl.BlockSpec((BLOCK,), lambda i: (i,)),
    )(x)
