//! lsnet_lkp_dynamic_kernel_gen: LSNet's Large-Kernel Perception (official `model/lsnet.py::LKP`,
//! Conv2d_BN layers in BN-folded form): per-pixel 3×3 kernels for SKA, one per channel group.
//!
//! x [N, C, H, W]; Ch = C/2, G = C/groups, K = sks² = 9, lks = 7 → Wdyn [N, G, K, H, W]:
//!   a1 = relu(w1 · x + b1)                      1×1, C → Ch
//!   a2 = dwconv_lks×lks(a1, w2) + b2            depthwise, zero pad (lks−1)/2
//!   a3 = relu(w3 · a2 + b3)                     1×1, Ch → Ch
//!   z  = w4 · a3 + b4                           1×1, Ch → G·K
//!   GroupNorm(G groups of K consecutive channels, biased variance over K·H·W values, eps),
//!   per-channel affine gn_w, gn_b; Wdyn[n, g, t] = normalised z[n, g·K + t].
//! Every intermediate is kept in f64; the output is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// LKP. Inputs: `x`, `w1` [Ch, C], `b1`, `w2` [Ch, 1, lks, lks], `b2`, `w3` [Ch, Ch], `b3`,
/// `w4` [G·K, Ch], `b4`, `gn_w`, `gn_b` [G·K]. Attributes: `lks`, `sks`, `groups`, `eps`.
/// Output: `Wdyn` [N, G, sks², H, W].
pub fn lsnet_lkp_dynamic_kernel_gen(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, c_dim, h, w) = (args.dim("N")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let (lks, sks, groups, eps) = (args.uint("lks")?, args.uint("sks")?, args.uint("groups")?, args.float("eps")?);
    if groups == 0 || c_dim % groups != 0 || c_dim % 2 != 0 || c_dim == 0 || lks % 2 == 0 || h * w == 0 {
        return Err(RefError::Invalid(format!(
            "need C even and a multiple of groups, odd lks, H·W > 0 (C={c_dim}, groups={groups}, lks={lks})"
        )));
    }
    let (ch, g_dim, kk) = (c_dim / 2, c_dim / groups, sks * sks);
    let gk = g_dim * kk;
    args.input("x")?.expect_shape("x", &[n_dim, c_dim, h, w])?;
    for (name, shape) in [
        ("w1", vec![ch, c_dim]),
        ("b1", vec![ch]),
        ("w2", vec![ch, 1, lks, lks]),
        ("b2", vec![ch]),
        ("w3", vec![ch, ch]),
        ("b3", vec![ch]),
        ("w4", vec![gk, ch]),
        ("b4", vec![gk]),
        ("gn_w", vec![gk]),
        ("gn_b", vec![gk]),
    ] {
        args.input(name)?.expect_shape(name, &shape)?;
    }
    let x = args.f32s("x")?;
    let (w1, b1, w2, b2) = (args.f32s("w1")?, args.f32s("b1")?, args.f32s("w2")?, args.f32s("b2")?);
    let (w3, b3, w4, b4) = (args.f32s("w3")?, args.f32s("b3")?, args.f32s("w4")?, args.f32s("b4")?);
    let (gn_w, gn_b) = (args.f32s("gn_w")?, args.f32s("gn_b")?);
    let plane = h * w;
    let r = (lks - 1) / 2;

    // 1×1 conv on one image: out[o][p] = bias[o] + Σ_c wt[o·cin + c] · input[c][p]
    let pointwise = |input: &[f64], cin: usize, wt: &[f32], bias: &[f32], cout: usize, relu: bool| -> Vec<f64> {
        let mut out = vec![0.0f64; cout * plane];
        for o in 0..cout {
            let dst = &mut out[o * plane..][..plane];
            dst.fill(bias[o] as f64);
            for c in 0..cin {
                let wv = wt[o * cin + c] as f64;
                for (d, &s) in dst.iter_mut().zip(&input[c * plane..][..plane]) {
                    *d += wv * s;
                }
            }
            if relu {
                dst.iter_mut().for_each(|v| *v = v.max(0.0));
            }
        }
        out
    };

    let mut y = vec![0.0f32; n_dim * gk * plane];
    for n in 0..n_dim {
        let xn: Vec<f64> = x[n * c_dim * plane..][..c_dim * plane].iter().map(|&v| v as f64).collect();
        let a1 = pointwise(&xn, c_dim, w1, b1, ch, true);
        let mut a2 = vec![0.0f64; ch * plane];
        for o in 0..ch {
            for i in 0..h {
                for j in 0..w {
                    let mut s = b2[o] as f64;
                    for u in 0..lks {
                        let ii = i as isize + u as isize - r as isize;
                        if ii < 0 || ii >= h as isize {
                            continue;
                        }
                        for v in 0..lks {
                            let jj = j as isize + v as isize - r as isize;
                            if jj < 0 || jj >= w as isize {
                                continue;
                            }
                            s += w2[(o * lks + u) * lks + v] as f64 * a1[o * plane + ii as usize * w + jj as usize];
                        }
                    }
                    a2[o * plane + i * w + j] = s;
                }
            }
        }
        let a3 = pointwise(&a2, ch, w3, b3, ch, true);
        let z = pointwise(&a3, ch, w4, b4, gk, false);
        for g in 0..g_dim {
            let zg = &z[g * kk * plane..][..kk * plane];
            let cnt = (kk * plane) as f64;
            let mean = zg.iter().sum::<f64>() / cnt;
            let var = zg.iter().map(|&v| (v - mean) * (v - mean)).sum::<f64>() / cnt;
            let inv = 1.0 / (var + eps).sqrt();
            for t in 0..kk {
                let m = g * kk + t;
                for p in 0..plane {
                    let v = (z[m * plane + p] - mean) * inv * gn_w[m] as f64 + gn_b[m] as f64;
                    y[(n * gk + m) * plane + p] = v as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, g_dim, kk, h, w], y)])
}
