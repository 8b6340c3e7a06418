"""Pallas kernel for `spark_masked_patch_recon_loss`: SparK's per-patch-normalised L2 loss.

The exemplar for losses (reductions to one scalar) on the XLA platform. Three ideas:
  - Patchify outside the kernel with reshape + transpose (cheap layout ops): each image becomes a
    [L, P] matrix, one row per patch (P = C*p*p values), so every per-patch statistic is a plain
    row reduction inside the kernel and each block's last two dims are full array dims (legal
    for any F and p, odd ones included).
  - Stage 1, one grid step per image: each step writes its OWN partial sums (masked error sum and
    masked-patch count) to its own output block. No two steps touch the same block, so the result
    is correct whether the backend runs grid steps in sequence or in parallel.
  - Stage 2, a single-step pallas_call: add the B partial sums and divide.
Per-patch mean and variance are two-pass (mean first, then centred squares) so f32 stays accurate.
"""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

EPS_VAR = 1e-6  # attr eps_var: inside the sqrt of the per-patch variance
EPS_DEN = 1e-8  # attr eps_den: in the denominator of the masked mean


def _partial_kernel(inp_ref, rec_ref, active_ref, num_ref, den_ref):
    # inp_ref, rec_ref: (L, P) patches of image b; active_ref: (1, L) uint8 visibility of image b;
    # num_ref, den_ref: (1, 1) partial sums of image b.
    x = inp_ref[...]
    n = x.shape[1]
    mean = jnp.mean(x, axis=1, keepdims=True)                              # (L, 1)
    centred = x - mean
    var = jnp.sum(centred * centred, axis=1, keepdims=True) / (n - 1)      # unbiased (torch.var)
    target = centred * jax.lax.rsqrt(var + EPS_VAR)                        # normalised patch
    err = rec_ref[...] - target
    e = jnp.mean(err * err, axis=1)                                        # (L,) per-patch MSE

    masked = 1.0 - active_ref[0, :].astype(jnp.float32)                    # 1 = masked patch
    num_ref[...] = jnp.sum(e * masked).reshape(1, 1)
    den_ref[...] = jnp.sum(masked).reshape(1, 1)


def _finish_kernel(num_ref, den_ref, loss_ref):
    # num_ref, den_ref: (B, 1, 1) partial sums of every image; loss_ref: (1, 1).
    loss_ref[...] = (jnp.sum(num_ref[...]) / (jnp.sum(den_ref[...]) + EPS_DEN)).reshape(1, 1)


def kernel(inp, rec, active, *, B, C, H, W, F):
    p = H // F
    L, P = F * F, C * p * p

    def patchify(t):  # [B, C, H, W] -> [B, L, P] with patch l = hi*F + wi in row l
        t = t.reshape(B, C, F, p, F, p).transpose(0, 2, 4, 1, 3, 5)
        return t.reshape(B, L, P)

    # Stage 1: per-image partial sums. `None` squeezes the batch dim away, so the kernel sees
    # (L, P), (1, L) and (1, 1) refs; the partials are kept as (B, 1, 1) so that every block's last
    # two dims are full array dims.
    per_image = pl.BlockSpec((None, 1, 1), lambda b: (b, 0, 0))
    num, den = pl.pallas_call(
        _partial_kernel,
        grid=(B,),  # one program per image
        in_specs=[
            pl.BlockSpec((None, L, P), lambda b: (b, 0, 0)),
            pl.BlockSpec((None, L, P), lambda b: (b, 0, 0)),
            pl.BlockSpec((None, 1, L), lambda b: (b, 0, 0)),
        ],
        out_specs=[per_image, per_image],
        out_shape=[jax.ShapeDtypeStruct((B, 1, 1), jnp.float32)] * 2,
    )(patchify(inp), patchify(rec), active.reshape(B, 1, L))

    # Stage 2: one program reduces the B partials (whole arrays as single blocks).
    everything = pl.BlockSpec((B, 1, 1), lambda i: (0, 0, 0))
    loss = pl.pallas_call(
        _finish_kernel,
        grid=(1,),
        in_specs=[everything, everything],
        out_specs=pl.BlockSpec((1, 1), lambda i: (0, 0)),
        out_shape=jax.ShapeDtypeStruct((1, 1), jnp.float32),
    )(num, den)
    return loss.reshape(1)
