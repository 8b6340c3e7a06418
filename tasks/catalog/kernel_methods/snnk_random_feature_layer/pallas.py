"""Pallas kernel for `snnk_random_feature_layer`: Y = phi(X) psi(W)^T with positive random features.

The exemplar for kernel-method (random-feature) layers on the XLA platform. Both feature maps have
the same form, feat(A)[i, r] = exp(Om[r] . A[i] - |A[i]|^2 / 2) / sqrt(M), so one traced helper
`_features` serves both. Two pallas_calls:
  1. psi = feat(W): the parameter side, [L, M], computed once in a single grid step;
  2. per tile of `block_n` token rows: phi = feat(X tile), then Y tile = phi @ psi^T. The phi tile
     lives only in registers/VMEM, so the [N, M] feature matrix is never written to memory.
The projections are matrix products contracting the shared `d` axis (dot_general with
contracting dims (1, 1), so no transposed copy of Om is needed). HIGHEST precision keeps the f32
products accurate: the default may use reduced-precision passes on some accelerators.
"""
import math

import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

MAX_BLOCK_N = 256  # token rows per grid step (a multiple of 8)

# a [rows, d] x b [cols, d] -> [rows, cols]: contract the last axis of both operands.
_CONTRACT_LAST = (((1,), (1,)), ((), ()))


def _dot_nt(a, b):
    return jax.lax.dot_general(a, b, _CONTRACT_LAST, precision=jax.lax.Precision.HIGHEST,
                               preferred_element_type=jnp.float32)


def _features(a, om):
    """feat(a)[i, r] = exp(om[r] . a[i] - 0.5 |a[i]|^2) / sqrt(M) for a [rows, d], om [M, d]."""
    proj = _dot_nt(a, om)                                # [rows, M]
    half_sq = 0.5 * jnp.sum(a * a, axis=1, keepdims=True)  # [rows, 1], broadcasts over M
    return jnp.exp(proj - half_sq) * (1.0 / math.sqrt(om.shape[0]))


def _psi_kernel(w_ref, om_ref, psi_ref):
    psi_ref[...] = _features(w_ref[...], om_ref[...])


def _layer_kernel(x_ref, om_ref, psi_ref, y_ref):
    # x_ref: (block_n, d) token tile; om_ref: (M, d); psi_ref: (L, M); y_ref: (block_n, L).
    phi = _features(x_ref[...], om_ref[...])  # (block_n, M)
    y_ref[...] = _dot_nt(phi, psi_ref[...])   # sum over r of phi[n, r] * psi[j, r]


def kernel(X, W, Om, *, N, d, L, M):
    # 1. Parameter-side features: a single step with every array as one whole block.
    psi = pl.pallas_call(
        _psi_kernel,
        grid=(1,),
        in_specs=[pl.BlockSpec((L, d), lambda i: (0, 0)),
                  pl.BlockSpec((M, d), lambda i: (0, 0))],
        out_specs=pl.BlockSpec((L, M), lambda i: (0, 0)),
        out_shape=jax.ShapeDtypeStruct((L, M), jnp.float32),
    )(W, Om)

    # 2. Token side, tiled over rows. Small N fits one full-height block (always legal); larger N
    #    is padded with zero rows up to a whole number of MAX_BLOCK_N tiles and sliced back after.
    block_n = N if N <= MAX_BLOCK_N else MAX_BLOCK_N
    padded_n = pl.cdiv(N, block_n) * block_n
    Xp = jnp.pad(X, ((0, padded_n - N), (0, 0)))
    Y = pl.pallas_call(
        _layer_kernel,
        grid=(padded_n // block_n,),
        in_specs=[pl.BlockSpec((block_n, d), lambda i: (i, 0)),  # tile i of the tokens
                  pl.BlockSpec((M, d), lambda i: (0, 0)),        # Om and psi: the same whole
                  pl.BlockSpec((L, M), lambda i: (0, 0))],       # block for every tile
        out_specs=pl.BlockSpec((block_n, L), lambda i: (i, 0)),
        out_shape=jax.ShapeDtypeStruct((padded_n, L), jnp.float32),
    )(Xp, Om, psi)
    return Y[:N]
