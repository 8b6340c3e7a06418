//! monarch_block_fft: the block ("Monarch"/butterfly) FFT of FlashButterfly in "Simple
//! Hardware-Efficient Long Convolutions" (Fu et al., ICML 2023; official code
//! HazyResearch/safari, `src/models/sequence/block_fft.py::block_fft, _cooley_tukey, BlockFFT`):
//! a recursive radix-16 Cooley–Tukey transform whose small DFT blocks are LEARNABLE complex
//! matrices M_2, M_4, M_8, M_16 (initialised to the exact DFT matrices F_n[r, s] = e^(−2πi r s/n),
//! in which case BF(x) equals fft(x)); the twiddle factors are fixed.
//!
//! x = xr + i·xi [R, N] (N a power of two, 2 ≤ N), matrices M_n = Mnr + i·Mni [n, n]
//! → X = Xr + i·Xi [R, N], X[r, :] = BF(x[r, :], N):
//!   BF(x, N) = M_N · x                                            if N ≤ 16
//!   otherwise, with n = N / 16:
//!     Y[p, b] = e^(−2πi·p·b/N) · Σ_{a<16} M_16[p, a] · x[a·n + b]   (p < 16, b < n)
//!     Z_p     = BF(Y[p, :], n)                                    (recursion, length n)
//!     X[q·16 + p] = Z_p[q]                                        (q < n)
//! Complex arithmetic in f64; Xr, Xi are rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};
use std::f64::consts::PI;

type C64 = (f64, f64);

/// Block FFT with learnable DFT blocks. Inputs: `xr`, `xi` [R, N]; `M2r`, `M2i` [2, 2]; `M4r`,
/// `M4i` [4, 4]; `M8r`, `M8i` [8, 8]; `M16r`, `M16i` [16, 16]. Outputs: `Xr`, `Xi` [R, N].
pub fn monarch_block_fft(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (r_dim, n) = (args.dim("R")?, args.dim("N")?);
    if n < 2 || !n.is_power_of_two() {
        return Err(RefError::Invalid(format!("N = {n} must be a power of two >= 2")));
    }
    args.input("xr")?.expect_shape("xr", &[r_dim, n])?;
    args.input("xi")?.expect_shape("xi", &[r_dim, n])?;
    // mats[log2(m)] = M_m as a row-major complex m x m matrix (index 0 unused)
    let mut mats: Vec<Vec<C64>> = vec![Vec::new()];
    for m in [2usize, 4, 8, 16] {
        let (rn, iname) = (format!("M{m}r"), format!("M{m}i"));
        args.input(&rn)?.expect_shape(&rn, &[m, m])?;
        args.input(&iname)?.expect_shape(&iname, &[m, m])?;
        let (re, im) = (args.f32s(&rn)?, args.f32s(&iname)?);
        mats.push(re.iter().zip(im).map(|(&a, &b)| (a as f64, b as f64)).collect());
    }
    let (xr, xi) = (args.f32s("xr")?, args.f32s("xi")?);

    let mut out_r = vec![0.0f32; r_dim * n];
    let mut out_i = vec![0.0f32; r_dim * n];
    for r in 0..r_dim {
        let x: Vec<C64> = (0..n).map(|t| (xr[r * n + t] as f64, xi[r * n + t] as f64)).collect();
        let big_x = bf(&x, &mats);
        for (t, v) in big_x.iter().enumerate() {
            out_r[r * n + t] = v.0 as f32;
            out_i[r * n + t] = v.1 as f32;
        }
    }
    Ok(vec![Tensor::from_f32(vec![r_dim, n], out_r), Tensor::from_f32(vec![r_dim, n], out_i)])
}

fn cmul(a: C64, b: C64) -> C64 {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

/// The recursive block transform of one vector (length a power of two >= 2).
fn bf(x: &[C64], mats: &[Vec<C64>]) -> Vec<C64> {
    let big_n = x.len();
    if big_n <= 16 {
        let mat = &mats[big_n.trailing_zeros() as usize];
        return (0..big_n)
            .map(|p| {
                (0..big_n).fold((0.0, 0.0), |acc, a| {
                    let t = cmul(mat[p * big_n + a], x[a]);
                    (acc.0 + t.0, acc.1 + t.1)
                })
            })
            .collect();
    }
    let m16 = &mats[4];
    let n = big_n / 16;
    let mut out = vec![(0.0, 0.0); big_n];
    for p in 0..16 {
        // Y[p, :]: length-16 block products along a, then the fixed twiddle
        let row: Vec<C64> = (0..n)
            .map(|b| {
                let mut s = (0.0, 0.0);
                for a in 0..16 {
                    let t = cmul(m16[p * 16 + a], x[a * n + b]);
                    s = (s.0 + t.0, s.1 + t.1);
                }
                let ang = -2.0 * PI * ((p * b) % big_n) as f64 / big_n as f64;
                cmul(s, (ang.cos(), ang.sin()))
            })
            .collect();
        let z = bf(&row, mats);
        for q in 0..n {
            out[q * 16 + p] = z[q];
        }
    }
    out
}
