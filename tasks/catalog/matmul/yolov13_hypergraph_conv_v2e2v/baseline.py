"""Baseline for `yolov13_hypergraph_conv_v2e2v`: YOLOv13 AdaHGConv, vertex -> hyperedge aggregation,
Linear + GELU, hyperedge -> vertex dissemination, Linear + GELU, residual (plain jax.numpy; the
XLA platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST


def kernel(X, A, We, be, Wn, bn, *, B, Nv, D, M):
    gelu = lambda t: jax.nn.gelu(t, approximate=False)                  # exact erf form
    E = jnp.einsum("bvm,bvf->bmf", A, X, precision=HI)
    He = gelu(jnp.einsum("bmf,ef->bme", E, We, precision=HI) + be)
    G = jnp.einsum("bvm,bmf->bvf", A, He, precision=HI)
    Y = gelu(jnp.einsum("bvf,ef->bve", G, Wn, precision=HI) + bn) + X
    return Y.astype(jnp.float32)
