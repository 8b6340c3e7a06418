//! fft2: 2-D discrete Fourier transform of a real signal over the last two axes (numpy / PyTorch
//! `fft.fft2(x)`, norm="backward": no scaling on the forward transform).
//!
//! x [B, M, N] (real) → X = re + i·im, re [B, M, N], im [B, M, N]:
//!   X[b, u, v] = Σ_{m=0}^{M−1} Σ_{n=0}^{N−1} x[b, m, n] · e^{−2πi·(u·m/M + v·n/N)}
//! Computed in f64 as a direct (naive, O(N²) per axis) DFT, first along N then along M — the
//! exponential factorises, so this equals the double sum exactly. Twiddles use the exact
//! reduced angle 2π·((u·m) mod M)/M. Outputs are rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// `(cos, sin)` of 2π·k/len for k = 0 .. len−1.
fn twiddles(len: usize) -> (Vec<f64>, Vec<f64>) {
    let angle = |k: usize| 2.0 * std::f64::consts::PI * k as f64 / len as f64;
    ((0..len).map(|k| angle(k).cos()).collect(), (0..len).map(|k| angle(k).sin()).collect())
}

/// Forward 2-D DFT (norm="backward"). Input: `x` [B, M, N]. Outputs: `re`, `im` [B, M, N].
pub fn fft2(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, m, n) = (args.dim("B")?, args.dim("M")?, args.dim("N")?);
    if m == 0 || n == 0 {
        return Err(RefError::Invalid(format!("M={m}, N={n} must be positive")));
    }
    args.input("x")?.expect_shape("x", &[b_dim, m, n])?;
    let x = args.f32s("x")?;
    let ((cm, sm), (cn, sn)) = (twiddles(m), twiddles(n));
    let mut re = vec![0.0f32; b_dim * m * n];
    let mut im = vec![0.0f32; b_dim * m * n];
    let (mut tr, mut ti) = (vec![0.0f64; m * n], vec![0.0f64; m * n]);
    for b in 0..b_dim {
        let plane = &x[b * m * n..][..m * n];
        // Along N: T[r, v] = Σ_c x[r, c]·e^{−2πi·v·c/N}.
        for r in 0..m {
            for v in 0..n {
                let (mut a, mut s) = (0.0f64, 0.0f64);
                for c in 0..n {
                    let k = (v * c) % n;
                    let xv = plane[r * n + c] as f64;
                    a += xv * cn[k];
                    s -= xv * sn[k];
                }
                tr[r * n + v] = a;
                ti[r * n + v] = s;
            }
        }
        // Along M: X[u, v] = Σ_r T[r, v]·e^{−2πi·u·r/M}.
        for u in 0..m {
            for v in 0..n {
                let (mut a, mut s) = (0.0f64, 0.0f64);
                for r in 0..m {
                    let k = (u * r) % m;
                    let (t_re, t_im) = (tr[r * n + v], ti[r * n + v]);
                    // (t_re + i·t_im)·(cos − i·sin)
                    a += t_re * cm[k] + t_im * sm[k];
                    s += t_im * cm[k] - t_re * sm[k];
                }
                re[(b * m + u) * n + v] = a as f32;
                im[(b * m + u) * n + v] = s as f32;
            }
        }
    }
    let shape = vec![b_dim, m, n];
    Ok(vec![Tensor::from_f32(shape.clone(), re), Tensor::from_f32(shape, im)])
}
