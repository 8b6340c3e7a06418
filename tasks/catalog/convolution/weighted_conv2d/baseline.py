"""Baseline for `weighted_conv2d`: conv (k = 7, pad 3, no bias) with the kernel scaled by the separable density Phi (plain jax)."""
import jax
import jax.numpy as jnp

KS, STRIDE, PAD, DILATION, GROUPS = 7, 1, 3, 1, 1  # attrs k, stride, pad, dilation, groups


def kernel(x, w, den, *, B, Cin, Cout, H, W):
    alfa = jnp.concatenate([den, jnp.ones((1,), jnp.float32), den[::-1]])  # [k]
    phi = alfa[:, None] * alfa[None, :]
    y = jax.lax.conv_general_dilated(
        x, w * phi, window_strides=(STRIDE, STRIDE), padding=((PAD, PAD), (PAD, PAD)),
        rhs_dilation=(DILATION, DILATION), dimension_numbers=("NCHW", "OIHW", "NCHW"),
        feature_group_count=GROUPS, precision=jax.lax.Precision.HIGHEST)
    return y.astype(jnp.float32)
