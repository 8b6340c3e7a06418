"""Baseline for `fdconv_kernel_spatial_modulation_conv`: FDConv KSM attentions x per-sample kernels, then conv (plain jax)."""
import jax
import jax.numpy as jnp

KS, STRIDE, PAD, KS_LOC = 3, 1, 1, 5  # attrs k, stride, pad, ks
HI = jax.lax.Precision.HIGHEST


def kernel(x, xf, Wt, w_fc, s_bn, t_bn, sr_s, sr_b, w_ch, b_ch, w_fil, b_fil, w_sp, b_sp,
           ln_w, ln_b, w_loc, *, B, Cin, Cout, H, W):
    kk = KS * KS
    # Channel means (XLA's f32 reductions are blocked/tree-shaped, accurate enough even though the
    # LayerNorm below divides by the small spread of these means).
    gx = jnp.mean(x, axis=(2, 3))                                              # [B, Cin]

    # Global attentions from a squeezed vector z (StarReLU).
    r = jnp.maximum(s_bn * jnp.dot(gx, w_fc.T, precision=HI) + t_bn, 0.0)
    z = sr_s[0] * r * r + sr_b[0]                                              # [B, A]
    ch = 2.0 * jax.nn.sigmoid(b_ch + jnp.dot(z, w_ch.T, precision=HI))         # [B, Cin]
    fil = 2.0 * jax.nn.sigmoid(b_fil + jnp.dot(z, w_fil.T, precision=HI))      # [B, Cout]
    sp = 2.0 * jax.nn.sigmoid(b_sp + jnp.dot(z, w_sp.T, precision=HI))         # [B, kk]

    # Local attention: LayerNorm over Cin, then a 1-D conv across channels (zero padded).
    mu = jnp.mean(gx, axis=1, keepdims=True)
    var = jnp.mean((gx - mu) ** 2, axis=1, keepdims=True)
    g2 = (gx - mu) / jnp.sqrt(var + 1e-5) * ln_w + ln_b                        # [B, Cin]
    half = (KS_LOC - 1) // 2
    g2p = jnp.pad(g2, ((0, 0), (half, half)))
    windows = jnp.stack([g2p[:, s:s + Cin] for s in range(KS_LOC)], axis=1)   # [B, ks, Cin]
    loc = jnp.einsum("js,bsi->bji", w_loc, windows, precision=HI)             # [B, Cout*kk, Cin]
    loc = loc.reshape(B, Cout, KS, KS, Cin).transpose(0, 1, 4, 2, 3)          # [B, Cout, Cin, k, k]

    wf = (sp.reshape(B, 1, 1, KS, KS) * ch[:, None, :, None, None]
          * fil[:, :, None, None, None] * 2.0 * jax.nn.sigmoid(loc) * Wt)

    # Per-sample kernels: fold the batch into channel groups (one group per sample).
    y = jax.lax.conv_general_dilated(
        xf.reshape(1, B * Cin, H, W), wf.reshape(B * Cout, Cin, KS, KS),
        window_strides=(STRIDE, STRIDE), padding=((PAD, PAD), (PAD, PAD)),
        dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=B, precision=HI)
    Ho, Wo = y.shape[2], y.shape[3]
    return y.reshape(B, Cout, Ho, Wo).astype(jnp.float32)
