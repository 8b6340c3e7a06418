"""Baseline for `spartan_wave_channel_aggregation`: SpaRTAN CMixer head (two 1x1 expansions, interaction
with the expanded channel indexed by the input argmax, complex modulation of channel pairs)
(plain jax.numpy; the XLA platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST
E = 4  # attribute E: expansion


def kernel(x, w_t, b_t, w_p, b_p, cplx, *, B, C, H, W):
    Cn = C * E
    col = lambda v: v[None, :, None, None]
    idx = jnp.argmax(x, axis=1)                                         # [B, H, W], first max wins
    theta = jax.nn.gelu(jnp.einsum("nk,bkhw->bnhw", w_t, x, precision=HI) + col(b_t),
                        approximate=False)
    wgt = jnp.einsum("nk,bkhw->bnhw", w_p, x, precision=HI) + col(b_p)
    prod = wgt * theta                                                  # [B, Cn, H, W]
    # The argmax over the C input channels indexes the EXPANDED channels (as in the official code).
    sel = jnp.take_along_axis(prod, idx[:, None], axis=1)               # [B, 1, H, W]
    f = prod + sel
    fr = f.reshape(B, Cn // 2, 2, H, W)
    re, im = fr[:, :, 0], fr[:, :, 1]
    a, c = col(cplx[:, 0]), col(cplx[:, 1])
    out = jnp.stack([a * re - c * im, a * im + c * re], axis=2)         # [B, Cn/2, 2, H, W]
    return out.reshape(B, Cn, H, W).astype(jnp.float32)
