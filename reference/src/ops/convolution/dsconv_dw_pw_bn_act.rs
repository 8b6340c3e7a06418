//! dsconv_dw_pw_bn_act: a fused depthwise-separable convolution block, MobileNet-style variant of
//! the YOLOv13 DSConv (official code iMoonLab/yolov13, `ultralytics/nn/modules/conv.py::DSConv`,
//! which has no norm/activation between the two convolutions; the MobileNet-style block used by
//! AutoNeural adds BatchNorm + activation after the depthwise conv too). BatchNorms are given in
//! folded inference form (s = γ/√(var + eps), t = β − mean·s, eps = 1e-3 in Ultralytics); the
//! activation is hardswish(a) = a · min(max(a + 3, 0), 6) / 6.
//!
//! x [B, Cin, H, W], w_dw [Cin, 1, k, k], s_dw/t_dw [Cin], w_pw [Cout, Cin], s/t [Cout]
//! → y [B, Cout, Ho, Wo], p = (d·(k − 1)) // 2, Ho = (H + 2p − d·(k − 1) − 1) // stride + 1:
//!   u[b, c, i, j] = Σ_{a,e<k} w_dw[c, 0, a, e] · x[b, c, i·stride − p + a·d, j·stride − p + e·d]  (zero pad)
//!   v[b, c, i, j] = hardswish(s_dw[c] · u[b, c, i, j] + t_dw[c])
//!   y[b, o, i, j] = hardswish(s[o] · Σ_{c<Cin} w_pw[o, c] · v[b, c, i, j] + t[o])
//! u, v and the pointwise sums are f64; y is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Depthwise conv + BN + hardswish, pointwise conv + BN + hardswish. Inputs: `x`, `w_dw`, `s_dw`,
/// `t_dw`, `w_pw`, `s`, `t`. Attributes: `k`, `stride`, `dilation`. Output: `y` [B, Cout, Ho, Wo].
pub fn dsconv_dw_pw_bn_act(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, cin, cout) = (args.dim("B")?, args.dim("Cin")?, args.dim("Cout")?);
    let (h, w_dim) = (args.dim("H")?, args.dim("W")?);
    let (k, st, dl) = (args.uint("k")?, args.uint("stride")?, args.uint("dilation")?);
    if k == 0 || st == 0 || dl == 0 {
        return Err(RefError::Invalid("k, stride and dilation must be positive".into()));
    }
    let p = dl * (k - 1) / 2;
    let span = dl * (k - 1) + 1;
    if h + 2 * p < span || w_dim + 2 * p < span {
        return Err(RefError::Invalid("input smaller than the dilated kernel".into()));
    }
    let ho = (h + 2 * p - span) / st + 1;
    let wo = (w_dim + 2 * p - span) / st + 1;
    args.input("x")?.expect_shape("x", &[b_dim, cin, h, w_dim])?;
    args.input("w_dw")?.expect_shape("w_dw", &[cin, 1, k, k])?;
    args.input("s_dw")?.expect_shape("s_dw", &[cin])?;
    args.input("t_dw")?.expect_shape("t_dw", &[cin])?;
    args.input("w_pw")?.expect_shape("w_pw", &[cout, cin])?;
    args.input("s")?.expect_shape("s", &[cout])?;
    args.input("t")?.expect_shape("t", &[cout])?;
    let (x, w_dw, s_dw, t_dw) = (args.f32s("x")?, args.f32s("w_dw")?, args.f32s("s_dw")?, args.f32s("t_dw")?);
    let (w_pw, s, t) = (args.f32s("w_pw")?, args.f32s("s")?, args.f32s("t")?);
    let hardswish = |a: f64| a * (a + 3.0).clamp(0.0, 6.0) / 6.0;

    let plane = ho * wo;
    let mut y = vec![0.0f32; b_dim * cout * plane];
    let mut v = vec![0.0f64; cin * plane];
    for b in 0..b_dim {
        // depthwise + BN + act
        for c in 0..cin {
            let xc = &x[(b * cin + c) * h * w_dim..][..h * w_dim];
            for i in 0..ho {
                for j in 0..wo {
                    let mut acc = 0.0f64;
                    for a in 0..k {
                        let ii = (i * st + a * dl) as isize - p as isize;
                        if ii < 0 || ii >= h as isize {
                            continue;
                        }
                        for e in 0..k {
                            let jj = (j * st + e * dl) as isize - p as isize;
                            if jj < 0 || jj >= w_dim as isize {
                                continue;
                            }
                            acc += w_dw[(c * k + a) * k + e] as f64 * xc[ii as usize * w_dim + jj as usize] as f64;
                        }
                    }
                    v[c * plane + i * wo + j] = hardswish(s_dw[c] as f64 * acc + t_dw[c] as f64);
                }
            }
        }
        // pointwise + BN + act
        for o in 0..cout {
            for q in 0..plane {
                let mut acc = 0.0f64;
                for c in 0..cin {
                    acc += w_pw[o * cin + c] as f64 * v[c * plane + q];
                }
                y[(b * cout + o) * plane + q] = hardswish(s[o] as f64 * acc + t[o] as f64) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, cout, ho, wo], y)])
}
