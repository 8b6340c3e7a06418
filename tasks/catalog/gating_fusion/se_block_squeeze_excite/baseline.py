"""Baseline for `se_block_squeeze_excite`: y = x * sigmoid(W_up relu(W_down avgpool(x) + b) + b), with
Cr = C // 4 (UniRepLKNet SE block; plain jax.numpy; the XLA platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST


def kernel(x, w_down, b_down, w_up, b_up, *, N, C, H, W):
    p = jnp.mean(x, axis=(2, 3))                                        # [N, C]
    q = jax.nn.relu(jnp.dot(p, w_down.T, precision=HI) + b_down)        # [N, Cr]
    g = jax.nn.sigmoid(jnp.dot(q, w_up.T, precision=HI) + b_up)         # [N, C]
    return (x * g[:, :, None, None]).astype(jnp.float32)
