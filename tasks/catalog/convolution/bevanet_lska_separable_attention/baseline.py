"""Baseline for `bevanet_lska_separable_attention`: LSKA (four 1-D depthwise convs, 1x1 gate) with plain jax.lax."""
import jax
import jax.numpy as jnp

K1, K2, D = 5, 11, 3  # attrs k1, k2 and the dilation d of the LSKA decomposition of K = 35
HI = jax.lax.Precision.HIGHEST


def _dwconv(z, w, b, pad, dil):
    """Depthwise cross-correlation of NCHW z with w[C, 1, kh, kw], explicit zero padding, plus bias."""
    out = jax.lax.conv_general_dilated(
        z, w, window_strides=(1, 1), padding=pad, rhs_dilation=dil,
        dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=z.shape[1], precision=HI)
    return out + b[None, :, None, None]


def kernel(x, wh1, bh1, wv1, bv1, wh2, bh2, wv2, bv2, wp, bp, *, N, C, H, W):
    p1, p2 = K1 // 2, D * (K2 - 1) // 2
    a = _dwconv(x, wh1, bh1, ((0, 0), (p1, p1)), (1, 1))   # 1 x k1
    a = _dwconv(a, wv1, bv1, ((p1, p1), (0, 0)), (1, 1))   # k1 x 1
    a = _dwconv(a, wh2, bh2, ((0, 0), (p2, p2)), (1, D))   # 1 x k2, dilation d along W
    a = _dwconv(a, wv2, bv2, ((p2, p2), (0, 0)), (D, 1))   # k2 x 1, dilation d along H
    gate = jnp.einsum("oc,nchw->nohw", wp, a, precision=HI) + bp[None, :, None, None]
    return (x * gate).astype(jnp.float32)
