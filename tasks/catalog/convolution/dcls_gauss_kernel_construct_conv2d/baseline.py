"""Baseline for `dcls_gauss_kernel_construct_conv2d`: DCLS Gaussian kernel construction + depthwise conv (plain jax)."""
import jax
import jax.numpy as jnp

KD, KC, PAD = 17, 26, 8  # attrs dilated_kernel_size, kernel_count, padding


def kernel(x, Wt, P, SIG, bias, *, N, C, H, W):
    # Per (channel o, weight m): centre and spread; P[0]/SIG[0] act on columns, P[1]/SIG[1] on rows.
    c0 = P[0, :, 0, :] + KD // 2                      # [C, kc] column centres
    c1 = P[1, :, 0, :] + KD // 2                      # [C, kc] row centres
    s0 = jnp.abs(SIG[0, :, 0, :]) + 0.27
    s1 = jnp.abs(SIG[1, :, 0, :]) + 0.27
    grid = jnp.arange(KD, dtype=jnp.float32)
    dcol = ((grid[None, None, :] - c0[..., None]) / s0[..., None]) ** 2   # [C, kc, K] over bb
    drow = ((grid[None, None, :] - c1[..., None]) / s1[..., None]) ** 2   # [C, kc, K] over a
    g = jnp.exp(-0.5 * (drow[..., :, None] + dcol[..., None, :]))         # [C, kc, K(a), K(bb)]
    g = g / (jnp.sum(g, axis=(-2, -1), keepdims=True) + 1e-7)
    kd = jnp.einsum("cm,cmab->cab", Wt[:, 0, :], g, precision=jax.lax.Precision.HIGHEST)

    y = jax.lax.conv_general_dilated(
        x, kd[:, None, :, :], window_strides=(1, 1), padding=((PAD, PAD), (PAD, PAD)),
        dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=C,
        precision=jax.lax.Precision.HIGHEST)
    return (y + bias[None, :, None, None]).astype(jnp.float32)
