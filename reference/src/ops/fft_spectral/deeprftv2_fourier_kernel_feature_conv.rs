//! deeprftv2_fourier_kernel_feature_conv: DeepRFTv2's Fourier Kernel Estimator applied to features
//! (official `INVOKERer/DeepRFTv2` `DeepRFTv2_arch.py::GetPSF`, `EstOTF`, `KernelEstimator.forward_`,
//! `feature_deblur1 = irfft2(inp_enc_level1_freq * otf_deblur_max)`): a per-sample, per-channel OTF
//! is predicted from the spectrum of `x` and every channel of `y` is circularly convolved with it by
//! multiplication in Fourier space. The kernel-estimation sub-UNet between GetPSF and EstOTF is out
//! of scope (identity).
//!
//! x [B, Cw, H, W], y [B, Cd, H, W] (W even), We [Cw, 2Cw], ln_w, ln_b [Cw], Wk [2Cd, Cw], bk [2Cd]
//! → z [B, Cd, H, W]; per frequency bin (u, v), u < H, v < Wh = W/2 + 1 (norm="backward"):
//!   X = rfft2(x) (unscaled);  Zx[c] = Re X[c] (c < Cw), Zx[Cw + c] = Im X[c]
//!   E[o] = Σ_{c<2Cw} We[o, c]·Zx[c]                                          (1×1, no bias)
//!   mu = mean_o E[o],  var = mean_o (E[o] − mu)²                             (biased, over Cw)
//!   G[o] = (E[o] − mu)/sqrt(var + 1e-6)·ln_w[o] + ln_b[o]                    (NAFNet LayerNorm2d)
//!   O[j] = Σ_o Wk[j, o]·G[o] + bk[j];   K[c] = O[c] + i·O[Cd + c]  (c < Cd)
//!   z[b, c] = irfft2(rfft2(y[b, c])·K[c], s = (H, W))                       ×1/(H·W)
//! irfft2 follows the C2R rule: the imaginary parts of the DC and Nyquist columns (after the inverse
//! transform down the columns) are discarded, since the product spectrum is not Hermitian there.
//! Everything in f64 (exact-twiddle mixed-radix DFTs, see `Dft`); outputs rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// LayerNorm2d epsilon (NAFNet).
const LN_EPS: f64 = 1e-6;

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

/// rfft2 (norm="backward") of a real h×w plane: the first w div 2 + 1 columns of its 2-D DFT.
fn rfft2(x: &[f64], (h, w): (usize, usize), dfts: (&Dft, &Dft)) -> (Vec<f64>, Vec<f64>) {
    let (mut re, mut im) = (x.to_vec(), vec![0.0f64; h * w]);
    dft2(&mut re, &mut im, (h, w), dfts, -1.0);
    let wh = w / 2 + 1;
    let keep = |a: &[f64]| (0..h).flat_map(|r| a[r * w..r * w + wh].to_vec()).collect::<Vec<f64>>();
    (keep(&re), keep(&im))
}

/// irfft2 with s = (h, w), norm="backward", of a half spectrum [h, w div 2 + 1] that need not be
/// Hermitian (pocketfft / PyTorch rule): inverse DFT down each kept column; then, per row, the
/// imaginary parts of the DC column (and, w even, the Nyquist column) are dropped, the row is
/// extended as Z[w − v] = conj(Z[v]), inverse-transformed, and its real part scaled by 1/(h·w).
fn irfft2(re: &[f64], im: &[f64], (h, w): (usize, usize), (dh, dw): (&Dft, &Dft)) -> Vec<f64> {
    let wh = w / 2 + 1;
    let (mut cr, mut ci) = (vec![0.0f64; h], vec![0.0f64; h]);
    let (mut tr, mut ti) = (vec![0.0f64; h * wh], vec![0.0f64; h * wh]);
    for v in 0..wh {
        for u in 0..h {
            (cr[u], ci[u]) = (re[u * wh + v], im[u * wh + v]);
        }
        dh.run(&mut cr, &mut ci, 1.0);
        for r in 0..h {
            (tr[r * wh + v], ti[r * wh + v]) = (cr[r], ci[r]);
        }
    }
    let scale = 1.0 / (h * w) as f64;
    let mut out = vec![0.0f64; h * w];
    let (mut rr, mut ri) = (vec![0.0f64; w], vec![0.0f64; w]);
    for r in 0..h {
        for v in 0..wh {
            let a = tr[r * wh + v];
            let b = if v == 0 || 2 * v == w { 0.0 } else { ti[r * wh + v] };
            (rr[v], ri[v]) = (a, b);
            if v > 0 {
                (rr[w - v], ri[w - v]) = (a, -b);
            }
        }
        dw.run(&mut rr, &mut ri, 1.0);
        for c in 0..w {
            out[r * w + c] = rr[c] * scale;
        }
    }
    out
}

/// Fourier kernel feature convolution. Inputs: `x` [B, Cw, H, W], `y` [B, Cd, H, W], `We` [Cw, 2Cw],
/// `ln_w`, `ln_b` [Cw], `Wk` [2Cd, Cw], `bk` [2Cd]. Output: `z` [B, Cd, H, W].
pub fn deeprftv2_fourier_kernel_feature_conv(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, cw, cd) = (args.dim("B")?, args.dim("Cw")?, args.dim("Cd")?);
    let (h, w) = (args.dim("H")?, args.dim("W")?);
    if cw == 0 || h == 0 || w == 0 || w % 2 != 0 {
        return Err(RefError::Invalid(format!("need Cw={cw} > 0, H={h} > 0 and W={w} even and positive")));
    }
    args.input("x")?.expect_shape("x", &[b_dim, cw, h, w])?;
    args.input("y")?.expect_shape("y", &[b_dim, cd, h, w])?;
    args.input("We")?.expect_shape("We", &[cw, 2 * cw])?;
    args.input("ln_w")?.expect_shape("ln_w", &[cw])?;
    args.input("ln_b")?.expect_shape("ln_b", &[cw])?;
    args.input("Wk")?.expect_shape("Wk", &[2 * cd, cw])?;
    args.input("bk")?.expect_shape("bk", &[2 * cd])?;
    let (x, y) = (args.f32s("x")?, args.f32s("y")?);
    let (we, ln_w, ln_b) = (args.f32s("We")?, args.f32s("ln_w")?, args.f32s("ln_b")?);
    let (wk, bk) = (args.f32s("Wk")?, args.f32s("bk")?);
    let (dh, dw) = (Dft::new(h), Dft::new(w));
    let (plane, wh) = (h * w, w / 2 + 1);
    let bins = h * wh;
    let to_f64 = |s: &[f32]| s.iter().map(|&v| v as f64).collect::<Vec<f64>>();
    let mut z = vec![0.0f32; b_dim * cd * plane];
    for b in 0..b_dim {
        // Zx [2Cw, bins]: real parts, then imaginary parts
        let mut zx = vec![0.0f64; 2 * cw * bins];
        for c in 0..cw {
            let (re, im) = rfft2(&to_f64(&x[(b * cw + c) * plane..][..plane]), (h, w), (&dh, &dw));
            zx[c * bins..(c + 1) * bins].copy_from_slice(&re);
            zx[(cw + c) * bins..(cw + c + 1) * bins].copy_from_slice(&im);
        }
        // OTF K per bin: 1x1 conv, LayerNorm over channels, 1x1 conv with bias
        let (mut kr, mut ki) = (vec![0.0f64; cd * bins], vec![0.0f64; cd * bins]);
        let mut e = vec![0.0f64; cw];
        for f in 0..bins {
            for (o, eo) in e.iter_mut().enumerate() {
                *eo = (0..2 * cw).map(|c| we[o * 2 * cw + c] as f64 * zx[c * bins + f]).sum();
            }
            let mu = e.iter().sum::<f64>() / cw as f64;
            let var = e.iter().map(|v| (v - mu) * (v - mu)).sum::<f64>() / cw as f64;
            let inv = 1.0 / (var + LN_EPS).sqrt();
            let g: Vec<f64> = (0..cw).map(|o| (e[o] - mu) * inv * ln_w[o] as f64 + ln_b[o] as f64).collect();
            for j in 0..2 * cd {
                let o_j = bk[j] as f64 + (0..cw).map(|o| wk[j * cw + o] as f64 * g[o]).sum::<f64>();
                if j < cd {
                    kr[j * bins + f] = o_j;
                } else {
                    ki[(j - cd) * bins + f] = o_j;
                }
            }
        }
        // every channel of y: spectrum × its OTF, back with irfft2
        for c in 0..cd {
            let (mut yr, mut yi) = rfft2(&to_f64(&y[(b * cd + c) * plane..][..plane]), (h, w), (&dh, &dw));
            for f in 0..bins {
                let (a, q) = (yr[f], yi[f]);
                let (p, s) = (kr[c * bins + f], ki[c * bins + f]);
                yr[f] = a * p - q * s;
                yi[f] = a * s + q * p;
            }
            let out = irfft2(&yr, &yi, (h, w), (&dh, &dw));
            for i in 0..plane {
                z[(b * cd + c) * plane + i] = out[i] as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, cd, h, w], z)])
}
