"""Baseline for `yolov13_adaptive_hyperedge_generation`: YOLOv13 AdaHyperedgeGen (context "both"):
per-sample hyperedge prototypes from mean/max context, multi-head scores, softmax over the
vertices (plain jax.numpy; the XLA platform's baseline)."""
import math

import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST
DH = 16  # attribute dh: head width


def kernel(X, P0, Wc, bc, Wp, bp, *, B, Nv, D, M):
    nh = D // DH
    ctx = jnp.concatenate([jnp.mean(X, axis=1), jnp.max(X, axis=1)], axis=-1)   # [B, 2D]
    P = P0[None] + (jnp.dot(ctx, Wc.T, precision=HI) + bc).reshape(B, M, D)     # [B, M, D]
    Xp = jnp.einsum("bvf,ef->bve", X, Wp, precision=HI) + bp                    # [B, Nv, D]
    # Mean over heads of per-head scaled dot products = full dot / (nh * sqrt(dh)).
    logit = jnp.einsum("bve,bme->bvm", Xp, P, precision=HI) / (nh * math.sqrt(DH))
    return jax.nn.softmax(logit, axis=1).astype(jnp.float32)                    # over vertices
