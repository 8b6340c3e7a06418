"""Baseline for `fftfreq`: row b = numpy.fft.fftfreq(N, d[b]) for a batch of spacings (plain jax.numpy)."""
import jax.numpy as jnp
import numpy as np


def kernel(d, *, B, N):
    # Signed bin indices [0, 1, ..., ceil(N/2)-1, -(N div 2), ..., -1] are a compile-time constant.
    j = np.arange(N)
    signed = np.where(j < (N + 1) // 2, j, j - N).astype(np.float32)
    return (signed[None, :] / (N * d[:, None])).astype(jnp.float32)
