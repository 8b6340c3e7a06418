//! std_l2_normalize: L2 normalisation along the channel axis of an NCHW tensor (PyTorch
//! `F.normalize(x, p=2, dim=1, eps)` semantics).
//!
//! x [B, C, H, W]; attribute `eps` (1e-12) → y [B, C, H, W]. For every pixel (b, h, w), over the
//! C values x[b, 0..C, h, w] (strided by H·W in memory):
//!   norm[b, h, w] = sqrt( Σ_c x[b, c, h, w]² )
//!   y[b, c, h, w] = x[b, c, h, w] / max(norm[b, h, w], eps)
//! eps clamps the norm itself (not the sum of squares), so an all-zero pixel gives zeros. The sum
//! of squares is accumulated in f64; y is rounded to f32 once.

use crate::{OpArgs, Result, Tensor};

/// L2 normalisation over channels. Input: `x` [B, C, H, W]. Attribute: `eps`.
/// Output: `y` [B, C, H, W].
pub fn std_l2_normalize(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let eps = args.float("eps")?;
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    let x = args.f32s("x")?;
    let plane = h * w_dim;

    let mut y = vec![0.0f32; x.len()];
    for b in 0..b_dim {
        for p in 0..plane {
            // element (b, c, p) lives at (b*C + c)*H*W + p
            let at = |c: usize| (b * c_dim + c) * plane + p;
            let mut sq = 0.0f64;
            for c in 0..c_dim {
                let v = x[at(c)] as f64;
                sq += v * v;
            }
            let denom = sq.sqrt().max(eps);
            for c in 0..c_dim {
                y[at(c)] = (x[at(c)] as f64 / denom) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, h, w_dim], y)])
}
