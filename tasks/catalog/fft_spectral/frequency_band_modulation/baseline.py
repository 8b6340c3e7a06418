"""Baseline for `frequency_band_modulation`: FBM nested rFFT low-pass bands reweighted by per-band attention maps (plain jax)."""
import jax
import jax.numpy as jnp
import numpy as np

K_LIST = (2, 4, 8)  # attrs k0, k1, k2


def _src(n_out, n_in):
    """PyTorch 'nearest' source index for every output index, in float32 arithmetic."""
    d = np.arange(n_out)
    if n_in == n_out:
        return d
    ratio = np.float32(n_in) / np.float32(n_out)
    return np.minimum(np.floor(d.astype(np.float32) * ratio).astype(np.int64), n_in - 1)


def _mask(H, W, k):
    """FBM's 64 x 33 base mask for factor k, resized ('nearest') to the H x (W/2+1) rFFT grid."""
    r = np.arange(64)
    rs = np.where(r < 32, r, r - 64)
    c = np.arange(33)
    base = np.maximum(np.abs(rs)[:, None], c[None, :]) * k <= 32
    return base[_src(H, 64)][:, _src(W // 2 + 1, 33)].astype(np.float32)


def _irfft2(F, H, W):
    """numpy/pocketfft irfft2 of a possibly non-Hermitian half spectrum [..., H, W//2+1]."""
    z = jnp.fft.ifft(F, axis=-2)
    # c2r uses only the real part of the DC column (and of the Nyquist column, W is even here).
    real_cols = jnp.zeros((W // 2 + 1,), bool).at[0].set(True)
    if W % 2 == 0:
        real_cols = real_cols.at[W // 2].set(True)
    z = jnp.where(real_cols, z.real.astype(z.dtype), z)
    return jnp.fft.irfft(z, n=W, axis=-1)


def kernel(x, wb, bb, *, B, C, H, W):
    X = jnp.fft.rfft2(x, axes=(-2, -1))  # the two 'ortho' factors combine into irfft2's 1/(H*W)
    att = 2.0 * jax.nn.sigmoid(jax.lax.conv_general_dilated(
        x, wb, window_strides=(1, 1), padding=((1, 1), (1, 1)),
        dimension_numbers=("NCHW", "OIHW", "NCHW"),
        precision=jax.lax.Precision.HIGHEST) + bb[None, :, None, None])    # [B, 3, H, W]
    prev = x
    out = jnp.zeros_like(x)
    for j, k in enumerate(K_LIST):
        low = _irfft2(X * jnp.asarray(_mask(H, W, k)), H, W)
        out = out + att[:, j:j + 1] * (prev - low)
        prev = low
    return (out + prev).astype(jnp.float32)
