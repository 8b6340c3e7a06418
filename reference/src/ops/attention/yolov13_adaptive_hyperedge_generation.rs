//! yolov13_adaptive_hyperedge_generation: YOLOv13's adaptive hyperedge generation (HyperACE,
//! official code iMoonLab/yolov13, `ultralytics/nn/modules/block.py::AdaHyperedgeGen`, context
//! "both", eval mode so dropout is the identity). Every vertex (pixel) gets a participation weight
//! for each of `M` hyperedges; the weights of one hyperedge are a softmax over the VERTICES.
//!
//! X [B, Nv, D], P0 [M, D], Wc [M·D, 2D], bc [M·D], Wp [D, D], bp [D] → A [B, Nv, M];
//! heads nh = D / dh with the head width `dh` an attribute (C3AH uses dh = 16):
//!   ctx[b]      = concat(mean_v X[b, v, :], max_v X[b, v, :])                 (2D values)
//!   P[b, m, e]  = P0[m, e] + bc[m·D + e] + Σ_{f<2D} Wc[m·D + e, f] · ctx[b, f]
//!   Xp[b, v, e] = bp[e] + Σ_{f<D} Wp[e, f] · X[b, v, f]
//!   logit[b, v, m] = (1/nh) Σ_h (1/√dh) Σ_{e in head h} Xp[b, v, e] · P[b, m, e]
//!   A[b, v, m]  = exp(logit[b, v, m]) / Σ_{v'} exp(logit[b, v', m])          (softmax over v)
//! Everything is evaluated in f64 (the softmax with max subtraction); A is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Adaptive hyperedge generation. Inputs: `X` [B, Nv, D], `P0` [M, D], `Wc` [M·D, 2D], `bc` [M·D],
/// `Wp` [D, D], `bp` [D]. Attribute: `dh` (head width). Output: `A` [B, Nv, M].
pub fn yolov13_adaptive_hyperedge_generation(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, nv, d, m_dim) = (args.dim("B")?, args.dim("Nv")?, args.dim("D")?, args.dim("M")?);
    let dh = args.uint("dh")?;
    if dh == 0 || d % dh != 0 || nv == 0 {
        return Err(RefError::Invalid(format!("need Nv > 0 and D = {d} a multiple of dh = {dh}")));
    }
    let nh = d / dh;
    args.input("X")?.expect_shape("X", &[b_dim, nv, d])?;
    args.input("P0")?.expect_shape("P0", &[m_dim, d])?;
    args.input("Wc")?.expect_shape("Wc", &[m_dim * d, 2 * d])?;
    args.input("bc")?.expect_shape("bc", &[m_dim * d])?;
    args.input("Wp")?.expect_shape("Wp", &[d, d])?;
    args.input("bp")?.expect_shape("bp", &[d])?;
    let (x, p0, wc, bc) = (args.f32s("X")?, args.f32s("P0")?, args.f32s("Wc")?, args.f32s("bc")?);
    let (wp, bp) = (args.f32s("Wp")?, args.f32s("bp")?);

    let mut a_out = vec![0.0f32; b_dim * nv * m_dim];
    for b in 0..b_dim {
        let xb = &x[b * nv * d..(b + 1) * nv * d];
        // context: mean over vertices, then max over vertices
        let mut ctx = vec![0.0f64; 2 * d];
        for e in 0..d {
            let mut s = 0.0f64;
            let mut mx = f64::NEG_INFINITY;
            for v in 0..nv {
                let xv = xb[v * d + e] as f64;
                s += xv;
                mx = mx.max(xv);
            }
            ctx[e] = s / nv as f64;
            ctx[d + e] = mx;
        }
        // per-sample prototypes P[m, e]
        let mut p = vec![0.0f64; m_dim * d];
        for r in 0..m_dim * d {
            let mut s = bc[r] as f64;
            for f in 0..2 * d {
                s += wc[r * 2 * d + f] as f64 * ctx[f];
            }
            p[r] = p0[r] as f64 + s;
        }
        // projected vertices and logits
        let mut logit = vec![0.0f64; nv * m_dim];
        let mut xp = vec![0.0f64; d];
        let scale = 1.0 / ((dh as f64).sqrt() * nh as f64);
        for v in 0..nv {
            for e in 0..d {
                let mut s = bp[e] as f64;
                for f in 0..d {
                    s += wp[e * d + f] as f64 * xb[v * d + f] as f64;
                }
                xp[e] = s;
            }
            for m in 0..m_dim {
                // the mean over heads of per-head scaled dot products = full dot product · scale
                let mut s = 0.0f64;
                for e in 0..d {
                    s += xp[e] * p[m * d + e];
                }
                logit[v * m_dim + m] = s * scale;
            }
        }
        // softmax over the vertices, for each hyperedge
        for m in 0..m_dim {
            let mx = (0..nv).map(|v| logit[v * m_dim + m]).fold(f64::NEG_INFINITY, f64::max);
            let z: f64 = (0..nv).map(|v| (logit[v * m_dim + m] - mx).exp()).sum();
            for v in 0..nv {
                a_out[(b * nv + v) * m_dim + m] = ((logit[v * m_dim + m] - mx).exp() / z) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, nv, m_dim], a_out)])
}
