//! rfft2: 2-D DFT of a real signal keeping only the non-negative frequencies of the last axis
//! (numpy / PyTorch `fft.rfft2(x)`, norm="backward": no scaling on the forward transform).
//!
//! x [B, M, N] (real) → X = re + i·im, re [B, M, Nh], im [B, M, Nh] with Nh = N div 2 + 1:
//!   X[b, u, v] = Σ_{m=0}^{M−1} Σ_{n=0}^{N−1} x[b, m, n] · e^{−2πi·(u·m/M + v·n/N)},
//!   u = 0 .. M−1 (all rows),  v = 0 .. N div 2 (half the columns, Nyquist included when N is even)
//! i.e. the first Nh columns of fft2(x). Computed in f64 as a direct (naive) DFT, first along N
//! (only the kept v) then along M, with exact reduced twiddle angles; outputs rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// `(cos, sin)` of 2π·k/len for k = 0 .. len−1.
fn twiddles(len: usize) -> (Vec<f64>, Vec<f64>) {
    let angle = |k: usize| 2.0 * std::f64::consts::PI * k as f64 / len as f64;
    ((0..len).map(|k| angle(k).cos()).collect(), (0..len).map(|k| angle(k).sin()).collect())
}

/// Real-input 2-D DFT (norm="backward"). Input: `x` [B, M, N]. Outputs: `re`, `im` [B, M, N div 2 + 1].
pub fn rfft2(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, m, n) = (args.dim("B")?, args.dim("M")?, args.dim("N")?);
    if m == 0 || n == 0 {
        return Err(RefError::Invalid(format!("M={m}, N={n} must be positive")));
    }
    args.input("x")?.expect_shape("x", &[b_dim, m, n])?;
    let x = args.f32s("x")?;
    let nh = n / 2 + 1;
    let ((cm, sm), (cn, sn)) = (twiddles(m), twiddles(n));
    let mut re = vec![0.0f32; b_dim * m * nh];
    let mut im = vec![0.0f32; b_dim * m * nh];
    let (mut tr, mut ti) = (vec![0.0f64; m * nh], vec![0.0f64; m * nh]);
    for b in 0..b_dim {
        let plane = &x[b * m * n..][..m * n];
        // Along N, kept frequencies only: T[r, v] = Σ_c x[r, c]·e^{−2πi·v·c/N}, v < Nh.
        for r in 0..m {
            for v in 0..nh {
                let (mut a, mut s) = (0.0f64, 0.0f64);
                for c in 0..n {
                    let k = (v * c) % n;
                    let xv = plane[r * n + c] as f64;
                    a += xv * cn[k];
                    s -= xv * sn[k];
                }
                tr[r * nh + v] = a;
                ti[r * nh + v] = s;
            }
        }
        // Along M (full complex DFT): X[u, v] = Σ_r T[r, v]·e^{−2πi·u·r/M}.
        for u in 0..m {
            for v in 0..nh {
                let (mut a, mut s) = (0.0f64, 0.0f64);
                for r in 0..m {
                    let k = (u * r) % m;
                    let (t_re, t_im) = (tr[r * nh + v], ti[r * nh + v]);
                    a += t_re * cm[k] + t_im * sm[k];
                    s += t_im * cm[k] - t_re * sm[k];
                }
                re[(b * m + u) * nh + v] = a as f32;
                im[(b * m + u) * nh + v] = s as f32;
            }
        }
    }
    let shape = vec![b_dim, m, nh];
    Ok(vec![Tensor::from_f32(shape.clone(), re), Tensor::from_f32(shape, im)])
}
