"""Baseline for `unireplknet_dilated_reparam_dwconv`: six parallel depthwise (dilated) convs with folded BN, summed (plain jax)."""
import jax
import jax.numpy as jnp

# (kernel size, dilation) of branches 0..5 for K = 13; padding (r*(k-1) + 1) // 2 keeps H x W.
BRANCHES = [(13, 1), (5, 1), (7, 2), (3, 3), (3, 4), (3, 5)]


def kernel(x, w0, w1, w2, w3, w4, w5, s, t, *, N, C, H, W):
    y = jnp.zeros_like(x)
    for br, (w, (k, r)) in enumerate(zip([w0, w1, w2, w3, w4, w5], BRANCHES)):
        p = (r * (k - 1) + 1) // 2
        conv = jax.lax.conv_general_dilated(
            x, w, window_strides=(1, 1), padding=((p, p), (p, p)), rhs_dilation=(r, r),
            dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=C,
            precision=jax.lax.Precision.HIGHEST)
        y = y + s[br][None, :, None, None] * conv + t[br][None, :, None, None]
    return y.astype(jnp.float32)
