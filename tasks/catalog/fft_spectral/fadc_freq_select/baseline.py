"""Baseline for `fadc_freq_select`: FADC FreqSelect, box low-pass bands in the shifted spectrum reweighted by attention maps (plain jax)."""
import jax
import jax.numpy as jnp
import numpy as np

FACTORS = (2, 4, 8)  # attrs k1, k2, k3


def _box_mask(H, W, f):
    """keep[u, v]: bin (u, v) lies in the centred box of factor f of the fftshift-ed spectrum."""
    def axis_keep(L):
        lo, hi = round(L / 2 - L / (2 * f)), round(L / 2 + L / (2 * f))  # round half to even
        shifted = (np.arange(L) + L // 2) % L
        return (lo <= shifted) & (shifted < hi)
    return (axis_keep(H)[:, None] & axis_keep(W)[None, :]).astype(np.float32)


def kernel(x, wb, bb, *, B, C, H, W):
    X = jnp.fft.fft2(x.astype(jnp.complex64), axes=(-2, -1), norm="ortho")
    # One attention map per band (3x3 conv C -> 1, zero padding 1): [B, 3, H, W].
    att = 2.0 * jax.nn.sigmoid(jax.lax.conv_general_dilated(
        x, wb, window_strides=(1, 1), padding=((1, 1), (1, 1)),
        dimension_numbers=("NCHW", "OIHW", "NCHW"),
        precision=jax.lax.Precision.HIGHEST) + bb[None, :, None, None])
    prev = x
    y = jnp.zeros_like(x)
    for j, f in enumerate(FACTORS):
        keep = jnp.asarray(_box_mask(H, W, f))
        low = jnp.fft.ifft2(X * keep, axes=(-2, -1), norm="ortho").real
        y = y + att[:, j:j + 1] * (prev - low)
        prev = low
    return (y + prev).astype(jnp.float32)
