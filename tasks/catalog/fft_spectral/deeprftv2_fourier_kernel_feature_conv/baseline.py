"""Baseline for `deeprftv2_fourier_kernel_feature_conv`: DeepRFTv2 Fourier kernel estimator, OTF from rfft2(x) applied to y (plain jax)."""
import jax
import jax.numpy as jnp

HI = jax.lax.Precision.HIGHEST


def _irfft2(F, H, W):
    """numpy/pocketfft irfft2 of a possibly non-Hermitian half spectrum [..., H, W//2+1]."""
    z = jnp.fft.ifft(F, axis=-2)
    # c2r uses only the real part of the DC column (and of the Nyquist column for even W).
    real_cols = jnp.zeros((W // 2 + 1,), bool).at[0].set(True)
    if W % 2 == 0:
        real_cols = real_cols.at[W // 2].set(True)
    z = jnp.where(real_cols, z.real.astype(z.dtype), z)
    return jnp.fft.irfft(z, n=W, axis=-1)


def kernel(x, y, We, ln_w, ln_b, Wk, bk, *, B, Cw, Cd, H, W):
    X = jnp.fft.rfft2(x, axes=(-2, -1))
    Zx = jnp.concatenate([X.real, X.imag], axis=1)                          # [B, 2Cw, H, Wh]
    E = jnp.einsum("oc,bchw->bohw", We, Zx, precision=HI)                   # GetPSF 1x1
    # LayerNorm2d over channels, per bin (biased variance, eps 1e-6).
    mu = jnp.mean(E, axis=1, keepdims=True)
    var = jnp.mean((E - mu) ** 2, axis=1, keepdims=True)
    G = (E - mu) / jnp.sqrt(var + 1e-6) * ln_w[None, :, None, None] + ln_b[None, :, None, None]
    O = jnp.einsum("jo,bohw->bjhw", Wk, G, precision=HI) + bk[None, :, None, None]
    K = jax.lax.complex(O[:, :Cd], O[:, Cd:])                               # predicted OTF
    P = jnp.fft.rfft2(y, axes=(-2, -1)) * K
    return _irfft2(P, H, W).astype(jnp.float32)
