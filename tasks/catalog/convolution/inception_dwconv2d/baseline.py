"""Baseline for `inception_dwconv2d`: InceptionNeXt token mixer (identity + square and two band depthwise convs) (plain jax)."""
import jax
import jax.numpy as jnp

SQUARE, BAND, BRANCH_RATIO = 3, 11, 0.125  # attrs square_kernel, band_kernel, branch_ratio


def _dwconv(z, w, b, pad):
    out = jax.lax.conv_general_dilated(
        z, w, window_strides=(1, 1), padding=pad, dimension_numbers=("NCHW", "OIHW", "NCHW"),
        feature_group_count=z.shape[1], precision=jax.lax.Precision.HIGHEST)
    return out + b[None, :, None, None]


def kernel(x, w_hw, b_hw, w_w, b_w, w_h, b_h, *, N, C, H, W):
    gc = int(C * BRANCH_RATIO)
    c_id = C - 3 * gc
    ps, pb = SQUARE // 2, BAND // 2
    x_id = x[:, :c_id]
    y_hw = _dwconv(x[:, c_id:c_id + gc], w_hw, b_hw, ((ps, ps), (ps, ps)))
    y_w = _dwconv(x[:, c_id + gc:c_id + 2 * gc], w_w, b_w, ((0, 0), (pb, pb)))  # 1 x kb
    y_h = _dwconv(x[:, c_id + 2 * gc:], w_h, b_h, ((pb, pb), (0, 0)))           # kb x 1
    return jnp.concatenate([x_id, y_hw, y_w, y_h], axis=1).astype(jnp.float32)
