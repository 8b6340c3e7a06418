"""Baseline for `eca_channel_attention`: y = x * sigmoid(conv1d_k3(avgpool(x)) across channels), zero
padded at both channel ends (ECA-Net; plain jax.numpy; the XLA platform's baseline)."""
import jax
import jax.numpy as jnp

K = 3  # attribute k


def kernel(x, w, *, B, C, H, W):
    g = jnp.mean(x, axis=(2, 3))                                        # [B, C]
    half = (K - 1) // 2
    gp = jnp.pad(g, ((0, 0), (half, half)))                             # zero padding, not clamping
    # Cross-correlation: tap t multiplies channel c + t - (k-1)/2 (a static loop over k taps).
    z = sum(w[t] * gp[:, t:t + C] for t in range(K))
    return (x * jax.nn.sigmoid(z)[:, :, None, None]).astype(jnp.float32)
