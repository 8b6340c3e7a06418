//! std_dct2_ii_unnormalized: 2-D DCT-II without normalisation (scipy `dct(type=2, norm=None)`,
//! as used by ScaleKD), applied along W and then along H of every `H x W` plane.
//!
//! Along one axis of length L the transform is
//!   X[k] = 2 · Σ_{n=0}^{L−1} x[n] · cos(π · k · (2n + 1) / (2L)),   k = 0 .. L−1
//! so for x [B, H, W] → X [B, H, W]:
//!   T[b, h, k2]  = 2 · Σ_w x[b, h, w] · cos(π · k2 · (2w + 1) / (2W))      (along W)
//!   X[b, k1, k2] = 2 · Σ_h T[b, h, k2] · cos(π · k1 · (2h + 1) / (2H))     (then along H)
//! (the two passes commute; the factor is 4 overall, no 1/sqrt or orthonormal scaling).
//! Computed in f64 as two direct O(L²) passes; X is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// `c[k * len + n] = 2·cos(π·k·(2n + 1) / (2·len))`.
fn dct_matrix(len: usize) -> Vec<f64> {
    let mut c = vec![0.0; len * len];
    for k in 0..len {
        for n in 0..len {
            let angle = std::f64::consts::PI * (k * (2 * n + 1)) as f64 / (2 * len) as f64;
            c[k * len + n] = 2.0 * angle.cos();
        }
    }
    c
}

/// Unnormalised 2-D DCT-II. Input: `x` [B, H, W]. Output: `X` [B, H, W].
pub fn std_dct2_ii_unnormalized(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, h, w) = (args.dim("B")?, args.dim("H")?, args.dim("W")?);
    if h == 0 || w == 0 {
        return Err(RefError::Invalid(format!("H={h}, W={w} must be positive")));
    }
    args.input("x")?.expect_shape("x", &[b_dim, h, w])?;
    let x = args.f32s("x")?;
    let (cw, ch) = (dct_matrix(w), dct_matrix(h));
    let mut out = vec![0.0f32; b_dim * h * w];
    let mut t = vec![0.0f64; h * w];
    for b in 0..b_dim {
        let plane = &x[b * h * w..][..h * w];
        // Along W: T[h, k2] = Σ_w x[h, w]·cw[k2, w].
        for r in 0..h {
            for k2 in 0..w {
                let mut acc = 0.0f64;
                for c in 0..w {
                    acc += plane[r * w + c] as f64 * cw[k2 * w + c];
                }
                t[r * w + k2] = acc;
            }
        }
        // Along H: X[k1, k2] = Σ_h ch[k1, h]·T[h, k2].
        for k1 in 0..h {
            for k2 in 0..w {
                let mut acc = 0.0f64;
                for r in 0..h {
                    acc += ch[k1 * h + r] * t[r * w + k2];
                }
                out[(b * h + k1) * w + k2] = acc as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, h, w], out)])
}
