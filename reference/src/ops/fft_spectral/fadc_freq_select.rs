//! fadc_freq_select: FADC's FreqSelect (official code Linwei-Chen/FADC `models/conv_custom.py`,
//! `FrequencySelection` with lp_type 'freq', act 'sigmoid', spatial_group 1, lowfreq_att False).
//! The input is split into frequency bands by centred box low-pass masks in the fftshift-ed
//! spectrum (k_list = [k1, k2, k3] = [2, 4, 8]); each high band is reweighted by a spatial
//! attention map predicted from x; the lowest band passes unweighted.
//!
//! x [B, C, H, W], wb [3, C, 3, 3] (row j = the j-th 3×3 conv C→1), bb [3] → y [B, C, H, W]:
//!   X = fft2(x, norm="ortho")                               (per (b, c) plane)
//!   lo_H(f) = rnd(H/2 − H/(2f)), hi_H(f) = rnd(H/2 + H/(2f))  (rnd = round half to even, in f64)
//!   keep_j[u, v] = ((u + H div 2) mod H) ∈ [lo_H(k_j), hi_H(k_j)) and likewise v with W
//!   prev = x ; y = 0
//!   for j in 0..3:
//!       low  = Re(ifft2(X ⊙ keep_j, norm="ortho"))
//!       high = prev − low ; prev = low
//!       att  = 2·sigmoid(conv2d(x, wb[j], zero pad 1) + bb[j])    [B, 1, H, W]
//!       y   += att ⊙ high
//!   y += prev
//! Empty boxes (e.g. H = 8, f = 8 gives [4, 4)) make `low` exactly 0. The mask is separable
//! (rows × columns), so low = Re(F_H^{-1} · diag(r) · F_H · x · F_W · diag(c) · F_W^{-1}) is
//! computed by direct 1-D DFTs along W then H in f64; outputs are rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Kept (unshifted) bins along an axis of length n for the box of factor f.
fn keep_mask(n: usize, f: f64) -> Vec<bool> {
    let nf = n as f64;
    let lo = (nf / 2.0 - nf / (2.0 * f)).round_ties_even();
    let hi = (nf / 2.0 + nf / (2.0 * f)).round_ties_even();
    (0..n)
        .map(|u| {
            let s = ((u + n / 2) % n) as f64;
            s >= lo && s < hi
        })
        .collect()
}

/// 1-D DFT of `n` complex values with stride `step` in place (sign −1 forward, +1 inverse),
/// scaled by 1/sqrt(n) (norm="ortho").
fn dft_strided(re: &mut [f64], im: &mut [f64], start: usize, step: usize, n: usize, sign: f64) {
    let scale = 1.0 / (n as f64).sqrt();
    // twiddles e^{sign·2πi·m/n}, indexed by the exact reduced m = (k·t) mod n
    let angle = |m: usize| sign * 2.0 * std::f64::consts::PI * m as f64 / n as f64;
    let (cs, sn): (Vec<f64>, Vec<f64>) =
        ((0..n).map(|m| angle(m).cos()).collect(), (0..n).map(|m| angle(m).sin()).collect());
    let (mut or, mut oi) = (vec![0.0f64; n], vec![0.0f64; n]);
    for k in 0..n {
        let (mut a, mut b) = (0.0f64, 0.0f64);
        for t in 0..n {
            let (c, s) = (cs[(k * t) % n], sn[(k * t) % n]);
            let (xr, xi) = (re[start + t * step], im[start + t * step]);
            a += xr * c - xi * s;
            b += xr * s + xi * c;
        }
        or[k] = a * scale;
        oi[k] = b * scale;
    }
    for k in 0..n {
        re[start + k * step] = or[k];
        im[start + k * step] = oi[k];
    }
}

/// 2-D DFT (ortho) of an h×w complex plane.
fn dft2(re: &mut [f64], im: &mut [f64], h: usize, w: usize, sign: f64) {
    for r in 0..h {
        dft_strided(re, im, r * w, 1, w, sign);
    }
    for c in 0..w {
        dft_strided(re, im, c, w, h, sign);
    }
}

/// FreqSelect. Inputs: `x` [B, C, H, W], `wb` [3, C, 3, 3], `bb` [3]. Attributes: `k1`, `k2`,
/// `k3` (the box factors, 2, 4, 8). Output: `y` [B, C, H, W].
pub fn fadc_freq_select(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let ks = [args.float("k1")?, args.float("k2")?, args.float("k3")?];
    if h == 0 || w_dim == 0 || ks.iter().any(|&k| k <= 0.0) {
        return Err(RefError::Invalid(format!("H={h}, W={w_dim} and k factors {ks:?} must be positive")));
    }
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    args.input("wb")?.expect_shape("wb", &[3, c_dim, 3, 3])?;
    args.input("bb")?.expect_shape("bb", &[3])?;
    let x = args.f32s("x")?;
    let wb = args.f32s("wb")?;
    let bb = args.f32s("bb")?;
    let plane = h * w_dim;
    let masks: Vec<(Vec<bool>, Vec<bool>)> = ks.iter().map(|&k| (keep_mask(h, k), keep_mask(w_dim, k))).collect();

    let mut y = vec![0.0f32; x.len()];
    for b in 0..b_dim {
        let xb = &x[b * c_dim * plane..][..c_dim * plane];
        // att[j][p] = 2·sigmoid(conv2d(x, wb[j], pad 1) + bb[j])
        let mut att = vec![vec![0.0f64; plane]; 3];
        for (j, att_j) in att.iter_mut().enumerate() {
            for i in 0..h {
                for jj in 0..w_dim {
                    let mut s = bb[j] as f64;
                    for c in 0..c_dim {
                        for u in 0..3 {
                            let ii = i as isize + u as isize - 1;
                            if ii < 0 || ii >= h as isize {
                                continue;
                            }
                            for v in 0..3 {
                                let kk = jj as isize + v as isize - 1;
                                if kk < 0 || kk >= w_dim as isize {
                                    continue;
                                }
                                s += wb[((j * c_dim + c) * 3 + u) * 3 + v] as f64
                                    * xb[c * plane + ii as usize * w_dim + kk as usize] as f64;
                            }
                        }
                    }
                    att_j[i * w_dim + jj] = 2.0 / (1.0 + (-s).exp());
                }
            }
        }
        for c in 0..c_dim {
            let xc = &xb[c * plane..][..plane];
            let (mut sr, mut si) = (xc.iter().map(|&v| v as f64).collect::<Vec<f64>>(), vec![0.0f64; plane]);
            dft2(&mut sr, &mut si, h, w_dim, -1.0);
            let mut prev: Vec<f64> = xc.iter().map(|&v| v as f64).collect();
            let mut out = vec![0.0f64; plane];
            for (j, (rows, cols)) in masks.iter().enumerate() {
                let (mut lr, mut li) = (sr.clone(), si.clone());
                for u in 0..h {
                    for v in 0..w_dim {
                        if !(rows[u] && cols[v]) {
                            lr[u * w_dim + v] = 0.0;
                            li[u * w_dim + v] = 0.0;
                        }
                    }
                }
                dft2(&mut lr, &mut li, h, w_dim, 1.0);
                // high = prev − low is weighted into the output; low becomes the next prev
                for (p, o) in out.iter_mut().enumerate() {
                    *o += att[j][p] * (prev[p] - lr[p]);
                }
                prev.copy_from_slice(&lr);
            }
            let yc = &mut y[(b * c_dim + c) * plane..][..plane];
            for p in 0..plane {
                yc[p] = (out[p] + prev[p]) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, h, w_dim], y)])
}
