//! std_layernorm_lastdim: layer normalisation over the last axis of x [R, D] (PyTorch
//! `nn.LayerNorm(D, eps)` with elementwise affine).
//!
//! For every row r (two passes, all in f64):
//!   μ  = (1/D) Σ_d x[r, d]
//!   σ² = (1/D) Σ_d (x[r, d] − μ)²          (biased variance: divide by D, not D − 1)
//!   y[r, d] = (x[r, d] − μ) / sqrt(σ² + eps) · gamma[d] + beta[d]
//! eps is the `eps` attribute (1e-5, the PyTorch default). y is rounded to f32 once.

use crate::{OpArgs, Result, Tensor};

/// LayerNorm over the last axis. Inputs: `x` [R, D], `gamma` [D], `beta` [D].
/// Attribute: `eps`. Output: `y` [R, D].
pub fn std_layernorm_lastdim(args: &OpArgs) -> Result<Vec<Tensor>> {
    let r_dim = args.dim("R")?;
    let d_dim = args.dim("D")?;
    let eps = args.float("eps")?;
    let x = args.input("x")?;
    x.expect_shape("x", &[r_dim, d_dim])?;
    args.input("gamma")?.expect_shape("gamma", &[d_dim])?;
    args.input("beta")?.expect_shape("beta", &[d_dim])?;
    let xs = x.f32s("x")?;
    let gamma = args.f32s("gamma")?;
    let beta = args.f32s("beta")?;

    let mut y = vec![0.0f32; r_dim * d_dim];
    for r in 0..r_dim {
        let row = &xs[r * d_dim..(r + 1) * d_dim];
        // pass 1: mean
        let mut sum = 0.0f64;
        for &v in row {
            sum += v as f64;
        }
        let mean = sum / d_dim as f64;
        // pass 2: biased variance around the mean
        let mut sq = 0.0f64;
        for &v in row {
            let c = v as f64 - mean;
            sq += c * c;
        }
        let var = sq / d_dim as f64;
        let inv_std = 1.0 / (var + eps).sqrt();
        for d in 0..d_dim {
            let normed = (row[d] as f64 - mean) * inv_std;
            y[r * d_dim + d] = (normed * gamma[d] as f64 + beta[d] as f64) as f32;
        }
    }
    Ok(vec![Tensor::from_f32(vec![r_dim, d_dim], y)])
}
