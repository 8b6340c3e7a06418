//! grn_global_response_norm: Global Response Normalization (ConvNeXt V2 GRN, as used in every
//! UniRepLKNet FFN: official code `unireplknet.py::GRNwithNHWC`).
//!
//! x [N, H, W, C] channels-last (NHWC), gamma [C], beta [C] → y [N, H, W, C]:
//!   G[n, c]          = sqrt( Σ_{h,w} x[n, h, w, c]² )              L2 norm over space, per channel
//!   Nx[n, c]         = G[n, c] / ( (1/C) Σ_{c'} G[n, c'] + eps )     eps = 1e-6 added to the mean,
//!                                                                    NOT inside the sqrt
//!   y[n, h, w, c]    = (gamma[c] · Nx[n, c] + 1) · x[n, h, w, c] + beta[c]
//! (the official code writes this as gamma·(x·Nx) + beta + x). Sums of squares, norms and Nx are
//! in f64; y is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Global response normalisation. Inputs: `x` [N, H, W, C], `gamma` [C], `beta` [C].
/// Attribute: `eps`. Output: `y` [N, H, W, C].
pub fn grn_global_response_norm(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, h, w_dim, c_dim) = (args.dim("N")?, args.dim("H")?, args.dim("W")?, args.dim("C")?);
    let eps = args.float("eps")?;
    if c_dim == 0 {
        return Err(RefError::Invalid("C must be positive (the channel mean is undefined)".into()));
    }
    args.input("x")?.expect_shape("x", &[n_dim, h, w_dim, c_dim])?;
    args.input("gamma")?.expect_shape("gamma", &[c_dim])?;
    args.input("beta")?.expect_shape("beta", &[c_dim])?;
    let x = args.f32s("x")?;
    let gamma = args.f32s("gamma")?;
    let beta = args.f32s("beta")?;
    let plane = h * w_dim;

    let mut y = vec![0.0f32; x.len()];
    let mut gn = vec![0.0f64; c_dim];
    for n in 0..n_dim {
        let base = n * plane * c_dim;
        // 1) per-channel sum of squares over all H·W positions (element (p, c) at base + p*C + c)
        gn.iter_mut().for_each(|v| *v = 0.0);
        for p in 0..plane {
            for c in 0..c_dim {
                let v = x[base + p * c_dim + c] as f64;
                gn[c] += v * v;
            }
        }
        gn.iter_mut().for_each(|v| *v = v.sqrt());
        // 2) divisive normalisation by the channel mean of the norms
        let mean: f64 = gn.iter().sum::<f64>() / c_dim as f64;
        let denom = mean + eps;
        // 3) y = (gamma·Nx + 1)·x + beta
        for p in 0..plane {
            for c in 0..c_dim {
                let scale = gamma[c] as f64 * (gn[c] / denom) + 1.0;
                let i = base + p * c_dim + c;
                y[i] = (scale * x[i] as f64 + beta[c] as f64) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, h, w_dim, c_dim], y)])
}
