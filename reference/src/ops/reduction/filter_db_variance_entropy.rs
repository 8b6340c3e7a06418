//! filter_db_variance_entropy: the variance entropy of CNN Filter DB (Gavrikov & Keuper, CVPR 2022;
//! notebook `layer_quality_worker`, normalisation from torchconvquality `measures.py`).
//!
//! w [O, I, 3, 3] is X [n, 9] with n = O·I (row f = o·I + i). In f64:
//!   mu[k] = mean_f X[f, k];  Cov = (X − mu)ᵀ (X − mu) / (n − 1)       (9×9)
//!   λ = eigenvalues(Cov), negatives clamped to 0;  p = λ / Σλ  (Σλ = 0 → ve = 0)
//!   ve = −Σ_{p_k > 0} p_k · log10 p_k
//!   ve_norm = ve / (1.2618047 / (1 + exp(−0.88767525 · (log2 n − 2.30436435))) − 0.31050834)
//! The eigenvalues come from a cyclic Jacobi iteration on the 9×9 matrix (the notebook uses the
//! SVD of the centred filters: λ = s²/(n − 1), the same values).

use crate::{OpArgs, RefError, Result, Tensor};

/// Variance entropy. Input: `w` [O, I, 3, 3]. Outputs: `ve` [1], `ve_norm` [1].
pub fn filter_db_variance_entropy(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (o_dim, i_dim) = (args.dim("O")?, args.dim("I")?);
    let n = o_dim * i_dim;
    if n < 2 {
        return Err(RefError::Invalid(format!("need at least 2 filters, got n = {n}")));
    }
    args.input("w")?.expect_shape("w", &[o_dim, i_dim, 3, 3])?;
    let w = args.f32s("w")?;

    let mut mu = [0.0f64; 9];
    for f in w.chunks_exact(9) {
        for k in 0..9 {
            mu[k] += f[k] as f64;
        }
    }
    for m in mu.iter_mut() {
        *m /= n as f64;
    }
    let mut cov = [[0.0f64; 9]; 9];
    for f in w.chunks_exact(9) {
        let d: Vec<f64> = (0..9).map(|k| f[k] as f64 - mu[k]).collect();
        for k in 0..9 {
            for l in 0..9 {
                cov[k][l] += d[k] * d[l];
            }
        }
    }
    for row in cov.iter_mut() {
        for v in row.iter_mut() {
            *v /= (n - 1) as f64;
        }
    }
    let lambda = jacobi_eigenvalues(cov);
    let lambda: Vec<f64> = lambda.iter().map(|&l| l.max(0.0)).collect();
    let total: f64 = lambda.iter().sum();
    let mut ve = 0.0f64;
    if total > 0.0 {
        for &l in &lambda {
            let p = l / total;
            if p > 0.0 {
                ve -= p * p.log10();
            }
        }
    }
    let fit = 1.2618047 / (1.0 + (-0.88767525 * ((n as f64).log2() - 2.30436435)).exp()) - 0.31050834;
    Ok(vec![Tensor::from_f32(vec![1], vec![ve as f32]), Tensor::from_f32(vec![1], vec![(ve / fit) as f32])])
}

/// Eigenvalues of a symmetric 9×9 matrix by cyclic Jacobi rotations (until the off-diagonal mass
/// is negligible); returned as the final diagonal.
#[allow(clippy::needless_range_loop)] // rows p and q of `a` are updated together
fn jacobi_eigenvalues(mut a: [[f64; 9]; 9]) -> [f64; 9] {
    for _sweep in 0..100 {
        let off: f64 = (0..9).flat_map(|p| (p + 1..9).map(move |q| (p, q))).map(|(p, q)| a[p][q] * a[p][q]).sum();
        let diag: f64 = (0..9).map(|p| a[p][p] * a[p][p]).sum();
        if off == 0.0 || off <= 1e-30 * diag {
            break;
        }
        for p in 0..9 {
            for q in p + 1..9 {
                if a[p][q] == 0.0 {
                    continue;
                }
                // rotation angle that zeroes a[p][q]
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (akp, akq) = (row[p], row[q]);
                    row[p] = c * akp - s * akq;
                    row[q] = s * akp + c * akq;
                }
                for k in 0..9 {
                    let (apk, aqk) = (a[p][k], a[q][k]);
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
            }
        }
    }
    std::array::from_fn(|k| a[k][k])
}
