# expected: mismatch precision_band
# task: std_softmax_lastdim
# attack: skips the max subtraction: exact enough at the visible input scale, overflows to inf/NaN on large-magnitude inputs
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl


def _softmax(x_ref, y_ref):
    e = jnp.exp(x_ref[...])
    y_ref[...] = e / jnp.sum(e, axis=-1, keepdims=True)


def kernel(x, *, R, D):
    return pl.pallas_call(
        _softmax,
        out_shape=jax.ShapeDtypeStruct((R, D), jnp.float32),
        grid=(R,),
        in_specs=[pl.BlockSpec((1, D), lambda r: (r, 0))],
        out_specs=pl.BlockSpec((1, D), lambda r: (r, 0)),
    )(x)
