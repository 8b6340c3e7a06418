"""Baseline for `hornet_gnconv`: HorNet recursive gated convolution g^n Conv, order 3 (proj_in,
7x7 depthwise scaled by 1/3, two gated 1x1 recursion steps, proj_out) (plain jax.numpy / lax;
the XLA platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST
SCALE = 1.0 / 3.0  # attribute scale


def _pw(M, bv, u):
    """1x1 conv: (M*u + bv)[n, co, i, j] = bv[co] + sum_ci M[co, ci] u[n, ci, i, j]."""
    return jnp.einsum("oc,nchw->nohw", M, u, precision=HI) + bv[None, :, None, None]


def kernel(x, W_in, b_in, W_dw, b_dw, W_pw0, b_pw0, W_pw1, b_pw1, W_out, b_out, *, N, C, H, W):
    d0, d1 = C // 4, C // 2
    S = d0 + d1 + C
    f = _pw(W_in, b_in, x)                                               # [N, 2C, H, W]
    p0, a = f[:, :d0], f[:, d0:]
    dw = lax.conv_general_dilated(a, W_dw, (1, 1), ((3, 3), (3, 3)),
                                  dimension_numbers=("NCHW", "OIHW", "NCHW"),
                                  feature_group_count=S, precision=HI)
    q = SCALE * (dw + b_dw[None, :, None, None])
    q0, q1, q2 = q[:, :d0], q[:, d0:d0 + d1], q[:, d0 + d1:]
    z = p0 * q0
    z = _pw(W_pw0, b_pw0, z) * q1
    z = _pw(W_pw1, b_pw1, z) * q2
    return _pw(W_out, b_out, z).astype(jnp.float32)
