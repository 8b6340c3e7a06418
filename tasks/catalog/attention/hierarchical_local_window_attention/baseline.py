"""Baseline for `hierarchical_local_window_attention`: Scale-DiT masked attention, global tokens see
the global tokens, high-resolution tokens see the global tokens plus their own contiguous local
window (plain jax.numpy; the XLA platform's baseline).

The mask is block-structured, so instead of a dense [T, T] masked score matrix (too large at the
gpu size) the two query groups are computed separately: global queries over the G global keys,
local queries over the concatenation [G global keys | Lw window keys]."""
import math

import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST


def kernel(q, k, v, *, B, nh, G, N, dh, l):
    Lw = l * l
    nw = N // Lw
    scale = 1.0 / math.sqrt(dh)
    qg, kg, vg = q[:, :, :G], k[:, :, :G], v[:, :, :G]
    # Local tokens grouped by window: [B, nh, nw, Lw, dh].
    ql, kl, vl = (a[:, :, G:].reshape(B, nh, nw, Lw, dh) for a in (q, k, v))

    # Global queries (global_sees_local = false): only the G global keys.
    pg = jax.nn.softmax(jnp.einsum("bhid,bhjd->bhij", qg, kg, precision=HI) * scale, axis=-1)
    og = jnp.einsum("bhij,bhjd->bhid", pg, vg, precision=HI)

    # Local queries: global keys, then the keys of the same window, one softmax over both.
    s_g = jnp.einsum("bhwid,bhjd->bhwij", ql, kg, precision=HI) * scale     # [.., Lw, G]
    s_w = jnp.einsum("bhwid,bhwjd->bhwij", ql, kl, precision=HI) * scale    # [.., Lw, Lw]
    p = jax.nn.softmax(jnp.concatenate([s_g, s_w], axis=-1), axis=-1)
    ol = (jnp.einsum("bhwij,bhjd->bhwid", p[..., :G], vg, precision=HI)
          + jnp.einsum("bhwij,bhwjd->bhwid", p[..., G:], vl, precision=HI))

    o = jnp.concatenate([og, ol.reshape(B, nh, N, dh)], axis=2)
    return o.astype(jnp.float32)
