"""Baseline for `fadc_adakern_weight`: FADC AdaKern per-sample kernel, DC and residual parts of w
rescaled by two OmniAttention heads' input/output-channel gates (plain jax.numpy; the XLA
platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST


def _head(g, fc, s, t, wc, bc, wf, bf):
    z = jax.nn.relu(s * jnp.dot(g, fc.T, precision=HI) + t)            # [B, A]
    c = jax.nn.sigmoid(jnp.dot(z, wc.T, precision=HI) + bc)            # [B, Cin]
    f = jax.nn.sigmoid(jnp.dot(z, wf.T, precision=HI) + bf)            # [B, Cout]
    return c, f


def kernel(x, w, fc1, s1, t1, wc1, bc1, wf1, bf1, fc2, s2, t2, wc2, bc2, wf2, bf2,
           *, B, Cin, Cout, H, W):
    g = jnp.mean(x, axis=(2, 3))                                        # [B, Cin]
    c1, f1 = _head(g, fc1, s1, t1, wc1, bc1, wf1, bf1)
    c2, f2 = _head(g, fc2, s2, t2, wc2, bc2, wf2, bf2)
    wm = jnp.mean(w, axis=(2, 3), keepdims=True)                        # [Cout, Cin, 1, 1] DC part
    dc = (2 * f1)[:, :, None, None, None] * (2 * c1)[:, None, :, None, None]    # [B, Cout, Cin, 1, 1]
    hf = (2 * f2)[:, :, None, None, None] * (2 * c2)[:, None, :, None, None]
    wb = wm[None] * dc + (w - wm)[None] * hf
    return wb.astype(jnp.float32)
