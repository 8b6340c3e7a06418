//! hornet_gnconv: HorNet's recursive gated convolution g^n Conv (official `hornet.py::gnconv` with
//! the 7×7 depthwise spatial mixer of `get_dwconv(S, 7, bias=True)`).
//!
//! Order n (attribute `order`), channel widths d_k = C / 2^(n−1−k) for k = 0..n−1 (d_{n−1} = C),
//! S = Σ_k d_k. Inputs: x [N, C, H, W], W_in [2C, C], b_in [2C], W_dw [S, 1, 7, 7], b_dw [S],
//! W_pw{k} [d_{k+1}, d_k], b_pw{k} [d_{k+1}] for k = 0..n−2, W_out [C, C], b_out [C];
//! attribute `scale` (s). Output y [N, C, H, W]:
//!   f = W_in·x + b_in;  p0 = f[:, :d0];  a = f[:, d0:]               (1×1 convs act per pixel)
//!   q = s · (dwconv7×7(a, W_dw; zero pad 3) + b_dw);  q_0..q_{n−1} = consecutive blocks of widths d_k
//!   z = p0 ⊙ q_0;  z = (W_pw{k}·z + b_pw{k}) ⊙ q_{k+1} for k = 0..n−2;  y = W_out·z + b_out
//! All intermediates are kept in f64; y is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// out[n, co, p] = bias[co] + Σ_ci w[co, ci] · inp[n, ci, p] (p over the hw pixels).
fn conv1x1(inp: &[f64], w: &[f32], bias: &[f32], n_dim: usize, ci_n: usize, co_n: usize, hw: usize) -> Vec<f64> {
    let mut out = vec![0.0f64; n_dim * co_n * hw];
    for n in 0..n_dim {
        for co in 0..co_n {
            let dst = &mut out[(n * co_n + co) * hw..][..hw];
            dst.fill(bias[co] as f64);
            for ci in 0..ci_n {
                let wv = w[co * ci_n + ci] as f64;
                let src = &inp[(n * ci_n + ci) * hw..][..hw];
                for (d, &s) in dst.iter_mut().zip(src) {
                    *d += wv * s;
                }
            }
        }
    }
    out
}

/// g^n Conv. Inputs as listed in the module doc; attributes `order`, `scale`. Output `y`.
pub fn hornet_gnconv(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, c_dim, h, w_dim) = (args.dim("N")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let order = args.uint("order")?;
    let scale = args.float("scale")?;
    if order == 0 || order > 16 || c_dim % (1usize << (order - 1)) != 0 {
        return Err(RefError::Invalid(format!("C = {c_dim} must be divisible by 2^(order-1), order = {order}")));
    }
    let dims: Vec<usize> = (0..order).map(|k| c_dim >> (order - 1 - k)).collect();
    let s_dim: usize = dims.iter().sum();
    let d0 = dims[0];
    let hw = h * w_dim;
    args.input("x")?.expect_shape("x", &[n_dim, c_dim, h, w_dim])?;
    args.input("W_in")?.expect_shape("W_in", &[2 * c_dim, c_dim])?;
    args.input("b_in")?.expect_shape("b_in", &[2 * c_dim])?;
    args.input("W_dw")?.expect_shape("W_dw", &[s_dim, 1, 7, 7])?;
    args.input("b_dw")?.expect_shape("b_dw", &[s_dim])?;
    for k in 0..order - 1 {
        args.input(&format!("W_pw{k}"))?.expect_shape(&format!("W_pw{k}"), &[dims[k + 1], dims[k]])?;
        args.input(&format!("b_pw{k}"))?.expect_shape(&format!("b_pw{k}"), &[dims[k + 1]])?;
    }
    args.input("W_out")?.expect_shape("W_out", &[c_dim, c_dim])?;
    args.input("b_out")?.expect_shape("b_out", &[c_dim])?;
    let x: Vec<f64> = args.f32s("x")?.iter().map(|&v| v as f64).collect();
    let w_dw = args.f32s("W_dw")?;
    let b_dw = args.f32s("b_dw")?;

    // proj_in
    let f = conv1x1(&x, args.f32s("W_in")?, args.f32s("b_in")?, n_dim, c_dim, 2 * c_dim, hw);
    // depthwise 7x7 on the last S channels of f, plus bias, times scale
    let mut q = vec![0.0f64; n_dim * s_dim * hw];
    for n in 0..n_dim {
        for c in 0..s_dim {
            let a = &f[(n * 2 * c_dim + d0 + c) * hw..][..hw];
            let kern = &w_dw[c * 49..][..49];
            for i in 0..h {
                for j in 0..w_dim {
                    let mut s = 0.0f64;
                    for u in 0..7 {
                        let ii = (i + u) as isize - 3;
                        if ii < 0 || ii >= h as isize {
                            continue;
                        }
                        for v in 0..7 {
                            let jj = (j + v) as isize - 3;
                            if jj < 0 || jj >= w_dim as isize {
                                continue;
                            }
                            s += kern[u * 7 + v] as f64 * a[ii as usize * w_dim + jj as usize];
                        }
                    }
                    q[(n * s_dim + c) * hw + i * w_dim + j] = scale * (s + b_dw[c] as f64);
                }
            }
        }
    }
    // gate block k of q (channels offset[k] .. offset[k] + dims[k]) for image n
    let offsets: Vec<usize> = dims
        .iter()
        .scan(0, |acc, &d| {
            let o = *acc;
            *acc += d;
            Some(o)
        })
        .collect();
    let gate = |z: &mut [f64], k: usize| {
        let d = dims[k];
        for n in 0..n_dim {
            let qb = &q[(n * s_dim + offsets[k]) * hw..][..d * hw];
            for (zv, &qv) in z[n * d * hw..][..d * hw].iter_mut().zip(qb) {
                *zv *= qv;
            }
        }
    };
    // z = p0 * q0
    let mut z = vec![0.0f64; n_dim * d0 * hw];
    for n in 0..n_dim {
        z[n * d0 * hw..][..d0 * hw].copy_from_slice(&f[n * 2 * c_dim * hw..][..d0 * hw]);
    }
    gate(&mut z, 0);
    for k in 0..order - 1 {
        let wk = args.f32s(&format!("W_pw{k}"))?;
        let bk = args.f32s(&format!("b_pw{k}"))?;
        z = conv1x1(&z, wk, bk, n_dim, dims[k], dims[k + 1], hw);
        gate(&mut z, k + 1);
    }
    let y = conv1x1(&z, args.f32s("W_out")?, args.f32s("b_out")?, n_dim, c_dim, c_dim, hw);
    Ok(vec![Tensor::from_f32(vec![n_dim, c_dim, h, w_dim], y.into_iter().map(|v| v as f32).collect())])
}
