//! deeprft_res_fft_relu_block: DeepRFT's Res FFT-ReLU block (official `INVOKERer/DeepRFT`
//! `layers.py::ResBlock_fft_bench`, norm="backward"): a residual block whose second branch applies
//! two 1×1 convolutions with a ReLU between them to the real/imaginary channels of the rfft2
//! spectrum (the ReLU acts in the Fourier domain).
//!
//! x [N, C, H, W], Ws1, Ws2 [C, C, 3, 3], Wf1, Wf2 [2C, 2C] (no biases) → y [N, C, H, W]:
//!   X = rfft2(x)                                       [N, C, H, Wh], Wh = W div 2 + 1, unscaled
//!   Z[c] = Re X[c] for c < C,  Z[C + c] = Im X[c]        (all real parts, then all imaginary parts)
//!   Z2[o] = Σ_j Wf2[o, j]·relu(Σ_c Wf1[j, c]·Z[c])       per frequency bin (u, v)
//!   f = irfft2(Z2[:C] + i·Z2[C:], s = (H, W))            ×1/(H·W); imaginary parts of the DC (and,
//!                                                       W even, Nyquist) columns are discarded
//!   s = conv3x3(relu(conv3x3(x, Ws1)), Ws2)             cross-correlation, stride 1, zero pad 1
//!   y = x + s + f
//! Everything is accumulated in f64 (exact-twiddle mixed-radix DFTs, see `Dft`); rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

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

/// 3×3 convolution (cross-correlation, stride 1, zero padding 1, no bias) of a [C, H, W] map with
/// weights [C, C, 3, 3], in f64.
fn conv3x3(x: &[f64], wt: &[f32], c_dim: usize, h: usize, w: usize) -> Vec<f64> {
    let mut y = vec![0.0f64; c_dim * h * w];
    for o in 0..c_dim {
        for i in 0..h {
            for j in 0..w {
                let mut s = 0.0f64;
                for c in 0..c_dim {
                    for u in 0..3 {
                        let ii = i as isize + u as isize - 1;
                        if ii < 0 || ii >= h as isize {
                            continue;
                        }
                        for v in 0..3 {
                            let jj = j as isize + v as isize - 1;
                            if jj < 0 || jj >= w as isize {
                                continue;
                            }
                            s += wt[((o * c_dim + c) * 3 + u) * 3 + v] as f64
                                * x[(c * h + ii as usize) * w + jj as usize];
                        }
                    }
                }
                y[(o * h + i) * w + j] = s;
            }
        }
    }
    y
}

/// Res FFT-ReLU block. Inputs: `x` [N, C, H, W], `Ws1`, `Ws2` [C, C, 3, 3], `Wf1`, `Wf2` [2C, 2C].
/// Output: `y` [N, C, H, W].
pub fn deeprft_res_fft_relu_block(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, c_dim, h, w) = (args.dim("N")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    if c_dim == 0 || h == 0 || w == 0 {
        return Err(RefError::Invalid(format!("C={c_dim}, H={h}, W={w} must be positive")));
    }
    let c2 = 2 * c_dim;
    args.input("x")?.expect_shape("x", &[n_dim, c_dim, h, w])?;
    args.input("Ws1")?.expect_shape("Ws1", &[c_dim, c_dim, 3, 3])?;
    args.input("Ws2")?.expect_shape("Ws2", &[c_dim, c_dim, 3, 3])?;
    args.input("Wf1")?.expect_shape("Wf1", &[c2, c2])?;
    args.input("Wf2")?.expect_shape("Wf2", &[c2, c2])?;
    let x = args.f32s("x")?;
    let (ws1, ws2, wf1, wf2) = (args.f32s("Ws1")?, args.f32s("Ws2")?, args.f32s("Wf1")?, args.f32s("Wf2")?);
    let (dh, dw) = (Dft::new(h), Dft::new(w));
    let (plane, wh) = (h * w, w / 2 + 1);
    let bins = h * wh;
    let mut y = vec![0.0f32; n_dim * c_dim * plane];
    for n in 0..n_dim {
        let xn: Vec<f64> = x[n * c_dim * plane..][..c_dim * plane].iter().map(|&v| v as f64).collect();
        // spatial branch
        let mut t = conv3x3(&xn, ws1, c_dim, h, w);
        t.iter_mut().for_each(|v| *v = v.max(0.0));
        let s = conv3x3(&t, ws2, c_dim, h, w);
        // frequency branch: Z [2C, bins]
        let mut z = vec![0.0f64; c2 * bins];
        for c in 0..c_dim {
            let (re, im) = rfft2(&xn[c * plane..(c + 1) * plane], (h, w), (&dh, &dw));
            z[c * bins..(c + 1) * bins].copy_from_slice(&re);
            z[(c_dim + c) * bins..(c_dim + c + 1) * bins].copy_from_slice(&im);
        }
        let mut hid = vec![0.0f64; c2 * bins];
        for j in 0..c2 {
            for c in 0..c2 {
                let wv = wf1[j * c2 + c] as f64;
                for f in 0..bins {
                    hid[j * bins + f] += wv * z[c * bins + f];
                }
            }
        }
        hid.iter_mut().for_each(|v| *v = v.max(0.0));
        let mut z2 = vec![0.0f64; c2 * bins];
        for o in 0..c2 {
            for j in 0..c2 {
                let wv = wf2[o * c2 + j] as f64;
                for f in 0..bins {
                    z2[o * bins + f] += wv * hid[j * bins + f];
                }
            }
        }
        for c in 0..c_dim {
            let f = irfft2(
                &z2[c * bins..(c + 1) * bins],
                &z2[(c_dim + c) * bins..(c_dim + c + 1) * bins],
                (h, w),
                (&dh, &dw),
            );
            let off = (n * c_dim + c) * plane;
            for i in 0..plane {
                y[off + i] = (xn[c * plane + i] + s[c * plane + i] + f[i]) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, c_dim, h, w], y)])
}
