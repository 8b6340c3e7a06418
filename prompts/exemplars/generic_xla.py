"""Generic exemplar (vector_scale_add): y[i] = a * x[i] + b[i] for i < N, a = 2.0.

Entry point: def kernel(x, b, *, N) -> y, with x, b, y float32[N]. The inputs arrive as jax
arrays, N as a static Python int; the output is returned, not written into an argument. The work
happens in a Pallas kernel: the vectors are viewed as rows of 128 lanes (zero-padded at the end, a
cheap layout op outside the kernel), so every block is a TPU-legal (rows, 128) tile.
"""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

A = 2.0  # a constant of the task: written in the code, not passed in
LANES = 128  # last block dim: one vector-lane width
MAX_BLOCK_ROWS = 512  # 512 x 128 f32 = 256 KiB per tile and operand


def _scale_add(x_ref, b_ref, y_ref):
    # One grid step: refs are the current (block_rows, LANES) tiles; read, compute, store.
    y_ref[...] = A * x_ref[...] + b_ref[...]


def kernel(x, b, *, N):
    rows = pl.cdiv(N, LANES)
    block_rows = min(MAX_BLOCK_ROWS, pl.cdiv(rows, 8) * 8)  # a multiple of 8
    padded_rows = pl.cdiv(rows, block_rows) * block_rows
    pad = padded_rows * LANES - N
    x2 = jnp.pad(x, (0, pad)).reshape(padded_rows, LANES)
    b2 = jnp.pad(b, (0, pad)).reshape(padded_rows, LANES)
    spec = pl.BlockSpec((block_rows, LANES), lambda i: (i, 0))  # block index of tile i
    y2 = pl.pallas_call(
        _scale_add,
        grid=(padded_rows // block_rows,),
        in_specs=[spec, spec],
        out_specs=spec,
        out_shape=jax.ShapeDtypeStruct((padded_rows, LANES), jnp.float32),
    )(x2, b2)
    return y2.reshape(-1)[:N]  # drop the padding
