"""Baseline for `wiener_deconvolution_fft`: closed-form Wiener deconvolution with psf2otf and a constant regulariser (jnp.fft)."""
import jax.numpy as jnp


def kernel(y, k, lam, *, B, C, H, W, KH, KW):
    # psf2otf: kernel at the top-left of an H x W zero array, centre rolled to (0, 0), then fft2.
    kpad = jnp.pad(k, ((0, 0), (0, H - KH), (0, W - KW)))
    kpad = jnp.roll(kpad, (-(KH // 2), -(KW // 2)), axis=(1, 2))
    Kf = jnp.fft.fft2(kpad.astype(jnp.complex64), axes=(-2, -1))[:, None]     # [B, 1, H, W]
    Y = jnp.fft.fft2(y.astype(jnp.complex64), axes=(-2, -1))
    D = lam[:, None, None, None]                     # grad_prior = false: D[u, v] = lam[b]
    X = jnp.conj(Kf) * Y / (jnp.abs(Kf) ** 2 + D)
    return jnp.fft.ifft2(X, axes=(-2, -1)).real.astype(jnp.float32)
