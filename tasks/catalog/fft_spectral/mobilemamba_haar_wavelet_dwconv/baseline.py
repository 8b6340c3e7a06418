"""Baseline for `mobilemamba_haar_wavelet_dwconv`: Haar transform, depthwise conv + scale per sub-band, inverse Haar, fuse (plain jax)."""
import jax
import jax.numpy as jnp

KS = 5  # attr k


def kernel(x, g, w_wt, s_wt, s_base, *, B, C, H, W):
    hh, wh = (H + 1) // 2, (W + 1) // 2
    xp = jnp.pad(x, ((0, 0), (0, 0), (0, 2 * hh - H), (0, 2 * wh - W)))
    # 2x2 blocks: a = (even row, even col), b = (even, odd), p = (odd, even), q = (odd, odd).
    blk = xp.reshape(B, C, hh, 2, wh, 2)
    a, b, p, q = blk[:, :, :, 0, :, 0], blk[:, :, :, 0, :, 1], blk[:, :, :, 1, :, 0], blk[:, :, :, 1, :, 1]
    S = 0.5 * jnp.stack([a + b + p + q, a + b - p - q, a - b + p - q, a - b - p + q], axis=2)
    S = S.reshape(B, 4 * C, hh, wh)                              # wavelet channel m = 4c + q
    pad = KS // 2
    T = jax.lax.conv_general_dilated(
        S, w_wt, window_strides=(1, 1), padding=((pad, pad), (pad, pad)),
        dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=4 * C,
        precision=jax.lax.Precision.HIGHEST) * s_wt[None, :, None, None]
    T = T.reshape(B, C, 4, hh, wh)
    t0, t1, t2, t3 = T[:, :, 0], T[:, :, 1], T[:, :, 2], T[:, :, 3]
    z00, z01 = 0.5 * (t0 + t1 + t2 + t3), 0.5 * (t0 + t1 - t2 - t3)
    z10, z11 = 0.5 * (t0 - t1 + t2 - t3), 0.5 * (t0 - t1 - t2 + t3)
    # Reassemble z[2i + r, 2j + s] from the four phases, then crop the padding.
    z = jnp.stack([jnp.stack([z00, z01], axis=-1), jnp.stack([z10, z11], axis=-1)], axis=3)
    z = z.reshape(B, C, 2 * hh, 2 * wh)[:, :, :H, :W]
    return (s_base[None, :, None, None] * g + z).astype(jnp.float32)
