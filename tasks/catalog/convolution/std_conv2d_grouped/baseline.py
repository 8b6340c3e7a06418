"""Baseline for `std_conv2d_grouped`: PyTorch nn.Conv2d (3x3, stride 1, pad 1, groups 1) with bias (plain jax.lax)."""
import jax
import jax.numpy as jnp

KH, KW, STRIDE, PAD, DILATION, GROUPS = 3, 3, 1, 1, 1, 1  # attrs of the task


def kernel(x, w, b, *, N, Cin, Cout, H, W):
    y = jax.lax.conv_general_dilated(
        x, w, window_strides=(STRIDE, STRIDE), padding=((PAD, PAD), (PAD, PAD)),
        rhs_dilation=(DILATION, DILATION), dimension_numbers=("NCHW", "OIHW", "NCHW"),
        feature_group_count=GROUPS, precision=jax.lax.Precision.HIGHEST)
    return (y + b[None, :, None, None]).astype(jnp.float32)
