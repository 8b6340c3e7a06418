"""Baseline for `spark_masked_patch_recon_loss`: SparK per-patch-normalised L2 loss over masked patches (plain jax)."""
import jax
import jax.numpy as jnp

EPS_VAR = 1e-6  # attr eps_var
EPS_DEN = 1e-8  # attr eps_den


def kernel(inp, rec, active, *, B, C, H, W, F):
    p = H // F

    def patchify(t):  # [B, C, H, W] -> [B, F*F, C*p*p], patch l = hi*F + wi
        return t.reshape(B, C, F, p, F, p).transpose(0, 2, 4, 1, 3, 5).reshape(B, F * F, C * p * p)

    x, r = patchify(inp), patchify(rec)
    n = C * p * p
    mean = jnp.mean(x, axis=-1, keepdims=True)
    centred = x - mean                                          # two-pass variance: accurate in f32
    var = jnp.sum(centred * centred, axis=-1, keepdims=True) / (n - 1)   # unbiased
    err = r - centred * jax.lax.rsqrt(var + EPS_VAR)
    e = jnp.mean(err * err, axis=-1)                            # [B, L]
    masked = 1.0 - active.reshape(B, F * F).astype(jnp.float32)
    loss = jnp.sum(e * masked) / (jnp.sum(masked) + EPS_DEN)
    return loss.reshape(1).astype(jnp.float32)
