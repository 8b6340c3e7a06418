//! filter_db_distribution_drift: the drift measure of CNN Filter DB (Gavrikov & Keuper, CVPR 2022;
//! notebook `scale`, PCA transform, `get_discrete_probability_distribution`, `kl_sym`, `nd_kl_sym`).
//!
//! Xp [NP, 9], Xq [NQ, 9], V [9, 9] (rows = components), mu [9], r [9]; attribute `bins` → D [1].
//! All in f64:
//!   scale(x) = x / max_k |x[k]| (÷1 for an all-zero filter);  coef[f, j] = Σ_k (scale(x_f)[k] − mu[k])·V[j, k]
//!   lo, hi = min, max over every coefficient of both groups; width = (hi − lo) / bins
//!   per component j and group g: cnt = histogram of coef[:, j] (bin = min(⌊(c − lo)/width⌋, bins − 1)),
//!     h = cnt / (n_g · width), h[h == 0] = 2⁻²³ (float32 eps), P = h / Σh
//!   D = Σ_j r[j] · Σ_i (P_p,j[i] − P_q,j[i]) · ln(P_p,j[i] / P_q,j[i])   (= KL(P‖Q) + KL(Q‖P))
//! If every coefficient is equal the range becomes [lo − 0.5, hi + 0.5] (numpy.histogram's rule).

use crate::{OpArgs, RefError, Result, Tensor};

/// Distribution drift. Inputs: `Xp` [NP, 9], `Xq` [NQ, 9], `V` [9, 9], `mu` [9], `r` [9].
/// Attribute: `bins`. Output: `D` [1].
pub fn filter_db_distribution_drift(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (np_dim, nq_dim) = (args.dim("NP")?, args.dim("NQ")?);
    let bins = args.uint("bins")?;
    if np_dim == 0 || nq_dim == 0 || bins == 0 {
        return Err(RefError::Invalid(format!("need NP, NQ, bins > 0 (NP={np_dim}, NQ={nq_dim}, bins={bins})")));
    }
    args.input("Xp")?.expect_shape("Xp", &[np_dim, 9])?;
    args.input("Xq")?.expect_shape("Xq", &[nq_dim, 9])?;
    args.input("V")?.expect_shape("V", &[9, 9])?;
    args.input("mu")?.expect_shape("mu", &[9])?;
    args.input("r")?.expect_shape("r", &[9])?;
    let v = args.f32s("V")?;
    let mu = args.f32s("mu")?;
    let r = args.f32s("r")?;

    // PCA coefficients of the max-abs-scaled filters, [n, 9] per group
    let transform = |x: &[f32]| -> Vec<[f64; 9]> {
        x.chunks_exact(9)
            .map(|f| {
                let m = f.iter().fold(0.0f64, |m, &t| m.max((t as f64).abs()));
                let m = if m == 0.0 { 1.0 } else { m };
                std::array::from_fn(|j| (0..9).map(|k| (f[k] as f64 / m - mu[k] as f64) * v[j * 9 + k] as f64).sum())
            })
            .collect()
    };
    let cp = transform(args.f32s("Xp")?);
    let cq = transform(args.f32s("Xq")?);
    let all = cp.iter().chain(&cq).flat_map(|c| c.iter().copied());
    let (mut lo, mut hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), c| (lo.min(c), hi.max(c)));
    if lo == hi {
        lo -= 0.5;
        hi += 0.5;
    }
    let width = (hi - lo) / bins as f64;

    // normalised density histogram of component j of one group
    let distribution = |c: &[[f64; 9]], j: usize| -> Vec<f64> {
        let mut cnt = vec![0usize; bins];
        for f in c {
            let b = ((f[j] - lo) / width).floor().max(0.0) as usize;
            cnt[b.min(bins - 1)] += 1;
        }
        let h: Vec<f64> = cnt
            .iter()
            .map(|&k| {
                let d = k as f64 / (c.len() as f64 * width);
                if d == 0.0 { f32::EPSILON as f64 } else { d }
            })
            .collect();
        let s: f64 = h.iter().sum();
        h.iter().map(|&x| x / s).collect()
    };
    let mut d = 0.0f64;
    for (j, &rj) in r.iter().enumerate() {
        let p = distribution(&cp, j);
        let q = distribution(&cq, j);
        let kl: f64 = p.iter().zip(&q).map(|(&a, &b)| (a - b) * (a / b).ln()).sum();
        d += rj as f64 * kl;
    }
    Ok(vec![Tensor::from_f32(vec![1], vec![d as f32])])
}
