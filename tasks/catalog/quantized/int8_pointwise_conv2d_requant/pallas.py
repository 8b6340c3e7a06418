"""Pallas kernel for `int8_pointwise_conv2d_requant`: int8 1x1 conv + bit-exact TFLite requantisation.

The exemplar for integer-only kernels on the XLA platform. A 1x1 conv over NHWC pixels is a GEMM
[pixels, Cin] x [Cout, Cin]^T. Each grid step takes a tile of pixel rows and
  1. multiplies the raw int8 operands with int32 accumulation (the native int8 matmul path) and
     folds the input zero point in afterwards: sum_i (x - zx) * w = sum_i x*w - zx * sum_i w;
  2. requantises per output channel with TFLite's MultiplyByQuantizedMultiplier, in integers only.
JAX runs without 64-bit types here, so the 64-bit product inside SRDHM is built from 16-bit limbs
in uint32 arithmetic (every partial product fits in 32 bits) and divided by 2^31 exactly.
"""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

ZX, ZY, ACT_MIN, ACT_MAX = 3, -4, -128, 127  # attributes: zero points and activation clamp
MAX_BLOCK_ROWS = 512                          # pixel rows per grid step (a multiple of 8)
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def _u32(v):
    return jnp.asarray(v, jnp.uint32)


def _srdhm(a, b):
    """Saturating rounding doubling high multiply: trunc(((int64)a*b + nudge) / 2^31), int32."""
    neg = (a < 0) != (b < 0)  # sign of a*b (a zero product counts as non-negative below)
    # |a| and |b| as uint32 (|INT32_MIN| = 2^31 fits), split into 16-bit limbs.
    ua = jnp.where(a < 0, -a, a).astype(jnp.uint32)
    ub = jnp.where(b < 0, -b, b).astype(jnp.uint32)
    a_hi, a_lo = ua >> 16, ua & 0xFFFF
    b_hi, b_lo = ub >> 16, ub & 0xFFFF
    # |a*b| = hi * 2^32 + lo, schoolbook multiplication of the limbs.
    p_ll, p_lh, p_hl, p_hh = a_lo * b_lo, a_lo * b_hi, a_hi * b_lo, a_hi * b_hi
    mid = (p_ll >> 16) + (p_lh & 0xFFFF) + (p_hl & 0xFFFF)  # < 3 * 2^16
    lo = (p_ll & 0xFFFF) | (mid << 16)
    hi = p_hh + (p_lh >> 16) + (p_hl >> 16) + (mid >> 16)
    # For ab >= 0: (ab + 2^30) / 2^31 truncates = floor((|ab| + 2^30) / 2^31).
    # For ab < 0:  (ab + 1 - 2^30) / 2^31 truncates toward 0 = -floor((|ab| + 2^30 - 1) / 2^31).
    is_neg = neg & (ua != 0) & (ub != 0)
    nudge = jnp.where(is_neg, _u32(2**30 - 1), _u32(2**30))
    lo2 = lo + nudge
    hi = hi + (lo2 < lo).astype(jnp.uint32)                  # carry out of the low word
    q = (hi << 1) | (lo2 >> 31)                               # floor(value / 2^31) < 2^31 + 1
    # The only quotient that does not fit in int32 is 2^31, from a == b == INT32_MIN: saturate.
    q_signed = jnp.where(is_neg, -(q.astype(jnp.int32)), q.astype(jnp.int32))
    both_min = (a == INT32_MIN) & (b == INT32_MIN)
    return jnp.where(both_min, jnp.int32(INT32_MAX), q_signed)


def _rdbpot(x, e):
    """Rounding divide by 2^e (round half away from zero) with an arithmetic shift."""
    mask = (jnp.int32(1) << e) - 1
    rem = x & mask
    thr = (mask >> 1) + (x < 0).astype(jnp.int32)
    return (x >> e) + (rem > thr).astype(jnp.int32)


def _requant_kernel(x_ref, w_ref, bias_ref, m0_ref, shift_ref, y_ref):
    # x_ref: (block_rows, Cin) int8 pixels; w_ref: (Cout, Cin) int8;
    # bias_ref, m0_ref, shift_ref: (1, Cout) int32 rows that broadcast over pixels;
    # y_ref: (block_rows, Cout) int8.
    w = w_ref[...]
    raw = jax.lax.dot_general(x_ref[...], w, (((1,), (1,)), ((), ())),
                              preferred_element_type=jnp.int32)             # sum_i x * w
    w_sum = jnp.sum(w.astype(jnp.int32), axis=1)[None, :]                  # (1, Cout)
    acc = bias_ref[...] + raw - ZX * w_sum

    shift = shift_ref[...]
    left = jnp.maximum(shift, 0)
    right = jnp.maximum(-shift, 0)
    v = _rdbpot(_srdhm(acc << left, m0_ref[...]), right) + ZY
    y_ref[...] = jnp.clip(v, ACT_MIN, ACT_MAX).astype(jnp.int8)


def kernel(xq, wq, bias, M0, shift, *, B, H, W, Cin, Cout):
    # NHWC pixels are already rows of Cin values: the GEMM's left operand is a free reshape.
    # Pad the pixel rows up to a whole number of blocks (sliced off again below).
    P = B * H * W
    block_rows = min(MAX_BLOCK_ROWS, pl.cdiv(P, 8) * 8)
    padded = pl.cdiv(P, block_rows) * block_rows
    x2 = jnp.pad(xq.reshape(P, Cin), ((0, padded - P), (0, 0)))
    per_channel = pl.BlockSpec((1, Cout), lambda i: (0, 0))  # whole row, same for every tile

    y = pl.pallas_call(
        _requant_kernel,
        grid=(padded // block_rows,),
        in_specs=[pl.BlockSpec((block_rows, Cin), lambda i: (i, 0)),  # pixel tile i
                  pl.BlockSpec((Cout, Cin), lambda i: (0, 0)),        # all weights
                  per_channel, per_channel, per_channel],
        out_specs=pl.BlockSpec((block_rows, Cout), lambda i: (i, 0)),
        out_shape=jax.ShapeDtypeStruct((padded, Cout), jnp.int8),
    )(x2, wq, bias.reshape(1, Cout), M0.reshape(1, Cout), shift.reshape(1, Cout))
    return y[:P].reshape(B, H, W, Cout)
