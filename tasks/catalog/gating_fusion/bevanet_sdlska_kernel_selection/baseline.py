"""Baseline for `bevanet_sdlska_kernel_selection`: BEVANet SDLSKA (5x5 depthwise, dilated 1x7 / 7x1
depthwise) with CKS channel and spatial branch selection and a 1x1 projection gating x (plain
jax.numpy / lax convolutions; the XLA platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST
S, K2, DIL = 5, 7, 3  # attributes s, k2, d (K = 23)


def _conv(x, w, padding, groups=1, dilation=(1, 1)):
    return lax.conv_general_dilated(
        x, w, window_strides=(1, 1), padding=padding, rhs_dilation=dilation,
        dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=groups, precision=HI)


def kernel(x, ws, bs, wh, bh, wv, bv, Wr, br, dr, drb, bnr_scale, bnr_shift, We, be, de, deb,
           bne_scale, bne_shift, Wsq, bsq, wp, bp, *, N, C, H, W):
    ph = DIL * (K2 - 1) // 2  # 9: same-size padding of the dilated 1-D convs
    As = _conv(x, ws, ((S // 2, S // 2), (S // 2, S // 2)), groups=C) + bs[None, :, None, None]
    Ah = _conv(As, wh, ((0, 0), (ph, ph)), groups=C, dilation=(1, DIL)) + bh[None, :, None, None]
    Av = _conv(As, wv, ((ph, ph), (0, 0)), groups=C, dilation=(DIL, 1)) + bv[None, :, None, None]
    Ssum = As + Ah + Av

    # Channel selection: pooled descriptor -> reduce MLP -> per-branch channel weights. On a 1x1
    # map each 3x3 depthwise conv (pad 1) reduces to its centre tap.
    g = jnp.mean(Ssum, axis=(2, 3))                                           # [N, C]
    r = jnp.dot(g, Wr.T, precision=HI) + br                                   # [N, Ch]
    z = jax.nn.relu(bnr_scale * (dr[:, 0, 1, 1] * r + drb) + bnr_shift)
    e = jnp.einsum("eck,nk->nec", We, z, precision=HI) + be                   # [N, 3, C]
    ce = jax.nn.sigmoid(jax.nn.relu(bne_scale * (de[:, :, 1, 1] * e + deb) + bne_shift))

    # Spatial selection: channel mean / max -> 7x7 conv -> one map per branch.
    m = jnp.stack([jnp.mean(Ssum, axis=1), jnp.max(Ssum, axis=1)], axis=1)    # [N, 2, H, W]
    q = jax.nn.sigmoid(_conv(m, Wsq, ((3, 3), (3, 3))) + bsq[None, :, None, None])  # [N, 3, H, W]

    attn = (As * ce[:, 0, :, None, None] * q[:, 0:1]
            + Ah * ce[:, 1, :, None, None] * q[:, 1:2]
            + Av * ce[:, 2, :, None, None] * q[:, 2:3])
    proj = jnp.einsum("oc,nchw->nohw", wp, attn, precision=HI) + bp[None, :, None, None]
    return (x * proj).astype(jnp.float32)
