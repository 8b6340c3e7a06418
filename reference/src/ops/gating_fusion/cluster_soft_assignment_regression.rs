//! cluster_soft_assignment_regression: PolyMaX's continuous-output head (inferred from the
//! abstract): each pixel's prediction is a softmax-weighted mixture of per-cluster values, the
//! weights being a softmax over the K cluster masks; for surface normals the 3-vector is
//! L2-normalised.
//!
//! pix [B, D, H, W], memb [B, K, D], vals [B, K, Co] → out [B, Co, H, W]:
//!   logit[b, k, p] = Σ_d memb[b, k, d] · pix[b, d, p]            (p = pixel)
//!   prob[b, k, p]  = softmax over k (max-subtracted)
//!   out[b, c, p]   = Σ_k prob[b, k, p] · vals[b, k, c]
//!   if normalize_output: out[b, :, p] /= max(‖out[b, :, p]‖₂, 1e-12)
//! Everything accumulated in f64, rounded to f32 once.

use crate::{AttrValue, OpArgs, Result, Tensor};

/// A boolean attribute that may also be given as an integer (0 = false).
fn bool_attr(args: &OpArgs, name: &str) -> Result<bool> {
    match args.attrs.get(name) {
        Some(AttrValue::Int(i)) => Ok(*i != 0),
        _ => args.flag(name),
    }
}

/// Soft cluster assignment regression. Inputs: `pix` [B, D, H, W], `memb` [B, K, D],
/// `vals` [B, K, Co]. Attribute: `normalize_output`. Output: `out` [B, Co, H, W].
pub fn cluster_soft_assignment_regression(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, d, k_dim) = (args.dim("B")?, args.dim("D")?, args.dim("K")?);
    let (h, w_dim, co) = (args.dim("H")?, args.dim("W")?, args.dim("Co")?);
    let normalize = bool_attr(args, "normalize_output")?;
    args.input("pix")?.expect_shape("pix", &[b_dim, d, h, w_dim])?;
    args.input("memb")?.expect_shape("memb", &[b_dim, k_dim, d])?;
    args.input("vals")?.expect_shape("vals", &[b_dim, k_dim, co])?;
    let (pix, memb, vals) = (args.f32s("pix")?, args.f32s("memb")?, args.f32s("vals")?);
    let plane = h * w_dim;
    let mut out = vec![0.0f32; b_dim * co * plane];
    let mut logit = vec![0.0f64; k_dim];
    let mut acc = vec![0.0f64; co];
    for b in 0..b_dim {
        for p in 0..plane {
            for k in 0..k_dim {
                logit[k] =
                    (0..d).map(|e| memb[(b * k_dim + k) * d + e] as f64 * pix[(b * d + e) * plane + p] as f64).sum();
            }
            let m = logit.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let mut den = 0.0f64;
            for l in logit.iter_mut() {
                *l = (*l - m).exp();
                den += *l;
            }
            for c in 0..co {
                acc[c] = (0..k_dim).map(|k| logit[k] * vals[(b * k_dim + k) * co + c] as f64).sum::<f64>() / den;
            }
            if normalize {
                let norm = acc.iter().map(|e| e * e).sum::<f64>().sqrt().max(1e-12);
                for a in acc.iter_mut() {
                    *a /= norm;
                }
            }
            for c in 0..co {
                out[(b * co + c) * plane + p] = acc[c] as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, co, h, w_dim], out)])
}
