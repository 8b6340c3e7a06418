//! yolov13_hypergraph_conv_v2e2v: YOLOv13's adaptive hypergraph convolution (official code
//! iMoonLab/yolov13, `ultralytics/nn/modules/block.py::AdaHGConv.forward`): features flow vertex →
//! hyperedge → vertex through the participation matrix `A` (from the adaptive hyperedge
//! generator), each step followed by a Linear layer and exact GELU, plus a residual.
//!
//! X [B, Nv, D], A [B, Nv, M], We [D, D], be [D], Wn [D, D], bn [D] → Y [B, Nv, D]:
//!   E[b, m, f]  = Σ_v A[b, v, m] · X[b, v, f]                       (vertex → hyperedge)
//!   He[b, m, e] = gelu(be[e] + Σ_f We[e, f] · E[b, m, f])
//!   G[b, v, f]  = Σ_m A[b, v, m] · He[b, m, f]                      (hyperedge → vertex)
//!   Y[b, v, e]  = gelu(bn[e] + Σ_f Wn[e, f] · G[b, v, f]) + X[b, v, e]
//! gelu(t) = 0.5 · t · (1 + erf(t/√2)) (nn.GELU default, not the tanh form). Evaluated in f64
//! (erf from the series / continued fraction below, relative error < 1e-13); Y is rounded once.

use crate::{OpArgs, Result, Tensor};

/// Adaptive hypergraph convolution. Inputs: `X` [B, Nv, D], `A` [B, Nv, M], `We` [D, D], `be` [D],
/// `Wn` [D, D], `bn` [D]. Output: `Y` [B, Nv, D].
pub fn yolov13_hypergraph_conv_v2e2v(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, nv, d, m_dim) = (args.dim("B")?, args.dim("Nv")?, args.dim("D")?, args.dim("M")?);
    args.input("X")?.expect_shape("X", &[b_dim, nv, d])?;
    args.input("A")?.expect_shape("A", &[b_dim, nv, m_dim])?;
    for (w, bias) in [("We", "be"), ("Wn", "bn")] {
        args.input(w)?.expect_shape(w, &[d, d])?;
        args.input(bias)?.expect_shape(bias, &[d])?;
    }
    let (x, a) = (args.f32s("X")?, args.f32s("A")?);
    let (we, be, wn, bn) = (args.f32s("We")?, args.f32s("be")?, args.f32s("Wn")?, args.f32s("bn")?);

    let mut y = vec![0.0f32; b_dim * nv * d];
    for b in 0..b_dim {
        let xb = &x[b * nv * d..(b + 1) * nv * d];
        let ab = &a[b * nv * m_dim..(b + 1) * nv * m_dim];
        // vertex -> hyperedge
        let mut e_agg = vec![0.0f64; m_dim * d];
        for v in 0..nv {
            for m in 0..m_dim {
                let w = ab[v * m_dim + m] as f64;
                for f in 0..d {
                    e_agg[m * d + f] += w * xb[v * d + f] as f64;
                }
            }
        }
        let mut he = vec![0.0f64; m_dim * d];
        for m in 0..m_dim {
            for e in 0..d {
                let mut s = be[e] as f64;
                for f in 0..d {
                    s += we[e * d + f] as f64 * e_agg[m * d + f];
                }
                he[m * d + e] = gelu(s);
            }
        }
        // hyperedge -> vertex, node projection, residual
        let mut g = vec![0.0f64; d];
        for v in 0..nv {
            g.iter_mut().for_each(|t| *t = 0.0);
            for m in 0..m_dim {
                let w = ab[v * m_dim + m] as f64;
                for f in 0..d {
                    g[f] += w * he[m * d + f];
                }
            }
            for e in 0..d {
                let mut s = bn[e] as f64;
                for f in 0..d {
                    s += wn[e * d + f] as f64 * g[f];
                }
                y[(b * nv + v) * d + e] = (gelu(s) + xb[v * d + e] as f64) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, nv, d], y)])
}

/// Exact GELU 0.5·t·(1 + erf(t/√2)) = 0.5·t·erfc(−t/√2) (no cancellation for very negative t).
fn gelu(t: f64) -> f64 {
    0.5 * t * erfc(-t * std::f64::consts::FRAC_1_SQRT_2)
}

/// erfc in f64: positive-term series for |t| < 2, continued fraction for t ≥ 2, reflection below.
fn erfc(t: f64) -> f64 {
    if t <= -2.0 {
        return 2.0 - erfc(-t);
    }
    if t < 2.0 {
        // erf(t) = (2/√π) e^(−t²) Σ_n 2^n t^(2n+1) / (2n+1)!!
        let (mut term, mut sum) = (t, t);
        for n in 1..200 {
            term *= 2.0 * t * t / (2 * n + 1) as f64;
            sum += term;
            if term.abs() <= sum.abs() * 1e-17 {
                break;
            }
        }
        return 1.0 - std::f64::consts::FRAC_2_SQRT_PI * (-t * t).exp() * sum;
    }
    // erfc(t) = e^(−t²)/√π · 1/(t + (1/2)/(t + (2/2)/(t + ...)))
    let mut f = t;
    for m in (1..=60).rev() {
        f = t + (m as f64 / 2.0) / f;
    }
    (-t * t).exp() / std::f64::consts::PI.sqrt() / f
}
