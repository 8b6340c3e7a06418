"""Baseline for `filter_db_sparsity`: share of 3x3 filters whose 9 taps are all below 1% of the
layer's max |w| (strict), plus the per-filter mask (CNN Filter DB; plain jax.numpy; the XLA
platform's baseline)."""
import jax.numpy as jnp

EPS_REL = 0.01  # attribute eps_rel


def kernel(w, *, O, I):
    a = jnp.abs(w)
    m = jnp.max(a)
    t = jnp.where(m == 0, 1.0, jnp.float32(EPS_REL) * m)                # one layer-wide threshold
    sparse = jnp.all(a < t, axis=(2, 3)).astype(jnp.float32)            # [O, I]
    sparsity = (jnp.sum(sparse) / (O * I)).reshape(1)
    return sparsity.astype(jnp.float32), sparse
