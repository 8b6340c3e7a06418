//! cosine_kernel_segmentation_logits: segmentation logits as the temperature-scaled cosine
//! similarity between every pixel feature and a set of class kernels (base-class kernels
//! concatenated with novel-class prototypes), as in PKL-GFSS. The catalogue's definition is
//! inferred (temperature tau assumed 10; torch.cosine_similarity's per-norm clamp).
//!
//! feat [B, C, H, W], kernels [K, C] → logit [B, K, H, W], with f = feat[b, :, h, w], g_k = kernels[k]:
//!   logit[b, k, h, w] = tau · ⟨f, g_k⟩ / (max(‖f‖₂, 1e-8) · max(‖g_k‖₂, 1e-8))
//! A zero feature vector (or kernel) gives logit 0. Everything is f64; rounded to f32 once.

use crate::{OpArgs, Result, Tensor};

/// Cosine-similarity logits. Inputs: `feat` [B, C, H, W], `kernels` [K, C]. Attribute: `tau`.
/// Output: `logit` [B, K, H, W].
pub fn cosine_kernel_segmentation_logits(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, k_dim) = (args.dim("B")?, args.dim("C")?, args.dim("K")?);
    let (h, w_dim) = (args.dim("H")?, args.dim("W")?);
    let tau = args.float("tau")?;
    args.input("feat")?.expect_shape("feat", &[b_dim, c_dim, h, w_dim])?;
    args.input("kernels")?.expect_shape("kernels", &[k_dim, c_dim])?;
    let feat = args.f32s("feat")?;
    let kern = args.f32s("kernels")?;
    let plane = h * w_dim;
    const EPS: f64 = 1e-8;

    let gnorm: Vec<f64> = (0..k_dim)
        .map(|k| kern[k * c_dim..][..c_dim].iter().map(|&v| v as f64 * v as f64).sum::<f64>().sqrt().max(EPS))
        .collect();
    let mut out = vec![0.0f32; b_dim * k_dim * plane];
    let mut f = vec![0.0f64; c_dim];
    for b in 0..b_dim {
        for q in 0..plane {
            for (c, fc) in f.iter_mut().enumerate() {
                *fc = feat[(b * c_dim + c) * plane + q] as f64;
            }
            let fnorm = f.iter().map(|v| v * v).sum::<f64>().sqrt().max(EPS);
            for k in 0..k_dim {
                let g = &kern[k * c_dim..][..c_dim];
                let dot: f64 = f.iter().zip(g).map(|(a, &bv)| a * bv as f64).sum();
                out[(b * k_dim + k) * plane + q] = (tau * dot / (fnorm * gnorm[k])) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, k_dim, h, w_dim], out)])
}
