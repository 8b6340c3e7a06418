//! yolov13_dsconv_bn_silu: the YOLOv13 `DSConv` block (official code iMoonLab/yolov13,
//! `ultralytics/nn/modules/conv.py::DSConv`): a depthwise k×k convolution (no bias), a pointwise
//! 1×1 convolution (no bias), BatchNorm in inference form (running statistics, given as inputs,
//! not folded) and SiLU. No normalisation or activation between the two convolutions.
//!
//! x [N, Cin, H, W], w_dw [Cin, 1, k, k], w_pw [Cout, Cin], gamma/beta/mean/var [Cout]
//! → y [N, Cout, Ho, Wo], with p = (d·(k − 1)) // 2 (DSConv's default padding) and
//! Ho = (H + 2p − d·(k − 1) − 1) // s + 1, Wo likewise:
//!   t[n, c, i, j] = Σ_{u,v<k} w_dw[c, 0, u, v] · x[n, c, i·s − p + u·d, j·s − p + v·d]   (zero padding)
//!   z[n, o, i, j] = Σ_{c<Cin} w_pw[o, c] · t[n, c, i, j]
//!   a             = (z − mean[o]) / sqrt(var[o] + eps) · gamma[o] + beta[o]
//!   y             = a · sigmoid(a) = a / (1 + e^(−a))
//! Ultralytics sets every BatchNorm eps to 1e-3. t, z and a are f64; y is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// DSConv + BN + SiLU. Inputs: `x` [N, Cin, H, W], `w_dw` [Cin, 1, k, k], `w_pw` [Cout, Cin],
/// `gamma`, `beta`, `mean`, `var` [Cout]. Attributes: `k`, `stride`, `dilation`, `eps`.
/// Output: `y` [N, Cout, Ho, Wo].
pub fn yolov13_dsconv_bn_silu(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, cin, cout) = (args.dim("N")?, args.dim("Cin")?, args.dim("Cout")?);
    let (h, w_dim) = (args.dim("H")?, args.dim("W")?);
    let (k, s, d) = (args.uint("k")?, args.uint("stride")?, args.uint("dilation")?);
    let eps = args.float("eps")?;
    if k == 0 || s == 0 || d == 0 {
        return Err(RefError::Invalid("k, stride and dilation must be positive".into()));
    }
    let p = d * (k - 1) / 2;
    let span = d * (k - 1) + 1;
    if h + 2 * p < span || w_dim + 2 * p < span {
        return Err(RefError::Invalid("the padded input is smaller than the dilated kernel".into()));
    }
    let ho = (h + 2 * p - span) / s + 1;
    let wo = (w_dim + 2 * p - span) / s + 1;
    args.input("x")?.expect_shape("x", &[n_dim, cin, h, w_dim])?;
    args.input("w_dw")?.expect_shape("w_dw", &[cin, 1, k, k])?;
    args.input("w_pw")?.expect_shape("w_pw", &[cout, cin])?;
    for name in ["gamma", "beta", "mean", "var"] {
        args.input(name)?.expect_shape(name, &[cout])?;
    }
    let (x, w_dw, w_pw) = (args.f32s("x")?, args.f32s("w_dw")?, args.f32s("w_pw")?);
    let (gamma, beta) = (args.f32s("gamma")?, args.f32s("beta")?);
    let (mean, var) = (args.f32s("mean")?, args.f32s("var")?);
    let (plane, oplane) = (h * w_dim, ho * wo);

    let mut y = vec![0.0f32; n_dim * cout * oplane];
    let mut t = vec![0.0f64; cin * oplane];
    for n in 0..n_dim {
        // 1) depthwise k×k, stride s, dilation d, zero padding p
        for c in 0..cin {
            let xc = &x[(n * cin + c) * plane..][..plane];
            for i in 0..ho {
                for j in 0..wo {
                    let mut acc = 0.0f64;
                    for u in 0..k {
                        let ii = (i * s + u * d) as isize - p as isize;
                        if ii < 0 || ii >= h as isize {
                            continue;
                        }
                        for v in 0..k {
                            let jj = (j * s + v * d) as isize - p as isize;
                            if jj < 0 || jj >= w_dim as isize {
                                continue;
                            }
                            acc += w_dw[(c * k + u) * k + v] as f64 * xc[ii as usize * w_dim + jj as usize] as f64;
                        }
                    }
                    t[c * oplane + i * wo + j] = acc;
                }
            }
        }
        // 2) pointwise 1×1, 3) BN (running statistics), 4) SiLU
        for o in 0..cout {
            let scale = gamma[o] as f64 / (var[o] as f64 + eps).sqrt();
            let out = &mut y[(n * cout + o) * oplane..][..oplane];
            for (q, out_q) in out.iter_mut().enumerate() {
                let mut z = 0.0f64;
                for c in 0..cin {
                    z += w_pw[o * cin + c] as f64 * t[c * oplane + q];
                }
                let a = (z - mean[o] as f64) * scale + beta[o] as f64;
                *out_q = (a / (1.0 + (-a).exp())) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, cout, ho, wo], y)])
}
