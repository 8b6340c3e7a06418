//! masked_average_pooling: class prototype by masked average pooling (MAP) of support features,
//! as in PKL-GFSS (Prototypical Kernel Learning for generalized few-shot segmentation), following
//! PANet / PFENet. The catalogue's definition is inferred (eps 1e-5 and the resize convention are
//! assumptions).
//!
//! feat [S, C, H, W], mask [S, H0, W0] (binary, as f32) → proto [C]:
//!   m[s]        = bilinear_resize(mask[s], (H, W)), F.interpolate, align_corners = False:
//!                 per axis (n_in → n_out), output index d reads src = max((d + 0.5)·n_in/n_out − 0.5, 0),
//!                 i0 = floor(src), i1 = min(i0 + 1, n_in − 1), λ = src − i0,
//!                 value = (1 − λ)·a[i0] + λ·a[i1]   (separable: rows, then columns)
//!   proto_s[c]  = Σ_{h,w} feat[s, c, h, w] · m[s, h, w] / (Σ_{h,w} m[s, h, w] + eps)
//!   proto[c]    = (1/S) Σ_s proto_s[c]
//! An empty mask gives proto_s = 0 (eps keeps the denominator positive). Everything is f64; the
//! result is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Per-axis bilinear taps (i0, i1, λ) for F.interpolate, align_corners = False.
fn taps(n_in: usize, n_out: usize) -> Vec<(usize, usize, f64)> {
    let scale = n_in as f64 / n_out as f64;
    (0..n_out)
        .map(|d| {
            let src = ((d as f64 + 0.5) * scale - 0.5).max(0.0);
            let i0 = (src.floor() as usize).min(n_in - 1);
            let i1 = (i0 + 1).min(n_in - 1);
            (i0, i1, src - i0 as f64)
        })
        .collect()
}

/// Masked average pooling. Inputs: `feat` [S, C, H, W], `mask` [S, H0, W0]. Attribute: `eps`.
/// Output: `proto` [C].
pub fn masked_average_pooling(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (s_dim, c_dim, h, w_dim) = (args.dim("S")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let (h0, w0) = (args.dim("H0")?, args.dim("W0")?);
    let eps = args.float("eps")?;
    if s_dim == 0 || h == 0 || w_dim == 0 || h0 == 0 || w0 == 0 {
        return Err(RefError::Invalid("S, H, W, H0 and W0 must be positive".into()));
    }
    args.input("feat")?.expect_shape("feat", &[s_dim, c_dim, h, w_dim])?;
    args.input("mask")?.expect_shape("mask", &[s_dim, h0, w0])?;
    let feat = args.f32s("feat")?;
    let mask = args.f32s("mask")?;
    let (th, tw) = (taps(h0, h), taps(w0, w_dim));
    let plane = h * w_dim;

    let mut proto = vec![0.0f64; c_dim];
    let mut rows = vec![0.0f64; h * w0];
    let mut m = vec![0.0f64; plane];
    for s in 0..s_dim {
        let ms = &mask[s * h0 * w0..][..h0 * w0];
        // resize along H
        for (i, &(a, b, l)) in th.iter().enumerate() {
            for q in 0..w0 {
                rows[i * w0 + q] = (1.0 - l) * ms[a * w0 + q] as f64 + l * ms[b * w0 + q] as f64;
            }
        }
        // resize along W
        for i in 0..h {
            for (j, &(a, b, l)) in tw.iter().enumerate() {
                m[i * w_dim + j] = (1.0 - l) * rows[i * w0 + a] + l * rows[i * w0 + b];
            }
        }
        let denom = m.iter().sum::<f64>() + eps;
        for (c, p) in proto.iter_mut().enumerate() {
            let fc = &feat[(s * c_dim + c) * plane..][..plane];
            let num: f64 = fc.iter().zip(&m).map(|(&f, &mv)| f as f64 * mv).sum();
            *p += num / denom;
        }
    }
    let out = proto.iter().map(|&p| (p / s_dim as f64) as f32).collect();
    Ok(vec![Tensor::from_f32(vec![c_dim], out)])
}
