//! partial_conv3x3: the partial convolution (PConv) of FasterNet / PATNet ("split_cat" forward;
//! the "slicing" inference variant computes the same values). A dense 3×3 convolution (stride 1,
//! zero padding 1, no bias) is applied to the first `Cp = C // n_div` channels; the remaining
//! `C − Cp` channels are passed through untouched (bit-identical copies).
//!
//! x [B, C, H, W], w [Cp, Cp, 3, 3] → y [B, C, H, W]:
//!   y[b, o, i, j] = Σ_{c<Cp, u<3, v<3} w[o, c, u, v] · x[b, c, i + u − 1, j + v − 1]   for o < Cp
//!                   (x outside [0, H) × [0, W) reads as 0: zero padding 1)
//!   y[b, o, i, j] = x[b, o, i, j]                                                   for o ≥ Cp
//! The convolution sums are accumulated in f64 and rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Partial 3×3 convolution. Inputs: `x` [B, C, H, W], `w` [Cp, Cp, 3, 3]. Attribute: `n_div`
/// (Cp = C // n_div). Output: `y` [B, C, H, W].
pub fn partial_conv3x3(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let n_div = args.uint("n_div")?;
    if n_div == 0 || c_dim / n_div == 0 {
        return Err(RefError::Invalid(format!("Cp = C // n_div = {c_dim} // {n_div} must be positive")));
    }
    let cp = c_dim / n_div;
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    args.input("w")?.expect_shape("w", &[cp, cp, 3, 3])?;
    let x = args.f32s("x")?;
    let wt = args.f32s("w")?;
    let plane = h * w_dim;

    // untouched channels (and, provisionally, everything) are copied bit for bit
    let mut y = x.to_vec();
    for b in 0..b_dim {
        let xb = &x[b * c_dim * plane..];
        for o in 0..cp {
            for i in 0..h {
                for j in 0..w_dim {
                    let mut s = 0.0f64;
                    for c in 0..cp {
                        for u in 0..3 {
                            let ii = i as isize + u as isize - 1;
                            if ii < 0 || ii >= h as isize {
                                continue;
                            }
                            for v in 0..3 {
                                let jj = j as isize + v as isize - 1;
                                if jj < 0 || jj >= w_dim as isize {
                                    continue;
                                }
                                let xv = xb[c * plane + ii as usize * w_dim + jj as usize] as f64;
                                s += wt[((o * cp + c) * 3 + u) * 3 + v] as f64 * xv;
                            }
                        }
                    }
                    y[(b * c_dim + o) * plane + i * w_dim + j] = s as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, h, w_dim], y)])
}
