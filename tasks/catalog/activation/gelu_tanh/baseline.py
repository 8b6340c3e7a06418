"""Baseline for `gelu_tanh`: y = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))) (plain jax)."""
import math

import jax.numpy as jnp


def kernel(x, *, N):
    u = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)
    return 0.5 * x * (1.0 + jnp.tanh(u))
