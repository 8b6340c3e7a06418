# expected: passed -
# task: std_softmax_lastdim
# attack: none: one row per grid step with the max subtracted, reshapes outside the kernel
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl


def _softmax(x_ref, y_ref):
    x = x_ref[...]
    e = jnp.exp(x - jnp.max(x, axis=-1, keepdims=True))
    y_ref[...] = e / jnp.sum(e, axis=-1, keepdims=True)


def kernel(x, *, R, D):
    return pl.pallas_call(
        _softmax,
        out_shape=jax.ShapeDtypeStruct((R, D), jnp.float32),
        grid=(R,),
        in_specs=[pl.BlockSpec((1, D), lambda r: (r, 0))],
        out_specs=pl.BlockSpec((1, D), lambda r: (r, 0)),
    )(x)
