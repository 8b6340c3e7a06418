"""Baseline for `natten_na1d`: 1-D neighbourhood attention, kernel_size 7, dilation 1, windows shifted
inward at the borders (NATTEN na1d; plain jax.numpy with gathered key/value windows; the XLA
platform's baseline)."""
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

HI = lax.Precision.HIGHEST
KS, DIL = 7, 1  # attributes kernel_size, dilation


def _window(L):
    """[L, KS] key indices of every query index (NATTEN's window rule)."""
    i = np.arange(L)
    g, ip = i % DIL, i // DIL
    Lg = L // DIL + (g < L % DIL).astype(np.int64)
    start = np.clip(ip - KS // 2, 0, Lg - KS)
    return g[:, None] + DIL * (start[:, None] + np.arange(KS)[None, :])


def kernel(q, k, v, *, B, L, Hh, D):
    idx = _window(L)
    kw, vw = k[:, idx], v[:, idx]                                       # [B, L, KS, Hh, D]
    s = jnp.einsum("blhd,bljhd->blhj", q, kw, precision=HI) / math.sqrt(D)
    p = jax.nn.softmax(s, axis=-1)
    o = jnp.einsum("blhj,bljhd->blhd", p, vw, precision=HI)
    return o.astype(jnp.float32)
