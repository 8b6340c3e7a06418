//! rfftfreq: the sample frequencies of the half spectrum returned by rfft (numpy
//! `fft.rfftfreq(n, d)` / PyTorch `torch.fft.rfftfreq(n, d)`), batched over a vector of sample
//! spacings so that the task has an input tensor.
//!
//! d [B] (sample spacing per row) → f [B, Nh], Nh = N div 2 + 1:
//!   f[b, j] = j / (N·d[b]),  j = 0 .. N div 2   (all non-negative; Nyquist 1/(2·d) included when N is even)
//! Row b is exactly `numpy.fft.rfftfreq(N, d[b])`. Computed in f64 as j·(1/(N·d)), numpy's own
//! order of operations, and rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Batched rfftfreq. Input: `d` [B]. Output: `f` [B, N div 2 + 1].
pub fn rfftfreq(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, n) = (args.dim("B")?, args.dim("N")?);
    if n == 0 {
        return Err(RefError::Invalid("N must be positive".into()));
    }
    args.input("d")?.expect_shape("d", &[b_dim])?;
    let d = args.f32s("d")?;
    let nh = n / 2 + 1;
    let mut f = vec![0.0f32; b_dim * nh];
    for b in 0..b_dim {
        let val = 1.0 / (n as f64 * d[b] as f64);
        for j in 0..nh {
            f[b * nh + j] = (j as f64 * val) as f32;
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, nh], f)])
}
