//! std_interpolate_resize: bilinear resize by an integer factor with the half-pixel convention
//! (PyTorch `F.interpolate(x, scale_factor=scale, mode="bilinear", align_corners=False)`).
//!
//! x [B, C, H, W]; attribute `scale` (integer ≥ 1) → y [B, C, Ho, Wo] with Ho = scale·H,
//! Wo = scale·W. Along one axis of input size n_in, output index d reads
//!   src(d) = max((d + 0.5) / scale − 0.5, 0)      (= max((d + 0.5)·n_in/n_out − 0.5, 0))
//!   i0 = floor(src),  i1 = min(i0 + 1, n_in − 1),  λ = src − i0
//! and the interpolation is separable, rows (r0, r1, λh) and columns (c0, c1, λw):
//!   y[b, c, i, j] = (1 − λh)·((1 − λw)·x[b, c, r0, c0] + λw·x[b, c, r0, c1])
//!                 +      λh ·((1 − λw)·x[b, c, r1, c0] + λw·x[b, c, r1, c1])
//! Computed in f64; y is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Source taps (i0, i1, λ) for output index `d` along an axis of input size `n_in`.
fn taps(d: usize, n_in: usize, scale: usize) -> (usize, usize, f64) {
    let src = ((d as f64 + 0.5) / scale as f64 - 0.5).max(0.0);
    let i0 = (src.floor() as usize).min(n_in - 1);
    let i1 = (i0 + 1).min(n_in - 1);
    (i0, i1, src - i0 as f64)
}

/// Bilinear upsampling (align_corners=False). Input: `x` [B, C, H, W]. Attribute: `scale`.
/// Output: `y` [B, C, scale·H, scale·W].
pub fn std_interpolate_resize(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let scale = args.uint("scale")?;
    if scale == 0 || h == 0 || w_dim == 0 {
        return Err(RefError::Invalid(format!("scale={scale}, H={h}, W={w_dim} must be positive")));
    }
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    let x = args.f32s("x")?;
    let (ho, wo) = (h * scale, w_dim * scale);
    let col_taps: Vec<(usize, usize, f64)> = (0..wo).map(|j| taps(j, w_dim, scale)).collect();

    let mut y = vec![0.0f32; b_dim * c_dim * ho * wo];
    for bc in 0..b_dim * c_dim {
        let plane = &x[bc * h * w_dim..][..h * w_dim];
        let at = |r: usize, c: usize| plane[r * w_dim + c] as f64;
        for i in 0..ho {
            let (r0, r1, lh) = taps(i, h, scale);
            for (j, &(c0, c1, lw)) in col_taps.iter().enumerate() {
                let top = (1.0 - lw) * at(r0, c0) + lw * at(r0, c1);
                let bot = (1.0 - lw) * at(r1, c0) + lw * at(r1, c1);
                y[(bc * ho + i) * wo + j] = ((1.0 - lh) * top + lh * bot) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, ho, wo], y)])
}
