"""Baseline for `spartan_smixer`: SpaRTAN spatial mixer (1x1 + detail boost, two 3x3 branches with SE gates, 1x1 out) (plain jax)."""
import jax
import jax.numpy as jnp

DW = 0  # attr dw: 0 = dense 3x3 convs (groups 1), 1 = depthwise
HI = jax.lax.Precision.HIGHEST


def _pw(w, z):  # 1x1 conv with [out, in] weights
    return jnp.einsum("oc,bchw->bohw", w, z, precision=HI)


def _conv3(z, w, dil, groups):
    return jax.lax.conv_general_dilated(
        z, w, window_strides=(1, 1), padding=((dil, dil), (dil, dil)), rhs_dilation=(dil, dil),
        dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=groups, precision=HI)


def _se(z, wsq, bsq, wex, bex):
    p = jnp.mean(z, axis=(2, 3))                                       # [B, Ci]
    r = jnp.maximum(jnp.dot(p, wsq.T, precision=HI) + bsq, 0.0)        # [B, Cr]
    a = jax.nn.sigmoid(jnp.dot(r, wex.T, precision=HI) + bex)          # [B, Ci]
    return z * a[:, :, None, None]


def _bn_gelu(z, s, t):
    return jax.nn.gelu(s[None, :, None, None] * z + t[None, :, None, None], approximate=False)


def kernel(x, w_in, b_in, gamma, w_h, s_h, t_h, w_l1, w_l2, s_l, t_l, wsq_h, bsq_h, wex_h, bex_h,
           wsq_l, bsq_l, wex_l, bex_l, w_out, b_out, *, B, C, H, W):
    ci = C // 2
    groups = ci if DW else 1
    y = _pw(w_in, x) + b_in[None, :, None, None]
    y = y + gamma[None, :, None, None] * (y - jnp.mean(y, axis=(2, 3), keepdims=True))  # detail boost
    hb = _bn_gelu(_conv3(y, w_h, 1, groups), s_h, t_h)
    lb = _bn_gelu(_conv3(_conv3(y, w_l1, 2, groups), w_l2, 2, groups), s_l, t_l)
    cat = jnp.concatenate([_se(hb, wsq_h, bsq_h, wex_h, bex_h), _se(lb, wsq_l, bsq_l, wex_l, bex_l)], axis=1)
    return (_pw(w_out, cat) + b_out[None, :, None, None]).astype(jnp.float32)
