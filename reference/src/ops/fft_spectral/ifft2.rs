//! ifft2: inverse 2-D discrete Fourier transform over the last two axes (numpy / PyTorch
//! `fft.ifft2(X)`, norm="backward": the inverse carries the 1/(M·N) factor).
//!
//! X = re + i·im, re [B, M, N], im [B, M, N] → x = out_re + i·out_im, both [B, M, N]:
//!   x[b, m, n] = (1 / (M·N)) · Σ_{u=0}^{M−1} Σ_{v=0}^{N−1} X[b, u, v] · e^{+2πi·(u·m/M + v·n/N)}
//! The input is any complex array (no Hermitian symmetry assumed), so the output is complex.
//! Computed in f64 as a direct (naive, O(N²) per axis) DFT, first along N then along M, with exact
//! reduced twiddle angles 2π·((u·m) mod M)/M; outputs are rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// `(cos, sin)` of 2π·k/len for k = 0 .. len−1.
fn twiddles(len: usize) -> (Vec<f64>, Vec<f64>) {
    let angle = |k: usize| 2.0 * std::f64::consts::PI * k as f64 / len as f64;
    ((0..len).map(|k| angle(k).cos()).collect(), (0..len).map(|k| angle(k).sin()).collect())
}

/// Inverse 2-D DFT (norm="backward"). Inputs: `re`, `im` [B, M, N]. Outputs: `out_re`, `out_im` [B, M, N].
pub fn ifft2(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, m, n) = (args.dim("B")?, args.dim("M")?, args.dim("N")?);
    if m == 0 || n == 0 {
        return Err(RefError::Invalid(format!("M={m}, N={n} must be positive")));
    }
    args.input("re")?.expect_shape("re", &[b_dim, m, n])?;
    args.input("im")?.expect_shape("im", &[b_dim, m, n])?;
    let (xr, xi) = (args.f32s("re")?, args.f32s("im")?);
    let ((cm, sm), (cn, sn)) = (twiddles(m), twiddles(n));
    let scale = 1.0 / (m * n) as f64;
    let mut out_re = vec![0.0f32; b_dim * m * n];
    let mut out_im = vec![0.0f32; b_dim * m * n];
    let (mut tr, mut ti) = (vec![0.0f64; m * n], vec![0.0f64; m * n]);
    for b in 0..b_dim {
        let base = b * m * n;
        // Along N: T[u, c] = Σ_v X[u, v]·e^{+2πi·v·c/N}.
        for u in 0..m {
            for c in 0..n {
                let (mut a, mut s) = (0.0f64, 0.0f64);
                for v in 0..n {
                    let k = (v * c) % n;
                    let (x_re, x_im) = (xr[base + u * n + v] as f64, xi[base + u * n + v] as f64);
                    // (x_re + i·x_im)·(cos + i·sin)
                    a += x_re * cn[k] - x_im * sn[k];
                    s += x_im * cn[k] + x_re * sn[k];
                }
                tr[u * n + c] = a;
                ti[u * n + c] = s;
            }
        }
        // Along M: x[r, c] = scale·Σ_u T[u, c]·e^{+2πi·u·r/M}.
        for r in 0..m {
            for c in 0..n {
                let (mut a, mut s) = (0.0f64, 0.0f64);
                for u in 0..m {
                    let k = (u * r) % m;
                    let (t_re, t_im) = (tr[u * n + c], ti[u * n + c]);
                    a += t_re * cm[k] - t_im * sm[k];
                    s += t_im * cm[k] + t_re * sm[k];
                }
                out_re[base + r * n + c] = (a * scale) as f32;
                out_im[base + r * n + c] = (s * scale) as f32;
            }
        }
    }
    let shape = vec![b_dim, m, n];
    Ok(vec![Tensor::from_f32(shape.clone(), out_re), Tensor::from_f32(shape, out_im)])
}
