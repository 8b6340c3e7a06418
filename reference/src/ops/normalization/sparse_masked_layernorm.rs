//! sparse_masked_layernorm: SparK's sparse LayerNorm for ConvNeXt encoders, channels_first
//! (official code keyu-tian/SparK `pretrain/encoder.py`, SparseConvNeXtLayerNorm: the [n, C] rows
//! at visible positions are gathered, LayerNorm'd over C, and scattered back into zeros).
//!
//! x [B, C, H, W], active [B, 1, F, F] (u8 from the harness; nonzero = visible), gamma, beta [C];
//! attribute eps (1e-6); H % F == 0, W % F == 0:
//!   act[b, h, w] = active[b, 0, h div (H/F), w div (W/F)]
//!   at a visible (b, h, w): mu = (1/C) Σ_c x[b,c,h,w], var = (1/C) Σ_c (x[b,c,h,w] − mu)²  (biased)
//!                           y[b,c,h,w] = gamma[c]·(x[b,c,h,w] − mu)/sqrt(var + eps) + beta[c]
//!   at a masked (b, h, w):  y[b,c,h,w] = 0 exactly (for every c)
//! Two-pass statistics in f64; outputs rounded to f32 once. The mask may also be given as f32
//! (nonzero = visible), which is how the numpy fixtures pass it.

use crate::{Data, OpArgs, RefError, Result, Tensor};

/// Sparse channels-first LayerNorm. Inputs: `x` [B, C, H, W], `active` [B, 1, F, F], `gamma`,
/// `beta` [C]. Attribute: `eps`. Output: `y` [B, C, H, W].
pub fn sparse_masked_layernorm(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim, f) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?, args.dim("F")?);
    let eps = args.float("eps")?;
    if f == 0 || c_dim == 0 || h % f != 0 || w_dim % f != 0 {
        return Err(RefError::Invalid(format!("H={h} and W={w_dim} must be multiples of F={f}; C={c_dim} > 0")));
    }
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    let active_t = args.input("active")?;
    active_t.expect_shape("active", &[b_dim, 1, f, f])?;
    args.input("gamma")?.expect_shape("gamma", &[c_dim])?;
    args.input("beta")?.expect_shape("beta", &[c_dim])?;
    let active: Vec<bool> = match &active_t.data {
        Data::U8(v) => v.iter().map(|&a| a != 0).collect(),
        Data::F32(v) => v.iter().map(|&a| a != 0.0).collect(),
        other => return Err(RefError::Invalid(format!("`active` must be u8 (or f32), got {}", other.dtype()))),
    };
    let x = args.f32s("x")?;
    let gamma = args.f32s("gamma")?;
    let beta = args.f32s("beta")?;
    let (sh, sw, plane) = (h / f, w_dim / f, h * w_dim);

    let mut y = vec![0.0f32; x.len()];
    for b in 0..b_dim {
        for hh in 0..h {
            for ww in 0..w_dim {
                if !active[(b * f + hh / sh) * f + ww / sw] {
                    continue; // stays exactly 0
                }
                let p = hh * w_dim + ww;
                let at = |c: usize| x[(b * c_dim + c) * plane + p] as f64;
                let mu = (0..c_dim).map(at).sum::<f64>() / c_dim as f64;
                let var = (0..c_dim).map(|c| (at(c) - mu) * (at(c) - mu)).sum::<f64>() / c_dim as f64;
                let inv = 1.0 / (var + eps).sqrt();
                for c in 0..c_dim {
                    y[(b * c_dim + c) * plane + p] = (gamma[c] as f64 * (at(c) - mu) * inv + beta[c] as f64) as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, h, w_dim], y)])
}
