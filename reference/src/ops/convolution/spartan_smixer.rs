//! spartan_smixer: the spatial mixer (SMixer) of SpaRTAN (official code henry-pay/SpaRTAN,
//! `src/model/spartan.py`, classes SMixer, SELayer, ConvNormAct), with BatchNorm folded into a
//! per-channel scale/shift.
//!
//! x [B, C, H, W] (NCHW), Ci = C / 2, groups g (attribute `dw`: g = 1 when dw = 0, g = Ci when
//! dw = 1), Cg = Ci / g input channels per group, Cr = Ci / 4 (SE reduction 4):
//!   y[b,c,h,w] = b_in[c] + Σ_k w_in[c,k] · x[b,k,h,w]                       (1×1 conv, c < Ci)
//!   y          = y + gamma[c] · (y − mean_{h,w} y[b,c])                       (detail boost)
//!   hb = GELU( s_h[c] · conv3x3(y;  w_h,  pad 1, dil 1, groups g) + t_h[c] )
//!   l1 =                conv3x3(y;  w_l1, pad 2, dil 2, groups g)
//!   lb = GELU( s_l[c] · conv3x3(l1; w_l2, pad 2, dil 2, groups g) + t_l[c] )
//!   SE(z): p = mean_{h,w} z ; a = sigmoid(wex · relu(wsq · p + bsq) + bex) ; z · a[b,c]
//!   cat = [SE(hb; *_h), SE(lb; *_l)]                                           (high branch first)
//!   out[b,o,h,w] = b_out[o] + Σ_c w_out[o,c] · cat[b,c,h,w]
//! conv3x3(z; w, pad p, dil d, groups g)[c,h,w] = Σ_{q<Cg,u<3,v<3} w[c,q,u,v] · z[(c / Cg)·Cg + q,
//! h + d·u − p, w + d·v − p] with zero padding (the spatial size is kept). GELU is the exact erf
//! form. Every intermediate is kept in f64; the output is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// SpaRTAN SMixer. Inputs (spec order): `x`, `w_in`, `b_in`, `gamma`, `w_h`, `s_h`, `t_h`, `w_l1`,
/// `w_l2`, `s_l`, `t_l`, `wsq_h`, `bsq_h`, `wex_h`, `bex_h`, `wsq_l`, `bsq_l`, `wex_l`, `bex_l`,
/// `w_out`, `b_out`. Attribute: `dw` (0: dense 3×3 convs, 1: depthwise). Output: `out` [B, C, H, W].
pub fn spartan_smixer(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (bn, c, h, w) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let dw = args.uint("dw")?;
    if c % 8 != 0 || c == 0 || h * w == 0 || dw > 1 {
        return Err(RefError::Invalid(format!("need C % 8 == 0, C, H, W > 0 and dw in {{0, 1}} (C={c}, dw={dw})")));
    }
    let ci = c / 2;
    let g = if dw == 1 { ci } else { 1 };
    let cg = ci / g;
    let cr = ci / 4;
    let shapes: [(&str, Vec<usize>); 21] = [
        ("x", vec![bn, c, h, w]),
        ("w_in", vec![ci, c]),
        ("b_in", vec![ci]),
        ("gamma", vec![ci]),
        ("w_h", vec![ci, cg, 3, 3]),
        ("s_h", vec![ci]),
        ("t_h", vec![ci]),
        ("w_l1", vec![ci, cg, 3, 3]),
        ("w_l2", vec![ci, cg, 3, 3]),
        ("s_l", vec![ci]),
        ("t_l", vec![ci]),
        ("wsq_h", vec![cr, ci]),
        ("bsq_h", vec![cr]),
        ("wex_h", vec![ci, cr]),
        ("bex_h", vec![ci]),
        ("wsq_l", vec![cr, ci]),
        ("bsq_l", vec![cr]),
        ("wex_l", vec![ci, cr]),
        ("bex_l", vec![ci]),
        ("w_out", vec![c, c]),
        ("b_out", vec![c]),
    ];
    for (name, shape) in &shapes {
        args.input(name)?.expect_shape(name, shape)?;
    }
    let f = |n: &str| args.f32s(n);
    let x = f("x")?;
    let hw = h * w;
    let conv = |z: &[f64], wt: &[f32], pad: isize, dil: isize| -> Vec<f64> {
        // one image: z [Ci, H, W] -> [Ci, H, W]
        let mut out = vec![0.0f64; ci * hw];
        for co in 0..ci {
            let base = (co / cg) * cg;
            for i in 0..h {
                for j in 0..w {
                    let mut s = 0.0f64;
                    for q in 0..cg {
                        for u in 0..3 {
                            let ii = i as isize + dil * u as isize - pad;
                            if ii < 0 || ii >= h as isize {
                                continue;
                            }
                            for v in 0..3 {
                                let jj = j as isize + dil * v as isize - pad;
                                if jj < 0 || jj >= w as isize {
                                    continue;
                                }
                                s += wt[((co * cg + q) * 3 + u) * 3 + v] as f64
                                    * z[(base + q) * hw + ii as usize * w + jj as usize];
                            }
                        }
                    }
                    out[co * hw + i * w + j] = s;
                }
            }
        }
        out
    };
    let se = |z: &mut [f64], wsq: &[f32], bsq: &[f32], wex: &[f32], bex: &[f32]| {
        let p: Vec<f64> = (0..ci).map(|cc| z[cc * hw..(cc + 1) * hw].iter().sum::<f64>() / hw as f64).collect();
        let r: Vec<f64> = (0..cr)
            .map(|j| (bsq[j] as f64 + (0..ci).map(|cc| wsq[j * ci + cc] as f64 * p[cc]).sum::<f64>()).max(0.0))
            .collect();
        for cc in 0..ci {
            let t = bex[cc] as f64 + (0..cr).map(|j| wex[cc * cr + j] as f64 * r[j]).sum::<f64>();
            let a = 1.0 / (1.0 + (-t).exp());
            for v in &mut z[cc * hw..(cc + 1) * hw] {
                *v *= a;
            }
        }
    };
    let (w_in, b_in, gamma) = (f("w_in")?, f("b_in")?, f("gamma")?);
    let (w_h, s_h, t_h) = (f("w_h")?, f("s_h")?, f("t_h")?);
    let (w_l1, w_l2, s_l, t_l) = (f("w_l1")?, f("w_l2")?, f("s_l")?, f("t_l")?);
    let (w_out, b_out) = (f("w_out")?, f("b_out")?);

    let mut out = vec![0.0f32; bn * c * hw];
    for b in 0..bn {
        let xb = &x[b * c * hw..(b + 1) * c * hw];
        // 1×1 input projection, then the DC-suppression / detail boost
        let mut y = vec![0.0f64; ci * hw];
        for cc in 0..ci {
            for p in 0..hw {
                let mut s = b_in[cc] as f64;
                for k in 0..c {
                    s += w_in[cc * c + k] as f64 * xb[k * hw + p] as f64;
                }
                y[cc * hw + p] = s;
            }
            let m = y[cc * hw..(cc + 1) * hw].iter().sum::<f64>() / hw as f64;
            for v in &mut y[cc * hw..(cc + 1) * hw] {
                *v += gamma[cc] as f64 * (*v - m);
            }
        }
        // high branch: 3×3, dilation 1; low branch: two 3×3, dilation 2
        let mut hb = conv(&y, w_h, 1, 1);
        let l1 = conv(&y, w_l1, 2, 2);
        let mut lb = conv(&l1, w_l2, 2, 2);
        for cc in 0..ci {
            for p in 0..hw {
                let i = cc * hw + p;
                hb[i] = gelu(s_h[cc] as f64 * hb[i] + t_h[cc] as f64);
                lb[i] = gelu(s_l[cc] as f64 * lb[i] + t_l[cc] as f64);
            }
        }
        se(&mut hb, f("wsq_h")?, f("bsq_h")?, f("wex_h")?, f("bex_h")?);
        se(&mut lb, f("wsq_l")?, f("bsq_l")?, f("wex_l")?, f("bex_l")?);
        // output projection over cat = [hb, lb]
        for o in 0..c {
            for p in 0..hw {
                let mut s = b_out[o] as f64;
                for cc in 0..ci {
                    s += w_out[o * c + cc] as f64 * hb[cc * hw + p];
                    s += w_out[o * c + ci + cc] as f64 * lb[cc * hw + p];
                }
                out[(b * c + o) * hw + p] = s as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![bn, c, h, w], out)])
}

/// Exact GELU: 0.5 · t · erfc(−t/√2).
fn gelu(t: f64) -> f64 {
    0.5 * t * erfc(-t * std::f64::consts::FRAC_1_SQRT_2)
}

/// erfc in f64 (relative error < 1e-13): positive-term series for |t| < 2, continued fraction
/// for t ≥ 2, reflection erfc(t) = 2 − erfc(−t) for t ≤ −2.
fn erfc(t: f64) -> f64 {
    if t <= -2.0 {
        return 2.0 - erfc(-t);
    }
    if t < 2.0 {
        let (mut term, mut sum) = (t, t);
        for n in 1..200 {
            term *= 2.0 * t * t / (2 * n + 1) as f64;
            sum += term;
            if term.abs() <= sum.abs() * 1e-17 {
                break;
            }
        }
        return 1.0 - std::f64::consts::FRAC_2_SQRT_PI * (-t * t).exp() * sum;
    }
    let mut f = t;
    for m in (1..=60).rev() {
        f = t + (m as f64 / 2.0) / f;
    }
    (-t * t).exp() / std::f64::consts::PI.sqrt() / f
}
