//! fftfreq: the DFT sample frequencies (numpy `fft.fftfreq(n, d)` / PyTorch `torch.fft.fftfreq(n, d)`),
//! batched over a vector of sample spacings so that the task has an input tensor.
//!
//! d [B] (sample spacing per row) → f [B, N]:
//!   f[b, j] = j / (N·d[b])         for 0 ≤ j < ceil(N/2)   (= (N + 1) div 2 non-negative bins)
//!   f[b, j] = (j − N) / (N·d[b])   for ceil(N/2) ≤ j < N   (negative frequencies)
//! Row b is exactly `numpy.fft.fftfreq(N, d[b])`. Computed in f64 as (signed index)·(1/(N·d)),
//! numpy's own order of operations, and rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Batched fftfreq. Input: `d` [B]. Output: `f` [B, N].
pub fn fftfreq(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, n) = (args.dim("B")?, args.dim("N")?);
    if n == 0 {
        return Err(RefError::Invalid("N must be positive".into()));
    }
    args.input("d")?.expect_shape("d", &[b_dim])?;
    let d = args.f32s("d")?;
    let half = n.div_ceil(2); // number of non-negative frequencies
    let mut f = vec![0.0f32; b_dim * n];
    for b in 0..b_dim {
        let val = 1.0 / (n as f64 * d[b] as f64);
        for j in 0..n {
            let k = if j < half { j as f64 } else { j as f64 - n as f64 };
            f[b * n + j] = (k * val) as f32;
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, n], f)])
}
