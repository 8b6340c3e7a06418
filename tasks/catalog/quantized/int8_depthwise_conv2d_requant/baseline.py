"""Baseline for `int8_depthwise_conv2d_requant`: int8 depthwise 3x3 conv (stride 1, pad 1, taps outside
the image skipped) with bit-exact TFLite per-channel requantisation (SRDHM + rounding shift)
(plain jax.numpy; the XLA platform's baseline).

x64 is off, so the 64-bit product inside SRDHM is built from 16-bit limbs in uint32 arithmetic;
nothing goes through floating point."""
import jax.numpy as jnp
from jax import lax

KS = 3                                         # attribute k (stride 1, dilation 1, pads 1)
ZX, ZY, ACT_MIN, ACT_MAX = 3, -4, -128, 127    # attributes zx, zy, act_min, act_max
INT32_MIN, INT32_MAX = -2**31, 2**31 - 1


def _srdhm(a, b):
    """Saturating rounding doubling high multiply: trunc((a*b + nudge) / 2^31), int32 in and out.

    With p = |a|*|b| (< 2^62) and s the sign of a*b, the result is s * floor((p + c) / 2^31)
    where c = 2^30 for a*b >= 0 and 2^30 - 1 for a*b < 0 (the nudge 1 - 2^30 and truncation
    toward zero, mirrored to the positive side)."""
    u32 = jnp.uint32
    absu = lambda t: jnp.where(t < 0, ~lax.bitcast_convert_type(t, u32) + u32(1),
                               lax.bitcast_convert_type(t, u32))   # |t| as uint32 (2^31 fits)
    ua, ub = absu(a), absu(b)
    a1, a0 = ua >> 16, ua & u32(0xFFFF)
    b1, b0 = ub >> 16, ub & u32(0xFFFF)
    lo = a0 * b0                                          # < 2^32
    mid = a1 * b0 + a0 * b1                               # < 2^32 (a1, b1 <= 2^15)
    hi = a1 * b1 + (mid >> 16)
    lo2 = lo + (mid << 16)                                # mod 2^32 ...
    hi = hi + (lo2 < lo).astype(u32)                      # ... plus its carry
    neg = ((a < 0) != (b < 0)) & (ua != 0) & (ub != 0)     # a*b < 0 (a zero product is >= 0)
    c = jnp.where(neg, u32(2**30 - 1), u32(2**30))
    lo3 = lo2 + c
    hi = hi + (lo3 < lo2).astype(u32)
    q = lax.bitcast_convert_type((hi << 1) | (lo3 >> 31), jnp.int32)   # floor((p + c) / 2^31)
    q = jnp.where(neg, -q, q)
    return jnp.where((a == INT32_MIN) & (b == INT32_MIN), jnp.int32(INT32_MAX), q)


def _rdbpot(x, e):
    """Rounding divide by 2^e, ties away from zero (arithmetic shift)."""
    mask = (jnp.int32(1) << e) - 1
    rem = x & mask
    thr = (mask >> 1) + (x < 0).astype(jnp.int32)
    return (x >> e) + (rem > thr).astype(jnp.int32)


def _requant(acc, M0, shift):
    left, right = jnp.maximum(shift, 0), jnp.maximum(-shift, 0)
    y = _rdbpot(_srdhm(acc << left, M0), right) + ZY
    return jnp.clip(y, ACT_MIN, ACT_MAX).astype(jnp.int8)


def kernel(xq, wq, bias, M0, shift, *, B, H, W, C):
    # Skipped taps = real value 0 = (xq - zx) padded with 0.
    xs = jnp.pad(xq.astype(jnp.int32) - ZX, ((0, 0), (1, 1), (1, 1), (0, 0)))
    w = wq.astype(jnp.int32)
    acc = bias + sum(xs[:, i:i + H, j:j + W, :] * w[i, j]                # 9 static taps, int32
                     for i in range(KS) for j in range(KS))
    return _requant(acc, M0, shift)
