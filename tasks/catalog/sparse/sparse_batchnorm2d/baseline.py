"""Baseline for `sparse_batchnorm2d`: SparK masked BatchNorm2d in training mode, statistics over the
visible (b, h, w) only, zeros at masked positions, running statistics updated with the unbiased
variance (plain jax.numpy; the XLA platform's baseline)."""
import jax.numpy as jnp
from jax import lax

EPS, MOMENTUM = 1e-5, 0.1  # attributes eps, momentum


def kernel(x, active, gamma, beta, running_mean, running_var, *, B, C, H, W, F):
    act = jnp.repeat(jnp.repeat(active[:, 0] != 0, H // F, axis=1), W // F, axis=2)   # [B, H, W]
    m = act[:, None].astype(jnp.float32)                                # [B, 1, H, W]
    n = jnp.sum(m)
    mu = jnp.sum(x * m, axis=(0, 2, 3)) / n                             # [C]
    d = (x - mu[None, :, None, None]) * m
    var = jnp.sum(d * d, axis=(0, 2, 3)) / n                            # biased, two-pass
    y = (gamma[None, :, None, None] * (x - mu[None, :, None, None])
         * lax.rsqrt(var + EPS)[None, :, None, None] + beta[None, :, None, None])
    y = jnp.where(act[:, None], y, 0.0)
    new_mean = (1 - MOMENTUM) * running_mean + MOMENTUM * mu
    new_var = (1 - MOMENTUM) * running_var + MOMENTUM * var * n / (n - 1)
    return y.astype(jnp.float32), new_mean.astype(jnp.float32), new_var.astype(jnp.float32)
