"""Baseline for `std_squeeze_excitation`: y = x * sigmoid(w2 relu(w1 avgpool(x) + b1) + b2) with an
explicit bottleneck width Cr (plain jax.numpy; the XLA platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST


def kernel(x, w1, b1, w2, b2, *, B, C, Cr, H, W):
    p = jnp.mean(x, axis=(2, 3))                                        # [B, C]
    q = jax.nn.relu(jnp.dot(p, w1.T, precision=HI) + b1)                # [B, Cr]
    a = jax.nn.sigmoid(jnp.dot(q, w2.T, precision=HI) + b2)             # [B, C]
    return (x * a[:, :, None, None]).astype(jnp.float32)
