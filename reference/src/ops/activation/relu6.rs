//! relu6: y[i] = min(max(x[i], 0), 6), elementwise over a flat f32 tensor.
//!
//! PyTorch `nn.ReLU6`. Exact in f32 (the result is either 0, 6 or the input itself; a −0 input
//! stays −0, which compares equal to 0).

use crate::{OpArgs, Result, Tensor};

/// ReLU clipped at 6. Inputs: `x` [N]. Output: `y` [N].
pub fn relu6(args: &OpArgs) -> Result<Vec<Tensor>> {
    let x = args.input("x")?;
    let xs = x.f32s("x")?;
    let y: Vec<f32> = xs.iter().map(|&v| v.clamp(0.0, 6.0)).collect();
    Ok(vec![Tensor::from_f32(x.shape.clone(), y)])
}
