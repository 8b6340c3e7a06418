"""Baseline for `sparse_masked_layernorm`: SparK channels-first LayerNorm at visible positions (mask
nearest-upsampled from F x F), exactly 0 at masked ones (plain jax.numpy; the XLA platform's
baseline)."""
import jax
import jax.numpy as jnp

EPS = 1e-6  # attribute eps


def kernel(x, active, gamma, beta, *, B, C, H, W, F):
    # act[b, h, w] = active[b, 0, h // (H/F), w // (W/F)]: integer-repeat upsampling.
    act = jnp.repeat(jnp.repeat(active[:, 0] != 0, H // F, axis=1), W // F, axis=2)   # [B, H, W]
    mu = jnp.mean(x, axis=1, keepdims=True)
    xc = x - mu
    var = jnp.mean(xc * xc, axis=1, keepdims=True)                      # biased, two-pass
    y = gamma[None, :, None, None] * xc * jax.lax.rsqrt(var + EPS) + beta[None, :, None, None]
    return jnp.where(act[:, None], y, 0.0).astype(jnp.float32)
