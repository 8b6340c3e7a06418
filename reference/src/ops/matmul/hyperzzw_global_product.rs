//! hyperzzw_global_product: the global branch of HyperZ·Z·W / Terminator
//! (`FastMultiBranchLayer.forward`: `global_ctx_hk = x.mul(global_hk)`, then
//! `torch.matmul(global_ctx_hk, fast)`): the context is multiplied elementwise by a hyper-kernel
//! as large as the input (HyperZ·Z), then each (b, c) slice is matrix-multiplied by the fast
//! feature (·W).
//!
//! x, V [B, C, S, S]; Hk [C, S, S] (broadcast over b) → Y [B, C, S, S]:
//!   Z[b,c,i,t] = x[b,c,i,t] · Hk[c,i,t]
//!   Y[b,c,i,j] = Σ_{t<S} Z[b,c,i,t] · V[b,c,t,j]
//! Accumulated in f64 (Z is formed in f64 from the f32 inputs), rounded to f32 once.

use crate::{OpArgs, Result, Tensor};

/// Hyper-kernel Hadamard product followed by a per-(b, c) S×S matmul. Inputs: `x` [B, C, S, S],
/// `V` [B, C, S, S], `Hk` [C, S, S]. Output: `Y` [B, C, S, S].
pub fn hyperzzw_global_product(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (nb, nc, s) = (args.dim("B")?, args.dim("C")?, args.dim("S")?);
    args.input("x")?.expect_shape("x", &[nb, nc, s, s])?;
    args.input("V")?.expect_shape("V", &[nb, nc, s, s])?;
    args.input("Hk")?.expect_shape("Hk", &[nc, s, s])?;
    let (x, v, hk) = (args.f32s("x")?, args.f32s("V")?, args.f32s("Hk")?);
    let ss = s * s;
    let mut y = vec![0.0f32; nb * nc * ss];
    for b in 0..nb {
        for c in 0..nc {
            let base = (b * nc + c) * ss;
            for i in 0..s {
                for j in 0..s {
                    let mut acc = 0.0f64;
                    for t in 0..s {
                        let z = x[base + i * s + t] as f64 * hk[c * ss + i * s + t] as f64;
                        acc += z * v[base + t * s + j] as f64;
                    }
                    y[base + i * s + j] = acc as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![nb, nc, s, s], y)])
}
