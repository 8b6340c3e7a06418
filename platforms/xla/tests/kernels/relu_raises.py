"""Fails to trace: a shape error inside the kernel body."""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl


def _relu(x_ref, y_ref):
    y_ref[...] = jnp.maximum(x_ref[...], 0.0).reshape(7, -1)


def kernel(x, *, N):
    return pl.pallas_call(_relu, out_shape=jax.ShapeDtypeStruct((N,), x.dtype))(x)
