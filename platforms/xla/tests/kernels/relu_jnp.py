"""No Pallas at all."""
import jax.numpy as jnp


def kernel(x, *, N):
    return jnp.maximum(x, 0.0)
