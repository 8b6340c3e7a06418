"""Baseline for `yolov13_dsconv_bn_silu`: depthwise 3x3 stride 2, pointwise 1x1, BatchNorm (running stats), SiLU (plain jax)."""
import jax
import jax.numpy as jnp

KS, STRIDE, DILATION, EPS = 3, 2, 1, 1e-3  # attrs k, stride, dilation, eps
HI = jax.lax.Precision.HIGHEST


def kernel(x, w_dw, w_pw, gamma, beta, mean, var, *, N, Cin, Cout, H, W):
    p = DILATION * (KS - 1) // 2
    t = jax.lax.conv_general_dilated(
        x, w_dw, window_strides=(STRIDE, STRIDE), padding=((p, p), (p, p)),
        rhs_dilation=(DILATION, DILATION), dimension_numbers=("NCHW", "OIHW", "NCHW"),
        feature_group_count=Cin, precision=HI)
    z = jnp.einsum("oc,nchw->nohw", w_pw, t, precision=HI)
    col = lambda v: v[None, :, None, None]
    a = (z - col(mean)) / jnp.sqrt(col(var) + EPS) * col(gamma) + col(beta)
    return jax.nn.silu(a).astype(jnp.float32)
