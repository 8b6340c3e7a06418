//! spartan_wave_channel_aggregation: the "wave" channel aggregation at the head of SpaRTAN's
//! channel mixer (official code henry-pay/SpaRTAN, `src/model/spartan.py`, class CMixer): an
//! argmax-channel interaction followed by a learned complex modulation of channel pairs.
//!
//! x [B, C, H, W] (NCHW), expand ratio E (attribute), Cn = C·E:
//!   idx[b,h,w]  = argmax_{c < C} x[b,c,h,w]          (first index of the maximum on ties)
//!   theta[b,n]  = GELU( b_t[n] + Σ_k w_t[n,k] · x[b,k,h,w] )     (exact erf GELU)
//!   wgt[b,n]    =       b_p[n] + Σ_k w_p[n,k] · x[b,k,h,w]
//!   f[b,n,h,w]  = wgt[b,n,h,w]·theta[b,n,h,w] + wgt[b,idx,h,w]·theta[b,idx,h,w]
//!   for pair j < Cn/2 (channels 2j, 2j+1), (a, c) = (cplx[j,0], cplx[j,1]):
//!     out[b,2j]   = a·f[b,2j]   − c·f[b,2j+1]
//!     out[b,2j+1] = a·f[b,2j+1] + c·f[b,2j]
//! The argmax is over the C INPUT channels and indexes the Cn expanded channels (as in the
//! official code). Everything after the argmax is f64; the output is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Wave channel aggregation. Inputs: `x` [B, C, H, W], `w_t` [Cn, C], `b_t` [Cn], `w_p` [Cn, C],
/// `b_p` [Cn], `cplx` [Cn/2, 2]. Attribute: `E`. Output: `out` [B, Cn, H, W].
pub fn spartan_wave_channel_aggregation(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (bn, c, h, w) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let e = args.uint("E")?;
    let cn = c * e;
    if c == 0 || e < 1 || cn % 2 != 0 {
        return Err(RefError::Invalid(format!("need C > 0 and C·E even (C={c}, E={e})")));
    }
    args.input("x")?.expect_shape("x", &[bn, c, h, w])?;
    for n in ["w_t", "w_p"] {
        args.input(n)?.expect_shape(n, &[cn, c])?;
    }
    for n in ["b_t", "b_p"] {
        args.input(n)?.expect_shape(n, &[cn])?;
    }
    args.input("cplx")?.expect_shape("cplx", &[cn / 2, 2])?;
    let (x, w_t, b_t, w_p, b_p, cplx) = (
        args.f32s("x")?,
        args.f32s("w_t")?,
        args.f32s("b_t")?,
        args.f32s("w_p")?,
        args.f32s("b_p")?,
        args.f32s("cplx")?,
    );
    let hw = h * w;
    let mut out = vec![0.0f32; bn * cn * hw];
    let mut f = vec![0.0f64; cn];
    for b in 0..bn {
        for p in 0..hw {
            let xv = |k: usize| x[(b * c + k) * hw + p];
            let mut idx = 0;
            for k in 1..c {
                if xv(k) > xv(idx) {
                    idx = k;
                }
            }
            let theta =
                |n: usize| gelu(b_t[n] as f64 + (0..c).map(|k| w_t[n * c + k] as f64 * xv(k) as f64).sum::<f64>());
            let wgt = |n: usize| b_p[n] as f64 + (0..c).map(|k| w_p[n * c + k] as f64 * xv(k) as f64).sum::<f64>();
            let mx = wgt(idx) * theta(idx);
            for (n, fv) in f.iter_mut().enumerate() {
                *fv = wgt(n) * theta(n) + mx;
            }
            for j in 0..cn / 2 {
                let (a, cc) = (cplx[2 * j] as f64, cplx[2 * j + 1] as f64);
                let (re, im) = (f[2 * j], f[2 * j + 1]);
                out[(b * cn + 2 * j) * hw + p] = (a * re - cc * im) as f32;
                out[(b * cn + 2 * j + 1) * hw + p] = (a * im + cc * re) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![bn, cn, h, w], out)])
}

/// Exact GELU: 0.5 · t · erfc(−t/√2).
fn gelu(t: f64) -> f64 {
    0.5 * t * erfc(-t * std::f64::consts::FRAC_1_SQRT_2)
}

/// erfc in f64 (relative error < 1e-13): positive-term series for |t| < 2, continued fraction
/// for t ≥ 2, reflection erfc(t) = 2 − erfc(−t) for t ≤ −2.
fn erfc(t: f64) -> f64 {
    if t <= -2.0 {
        return 2.0 - erfc(-t);
    }
    if t < 2.0 {
        let (mut term, mut sum) = (t, t);
        for n in 1..200 {
            term *= 2.0 * t * t / (2 * n + 1) as f64;
            sum += term;
            if term.abs() <= sum.abs() * 1e-17 {
                break;
            }
        }
        return 1.0 - std::f64::consts::FRAC_2_SQRT_PI * (-t * t).exp() * sum;
    }
    let mut f = t;
    for m in (1..=60).rev() {
        f = t + (m as f64 / 2.0) / f;
    }
    (-t * t).exp() / std::f64::consts::PI.sqrt() / f
}
