//! relu: y[i] = max(x[i], 0), elementwise over a flat f32 tensor.

use crate::{OpArgs, Result, Tensor};

/// Rectified linear unit. Inputs: `x` [N]. Output: `y` [N].
pub fn relu(args: &OpArgs) -> Result<Vec<Tensor>> {
    let x = args.input("x")?;
    let xs = x.f32s("x")?;
    let y: Vec<f32> = xs.iter().map(|&v| if v > 0.0 { v } else { 0.0 }).collect();
    Ok(vec![Tensor::from_f32(x.shape.clone(), y)])
}
