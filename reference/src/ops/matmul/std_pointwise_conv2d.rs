//! std_pointwise_conv2d: 1×1 convolution with bias (PyTorch `nn.Conv2d(Cin, Cout, 1)` semantics).
//!
//! x [B, Cin, H, W], w [Cout, Cin] (the [Cout, Cin, 1, 1] kernel squeezed), bias [Cout]
//! → y [B, Cout, H, W]:
//!   y[b, o, h, w] = bias[o] + Σ_{c=0}^{Cin−1} w[o, c] · x[b, c, h, w]
//! i.e. per image the GEMM Y_b[Cout, H·W] = W[Cout, Cin] · X_b[Cin, H·W] plus a row bias.
//! Stride 1, no padding, no groups. Accumulation in f64; y is rounded to f32 once.

use crate::{OpArgs, Result, Tensor};

/// Pointwise convolution. Inputs: `x` [B, Cin, H, W], `w` [Cout, Cin], `bias` [Cout].
/// Output: `y` [B, Cout, H, W].
pub fn std_pointwise_conv2d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, cin, cout) = (args.dim("B")?, args.dim("Cin")?, args.dim("Cout")?);
    let (h, w_dim) = (args.dim("H")?, args.dim("W")?);
    args.input("x")?.expect_shape("x", &[b_dim, cin, h, w_dim])?;
    args.input("w")?.expect_shape("w", &[cout, cin])?;
    args.input("bias")?.expect_shape("bias", &[cout])?;
    let x = args.f32s("x")?;
    let w = args.f32s("w")?;
    let bias = args.f32s("bias")?;
    let plane = h * w_dim;

    let mut y = vec![0.0f32; b_dim * cout * plane];
    let mut acc = vec![0.0f64; plane];
    for b in 0..b_dim {
        for o in 0..cout {
            acc.fill(bias[o] as f64);
            for c in 0..cin {
                let wv = w[o * cin + c] as f64;
                let xc = &x[(b * cin + c) * plane..][..plane];
                for (a, &xv) in acc.iter_mut().zip(xc) {
                    *a += wv * xv as f64;
                }
            }
            let yo = &mut y[(b * cout + o) * plane..][..plane];
            for (yv, &a) in yo.iter_mut().zip(&acc) {
                *yv = a as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, cout, h, w_dim], y)])
}
