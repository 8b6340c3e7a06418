"""Baseline for `sparse_masked_conv2d`: SparK sparse conv, a dense 3x3 conv (stride 1, pad 1, bias)
re-masked to the visible cells at the output resolution (plain jax.numpy / lax; the XLA platform's
baseline)."""
import jax.numpy as jnp
from jax import lax


def kernel(x, active, w, b, *, B, Cin, Cout, H, W, F):
    conv = lax.conv_general_dilated(x, w, (1, 1), ((1, 1), (1, 1)),
                                    dimension_numbers=("NCHW", "OIHW", "NCHW"),
                                    precision=lax.Precision.HIGHEST) + b[None, :, None, None]
    # act[b, i, j] = active[b, 0, i // (Ho/F), j // (Wo/F)]; Ho = H, Wo = W here.
    act = jnp.repeat(jnp.repeat(active[:, 0] != 0, H // F, axis=1), W // F, axis=2)
    return jnp.where(act[:, None], conv, 0.0).astype(jnp.float32)
