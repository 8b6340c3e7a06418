"""Baseline for `relu6`: y = min(max(x, 0), 6) elementwise (plain jax.numpy)."""
import jax.numpy as jnp


def kernel(x, *, N):
    return jnp.clip(x, 0.0, 6.0)
