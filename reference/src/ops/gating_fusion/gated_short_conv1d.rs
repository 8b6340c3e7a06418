//! gated_short_conv1d: the gated short convolution of Liquid LFM2 / Hyena-style language backbones
//! (as used by AutoNeural; LFM2 `ShortConv` semantics): an input projection to three chunks (B, C,
//! x, in that order), an input gate B·x, a causal depthwise convolution of length L over time, an
//! output gate C·(·) and an output projection. No biases (LFM2 configs: conv_bias = false).
//!
//! x [B, T, D], w_in [3D, D], w_conv [D, L], w_out [D, D] → out [B, T, D]:
//!   z[b, t, r]   = Σ_{f<D} w_in[r, f] · x[b, t, f]                       (r < 3D)
//!   Bg = z[..., 0:D], Cg = z[..., D:2D], xv = z[..., 2D:3D]
//!   g[b, t, d]   = Bg[b, t, d] · xv[b, t, d]
//!   c[b, t, d]   = Σ_{j<L} w_conv[d, j] · g[b, t − (L − 1) + j, d]     (g = 0 before t = 0; tap L−1 = current token)
//!   yv[b, t, d]  = Cg[b, t, d] · c[b, t, d]
//!   out[b, t, e] = Σ_{d<D} w_out[e, d] · yv[b, t, d]
//! (PyTorch: Conv1d(D, D, L, groups=D, padding=L−1) on [B, D, T], first T outputs kept.)
//! All intermediate values are f64; out is rounded to f32 once.

use crate::{OpArgs, Result, Tensor};

/// Gated short convolution. Inputs: `x` [B, T, D], `w_in` [3D, D], `w_conv` [D, L],
/// `w_out` [D, D]. Attribute: `L`. Output: `out` [B, T, D].
pub fn gated_short_conv1d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, t_dim, d) = (args.dim("B")?, args.dim("T")?, args.dim("D")?);
    let l = args.uint("L")?;
    args.input("x")?.expect_shape("x", &[b_dim, t_dim, d])?;
    args.input("w_in")?.expect_shape("w_in", &[3 * d, d])?;
    args.input("w_conv")?.expect_shape("w_conv", &[d, l])?;
    args.input("w_out")?.expect_shape("w_out", &[d, d])?;
    let (x, w_in, w_conv, w_out) = (args.f32s("x")?, args.f32s("w_in")?, args.f32s("w_conv")?, args.f32s("w_out")?);

    let mut out = vec![0.0f32; b_dim * t_dim * d];
    for b in 0..b_dim {
        // in-projection: gated input g and output gate Cg for every token
        let mut g = vec![0.0f64; t_dim * d];
        let mut cg = vec![0.0f64; t_dim * d];
        for t in 0..t_dim {
            let xt = &x[(b * t_dim + t) * d..][..d];
            let proj = |r: usize| -> f64 { (0..d).map(|f| w_in[r * d + f] as f64 * xt[f] as f64).sum() };
            for e in 0..d {
                g[t * d + e] = proj(e) * proj(2 * d + e);
                cg[t * d + e] = proj(d + e);
            }
        }
        // causal depthwise conv, output gate, out-projection
        let mut yv = vec![0.0f64; d];
        for t in 0..t_dim {
            for e in 0..d {
                let mut c = 0.0f64;
                for j in 0..l {
                    let tt = t as isize - (l as isize - 1) + j as isize;
                    if tt >= 0 {
                        c += w_conv[e * l + j] as f64 * g[tt as usize * d + e];
                    }
                }
                yv[e] = cg[t * d + e] * c;
            }
            for e in 0..d {
                let s: f64 = (0..d).map(|f| w_out[e * d + f] as f64 * yv[f]).sum();
                out[(b * t_dim + t) * d + e] = s as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, t_dim, d], out)])
}
