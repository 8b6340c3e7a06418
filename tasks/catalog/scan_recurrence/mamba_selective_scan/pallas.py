"""Pallas kernel for `mamba_selective_scan`: the Mamba S6 scan with softplus(delta + bias), D skip
and silu(z) gate.

Shape of the kernel:
- The scan is sequential in L but independent across (b, d), so the grid is (B, Dp // TD): each
  program owns TD channels of one batch element and the whole sequence. Its blocks are the
  (TD, L) slabs of u, delta and z (natural "B D L" layout, batch axis squeezed), the (TD, N)
  rows of A, the (TD, 1) columns of Dskip and delta_bias, and the (L, N) slab of Bm and Cm for
  batch b (the wrapper transposes these two small tensors to [B, L, N] so a time step is one row).
- Inside, `lax.fori_loop` walks l = 0..L-1 carrying the state h[TD, N] in registers:
      dt = softplus(delta[:, l] + bias)                        (TD, 1)
      h  = exp(dt * A) * h + (dt * u[:, l]) * Bm[l, :]         (TD, N), broadcasting
      y[:, l] = sum_n h * Cm[l, :]
  with `pl.ds(l, 1)` reading one time step from each ref. y is written straight into the
  output ref; a final vectorised pass over the whole (TD, L) tile applies the skip and the gate:
  out = (y + u * Dskip) * silu(z).
- D need not be a multiple of TD: the wrapper zero-pads D (padded channels have u = 0, so their
  state stays 0) and slices the result. A small D uses one full-D tile.
"""
import functools

import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

MAX_TD = 256  # channels per program at large D (a multiple of 8)


def _softplus(t):
    # PyTorch F.softplus with threshold 20: linear above it (and no overflow in exp).
    return jnp.where(t > 20.0, t, jnp.log1p(jnp.exp(jnp.minimum(t, 20.0))))


def _scan_kernel(u_ref, delta_ref, a_ref, bt_ref, ct_ref, dskip_ref, bias_ref, z_ref, o_ref, *, L):
    A = a_ref[...]                                   # (TD, N)
    bias = bias_ref[...]                             # (TD, 1)

    def step(l, h):
        u_l = u_ref[:, pl.ds(l, 1)]                  # (TD, 1)
        dt = _softplus(delta_ref[:, pl.ds(l, 1)] + bias)
        b_l = bt_ref[pl.ds(l, 1), :]                 # (1, N)
        c_l = ct_ref[pl.ds(l, 1), :]                 # (1, N)
        h = jnp.exp(dt * A) * h + (dt * u_l) * b_l   # (TD, N)
        o_ref[:, pl.ds(l, 1)] = jnp.sum(h * c_l, axis=1, keepdims=True)
        return h

    jax.lax.fori_loop(0, L, step, jnp.zeros(A.shape, jnp.float32))

    # Skip connection and gate, vectorised over the whole tile.
    u = u_ref[...]
    z = z_ref[...]
    silu = z / (1.0 + jnp.exp(-z))
    o_ref[...] = ((o_ref[...] + u * dskip_ref[...]) * silu).astype(o_ref.dtype)


def kernel(u, delta, A, Bm, Cm, Dskip, delta_bias, z, *, B, D, L, N):
    TD = D if D <= MAX_TD else MAX_TD
    Dp = (D + TD - 1) // TD * TD
    padd = lambda a: jnp.pad(a, ((0, 0), (0, Dp - D), (0, 0)))    # pad the D axis of [B, D, L]
    up, deltap, zp = padd(u), padd(delta), padd(z)
    Ap = jnp.pad(A, ((0, Dp - D), (0, 0)))
    dskip = jnp.pad(Dskip, (0, Dp - D)).reshape(Dp, 1)
    bias = jnp.pad(delta_bias, (0, Dp - D)).reshape(Dp, 1)
    bt = jnp.transpose(Bm, (0, 2, 1))                # [B, L, N]: one time step per row
    ct = jnp.transpose(Cm, (0, 2, 1))

    slab = pl.BlockSpec((None, TD, L), lambda b, d: (b, d, 0))      # u, delta, z, out
    per_b = pl.BlockSpec((None, L, N), lambda b, d: (b, 0, 0))      # Bm^T, Cm^T
    per_d = lambda width: pl.BlockSpec((TD, width), lambda b, d: (d, 0))
    out = pl.pallas_call(
        functools.partial(_scan_kernel, L=L),
        out_shape=jax.ShapeDtypeStruct((B, Dp, L), jnp.float32),
        grid=(B, Dp // TD),
        in_specs=[slab, slab, per_d(N), per_b, per_b, per_d(1), per_d(1), slab],
        out_specs=slab,
    )(up, deltap, Ap, bt, ct, dskip, bias, zp)
    return out[:, :D, :]
