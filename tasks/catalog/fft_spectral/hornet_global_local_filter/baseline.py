"""Baseline for `hornet_global_local_filter`: HorNet GF layer, LN, depthwise 3x3 half + global rFFT filter half, interleave, LN (plain jax)."""
import jax
import jax.numpy as jnp
import numpy as np

FH, FW = 14, 8  # attrs fh, fw: stored filter size
HI = jax.lax.Precision.HIGHEST


def _layer_norm_c(t, g, b):
    """LayerNorm over the channel axis of NCHW t, per pixel, biased variance, eps 1e-6."""
    mu = jnp.mean(t, axis=1, keepdims=True)
    var = jnp.mean((t - mu) ** 2, axis=1, keepdims=True)
    return (t - mu) / jnp.sqrt(var + 1e-6) * g[None, :, None, None] + b[None, :, None, None]


def _resize_matrix(lo, li):
    """[lo, li] bilinear (align_corners=True) interpolation weights along one axis."""
    t = np.arange(lo, dtype=np.float64)
    src = t * (li - 1) / (lo - 1) if lo > 1 else np.zeros(lo)
    t0 = np.floor(src).astype(np.int64)
    t1 = np.minimum(t0 + 1, li - 1)
    lam = src - t0
    a = np.zeros((lo, li))
    np.add.at(a, (np.arange(lo), t0), 1.0 - lam)
    np.add.at(a, (np.arange(lo), t1), lam)
    return a.astype(np.float32)


def kernel(x, g1, b1, W_dw, Wc, g2, b2, *, N, C, H, W):
    ch, wf = C // 2, W // 2 + 1
    u = _layer_norm_c(x, g1, b1)
    u1, u2 = u[:, :ch], u[:, ch:]
    a = jax.lax.conv_general_dilated(
        u1, W_dw, window_strides=(1, 1), padding=((1, 1), (1, 1)),
        dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=ch, precision=HI)

    # Complex filter resized to the (H, Wf) rFFT grid (the identity when sizes already match).
    ah, aw = jnp.asarray(_resize_matrix(H, FH)), jnp.asarray(_resize_matrix(wf, FW))
    filt = jnp.einsum("kp,cpqz,lq->zckl", ah, Wc, aw, precision=HI)       # [2, Ch, H, Wf]
    U = jnp.fft.rfft2(u2, axes=(-2, -1), norm="ortho")
    Yf = U * jax.lax.complex(filt[0], filt[1])
    # irfft2 (ortho) with numpy semantics: the c2r step only uses the real parts of the k2 = 0
    # and Nyquist columns after the inverse along H; drop their imaginary parts explicitly.
    Z = jnp.fft.ifft(Yf, axis=-2, norm="ortho")
    real_cols = jnp.zeros((wf,), bool).at[0].set(True)
    if W % 2 == 0:
        real_cols = real_cols.at[W // 2].set(True)
    Z = jnp.where(real_cols, Z.real.astype(Z.dtype), Z)
    bo = jnp.fft.irfft(Z, n=W, axis=-1, norm="ortho")

    v = jnp.stack([a, bo], axis=2).reshape(N, C, H, W)                     # interleave: 2c, 2c+1
    return _layer_norm_c(v, g2, b2).astype(jnp.float32)
