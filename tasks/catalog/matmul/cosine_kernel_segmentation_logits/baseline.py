"""Baseline for `cosine_kernel_segmentation_logits`: logit = 10 * cos(feat pixel, class kernel), each
norm clamped at 1e-8 (torch.cosine_similarity convention; plain jax.numpy; the XLA platform's
baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST
TAU = 10.0  # attribute tau


def kernel(feat, kernels, *, B, C, K, H, W):
    dots = jnp.einsum("kc,bchw->bkhw", kernels, feat, precision=HI)
    fn = jnp.maximum(jnp.sqrt(jnp.sum(feat * feat, axis=1)), 1e-8)      # [B, H, W]
    gn = jnp.maximum(jnp.sqrt(jnp.sum(kernels * kernels, axis=1)), 1e-8) # [K]
    logit = TAU * dots / (fn[:, None] * gn[None, :, None, None])
    return logit.astype(jnp.float32)
