//! cp_separable_conv2d: 2-D convolution with a rank-R canonical-polyadic (CP) kernel, after
//! "A priori compression of convolutional neural networks for wave simulators" (Boukraichi et al.).
//! No code was released; the per-(out, in) rank-R form is the catalogue's inferred reading.
//!
//! x [N, Cin, H, W], A [Cout, Cin, R, k], B [Cout, Cin, R, k], bias [Cout] → y [N, Cout, H, W]:
//!   Wk[o, c, u, v] = Σ_r A[o, c, r, u] · B[o, c, r, v]
//!   y[n, o, i, j]  = bias[o] + Σ_{c, u, v} Wk[o, c, u, v] · x[n, c, i + u − k//2, j + v − k//2]
//! Stride 1, zero padding k//2 (odd k keeps H × W), cross-correlation. The kernel is reconstructed
//! and the convolution accumulated in f64 (the dense form, not the separable one); y is rounded once.

use crate::{OpArgs, RefError, Result, Tensor};

/// CP-separable convolution. Inputs `x, A, B, bias`; attributes `k`, `rank`. Output `y`.
pub fn cp_separable_conv2d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, cin, cout) = (args.dim("N")?, args.dim("Cin")?, args.dim("Cout")?);
    let (h, w_dim) = (args.dim("H")?, args.dim("W")?);
    let k = args.uint("k")?;
    let rank = args.uint("rank")?;
    if k % 2 == 0 {
        return Err(RefError::Invalid(format!("k = {k} must be odd ('same' padding k//2)")));
    }
    args.input("x")?.expect_shape("x", &[n_dim, cin, h, w_dim])?;
    args.input("A")?.expect_shape("A", &[cout, cin, rank, k])?;
    args.input("B")?.expect_shape("B", &[cout, cin, rank, k])?;
    args.input("bias")?.expect_shape("bias", &[cout])?;
    let x = args.f32s("x")?;
    let a = args.f32s("A")?;
    let b = args.f32s("B")?;
    let bias = args.f32s("bias")?;
    let pad = (k / 2) as isize;

    // dense reconstructed kernel Wk[o, c, u, v]
    let mut wk = vec![0.0f64; cout * cin * k * k];
    for oc in 0..cout * cin {
        for u in 0..k {
            for v in 0..k {
                wk[(oc * k + u) * k + v] =
                    (0..rank).map(|r| a[(oc * rank + r) * k + u] as f64 * b[(oc * rank + r) * k + v] as f64).sum();
            }
        }
    }
    let hw = h * w_dim;
    let mut y = vec![0.0f32; n_dim * cout * hw];
    for n in 0..n_dim {
        for o in 0..cout {
            for i in 0..h {
                for j in 0..w_dim {
                    let mut s = bias[o] as f64;
                    for c in 0..cin {
                        let xc = &x[(n * cin + c) * hw..][..hw];
                        let kk = &wk[(o * cin + c) * k * k..][..k * k];
                        for u in 0..k {
                            let ii = i as isize + u as isize - pad;
                            if ii < 0 || ii >= h as isize {
                                continue;
                            }
                            for v in 0..k {
                                let jj = j as isize + v as isize - pad;
                                if jj < 0 || jj >= w_dim as isize {
                                    continue;
                                }
                                s += kk[u * k + v] * xc[ii as usize * w_dim + jj as usize] as f64;
                            }
                        }
                    }
                    y[(n * cout + o) * hw + i * w_dim + j] = s as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, cout, h, w_dim], y)])
}
