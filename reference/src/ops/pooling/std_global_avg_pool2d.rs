//! std_global_avg_pool2d: global average pooling (PyTorch `AdaptiveAvgPool2d(1)`, flattened).
//!
//! x [B, C, H, W] → g [B, C]:
//!   g[b, c] = (1/(H·W)) Σ_{h<H, w<W} x[b, c, h, w]
//! The sum over each plane is accumulated in f64 and divided once; g is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Global average pool. Input: `x` [B, C, H, W]. Output: `g` [B, C].
pub fn std_global_avg_pool2d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    if h * w_dim == 0 {
        return Err(RefError::Invalid("H·W must be positive (the mean over an empty plane is undefined)".into()));
    }
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    let x = args.f32s("x")?;
    let plane = h * w_dim;

    let mut g = vec![0.0f32; b_dim * c_dim];
    for (p, g_p) in g.iter_mut().enumerate() {
        // plane p = b*C + c is contiguous in NCHW
        let src = &x[p * plane..][..plane];
        let sum: f64 = src.iter().map(|&v| v as f64).sum();
        *g_p = (sum / plane as f64) as f32;
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim], g)])
}
