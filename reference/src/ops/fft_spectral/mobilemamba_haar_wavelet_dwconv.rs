//! mobilemamba_haar_wavelet_dwconv: the wavelet branch of MobileMamba's WTE-Mamba
//! (`MBWTConv2d.forward`, wt_levels = 1, wt_type = 'db1'): a single-level 2-D Haar transform,
//! a depthwise k×k convolution plus per-channel scale on every sub-band, the inverse Haar
//! transform, and the fusion with the (already computed) global path `g` scaled by `s_base`.
//!
//! x, g [B, C, H, W]; w_wt [4C, 1, k, k]; s_wt [4C]; s_base [C] → y [B, C, H, W]. Sub-band q of
//! channel c is channel m = 4c + q. Odd H or W: x is zero-padded by one row (bottom) / column
//! (right) before the transform and the result is cropped back to H × W (as the official code).
//!   Hh = ceil(H/2), Wh = ceil(W/2); xp = x zero-padded to 2Hh × 2Wh
//!   a = xp[2i, 2j], b = xp[2i, 2j+1], p = xp[2i+1, 2j], q = xp[2i+1, 2j+1]
//!   S[4c+0] = (a+b+p+q)/2, S[4c+1] = (a+b−p−q)/2, S[4c+2] = (a−b+p−q)/2, S[4c+3] = (a−b−p+q)/2
//!   T[m, i, j] = s_wt[m] · Σ_{u,v<k} w_wt[m, 0, u, v] · S[m, i+u−k/2, j+v−k/2]   (zero outside Hh × Wh)
//!   z[c, 2i, 2j]   = (t0+t1+t2+t3)/2,  z[c, 2i, 2j+1]   = (t0+t1−t2−t3)/2
//!   z[c, 2i+1, 2j] = (t0−t1+t2−t3)/2,  z[c, 2i+1, 2j+1] = (t0−t1−t2+t3)/2      (t_q = T[4c+q, i, j])
//!   y[b, c, h, w]  = s_base[c] · g[b, c, h, w] + z[c, h, w]                    (h < H, w < W)
//! Everything is computed in f64 and rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Haar-wavelet-domain depthwise convolution. Inputs: `x`, `g` [B, C, H, W], `w_wt` [4C, 1, k, k],
/// `s_wt` [4C], `s_base` [C]. Attribute: `k` (odd). Output: `y` [B, C, H, W].
pub fn mobilemamba_haar_wavelet_dwconv(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (nb, nc, h, w) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let k = args.uint("k")?;
    if k % 2 == 0 {
        return Err(RefError::Invalid(format!("kernel size k = {k} must be odd")));
    }
    args.input("x")?.expect_shape("x", &[nb, nc, h, w])?;
    args.input("g")?.expect_shape("g", &[nb, nc, h, w])?;
    args.input("w_wt")?.expect_shape("w_wt", &[4 * nc, 1, k, k])?;
    args.input("s_wt")?.expect_shape("s_wt", &[4 * nc])?;
    args.input("s_base")?.expect_shape("s_base", &[nc])?;
    let (x, g, wt, s_wt, s_base) =
        (args.f32s("x")?, args.f32s("g")?, args.f32s("w_wt")?, args.f32s("s_wt")?, args.f32s("s_base")?);
    let (hh, wh) = (h.div_ceil(2), w.div_ceil(2));
    let pad = (k / 2) as isize;
    let plane = h * w;
    let mut y = vec![0.0f32; nb * nc * plane];
    let mut s = vec![0.0f64; 4 * hh * wh];
    let mut t = vec![0.0f64; 4 * hh * wh];
    for b in 0..nb {
        for (c, &sb) in s_base.iter().enumerate().take(nc) {
            let base = (b * nc + c) * plane;
            // zero-padded read of x
            let xv = |i: usize, j: usize| if i < h && j < w { x[base + i * w + j] as f64 } else { 0.0 };
            // 1. forward Haar transform
            for i in 0..hh {
                for j in 0..wh {
                    let (a, bb, p, q) =
                        (xv(2 * i, 2 * j), xv(2 * i, 2 * j + 1), xv(2 * i + 1, 2 * j), xv(2 * i + 1, 2 * j + 1));
                    let o = i * wh + j;
                    s[o] = 0.5 * (a + bb + p + q);
                    s[hh * wh + o] = 0.5 * (a + bb - p - q);
                    s[2 * hh * wh + o] = 0.5 * (a - bb + p - q);
                    s[3 * hh * wh + o] = 0.5 * (a - bb - p + q);
                }
            }
            // 2. depthwise 'same' conv per sub-band, then the wavelet scale
            for q in 0..4 {
                let m = 4 * c + q;
                let kw = &wt[m * k * k..(m + 1) * k * k];
                let sb = &s[q * hh * wh..(q + 1) * hh * wh];
                for i in 0..hh {
                    for j in 0..wh {
                        let mut acc = 0.0f64;
                        for u in 0..k {
                            let ii = i as isize + u as isize - pad;
                            if ii < 0 || ii >= hh as isize {
                                continue;
                            }
                            for v in 0..k {
                                let jj = j as isize + v as isize - pad;
                                if jj < 0 || jj >= wh as isize {
                                    continue;
                                }
                                acc += kw[u * k + v] as f64 * sb[ii as usize * wh + jj as usize];
                            }
                        }
                        t[q * hh * wh + i * wh + j] = s_wt[m] as f64 * acc;
                    }
                }
            }
            // 3. inverse Haar transform (cropped to H x W) and 4. fusion with the global path
            for i in 0..hh {
                for j in 0..wh {
                    let o = i * wh + j;
                    let (t0, t1, t2, t3) = (t[o], t[hh * wh + o], t[2 * hh * wh + o], t[3 * hh * wh + o]);
                    let z = [
                        [0.5 * (t0 + t1 + t2 + t3), 0.5 * (t0 + t1 - t2 - t3)],
                        [0.5 * (t0 - t1 + t2 - t3), 0.5 * (t0 - t1 - t2 + t3)],
                    ];
                    for (di, zr) in z.iter().enumerate() {
                        for (dj, &zv) in zr.iter().enumerate() {
                            let (ii, jj) = (2 * i + di, 2 * j + dj);
                            if ii < h && jj < w {
                                let idx = base + ii * w + jj;
                                y[idx] = (sb as f64 * g[idx] as f64 + zv) as f32;
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![nb, nc, h, w], y)])
}
