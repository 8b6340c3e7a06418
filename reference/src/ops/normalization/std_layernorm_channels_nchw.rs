//! std_layernorm_channels_nchw: layer normalisation over the channel axis of an NCHW tensor
//! (timm `LayerNorm2d` / ConvNeXt `channels_first` LayerNorm semantics).
//!
//! x [B, C, H, W], gamma [C], beta [C]; attribute `eps` (1e-6) → y [B, C, H, W]. For every
//! pixel (b, h, w), over the C values x[b, 0..C, h, w] (strided by H·W in memory):
//!   μ[b, h, w]  = (1/C) Σ_c x[b, c, h, w]
//!   σ²[b, h, w] = (1/C) Σ_c (x[b, c, h, w] − μ[b, h, w])²        (biased: divide by C)
//!   y[b, c, h, w] = (x[b, c, h, w] − μ[b, h, w]) / sqrt(σ²[b, h, w] + eps) · gamma[c] + beta[c]
//! Statistics are per pixel (not per group or per image); the affine is per channel. Mean and
//! variance are two-pass in f64; y is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Channel LayerNorm on NCHW. Inputs: `x` [B, C, H, W], `gamma` [C], `beta` [C].
/// Attribute: `eps`. Output: `y` [B, C, H, W].
pub fn std_layernorm_channels_nchw(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let eps = args.float("eps")?;
    if c_dim == 0 {
        return Err(RefError::Invalid("C must be positive".into()));
    }
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    args.input("gamma")?.expect_shape("gamma", &[c_dim])?;
    args.input("beta")?.expect_shape("beta", &[c_dim])?;
    let x = args.f32s("x")?;
    let gamma = args.f32s("gamma")?;
    let beta = args.f32s("beta")?;
    let plane = h * w_dim;

    let mut y = vec![0.0f32; x.len()];
    for b in 0..b_dim {
        for p in 0..plane {
            // element (b, c, p) lives at (b*C + c)*H*W + p
            let at = |c: usize| (b * c_dim + c) * plane + p;
            // pass 1: mean over channels
            let mut sum = 0.0f64;
            for c in 0..c_dim {
                sum += x[at(c)] as f64;
            }
            let mean = sum / c_dim as f64;
            // pass 2: biased variance
            let mut sq = 0.0f64;
            for c in 0..c_dim {
                let d = x[at(c)] as f64 - mean;
                sq += d * d;
            }
            let inv_std = 1.0 / (sq / c_dim as f64 + eps).sqrt();
            for c in 0..c_dim {
                y[at(c)] = ((x[at(c)] as f64 - mean) * inv_std * gamma[c] as f64 + beta[c] as f64) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, h, w_dim], y)])
}
