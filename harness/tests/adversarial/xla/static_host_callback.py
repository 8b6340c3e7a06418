# expected: static_rejected forbidden_host_callback
# task: relu
# attack: computes on the host in numpy through a callback, outside anything XLA or Pallas does
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

BLOCK = 1024

import numpy as np


def _host(v):
    return np.maximum(v, 0).astype(np.float32)


def _k(x_ref, y_ref):
    y_ref[...] = x_ref[...]


def kernel(x, *, N):
    y = jax.pure_callback(_host, jax.ShapeDtypeStruct((N,), jnp.float32), x)
    return pl.pallas_call(_k, out_shape=jax.ShapeDtypeStruct((N,), jnp.float32))(y)
