"""Cheat: a decorative pallas_call whose result is thrown away; the output is not computed by it."""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl


def _relu(x_ref, y_ref):
    y_ref[...] = jnp.maximum(x_ref[...], 0.0)


def kernel(x, *, N):
    unused = pl.pallas_call(_relu, out_shape=jax.ShapeDtypeStruct((N,), x.dtype))(x)
    del unused
    return x
