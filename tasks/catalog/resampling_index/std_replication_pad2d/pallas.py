"""Pallas kernel for `std_replication_pad2d`: edge-replicating pad of every H x W plane by p = 3.

Shape of the kernel:
- One program per (b, c) plane: grid (B, C); the input block is the whole (H, W) plane and the
  output block the whole (Ho, Wo) = (H + 6, W + 6) plane (full last two dims, so legal for any
  size; batch and channel axes are squeezed with `None`).
- The clamp rule y[i, j] = x[clamp(i - p, 0, H-1), clamp(j - p, 0, W-1)] splits into regions
  that the kernel writes with static slices of the output ref: first the H middle rows (left
  edge column repeated p times, the plane, right edge column repeated p times), then the p top
  rows copy padded row p and the p bottom rows copy padded row p + H - 1. This also holds when
  H or W is smaller than p (with W = 2: x0 x0 x0 x0 x1 x1 x1 x1). Pure copies: results are exact.
"""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

P = 3  # attribute p


def _pad_kernel(x_ref, y_ref):
    x = x_ref[...]                                        # (H, W)
    H, W = x.shape
    Wo = W + 2 * P
    # Middle rows: left edge, the plane itself, right edge.
    y_ref[P:P + H, 0:P] = jnp.broadcast_to(x[:, 0:1], (H, P))
    y_ref[P:P + H, P:P + W] = x
    y_ref[P:P + H, P + W:Wo] = jnp.broadcast_to(x[:, W - 1:W], (H, P))
    # Top and bottom rows repeat the first and last padded rows (corners included).
    y_ref[0:P, :] = jnp.broadcast_to(y_ref[P:P + 1, :], (P, Wo))
    y_ref[P + H:P + H + P, :] = jnp.broadcast_to(y_ref[P + H - 1:P + H, :], (P, Wo))


def kernel(x, *, B, C, H, W):
    Ho, Wo = H + 2 * P, W + 2 * P
    return pl.pallas_call(
        _pad_kernel,
        out_shape=jax.ShapeDtypeStruct((B, C, Ho, Wo), x.dtype),
        grid=(B, C),
        in_specs=[pl.BlockSpec((None, None, H, W), lambda b, c: (b, c, 0, 0))],
        out_specs=pl.BlockSpec((None, None, Ho, Wo), lambda b, c: (b, c, 0, 0)),
    )(x)
