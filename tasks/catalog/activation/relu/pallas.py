"""Pallas kernel for `relu`: y = max(x, 0) elementwise over a flat f32 vector of N elements.

The exemplar for elementwise (memory-bound) kernels on the XLA platform. The flat vector is viewed
as a 2-D slab of 128-wide rows so each block is a TPU-legal (rows, 128) tile (rows a multiple of 8,
lanes exactly 128); N need not be a multiple of anything, so the tail is zero-padded outside the
kernel (a cheap layout op) and sliced off afterwards. Each grid step loads one tile, applies the op,
and stores it: there is no reduction and no data reuse, so bigger tiles only cut per-step overhead.
"""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

LANES = 128  # last block dim: one full vector-lane width
MAX_BLOCK_ROWS = 512  # 512 x 128 f32 = 256 KiB per tile: large enough to amortise step overhead


def _relu_kernel(x_ref, y_ref):
    # x_ref / y_ref are the current (block_rows, LANES) tiles. Reading x_ref[...] loads the tile,
    # assigning to y_ref[...] writes it back; Pallas copies tiles in and out around each step.
    y_ref[...] = jnp.maximum(x_ref[...], 0.0)


def kernel(x, *, N):
    # Lay the vector out as rows of LANES, padding the tail up to a whole number of blocks.
    rows = pl.cdiv(N, LANES)
    # A power of two >= 8 (so a multiple of 8), no larger than needed for small inputs.
    block_rows = min(MAX_BLOCK_ROWS, max(8, pl.next_power_of_2(rows)))
    padded_rows = pl.cdiv(rows, block_rows) * block_rows
    x2 = jnp.pad(x, (0, padded_rows * LANES - N)).reshape(padded_rows, LANES)

    y2 = pl.pallas_call(
        _relu_kernel,
        # One program per tile; program i sees rows [i*block_rows, (i+1)*block_rows).
        grid=(padded_rows // block_rows,),
        # index_map takes the grid indices and returns the *block* index (not the element offset)
        # of the tile to hand to the kernel along each array dim.
        in_specs=[pl.BlockSpec((block_rows, LANES), lambda i: (i, 0))],
        out_specs=pl.BlockSpec((block_rows, LANES), lambda i: (i, 0)),
        out_shape=jax.ShapeDtypeStruct((padded_rows, LANES), jnp.float32),
    )(x2)

    # Drop the padding (relu(0) = 0 there, but it is not part of the output).
    return y2.reshape(-1)[:N]
