"""Baseline for `natten_na2d`: 2-D neighbourhood attention, kernel_size 7, dilation 2, windows shifted
inward at the borders (NATTEN na2d; plain jax.numpy with gathered key/value windows; the XLA
platform's baseline)."""
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

HI = lax.Precision.HIGHEST
KS, DIL = 7, 2  # attributes kernel_size, dilation


def _window(L):
    """[L, KS] key indices of every query index along one axis (NATTEN's window rule)."""
    i = np.arange(L)
    g, ip = i % DIL, i // DIL
    Lg = L // DIL + (g < L % DIL).astype(np.int64)
    start = np.clip(ip - KS // 2, 0, Lg - KS)
    return g[:, None] + DIL * (start[:, None] + np.arange(KS)[None, :])


def kernel(q, k, v, *, B, H, W, Hh, D):
    ih, iw = _window(H), _window(W)
    # Gather the window of every query pixel: [B, H, ksH, W, ksW, Hh, D].
    gather = lambda a: a[:, ih][:, :, :, iw]
    kw, vw = gather(k), gather(v)
    s = jnp.einsum("brchd,brucvhd->brchuv", q, kw, precision=HI) / math.sqrt(D)
    p = jax.nn.softmax(s.reshape(B, H, W, Hh, KS * KS), axis=-1).reshape(s.shape)
    o = jnp.einsum("brchuv,brucvhd->brchd", p, vw, precision=HI)
    return o.astype(jnp.float32)
