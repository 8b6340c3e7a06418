"""Pallas kernel for `natten_na1d`: 1-D neighbourhood attention, kernel_size 7, dilation 1.

Shape of the kernel:
- The wrapper moves heads in front ([B, L, Hh, D] -> [B, Hh, L, D], a transpose) and zero-pads L
  up to a multiple of the query tile TQ. The grid is (B, Hh, Lp // TQ): one program per query
  tile of one head.
- Every key a query in tile t can see lies in key tiles t-1, t or t+1 (the window has 7 keys and
  is shifted inward at the borders by at most 6 positions, and TQ >= 6). So the kernel gets three
  (TQ, D) BlockSpecs on k and three on v with index maps t-1, t, t+1, clamped to the valid tile
  range. A clamped tile duplicates its neighbour, so it is masked out entirely.
- Per key tile the kernel computes the (TQ, TQ) score block with one matmul and masks it with the
  exact NATTEN window rule (start = clamp(i - 3, 0, L - 7), keys start..start+6) built from
  iotas; the softmax max and denominator run jointly over the three blocks. Masked scores are
  -inf so exp gives exactly 0; every row (padded query rows included, whose start clamps to
  L - 7) has 7 real keys, so no row is all -inf.
- Padded keys (index >= L) are never inside a window, padded query rows are sliced off.
- HIGHEST precision keeps the matmuls in full f32 (the tolerance is 1e-5).
"""
import functools
import math

import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

KS = 7       # attribute kernel_size
DIL = 1      # attribute dilation (this kernel assumes 1: consecutive windows)
TQ = 64      # queries (and keys) per tile; must be >= KS - 1 and a multiple of 8


def _na1d_kernel(q_ref, kp_ref, kc_ref, kn_ref, vp_ref, vc_ref, vn_ref, o_ref, *, L, num_t):
    t = pl.program_id(2)
    q = q_ref[...]                                                   # (TQ, D)
    D = q.shape[-1]
    scale = 1.0 / math.sqrt(D)

    # Query indices of this tile and their window starts (NATTEN rule, dilation 1).
    qi = t * TQ + jax.lax.broadcasted_iota(jnp.int32, (TQ, TQ), 0)
    start = jnp.clip(qi - KS // 2, 0, L - KS)
    kj = jax.lax.broadcasted_iota(jnp.int32, (TQ, TQ), 1)

    def scores(k_ref, tile, valid):
        s = jnp.dot(q, k_ref[...].T, preferred_element_type=jnp.float32,
                    precision=jax.lax.Precision.HIGHEST) * scale     # (TQ, TQ)
        j = tile * TQ + kj                                           # global key indices
        mask = (j >= start) & (j < start + KS) & valid
        return jnp.where(mask, s, -jnp.inf)

    # Previous / current / next key tiles; a clamped duplicate is invalid.
    s_p = scores(kp_ref, t - 1, t > 0)
    s_c = scores(kc_ref, t, True)
    s_n = scores(kn_ref, t + 1, t < num_t - 1)

    m = jnp.maximum(jnp.maximum(s_p.max(axis=1), s_c.max(axis=1)), s_n.max(axis=1))[:, None]
    p_p, p_c, p_n = jnp.exp(s_p - m), jnp.exp(s_c - m), jnp.exp(s_n - m)
    denom = p_p.sum(axis=1) + p_c.sum(axis=1) + p_n.sum(axis=1)

    pv = functools.partial(jnp.dot, preferred_element_type=jnp.float32,
                           precision=jax.lax.Precision.HIGHEST)
    acc = pv(p_p, vp_ref[...]) + pv(p_c, vc_ref[...]) + pv(p_n, vn_ref[...])
    o_ref[...] = (acc / denom[:, None]).astype(o_ref.dtype)


def kernel(q, k, v, *, B, L, Hh, D):
    Lp = (L + TQ - 1) // TQ * TQ
    num_t = Lp // TQ

    def to_heads(a):  # [B, L, Hh, D] -> [B, Hh, Lp, D]
        return jnp.pad(jnp.transpose(a, (0, 2, 1, 3)), ((0, 0), (0, 0), (0, Lp - L), (0, 0)))

    qh, kh, vh = to_heads(q), to_heads(k), to_heads(v)

    # The kernel sees (TQ, D) refs: batch and head axes are squeezed (`None`).
    def tile_spec(shift):
        return pl.BlockSpec(
            (None, None, TQ, D),
            lambda b, h, t: (b, h, jnp.clip(t + shift, 0, num_t - 1), 0))

    oh = pl.pallas_call(
        functools.partial(_na1d_kernel, L=L, num_t=num_t),
        out_shape=jax.ShapeDtypeStruct((B, Hh, Lp, D), jnp.float32),
        grid=(B, Hh, num_t),
        in_specs=[tile_spec(0),                                  # q tile t
                  tile_spec(-1), tile_spec(0), tile_spec(1),     # k tiles t-1, t, t+1
                  tile_spec(-1), tile_spec(0), tile_spec(1)],    # v tiles t-1, t, t+1
        out_specs=tile_spec(0),
    )(qh, kh, kh, kh, vh, vh, vh)
    return jnp.transpose(oh[:, :, :L, :], (0, 2, 1, 3))
