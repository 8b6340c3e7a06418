"""Baseline for `lsnet_lkp_dynamic_kernel_gen`: LSNet LKP, 1x1 / 7x7 depthwise / 1x1 / 1x1 convs then GroupNorm (plain jax)."""
import jax
import jax.numpy as jnp

LKS, SKS, GROUPS, EPS = 7, 3, 8, 1e-5  # attrs lks, sks, groups, eps
HI = jax.lax.Precision.HIGHEST


def _pw(w, b, z):  # 1x1 conv: [out, in] weights over the channel axis of NCHW z
    return jnp.einsum("oc,nchw->nohw", w, z, precision=HI) + b[None, :, None, None]


def kernel(x, w1, b1, w2, b2, w3, b3, w4, b4, gn_w, gn_b, *, N, C, H, W):
    ch, g = C // 2, C // GROUPS
    taps = SKS * SKS
    a1 = jnp.maximum(_pw(w1, b1, x), 0.0)
    p = LKS // 2
    a2 = jax.lax.conv_general_dilated(
        a1, w2, window_strides=(1, 1), padding=((p, p), (p, p)),
        dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=ch,
        precision=HI) + b2[None, :, None, None]
    a3 = jnp.maximum(_pw(w3, b3, a2), 0.0)
    z = _pw(w4, b4, a3).reshape(N, g, taps, H, W)
    # GroupNorm over each group's 9 channels and all pixels, two-pass, biased variance.
    mean = jnp.mean(z, axis=(2, 3, 4), keepdims=True)
    centred = z - mean
    var = jnp.mean(centred * centred, axis=(2, 3, 4), keepdims=True)
    zn = centred / jnp.sqrt(var + EPS)
    out = zn * gn_w.reshape(1, g, taps, 1, 1) + gn_b.reshape(1, g, taps, 1, 1)
    return out.astype(jnp.float32)
