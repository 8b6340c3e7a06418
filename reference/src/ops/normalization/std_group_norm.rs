//! std_group_norm: group normalisation (PyTorch `nn.GroupNorm(groups, C, eps)` semantics).
//!
//! x [B, C, H, W], gamma [C], beta [C]; attributes `groups` (G, with C % G == 0) and `eps`
//! → y [B, C, H, W]. With Cg = C / G, for every image b and group g the statistics run over
//! the Cg·H·W values of channels c ∈ [g·Cg, (g+1)·Cg):
//!   mean[b, g] = (1/(Cg·H·W)) Σ_{c in group g, h, w} x[b, c, h, w]
//!   var[b, g]  = (1/(Cg·H·W)) Σ_{c in group g, h, w} (x[b, c, h, w] − mean[b, g])²   (biased)
//!   y[b, c, h, w] = (x[b, c, h, w] − mean[b, g]) / sqrt(var[b, g] + eps) · gamma[c] + beta[c]
//! The affine is per CHANNEL, not per group. Mean and variance are two-pass in f64; y is
//! rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Group normalisation. Inputs: `x` [B, C, H, W], `gamma` [C], `beta` [C].
/// Attributes: `groups`, `eps`. Output: `y` [B, C, H, W].
pub fn std_group_norm(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let groups = args.uint("groups")?;
    let eps = args.float("eps")?;
    if groups == 0 || c_dim % groups != 0 {
        return Err(RefError::Invalid(format!("C={c_dim} must be a positive multiple of groups={groups}")));
    }
    if c_dim * h * w_dim == 0 {
        return Err(RefError::Invalid("C·H·W must be positive".into()));
    }
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    args.input("gamma")?.expect_shape("gamma", &[c_dim])?;
    args.input("beta")?.expect_shape("beta", &[c_dim])?;
    let x = args.f32s("x")?;
    let gamma = args.f32s("gamma")?;
    let beta = args.f32s("beta")?;
    let plane = h * w_dim;
    let cg = c_dim / groups;
    let count = (cg * plane) as f64;

    let mut y = vec![0.0f32; x.len()];
    for b in 0..b_dim {
        for g in 0..groups {
            // channels g*Cg .. (g+1)*Cg of image b are one contiguous block of Cg*H*W values
            let start = (b * c_dim + g * cg) * plane;
            let src = &x[start..][..cg * plane];
            let mean: f64 = src.iter().map(|&v| v as f64).sum::<f64>() / count;
            let var: f64 = src.iter().map(|&v| (v as f64 - mean) * (v as f64 - mean)).sum::<f64>() / count;
            let inv_std = 1.0 / (var + eps).sqrt();
            for ci in 0..cg {
                let c = g * cg + ci;
                let (ga, be) = (gamma[c] as f64, beta[c] as f64);
                let off = start + ci * plane;
                for p in 0..plane {
                    y[off + p] = ((x[off + p] as f64 - mean) * inv_std * ga + be) as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, h, w_dim], y)])
}
