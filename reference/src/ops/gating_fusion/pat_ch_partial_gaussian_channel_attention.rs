//! pat_ch_partial_gaussian_channel_attention: PATNet's PAT_ch mixer (ASSUMED form, inferred from
//! the abstract): a partial 3×3 convolution (FasterNet PConv) on the first Cp = C // n_div
//! channels, while the Cu = C − Cp untouched channels are rescaled by a Gaussian channel
//! attention (Gaussian Context Transformer form) computed from their global statistics.
//!
//! x [B, C, H, W], w [Cp, Cp, 3, 3] → y [B, C, H, W]; attributes n_div, cg (the Gaussian constant c), eps:
//!   y[b, o, i, j] = Σ_{ci<Cp, u<3, v<3} w[o, ci, u, v] · x[b, ci, i+u−1, j+v−1]    o < Cp (zero pad 1)
//!   for the untouched channels u_c = x[b, Cp + c], c < Cu:
//!     g[b, c] = mean_{i,j} u_c ;  m[b] = mean_c g[b, c] ;  var[b] = mean_c g[b, c]² − m[b]²
//!     z[b, c] = (g[b, c] − m[b]) / sqrt(var[b] + eps) ;  a[b, c] = exp(−z[b, c]² · cg / 2)
//!     y[b, Cp + c, i, j] = x[b, Cp + c, i, j] · a[b, c]
//! Statistics use the biased (population) variance. Everything accumulated in f64.

use crate::{OpArgs, RefError, Result, Tensor};

/// PAT_ch. Inputs: `x` [B, C, H, W], `w` [Cp, Cp, 3, 3]. Attributes: `n_div`, `cg`, `eps`.
/// Output: `y` [B, C, H, W].
pub fn pat_ch_partial_gaussian_channel_attention(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let n_div = args.uint("n_div")?;
    let gc = args.float("cg")?;
    let eps = args.float("eps")?;
    if n_div == 0 || c_dim / n_div == 0 || c_dim / n_div == c_dim {
        return Err(RefError::Invalid(format!("need 1 <= Cp = C // n_div < C (C = {c_dim}, n_div = {n_div})")));
    }
    let cp = c_dim / n_div;
    let cu = c_dim - cp;
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    args.input("w")?.expect_shape("w", &[cp, cp, 3, 3])?;
    let x = args.f32s("x")?;
    let wt = args.f32s("w")?;
    let plane = h * w_dim;
    let mut y = vec![0.0f32; x.len()];
    for b in 0..b_dim {
        let xb = &x[b * c_dim * plane..][..c_dim * plane];
        let yb = &mut y[b * c_dim * plane..][..c_dim * plane];
        // PConv on the first Cp channels
        for o in 0..cp {
            for i in 0..h {
                for j in 0..w_dim {
                    let mut s = 0.0f64;
                    for ci in 0..cp {
                        for u in 0..3 {
                            let ii = i as isize + u as isize - 1;
                            if ii < 0 || ii >= h as isize {
                                continue;
                            }
                            for v in 0..3 {
                                let jj = j as isize + v as isize - 1;
                                if jj < 0 || jj >= w_dim as isize {
                                    continue;
                                }
                                s += wt[((o * cp + ci) * 3 + u) * 3 + v] as f64
                                    * xb[ci * plane + ii as usize * w_dim + jj as usize] as f64;
                            }
                        }
                    }
                    yb[o * plane + i * w_dim + j] = s as f32;
                }
            }
        }
        // Gaussian channel attention on the untouched channels
        let g: Vec<f64> = (0..cu)
            .map(|c| xb[(cp + c) * plane..][..plane].iter().map(|&e| e as f64).sum::<f64>() / plane as f64)
            .collect();
        let m = g.iter().sum::<f64>() / cu as f64;
        let var = g.iter().map(|e| e * e).sum::<f64>() / cu as f64 - m * m;
        let inv_std = 1.0 / (var + eps).sqrt();
        for (c, &gm) in g.iter().enumerate() {
            let z = (gm - m) * inv_std;
            let a = (-z * z * gc / 2.0).exp();
            let off = (cp + c) * plane;
            for p in 0..plane {
                yb[off + p] = (xb[off + p] as f64 * a) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, h, w_dim], y)])
}
