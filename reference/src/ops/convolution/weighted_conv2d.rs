//! weighted_conv2d: the "optimal weighted convolution" of Cammarasana & Patanè (official code
//! cammarasana123/weightedConvolution2.0, `wConv.py::wConv2d`, `wConv_Trainable.py`). The kernel
//! is multiplied element-wise by a fixed, symmetric, separable spatial density matrix `Phi`
//! before an ordinary 2-D convolution (PyTorch `Conv2d` semantics: cross-correlation, zero
//! padding, stride, dilation, groups; no bias, the module's default).
//!
//! x [B, Cin, H, W], w [Cout, Cin/groups, k, k], den [(k − 1)/2] → y [B, Cout, Ho, Wo]:
//!   alfa = concat(den, [1], reverse(den))           (length k, centre 1)
//!   Phi[u, v] = alfa[u] · alfa[v]
//!   y[b, o, i, j] = Σ_{c<Cin/groups, u<k, v<k} w[o, c, u, v] · Phi[u, v]
//!                     · x[b, g·Cin/groups + c, i·stride − pad + u·dil, j·stride − pad + v·dil]
//!   with g = o // (Cout/groups); x outside the image reads as 0.
//! `den` is an input (the trainable variant; in `wConv.py` it is a fixed buffer). The sums are
//! accumulated in f64 and rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Weighted 2-D convolution. Inputs: `x` [B, Cin, H, W], `w` [Cout, Cin/groups, k, k],
/// `den` [(k−1)/2]. Attributes: `k` (odd), `stride`, `pad`, `dilation`, `groups`.
/// Output: `y` [B, Cout, Ho, Wo].
pub fn weighted_conv2d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, cin, cout, h, w_dim) =
        (args.dim("B")?, args.dim("Cin")?, args.dim("Cout")?, args.dim("H")?, args.dim("W")?);
    let k = args.uint("k")?;
    let stride = args.uint("stride")?;
    let pad = args.uint("pad")?;
    let dil = args.uint("dilation")?;
    let groups = args.uint("groups")?;
    if k % 2 == 0 || stride == 0 || dil == 0 || groups == 0 || cin % groups != 0 || cout % groups != 0 {
        return Err(RefError::Invalid(format!(
            "need odd k ({k}), stride, dilation >= 1 and groups ({groups}) dividing Cin ({cin}) and Cout ({cout})"
        )));
    }
    let span = dil * (k - 1) + 1;
    if h + 2 * pad < span || w_dim + 2 * pad < span {
        return Err(RefError::Invalid("kernel larger than the padded input".into()));
    }
    let ho = (h + 2 * pad - span) / stride + 1;
    let wo = (w_dim + 2 * pad - span) / stride + 1;
    let (cg, og) = (cin / groups, cout / groups);
    let half = (k - 1) / 2;
    args.input("x")?.expect_shape("x", &[b_dim, cin, h, w_dim])?;
    args.input("w")?.expect_shape("w", &[cout, cg, k, k])?;
    args.input("den")?.expect_shape("den", &[half])?;
    let x = args.f32s("x")?;
    let wt = args.f32s("w")?;
    let den = args.f32s("den")?;

    // alfa = [den[0], ..., den[half-1], 1, den[half-1], ..., den[0]]
    let mut alfa = vec![1.0f64; k];
    for t in 0..half {
        alfa[t] = den[t] as f64;
        alfa[k - 1 - t] = den[t] as f64;
    }

    let mut y = vec![0.0f32; b_dim * cout * ho * wo];
    for b in 0..b_dim {
        for o in 0..cout {
            let g = o / og;
            for i in 0..ho {
                for j in 0..wo {
                    let mut s = 0.0f64;
                    for c in 0..cg {
                        let xc = &x[((b * cin + g * cg + c) * h) * w_dim..][..h * w_dim];
                        for u in 0..k {
                            let ii = (i * stride + u * dil) as isize - pad as isize;
                            if ii < 0 || ii >= h as isize {
                                continue;
                            }
                            for v in 0..k {
                                let jj = (j * stride + v * dil) as isize - pad as isize;
                                if jj < 0 || jj >= w_dim as isize {
                                    continue;
                                }
                                let wv = wt[((o * cg + c) * k + u) * k + v] as f64 * (alfa[u] * alfa[v]);
                                s += wv * xc[ii as usize * w_dim + jj as usize] as f64;
                            }
                        }
                    }
                    y[((b * cout + o) * ho + i) * wo + j] = s as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, cout, ho, wo], y)])
}
