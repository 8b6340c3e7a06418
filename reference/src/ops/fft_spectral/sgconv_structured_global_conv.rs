//! sgconv_structured_global_conv: the Structured Global Convolution of SGConv ("What Makes
//! Convolutional Models Great on Long Sequence Modeling?", Li et al., ICLR 2023; official code
//! ctlllll/SGConv, `gconv_standalone.py::GConv.forward`, mode "cat_randn", bidirectional). A
//! global kernel as long as the sequence is assembled from S short sub-kernels, each upsampled
//! (linear interpolation) by a growing factor and damped by a per-channel decay, normalised to
//! unit L2 norm, then applied as a bidirectional long convolution with a skip term.
//!
//! u [B, H, L], K [S, 2C, H, Kd] (sub-kernel i is K[i]), mult [H], Dskip [C, H] → y [B, C·H, L]:
//!   (a) for i < S, row r = (ck, h) (ck < 2C): f = 2^max(0, i−1), U_i has length Kd·f:
//!        src = max((o + 0.5)/f − 0.5, 0); i0 = floor(src); i1 = min(i0 + 1, Kd − 1); λ = src − i0
//!        U_i[o] = ((1 − λ)·K[i, r, i0] + λ·K[i, r, i1]) · mult[h]^(S−1−i)
//!      (F.interpolate(mode='linear', align_corners=False)); kfull[r] = concat(U_0, …, U_{S−1})
//!   (b) knorm[r] = ||kfull[r]||_2 over its whole length Kd·2^(S−1) (the buffer the official code
//!      freezes at the first forward call); k[r] = kfull[r] truncated / zero-padded to L, / knorm[r]
//!   (c) k0 = k[c, h] (c < C), k1 = k[C + c, h]:
//!        y[b, c·H + h, l] = Σ_{j=0}^{l} k0[j]·u[b, h, l − j] + Σ_{s=1}^{L−1−l} k1[s − 1]·u[b, h, l + s]
//!                           + Dskip[c, h]·u[b, h, l]
//!      (= irfft(rfft(pad_right(k0, L) + pad_left(flip(k1), L), 2L) · rfft(u, 2L))[:L] + D·u).
//! The reference computes both sums as causal linear convolutions (the anti-causal one on the
//! time-reversed input) with a radix-2 complex FFT in f64; y is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};
use std::f64::consts::PI;

/// SGConv global convolution (bidirectional). Inputs: `u` [B, H, L], `K` [S, 2C, H, Kd],
/// `mult` [H], `Dskip` [C, H]. Output: `y` [B, C·H, L].
pub fn sgconv_structured_global_conv(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h_dim, l_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("L")?);
    let (kd, s_dim) = (args.dim("Kd")?, args.dim("S")?);
    if kd == 0 || s_dim == 0 || l_dim == 0 {
        return Err(RefError::Invalid("Kd, S and L must be positive".into()));
    }
    args.input("u")?.expect_shape("u", &[b_dim, h_dim, l_dim])?;
    args.input("K")?.expect_shape("K", &[s_dim, 2 * c_dim, h_dim, kd])?;
    args.input("mult")?.expect_shape("mult", &[h_dim])?;
    args.input("Dskip")?.expect_shape("Dskip", &[c_dim, h_dim])?;
    let (u, kp, mult, dskip) = (args.f32s("u")?, args.f32s("K")?, args.f32s("mult")?, args.f32s("Dskip")?);

    // 1 + 2. assemble, normalise and cut every kernel row r = ck*H + h
    let rows = 2 * c_dim * h_dim;
    let mut kern = vec![vec![0.0f64; l_dim]; rows];
    for (r, kr) in kern.iter_mut().enumerate() {
        let h = r % h_dim;
        let mut full: Vec<f64> = Vec::new();
        for i in 0..s_dim {
            let f = 1usize << i.saturating_sub(1);
            let base = &kp[(i * rows + r) * kd..(i * rows + r + 1) * kd];
            let decay = (mult[h] as f64).powi((s_dim - 1 - i) as i32);
            for o in 0..kd * f {
                let src = ((o as f64 + 0.5) / f as f64 - 0.5).max(0.0);
                let i0 = (src.floor() as usize).min(kd - 1);
                let i1 = (i0 + 1).min(kd - 1);
                let lam = src - i0 as f64;
                full.push(((1.0 - lam) * base[i0] as f64 + lam * base[i1] as f64) * decay);
            }
        }
        let norm = full.iter().map(|v| v * v).sum::<f64>().sqrt();
        for (dst, v) in kr.iter_mut().zip(&full) {
            *dst = v / norm;
        }
    }

    // 3. bidirectional long convolution + skip
    let n = (2 * l_dim).next_power_of_two();
    let fft = Fft::new(n);
    let mut y = vec![0.0f32; b_dim * c_dim * h_dim * l_dim];
    for b in 0..b_dim {
        for h in 0..h_dim {
            let ur: Vec<f64> = u[(b * h_dim + h) * l_dim..][..l_dim].iter().map(|&v| v as f64).collect();
            let urev: Vec<f64> = ur.iter().rev().copied().collect();
            for c in 0..c_dim {
                let causal = fft.causal_conv(&ur, &kern[c * h_dim + h]);
                let anti_rev = fft.causal_conv(&urev, &kern[(c_dim + c) * h_dim + h]);
                let d = dskip[c * h_dim + h] as f64;
                let out = &mut y[((b * c_dim + c) * h_dim + h) * l_dim..][..l_dim];
                for l in 0..l_dim {
                    // Σ_{s=1}^{L-1-l} k1[s-1] u[l+s] = (urev * k1)[L-2-l]
                    let anti = if l + 1 < l_dim { anti_rev[l_dim - 2 - l] } else { 0.0 };
                    out[l] = (causal[l] + anti + d * ur[l]) as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim * h_dim, l_dim], y)])
}

/// Iterative radix-2 complex FFT of a fixed power-of-two length, in f64.
struct Fft {
    n: usize,
    cos: Vec<f64>,
    sin: Vec<f64>,
}

impl Fft {
    fn new(n: usize) -> Fft {
        let cos = (0..n / 2).map(|j| (2.0 * PI * j as f64 / n as f64).cos()).collect();
        let sin = (0..n / 2).map(|j| -(2.0 * PI * j as f64 / n as f64).sin()).collect();
        Fft { n, cos, sin }
    }

    /// z[l] = Σ_{j=0}^{l} k[j]·x[l − j] for l < x.len() (needs x.len() + k.len() <= n).
    fn causal_conv(&self, x: &[f64], k: &[f64]) -> Vec<f64> {
        let n = self.n;
        let (mut xr, mut xi, mut kr, mut ki) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        xr[..x.len()].copy_from_slice(x);
        kr[..k.len()].copy_from_slice(k);
        self.run(&mut xr, &mut xi, false);
        self.run(&mut kr, &mut ki, false);
        let mut re: Vec<f64> = (0..n).map(|i| xr[i] * kr[i] - xi[i] * ki[i]).collect();
        let mut im: Vec<f64> = (0..n).map(|i| xr[i] * ki[i] + xi[i] * kr[i]).collect();
        self.run(&mut re, &mut im, true);
        re.truncate(x.len());
        re.iter_mut().for_each(|v| *v /= n as f64);
        re
    }

    /// In place: X[f] = Σ_t x[t] e^(∓2πi f t / n) (minus sign forward; inverse is NOT scaled).
    fn run(&self, re: &mut [f64], im: &mut [f64], inverse: bool) {
        let n = self.n;
        let mut j = 0usize;
        for i in 1..n {
            let mut bit = n >> 1;
            while j & bit != 0 {
                j ^= bit;
                bit >>= 1;
            }
            j |= bit;
            if i < j {
                re.swap(i, j);
                im.swap(i, j);
            }
        }
        let sign = if inverse { -1.0 } else { 1.0 };
        let mut len = 2;
        while len <= n {
            let step = n / len;
            for start in (0..n).step_by(len) {
                for t in 0..len / 2 {
                    let (wr, wi) = (self.cos[t * step], sign * self.sin[t * step]);
                    let (a, b) = (start + t, start + t + len / 2);
                    let xr = re[b] * wr - im[b] * wi;
                    let xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
            len <<= 1;
        }
    }
}
