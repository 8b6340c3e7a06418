"""Baseline for `sgconv_structured_global_conv`: SGConv multiscale kernel assembly, L2 normalisation, bidirectional FFT conv + skip (plain jax)."""
import jax
import jax.numpy as jnp
import numpy as np


def _upsample_matrix(Kd, f):
    """[Kd*f, Kd] weights of F.interpolate(mode='linear', align_corners=False, scale_factor=f)."""
    o = np.arange(Kd * f, dtype=np.float64)
    src = np.maximum((o + 0.5) / f - 0.5, 0.0)
    i0 = np.floor(src).astype(np.int64)
    i1 = np.minimum(i0 + 1, Kd - 1)
    lam = src - i0
    a = np.zeros((Kd * f, Kd))
    np.add.at(a, (np.arange(Kd * f), i0), 1.0 - lam)
    np.add.at(a, (np.arange(Kd * f), i1), lam)
    return a.astype(np.float32)


def kernel(u, K, mult, Dskip, *, B, C, H, L, Kd, S):
    # (a) assembly: scale i upsampled by f = 2^max(0, i-1) and damped by mult^(S-1-i).
    parts = []
    for i in range(S):
        f = 2 ** max(0, i - 1)
        up = jnp.einsum("ok,chk->cho", jnp.asarray(_upsample_matrix(Kd, f)), K[i],
                        precision=jax.lax.Precision.HIGHEST)
        parts.append(up * (mult ** (S - 1 - i))[None, :, None])
    kfull = jnp.concatenate(parts, axis=-1)                              # [2C, H, Kd*2^(S-1)]
    # (b) unit L2 norm over the whole assembled length, then cut / zero-pad to L.
    k = kfull / jnp.sqrt(jnp.sum(kfull * kfull, axis=-1, keepdims=True))
    klen = kfull.shape[-1]
    k = k[..., :L] if klen >= L else jnp.pad(k, ((0, 0), (0, 0), (0, L - klen)))
    # (c) bidirectional conv as one length-2L circular conv: k0 causal at [0, L), flip(k1) at [L, 2L).
    kk = jnp.concatenate([k[:C], k[C:, :, ::-1]], axis=-1)               # [C, H, 2L]
    y = jnp.fft.irfft(jnp.fft.rfft(kk, axis=-1)[None] * jnp.fft.rfft(u, n=2 * L, axis=-1)[:, None],
                      n=2 * L, axis=-1)[..., :L]                         # [B, C, H, L]
    y = y + Dskip[None, :, :, None] * u[:, None]
    return y.reshape(B, C * H, L).astype(jnp.float32)
