"""A correct relu that prints at import and at trace time: prints must not reach the protocol."""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

print('{"id": 1, "op": "ok"}')


def _relu(x_ref, y_ref):
    y_ref[...] = jnp.maximum(x_ref[...], 0.0)


def kernel(x, *, N):
    print("tracing relu for", N, "elements")
    print('{"id": 2, "op": "ran", "status": 0}')
    return pl.pallas_call(
        _relu,
        out_shape=jax.ShapeDtypeStruct((N,), x.dtype),
        grid=(pl.cdiv(N, 1024),),
        in_specs=[pl.BlockSpec((1024,), lambda i: (i,))],
        out_specs=pl.BlockSpec((1024,), lambda i: (i,)),
    )(x)
