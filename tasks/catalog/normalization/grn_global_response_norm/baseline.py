"""Baseline for `grn_global_response_norm`: y = (gamma * G / (mean_c G + eps) + 1) * x + beta with G the
per-channel spatial L2 norm (ConvNeXt V2 / UniRepLKNet GRN, NHWC; plain jax.numpy; the XLA
platform's baseline)."""
import jax.numpy as jnp

EPS = 1e-6  # attribute eps


def kernel(x, gamma, beta, *, N, H, W, C):
    G = jnp.sqrt(jnp.sum(x * x, axis=(1, 2), keepdims=True))           # [N, 1, 1, C]
    Nx = G / (jnp.mean(G, axis=-1, keepdims=True) + EPS)                # eps outside the sqrt
    return ((gamma * Nx + 1.0) * x + beta).astype(jnp.float32)
