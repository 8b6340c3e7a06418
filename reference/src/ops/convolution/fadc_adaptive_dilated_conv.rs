//! fadc_adaptive_dilated_conv: FADC's AdaDR (official code Linwei-Chen/FADC
//! `models/conv_custom.py`, AdaptiveDilatedConv with padding_mode 'repeat'): a per-pixel dilation
//! rate is predicted from the feature and realised as an mmcv modulated deformable 3×3 conv whose
//! offsets are the regular 3×3 grid scaled by the predicted dilation. The weight is per sample
//! (the AdaKern output `wb`); no bias (ResNet).
//!
//! x [B, Cin, H, W], wb [B, Cout, Cin, 3, 3], w_off [1, Cin, 3, 3], b_off [1], w_m [9, Cin, 3, 3],
//! b_m [9]; attributes stride s, dil → y [B, Cout, Ho, Wo], Ho = (H−1) div s + 1 (likewise Wo):
//!   xp = replicate_pad(x, 1)                       (Hp = H + 2, Wp = W + 2; edge values repeated)
//!   d[b,ho,wo]   = dil·| Σ_{c,i,j} w_off[0,c,i,j]·xp[b,c,ho·s+i,wo·s+j] + b_off |
//!   m[b,t,ho,wo] = sigmoid(Σ_{c,i,j} w_m[t,c,i,j]·xp[b,c,ho·s+i,wo·s+j] + b_m[t])
//!   tap (i,j): py = ho·s + i + (i−1)·d, px = wo·s + j + (j−1)·d   (coordinates in xp)
//!   y[b,o,ho,wo] = Σ_{c,i,j} wb[b,o,c,i,j]·m[b,3i+j,ho,wo]·bilin0(xp[b,c], py, px)
//! bilin0 (mmcv modulated_deform_conv): 0 unless −1 < py < Hp and −1 < px < Wp; otherwise the
//! bilinear blend of the 4 neighbours floor(p), floor(p)+1 with corners outside xp reading 0.
//! All arithmetic in f64; outputs rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Bilinear sample of a Hp×Wp plane with mmcv's zero convention outside.
fn bilin0(plane: &[f64], hp: usize, wp: usize, py: f64, px: f64) -> f64 {
    if !(py > -1.0 && px > -1.0 && py < hp as f64 && px < wp as f64) {
        return 0.0;
    }
    let (y0, x0) = (py.floor(), px.floor());
    let (ly, lx) = (py - y0, px - x0);
    let at = |yy: f64, xx: f64| -> f64 {
        if yy < 0.0 || xx < 0.0 || yy > (hp - 1) as f64 || xx > (wp - 1) as f64 {
            0.0
        } else {
            plane[yy as usize * wp + xx as usize]
        }
    };
    (1.0 - ly) * (1.0 - lx) * at(y0, x0)
        + (1.0 - ly) * lx * at(y0, x0 + 1.0)
        + ly * (1.0 - lx) * at(y0 + 1.0, x0)
        + ly * lx * at(y0 + 1.0, x0 + 1.0)
}

/// Adaptive dilated (modulated deformable) 3×3 conv. Inputs: `x` [B, Cin, H, W], `wb`
/// [B, Cout, Cin, 3, 3], `w_off` [1, Cin, 3, 3], `b_off` [1], `w_m` [9, Cin, 3, 3], `b_m` [9].
/// Attributes: `stride`, `dil`. Output: `y` [B, Cout, Ho, Wo].
pub fn fadc_adaptive_dilated_conv(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, cin, cout) = (args.dim("B")?, args.dim("Cin")?, args.dim("Cout")?);
    let (h, w_dim) = (args.dim("H")?, args.dim("W")?);
    let (s, dil) = (args.uint("stride")?, args.float("dil")?);
    if s == 0 || h == 0 || w_dim == 0 {
        return Err(RefError::Invalid(format!("stride={s}, H={h}, W={w_dim} must be positive")));
    }
    let (ho_n, wo_n) = ((h - 1) / s + 1, (w_dim - 1) / s + 1);
    let (hp, wp) = (h + 2, w_dim + 2);
    args.input("x")?.expect_shape("x", &[b_dim, cin, h, w_dim])?;
    args.input("wb")?.expect_shape("wb", &[b_dim, cout, cin, 3, 3])?;
    args.input("w_off")?.expect_shape("w_off", &[1, cin, 3, 3])?;
    args.input("b_off")?.expect_shape("b_off", &[1])?;
    args.input("w_m")?.expect_shape("w_m", &[9, cin, 3, 3])?;
    args.input("b_m")?.expect_shape("b_m", &[9])?;
    let x = args.f32s("x")?;
    let wb = args.f32s("wb")?;
    let w_off = args.f32s("w_off")?;
    let b_off = args.f32s("b_off")?[0] as f64;
    let w_m = args.f32s("w_m")?;
    let b_m = args.f32s("b_m")?;

    let mut y = vec![0.0f32; b_dim * cout * ho_n * wo_n];
    for b in 0..b_dim {
        // replicate padding by 1
        let mut xp = vec![0.0f64; cin * hp * wp];
        for c in 0..cin {
            for r in 0..hp {
                for q in 0..wp {
                    let (sr, sq) = ((r.max(1) - 1).min(h - 1), (q.max(1) - 1).min(w_dim - 1));
                    xp[(c * hp + r) * wp + q] = x[((b * cin + c) * h + sr) * w_dim + sq] as f64;
                }
            }
        }
        for ho in 0..ho_n {
            for wo in 0..wo_n {
                // 3×3 window of xp at (ho·s, wo·s): the predictors' receptive field
                let win = |c: usize, i: usize, j: usize| xp[(c * hp + ho * s + i) * wp + wo * s + j];
                let mut off = b_off;
                let mut mlog: Vec<f64> = b_m.iter().map(|&v| v as f64).collect();
                for c in 0..cin {
                    for i in 0..3 {
                        for j in 0..3 {
                            let v = win(c, i, j);
                            off += w_off[(c * 3 + i) * 3 + j] as f64 * v;
                            for (t, ml) in mlog.iter_mut().enumerate() {
                                *ml += w_m[((t * cin + c) * 3 + i) * 3 + j] as f64 * v;
                            }
                        }
                    }
                }
                let d = dil * off.abs();
                let m: Vec<f64> = mlog.iter().map(|&v| 1.0 / (1.0 + (-v).exp())).collect();
                // modulated samples col[c, 3i+j]
                let mut col = vec![0.0f64; cin * 9];
                for c in 0..cin {
                    let plane = &xp[c * hp * wp..][..hp * wp];
                    for i in 0..3 {
                        for j in 0..3 {
                            let py = (ho * s + i) as f64 + (i as f64 - 1.0) * d;
                            let px = (wo * s + j) as f64 + (j as f64 - 1.0) * d;
                            col[c * 9 + i * 3 + j] = m[i * 3 + j] * bilin0(plane, hp, wp, py, px);
                        }
                    }
                }
                for o in 0..cout {
                    let wk = &wb[(b * cout + o) * cin * 9..][..cin * 9];
                    let acc: f64 = wk.iter().zip(&col).map(|(&wv, &cv)| wv as f64 * cv).sum();
                    y[((b * cout + o) * ho_n + ho) * wo_n + wo] = acc as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, cout, ho_n, wo_n], y)])
}
