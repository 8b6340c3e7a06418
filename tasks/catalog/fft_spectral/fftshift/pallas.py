"""Pallas kernel for `fftshift`: y[b, i, j] = x[b, (i - M div 2) mod M, (j - N div 2) mod N].

The exemplar for data-movement kernels on the XLA platform. A cyclic roll of a plane by
(sm, sn) = (M div 2, N div 2) moves four rectangular quadrants without changing their contents:

      x = | A  B |  rows [0, M-sm)        y = | D  C |  rows [0, sm)
          | C  D |  rows [M-sm, M)            | B  A |  rows [sm, M)
            cols [0, N-sn) / [N-sn, N)          cols [0, sn) / [sn, N)

so each grid step loads one whole plane and writes it back as four static-slice copies (no
gathers, no index arithmetic per element; values are copied bit for bit). A plane is one block
whose last two dims are the full (M, N), which is TPU-legal for any M and N, odd ones included.
"""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl


def _make_shift_kernel(M, N):
    sm, sn = M // 2, N // 2
    # (destination rows, source rows) and (destination cols, source cols) for the two pieces of
    # each axis; a piece is empty (and skipped) when the shift is 0, i.e. for a length-1 axis.
    row_moves = [(slice(sm, M), slice(0, M - sm)), (slice(0, sm), slice(M - sm, M))]
    col_moves = [(slice(sn, N), slice(0, N - sn)), (slice(0, sn), slice(N - sn, N))]

    def shift_kernel(x_ref, y_ref):
        # x_ref, y_ref: (M, N) refs holding plane b (the batch dim is squeezed away).
        for dst_r, src_r in row_moves:
            for dst_c, src_c in col_moves:
                if dst_r.stop > dst_r.start and dst_c.stop > dst_c.start:
                    y_ref[dst_r, dst_c] = x_ref[src_r, src_c]

    return shift_kernel


def kernel(x, *, B, M, N):
    return pl.pallas_call(
        _make_shift_kernel(M, N),
        grid=(B,),  # one program per plane
        # `None` squeezes the batch dim, so the kernel sees plane b as a 2-D (M, N) ref.
        in_specs=[pl.BlockSpec((None, M, N), lambda b: (b, 0, 0))],
        out_specs=pl.BlockSpec((None, M, N), lambda b: (b, 0, 0)),
        out_shape=jax.ShapeDtypeStruct((B, M, N), x.dtype),
    )(x)
