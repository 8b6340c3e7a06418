"""Baseline for `filter_db_variance_entropy`: base-10 Shannon entropy of the eigenvalue spectrum of the
9x9 covariance of a layer's 3x3 filters, raw and normalised by torchconvquality's fitted maximum
(CNN Filter DB; plain jax.numpy; the XLA platform's baseline)."""
import math

import jax.numpy as jnp
from jax import lax


def kernel(w, *, O, I):
    n = O * I
    X = w.reshape(n, 9)
    Xc = X - jnp.mean(X, axis=0)
    cov = jnp.dot(Xc.T, Xc, precision=lax.Precision.HIGHEST) / (n - 1)
    lam = jnp.maximum(jnp.linalg.eigvalsh(cov), 0.0)                   # clamp round-off negatives
    tot = jnp.sum(lam)
    p = lam / jnp.where(tot == 0, 1.0, tot)
    ve = -jnp.sum(jnp.where(p > 0, p * jnp.log10(jnp.where(p > 0, p, 1.0)), 0.0))
    ve = jnp.where(tot == 0, 0.0, ve)
    vmax = 1.2618047 / (1 + math.exp(-0.88767525 * (math.log2(n) - 2.30436435))) - 0.31050834
    return ve.reshape(1).astype(jnp.float32), (ve / vmax).reshape(1).astype(jnp.float32)
