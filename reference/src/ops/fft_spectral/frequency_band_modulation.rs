//! frequency_band_modulation: FDConv's Frequency Band Modulation (FBM) (official code
//! Linwei-Chen/FDConv, `FDConv_detection/mmdet_custom/FDConv.py`, FrequencyBandModulation,
//! get_fft2freq; k_list = [2, 4, 8], spatial_group 1, lowfreq_att False): the feature is split into
//! frequency bands by nested low-pass masks in the rFFT domain and every high band is reweighted by
//! a spatial attention map computed from the input.
//!
//! x [B, C, H, W] (W even), wb [3, C, 3, 3], bb [3], k_j = attributes k0, k1, k2:
//!   base_j[r,c] = max(|r'|, c) ≤ 32 / k_j on the 64 × 33 grid (r' = r if r < 32 else r − 64): the
//!                 catalogue's max(|fftfreq(64)[r]|, c/64) < 0.5/k_j + 1e-8 in exact arithmetic
//!   mask_j[u,v] = base_j[src(u, 64, H), src(v, 33, W/2 + 1)]
//!                 src(d, in, out) = min(floor(f32(d) · (f32(in) / f32(out))), in − 1)  (f32, PyTorch nearest)
//!   X   = rfft2(x) per (b, c) plane (unnormalised; the two "ortho" factors combine to 1/(H·W))
//!   low_j = irfft2(X ⊙ mask_j, s=(H, W)) / (H·W) in numpy's convention: complex inverse DFT along
//!           u, then a c2r inverse along v that ignores the imaginary parts of bins 0 and W/2
//!   prev_0 = x; high_j = prev_j − low_j; prev_{j+1} = low_j
//!   att_j[b,h,w] = 2σ( bb[j] + Σ_{c,u,v} wb[j,c,u,v] · x[b, c, h+u−1, w+v−1] )   (zero padding 1)
//!   out = Σ_j att_j ⊙ high_j + low_2          (att broadcast over channels)
//! The DFTs are direct separable sums in f64 with exact integer-indexed twiddles; rounded once.

use crate::{OpArgs, RefError, Result, Tensor};

/// PyTorch 'nearest' source index (f32 arithmetic).
fn src(d: usize, inp: usize, out: usize) -> usize {
    if inp == out {
        return d;
    }
    let scale = inp as f32 / out as f32;
    ((d as f32 * scale).floor() as usize).min(inp - 1)
}

/// Frequency band modulation. Inputs: `x` [B, C, H, W], `wb` [3, C, 3, 3], `bb` [3]. Attributes:
/// `k0`, `k1`, `k2`. Output: `out` [B, C, H, W].
pub fn frequency_band_modulation(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (bn, c, h, w) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let ks = [args.uint("k0")?, args.uint("k1")?, args.uint("k2")?];
    if w % 2 != 0 || h == 0 || w == 0 || ks.contains(&0) {
        return Err(RefError::Invalid(format!("need W even, H, W > 0 and positive k_list (H={h}, W={w})")));
    }
    args.input("x")?.expect_shape("x", &[bn, c, h, w])?;
    args.input("wb")?.expect_shape("wb", &[3, c, 3, 3])?;
    args.input("bb")?.expect_shape("bb", &[3])?;
    let (x, wb, bb) = (args.f32s("x")?, args.f32s("wb")?, args.f32s("bb")?);
    let wh = w / 2 + 1;
    let hw = h * w;
    // masks [3][H][Wh]
    let masks: Vec<Vec<bool>> = ks
        .iter()
        .map(|&k| {
            let mut m = vec![false; h * wh];
            for u in 0..h {
                for v in 0..wh {
                    let r = src(u, 64, h) as i64;
                    let cc = src(v, 33, wh) as i64;
                    let rs = if r < 32 { r } else { r - 64 };
                    // max(|r'|, c)/64 < 0.5/k + 1e-8  ⇔  max(|r'|, c) · k ≤ 32 (integers)
                    m[u * wh + v] = rs.abs().max(cc) * k as i64 <= 32;
                }
            }
            m
        })
        .collect();
    let tw = |len: usize| -> Vec<(f64, f64)> {
        (0..len)
            .map(|t| {
                let th = 2.0 * std::f64::consts::PI * t as f64 / len as f64;
                (th.cos(), th.sin())
            })
            .collect()
    };
    let (twh, tww) = (tw(h), tw(w));
    // attention maps [B][3][H·W]
    let mut att = vec![0.0f64; bn * 3 * hw];
    for b in 0..bn {
        for j in 0..3 {
            for i in 0..h {
                for jj in 0..w {
                    let mut s = bb[j] as f64;
                    for cc in 0..c {
                        for u in 0..3 {
                            let r = i as isize + u as isize - 1;
                            if r < 0 || r >= h as isize {
                                continue;
                            }
                            for v in 0..3 {
                                let q = jj as isize + v as isize - 1;
                                if q < 0 || q >= w as isize {
                                    continue;
                                }
                                s += wb[((j * c + cc) * 3 + u) * 3 + v] as f64
                                    * x[(b * c + cc) * hw + r as usize * w + q as usize] as f64;
                            }
                        }
                    }
                    att[(b * 3 + j) * hw + i * w + jj] = 2.0 / (1.0 + (-s).exp());
                }
            }
        }
    }
    let mut out = vec![0.0f32; bn * c * hw];
    let mut rr = vec![(0.0f64, 0.0f64); h * wh];
    let mut xx = vec![(0.0f64, 0.0f64); h * wh];
    let mut zz = vec![(0.0f64, 0.0f64); h * wh];
    for b in 0..bn {
        for cc in 0..c {
            let xp = &x[(b * c + cc) * hw..][..hw];
            // forward: real DFT along w, then complex DFT along h (e^{−iθ})
            for i in 0..h {
                for v in 0..wh {
                    let (mut re, mut im) = (0.0, 0.0);
                    for q in 0..w {
                        let (cs, sn) = tww[(v * q) % w];
                        re += xp[i * w + q] as f64 * cs;
                        im -= xp[i * w + q] as f64 * sn;
                    }
                    rr[i * wh + v] = (re, im);
                }
            }
            for u in 0..h {
                for v in 0..wh {
                    let (mut re, mut im) = (0.0, 0.0);
                    for i in 0..h {
                        let (cs, sn) = twh[(u * i) % h];
                        let (a, bi) = rr[i * wh + v];
                        re += a * cs + bi * sn;
                        im += bi * cs - a * sn;
                    }
                    xx[u * wh + v] = (re, im);
                }
            }
            let mut prev: Vec<f64> = xp.iter().map(|&v| v as f64).collect();
            let mut acc = vec![0.0f64; hw];
            for (j, mask) in masks.iter().enumerate() {
                // complex inverse DFT along u of the masked spectrum (e^{+iθ})
                for i in 0..h {
                    for v in 0..wh {
                        let (mut re, mut im) = (0.0, 0.0);
                        for u in 0..h {
                            if !mask[u * wh + v] {
                                continue;
                            }
                            let (cs, sn) = twh[(u * i) % h];
                            let (a, bi) = xx[u * wh + v];
                            re += a * cs - bi * sn;
                            im += a * sn + bi * cs;
                        }
                        zz[i * wh + v] = (re, im);
                    }
                }
                // c2r along v (imaginary parts of bins 0 and W/2 ignored), scaled by 1/(H·W)
                let scale = 1.0 / hw as f64;
                for i in 0..h {
                    for q in 0..w {
                        let sign = if q % 2 == 0 { 1.0 } else { -1.0 };
                        let mut s = zz[i * wh].0 + sign * zz[i * wh + w / 2].0;
                        for v in 1..w / 2 {
                            let (cs, sn) = tww[(v * q) % w];
                            let (a, bi) = zz[i * wh + v];
                            s += 2.0 * (a * cs - bi * sn);
                        }
                        let low = s * scale;
                        let p = i * w + q;
                        acc[p] += att[(b * 3 + j) * hw + p] * (prev[p] - low);
                        prev[p] = low;
                    }
                }
            }
            for p in 0..hw {
                out[(b * c + cc) * hw + p] = (acc[p] + prev[p]) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![bn, c, h, w], out)])
}
