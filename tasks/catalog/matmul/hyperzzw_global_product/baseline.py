"""Baseline for `hyperzzw_global_product`: Y[b, c] = (x[b, c] * Hk[c]) @ V[b, c], B*C small square
matmuls (HyperZ.Z.W global branch; plain jax.numpy; the XLA platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax


def kernel(x, V, Hk, *, B, C, S):
    Z = x * Hk[None]
    return jnp.matmul(Z, V, precision=lax.Precision.HIGHEST).astype(jnp.float32)
