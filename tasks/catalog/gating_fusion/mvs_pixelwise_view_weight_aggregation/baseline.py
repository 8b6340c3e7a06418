"""Baseline for `mvs_pixelwise_view_weight_aggregation`: GBi-Net PixelwiseNet view weights (per-voxel
MLP G->16->8->1, sigmoid, max over depth) and the view-weighted average of the similarity
volumes (plain jax.numpy; the XLA platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST


def kernel(sims, w0, s0, t0, w1, s1, t1, w2, b2, *, V, B, G, D, H, W):
    col = lambda v: v[:, None, None, None]                              # broadcast over (d, h, w)
    a0 = jax.nn.relu(col(s0) * jnp.einsum("kg,vbgdhw->vbkdhw", w0, sims, precision=HI) + col(t0))
    a1 = jax.nn.relu(col(s1) * jnp.einsum("kj,vbjdhw->vbkdhw", w1, a0, precision=HI) + col(t1))
    q = jax.nn.sigmoid(jnp.einsum("k,vbkdhw->vbdhw", w2[0], a1, precision=HI) + b2[0])
    wv = jnp.max(q, axis=2)                                             # [V, B, H, W]
    num = jnp.sum(sims * wv[:, :, None, None], axis=0)                  # [B, G, D, H, W]
    den = jnp.sum(wv, axis=0)[:, None, None]                            # [B, 1, 1, H, W]
    return (num / den).astype(jnp.float32)
