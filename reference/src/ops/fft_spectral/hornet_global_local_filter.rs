//! hornet_global_local_filter: HorNet's GlobalLocalFilter (official `hornet.py::GlobalLocalFilter`
//! with the channels-first `LayerNorm`, eps 1e−6).
//!
//! x [N, C, H, W], g1, b1 [C], W_dw [Ch, 1, 3, 3], Wc [Ch, fh, fw, 2], g2, b2 [C] → y [N, C, H, W],
//! Ch = C / 2, Wf = W // 2 + 1:
//!   u = LN_c(x; g1, b1)                (per pixel over channels, biased variance)
//!   a = dwconv3×3(u[:, :Ch], W_dw; zero pad 1, no bias)
//!   bo = irfft2(rfft2(u[:, Ch:], ortho) · F, s = (H, W), ortho)
//!        F = Wc[..., 0] + i·Wc[..., 1], each part resized to (H, Wf) by bilinear interpolation with
//!        align_corners = True when (fh, fw) ≠ (H, Wf)
//!   v[:, 2c] = a[:, c],  v[:, 2c + 1] = bo[:, c]           (interleaved)
//!   y = LN_c(v; g2, b2)
//! The transforms are direct separable DFTs in f64 (exact-index twiddle tables). The inverse is a
//! complex inverse DFT along H followed by the real (C2R) inverse along W, which keeps only the
//! real part of the k2 = 0 and (even W) k2 = W/2 columns, as numpy / PyTorch `irfft2` do.

use crate::{OpArgs, RefError, Result, Tensor};
use std::f64::consts::PI;

/// Per-pixel LayerNorm over the channel axis of one image `t` [C, hw].
fn layernorm_channels(t: &[f64], g: &[f32], b: &[f32], c_dim: usize, hw: usize) -> Vec<f64> {
    let mut out = vec![0.0f64; c_dim * hw];
    for p in 0..hw {
        let mean = (0..c_dim).map(|c| t[c * hw + p]).sum::<f64>() / c_dim as f64;
        let var = (0..c_dim).map(|c| (t[c * hw + p] - mean).powi(2)).sum::<f64>() / c_dim as f64;
        let inv = 1.0 / (var + 1e-6).sqrt();
        for c in 0..c_dim {
            out[c * hw + p] = (t[c * hw + p] - mean) * inv * g[c] as f64 + b[c] as f64;
        }
    }
    out
}

/// Bilinear (align_corners = True) source taps along one axis: (t0, t1, lambda) per output index.
fn align_corners_taps(len_in: usize, len_out: usize) -> Vec<(usize, usize, f64)> {
    (0..len_out)
        .map(|t| {
            let src = if len_out > 1 { t as f64 * (len_in - 1) as f64 / (len_out - 1) as f64 } else { 0.0 };
            let t0 = (src.floor() as usize).min(len_in - 1);
            let t1 = (t0 + 1).min(len_in - 1);
            (t0, t1, src - t0 as f64)
        })
        .collect()
}

/// GlobalLocalFilter. Inputs `x, g1, b1, W_dw, Wc, g2, b2`; attributes `fh`, `fw`. Output `y`.
pub fn hornet_global_local_filter(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, c_dim, h, w_dim) = (args.dim("N")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let (fh, fw) = (args.uint("fh")?, args.uint("fw")?);
    if c_dim % 2 != 0 || c_dim == 0 || fh == 0 || fw == 0 || h == 0 || w_dim == 0 {
        return Err(RefError::Invalid(format!("need even C > 0 and nonempty sizes (C = {c_dim})")));
    }
    let ch = c_dim / 2;
    let wf = w_dim / 2 + 1;
    let hw = h * w_dim;
    args.input("x")?.expect_shape("x", &[n_dim, c_dim, h, w_dim])?;
    for name in ["g1", "b1", "g2", "b2"] {
        args.input(name)?.expect_shape(name, &[c_dim])?;
    }
    args.input("W_dw")?.expect_shape("W_dw", &[ch, 1, 3, 3])?;
    args.input("Wc")?.expect_shape("Wc", &[ch, fh, fw, 2])?;
    let x = args.f32s("x")?;
    let (g1, b1, g2, b2) = (args.f32s("g1")?, args.f32s("b1")?, args.f32s("g2")?, args.f32s("b2")?);
    let w_dw = args.f32s("W_dw")?;
    let wc = args.f32s("Wc")?;

    // complex filter on the (H, Wf) half-spectrum grid
    let rows = align_corners_taps(fh, h);
    let cols = align_corners_taps(fw, wf);
    let mut filt = vec![(0.0f64, 0.0f64); ch * h * wf];
    for c in 0..ch {
        for (k1, &(r0, r1, lr)) in rows.iter().enumerate() {
            for (k2, &(c0, c1, lc)) in cols.iter().enumerate() {
                let at = |r: usize, col: usize, part: usize| wc[((c * fh + r) * fw + col) * 2 + part] as f64;
                let interp = |part: usize| {
                    (1.0 - lr) * (1.0 - lc) * at(r0, c0, part)
                        + (1.0 - lr) * lc * at(r0, c1, part)
                        + lr * (1.0 - lc) * at(r1, c0, part)
                        + lr * lc * at(r1, c1, part)
                };
                filt[(c * h + k1) * wf + k2] = (interp(0), interp(1));
            }
        }
    }
    // twiddles e^{2πi t / L} for t < L
    let tw = |len: usize| -> Vec<(f64, f64)> {
        (0..len).map(|t| (2.0 * PI * t as f64 / len as f64).sin_cos()).map(|(s, c)| (c, s)).collect()
    };
    let (tw_h, tw_w) = (tw(h), tw(w_dim));
    let norm = 1.0 / hw as f64; // ortho forward times ortho inverse

    let mut y = vec![0.0f32; n_dim * c_dim * hw];
    let mut half = vec![(0.0f64, 0.0f64); h * wf];
    let mut spec = vec![(0.0f64, 0.0f64); h * wf];
    for n in 0..n_dim {
        let xn: Vec<f64> = x[n * c_dim * hw..][..c_dim * hw].iter().map(|&v| v as f64).collect();
        let u = layernorm_channels(&xn, g1, b1, c_dim, hw);
        let mut v = vec![0.0f64; c_dim * hw];
        for c in 0..ch {
            // local branch: depthwise 3x3, zero padding 1
            let uc = &u[c * hw..][..hw];
            let k = &w_dw[c * 9..][..9];
            for i in 0..h {
                for j in 0..w_dim {
                    let mut s = 0.0f64;
                    for p in 0..3 {
                        let ii = (i + p) as isize - 1;
                        if ii < 0 || ii >= h as isize {
                            continue;
                        }
                        for q in 0..3 {
                            let jj = (j + q) as isize - 1;
                            if jj < 0 || jj >= w_dim as isize {
                                continue;
                            }
                            s += k[p * 3 + q] as f64 * uc[ii as usize * w_dim + jj as usize];
                        }
                    }
                    v[2 * c * hw + i * w_dim + j] = s;
                }
            }
            // global branch
            let u2 = &u[(ch + c) * hw..][..hw];
            // forward real DFT along W: half[r][k2] = Σ_s u2[r,s] e^{-2πi k2 s / W}
            for r in 0..h {
                for k2 in 0..wf {
                    let (mut re, mut im) = (0.0, 0.0);
                    for s in 0..w_dim {
                        let (cs, sn) = tw_w[(k2 * s) % w_dim];
                        re += u2[r * w_dim + s] * cs;
                        im -= u2[r * w_dim + s] * sn;
                    }
                    half[r * wf + k2] = (re, im);
                }
            }
            // forward DFT along H, then multiply by the filter
            for k1 in 0..h {
                for k2 in 0..wf {
                    let (mut re, mut im) = (0.0, 0.0);
                    for r in 0..h {
                        let (cs, sn) = tw_h[(k1 * r) % h];
                        let (a, b) = half[r * wf + k2];
                        re += a * cs + b * sn;
                        im += b * cs - a * sn;
                    }
                    let (fr, fi) = filt[(c * h + k1) * wf + k2];
                    spec[k1 * wf + k2] = (re * fr - im * fi, re * fi + im * fr);
                }
            }
            // inverse complex DFT along H
            for r in 0..h {
                for k2 in 0..wf {
                    let (mut re, mut im) = (0.0, 0.0);
                    for k1 in 0..h {
                        let (cs, sn) = tw_h[(k1 * r) % h];
                        let (a, b) = spec[k1 * wf + k2];
                        re += a * cs - b * sn;
                        im += a * sn + b * cs;
                    }
                    half[r * wf + k2] = (re, im);
                }
            }
            // inverse real DFT along W (Hermitian completion of the half spectrum)
            for r in 0..h {
                for s in 0..w_dim {
                    let mut acc = 0.0;
                    for k2 in 0..wf {
                        let mult = if k2 == 0 || 2 * k2 == w_dim { 1.0 } else { 2.0 };
                        let (cs, sn) = tw_w[(k2 * s) % w_dim];
                        let (a, b) = half[r * wf + k2];
                        acc += mult * (a * cs - b * sn);
                    }
                    v[(2 * c + 1) * hw + r * w_dim + s] = acc * norm;
                }
            }
        }
        let out = layernorm_channels(&v, g2, b2, c_dim, hw);
        for (dst, &o) in y[n * c_dim * hw..][..c_dim * hw].iter_mut().zip(&out) {
            *dst = o as f32;
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, c_dim, h, w_dim], y)])
}
