//! spark_masked_patch_recon_loss: SparK's per-patch-normalised L2 reconstruction loss, counted on
//! the MASKED patches only (official code `pretrain/spark.py`, `SparK.forward` / `patchify`).
//!
//! inp [B, C, H, W], rec [B, C, H, W] (f32), active [B, 1, F, F] (u8, 1 = visible, 0 = masked);
//! H == W, H % F == 0, patch size p = H / F, L = F² patches of N = C·p² values each:
//!   patchify(z)[b, hi·F + wi, (py·p + px)·C + c] = z[b, c, hi·p + py, wi·p + px]
//!   I = patchify(inp) ; R = patchify(rec)                       # [B, L, N]
//!   m[b,l] = (1/N) Σ_n I[b,l,n]
//!   s[b,l] = sqrt( (1/(N−1)) Σ_n (I[b,l,n] − m[b,l])² + 1e-6 )  # unbiased variance (torch.var)
//!   e[b,l] = (1/N) Σ_n (R[b,l,n] − (I[b,l,n] − m[b,l]) / s[b,l])²
//!   loss   = Σ_{b,l} e[b,l]·(1 − active[b,l]) / ( Σ_{b,l} (1 − active[b,l]) + 1e-8 )
//! where active[b, hi·F + wi] = active[b, 0, hi, wi]. The order of n inside a patch does not
//! change any of the sums, so the loss only needs each patch's pixels, not the patchified layout.
//! Output: loss [1]. Every sum is in f64; the result is rounded to f32 once.

use crate::tensor::Data;
use crate::{DType, OpArgs, RefError, Result, Tensor};

/// SparK masked-patch reconstruction loss. Inputs: `inp`, `rec` [B, C, H, W] f32, `active`
/// [B, 1, F, F] u8. Attributes: `eps_var` (1e-6), `eps_den` (1e-8). Output: `loss` [1].
pub fn spark_masked_patch_recon_loss(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim, f) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?, args.dim("F")?);
    let eps_var = args.float("eps_var")?;
    let eps_den = args.float("eps_den")?;
    if f == 0 || h != w_dim || h % f != 0 {
        return Err(RefError::Invalid(format!("need H == W and H % F == 0 (H={h}, W={w_dim}, F={f})")));
    }
    let p = h / f;
    let n = c_dim * p * p;
    if n < 2 {
        return Err(RefError::Invalid("a patch needs at least 2 values (unbiased variance)".into()));
    }
    args.input("inp")?.expect_shape("inp", &[b_dim, c_dim, h, w_dim])?;
    args.input("rec")?.expect_shape("rec", &[b_dim, c_dim, h, w_dim])?;
    let active_t = args.input("active")?;
    active_t.expect_shape("active", &[b_dim, 1, f, f])?;
    let active = match &active_t.data {
        Data::U8(v) => v,
        other => return Err(RefError::DType { name: "active".into(), expected: DType::U8, got: other.dtype() }),
    };
    let inp = args.f32s("inp")?;
    let rec = args.f32s("rec")?;

    let mut num = 0.0f64;
    let mut den = 0.0f64;
    for b in 0..b_dim {
        for hi in 0..f {
            for wi in 0..f {
                let weight = 1.0 - active[(b * f + hi) * f + wi] as f64; // 1 on masked patches
                if weight == 0.0 {
                    continue; // e[b,l]·0 contributes nothing (e is finite: s ≥ 1e-3)
                }
                // element (c, py, px) of patch (hi, wi) of image b
                let at = |c: usize, py: usize, px: usize| ((b * c_dim + c) * h + hi * p + py) * w_dim + wi * p + px;
                let mut sum = 0.0f64;
                for c in 0..c_dim {
                    for py in 0..p {
                        for px in 0..p {
                            sum += inp[at(c, py, px)] as f64;
                        }
                    }
                }
                let mean = sum / n as f64;
                let mut sq = 0.0f64;
                for c in 0..c_dim {
                    for py in 0..p {
                        for px in 0..p {
                            let d = inp[at(c, py, px)] as f64 - mean;
                            sq += d * d;
                        }
                    }
                }
                let s = (sq / (n - 1) as f64 + eps_var).sqrt();
                let mut err = 0.0f64;
                for c in 0..c_dim {
                    for py in 0..p {
                        for px in 0..p {
                            let i = at(c, py, px);
                            let d = rec[i] as f64 - (inp[i] as f64 - mean) / s;
                            err += d * d;
                        }
                    }
                }
                num += weight * (err / n as f64);
                den += weight;
            }
        }
    }
    let loss = num / (den + eps_den);
    Ok(vec![Tensor::from_f32(vec![1], vec![loss as f32])])
}
