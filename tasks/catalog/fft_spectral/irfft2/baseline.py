"""Baseline for `irfft2`: numpy/pocketfft irfft2 of an arbitrary (non-Hermitian) half spectrum (jnp.fft)."""
import jax
import jax.numpy as jnp


def kernel(re, im, *, B, M, N):
    # Inverse complex DFT down each column first (axis M).
    y = jnp.fft.ifft(jax.lax.complex(re, im), axis=-2)
    # Per row, the DC bin (and the Nyquist bin for even N) only contributes its real part; drop
    # the imaginary parts explicitly so the result does not depend on how an irfft backend treats
    # a non-Hermitian input.
    real_bins = jnp.zeros((N // 2 + 1,), bool).at[0].set(True)
    if N % 2 == 0:
        real_bins = real_bins.at[N // 2].set(True)
    y = jnp.where(real_bins, y.real.astype(y.dtype), y)
    return jnp.fft.irfft(y, n=N, axis=-1).astype(jnp.float32)
