//! fadc_adakern_weight: FADC's AdaKern (official code Linwei-Chen/FADC `models/conv_custom.py`,
//! AdaptiveDilatedConv.forward with kernel_decompose 'both', use_dct False; two OmniAttention
//! heads with kernel_num 1, temperature 1). Each 3×3 kernel is split into its mean (DC,
//! low-frequency) part and the residual (high-frequency) part, and each part is rescaled by
//! per-sample input-channel and output-channel attentions computed from the global mean of x.
//!
//! x [B, Cin, H, W], w [Cout, Cin, k, k]; for n ∈ {1, 2}: fc_n [A, Cin], s_n, t_n [A] (folded
//! BatchNorm), wc_n [Cin, A], bc_n [Cin], wf_n [Cout, A], bf_n [Cout]; A = max(Cin div 16, 16).
//!   g[b, i]    = mean_{h,w} x[b, i, h, w]
//!   z_n[b, a]  = relu(s_n[a]·Σ_i fc_n[a, i]·g[b, i] + t_n[a])
//!   c_n[b, i]  = sigmoid(Σ_a wc_n[i, a]·z_n[b, a] + bc_n[i])
//!   f_n[b, o]  = sigmoid(Σ_a wf_n[o, a]·z_n[b, a] + bf_n[o])
//!   wm[o, i]   = mean_{p,q} w[o, i, p, q]
//!   wb[b, o, i, p, q] = wm[o, i]·(2c_1[b, i])·(2f_1[b, o]) + (w[o, i, p, q] − wm[o, i])·(2c_2[b, i])·(2f_2[b, o])
//! Everything is computed in f64 and rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

fn sigmoid(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp())
}

/// One OmniAttention head: (channel attention c [B, Cin], filter attention f [B, Cout]).
fn head(args: &OpArgs, n: usize, g: &[f64], dims: (usize, usize, usize, usize)) -> Result<(Vec<f64>, Vec<f64>)> {
    let (b_dim, cin, cout, a_dim) = dims;
    let name = |s: &str| format!("{s}{n}");
    args.input(&name("fc"))?.expect_shape(&name("fc"), &[a_dim, cin])?;
    args.input(&name("s"))?.expect_shape(&name("s"), &[a_dim])?;
    args.input(&name("t"))?.expect_shape(&name("t"), &[a_dim])?;
    args.input(&name("wc"))?.expect_shape(&name("wc"), &[cin, a_dim])?;
    args.input(&name("bc"))?.expect_shape(&name("bc"), &[cin])?;
    args.input(&name("wf"))?.expect_shape(&name("wf"), &[cout, a_dim])?;
    args.input(&name("bf"))?.expect_shape(&name("bf"), &[cout])?;
    let fc = args.f32s(&name("fc"))?;
    let s = args.f32s(&name("s"))?;
    let t = args.f32s(&name("t"))?;
    let wc = args.f32s(&name("wc"))?;
    let bc = args.f32s(&name("bc"))?;
    let wf = args.f32s(&name("wf"))?;
    let bf = args.f32s(&name("bf"))?;
    let mut c_att = vec![0.0f64; b_dim * cin];
    let mut f_att = vec![0.0f64; b_dim * cout];
    for b in 0..b_dim {
        let z: Vec<f64> = (0..a_dim)
            .map(|a| {
                let dot: f64 = (0..cin).map(|i| fc[a * cin + i] as f64 * g[b * cin + i]).sum();
                (s[a] as f64 * dot + t[a] as f64).max(0.0)
            })
            .collect();
        for i in 0..cin {
            let v: f64 = (0..a_dim).map(|a| wc[i * a_dim + a] as f64 * z[a]).sum();
            c_att[b * cin + i] = sigmoid(v + bc[i] as f64);
        }
        for o in 0..cout {
            let v: f64 = (0..a_dim).map(|a| wf[o * a_dim + a] as f64 * z[a]).sum();
            f_att[b * cout + o] = sigmoid(v + bf[o] as f64);
        }
    }
    Ok((c_att, f_att))
}

/// AdaKern dynamic weight. Inputs: `x` [B, Cin, H, W], `w` [Cout, Cin, k, k], then for n = 1, 2:
/// `fc{n}` [A, Cin], `s{n}`, `t{n}` [A], `wc{n}` [Cin, A], `bc{n}` [Cin], `wf{n}` [Cout, A],
/// `bf{n}` [Cout]. Attribute: `k`. Output: `wb` [B, Cout, Cin, k, k].
pub fn fadc_adakern_weight(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, cin, cout) = (args.dim("B")?, args.dim("Cin")?, args.dim("Cout")?);
    let (h, w_dim, k) = (args.dim("H")?, args.dim("W")?, args.uint("k")?);
    if h * w_dim == 0 || k == 0 {
        return Err(RefError::Invalid(format!("H={h}, W={w_dim}, k={k} must be positive")));
    }
    let a_dim = (cin / 16).max(16);
    args.input("x")?.expect_shape("x", &[b_dim, cin, h, w_dim])?;
    args.input("w")?.expect_shape("w", &[cout, cin, k, k])?;
    let x = args.f32s("x")?;
    let w = args.f32s("w")?;
    let plane = h * w_dim;
    let g: Vec<f64> = (0..b_dim * cin)
        .map(|bi| x[bi * plane..][..plane].iter().map(|&v| v as f64).sum::<f64>() / plane as f64)
        .collect();
    let (c1, f1) = head(args, 1, &g, (b_dim, cin, cout, a_dim))?;
    let (c2, f2) = head(args, 2, &g, (b_dim, cin, cout, a_dim))?;

    let kk = k * k;
    let mut wb = vec![0.0f32; b_dim * cout * cin * kk];
    for b in 0..b_dim {
        for o in 0..cout {
            for i in 0..cin {
                let wk = &w[(o * cin + i) * kk..][..kk];
                let wm = wk.iter().map(|&v| v as f64).sum::<f64>() / kk as f64;
                let low = wm * (2.0 * c1[b * cin + i]) * (2.0 * f1[b * cout + o]);
                let hi_scale = (2.0 * c2[b * cin + i]) * (2.0 * f2[b * cout + o]);
                let out = &mut wb[((b * cout + o) * cin + i) * kk..][..kk];
                for (dst, &wv) in out.iter_mut().zip(wk) {
                    *dst = (low + (wv as f64 - wm) * hi_scale) as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, cout, cin, k, k], wb)])
}
