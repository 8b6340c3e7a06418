"""Baseline for `longconv_fft_causal_conv`: causal length-L convolution per (c, h) via zero-padded rFFT, plus skip (plain jax)."""
import jax.numpy as jnp


def kernel(u, k, Dskip, *, B, C, H, L):
    n = 2 * L  # zero padding to 2L makes the circular convolution linear (no wrap-around)
    U = jnp.fft.rfft(u, n=n, axis=-1)[:, None]                  # [B, 1, H, L+1]
    Kf = jnp.fft.rfft(k, n=n, axis=-1)[None]                    # [1, C, H, L+1]
    y = jnp.fft.irfft(U * Kf, n=n, axis=-1)[..., :L]            # [B, C, H, L]
    y = y + Dskip[None, :, :, None] * u[:, None]
    return y.reshape(B, C * H, L).astype(jnp.float32)
