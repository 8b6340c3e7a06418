"""Baseline for `cluster_soft_assignment_regression`: out = L2-normalise_c(sum_k softmax_k(memb . pix)
* vals) per pixel (PolyMaX surface-normal head; plain jax.numpy; the XLA platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST


def kernel(pix, memb, vals, *, B, D, K, H, W, Co):
    p = pix.reshape(B, D, H * W)
    logit = jnp.einsum("bkd,bdp->bkp", memb, p, precision=HI)          # [B, K, HW]
    prob = jax.nn.softmax(logit, axis=1)                                # over clusters k
    o = jnp.einsum("bkp,bkc->bcp", prob, vals, precision=HI)            # [B, Co, HW]
    norm = jnp.sqrt(jnp.sum(o * o, axis=1, keepdims=True))
    out = o / jnp.maximum(norm, 1e-12)                                  # normalize_output = true
    return out.reshape(B, Co, H, W).astype(jnp.float32)
