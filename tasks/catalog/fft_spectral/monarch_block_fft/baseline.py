"""Baseline for `monarch_block_fft`: FlashButterfly radix-16 block FFT with learnable DFT blocks M_2..M_16 (plain jax, complex64)."""
import jax
import jax.numpy as jnp
import numpy as np

HI = jax.lax.Precision.HIGHEST


def _twiddles(N):
    """exp(-2 pi i p b / N) for p < 16, b < N/16, from exact integer phases (a constant)."""
    n = N // 16
    pb = (np.arange(16)[:, None] * np.arange(n)[None, :]) % N
    return (np.exp(-2j * np.pi * pb / N)).astype(np.complex64)


def _bf(x, mats):
    """BF along the last axis of x (length N, a power of two)."""
    N = x.shape[-1]
    if N <= 16:
        return jnp.einsum("pa,...a->...p", mats[N], x, precision=HI)
    n = N // 16
    xa = x.reshape(x.shape[:-1] + (16, n))                              # x[a*n + b] -> [a, b]
    Y = jnp.einsum("pa,...ab->...pb", mats[16], xa, precision=HI) * _twiddles(N)
    Z = _bf(Y, mats)                                                    # [..., 16 (p), n (q)]
    return jnp.swapaxes(Z, -1, -2).reshape(x.shape)                     # X[q*16 + p] = Z_p[q]


def kernel(xr, xi, M2r, M2i, M4r, M4i, M8r, M8i, M16r, M16i, *, R, N):
    mats = {2: jax.lax.complex(M2r, M2i), 4: jax.lax.complex(M4r, M4i),
            8: jax.lax.complex(M8r, M8i), 16: jax.lax.complex(M16r, M16i)}
    X = _bf(jax.lax.complex(xr, xi), mats)
    return X.real.astype(jnp.float32), X.imag.astype(jnp.float32)
