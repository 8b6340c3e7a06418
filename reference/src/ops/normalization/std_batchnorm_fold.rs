//! std_batchnorm_fold: inference-mode BatchNorm2d (running statistics) applied through its folded
//! per-channel scale and shift — the form in which BN is fused into a preceding convolution
//! (w'[o] = s_o·w[o], b'[o] = s_o·(b[o] − mean_o) + beta_o).
//!
//! x [B, C, H, W]; gamma, beta, mean, var [C]; attribute eps → y [B, C, H, W]:
//!   s[c] = gamma[c] / sqrt(var[c] + eps);   t[c] = beta[c] − mean[c]·s[c]
//!   y[b,c,h,w] = s[c]·x[b,c,h,w] + t[c]     (= gamma[c]·(x − mean[c])/sqrt(var[c] + eps) + beta[c])
//! Computed in f64 from the f32 inputs, rounded to f32 once.

use crate::{OpArgs, Result, Tensor};

/// Inference BatchNorm2d via folded scale/shift. Inputs: `x` [B, C, H, W], `gamma`, `beta`,
/// `mean`, `var` [C]. Attribute: `eps`. Output: `y` [B, C, H, W].
pub fn std_batchnorm_fold(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (nb, nc, h, w) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let eps = args.float("eps")?;
    args.input("x")?.expect_shape("x", &[nb, nc, h, w])?;
    for name in ["gamma", "beta", "mean", "var"] {
        args.input(name)?.expect_shape(name, &[nc])?;
    }
    let (x, gamma, beta, mean, var) =
        (args.f32s("x")?, args.f32s("gamma")?, args.f32s("beta")?, args.f32s("mean")?, args.f32s("var")?);
    let plane = h * w;
    let mut y = vec![0.0f32; nb * nc * plane];
    for c in 0..nc {
        let s = gamma[c] as f64 / (var[c] as f64 + eps).sqrt();
        let t = beta[c] as f64 - mean[c] as f64 * s;
        for b in 0..nb {
            let o = (b * nc + c) * plane;
            for p in o..o + plane {
                y[p] = (s * x[p] as f64 + t) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![nb, nc, h, w], y)])
}
