"""Baseline for `std_depthwise_conv2d`: depthwise 3x3 conv with bias, "same" zero padding (plain jax.lax)."""
import jax
import jax.numpy as jnp

KS, STRIDE, DILATION = 3, 1, 1  # attrs k, stride, dilation


def kernel(x, w, b, *, N, C, H, W):
    pad = DILATION * (KS - 1) // 2
    y = jax.lax.conv_general_dilated(
        x, w, window_strides=(STRIDE, STRIDE), padding=((pad, pad), (pad, pad)),
        rhs_dilation=(DILATION, DILATION), dimension_numbers=("NCHW", "OIHW", "NCHW"),
        feature_group_count=C, precision=jax.lax.Precision.HIGHEST)
    return (y + b[None, :, None, None]).astype(jnp.float32)
