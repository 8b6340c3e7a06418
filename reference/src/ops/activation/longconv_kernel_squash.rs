//! longconv_kernel_squash: the kernel regularisation of "Simple Hardware-Efficient Long
//! Convolutions" (Fu et al., ICML 2023; official code HazyResearch/safari,
//! `src/models/sequence/long_conv_kernel.py::LongConvKernel.forward`): an optional moving-average
//! "Smooth" along the kernel length, then the "Squash" soft threshold. Eval mode (kernel dropout
//! is the identity).
//!
//! k [C, H, Lk] → k_out [C, H, Lk]; attributes lam (λ), smooth (bool), window w (odd):
//!   if smooth: s[c, h, l] = (1/w) Σ_{t=−w//2}^{w//2} k[c, h, l + t]
//!              (AvgPool1d(w, stride 1, padding w//2, count_include_pad=True): taps outside
//!               [0, Lk) read 0 and the divisor is always w)
//!   else:      s = k
//!   k_out = sign(s) · max(|s| − λ, 0)       (sign(0) = 0; the result is continuous in s)
//! The window sum is accumulated in f64; k_out is rounded to f32 once.

use crate::{AttrValue, OpArgs, RefError, Result, Tensor};

/// Smooth (optional) + soft threshold. Input: `k` [C, H, Lk]. Attributes: `lam`, `smooth`,
/// `window`. Output: `k_out` [C, H, Lk].
pub fn longconv_kernel_squash(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (c_dim, h_dim, lk) = (args.dim("C")?, args.dim("H")?, args.dim("Lk")?);
    let lam = args.float("lam")?;
    // `smooth` is a boolean in the spec; 0/1 integers are accepted too
    let smooth = match args.attrs.get("smooth") {
        Some(AttrValue::Int(i)) => *i != 0,
        _ => args.flag("smooth")?,
    };
    let w = args.uint("window")?;
    if w % 2 == 0 {
        return Err(RefError::Invalid(format!("window {w} must be odd")));
    }
    args.input("k")?.expect_shape("k", &[c_dim, h_dim, lk])?;
    let k = args.f32s("k")?;
    let half = (w / 2) as isize;

    let mut out = vec![0.0f32; k.len()];
    for row in 0..c_dim * h_dim {
        let kr = &k[row * lk..(row + 1) * lk];
        for l in 0..lk {
            let s = if smooth {
                let mut acc = 0.0f64;
                for t in -half..=half {
                    let idx = l as isize + t;
                    if idx >= 0 && (idx as usize) < lk {
                        acc += kr[idx as usize] as f64;
                    }
                }
                acc / w as f64
            } else {
                kr[l] as f64
            };
            let mag = (s.abs() - lam).max(0.0);
            let signed = if s > 0.0 {
                mag
            } else if s < 0.0 {
                -mag
            } else {
                0.0
            };
            out[row * lk + l] = signed as f32;
        }
    }
    Ok(vec![Tensor::from_f32(vec![c_dim, h_dim, lk], out)])
}
