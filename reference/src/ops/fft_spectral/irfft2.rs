//! irfft2: inverse of rfft2 over the last two axes with output size s = (M, N) (numpy / PyTorch
//! `fft.irfft2(X, s=(M, N))`, norm="backward": the inverse carries the 1/(M·N) factor), for ANY
//! complex half spectrum — Hermitian-consistent or not — with pocketfft's complex-to-real rule.
//!
//! X = re + i·im, re [B, M, Nh], im [B, M, Nh] (Nh = N div 2 + 1) → x [B, M, N] (real):
//!   x[b, m, n] = (1/(M·N)) · Σ_{u=0}^{M−1} Σ_{v=0}^{N div 2} c_v · Re(X[b, u, v] · e^{+2πi·(u·m/M + v·n/N)})
//!   c_0 = 1;  c_{N/2} = 1 when N is even (Nyquist column);  every other c_v = 2.
//! Equivalently: inverse complex DFT down each column (first axis), then the imaginary parts of the
//! DC column (and the Nyquist column, N even) are discarded and each row is treated as the half of
//! a Hermitian spectrum. Computed in f64 as this direct (naive) sum, first along M then along N,
//! with exact reduced twiddle angles; outputs rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// `(cos, sin)` of 2π·k/len for k = 0 .. len−1.
fn twiddles(len: usize) -> (Vec<f64>, Vec<f64>) {
    let angle = |k: usize| 2.0 * std::f64::consts::PI * k as f64 / len as f64;
    ((0..len).map(|k| angle(k).cos()).collect(), (0..len).map(|k| angle(k).sin()).collect())
}

/// Complex-to-real inverse 2-D DFT (norm="backward"). Inputs: `re`, `im` [B, M, N div 2 + 1].
/// Output: `x` [B, M, N].
pub fn irfft2(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, m, n) = (args.dim("B")?, args.dim("M")?, args.dim("N")?);
    if m == 0 || n == 0 {
        return Err(RefError::Invalid(format!("M={m}, N={n} must be positive")));
    }
    let nh = n / 2 + 1;
    args.input("re")?.expect_shape("re", &[b_dim, m, nh])?;
    args.input("im")?.expect_shape("im", &[b_dim, m, nh])?;
    let (xr, xi) = (args.f32s("re")?, args.f32s("im")?);
    let ((cm, sm), (cn, sn)) = (twiddles(m), twiddles(n));
    let scale = 1.0 / (m * n) as f64;
    // c_v: 1 for the DC column and (N even) the Nyquist column, 2 for the others.
    let weight = |v: usize| if v == 0 || 2 * v == n { 1.0 } else { 2.0 };
    let mut x = vec![0.0f32; b_dim * m * n];
    let (mut tr, mut ti) = (vec![0.0f64; m * nh], vec![0.0f64; m * nh]);
    for b in 0..b_dim {
        let base = b * m * nh;
        // Along M (inverse, complex): T[r, v] = Σ_u X[u, v]·e^{+2πi·u·r/M}.
        for r in 0..m {
            for v in 0..nh {
                let (mut a, mut s) = (0.0f64, 0.0f64);
                for u in 0..m {
                    let k = (u * r) % m;
                    let (x_re, x_im) = (xr[base + u * nh + v] as f64, xi[base + u * nh + v] as f64);
                    a += x_re * cm[k] - x_im * sm[k];
                    s += x_im * cm[k] + x_re * sm[k];
                }
                tr[r * nh + v] = a;
                ti[r * nh + v] = s;
            }
        }
        // Along N (real part only): x[r, c] = scale·Σ_v c_v·Re(T[r, v]·e^{+2πi·v·c/N}).
        for r in 0..m {
            for c in 0..n {
                let mut a = 0.0f64;
                for v in 0..nh {
                    let k = (v * c) % n;
                    a += weight(v) * (tr[r * nh + v] * cn[k] - ti[r * nh + v] * sn[k]);
                }
                x[(b * m + r) * n + c] = (a * scale) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, m, n], x)])
}
