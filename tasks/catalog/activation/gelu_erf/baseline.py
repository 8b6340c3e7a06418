"""Baseline for `gelu_erf`: exact GELU y = 0.5 * x * (1 + erf(x / sqrt(2))) elementwise (plain jax)."""
import math

import jax
import jax.numpy as jnp


def kernel(x, *, N):
    return 0.5 * x * (1.0 + jax.lax.erf(x * (1.0 / math.sqrt(2.0))))
