//! lsnet_ska_pixelwise_aggregation: LSNet's Small-Kernel Aggregation (SKA), a per-pixel dynamic
//! depthwise 3×3 convolution (stride 1, zero padding 1) whose kernels are shared by channel groups
//! in an interleaved way (official `model/ska.py::ska_fwd`).
//!
//! x [N, C, H, W], Wdyn [N, G, 9, H, W] with G = C // groups → y [N, C, H, W]:
//!   y[n, c, i, j] = Σ_{kh<3, kw<3} x[n, c, i + kh − 1, j + kw − 1] · Wdyn[n, c mod G, kh·3 + kw, i, j]
//! x outside the image reads 0. Channel c uses kernel group c mod G (c, c+G, c+2G, … share one
//! kernel), not c // (C/G). Sums in f64, rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// SKA. Inputs: `x` [N, C, H, W], `Wdyn` [N, G, ks², H, W]. Attributes: `ks` (3), `groups`
/// (G = C // groups). Output: `y` [N, C, H, W].
pub fn lsnet_ska_pixelwise_aggregation(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, c_dim, h, w) = (args.dim("N")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let ks = args.uint("ks")?;
    let groups = args.uint("groups")?;
    if groups == 0 || c_dim % groups != 0 || c_dim == 0 || ks % 2 == 0 {
        return Err(RefError::Invalid(format!(
            "need C % groups == 0, C > 0, odd ks (C={c_dim}, groups={groups}, ks={ks})"
        )));
    }
    let g_dim = c_dim / groups;
    let taps = ks * ks;
    let pad = (ks - 1) / 2;
    args.input("x")?.expect_shape("x", &[n_dim, c_dim, h, w])?;
    args.input("Wdyn")?.expect_shape("Wdyn", &[n_dim, g_dim, taps, h, w])?;
    let x = args.f32s("x")?;
    let wd = args.f32s("Wdyn")?;
    let plane = h * w;
    let mut y = vec![0.0f32; n_dim * c_dim * plane];
    for n in 0..n_dim {
        for c in 0..c_dim {
            let g = c % g_dim;
            for i in 0..h {
                for j in 0..w {
                    let mut s = 0.0f64;
                    for kh in 0..ks {
                        let ii = i as isize + kh as isize - pad as isize;
                        if ii < 0 || ii >= h as isize {
                            continue;
                        }
                        for kw in 0..ks {
                            let jj = j as isize + kw as isize - pad as isize;
                            if jj < 0 || jj >= w as isize {
                                continue;
                            }
                            let xv = x[(n * c_dim + c) * plane + ii as usize * w + jj as usize] as f64;
                            let wv = wd[((n * g_dim + g) * taps + kh * ks + kw) * plane + i * w + j] as f64;
                            s += xv * wv;
                        }
                    }
                    y[(n * c_dim + c) * plane + i * w + j] = s as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, c_dim, h, w], y)])
}
