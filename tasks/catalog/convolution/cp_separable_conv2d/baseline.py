"""Baseline for `cp_separable_conv2d`: conv with kernels rebuilt from rank-R outer products of 1-D filters (plain jax)."""
import jax
import jax.numpy as jnp

KS, RANK = 5, 3  # attrs k and rank
HI = jax.lax.Precision.HIGHEST


def kernel(x, A, B, bias, *, N, Cin, Cout, H, W):
    # Wk[o, c, u, v] = sum_r A[o, c, r, u] * B[o, c, r, v]
    wk = jnp.einsum("ocru,ocrv->ocuv", A, B, precision=HI)
    p = KS // 2
    y = jax.lax.conv_general_dilated(
        x, wk, window_strides=(1, 1), padding=((p, p), (p, p)),
        dimension_numbers=("NCHW", "OIHW", "NCHW"), precision=HI)
    return (y + bias[None, :, None, None]).astype(jnp.float32)
