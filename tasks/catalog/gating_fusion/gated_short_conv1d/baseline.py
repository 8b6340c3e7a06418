"""Baseline for `gated_short_conv1d`: LFM2 ShortConv (in-proj to B, C, x; B*x; causal depthwise conv
of length 3; C gate; out-proj) (plain jax.numpy; the XLA platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST
LC = 3  # attribute L: conv length


def kernel(x, w_in, w_conv, w_out, *, B, T, D):
    z = jnp.einsum("btf,rf->btr", x, w_in, precision=HI)               # [B, T, 3D]
    Bg, Cg, xv = z[..., :D], z[..., D:2 * D], z[..., 2 * D:]
    g = Bg * xv
    gp = jnp.pad(g, ((0, 0), (LC - 1, 0), (0, 0)))                      # causal: zeros before t = 0
    # c[t] = sum_j w_conv[:, j] * g[t - (L-1) + j]; a static loop over the L taps.
    c = sum(w_conv[:, j] * gp[:, j:j + T, :] for j in range(LC))
    yv = Cg * c
    out = jnp.einsum("btd,ed->bte", yv, w_out, precision=HI)
    return out.astype(jnp.float32)
