//! star_relu: y[i] = s · relu(x[i])² + b, elementwise over a flat f32 tensor.
//!
//! StarReLU (MetaFormer baselines; FDConv KSM) with its scalars `s` and `b` fixed as attributes
//! (the task uses s = 0.8944 and b = −0.4472, the defaults 1/√1.25 and −0.5/√1.25 rounded to four
//! decimals). relu(x) = max(x, 0), so y = b for x ≤ 0. Evaluated in f64 and rounded to f32 once.

use crate::{OpArgs, Result, Tensor};

/// StarReLU. Inputs: `x` [N]. Attributes: `s`, `b` (floats). Output: `y` [N].
pub fn star_relu(args: &OpArgs) -> Result<Vec<Tensor>> {
    let x = args.input("x")?;
    let xs = x.f32s("x")?;
    let s = args.float("s")?;
    let b = args.float("b")?;
    let y: Vec<f32> = xs
        .iter()
        .map(|&v| {
            let r = (v as f64).max(0.0);
            (s * r * r + b) as f32
        })
        .collect();
    Ok(vec![Tensor::from_f32(x.shape.clone(), y)])
}
