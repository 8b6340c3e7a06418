//! hyperzzw_local_context_conv: the local branch of HyperZ·Z·W / Terminator's fast network
//! (`LocalConv` + `self.biasN` in `FastMultiBranchLayer`): the context-dependent hyper-kernel
//! `Hk` (one K×K kernel per channel, shared by the whole batch) is used as a depthwise sliding
//! window kernel, followed by a 1×1 channel mixer, a "batch standardisation"
//! (BatchNorm2d(affine=False, track_running_stats=False): always current-batch statistics),
//! exact GELU and a scalar bias.
//!
//! x [B, C, H, W]; Hk [C, K, K] (K odd); Wm [C, C]; bm [C]; fast_bias [1] → y [B, C, H, W]:
//!   t[b,c,i,j] = Σ_{u,v<K} Hk[c,u,v] · x[b, c, i+u−(K−1)/2, j+v−(K−1)/2]        (zero padding)
//!   u[b,o,i,j] = bm[o] + Σ_c Wm[o,c] · t[b,c,i,j]
//!   μ[o] = mean_{b,i,j} u[b,o,i,j];  σ²[o] = mean_{b,i,j} (u[b,o,i,j] − μ[o])²   (biased)
//!   y[b,o,i,j] = gelu((u[b,o,i,j] − μ[o]) / sqrt(σ²[o] + 1e-5)) + fast_bias[0]
//!   gelu(z) = z/2 · (1 + erf(z/√2))    (exact GELU, nn.GELU default)
//! Everything (statistics two-pass) in f64, rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Hyper-kernel depthwise conv + channel mixer + batch standardisation + GELU + bias.
/// Inputs: `x` [B, C, H, W], `Hk` [C, K, K], `Wm` [C, C], `bm` [C], `fast_bias` [1].
/// Output: `y` [B, C, H, W].
pub fn hyperzzw_local_context_conv(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (nb, nc, h, w, k) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?, args.dim("K")?);
    if k % 2 == 0 {
        return Err(RefError::Invalid(format!("K = {k} must be odd")));
    }
    args.input("x")?.expect_shape("x", &[nb, nc, h, w])?;
    args.input("Hk")?.expect_shape("Hk", &[nc, k, k])?;
    args.input("Wm")?.expect_shape("Wm", &[nc, nc])?;
    args.input("bm")?.expect_shape("bm", &[nc])?;
    args.input("fast_bias")?.expect_shape("fast_bias", &[1])?;
    let (x, hk, wm, bm) = (args.f32s("x")?, args.f32s("Hk")?, args.f32s("Wm")?, args.f32s("bm")?);
    let fast_bias = args.f32s("fast_bias")?[0] as f64;
    let plane = h * w;
    let pad = ((k - 1) / 2) as isize;
    // depthwise conv with the hyper-kernel
    let mut t = vec![0.0f64; nb * nc * plane];
    for bc in 0..nb * nc {
        let c = bc % nc;
        let xc = &x[bc * plane..(bc + 1) * plane];
        for i in 0..h {
            for j in 0..w {
                let mut acc = 0.0f64;
                for u in 0..k {
                    let ii = i as isize + u as isize - pad;
                    if ii < 0 || ii >= h as isize {
                        continue;
                    }
                    for v in 0..k {
                        let jj = j as isize + v as isize - pad;
                        if jj < 0 || jj >= w as isize {
                            continue;
                        }
                        acc += hk[(c * k + u) * k + v] as f64 * xc[ii as usize * w + jj as usize] as f64;
                    }
                }
                t[bc * plane + i * w + j] = acc;
            }
        }
    }
    // 1x1 channel mixer (row axpys over the pixels of one image)
    let mut um = vec![0.0f64; nb * nc * plane];
    for b in 0..nb {
        for o in 0..nc {
            let row = &mut um[(b * nc + o) * plane..(b * nc + o + 1) * plane];
            row.fill(bm[o] as f64);
            for c in 0..nc {
                let wv = wm[o * nc + c] as f64;
                let tc = &t[(b * nc + c) * plane..(b * nc + c + 1) * plane];
                for (r, &tv) in row.iter_mut().zip(tc) {
                    *r += wv * tv;
                }
            }
        }
    }
    // batch standardisation (current-batch statistics over B, H, W), GELU, bias
    let count = (nb * plane) as f64;
    let mut y = vec![0.0f32; nb * nc * plane];
    for o in 0..nc {
        let vals = || (0..nb).flat_map(|b| um[(b * nc + o) * plane..(b * nc + o + 1) * plane].iter().copied());
        let mu = vals().sum::<f64>() / count;
        let var = vals().map(|v| (v - mu) * (v - mu)).sum::<f64>() / count;
        let inv = 1.0 / (var + 1e-5).sqrt();
        for b in 0..nb {
            for p in 0..plane {
                let i = (b * nc + o) * plane + p;
                let z = (um[i] - mu) * inv;
                y[i] = (0.5 * z * erfc(-z * std::f64::consts::FRAC_1_SQRT_2) + fast_bias) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![nb, nc, h, w], y)])
}

/// Complementary error function erfc(t) = 1 − erf(t) in f64 (relative error < 1e-13; the same
/// construction as the gelu_erf reference: positive-term series for |t| < 2, continued fraction
/// for t ≥ 2, reflection erfc(t) = 2 − erfc(−t) for t ≤ −2).
fn erfc(t: f64) -> f64 {
    if t <= -2.0 {
        return 2.0 - erfc(-t);
    }
    if t < 2.0 {
        // erf(t) = (2/√π) e^(−t²) Σ_{n≥0} 2^n t^(2n+1) / (2n+1)!!
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
