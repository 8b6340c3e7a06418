"""Baseline for `windowed_epipolar_cross_attention`: CCNeXt row-wise stereo cross-attention inside the
band |i - j| < floor(0.26 W), shared 1x1 projections with folded BN, residual outputs for both
directions (plain jax.numpy; the XLA platform's baseline)."""
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

HI = lax.Precision.HIGHEST
PCT = 0.26  # attribute pct


def kernel(x1, x2, wq, bq, wk, bk, wv, bv, sv, tv, ww, bw, sw, tw, *, B, C, H, W):
    mw = math.floor(W * PCT)                                            # in double, as specified
    col = lambda a: a[None, :, None, None]
    pw = lambda w, b, x: jnp.einsum("ck,bkhw->bchw", w, x, precision=HI) + col(b)
    i = np.arange(W)
    visible = jnp.asarray(np.abs(i[:, None] - i[None, :]) < mw)         # [W(query), W(key)]

    def attend(xq, xk):
        """y[b, c, h, i] = sum_j softmax_j(Q(xq)[:, h, i] . K(xk)[:, h, j]) V(xk)[b, c, h, j]."""
        Q, K = pw(wq, bq, xq), pw(wk, bk, xk)
        V = col(sv) * pw(wv, bv, xk) + col(tv)
        s = jnp.einsum("bchi,bchj->bhij", Q, K, precision=HI)          # no 1/sqrt(C)
        p = jax.nn.softmax(jnp.where(visible, s, -jnp.inf), axis=-1)
        return jnp.einsum("bhij,bchj->bchi", p, V, precision=HI)

    y1, y2 = attend(x1, x2), attend(x2, x1)
    z1 = x1 + col(sw) * pw(ww, bw, y1) + col(tw)
    z2 = x2 + col(sw) * pw(ww, bw, y2) + col(tw)
    return z1.astype(jnp.float32), z2.astype(jnp.float32)
