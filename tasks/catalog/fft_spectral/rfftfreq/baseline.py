"""Baseline for `rfftfreq`: row b = numpy.fft.rfftfreq(N, d[b]) for a batch of spacings (plain jax.numpy)."""
import jax.numpy as jnp


def kernel(d, *, B, N):
    j = jnp.arange(N // 2 + 1, dtype=jnp.float32)
    return (j[None, :] / (N * d[:, None])).astype(jnp.float32)
