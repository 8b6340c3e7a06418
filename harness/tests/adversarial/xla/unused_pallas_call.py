# expected: static_rejected work_outside_pallas
# task: relu
# attack: runs a Pallas kernel for show and returns the jnp result
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

BLOCK = 1024


def _k(x_ref, y_ref):
    y_ref[...] = x_ref[...]


def kernel(x, *, N):
    _ = pl.pallas_call(_k, out_shape=jax.ShapeDtypeStruct((N,), jnp.float32))(x)
    return jnp.maximum(x, 0.0)
