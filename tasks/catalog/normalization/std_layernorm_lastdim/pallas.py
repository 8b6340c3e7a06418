"""Pallas kernel for `std_layernorm_lastdim`: y = (x - mean) / sqrt(var + 1e-5) * gamma + beta per row.

Shape of the kernel:
- Rows are independent, so the grid is 1-D over row tiles: program r normalises rows
  [r*TR, (r+1)*TR) of x[R, D]. Each block holds TR whole rows (the last block dim is the full D,
  which is legal for any D), so the row statistics never cross programs.
- R need not be a multiple of TR: the wrapper zero-pads R (a layout op) and slices the result.
  Padded rows normalise to beta (variance 0, no division by zero thanks to eps) and are dropped.
- gamma and beta are passed as (1, D) blocks whose index map always returns block 0, so every
  program reuses the same copy.
- Statistics are two-pass in f32 (mean first, then the mean of squared deviations): the one-pass
  E[x^2] - E[x]^2 form loses too much precision for inputs with mean 0.5 and std 2.
"""
import functools

import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

EPS = 1e-5        # attribute eps
MAX_TR = 256      # rows per program at large R (a multiple of 8, the TPU sublane count)


def _layernorm_kernel(x_ref, gamma_ref, beta_ref, y_ref, *, D):
    x = x_ref[...]                                          # (TR, D)
    mean = jnp.sum(x, axis=1, keepdims=True) * (1.0 / D)
    xc = x - mean
    var = jnp.sum(xc * xc, axis=1, keepdims=True) * (1.0 / D)
    inv = jax.lax.rsqrt(var + EPS)
    y_ref[...] = (xc * inv * gamma_ref[...] + beta_ref[...]).astype(y_ref.dtype)


def kernel(x, gamma, beta, *, R, D):
    TR = min(MAX_TR, (R + 7) // 8 * 8)                      # small R: one tile, no huge padding
    Rp = (R + TR - 1) // TR * TR
    xp = jnp.pad(x, ((0, Rp - R), (0, 0)))
    yp = pl.pallas_call(
        functools.partial(_layernorm_kernel, D=D),
        out_shape=jax.ShapeDtypeStruct((Rp, D), jnp.float32),
        grid=(Rp // TR,),
        in_specs=[
            pl.BlockSpec((TR, D), lambda r: (r, 0)),
            pl.BlockSpec((1, D), lambda r: (0, 0)),
            pl.BlockSpec((1, D), lambda r: (0, 0)),
        ],
        out_specs=pl.BlockSpec((TR, D), lambda r: (r, 0)),
    )(xp, gamma.reshape(1, D), beta.reshape(1, D))
    return yp[:R]
