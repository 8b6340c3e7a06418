"""Pallas kernel for `max_pool2d`: PyTorch nn.MaxPool2d(3, stride=2, padding=1) on NCHW f32.

The exemplar for pooling on the XLA platform. Pooling is independent per (n, c) plane, so the
planes are flattened into one axis and each grid step takes a stack of PLANES planes. The spatial
padding is done once outside the kernel with -inf (a cheap layout op), which is exactly PyTorch's
rule that padded positions never win the max; then the window for output (i, j) starts at
(i*STRIDE, j*STRIDE) of the padded plane, with no bounds checks. For each of the kernel*kernel
window offsets (u, v), one strided slice pl.ds(u, Ho, STRIDE) x pl.ds(v, Wo, STRIDE) gathers that
offset's value for every output at once, and the result is the elementwise max of those slices.
"""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

KERNEL, STRIDE, PAD = 3, 2, 1  # attributes of the task
PLANES = 8                     # (n, c) planes per grid step


def _make_pool_kernel(Ho, Wo):
    def pool_kernel(x_ref, y_ref):
        # x_ref: (PLANES, Hp, Wp) padded planes; y_ref: (PLANES, Ho, Wo).
        m = None
        for u in range(KERNEL):
            for v in range(KERNEL):
                # rows u, u+STRIDE, ..., u+(Ho-1)*STRIDE and the same for columns.
                tap = x_ref[:, pl.ds(u, Ho, STRIDE), pl.ds(v, Wo, STRIDE)]
                m = tap if m is None else jnp.maximum(m, tap)
        y_ref[...] = m

    return pool_kernel


def kernel(x, *, N, C, H, W):
    Ho = (H + 2 * PAD - KERNEL) // STRIDE + 1
    Wo = (W + 2 * PAD - KERNEL) // STRIDE + 1
    Hp, Wp = H + 2 * PAD, W + 2 * PAD

    # Planes as one axis, padded up to a whole number of PLANES-sized blocks (the extra planes are
    # sliced off below); the spatial border is -inf so it never wins a max.
    planes = N * C
    blocks = pl.cdiv(planes, PLANES)
    xp = jnp.pad(x.reshape(planes, H, W),
                 ((0, blocks * PLANES - planes), (PAD, PAD), (PAD, PAD)),
                 constant_values=-jnp.inf)

    y = pl.pallas_call(
        _make_pool_kernel(Ho, Wo),
        grid=(blocks,),
        # The last two block dims are the full plane, which is legal for any H and W.
        in_specs=[pl.BlockSpec((PLANES, Hp, Wp), lambda i: (i, 0, 0))],
        out_specs=pl.BlockSpec((PLANES, Ho, Wo), lambda i: (i, 0, 0)),
        out_shape=jax.ShapeDtypeStruct((blocks * PLANES, Ho, Wo), jnp.float32),
    )(xp)
    return y[:planes].reshape(N, C, Ho, Wo)
