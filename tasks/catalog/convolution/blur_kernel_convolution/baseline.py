"""Baseline for `blur_kernel_convolution`: per-image true 2-D convolution with circular boundaries (plain jax.lax)."""
import jax
import jax.numpy as jnp


def kernel(x, k, *, B, C, H, W, KH, KW):
    hh, hw = KH // 2, KW // 2
    # y[i] = sum_u k[u] x[(i - u + KH//2) mod H] is a cross-correlation with the flipped kernel
    # over the circularly padded image (odd KH, KW: KH - 1 - KH//2 = KH//2).
    xp = jnp.pad(x, ((0, 0), (0, 0), (hh, hh), (hw, hw)), mode="wrap")
    kf = k[:, ::-1, ::-1]
    # One kernel per image, shared by its channels: a depthwise conv over the B*C planes.
    planes = xp.reshape(1, B * C, H + 2 * hh, W + 2 * hw)
    w = jnp.repeat(kf, C, axis=0)[:, None, :, :]  # [B*C, 1, KH, KW], plane b*C + c uses k[b]
    y = jax.lax.conv_general_dilated(
        planes, w, window_strides=(1, 1), padding="VALID",
        dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=B * C,
        precision=jax.lax.Precision.HIGHEST)
    return y.reshape(B, C, H, W).astype(jnp.float32)
