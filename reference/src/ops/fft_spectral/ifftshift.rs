//! ifftshift: the inverse of fftshift, moving the centred zero-frequency bin back to index 0 of
//! every `M x N` plane (numpy / PyTorch `fft.ifftshift(x, axes=(-2, -1))`).
//!
//! x [B, M, N] → y [B, M, N]; along an axis of length n the shift is `y[i] = x[(i + n div 2) mod n]`
//! (a cyclic roll by −(n div 2)), applied to both of the last two axes:
//!   y[b, i, j] = x[b, (i + M div 2) mod M, (j + N div 2) mod N]
//! For odd n this differs from fftshift (which rolls by +(n div 2)); ifftshift(fftshift(x)) = x.
//! A pure permutation: every value is copied exactly.

use crate::{OpArgs, RefError, Result, Tensor};

/// 2-D ifftshift over the last two axes. Input: `x` [B, M, N]. Output: `y` [B, M, N].
pub fn ifftshift(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, m, n) = (args.dim("B")?, args.dim("M")?, args.dim("N")?);
    if m == 0 || n == 0 {
        return Err(RefError::Invalid(format!("M={m}, N={n} must be positive")));
    }
    args.input("x")?.expect_shape("x", &[b_dim, m, n])?;
    let x = args.f32s("x")?;
    let mut y = vec![0.0f32; b_dim * m * n];
    for b in 0..b_dim {
        for i in 0..m {
            let si = (i + m / 2) % m; // (i + M div 2) mod M
            for j in 0..n {
                let sj = (j + n / 2) % n; // (j + N div 2) mod N
                y[(b * m + i) * n + j] = x[(b * m + si) * n + sj];
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, m, n], y)])
}
