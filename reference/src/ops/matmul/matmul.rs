//! matmul: c[i, j] = Σ_{p=0}^{K−1} a[i, p] · b[p, j], with a [M, K], b [K, N], c [M, N], all
//! row-major f32.
//!
//! Products and sums are accumulated in f64 and rounded to f32 once per output element. The loop
//! order i → p → j walks rows of b contiguously; it does not change the f64 result in any way
//! that matters at f32 precision.

use crate::{OpArgs, Result, Tensor};

/// Dense matrix product. Inputs: `a` [M, K], `b` [K, N]. Output: `c` [M, N].
pub fn matmul(args: &OpArgs) -> Result<Vec<Tensor>> {
    let m = args.dim("M")?;
    let k = args.dim("K")?;
    let n = args.dim("N")?;
    args.input("a")?.expect_shape("a", &[m, k])?;
    args.input("b")?.expect_shape("b", &[k, n])?;
    let a = args.f32s("a")?;
    let b = args.f32s("b")?;

    let mut c = vec![0.0f32; m * n];
    let mut acc = vec![0.0f64; n]; // one output row, accumulated in f64
    for i in 0..m {
        acc.fill(0.0);
        for p in 0..k {
            let a_ip = a[i * k + p] as f64;
            let b_row = &b[p * n..(p + 1) * n];
            for (acc_j, &b_pj) in acc.iter_mut().zip(b_row) {
                *acc_j += a_ip * b_pj as f64;
            }
        }
        for j in 0..n {
            c[i * n + j] = acc[j] as f32;
        }
    }
    Ok(vec![Tensor::from_f32(vec![m, n], c)])
}
