"""Baseline for `pat_ch_partial_gaussian_channel_attention`: PATNet PAT_ch, a 3x3 partial conv on the
first C/4 channels and a Gaussian channel gate on the rest (plain jax.numpy / lax; the XLA
platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST
N_DIV, CG, EPS = 4, 2.0, 1e-5  # attributes n_div, cg, eps


def kernel(x, w, *, B, C, H, W):
    Cp = C // N_DIV
    xp, xu = x[:, :Cp], x[:, Cp:]
    yp = lax.conv_general_dilated(xp, w, (1, 1), ((1, 1), (1, 1)),
                                  dimension_numbers=("NCHW", "OIHW", "NCHW"), precision=HI)
    g = jnp.mean(xu, axis=(2, 3))                                       # [B, Cu]
    m = jnp.mean(g, axis=1, keepdims=True)
    var = jnp.mean((g - m) ** 2, axis=1, keepdims=True)                 # = mean(g^2) - m^2
    z = (g - m) / jnp.sqrt(var + EPS)
    a = jnp.exp(-z * z * CG / 2)
    yu = xu * a[:, :, None, None]
    return jnp.concatenate([yp, yu], axis=1).astype(jnp.float32)
