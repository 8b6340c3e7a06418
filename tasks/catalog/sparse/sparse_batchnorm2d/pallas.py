"""Pallas kernel for `sparse_batchnorm2d`: SparK's masked BatchNorm2d in training mode (statistics
over visible positions only, zeros elsewhere, running statistics updated).

Shape of the kernel:
- Statistics are per channel over batch AND space, so a program must see every (b, h, w) of its
  channels: the grid is 1-D over channel tiles of TC channels, and the x block is
  (B, TC, H*W) (the wrapper flattens H, W, a free reshape). TC = 8 when C is a multiple of 8,
  otherwise the full C (both satisfy the TPU second-to-last block rule; H*W is the full dim).
- The mask is shared by all channels. The wrapper nearest-upsamples `active[B, 1, F, F]` to a
  uint8 mask of shape [B, 1, H*W] (broadcast + reshape: a layout op), passed whole to every
  program; the kernel turns it into 0/1 floats and broadcasts it over the channel axis.
- In the kernel, with m the mask: n = sum(m); mu = sum(x*m)/n; var = sum(((x - mu)*m)^2)/n (two
  passes over the VMEM tile, in f32); y = gamma*(x - mu)/sqrt(var + eps) + beta where visible,
  exactly 0 elsewhere; running stats use the unbiased var * n/(n-1).
- Per-channel vectors travel as (C, 1) columns with (TC, 1) blocks (last dim = full dim 1).
"""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

EPS = 1e-5        # attribute eps
MOMENTUM = 0.1    # attribute momentum


def _sparse_bn_kernel(x_ref, m_ref, gamma_ref, beta_ref, rm_ref, rv_ref, y_ref, nrm_ref, nrv_ref):
    x = x_ref[...]                                         # (B, TC, HW)
    m = (m_ref[...] != 0).astype(jnp.float32)              # (B, 1, HW), 1.0 = visible
    n = jnp.sum(m)
    mu = jnp.sum(x * m, axis=(0, 2), keepdims=True) / n    # (1, TC, 1)
    d = (x - mu) * m
    var = jnp.sum(d * d, axis=(0, 2), keepdims=True) / n   # biased
    gamma = gamma_ref[...][None]                           # (1, TC, 1)
    beta = beta_ref[...][None]
    y = gamma * (x - mu) * jax.lax.rsqrt(var + EPS) + beta
    y_ref[...] = jnp.where(m != 0.0, y, 0.0).astype(y_ref.dtype)

    mu_c, var_c = mu[0], var[0]                            # (TC, 1)
    nrm_ref[...] = (1.0 - MOMENTUM) * rm_ref[...] + MOMENTUM * mu_c
    nrv_ref[...] = (1.0 - MOMENTUM) * rv_ref[...] + MOMENTUM * var_c * (n / (n - 1.0))


def kernel(x, active, gamma, beta, running_mean, running_var, *, B, C, H, W, F):
    sh, sw = H // F, W // F
    # act[b, 0, h*W + w] = active[b, 0, h // sh, w // sw] (nearest upsampling by repeat).
    m = jnp.broadcast_to(active[:, 0, :, None, :, None], (B, F, sh, F, sw)).reshape(B, 1, H * W)
    xf = x.reshape(B, C, H * W)
    col = lambda v: v.reshape(C, 1)

    TC = 8 if C % 8 == 0 else C
    vec = pl.BlockSpec((TC, 1), lambda c: (c, 0))
    y, nrm, nrv = pl.pallas_call(
        _sparse_bn_kernel,
        out_shape=(jax.ShapeDtypeStruct((B, C, H * W), jnp.float32),
                   jax.ShapeDtypeStruct((C, 1), jnp.float32),
                   jax.ShapeDtypeStruct((C, 1), jnp.float32)),
        grid=(C // TC,),
        in_specs=[pl.BlockSpec((B, TC, H * W), lambda c: (0, c, 0)),
                  pl.BlockSpec((B, 1, H * W), lambda c: (0, 0, 0)),
                  vec, vec, vec, vec],
        out_specs=(pl.BlockSpec((B, TC, H * W), lambda c: (0, c, 0)), vec, vec),
    )(xf, m, col(gamma), col(beta), col(running_mean), col(running_var))
    return y.reshape(B, C, H, W), nrm.reshape(C), nrv.reshape(C)
