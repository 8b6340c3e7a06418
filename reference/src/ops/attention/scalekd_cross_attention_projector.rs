//! scalekd_cross_attention_projector: the cross-attention core of ScaleKD's AttentionProjector
//! (official code deep-optimization/ScaleKD, `mmcls/models/dis_losses/fmdv2.py` AttentionProjector
//! and `attention.py` WindowMultiheadPosAttention, window (1, 1) = no windowing): learned
//! teacher-like queries attend over the student's feature tokens.
//!
//! xs [B, N, Cs] (student tokens), qe [B, Nq, Dp] (query embeddings), nh heads, dh = Ct / nh,
//! channel index of head `hd`, lane `d` = hd·dh + d:
//!   Q[b,q,:] = bq + wq · qe[b,q,:]      K[b,n,:] = bk + wk · xs[b,n,:]      V[b,n,:] = bv + wv · xs[b,n,:]
//!   S[b,hd,q,n] = softmax_scale · dh^(−1/2) · Σ_{d<dh} Q[b,q,hd·dh+d] · K[b,n,hd·dh+d]
//!   P = softmax over n (max-subtracted)
//!   O[b,q,hd·dh+d] = Σ_n P[b,hd,q,n] · V[b,n,hd·dh+d]
//!   out[b,q,:] = bo + wo · O[b,q,:]
//! (every weight is [out_features, in_features], `x·wᵀ + b`). f64 throughout; rounded once.

use crate::{OpArgs, RefError, Result, Tensor};

/// ScaleKD cross-attention projector. Inputs: `xs` [B, N, Cs], `qe` [B, Nq, Dp], `wq` [Ct, Dp],
/// `bq` [Ct], `wk` [Ct, Cs], `bk` [Ct], `wv` [Ct, Cs], `bv` [Ct], `wo` [Ct, Ct], `bo` [Ct].
/// Attributes: `nh`, `softmax_scale`. Output: `out` [B, Nq, Ct].
pub fn scalekd_cross_attention_projector(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (bn, n, nq) = (args.dim("B")?, args.dim("N")?, args.dim("Nq")?);
    let (cs, ct, dp) = (args.dim("Cs")?, args.dim("Ct")?, args.dim("Dp")?);
    let nh = args.uint("nh")?;
    let scale = args.float("softmax_scale")?;
    if nh == 0 || ct % nh != 0 || n == 0 {
        return Err(RefError::Invalid(format!("need N > 0 and Ct % nh == 0 (Ct={ct}, nh={nh}, N={n})")));
    }
    let dh = ct / nh;
    let shapes: [(&str, Vec<usize>); 10] = [
        ("xs", vec![bn, n, cs]),
        ("qe", vec![bn, nq, dp]),
        ("wq", vec![ct, dp]),
        ("bq", vec![ct]),
        ("wk", vec![ct, cs]),
        ("bk", vec![ct]),
        ("wv", vec![ct, cs]),
        ("bv", vec![ct]),
        ("wo", vec![ct, ct]),
        ("bo", vec![ct]),
    ];
    for (name, shape) in &shapes {
        args.input(name)?.expect_shape(name, shape)?;
    }
    let f = |s: &str| args.f32s(s);
    let (xs, qe) = (f("xs")?, f("qe")?);
    // rows [R, K] (f32) · wᵀ [O, K] + bias [O] → [R, O] in f64
    let linear = |x: &[f32], rows: usize, k: usize, w: &[f32], bias: &[f32]| -> Vec<f64> {
        let o = bias.len();
        let mut y = vec![0.0f64; rows * o];
        for r in 0..rows {
            for j in 0..o {
                let mut s = bias[j] as f64;
                for t in 0..k {
                    s += w[j * k + t] as f64 * x[r * k + t] as f64;
                }
                y[r * o + j] = s;
            }
        }
        y
    };
    let q = linear(qe, bn * nq, dp, f("wq")?, f("bq")?);
    let kk = linear(xs, bn * n, cs, f("wk")?, f("bk")?);
    let v = linear(xs, bn * n, cs, f("wv")?, f("bv")?);
    let mul = scale / (dh as f64).sqrt();
    let mut o = vec![0.0f64; bn * nq * ct];
    let mut s = vec![0.0f64; n];
    for b in 0..bn {
        for hd in 0..nh {
            for qi in 0..nq {
                let qrow = &q[(b * nq + qi) * ct + hd * dh..][..dh];
                for (ni, sv) in s.iter_mut().enumerate() {
                    let krow = &kk[(b * n + ni) * ct + hd * dh..][..dh];
                    *sv = mul * qrow.iter().zip(krow).map(|(a, c)| a * c).sum::<f64>();
                }
                let m = s.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let z: f64 = s
                    .iter_mut()
                    .map(|sv| {
                        *sv = (*sv - m).exp();
                        *sv
                    })
                    .sum();
                for d in 0..dh {
                    let acc: f64 = (0..n).map(|ni| s[ni] * v[(b * n + ni) * ct + hd * dh + d]).sum();
                    o[(b * nq + qi) * ct + hd * dh + d] = acc / z;
                }
            }
        }
    }
    let (wo, bo) = (f("wo")?, f("bo")?);
    let mut out = vec![0.0f32; bn * nq * ct];
    for r in 0..bn * nq {
        for j in 0..ct {
            let mut acc = bo[j] as f64;
            for t in 0..ct {
                acc += wo[j * ct + t] as f64 * o[r * ct + t];
            }
            out[r * ct + j] = acc as f32;
        }
    }
    Ok(vec![Tensor::from_f32(vec![bn, nq, ct], out)])
}
