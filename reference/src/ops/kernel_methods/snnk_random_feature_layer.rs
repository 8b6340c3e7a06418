//! snnk_random_feature_layer: a Scalable Neural Network Kernel layer (SNNK, inferred from the
//! abstract) in its exp / softmax-kernel instantiation with positive random features (the
//! Performer / FAVOR+ map of the same authors). The dense layer y_j = exp(w_j·x) is replaced by a
//! dot product of an input-side feature map Φ(x) and a parameter-side feature map Ψ(w_j).
//!
//! X [N, d] (rows = tokens), W [L, d] (layer weights), Om [M, d] (fixed i.i.d. N(0,1) random
//! projection, passed as an input for determinism) → Y [N, L]:
//!   phi[n, r] = exp( Σ_k Om[r,k]·X[n,k] − ½ Σ_k X[n,k]² ) / sqrt(M)
//!   psi[j, r] = exp( Σ_k Om[r,k]·W[j,k] − ½ Σ_k W[j,k]² ) / sqrt(M)
//!   Y[n, j]   = Σ_{r<M} phi[n, r] · psi[j, r]
//! (an unbiased estimator of exp(X[n]·W[j]) over the draw of Om; the task asks for the finite-M
//! value for the given Om, not for exp(X·Wᵀ)). Everything is in f64; Y is rounded to f32 once.

use crate::{OpArgs, Result, Tensor};

/// SNNK random-feature layer. Inputs: `X` [N, d], `W` [L, d], `Om` [M, d]. Output: `Y` [N, L].
pub fn snnk_random_feature_layer(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, d, l_dim, m_dim) = (args.dim("N")?, args.dim("d")?, args.dim("L")?, args.dim("M")?);
    args.input("X")?.expect_shape("X", &[n_dim, d])?;
    args.input("W")?.expect_shape("W", &[l_dim, d])?;
    args.input("Om")?.expect_shape("Om", &[m_dim, d])?;
    let x = args.f32s("X")?;
    let w = args.f32s("W")?;
    let om = args.f32s("Om")?;
    let inv_sqrt_m = 1.0 / (m_dim as f64).sqrt();

    // feature map of the rows of `a` ([rows, d]) → [rows, M]
    let features = |a: &[f32], rows: usize| -> Vec<f64> {
        let mut out = vec![0.0f64; rows * m_dim];
        for i in 0..rows {
            let row = &a[i * d..][..d];
            let half_sq: f64 = 0.5 * row.iter().map(|&v| v as f64 * v as f64).sum::<f64>();
            for r in 0..m_dim {
                let proj: f64 = om[r * d..][..d].iter().zip(row).map(|(&o, &v)| o as f64 * v as f64).sum();
                out[i * m_dim + r] = (proj - half_sq).exp() * inv_sqrt_m;
            }
        }
        out
    };
    let phi = features(x, n_dim);
    let psi = features(w, l_dim);

    let mut y = vec![0.0f32; n_dim * l_dim];
    for n in 0..n_dim {
        for j in 0..l_dim {
            let acc: f64 = phi[n * m_dim..][..m_dim].iter().zip(&psi[j * m_dim..][..m_dim]).map(|(a, b)| a * b).sum();
            y[n * l_dim + j] = acc as f32;
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, l_dim], y)])
}
