//! hardswish: y[i] = x[i] · min(max(x[i] + 3, 0), 6) / 6, elementwise over a flat f32 tensor.
//!
//! PyTorch `nn.Hardswish` (MobileNetV3). Piecewise: 0 for x ≤ −3, x for x ≥ 3, and
//! x · (x + 3) / 6 in between (continuous at both kinks). Evaluated in f64 and rounded to f32 once.

use crate::{OpArgs, Result, Tensor};

/// Hard swish. Inputs: `x` [N]. Output: `y` [N].
pub fn hardswish(args: &OpArgs) -> Result<Vec<Tensor>> {
    let x = args.input("x")?;
    let xs = x.f32s("x")?;
    let y: Vec<f32> = xs
        .iter()
        .map(|&v| {
            let v = v as f64;
            (v * (v + 3.0).clamp(0.0, 6.0) / 6.0) as f32
        })
        .collect();
    Ok(vec![Tensor::from_f32(x.shape.clone(), y)])
}
