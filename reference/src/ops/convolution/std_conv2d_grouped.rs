//! std_conv2d_grouped: 2-D grouped convolution with bias (PyTorch `nn.Conv2d` semantics).
//!
//! x [N, Cin, H, W], w [Cout, Cin/groups, kh, kw], b [Cout] → y [N, Cout, Ho, Wo] with
//!   Ho = (H + 2·pad − dilation·(kh − 1) − 1) // stride + 1
//!   Wo = (W + 2·pad − dilation·(kw − 1) − 1) // stride + 1
//! and, writing cg = Cin/groups and og = Cout/groups (output channel o belongs to group o / og),
//!   y[n, o, i, j] = b[o] + Σ_{c<cg} Σ_{u<kh} Σ_{v<kw}
//!                   w[o, c, u, v] · x[n, (o / og)·cg + c, i·stride − pad + u·dilation, j·stride − pad + v·dilation]
//! This is cross-correlation (the kernel is not flipped). Positions outside [0, H) × [0, W) read
//! as 0 (zero padding). The same stride, pad and dilation apply to both spatial axes. Sums are
//! accumulated in f64 and rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Grouped 2-D convolution. Inputs: `x` [N, Cin, H, W], `w` [Cout, Cin/groups, kh, kw],
/// `b` [Cout]. Attributes: `kh`, `kw`, `stride`, `pad`, `dilation`, `groups`.
/// Output: `y` [N, Cout, Ho, Wo].
pub fn std_conv2d_grouped(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, cin, cout, h, w_dim) =
        (args.dim("N")?, args.dim("Cin")?, args.dim("Cout")?, args.dim("H")?, args.dim("W")?);
    let (kh, kw) = (args.uint("kh")?, args.uint("kw")?);
    let (stride, pad, dil, groups) =
        (args.uint("stride")?, args.uint("pad")?, args.uint("dilation")?, args.uint("groups")?);
    if kh == 0 || kw == 0 || stride == 0 || dil == 0 || groups == 0 {
        return Err(RefError::Invalid("kh, kw, stride, dilation and groups must be positive".into()));
    }
    if cin % groups != 0 || cout % groups != 0 {
        return Err(RefError::Invalid(format!("Cin={cin} and Cout={cout} must be divisible by groups={groups}")));
    }
    let (span_h, span_w) = (dil * (kh - 1) + 1, dil * (kw - 1) + 1); // receptive field
    if h + 2 * pad < span_h || w_dim + 2 * pad < span_w {
        return Err(RefError::Invalid("the dilated kernel is larger than the padded input".into()));
    }
    let ho = (h + 2 * pad - span_h) / stride + 1;
    let wo = (w_dim + 2 * pad - span_w) / stride + 1;
    let cg = cin / groups; // input channels per group
    let og = cout / groups; // output channels per group

    args.input("x")?.expect_shape("x", &[n_dim, cin, h, w_dim])?;
    args.input("w")?.expect_shape("w", &[cout, cg, kh, kw])?;
    args.input("b")?.expect_shape("b", &[cout])?;
    let x = args.f32s("x")?;
    let w = args.f32s("w")?;
    let b = args.f32s("b")?;

    let mut y = vec![0.0f32; n_dim * cout * ho * wo];
    let mut acc = vec![0.0f64; ho * wo]; // one output plane
    for n in 0..n_dim {
        for o in 0..cout {
            acc.fill(b[o] as f64);
            let first_in = (o / og) * cg;
            for c in 0..cg {
                let plane = &x[(n * cin + first_in + c) * h * w_dim..][..h * w_dim];
                for u in 0..kh {
                    for v in 0..kw {
                        let wt = w[((o * cg + c) * kh + u) * kw + v] as f64;
                        for i in 0..ho {
                            // input row, as a signed index: may fall in the padding
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
            }
            let out = &mut y[(n * cout + o) * ho * wo..][..ho * wo];
            for (dst, &a) in out.iter_mut().zip(&acc) {
                *dst = a as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, cout, ho, wo], y)])
}
