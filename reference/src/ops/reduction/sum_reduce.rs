//! sum_reduce: y[r] = Σ_{d=0}^{D−1} x[r, d], a row sum over the last axis of x [R, D].
//!
//! The sum is accumulated in f64 in index order d = 0, 1, ..., D−1 and rounded to f32 once, so
//! the reference is (nearly) the exact sum; kernels accumulating in f32 in another order differ
//! by rounding only.

use crate::{OpArgs, Result, Tensor};

/// Row sum. Inputs: `x` [R, D]. Output: `y` [R].
pub fn sum_reduce(args: &OpArgs) -> Result<Vec<Tensor>> {
    let r_dim = args.dim("R")?;
    let d_dim = args.dim("D")?;
    let x = args.input("x")?;
    x.expect_shape("x", &[r_dim, d_dim])?;
    let xs = x.f32s("x")?;

    let mut y = vec![0.0f32; r_dim];
    for r in 0..r_dim {
        let row = &xs[r * d_dim..(r + 1) * d_dim];
        let mut acc = 0.0f64;
        for &v in row {
            acc += v as f64;
        }
        y[r] = acc as f32;
    }
    Ok(vec![Tensor::from_f32(vec![r_dim], y)])
}
