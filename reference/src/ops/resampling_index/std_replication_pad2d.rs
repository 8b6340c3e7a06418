//! std_replication_pad2d: replication (edge) padding of every H×W plane (PyTorch
//! `nn.ReplicationPad2d(p)` / `F.pad(x, (p, p, p, p), mode="replicate")` semantics).
//!
//! x [B, C, H, W]; attribute `p` (the same on all four sides) → y [B, C, Ho, Wo] with
//! Ho = H + 2p, Wo = W + 2p:
//!   y[b, c, i, j] = x[b, c, clamp(i − p, 0, H − 1), clamp(j − p, 0, W − 1)]
//! where clamp(v, lo, hi) = min(max(v, lo), hi). H or W may be smaller than p; the clamp still
//! holds. Every value is an exact copy of an input value.

use crate::{OpArgs, RefError, Result, Tensor};

/// Replication padding. Input: `x` [B, C, H, W]. Attribute: `p`. Output: `y` [B, C, H+2p, W+2p].
pub fn std_replication_pad2d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let p = args.uint("p")?;
    if h == 0 || w_dim == 0 {
        return Err(RefError::Invalid("H and W must be positive to replicate edges".into()));
    }
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    let x = args.f32s("x")?;
    let (ho, wo) = (h + 2 * p, w_dim + 2 * p);
    // clamp(v − p, 0, n − 1) with v − p computed in signed arithmetic
    let src = |v: usize, n: usize| (v as i64 - p as i64).clamp(0, n as i64 - 1) as usize;

    let mut y = vec![0.0f32; b_dim * c_dim * ho * wo];
    for bc in 0..b_dim * c_dim {
        for i in 0..ho {
            let si = src(i, h);
            for j in 0..wo {
                let sj = src(j, w_dim);
                y[(bc * ho + i) * wo + j] = x[(bc * h + si) * w_dim + sj];
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, ho, wo], y)])
}
