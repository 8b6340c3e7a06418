//! windowed_epipolar_cross_attention: CCNeXt's windowed cross-attention between rectified left and
//! right feature maps (official code alelopes/CCNext, `models.py`, W_CA_Module): attention runs
//! along each image row (an epipolar line) and is restricted to a band of column offsets.
//!
//! x1, x2 [B, C, H, W] (NCHW); 1×1 convs C→C with bias, weights [C_out, C_in], shared by both
//! directions; V and W are followed by a folded BatchNorm (scale s, shift t):
//!   mw = floor(W · pct)  (f64),   key column j is visible from query column i iff |i − j| < mw
//!   Qp = wq·xp + bq,  Kp = wk·xp + bk,  Vp = sv ⊙ (wv·xp + bv) + tv            (p ∈ {1, 2})
//!   for every (b, h), NO 1/√C scaling:
//!     S21[i,j] = Σ_c Q1[b,c,h,i] · K2[b,c,h,j],   S12[i,j] = Σ_c Q2[b,c,h,i] · K1[b,c,h,j]
//!     A = softmax_j over the visible j (the others are −∞)
//!     y1[b,c,h,i] = Σ_j A21[i,j] · V2[b,c,h,j],   y2[b,c,h,i] = Σ_j A12[i,j] · V1[b,c,h,j]
//!   z1 = x1 + sw ⊙ (ww·y1 + bw) + tw,   z2 = x2 + sw ⊙ (ww·y2 + bw) + tw
//! Every row has its diagonal visible, so no row is fully masked. f64 throughout; rounded once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Windowed epipolar cross-attention. Inputs: `x1`, `x2` [B, C, H, W]; `wq`, `wk`, `wv`, `ww`
/// [C, C]; `bq`, `bk`, `bv`, `sv`, `tv`, `bw`, `sw`, `tw` [C] (spec order: x1, x2, wq, bq, wk, bk,
/// wv, bv, sv, tv, ww, bw, sw, tw). Attribute: `pct`. Outputs: `z1`, `z2` [B, C, H, W].
pub fn windowed_epipolar_cross_attention(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (bn, c, h, w) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let pct = args.float("pct")?;
    let mw = (w as f64 * pct).floor();
    if mw < 1.0 {
        return Err(RefError::Invalid(format!("window floor(W·pct) = {mw} must be at least 1")));
    }
    let mw = mw as usize;
    for n in ["x1", "x2"] {
        args.input(n)?.expect_shape(n, &[bn, c, h, w])?;
    }
    for n in ["wq", "wk", "wv", "ww"] {
        args.input(n)?.expect_shape(n, &[c, c])?;
    }
    for n in ["bq", "bk", "bv", "sv", "tv", "bw", "sw", "tw"] {
        args.input(n)?.expect_shape(n, &[c])?;
    }
    let f = |s: &str| args.f32s(s);
    let hw = h * w;
    // 1×1 conv of one image [C, H·W] (f64 in) → [C, H·W], then per-channel scale/shift
    let conv = |x: &[f64], wt: &[f32], bias: &[f32], s: Option<(&[f32], &[f32])>| -> Vec<f64> {
        let mut y = vec![0.0f64; c * hw];
        for o in 0..c {
            for p in 0..hw {
                let mut acc = bias[o] as f64;
                for k in 0..c {
                    acc += wt[o * c + k] as f64 * x[k * hw + p];
                }
                if let Some((sc, sh)) = s {
                    acc = sc[o] as f64 * acc + sh[o] as f64;
                }
                y[o * hw + p] = acc;
            }
        }
        y
    };
    let (wq, bq, wk, bk) = (f("wq")?, f("bq")?, f("wk")?, f("bk")?);
    let (wv, bv, sv, tv) = (f("wv")?, f("bv")?, f("sv")?, f("tv")?);
    let (ww, bw, sw, tw) = (f("ww")?, f("bw")?, f("sw")?, f("tw")?);
    // row attention: queries from `q`, keys/values from `k`, `v` (all [C, H·W])
    let attend = |q: &[f64], k: &[f64], v: &[f64]| -> Vec<f64> {
        let mut y = vec![0.0f64; c * hw];
        for r in 0..h {
            for i in 0..w {
                let lo = i.saturating_sub(mw - 1);
                let hi = (i + mw).min(w); // visible j: lo ≤ j < hi  (|i − j| < mw)
                let s: Vec<f64> =
                    (lo..hi).map(|j| (0..c).map(|cc| q[cc * hw + r * w + i] * k[cc * hw + r * w + j]).sum()).collect();
                let m = s.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let e: Vec<f64> = s.iter().map(|v| (v - m).exp()).collect();
                let z: f64 = e.iter().sum();
                for cc in 0..c {
                    let acc: f64 = (lo..hi).zip(&e).map(|(j, a)| a * v[cc * hw + r * w + j]).sum();
                    y[cc * hw + r * w + i] = acc / z;
                }
            }
        }
        y
    };
    let (x1, x2) = (f("x1")?, f("x2")?);
    let mut z1 = vec![0.0f32; bn * c * hw];
    let mut z2 = vec![0.0f32; bn * c * hw];
    for b in 0..bn {
        let a: Vec<f64> = x1[b * c * hw..(b + 1) * c * hw].iter().map(|&v| v as f64).collect();
        let bb: Vec<f64> = x2[b * c * hw..(b + 1) * c * hw].iter().map(|&v| v as f64).collect();
        let (q1, k1, v1) = (conv(&a, wq, bq, None), conv(&a, wk, bk, None), conv(&a, wv, bv, Some((sv, tv))));
        let (q2, k2, v2) = (conv(&bb, wq, bq, None), conv(&bb, wk, bk, None), conv(&bb, wv, bv, Some((sv, tv))));
        let y1 = conv(&attend(&q1, &k2, &v2), ww, bw, Some((sw, tw)));
        let y2 = conv(&attend(&q2, &k1, &v1), ww, bw, Some((sw, tw)));
        for p in 0..c * hw {
            z1[b * c * hw + p] = (a[p] + y1[p]) as f32;
            z2[b * c * hw + p] = (bb[p] + y2[p]) as f32;
        }
    }
    Ok(vec![Tensor::from_f32(vec![bn, c, h, w], z1), Tensor::from_f32(vec![bn, c, h, w], z2)])
}
