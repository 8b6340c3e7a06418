//! eca_channel_attention: ECA-Net efficient channel attention (BangguWu/ECANet `eca_layer`).
//!
//! x [B, C, H, W], w [k] (Conv1d 1→1 channel, no bias, k odd) → out [B, C, H, W]:
//!   g[b, c]          = (1/(H·W)) Σ_{h,w} x[b, c, h, w]                        global average pool (f64)
//!   z[b, c]          = Σ_{t=0}^{k−1} w[t] · g[b, c + t − (k−1)/2]            1-D conv across channels
//!   out[b, c, h, w]  = x[b, c, h, w] · sigmoid(z[b, c]),   sigmoid(z) = 1 / (1 + e^(−z))
//! The channel conv is a cross-correlation with zero padding: channels outside [0, C) contribute
//! 0, and w[0] multiplies the lower-index neighbour c − (k−1)/2 (as in PyTorch Conv1d).
//! Everything up to the final product is computed in f64; out is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// ECA channel attention. Inputs: `x` [B, C, H, W], `w` [k]. Attribute: `k` (odd).
/// Output: `y` [B, C, H, W].
pub fn eca_channel_attention(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let k = args.uint("k")?;
    if k % 2 == 0 {
        return Err(RefError::Invalid(format!("k={k} must be odd")));
    }
    if h * w_dim == 0 {
        return Err(RefError::Invalid("H·W must be positive (the mean over an empty plane is undefined)".into()));
    }
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    args.input("w")?.expect_shape("w", &[k])?;
    let x = args.f32s("x")?;
    let w = args.f32s("w")?;
    let plane = h * w_dim;
    let half = (k - 1) / 2;

    let mut y = vec![0.0f32; x.len()];
    let mut g = vec![0.0f64; c_dim];
    for b in 0..b_dim {
        // 1) global average pool per channel
        for (c, g_c) in g.iter_mut().enumerate() {
            let src = &x[(b * c_dim + c) * plane..][..plane];
            let sum: f64 = src.iter().map(|&v| v as f64).sum();
            *g_c = sum / plane as f64;
        }
        for c in 0..c_dim {
            // 2) 1-D cross-correlation over channels, zero padded
            let mut z = 0.0f64;
            for (t, &w_t) in w.iter().enumerate() {
                let src_c = (c + t) as isize - half as isize;
                if src_c >= 0 && (src_c as usize) < c_dim {
                    z += w_t as f64 * g[src_c as usize];
                }
            }
            // 3) gate and rescale
            let gate = 1.0 / (1.0 + (-z).exp());
            let src = &x[(b * c_dim + c) * plane..][..plane];
            let dst = &mut y[(b * c_dim + c) * plane..][..plane];
            for (d, &v) in dst.iter_mut().zip(src) {
                *d = (v as f64 * gate) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, h, w_dim], y)])
}
