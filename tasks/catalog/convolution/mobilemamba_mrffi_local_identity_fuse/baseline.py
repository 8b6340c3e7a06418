"""Baseline for `mobilemamba_mrffi_local_identity_fuse`: MRFFI local dwconv branch, concat with global/identity, ReLU, 1x1 (plain jax)."""
import jax
import jax.numpy as jnp

KS = 3  # attr k
HI = jax.lax.Precision.HIGHEST


def kernel(x, g, w_l, b_l, s_l, t_l, w_p, b_p, *, B, C, Cg, Cl, H, W):
    p = KS // 2
    conv = jax.lax.conv_general_dilated(
        x[:, Cg:Cg + Cl], w_l, window_strides=(1, 1), padding=((p, p), (p, p)),
        dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=Cl, precision=HI)
    loc = (s_l[None, :, None, None] * jnp.maximum(conv + b_l[None, :, None, None], 0.0)
           + t_l[None, :, None, None])
    cat = jnp.concatenate([g, loc, x[:, Cg + Cl:]], axis=1)
    y = jnp.einsum("oc,bchw->bohw", w_p, jnp.maximum(cat, 0.0), precision=HI)
    return (y + b_p[None, :, None, None]).astype(jnp.float32)
