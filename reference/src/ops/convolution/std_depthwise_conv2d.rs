//! std_depthwise_conv2d: depthwise 2-D convolution with bias and "same"-style padding
//! (PyTorch `nn.Conv2d(C, C, k, stride, padding=pad, dilation, groups=C)`).
//!
//! x [N, C, H, W], w [C, 1, k, k], b [C] → y [N, C, Ho, Wo] with
//!   pad = dilation·(k − 1) / 2        (integer division)
//!   Ho  = (H + 2·pad − dilation·(k − 1) − 1) // stride + 1   (same for Wo with W)
//!   y[n, c, i, j] = b[c] + Σ_{u<k} Σ_{v<k} w[c, 0, u, v] · x[n, c, i·stride − pad + u·dilation, j·stride − pad + v·dilation]
//! Each channel is convolved with its own k×k filter (no mixing across channels).
//! Cross-correlation (kernel not flipped); positions outside the image read as 0 (zero padding).
//! Sums are accumulated in f64 and rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Depthwise 2-D convolution. Inputs: `x` [N, C, H, W], `w` [C, 1, k, k], `b` [C].
/// Attributes: `k`, `stride`, `dilation`. Output: `y` [N, C, Ho, Wo].
pub fn std_depthwise_conv2d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, c_dim, h, w_dim) = (args.dim("N")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let (k, stride, dil) = (args.uint("k")?, args.uint("stride")?, args.uint("dilation")?);
    if k == 0 || stride == 0 || dil == 0 {
        return Err(RefError::Invalid("k, stride and dilation must be positive".into()));
    }
    let pad = dil * (k - 1) / 2;
    let span = dil * (k - 1) + 1; // receptive field along each axis
    if h + 2 * pad < span || w_dim + 2 * pad < span {
        return Err(RefError::Invalid("the dilated kernel is larger than the padded input".into()));
    }
    let ho = (h + 2 * pad - span) / stride + 1;
    let wo = (w_dim + 2 * pad - span) / stride + 1;

    args.input("x")?.expect_shape("x", &[n_dim, c_dim, h, w_dim])?;
    args.input("w")?.expect_shape("w", &[c_dim, 1, k, k])?;
    args.input("b")?.expect_shape("b", &[c_dim])?;
    let x = args.f32s("x")?;
    let w = args.f32s("w")?;
    let b = args.f32s("b")?;

    let mut y = vec![0.0f32; n_dim * c_dim * ho * wo];
    let mut acc = vec![0.0f64; ho * wo]; // one output plane
    for n in 0..n_dim {
        for c in 0..c_dim {
            let plane = &x[(n * c_dim + c) * h * w_dim..][..h * w_dim];
            acc.fill(b[c] as f64);
            for u in 0..k {
                for v in 0..k {
                    let wt = w[(c * k + u) * k + v] as f64;
                    for i in 0..ho {
                        let ih = (i * stride + u * dil) as isize - pad as isize;
                        if ih < 0 || ih >= h as isize {
                            continue;
                        }
                        for j in 0..wo {
                            let iw = (j * stride + v * dil) as isize - pad as isize;
                            if iw < 0 || iw >= w_dim as isize {
                                continue;
                            }
                            acc[i * wo + j] += wt * plane[ih as usize * w_dim + iw as usize] as f64;
                        }
                    }
                }
            }
            let out = &mut y[(n * c_dim + c) * ho * wo..][..ho * wo];
            for (dst, &a) in out.iter_mut().zip(&acc) {
                *dst = a as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, c_dim, ho, wo], y)])
}
