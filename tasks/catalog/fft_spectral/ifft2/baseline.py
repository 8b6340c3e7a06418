"""Baseline for `ifft2`: inverse 2-D DFT (1/(M*N) scaling) of a complex array given as re/im planes (jnp.fft)."""
import jax
import jax.numpy as jnp


def kernel(re, im, *, B, M, N):
    z = jnp.fft.ifft2(jax.lax.complex(re, im), axes=(-2, -1))
    return z.real.astype(jnp.float32), z.imag.astype(jnp.float32)
