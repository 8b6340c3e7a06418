//! wiener_deconvolution_fft: closed-form Fourier-domain (Wiener / Tikhonov) deconvolution of a
//! blurred image given a blur-kernel estimate, as used by uncertainty-aware unsupervised deblurring
//! (definition inferred: blur model y = k ⊛ x with circular boundaries).
//!
//! y [B, C, H, W] (blurred), k [B, KH, KW] (one kernel per image, shared by its channels; KH, KW
//! odd), lam [B] (regulariser / noise-to-signal ratio) → x [B, C, H, W]:
//!   K = psf2otf(k[b], H, W): k placed at the top-left of an H×W zero array, rolled by
//!       (−(KH div 2), −(KW div 2)) so its centre sits at (0, 0), then fft2 (unscaled), i.e.
//!       K[u, v] = Σ_{p,q} k[b, p, q]·e^{−2πi·(u·(p − KH div 2)/H + v·(q − KW div 2)/W)}
//!   Y = fft2(y[b, c])                                   (unscaled)
//!   D = lam[b]                                          (attr grad_prior = false)
//!   D[u, v] = lam[b]·(4·sin²(π·u/H) + 4·sin²(π·v/W))    (attr grad_prior = true)
//!   x[b, c] = Re(ifft2(conj(K)·Y / (|K|² + D)))          (ifft2 with 1/(H·W))
//! All FFTs are exact-twiddle mixed-radix DFTs in f64 (see `Dft`); outputs rounded to f32 once.

use crate::{AttrValue, OpArgs, RefError, Result, Tensor};

/// Unscaled 1-D DFT of one length n, in f64: X[k] = Σ_j x[j]·e^{sign·2πi·j·k/n}, sign −1 (forward)
/// or +1 (inverse). Mixed-radix Cooley–Tukey: decimation in time by the smallest prime factor p of
/// the current length, with direct p-point sums (a prime length is a direct DFT); twiddles come
/// from one table of exact angles 2π·j/n.
struct Dft {
    cos: Vec<f64>,
    sin: Vec<f64>,
}

impl Dft {
    fn new(n: usize) -> Dft {
        let angle = |j: usize| 2.0 * std::f64::consts::PI * j as f64 / n as f64;
        Dft { cos: (0..n).map(|j| angle(j).cos()).collect(), sin: (0..n).map(|j| angle(j).sin()).collect() }
    }

    /// Transform `re + i·im` (length n) in place.
    fn run(&self, re: &mut [f64], im: &mut [f64], sign: f64) {
        let (out_re, out_im) = self.rec(re, im, 0, 1, sign);
        re.copy_from_slice(&out_re);
        im.copy_from_slice(&out_im);
    }

    /// DFT of the subsequence y[i] = x[start + i·step], i < len = n / step.
    fn rec(&self, re: &[f64], im: &[f64], start: usize, step: usize, sign: f64) -> (Vec<f64>, Vec<f64>) {
        let len = self.cos.len() / step;
        let p = (2..=len).find(|d| len.is_multiple_of(*d)).unwrap_or(len);
        let m = len / p;
        if m == 1 {
            // prime (or unit) length: direct DFT Y[t] = Σ_j y[j]·e^{sign·2πi·j·t/len}
            let (mut out_re, mut out_im) = (vec![0.0f64; len], vec![0.0f64; len]);
            for t in 0..len {
                let (mut a, mut b) = (0.0f64, 0.0f64);
                for j in 0..len {
                    let k = (j * t) % len * step;
                    let (c, s) = (self.cos[k], sign * self.sin[k]);
                    let (yr, yi) = (re[start + j * step], im[start + j * step]);
                    a += yr * c - yi * s;
                    b += yr * s + yi * c;
                }
                out_re[t] = a;
                out_im[t] = b;
            }
            return (out_re, out_im);
        }
        // S_r = DFT_m of y[r + p·j], j < m.
        let subs: Vec<(Vec<f64>, Vec<f64>)> =
            (0..p).map(|r| self.rec(re, im, start + r * step, step * p, sign)).collect();
        let (mut out_re, mut out_im) = (vec![0.0f64; len], vec![0.0f64; len]);
        // Y[t] = Σ_r e^{sign·2πi·r·t/len}·S_r[t mod m]
        for t in 0..len {
            let (mut a, mut b) = (0.0f64, 0.0f64);
            for (r, (sr, si)) in subs.iter().enumerate() {
                let j = (r * t) % len * step;
                let (c, s) = (self.cos[j], sign * self.sin[j]);
                a += sr[t % m] * c - si[t % m] * s;
                b += sr[t % m] * s + si[t % m] * c;
            }
            out_re[t] = a;
            out_im[t] = b;
        }
        (out_re, out_im)
    }
}

/// Unscaled 2-D DFT in place of a row-major h×w complex plane (all rows, then all columns).
fn dft2(re: &mut [f64], im: &mut [f64], (h, w): (usize, usize), (dh, dw): (&Dft, &Dft), sign: f64) {
    for r in 0..h {
        dw.run(&mut re[r * w..(r + 1) * w], &mut im[r * w..(r + 1) * w], sign);
    }
    let (mut cr, mut ci) = (vec![0.0f64; h], vec![0.0f64; h]);
    for c in 0..w {
        for r in 0..h {
            (cr[r], ci[r]) = (re[r * w + c], im[r * w + c]);
        }
        dh.run(&mut cr, &mut ci, sign);
        for r in 0..h {
            (re[r * w + c], im[r * w + c]) = (cr[r], ci[r]);
        }
    }
}

/// Wiener deconvolution. Inputs: `y` [B, C, H, W], `k` [B, KH, KW], `lam` [B]. Attribute:
/// `grad_prior` (bool, or an integer 0/1). Output: `x` [B, C, H, W].
pub fn wiener_deconvolution_fft(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let (kh, kw) = (args.dim("KH")?, args.dim("KW")?);
    let grad_prior = match args.attrs.get("grad_prior") {
        Some(AttrValue::Int(v)) => *v != 0,
        _ => args.flag("grad_prior")?,
    };
    if h == 0 || w == 0 || kh % 2 == 0 || kw % 2 == 0 || kh > h || kw > w {
        return Err(RefError::Invalid(format!("need odd KH={kh} <= H={h}, odd KW={kw} <= W={w}, H, W > 0")));
    }
    args.input("y")?.expect_shape("y", &[b_dim, c_dim, h, w])?;
    args.input("k")?.expect_shape("k", &[b_dim, kh, kw])?;
    args.input("lam")?.expect_shape("lam", &[b_dim])?;
    let (y, k, lam) = (args.f32s("y")?, args.f32s("k")?, args.f32s("lam")?);
    let (dh, dw) = (Dft::new(h), Dft::new(w));
    let plane = h * w;
    let mut x = vec![0.0f32; b_dim * c_dim * plane];
    for b in 0..b_dim {
        // psf2otf: k[p, q] goes to ((p − KH div 2) mod H, (q − KW div 2) mod W), then fft2.
        let (mut kr, mut ki) = (vec![0.0f64; plane], vec![0.0f64; plane]);
        for p in 0..kh {
            for q in 0..kw {
                let (i, j) = ((p + h - kh / 2) % h, (q + w - kw / 2) % w);
                kr[i * w + j] += k[(b * kh + p) * kw + q] as f64;
            }
        }
        dft2(&mut kr, &mut ki, (h, w), (&dh, &dw), -1.0);
        let lam_b = lam[b] as f64;
        let d = |u: usize, v: usize| {
            if grad_prior {
                let (su, sv) = (
                    (std::f64::consts::PI * u as f64 / h as f64).sin(),
                    (std::f64::consts::PI * v as f64 / w as f64).sin(),
                );
                lam_b * (4.0 * su * su + 4.0 * sv * sv)
            } else {
                lam_b
            }
        };
        for c in 0..c_dim {
            let off = (b * c_dim + c) * plane;
            let (mut zr, mut zi) =
                (y[off..off + plane].iter().map(|&v| v as f64).collect::<Vec<f64>>(), vec![0.0f64; plane]);
            dft2(&mut zr, &mut zi, (h, w), (&dh, &dw), -1.0);
            for u in 0..h {
                for v in 0..w {
                    let i = u * w + v;
                    let (a, bb) = (kr[i], ki[i]); // K = a + i·bb
                    let den = a * a + bb * bb + d(u, v);
                    // conj(K)·Y = (a − i·bb)(yr + i·yi)
                    let (yr, yi) = (zr[i], zi[i]);
                    zr[i] = (a * yr + bb * yi) / den;
                    zi[i] = (a * yi - bb * yr) / den;
                }
            }
            dft2(&mut zr, &mut zi, (h, w), (&dh, &dw), 1.0);
            let scale = 1.0 / plane as f64;
            for i in 0..plane {
                x[off + i] = (zr[i] * scale) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, h, w], x)])
}
