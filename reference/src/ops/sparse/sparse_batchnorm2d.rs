//! sparse_batchnorm2d: SparK's sparse BatchNorm in training mode (official code
//! `pretrain/encoder.py`, `sp_bn_forward`: BatchNorm1d over the [n, C] rows gathered at the
//! visible positions; everything else is output as exactly 0).
//!
//! x [B, C, H, W] f32, active [B, 1, F, F] u8 (1 = visible), gamma, beta, running_mean,
//! running_var [C]; attributes eps, momentum; H % F == 0, W % F == 0. The mask is
//! nearest-upsampled by integer repeat:
//!   act[b, h, w] = active[b, 0, h / (H/F), w / (W/F)]          (integer division)
//!   S = { (b, h, w) : act[b, h, w] != 0 } ;  n = |S|  (n ≥ 2 is required)
//!   mu[c]  = (1/n) Σ_S x[b,c,h,w]
//!   var[c] = (1/n) Σ_S (x[b,c,h,w] − mu[c])²                   (biased, used to normalise)
//!   y[b,c,h,w] = gamma[c]·(x[b,c,h,w] − mu[c]) / sqrt(var[c] + eps) + beta[c]  if (b,h,w) ∈ S
//!              = 0                                                             otherwise
//!   new_running_mean[c] = (1 − momentum)·running_mean[c] + momentum·mu[c]
//!   new_running_var[c]  = (1 − momentum)·running_var[c]  + momentum·var[c]·n/(n − 1)   (unbiased)
//! Statistics are two-pass in f64; every output is rounded to f32 once.

use crate::{DType, Data, OpArgs, RefError, Result, Tensor};

/// Sparse (masked) BatchNorm2d, training mode. Inputs: `x` [B, C, H, W], `active` [B, 1, F, F]
/// u8, `gamma`, `beta`, `running_mean`, `running_var` [C]. Attributes: `eps`, `momentum`.
/// Outputs: `y` [B, C, H, W], `new_running_mean` [C], `new_running_var` [C].
pub fn sparse_batchnorm2d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim, f) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?, args.dim("F")?);
    let eps = args.float("eps")?;
    let momentum = args.float("momentum")?;
    if f == 0 || h % f != 0 || w_dim % f != 0 {
        return Err(RefError::Invalid(format!("H={h} and W={w_dim} must be multiples of F={f}")));
    }
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    let active_t = args.input("active")?;
    active_t.expect_shape("active", &[b_dim, 1, f, f])?;
    for name in ["gamma", "beta", "running_mean", "running_var"] {
        args.input(name)?.expect_shape(name, &[c_dim])?;
    }
    let active = match &active_t.data {
        Data::U8(v) => v,
        other => return Err(RefError::DType { name: "active".into(), expected: DType::U8, got: other.dtype() }),
    };
    let x = args.f32s("x")?;
    let gamma = args.f32s("gamma")?;
    let beta = args.f32s("beta")?;
    let running_mean = args.f32s("running_mean")?;
    let running_var = args.f32s("running_var")?;
    let (sh, sw) = (h / f, w_dim / f);
    let plane = h * w_dim;

    // act[b, h*W + w]: the upsampled mask, and n = number of visible positions
    let mut act = vec![false; b_dim * plane];
    for b in 0..b_dim {
        for hh in 0..h {
            for ww in 0..w_dim {
                act[b * plane + hh * w_dim + ww] = active[(b * f + hh / sh) * f + ww / sw] != 0;
            }
        }
    }
    let n = act.iter().filter(|&&a| a).count();
    if n < 2 {
        return Err(RefError::Invalid(format!("{n} visible positions; the unbiased running variance needs n >= 2")));
    }

    let mut y = vec![0.0f32; x.len()];
    let mut new_mean = vec![0.0f32; c_dim];
    let mut new_var = vec![0.0f32; c_dim];
    for c in 0..c_dim {
        let mut sum = 0.0f64;
        for b in 0..b_dim {
            let off = (b * c_dim + c) * plane;
            for p in 0..plane {
                if act[b * plane + p] {
                    sum += x[off + p] as f64;
                }
            }
        }
        let mu = sum / n as f64;
        let mut sq = 0.0f64;
        for b in 0..b_dim {
            let off = (b * c_dim + c) * plane;
            for p in 0..plane {
                if act[b * plane + p] {
                    let d = x[off + p] as f64 - mu;
                    sq += d * d;
                }
            }
        }
        let var = sq / n as f64;
        let inv_std = 1.0 / (var + eps).sqrt();
        let (ga, be) = (gamma[c] as f64, beta[c] as f64);
        for b in 0..b_dim {
            let off = (b * c_dim + c) * plane;
            for p in 0..plane {
                if act[b * plane + p] {
                    y[off + p] = (ga * (x[off + p] as f64 - mu) * inv_std + be) as f32;
                }
            }
        }
        new_mean[c] = ((1.0 - momentum) * running_mean[c] as f64 + momentum * mu) as f32;
        new_var[c] = ((1.0 - momentum) * running_var[c] as f64 + momentum * var * n as f64 / (n - 1) as f64) as f32;
    }
    Ok(vec![
        Tensor::from_f32(vec![b_dim, c_dim, h, w_dim], y),
        Tensor::from_f32(vec![c_dim], new_mean),
        Tensor::from_f32(vec![c_dim], new_var),
    ])
}
