"""Baseline for `hyperzzw_magnet_hyperkernel`: MAGNet_G multiplicative filter net on a K x K grid (plain jax)."""
import jax
import jax.numpy as jnp

HI = jax.lax.Precision.HIGHEST


def kernel(Wf, bf, Wl, bl, Wo, bo, bias_p, *, C, Hd, K, L):
    # Coordinate grid in [-1, 1]^2 (meshgrid 'ij'), flattened to P = K*K positions p = i*K + j.
    lin = -1.0 + 2.0 * jnp.arange(K, dtype=jnp.float32) / (K - 1)
    g0 = jnp.repeat(lin, K)  # row coordinate of position p
    g1 = jnp.tile(lin, K)    # column coordinate of position p

    # All L+1 sine filters at once: filt[f, h, p].
    filt = jnp.sin(Wf[:, :, 0:1] * g0 + Wf[:, :, 1:2] * g1 + bf[:, :, None])
    bias = bias_p.reshape(1, K * K)

    out = filt[0]  # [Hd, P]
    for l in range(L):  # L is a handful of layers: a static loop
        lin_l = jnp.dot(Wl[l], out, precision=HI) + bl[l][:, None]
        out = filt[l + 1] * lin_l + bias
    hk = jnp.dot(Wo, out, precision=HI) + bo[:, None]  # [C, P]
    return hk.reshape(C, K, K).astype(jnp.float32)
