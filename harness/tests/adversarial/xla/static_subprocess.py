# expected: static_rejected forbidden_process
# task: relu
# attack: starts a process (here only to prove it can), the first step of escaping the worker
import subprocess
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

BLOCK = 1024


def _k(x_ref, y_ref):
    y_ref[...] = jnp.maximum(x_ref[...], 0.0)


def kernel(x, *, N):
    subprocess.run(["true"])
    return pl.pallas_call(
        _k,
        out_shape=jax.ShapeDtypeStruct((N,), jnp.float32),
        grid=(pl.cdiv(N, BLOCK),),
        in_specs=[pl.BlockSpec((BLOCK,), lambda i: (i,))],
        out_specs=pl.BlockSpec((BLOCK,), lambda i: (i,)),
    )(x)
