//! blur_kernel_convolution: the forward blur operator `y = k ⊛ x` of unsupervised (reblurring)
//! deblurring, in its circular (periodic-boundary) form — the operator that the Fourier-domain
//! `psf2otf` convention diagonalises. The catalogue's definition is inferred (no official code).
//!
//! x [B, C, H, W], k [B, KH, KW] (one kernel per image, shared by all channels) → y [B, C, H, W]:
//!   y[b, c, i, j] = Σ_{u<KH, v<KW} k[b, u, v] · x[b, c, (i − u + KH//2) mod H, (j − v + KW//2) mod W]
//! i.e. a true convolution (kernel flipped relative to cross-correlation) whose centre tap
//! (KH//2, KW//2) multiplies x[i, j], with indices wrapped periodically (mod with a non-negative
//! result). This equals `real(ifft2(fft2(x) · psf2otf(k, H, W)))`. The kernel is not assumed to be
//! normalised. Sums are accumulated in f64 and rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Circular blur. Inputs: `x` [B, C, H, W], `k` [B, KH, KW]. Output: `y` [B, C, H, W].
pub fn blur_kernel_convolution(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let (kh, kw) = (args.dim("KH")?, args.dim("KW")?);
    if h == 0 || w_dim == 0 {
        return Err(RefError::Invalid("H and W must be positive for periodic indexing".into()));
    }
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    args.input("k")?.expect_shape("k", &[b_dim, kh, kw])?;
    let x = args.f32s("x")?;
    let k = args.f32s("k")?;
    let plane = h * w_dim;
    let (ch, cw) = ((kh / 2) as i64, (kw / 2) as i64);

    let mut y = vec![0.0f32; x.len()];
    for b in 0..b_dim {
        let kb = &k[b * kh * kw..][..kh * kw];
        for c in 0..c_dim {
            let xc = &x[(b * c_dim + c) * plane..][..plane];
            let yc = &mut y[(b * c_dim + c) * plane..][..plane];
            for i in 0..h {
                for j in 0..w_dim {
                    let mut s = 0.0f64;
                    for u in 0..kh {
                        let ii = (i as i64 - u as i64 + ch).rem_euclid(h as i64) as usize;
                        for v in 0..kw {
                            let jj = (j as i64 - v as i64 + cw).rem_euclid(w_dim as i64) as usize;
                            s += kb[u * kw + v] as f64 * xc[ii * w_dim + jj] as f64;
                        }
                    }
                    yc[i * w_dim + j] = s as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, h, w_dim], y)])
}
