"""Baseline for `snnk_random_feature_layer`: Y = phi(X) psi(W)^T with Performer positive random features (plain jax)."""
import math

import jax
import jax.numpy as jnp

HI = jax.lax.Precision.HIGHEST


def _features(a, om):
    """exp(a @ om^T - |a|^2 / 2) / sqrt(M) for rows a [rows, d] and projections om [M, d]."""
    proj = jnp.dot(a, om.T, precision=HI)
    return jnp.exp(proj - 0.5 * jnp.sum(a * a, axis=1, keepdims=True)) / math.sqrt(om.shape[0])


def kernel(X, W, Om, *, N, d, L, M):
    return jnp.dot(_features(X, Om), _features(W, Om).T, precision=HI).astype(jnp.float32)
