"""Baseline for `mamba_selective_scan`: Mamba S6 scan, dt = softplus(delta + bias), ZOH for A, Euler for
B, D skip and silu(z) gate (plain jax.numpy with lax.scan over L; the XLA platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax


def _softplus(t):
    # PyTorch F.softplus, threshold 20.
    return jnp.where(t > 20.0, t, jnp.log1p(jnp.exp(jnp.minimum(t, 20.0))))


def kernel(u, delta, A, Bm, Cm, Dskip, delta_bias, z, *, B, D, L, N):
    dt = _softplus(delta + delta_bias[None, :, None])                  # [B, D, L]
    # Time-major views for the scan: [L, B, D] and [L, B, N].
    dt_t, u_t = jnp.moveaxis(dt, 2, 0), jnp.moveaxis(u, 2, 0)
    b_t, c_t = jnp.moveaxis(Bm, 2, 0), jnp.moveaxis(Cm, 2, 0)

    def step(h, inp):                                                   # h: [B, D, N]
        dt_l, u_l, b_l, c_l = inp
        h = jnp.exp(dt_l[..., None] * A) * h + (dt_l * u_l)[..., None] * b_l[:, None, :]
        return h, jnp.sum(h * c_l[:, None, :], axis=-1)                 # y_l: [B, D]

    _, y = lax.scan(step, jnp.zeros((B, D, N), jnp.float32), (dt_t, u_t, b_t, c_t))
    y = jnp.moveaxis(y, 0, 2)                                           # [B, D, L]
    out = (y + u * Dskip[None, :, None]) * jax.nn.silu(z)
    return out.astype(jnp.float32)
