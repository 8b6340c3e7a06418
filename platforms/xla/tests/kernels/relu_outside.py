"""Cheat: relu computed by jnp outside, the Pallas kernel only copies the answer."""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl


def _copy(x_ref, y_ref):
    y_ref[...] = x_ref[...]


def kernel(x, *, N):
    y = jnp.maximum(x, 0.0)
    return pl.pallas_call(_copy, out_shape=jax.ShapeDtypeStruct((N,), x.dtype))(y)
