//! mvs_pixelwise_view_weight_aggregation: GBi-Net's pixel-wise view weights (official code
//! MiZhenxing/GBi-Net `modules/gbinet_submodules_clean.py` PixelwiseNet: three 1×1×1 Conv3d over
//! the group axis, the first two without bias + BatchNorm (folded here to scale/shift) + ReLU, the
//! last with bias + sigmoid, then max over depth; `models/gbinet_clean.py`: view-weighted mean).
//!
//! sims [V, B, G, D, H, W]; w0 [16, G], s0, t0 [16]; w1 [8, 16], s1, t1 [8]; w2 [1, 8], b2 [1]
//! → out [B, G, D, H, W]:
//!   a0[k] = relu(s0[k]·Σ_g w0[k,g]·sims[v,b,g,d,h,w] + t0[k])         k < 16
//!   a1[k] = relu(s1[k]·Σ_j w1[k,j]·a0[j] + t1[k])                      k < 8
//!   q[v,b,d,h,w] = sigmoid(Σ_k w2[0,k]·a1[k] + b2[0])
//!   wv[v,b,h,w]  = max_d q[v,b,d,h,w]
//!   out[b,g,d,h,w] = Σ_v sims[v,b,g,d,h,w]·wv[v,b,h,w] / Σ_v wv[v,b,h,w]
//! All in f64; outputs rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Pixel-wise view-weighted aggregation. Inputs: `sims` [V, B, G, D, H, W], `w0` [16, G], `s0`,
/// `t0` [16], `w1` [8, 16], `s1`, `t1` [8], `w2` [1, 8], `b2` [1]. Output: `out` [B, G, D, H, W].
pub fn mvs_pixelwise_view_weight_aggregation(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (v_dim, b_dim, g_dim) = (args.dim("V")?, args.dim("B")?, args.dim("G")?);
    let (d_dim, h, w_dim) = (args.dim("D")?, args.dim("H")?, args.dim("W")?);
    if v_dim == 0 || d_dim == 0 {
        return Err(RefError::Invalid(format!("V={v_dim} and D={d_dim} must be positive")));
    }
    args.input("sims")?.expect_shape("sims", &[v_dim, b_dim, g_dim, d_dim, h, w_dim])?;
    for (n, shape) in [
        ("w0", vec![16, g_dim]),
        ("s0", vec![16]),
        ("t0", vec![16]),
        ("w1", vec![8, 16]),
        ("s1", vec![8]),
        ("t1", vec![8]),
        ("w2", vec![1, 8]),
        ("b2", vec![1]),
    ] {
        args.input(n)?.expect_shape(n, &shape)?;
    }
    let sims = args.f32s("sims")?;
    let p = |n: &str| -> Result<Vec<f64>> { Ok(args.f32s(n)?.iter().map(|&v| v as f64).collect()) };
    let (w0, s0, t0, w1, s1, t1, w2, b2) =
        (p("w0")?, p("s0")?, p("t0")?, p("w1")?, p("s1")?, p("t1")?, p("w2")?, p("b2")?);
    let plane = h * w_dim;
    let vol = g_dim * d_dim * plane; // one (v, b) volume
    let at = |v: usize, b: usize, g: usize, d: usize, q: usize| {
        sims[(v * b_dim + b) * vol + (g * d_dim + d) * plane + q] as f64
    };

    // wv[v][b*plane + q] = max_d sigmoid(MLP(sims[v, b, :, d, q]))
    let mut wv = vec![vec![f64::NEG_INFINITY; b_dim * plane]; v_dim];
    for (v, wvv) in wv.iter_mut().enumerate() {
        for b in 0..b_dim {
            for d in 0..d_dim {
                for q in 0..plane {
                    let a0: Vec<f64> = (0..16)
                        .map(|k| {
                            (s0[k] * (0..g_dim).map(|g| w0[k * g_dim + g] * at(v, b, g, d, q)).sum::<f64>() + t0[k])
                                .max(0.0)
                        })
                        .collect();
                    let a1: Vec<f64> = (0..8)
                        .map(|k| (s1[k] * (0..16).map(|j| w1[k * 16 + j] * a0[j]).sum::<f64>() + t1[k]).max(0.0))
                        .collect();
                    let logit = (0..8).map(|k| w2[k] * a1[k]).sum::<f64>() + b2[0];
                    let qv = 1.0 / (1.0 + (-logit).exp());
                    let slot = &mut wvv[b * plane + q];
                    *slot = slot.max(qv);
                }
            }
        }
    }
    let mut out = vec![0.0f32; b_dim * vol];
    for b in 0..b_dim {
        for g in 0..g_dim {
            for d in 0..d_dim {
                for q in 0..plane {
                    let (mut num, mut den) = (0.0f64, 0.0f64);
                    for (v, wvv) in wv.iter().enumerate() {
                        num += at(v, b, g, d, q) * wvv[b * plane + q];
                        den += wvv[b * plane + q];
                    }
                    out[b * vol + (g * d_dim + d) * plane + q] = (num / den) as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, g_dim, d_dim, h, w_dim], out)])
}
