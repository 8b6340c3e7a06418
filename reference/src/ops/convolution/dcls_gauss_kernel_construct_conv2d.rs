//! dcls_gauss_kernel_construct_conv2d: Dilated Convolution with Learnable Spacings, "gauss" version
//! (official `ConstructKernel2d.forward_vgauss` + `Dcls2d._conv_forward`), depthwise
//! (groups = Cin = Cout = C).
//!
//! x [N, C, H, W], Wt [C, 1, kc], P [2, C, 1, kc], SIG [2, C, 1, kc], bias [C] → y [N, C, Ho, Wo].
//! Kernel construction, per channel o and weight m (K = dilated_kernel_size, a = row, b = column):
//!   c0 = P[0,o,0,m] + K//2,  c1 = P[1,o,0,m] + K//2,  s0 = |SIG[0,o,0,m]| + 0.27,  s1 = |SIG[1,o,0,m]| + 0.27
//!   G[a, b] = exp(−½ · (((b − c0)/s0)² + ((a − c1)/s1)²))       (P[0] along COLUMNS, P[1] along ROWS,
//!                                                                 as in the official code)
//!   G ← G / (Σ_{a,b} G + 1e−7);   Kd[o, a, b] = Σ_m Wt[o,0,m] · G_m[a, b]
//! Convolution (cross-correlation, stride 1, zero padding p, dilation 1):
//!   y[n, o, i, j] = bias[o] + Σ_{a,b<K} Kd[o, a, b] · x[n, o, i + a − p, j + b − p]
//!   Ho = H + 2p − K + 1, Wo = W + 2p − K + 1.
//! Everything is computed in f64; y is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// DCLS gauss depthwise convolution. Inputs: `x`, `Wt`, `P`, `SIG`, `bias`.
/// Attributes: `dilated_kernel_size`, `kernel_count`, `padding`. Output: `y` [N, C, Ho, Wo].
pub fn dcls_gauss_kernel_construct_conv2d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, c_dim, h, w_dim) = (args.dim("N")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let kk = args.uint("dilated_kernel_size")?;
    let kc = args.uint("kernel_count")?;
    let pad = args.uint("padding")?;
    if kk == 0 || h + 2 * pad < kk || w_dim + 2 * pad < kk {
        return Err(RefError::Invalid(format!("kernel {kk} does not fit the padded {h}x{w_dim} input (pad {pad})")));
    }
    let (ho, wo) = (h + 2 * pad - kk + 1, w_dim + 2 * pad - kk + 1);
    args.input("x")?.expect_shape("x", &[n_dim, c_dim, h, w_dim])?;
    args.input("Wt")?.expect_shape("Wt", &[c_dim, 1, kc])?;
    args.input("P")?.expect_shape("P", &[2, c_dim, 1, kc])?;
    args.input("SIG")?.expect_shape("SIG", &[2, c_dim, 1, kc])?;
    args.input("bias")?.expect_shape("bias", &[c_dim])?;
    let x = args.f32s("x")?;
    let wt = args.f32s("Wt")?;
    let pos = args.f32s("P")?;
    let sig = args.f32s("SIG")?;
    let bias = args.f32s("bias")?;

    // 1. constructed dense kernels Kd[o, a, b]
    let half = (kk / 2) as f64;
    let mut kd = vec![0.0f64; c_dim * kk * kk];
    let mut g = vec![0.0f64; kk * kk];
    for o in 0..c_dim {
        for m in 0..kc {
            let i0 = o * kc + m; // [0, o, 0, m]
            let i1 = (c_dim + o) * kc + m; // [1, o, 0, m]
            let (c0, c1) = (pos[i0] as f64 + half, pos[i1] as f64 + half);
            let (s0, s1) = ((sig[i0] as f64).abs() + 0.27, (sig[i1] as f64).abs() + 0.27);
            let mut total = 0.0f64;
            for a in 0..kk {
                for b in 0..kk {
                    let dc = (b as f64 - c0) / s0;
                    let dr = (a as f64 - c1) / s1;
                    let v = (-0.5 * (dc * dc + dr * dr)).exp();
                    g[a * kk + b] = v;
                    total += v;
                }
            }
            let scale = wt[i0] as f64 / (total + 1e-7);
            for (dst, &gv) in kd[o * kk * kk..][..kk * kk].iter_mut().zip(&g) {
                *dst += scale * gv;
            }
        }
    }

    // 2. depthwise convolution with the constructed kernels
    let mut y = vec![0.0f32; n_dim * c_dim * ho * wo];
    for n in 0..n_dim {
        for o in 0..c_dim {
            let xc = &x[(n * c_dim + o) * h * w_dim..][..h * w_dim];
            let ko = &kd[o * kk * kk..][..kk * kk];
            for i in 0..ho {
                for j in 0..wo {
                    let mut s = bias[o] as f64;
                    for a in 0..kk {
                        let ii = (i + a) as isize - pad as isize;
                        if ii < 0 || ii >= h as isize {
                            continue;
                        }
                        for b in 0..kk {
                            let jj = (j + b) as isize - pad as isize;
                            if jj < 0 || jj >= w_dim as isize {
                                continue;
                            }
                            s += ko[a * kk + b] * xc[ii as usize * w_dim + jj as usize] as f64;
                        }
                    }
                    y[((n * c_dim + o) * ho + i) * wo + j] = s as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, c_dim, ho, wo], y)])
}
