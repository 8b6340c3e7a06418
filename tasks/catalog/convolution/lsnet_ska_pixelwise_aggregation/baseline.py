"""Baseline for `lsnet_ska_pixelwise_aggregation`: per-pixel 3x3 dynamic depthwise conv, kernel group c % G (plain jax)."""
import jax.numpy as jnp

KS, GROUPS = 3, 8  # attrs ks, groups


def kernel(x, Wdyn, *, N, C, H, W):
    g = C // GROUPS
    xp = jnp.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    # Channel c = r*G + q uses kernel group q: view channels as [C/G, G] so Wdyn broadcasts over r.
    xp = xp.reshape(N, C // g, g, H + 2, W + 2)
    wd = Wdyn[:, None]                                     # [N, 1, G, 9, H, W]
    y = jnp.zeros((N, C // g, g, H, W), jnp.float32)
    for kh in range(KS):
        for kw in range(KS):
            y = y + xp[..., kh:kh + H, kw:kw + W] * wd[:, :, :, kh * KS + kw]
    return y.reshape(N, C, H, W)
