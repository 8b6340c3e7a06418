"""Baseline for `matmul`: c[M, N] = a[M, K] @ b[K, N] in full f32 (plain jax.numpy; the XLA
platform's baseline)."""
import jax
import jax.numpy as jnp


def kernel(a, b, *, M, K, N):
    # HIGHEST: full f32 products (the tolerance rules out TF32-style reduced precision).
    return jnp.dot(a, b, precision=jax.lax.Precision.HIGHEST).astype(jnp.float32)
