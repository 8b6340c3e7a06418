"""Baseline for `fdconv_fourier_disjoint_weight`: FDConv per-sample kernels from radius-grouped, attention-scaled half spectra (plain jax)."""
import jax
import jax.numpy as jnp
import numpy as np

KS, KN = 3, 64  # attrs k, kn


def _groups(M, N):
    """FDConv's static `indices`: chunk number of every half-spectrum bin f = u*Nh + v."""
    nh = N // 2 + 1
    u = np.repeat(np.arange(M, dtype=np.int64), nh)
    v = np.tile(np.arange(nh, dtype=np.int64), M)
    us = np.where(u < (M + 1) // 2, u, u - M)
    r2 = us * us * N * N + v * v * M * M
    flat = np.arange(M * nh, dtype=np.int64)
    order = np.lexsort((flat, r2))                 # ascending by (r2, f)
    grp = np.empty(M * nh, dtype=np.int32)
    grp[order] = np.arange(M * nh) // (M * nh // KN)
    return grp.reshape(M, nh)


def kernel(a, D, *, B, Cout, Cin):
    M, N = Cout * KS, Cin * KS
    nh = N // 2 + 1
    alpha = (min(Cout, Cin) // 2) * KN
    scale = alpha * a[:, jnp.asarray(_groups(M, N))]                      # [B, M, Nh]
    S = scale * jax.lax.complex(D[..., 0], D[..., 1])
    # irfft2(S, s=(M, N)) with numpy semantics: inverse DFT along u, then c2r along v that uses
    # only the real parts of the v = 0 and v = N/2 columns (dropped explicitly here).
    Z = jnp.fft.ifft(S, axis=-2)
    real_cols = jnp.zeros((nh,), bool).at[0].set(True).at[N // 2].set(True)
    Z = jnp.where(real_cols, Z.real.astype(Z.dtype), Z)
    w2 = jnp.fft.irfft(Z, n=N, axis=-1)                                    # [B, M, N]
    wt = w2.reshape(B, Cout, KS, Cin, KS).transpose(0, 1, 3, 2, 4)
    return wt.astype(jnp.float32)
