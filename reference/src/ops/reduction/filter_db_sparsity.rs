//! filter_db_sparsity: the layer sparsity measure of CNN Filter DB (Gavrikov & Keuper, CVPR 2022;
//! notebook `layer_quality_worker`, torchconvquality `measures.py`).
//!
//! w [O, I, 3, 3] is read as n = O·I filters of 9 taps (filter f = o·I + i). With
//! t = eps_rel · max_all |w| (t = 1 when that max is 0, as in torchconvquality):
//!   sparse[o, i] = 1 if |w[o, i, u, v]| < t for all 9 taps, else 0   (f32 0/1 mask)
//!   sparsity     = (number of sparse filters) / n                    (1-element tensor)
//! The threshold is formed in f32 (eps_rel as f32 times the f32 max), like a float32 framework
//! would; the comparison is strict.

use crate::{OpArgs, RefError, Result, Tensor};

/// Layer sparsity. Input: `w` [O, I, 3, 3]. Attribute: `eps_rel`. Outputs: `sparsity` [1],
/// `sparse` [O, I].
pub fn filter_db_sparsity(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (o_dim, i_dim) = (args.dim("O")?, args.dim("I")?);
    let eps_rel = args.float("eps_rel")? as f32;
    let n = o_dim * i_dim;
    if n == 0 {
        return Err(RefError::Invalid("O·I must be positive".into()));
    }
    args.input("w")?.expect_shape("w", &[o_dim, i_dim, 3, 3])?;
    let w = args.f32s("w")?;

    let max_abs = w.iter().fold(0.0f32, |m, &v| m.max(v.abs()));
    let t = if max_abs == 0.0 { 1.0f32 } else { eps_rel * max_abs };
    let mask: Vec<f32> = w.chunks_exact(9).map(|f| if f.iter().all(|&v| v.abs() < t) { 1.0 } else { 0.0 }).collect();
    let count = mask.iter().filter(|&&m| m == 1.0).count();
    let sparsity = (count as f64 / n as f64) as f32;
    Ok(vec![Tensor::from_f32(vec![1], vec![sparsity]), Tensor::from_f32(vec![o_dim, i_dim], mask)])
}
