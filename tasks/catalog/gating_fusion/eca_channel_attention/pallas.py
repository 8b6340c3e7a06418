"""Pallas kernel for `eca_channel_attention`: ECA gate (pool, 3-tap channel conv, sigmoid, rescale).

Shape of the kernel:
- The gate of channel c needs the pooled means of channels c-1, c, c+1, so one program handles a
  whole image: the grid is `(B,)` and program b sees x[b] as a (C, H*W) tile (the wrapper
  flattens H, W into one axis, a free reshape). Both block dims equal the full array dims, so
  the block is legal on TPU for any C, H, W.
- Inside the kernel: row sums give g[c] (mean over H*W), the 3-tap cross-correlation across
  channels is written as a banded (C, C) weight matrix built from iotas (band[c, c'] = w[c'-c+1]
  for |c' - c| <= 1, else 0; entries outside [0, C) simply do not exist, which is the zero
  padding), then sigmoid and a broadcast multiply write the output tile. x is read once from
  HBM: the pool and the rescale use the same VMEM tile.
- `w` (3 floats) is passed whole to every program.
"""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

K = 3  # taps of the channel convolution (attribute k)


def _eca_kernel(x_ref, w_ref, y_ref):
    x = x_ref[...]                                   # (C, HW) for one image
    C, HW = x.shape
    g = jnp.sum(x, axis=1) * (1.0 / HW)              # (C,) global average pool

    # band[c, c'] = w[c' - c + (K-1)/2] when that tap exists, else 0.
    row = jax.lax.broadcasted_iota(jnp.int32, (C, C), 0)
    col = jax.lax.broadcasted_iota(jnp.int32, (C, C), 1)
    off = col - row + (K - 1) // 2
    w = w_ref[...]
    band = jnp.zeros((C, C), jnp.float32)
    for t in range(K):                               # K = 3 static taps
        band = jnp.where(off == t, w[t], band)
    z = jnp.sum(band * g[None, :], axis=1)           # (C,) z[c] = sum_t w[t] g[c + t - 1]

    gate = 1.0 / (1.0 + jnp.exp(-z))
    y_ref[...] = (x * gate[:, None]).astype(y_ref.dtype)


def kernel(x, w, *, B, C, H, W):
    xf = x.reshape(B, C, H * W)                      # layout only: contiguous NCHW
    yf = pl.pallas_call(
        _eca_kernel,
        out_shape=jax.ShapeDtypeStruct((B, C, H * W), jnp.float32),
        grid=(B,),
        in_specs=[
            # `None` squeezes the batch axis: the kernel sees a (C, H*W) ref.
            pl.BlockSpec((None, C, H * W), lambda b: (b, 0, 0)),
            pl.BlockSpec((K,), lambda b: (0,)),
        ],
        out_specs=pl.BlockSpec((None, C, H * W), lambda b: (b, 0, 0)),
    )(xf, w)
    return yf.reshape(B, C, H, W)
