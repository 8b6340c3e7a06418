"""Baseline for `max_pool2d`: MaxPool2d(kernel 3, stride 2, pad 1), padding counts as -inf (plain
jax.lax.reduce_window; the XLA platform's baseline)."""
import jax.numpy as jnp
from jax import lax

KERNEL, STRIDE, PAD = 3, 2, 1  # attributes kernel, stride, pad


def kernel(x, *, N, C, H, W):
    y = lax.reduce_window(x, -jnp.inf, lax.max, (1, 1, KERNEL, KERNEL), (1, 1, STRIDE, STRIDE),
                          ((0, 0), (0, 0), (PAD, PAD), (PAD, PAD)))
    return y.astype(jnp.float32)
