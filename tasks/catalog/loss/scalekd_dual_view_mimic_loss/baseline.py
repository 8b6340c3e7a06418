"""Baseline for `scalekd_dual_view_mimic_loss`: ScaleKD spatial and DC-removed frequency mimic losses (plain jax)."""
import jax.numpy as jnp

ALPHA_SPAT = 0.08  # attr alpha_spat
ALPHA_FREQ = 0.06  # attr alpha_freq


def _l2n(z):
    """Normalise every pixel's channel vector (last axis) to unit length, norm floored at 1e-12."""
    norm = jnp.sqrt(jnp.sum(z * z, axis=-1, keepdims=True))
    return z / jnp.maximum(norm, 1e-12)


def _view_loss(a, b):
    """sum (l2n(a) - l2n(b))^2 over [B, HW, C], reduced channels -> pixels -> batch (short f32 sums)."""
    d = _l2n(a) - _l2n(b)
    per_pixel = jnp.sum(d * d, axis=-1)          # [B, HW]
    return jnp.sum(jnp.sum(per_pixel, axis=-1))  # scalar


def _high_pass(z):
    """idct2(dct2(z) with DC zeroed) = z minus its per-(b, c) spatial mean; z is [B, HW, C]."""
    return z - jnp.mean(z, axis=1, keepdims=True)


def kernel(s_spat, s_freq, t, *, B, C, H, W):
    # Work in token layout [B, HW, C]: the student already is, the teacher map is transposed.
    t_tok = t.reshape(B, C, H * W).transpose(0, 2, 1)
    loss_spat = ALPHA_SPAT * _view_loss(s_spat, t_tok) / B
    loss_freq = ALPHA_FREQ * _view_loss(_high_pass(s_freq), _high_pass(t_tok)) / B
    return (loss_spat.reshape(1).astype(jnp.float32), loss_freq.reshape(1).astype(jnp.float32))
