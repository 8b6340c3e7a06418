"""Baseline for `fadc_adaptive_dilated_conv`: FADC AdaDR, a modulated deformable 3x3 conv with per-pixel dilation (plain jax)."""
import jax
import jax.numpy as jnp

STRIDE, DIL = 1, 1.0  # attrs stride, dil
HI = jax.lax.Precision.HIGHEST


def kernel(x, wb, w_off, b_off, w_m, b_m, *, B, Cin, Cout, H, W):
    Ho, Wo = (H - 1) // STRIDE + 1, (W - 1) // STRIDE + 1
    Hp, Wp = H + 2, W + 2
    xp = jnp.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="edge")  # replicate padding

    def conv3(w):  # plain 3x3 conv of xp, no padding (the replicate border is already there)
        return jax.lax.conv_general_dilated(
            xp, w, window_strides=(STRIDE, STRIDE), padding="VALID",
            dimension_numbers=("NCHW", "OIHW", "NCHW"), precision=HI)

    d = DIL * jnp.abs(conv3(w_off)[:, 0] + b_off[0])                       # [B, Ho, Wo]
    m = jax.nn.sigmoid(conv3(w_m) + b_m[None, :, None, None])               # [B, 9, Ho, Wo]

    # Sampling coordinates of the 9 spread taps (in xp), tap t = 3*i + j: [B, 9, Ho, Wo].
    ti = jnp.repeat(jnp.arange(3), 3).astype(jnp.float32)[None, :, None, None]
    tj = jnp.tile(jnp.arange(3), 3).astype(jnp.float32)[None, :, None, None]
    ho = (jnp.arange(Ho) * STRIDE).astype(jnp.float32)[None, None, :, None]
    wo = (jnp.arange(Wo) * STRIDE).astype(jnp.float32)[None, None, None, :]
    py = ho + ti + (ti - 1.0) * d[:, None]
    px = wo + tj + (tj - 1.0) * d[:, None]
    inside = (py > -1.0) & (py < Hp) & (px > -1.0) & (px < Wp)

    # Bilinear sampling with zeros outside xp (mmcv's modulated deform conv convention).
    y0, x0 = jnp.floor(py), jnp.floor(px)
    ly, lx = py - y0, px - x0
    y0, x0 = y0.astype(jnp.int32), x0.astype(jnp.int32)
    planes = xp.reshape(B, Cin, Hp * Wp)

    def corner(r, q, wgt):
        ok = (r >= 0) & (r < Hp) & (q >= 0) & (q < Wp) & inside
        idx = (jnp.clip(r, 0, Hp - 1) * Wp + jnp.clip(q, 0, Wp - 1)).reshape(B, 1, -1)
        v = jnp.take_along_axis(planes, jnp.broadcast_to(idx, (B, Cin, idx.shape[-1])), axis=2)
        return v.reshape(B, Cin, 9, Ho, Wo) * jnp.where(ok, wgt, 0.0)[:, None]

    samples = (corner(y0, x0, (1 - ly) * (1 - lx)) + corner(y0, x0 + 1, (1 - ly) * lx)
               + corner(y0 + 1, x0, ly * (1 - lx)) + corner(y0 + 1, x0 + 1, ly * lx))
    cols = samples * m[:, None]                                              # [B, Cin, 9, Ho, Wo]
    y = jnp.einsum("boct,bcthw->bohw", wb.reshape(B, Cout, Cin, 9), cols, precision=HI)
    return y.astype(jnp.float32)
