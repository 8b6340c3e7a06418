"""Baseline for `filter_db_distribution_drift`: explained-variance-weighted symmetric KL divergence
between per-component 70-bin histograms of the PCA coefficients of two groups of max-abs-scaled
3x3 filters (CNN Filter DB; plain jax.numpy; the XLA platform's baseline).

x64 is off, so the coefficients are computed in f32 (HIGHEST-precision matmul): a coefficient
within f32 round-off of a bin edge can land in the neighbouring bin, which the task tolerance
absorbs for a handful of values."""
import jax
import jax.numpy as jnp
from jax import lax

BINS = 70                       # attribute bins
F32_EPS = 1.1920929e-07         # float32 eps, substituted for empty density bins


def _coef(X, V, mu):
    m = jnp.max(jnp.abs(X), axis=1, keepdims=True)
    s = X / jnp.where(m == 0, 1.0, m)                                   # all-zero filter: / 1
    return jnp.dot(s - mu, V.T, precision=lax.Precision.HIGHEST)        # [n, 9]


def _dist(coef, lo, width):
    """[9, BINS] normalised densities of each component's coefficients (numpy.histogram rule)."""
    n = coef.shape[0]
    b = jnp.clip(jnp.floor((coef - lo) / width).astype(jnp.int32), 0, BINS - 1)   # [n, 9]
    cnt = jnp.sum(jax.nn.one_hot(b, BINS, dtype=jnp.float32), axis=0)               # [9, BINS]
    h = cnt / (n * width)
    h = jnp.where(h == 0, F32_EPS, h)
    return h / jnp.sum(h, axis=1, keepdims=True)


def kernel(Xp, Xq, V, mu, r, *, NP, NQ):
    cp, cq = _coef(Xp, V, mu), _coef(Xq, V, mu)
    lo = jnp.minimum(jnp.min(cp), jnp.min(cq))
    hi = jnp.maximum(jnp.max(cp), jnp.max(cq))
    width = (hi - lo) / BINS
    P, Q = _dist(cp, lo, width), _dist(cq, lo, width)
    kl = jnp.sum((P - Q) * jnp.log(P / Q), axis=1)                      # KL(P||Q) + KL(Q||P)
    return jnp.sum(r * kl).reshape(1).astype(jnp.float32)
