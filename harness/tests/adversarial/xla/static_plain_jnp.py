# expected: static_rejected no_pallas_call
# task: relu
# attack: plain jax.numpy with no Pallas kernel at all, timed as if it were one
import jax.numpy as jnp


def kernel(x, *, N):
    return jnp.maximum(x, 0.0)
