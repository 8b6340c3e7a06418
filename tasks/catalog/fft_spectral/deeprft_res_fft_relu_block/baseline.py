"""Baseline for `deeprft_res_fft_relu_block`: DeepRFT Res FFT-ReLU block, spatial 3x3 branch + rfft2 1x1-ReLU-1x1 branch (plain jax)."""
import jax
import jax.numpy as jnp

HI = jax.lax.Precision.HIGHEST


def _irfft2(F, H, W):
    """numpy/pocketfft irfft2 of a possibly non-Hermitian half spectrum [..., H, W//2+1]."""
    z = jnp.fft.ifft(F, axis=-2)
    # The c2r step only uses the real part of the DC column (and of the Nyquist column for even W):
    # drop the imaginary parts explicitly so no backend-specific handling of them matters.
    real_cols = jnp.zeros((W // 2 + 1,), bool).at[0].set(True)
    if W % 2 == 0:
        real_cols = real_cols.at[W // 2].set(True)
    z = jnp.where(real_cols, z.real.astype(z.dtype), z)
    return jnp.fft.irfft(z, n=W, axis=-1)


def _conv3(z, w):
    return jax.lax.conv_general_dilated(
        z, w, window_strides=(1, 1), padding=((1, 1), (1, 1)),
        dimension_numbers=("NCHW", "OIHW", "NCHW"), precision=HI)


def kernel(x, Ws1, Ws2, Wf1, Wf2, *, N, C, H, W):
    # Frequency branch: 1x1 convs over [Re | Im] channels of every rfft2 bin.
    X = jnp.fft.rfft2(x, axes=(-2, -1))
    Z = jnp.concatenate([X.real, X.imag], axis=1)                          # [N, 2C, H, Wh]
    P = jnp.maximum(jnp.einsum("jc,nchw->njhw", Wf1, Z, precision=HI), 0.0)
    Q = jnp.einsum("oj,njhw->nohw", Wf2, P, precision=HI)
    f = _irfft2(jax.lax.complex(Q[:, :C], Q[:, C:]), H, W)
    # Spatial branch.
    s = _conv3(jnp.maximum(_conv3(x, Ws1), 0.0), Ws2)
    return (x + s + f).astype(jnp.float32)
