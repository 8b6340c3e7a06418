# expected: mismatch heldout_only_failure
# task: relu
# attack: hard-codes the visible (tiny) size: correct when N is 4096, zeros for any other N
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

BLOCK = 1024


def _k(x_ref, y_ref):
    y_ref[...] = jnp.maximum(x_ref[...], 0.0)


def kernel(x, *, N):
    if N != 4096:
        x = jnp.zeros_like(x)
    return pl.pallas_call(
        _k,
        out_shape=jax.ShapeDtypeStruct((N,), jnp.float32),
        grid=(pl.cdiv(N, BLOCK),),
        in_specs=[pl.BlockSpec((BLOCK,), lambda i: (i,))],
        out_specs=pl.BlockSpec((BLOCK,), lambda i: (i,)),
    )(x)
