//! max_pool2d: 2-D max pooling (PyTorch `nn.MaxPool2d(kernel, stride, pad)`, dilation 1,
//! ceil_mode=False).
//!
//! x [N, C, H, W] → y [N, C, Ho, Wo] with
//!   Ho = (H + 2·pad − kernel) // stride + 1   (floor; same for Wo with W)
//!   y[n, c, i, j] = max_{u<kernel, v<kernel} x[n, c, i·stride − pad + u, j·stride − pad + v]
//! Padded positions (outside [0, H) × [0, W)) count as −inf, so they never win: the result is
//! the maximum over the in-range part of the window. As in PyTorch, pad ≤ kernel/2 is required,
//! which guarantees every window contains at least one real element. NaN inputs propagate.

use crate::{OpArgs, RefError, Result, Tensor};

/// Max pooling. Inputs: `x` [N, C, H, W]. Attributes: `kernel`, `stride`, `pad`.
/// Output: `y` [N, C, Ho, Wo].
pub fn max_pool2d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, c_dim, h, w_dim) = (args.dim("N")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let (kernel, stride, pad) = (args.uint("kernel")?, args.uint("stride")?, args.uint("pad")?);
    if kernel == 0 || stride == 0 {
        return Err(RefError::Invalid("kernel and stride must be positive".into()));
    }
    if 2 * pad > kernel {
        return Err(RefError::Invalid(format!("pad={pad} must be at most kernel/2 (kernel={kernel})")));
    }
    if h + 2 * pad < kernel || w_dim + 2 * pad < kernel {
        return Err(RefError::Invalid("the kernel is larger than the padded input".into()));
    }
    let ho = (h + 2 * pad - kernel) / stride + 1;
    let wo = (w_dim + 2 * pad - kernel) / stride + 1;
    let x_t = args.input("x")?;
    x_t.expect_shape("x", &[n_dim, c_dim, h, w_dim])?;
    let x = x_t.f32s("x")?;

    let mut y = vec![0.0f32; n_dim * c_dim * ho * wo];
    for nc in 0..n_dim * c_dim {
        let plane = &x[nc * h * w_dim..][..h * w_dim];
        for i in 0..ho {
            for j in 0..wo {
                let mut m = f32::NEG_INFINITY; // the value of every padded position
                for u in 0..kernel {
                    let ih = (i * stride + u) as isize - pad as isize;
                    if ih < 0 || ih >= h as isize {
                        continue;
                    }
                    for v in 0..kernel {
                        let iw = (j * stride + v) as isize - pad as isize;
                        if iw < 0 || iw >= w_dim as isize {
                            continue;
                        }
                        let val = plane[ih as usize * w_dim + iw as usize];
                        if val > m || val.is_nan() {
                            m = val;
                        }
                    }
                }
                y[(nc * ho + i) * wo + j] = m;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, c_dim, ho, wo], y)])
}
