//! longconv_fft_causal_conv: the long convolution of "Simple Hardware-Efficient Long Convolutions"
//! (Fu et al., ICML 2023; official code HazyResearch/safari, `src/models/sequence/long_conv.py::
//! LongConv.forward`, causal, non-block-FFT path): every one of the C·H output channels is a causal
//! linear convolution of an input channel with a kernel as long as the sequence, plus a skip term.
//!
//! u [B, H, L], k [C, H, L], Dskip [C, H] → y [B, C·H, L] (output channel c·H + h):
//!   y[b, c·H + h, l] = Σ_{j=0}^{l} k[c, h, j] · u[b, h, l − j]  +  Dskip[c, h] · u[b, h, l]
//! The official code evaluates the sum as irfft(rfft(u, n = 2L) · rfft(k, n = 2L))[:L] (zero
//! padding, so no wrap-around). This reference computes the same linear convolution with a
//! complex radix-2 FFT in f64 of length n = next_pow2(2L) (zero padded: still exact linear
//! convolution), rounding y to f32 once.

use crate::{OpArgs, Result, Tensor};
use std::f64::consts::PI;

/// Causal long convolution + skip. Inputs: `u` [B, H, L], `k` [C, H, L], `Dskip` [C, H].
/// Output: `y` [B, C·H, L].
pub fn longconv_fft_causal_conv(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h_dim, l_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("L")?);
    args.input("u")?.expect_shape("u", &[b_dim, h_dim, l_dim])?;
    args.input("k")?.expect_shape("k", &[c_dim, h_dim, l_dim])?;
    args.input("Dskip")?.expect_shape("Dskip", &[c_dim, h_dim])?;
    let (u, k, dskip) = (args.f32s("u")?, args.f32s("k")?, args.f32s("Dskip")?);

    let n = (2 * l_dim).next_power_of_two();
    let fft = Fft::new(n);
    let spectrum = |row: &[f32]| {
        let mut re = vec![0.0f64; n];
        let mut im = vec![0.0f64; n];
        for (dst, &v) in re.iter_mut().zip(row) {
            *dst = v as f64;
        }
        fft.run(&mut re, &mut im, false);
        (re, im)
    };
    // spectra of the kernels, one per (c, h)
    let k_spec: Vec<_> = (0..c_dim * h_dim).map(|r| spectrum(&k[r * l_dim..(r + 1) * l_dim])).collect();

    let mut y = vec![0.0f32; b_dim * c_dim * h_dim * l_dim];
    for b in 0..b_dim {
        for h in 0..h_dim {
            let ur = &u[(b * h_dim + h) * l_dim..(b * h_dim + h + 1) * l_dim];
            let (u_re, u_im) = spectrum(ur);
            for c in 0..c_dim {
                let (k_re, k_im) = &k_spec[c * h_dim + h];
                let mut re: Vec<f64> = (0..n).map(|i| u_re[i] * k_re[i] - u_im[i] * k_im[i]).collect();
                let mut im: Vec<f64> = (0..n).map(|i| u_re[i] * k_im[i] + u_im[i] * k_re[i]).collect();
                fft.run(&mut re, &mut im, true); // unscaled inverse: divide by n below
                let d = dskip[c * h_dim + h] as f64;
                let out = &mut y[((b * c_dim + c) * h_dim + h) * l_dim..][..l_dim];
                for l in 0..l_dim {
                    out[l] = (re[l] / n as f64 + d * ur[l] as f64) as f32;
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
        // twiddles exp(-2πi j/n), j < n/2, each computed directly (no recurrence error)
        let cos = (0..n / 2).map(|j| (2.0 * PI * j as f64 / n as f64).cos()).collect();
        let sin = (0..n / 2).map(|j| -(2.0 * PI * j as f64 / n as f64).sin()).collect();
        Fft { n, cos, sin }
    }

    /// In place: X[f] = Σ_t x[t] e^(∓2πi f t / n) (minus sign forward; inverse is NOT scaled).
    fn run(&self, re: &mut [f64], im: &mut [f64], inverse: bool) {
        let n = self.n;
        // bit-reversal permutation
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
