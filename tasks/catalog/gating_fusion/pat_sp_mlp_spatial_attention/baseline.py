"""Baseline for `pat_sp_mlp_spatial_attention`: PATNet PAT_sp, a FasterNet MLP (1x1, folded BN, exact
GELU, 1x1) gated by a sigmoid 1x1-conv spatial map of the hidden features (plain jax.numpy; the
XLA platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST


def kernel(x, w1, s1, t1, w2, ws, bs, *, B, C, H, W):
    col = lambda v: v[None, :, None, None]
    pre = col(s1) * jnp.einsum("ec,bchw->behw", w1, x, precision=HI) + col(t1)
    h = jax.nn.gelu(pre, approximate=False)                            # exact erf GELU
    sp = jax.nn.sigmoid(jnp.einsum("e,behw->bhw", ws[0], h, precision=HI) + bs[0])
    y = sp[:, None] * jnp.einsum("ce,behw->bchw", w2, h, precision=HI)
    return y.astype(jnp.float32)
