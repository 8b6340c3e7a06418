//! std_softmax_lastdim: softmax over the last axis of x [R, D], max-subtracted.
//!
//! For every row r, with m = max_j x[r, j]:
//!   y[r, i] = exp(x[r, i] − m) / Σ_{j=0}^{D−1} exp(x[r, j] − m)
//! Subtracting the row maximum does not change the result mathematically but keeps exp() from
//! overflowing for large inputs (e.g. a row of values around 80..90). Entries equal to −inf get
//! probability 0. (A row that is entirely −inf would give NaN, as in PyTorch; the task never
//! generates one.) Exponentials and the denominator are computed in f64; y is rounded to f32.

use crate::{OpArgs, Result, Tensor};

/// Softmax over the last axis. Inputs: `x` [R, D]. Output: `y` [R, D].
pub fn std_softmax_lastdim(args: &OpArgs) -> Result<Vec<Tensor>> {
    let r_dim = args.dim("R")?;
    let d_dim = args.dim("D")?;
    let x = args.input("x")?;
    x.expect_shape("x", &[r_dim, d_dim])?;
    let xs = x.f32s("x")?;

    let mut y = vec![0.0f32; r_dim * d_dim];
    let mut e = vec![0.0f64; d_dim];
    for r in 0..r_dim {
        let row = &xs[r * d_dim..(r + 1) * d_dim];
        // 1) row maximum
        let mut m = f64::NEG_INFINITY;
        for &v in row {
            m = m.max(v as f64);
        }
        // 2) shifted exponentials and their sum (f64)
        let mut denom = 0.0f64;
        for (ej, &v) in e.iter_mut().zip(row) {
            *ej = (v as f64 - m).exp();
            denom += *ej;
        }
        // 3) normalise
        for (i, ej) in e.iter().enumerate() {
            y[r * d_dim + i] = (ej / denom) as f32;
        }
    }
    Ok(vec![Tensor::from_f32(vec![r_dim, d_dim], y)])
}
