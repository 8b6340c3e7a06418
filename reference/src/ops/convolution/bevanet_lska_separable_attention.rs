//! bevanet_lska_separable_attention: BEVANet's LSKA (official `models/LSKA.py::LSKA`, mode 'a';
//! DWConv / PWConv with bias). K = 35 → k1 = 5, k2 = 11, dilation d = 3.
//!
//! x [N, C, H, W] → y [N, C, H, W]; depthwise convs, stride 1, each zero-padding its own input:
//!   a1 = dw_{1×k1}(x, wh1) + bh1,                 pad (0, k1/2)
//!   a2 = dw_{k1×1}(a1, wv1) + bv1,                pad (k1/2, 0)
//!   a3 = dw_{1×k2, dil (1,d)}(a2, wh2) + bh2,     pad (0, d(k2−1)/2)
//!   a4 = dw_{k2×1, dil (d,1)}(a3, wv2) + bv2,     pad (d(k2−1)/2, 0)
//!   y  = x ⊙ (wp · a4 + bp)                       1×1 conv C → C
//! Intermediates in f64; y rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// LSKA. Inputs: `x`, `wh1` [C,1,1,k1], `bh1`, `wv1` [C,1,k1,1], `bv1`, `wh2` [C,1,1,k2], `bh2`,
/// `wv2` [C,1,k2,1], `bv2`, `wp` [C, C], `bp`. Attributes: `k1`, `k2`, `d`. Output: `y`.
pub fn bevanet_lska_separable_attention(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, c_dim, h, w) = (args.dim("N")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let (k1, k2, d) = (args.uint("k1")?, args.uint("k2")?, args.uint("d")?);
    if k1 % 2 == 0 || k2 % 2 == 0 || d == 0 {
        return Err(RefError::Invalid(format!("need odd k1, k2 and d > 0 (k1={k1}, k2={k2}, d={d})")));
    }
    args.input("x")?.expect_shape("x", &[n_dim, c_dim, h, w])?;
    for (name, shape) in [
        ("wh1", vec![c_dim, 1, 1, k1]),
        ("wv1", vec![c_dim, 1, k1, 1]),
        ("wh2", vec![c_dim, 1, 1, k2]),
        ("wv2", vec![c_dim, 1, k2, 1]),
        ("wp", vec![c_dim, c_dim]),
    ] {
        args.input(name)?.expect_shape(name, &shape)?;
    }
    for name in ["bh1", "bv1", "bh2", "bv2", "bp"] {
        args.input(name)?.expect_shape(name, &[c_dim])?;
    }
    let x = args.f32s("x")?;
    let wp = args.f32s("wp")?;
    let bp = args.f32s("bp")?;
    let plane = h * w;
    // (weights, bias, taps, dilation, horizontal)
    let stages = [
        (args.f32s("wh1")?, args.f32s("bh1")?, k1, 1, true),
        (args.f32s("wv1")?, args.f32s("bv1")?, k1, 1, false),
        (args.f32s("wh2")?, args.f32s("bh2")?, k2, d, true),
        (args.f32s("wv2")?, args.f32s("bv2")?, k2, d, false),
    ];

    let mut y = vec![0.0f32; n_dim * c_dim * plane];
    for n in 0..n_dim {
        let xn = &x[n * c_dim * plane..][..c_dim * plane];
        let mut a: Vec<f64> = xn.iter().map(|&v| v as f64).collect();
        for &(wt, bias, ks, dil, horizontal) in &stages {
            let pad = (dil * (ks - 1) / 2) as isize;
            let mut next = vec![0.0f64; c_dim * plane];
            for c in 0..c_dim {
                for i in 0..h {
                    for j in 0..w {
                        let mut s = bias[c] as f64;
                        for t in 0..ks {
                            let off = (t * dil) as isize - pad;
                            let (ii, jj) = if horizontal {
                                (i as isize, j as isize + off)
                            } else {
                                (i as isize + off, j as isize)
                            };
                            if ii < 0 || ii >= h as isize || jj < 0 || jj >= w as isize {
                                continue;
                            }
                            s += wt[c * ks + t] as f64 * a[c * plane + ii as usize * w + jj as usize];
                        }
                        next[c * plane + i * w + j] = s;
                    }
                }
            }
            a = next;
        }
        // 1×1 projection as row updates (acc[p] += wp[o, c] · a[c, p]), then the gate
        let mut acc = vec![0.0f64; plane];
        for o in 0..c_dim {
            acc.fill(bp[o] as f64);
            for c in 0..c_dim {
                let wv = wp[o * c_dim + c] as f64;
                for (s, &v) in acc.iter_mut().zip(&a[c * plane..][..plane]) {
                    *s += wv * v;
                }
            }
            for p in 0..plane {
                y[(n * c_dim + o) * plane + p] = (xn[o * plane + p] as f64 * acc[p]) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, c_dim, h, w], y)])
}
