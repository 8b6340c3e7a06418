//! fdconv_kernel_spatial_modulation_conv: FDConv's Kernel Spatial Modulation (KSM) followed by the
//! per-sample convolution (official code Linwei-Chen/FDConv, `FDConv_detection/mmdet_custom/FDConv.py`:
//! KernelSpatialModulation_Global, KernelSpatialModulation_Local, StarReLU, FDConv.forward).
//!
//! x, xf [B, Cin, H, W] (attentions from x; xf is the tensor convolved), Wt [B, Cout, Cin, k, k]
//! (per-sample kernels), A = max(Cin div 16, 16) hidden attention channels, odd ks:
//!   gx[b,i]   = mean_{h,w} x[b,i,h,w]
//!   z[b,r]    = sr_s · relu(s_bn[r] · Σ_i w_fc[r,i] gx[b,i] + t_bn[r])² + sr_b          (StarReLU)
//!   ch[b,i]   = 2σ(b_ch[i] + Σ_r w_ch[i,r] z[b,r])     fil[b,o] = 2σ(b_fil[o] + Σ_r w_fil[o,r] z[b,r])
//!   sp[b,t]   = 2σ(b_sp[t] + Σ_r w_sp[t,r] z[b,r])     (t = kh·k + kw)
//!   g2[b,:]   = LayerNorm over i of gx[b,:] (biased variance, eps 1e-5, affine ln_w, ln_b)
//!   loc[b,j,i] = Σ_{s<ks} w_loc[j,s] · g2[b, i + s − (ks−1)/2]      (zero outside [0, Cin))
//!   Wf[b,o,i,kh,kw] = sp[b,kh·k+kw] · ch[b,i] · fil[b,o] · 2σ(loc[b, o·k·k + kh·k + kw, i]) · Wt[b,o,i,kh,kw]
//!   y[b,o,p,q] = Σ_{i,kh,kw} Wf[b,o,i,kh,kw] · xf[b, i, p·stride − pad + kh, q·stride − pad + kw]
//! with zero padding, σ(t) = 1/(1 + e^(−t)). f64 throughout; rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

fn sig2(t: f64) -> f64 {
    2.0 / (1.0 + (-t).exp())
}

/// FDConv KSM + per-sample conv. Inputs (spec order): `x`, `xf`, `Wt`, `w_fc`, `s_bn`, `t_bn`,
/// `sr_s`, `sr_b`, `w_ch`, `b_ch`, `w_fil`, `b_fil`, `w_sp`, `b_sp`, `ln_w`, `ln_b`, `w_loc`.
/// Attributes: `k`, `stride`, `pad`, `ks`. Output: `y` [B, Cout, Ho, Wo].
pub fn fdconv_kernel_spatial_modulation_conv(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (bn, cin, cout, h, w) = (args.dim("B")?, args.dim("Cin")?, args.dim("Cout")?, args.dim("H")?, args.dim("W")?);
    let (k, stride, pad, ks) = (args.uint("k")?, args.uint("stride")?, args.uint("pad")?, args.uint("ks")?);
    if k == 0 || stride == 0 || ks % 2 == 0 || h + 2 * pad < k || w + 2 * pad < k || h * w == 0 || cin == 0 {
        return Err(RefError::Invalid(format!(
            "bad conv geometry (k={k}, stride={stride}, pad={pad}, ks={ks}, H={h}, W={w})"
        )));
    }
    let ho = (h + 2 * pad - k) / stride + 1;
    let wo = (w + 2 * pad - k) / stride + 1;
    let a_dim = (cin / 16).max(16);
    let kk = k * k;
    let shapes: [(&str, Vec<usize>); 17] = [
        ("x", vec![bn, cin, h, w]),
        ("xf", vec![bn, cin, h, w]),
        ("Wt", vec![bn, cout, cin, k, k]),
        ("w_fc", vec![a_dim, cin]),
        ("s_bn", vec![a_dim]),
        ("t_bn", vec![a_dim]),
        ("sr_s", vec![1]),
        ("sr_b", vec![1]),
        ("w_ch", vec![cin, a_dim]),
        ("b_ch", vec![cin]),
        ("w_fil", vec![cout, a_dim]),
        ("b_fil", vec![cout]),
        ("w_sp", vec![kk, a_dim]),
        ("b_sp", vec![kk]),
        ("ln_w", vec![cin]),
        ("ln_b", vec![cin]),
        ("w_loc", vec![cout * kk, ks]),
    ];
    for (name, shape) in &shapes {
        args.input(name)?.expect_shape(name, shape)?;
    }
    let f = |s: &str| args.f32s(s);
    let (x, xf, wt) = (f("x")?, f("xf")?, f("Wt")?);
    let (w_fc, s_bn, t_bn) = (f("w_fc")?, f("s_bn")?, f("t_bn")?);
    let (sr_s, sr_b) = (f("sr_s")?[0] as f64, f("sr_b")?[0] as f64);
    let (w_ch, b_ch, w_fil, b_fil, w_sp, b_sp) =
        (f("w_ch")?, f("b_ch")?, f("w_fil")?, f("b_fil")?, f("w_sp")?, f("b_sp")?);
    let (ln_w, ln_b, w_loc) = (f("ln_w")?, f("ln_b")?, f("w_loc")?);
    let hw = h * w;
    // dense layer: bias[o] + Σ_r wm[o, r] · v[r]
    let dense = |wm: &[f32], bias: &[f32], v: &[f64], o: usize| -> f64 {
        bias[o] as f64 + v.iter().enumerate().map(|(r, &z)| wm[o * v.len() + r] as f64 * z).sum::<f64>()
    };

    let mut y = vec![0.0f32; bn * cout * ho * wo];
    for b in 0..bn {
        let gx: Vec<f64> = (0..cin)
            .map(|i| x[(b * cin + i) * hw..][..hw].iter().map(|&v| v as f64).sum::<f64>() / hw as f64)
            .collect();
        let z: Vec<f64> = (0..a_dim)
            .map(|r| {
                let t =
                    s_bn[r] as f64 * (0..cin).map(|i| w_fc[r * cin + i] as f64 * gx[i]).sum::<f64>() + t_bn[r] as f64;
                sr_s * t.max(0.0).powi(2) + sr_b
            })
            .collect();
        let ch: Vec<f64> = (0..cin).map(|i| sig2(dense(w_ch, b_ch, &z, i))).collect();
        let fil: Vec<f64> = (0..cout).map(|o| sig2(dense(w_fil, b_fil, &z, o))).collect();
        let sp: Vec<f64> = (0..kk).map(|t| sig2(dense(w_sp, b_sp, &z, t))).collect();
        let mu = gx.iter().sum::<f64>() / cin as f64;
        let var = gx.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / cin as f64;
        let g2: Vec<f64> =
            (0..cin).map(|i| (gx[i] - mu) / (var + 1e-5).sqrt() * ln_w[i] as f64 + ln_b[i] as f64).collect();
        let half = (ks - 1) / 2;
        // modulated weights
        let mut wf = vec![0.0f64; cout * cin * kk];
        for o in 0..cout {
            for i in 0..cin {
                for t in 0..kk {
                    let j = o * kk + t;
                    let mut loc = 0.0;
                    for s in 0..ks {
                        let ii = i as isize + s as isize - half as isize;
                        if ii >= 0 && (ii as usize) < cin {
                            loc += w_loc[j * ks + s] as f64 * g2[ii as usize];
                        }
                    }
                    wf[(o * cin + i) * kk + t] =
                        sp[t] * ch[i] * fil[o] * sig2(loc) * wt[((b * cout + o) * cin + i) * kk + t] as f64;
                }
            }
        }
        // per-sample convolution
        for o in 0..cout {
            for p in 0..ho {
                for q in 0..wo {
                    let mut acc = 0.0f64;
                    for i in 0..cin {
                        for kh in 0..k {
                            let r = (p * stride + kh) as isize - pad as isize;
                            if r < 0 || r >= h as isize {
                                continue;
                            }
                            for kw in 0..k {
                                let cc = (q * stride + kw) as isize - pad as isize;
                                if cc < 0 || cc >= w as isize {
                                    continue;
                                }
                                acc += wf[(o * cin + i) * kk + kh * k + kw]
                                    * xf[(b * cin + i) * hw + r as usize * w + cc as usize] as f64;
                            }
                        }
                    }
                    y[((b * cout + o) * ho + p) * wo + q] = acc as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![bn, cout, ho, wo], y)])
}
