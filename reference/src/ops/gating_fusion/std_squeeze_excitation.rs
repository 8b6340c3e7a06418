//! std_squeeze_excitation: the standard squeeze-and-excitation layer (Hu et al.) in the SpaRTAN
//! SELayer convention: global average pool, 1×1 conv C → Cr with bias, ReLU, 1×1 conv Cr → C
//! with bias, sigmoid, channel-wise rescale. Unlike `se_block_squeeze_excite` (UniRepLKNet,
//! Cr = C // 4 fixed by an attribute), the bottleneck width Cr is a free dimension of the task.
//!
//! x [B, C, H, W]; w1 [Cr, C]; b1 [Cr]; w2 [C, Cr]; b2 [C] → y [B, C, H, W]:
//!   p[b,c] = (1/(H·W)) Σ_{h,w} x[b,c,h,w]
//!   q[b,j] = relu(b1[j] + Σ_c w1[j,c]·p[b,c])
//!   a[b,c] = sigmoid(b2[c] + Σ_j w2[c,j]·q[b,j])
//!   y[b,c,h,w] = x[b,c,h,w] · a[b,c]
//! f64 throughout, rounded to f32 once.

use crate::{OpArgs, Result, Tensor};

/// Squeeze-and-excitation with an explicit bottleneck width. Inputs: `x` [B, C, H, W],
/// `w1` [Cr, C], `b1` [Cr], `w2` [C, Cr], `b2` [C]. Output: `y` [B, C, H, W].
pub fn std_squeeze_excitation(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (nb, nc, ncr, h, w) = (args.dim("B")?, args.dim("C")?, args.dim("Cr")?, args.dim("H")?, args.dim("W")?);
    args.input("x")?.expect_shape("x", &[nb, nc, h, w])?;
    args.input("w1")?.expect_shape("w1", &[ncr, nc])?;
    args.input("b1")?.expect_shape("b1", &[ncr])?;
    args.input("w2")?.expect_shape("w2", &[nc, ncr])?;
    args.input("b2")?.expect_shape("b2", &[nc])?;
    let (x, w1, b1, w2, b2) = (args.f32s("x")?, args.f32s("w1")?, args.f32s("b1")?, args.f32s("w2")?, args.f32s("b2")?);
    let plane = h * w;
    let mut y = vec![0.0f32; nb * nc * plane];
    for b in 0..nb {
        let p: Vec<f64> = (0..nc)
            .map(|c| {
                x[(b * nc + c) * plane..(b * nc + c + 1) * plane].iter().map(|&v| v as f64).sum::<f64>() / plane as f64
            })
            .collect();
        let q: Vec<f64> = (0..ncr)
            .map(|j| (b1[j] as f64 + (0..nc).map(|c| w1[j * nc + c] as f64 * p[c]).sum::<f64>()).max(0.0))
            .collect();
        for c in 0..nc {
            let z = b2[c] as f64 + (0..ncr).map(|j| w2[c * ncr + j] as f64 * q[j]).sum::<f64>();
            let a = 1.0 / (1.0 + (-z).exp());
            let o = (b * nc + c) * plane;
            for i in o..o + plane {
                y[i] = (x[i] as f64 * a) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![nb, nc, h, w], y)])
}
