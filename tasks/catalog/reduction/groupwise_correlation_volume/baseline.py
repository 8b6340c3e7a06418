"""Baseline for `groupwise_correlation_volume`: sim[b, g, d] = channel mean over group g of
warped[b, c, d] * ref[b, c], 4 groups (GwcNet / GBi-Net; plain jax.numpy; the XLA platform's
baseline)."""
import jax.numpy as jnp

G = 4  # attribute G


def kernel(ref, warped, *, B, C, D, H, W):
    Cg = C // G
    prod = warped.reshape(B, G, Cg, D, H, W) * ref.reshape(B, G, Cg, 1, H, W)
    return jnp.mean(prod, axis=2).astype(jnp.float32)
