//! se_block_squeeze_excite: the SE block of UniRepLKNet (official code `unireplknet.py::SEBlock`):
//! squeeze (global average pool), two 1×1 convolutions with bias (ReLU between, sigmoid after)
//! and a channel-wise rescale.
//!
//! x [N, C, H, W], w_down [Cr, C], b_down [Cr], w_up [C, Cr], b_up [C], Cr = C // reduction
//! (reduction = 4 in UniRepLKNet) → y [N, C, H, W]:
//!   p[n, c]        = (1/(H·W)) Σ_{h,w} x[n, c, h, w]
//!   q[n, j]        = relu( b_down[j] + Σ_c w_down[j, c] · p[n, c] )          j < Cr
//!   g[n, c]        = sigmoid( b_up[c] + Σ_j w_up[c, j] · q[n, j] ),   sigmoid(t) = 1/(1 + e^(−t))
//!   y[n, c, h, w]  = x[n, c, h, w] · g[n, c]
//! Everything up to the final product is f64; y is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Squeeze-and-excitation block. Inputs: `x` [N, C, H, W], `w_down` [Cr, C], `b_down` [Cr],
/// `w_up` [C, Cr], `b_up` [C]. Attribute: `reduction` (Cr = C // reduction). Output: `y` [N, C, H, W].
pub fn se_block_squeeze_excite(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, c_dim, h, w_dim) = (args.dim("N")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let reduction = args.uint("reduction")?;
    if reduction == 0 || c_dim / reduction == 0 {
        return Err(RefError::Invalid(format!("Cr = C // reduction = {c_dim} // {reduction} must be positive")));
    }
    let cr = c_dim / reduction;
    if h * w_dim == 0 {
        return Err(RefError::Invalid("H·W must be positive (the mean over an empty plane is undefined)".into()));
    }
    args.input("x")?.expect_shape("x", &[n_dim, c_dim, h, w_dim])?;
    args.input("w_down")?.expect_shape("w_down", &[cr, c_dim])?;
    args.input("b_down")?.expect_shape("b_down", &[cr])?;
    args.input("w_up")?.expect_shape("w_up", &[c_dim, cr])?;
    args.input("b_up")?.expect_shape("b_up", &[c_dim])?;
    let x = args.f32s("x")?;
    let (w_down, b_down) = (args.f32s("w_down")?, args.f32s("b_down")?);
    let (w_up, b_up) = (args.f32s("w_up")?, args.f32s("b_up")?);
    let plane = h * w_dim;

    let mut y = vec![0.0f32; x.len()];
    let mut p = vec![0.0f64; c_dim];
    let mut q = vec![0.0f64; cr];
    for n in 0..n_dim {
        // 1) squeeze: global average pool per channel
        for (c, p_c) in p.iter_mut().enumerate() {
            let src = &x[(n * c_dim + c) * plane..][..plane];
            *p_c = src.iter().map(|&v| v as f64).sum::<f64>() / plane as f64;
        }
        // 2) reduce: 1×1 conv C → Cr with bias, ReLU
        for (j, q_j) in q.iter_mut().enumerate() {
            let mut s = b_down[j] as f64;
            for c in 0..c_dim {
                s += w_down[j * c_dim + c] as f64 * p[c];
            }
            *q_j = s.max(0.0);
        }
        // 3) expand: 1×1 conv Cr → C with bias, sigmoid; 4) rescale
        for c in 0..c_dim {
            let mut s = b_up[c] as f64;
            for j in 0..cr {
                s += w_up[c * cr + j] as f64 * q[j];
            }
            let gate = 1.0 / (1.0 + (-s).exp());
            let off = (n * c_dim + c) * plane;
            for i in off..off + plane {
                y[i] = (x[i] as f64 * gate) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, c_dim, h, w_dim], y)])
}
