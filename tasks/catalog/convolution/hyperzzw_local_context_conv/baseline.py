"""Baseline for `hyperzzw_local_context_conv`: hyper-kernel depthwise conv, 1x1 mixer, batch standardisation, GELU (plain jax)."""
import jax
import jax.numpy as jnp

HI = jax.lax.Precision.HIGHEST


def kernel(x, Hk, Wm, bm, fast_bias, *, B, C, H, W, K):
    p = (K - 1) // 2
    t = jax.lax.conv_general_dilated(
        x, Hk[:, None, :, :], window_strides=(1, 1), padding=((p, p), (p, p)),
        dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=C, precision=HI)
    u = jnp.einsum("oc,bchw->bohw", Wm, t, precision=HI) + bm[None, :, None, None]
    # Batch statistics per channel over B*H*W, two-pass (biased variance).
    mu = jnp.mean(u, axis=(0, 2, 3), keepdims=True)
    centred = u - mu
    var = jnp.mean(centred * centred, axis=(0, 2, 3), keepdims=True)
    z = centred / jnp.sqrt(var + 1e-5)
    return (jax.nn.gelu(z, approximate=False) + fast_bias[0]).astype(jnp.float32)
