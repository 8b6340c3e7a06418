"""Baseline for `dsconv_dw_pw_bn_act`: depthwise 3x3 + folded BN + hardswish, 1x1 + folded BN + hardswish (plain jax)."""
import jax
import jax.numpy as jnp

KS, STRIDE, DILATION = 3, 1, 1  # attrs k, stride, dilation
HI = jax.lax.Precision.HIGHEST


def _hardswish(a):
    return a * jnp.clip(a + 3.0, 0.0, 6.0) / 6.0


def kernel(x, w_dw, s_dw, t_dw, w_pw, s, t, *, B, Cin, Cout, H, W):
    p = DILATION * (KS - 1) // 2
    u = jax.lax.conv_general_dilated(
        x, w_dw, window_strides=(STRIDE, STRIDE), padding=((p, p), (p, p)),
        rhs_dilation=(DILATION, DILATION), dimension_numbers=("NCHW", "OIHW", "NCHW"),
        feature_group_count=Cin, precision=HI)
    v = _hardswish(s_dw[None, :, None, None] * u + t_dw[None, :, None, None])
    z = jnp.einsum("oc,bchw->bohw", w_pw, v, precision=HI)
    return _hardswish(s[None, :, None, None] * z + t[None, :, None, None]).astype(jnp.float32)
