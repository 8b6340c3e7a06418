"""Pallas kernel for `std_softmax_lastdim`: y = exp(x - max) / sum(exp(x - max)) over each row.

Shape of the kernel:
- Rows are independent, so the grid is 1-D over row tiles: program r handles rows
  [r*TR, (r+1)*TR) of x[R, D]. A block holds TR whole rows (last block dim = the full D, legal
  for any D), so the max and the sum of a row are computed by one program in one pass over VMEM.
- R need not be a multiple of TR: the wrapper zero-pads R (a layout op) and slices the result;
  padded rows are a harmless uniform softmax and are dropped.
- The row max is subtracted before exp, so exp never overflows; the denominator is an f32
  reduction (tree-shaped on the hardware, accurate enough for D ~ 1000).
"""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

MAX_TR = 256      # rows per program at large R (a multiple of 8, the TPU sublane count)


def _softmax_kernel(x_ref, y_ref):
    x = x_ref[...]                                   # (TR, D)
    m = jnp.max(x, axis=1, keepdims=True)
    e = jnp.exp(x - m)
    s = jnp.sum(e, axis=1, keepdims=True)
    y_ref[...] = (e / s).astype(y_ref.dtype)


def kernel(x, *, R, D):
    TR = min(MAX_TR, (R + 7) // 8 * 8)               # small R: one tile, no huge padding
    Rp = (R + TR - 1) // TR * TR
    xp = jnp.pad(x, ((0, Rp - R), (0, 0)))
    yp = pl.pallas_call(
        _softmax_kernel,
        out_shape=jax.ShapeDtypeStruct((Rp, D), jnp.float32),
        grid=(Rp // TR,),
        in_specs=[pl.BlockSpec((TR, D), lambda r: (r, 0))],
        out_specs=pl.BlockSpec((TR, D), lambda r: (r, 0)),
    )(xp)
    return yp[:R]
