//! sigmoid: y[i] = 1 / (1 + e^(−x[i])), elementwise over a flat f32 tensor.
//!
//! PyTorch `nn.Sigmoid`. Evaluated in f64 and rounded to f32 once, stably: for x ≥ 0 as
//! 1 / (1 + e^(−x)), for x < 0 as e^x / (1 + e^x). Neither branch exponentiates a positive number,
//! so nothing overflows; for very negative x the result underflows smoothly towards +0 (keeping its
//! relative accuracy down to the f32 subnormal range), and for large positive x it rounds to 1.

use crate::{OpArgs, Result, Tensor};

/// Logistic sigmoid. Inputs: `x` [N]. Output: `y` [N].
pub fn sigmoid(args: &OpArgs) -> Result<Vec<Tensor>> {
    let x = args.input("x")?;
    let xs = x.f32s("x")?;
    let y: Vec<f32> = xs
        .iter()
        .map(|&v| {
            let v = v as f64;
            let s = if v >= 0.0 {
                1.0 / (1.0 + (-v).exp())
            } else {
                let e = v.exp();
                e / (1.0 + e)
            };
            s as f32
        })
        .collect();
    Ok(vec![Tensor::from_f32(x.shape.clone(), y)])
}
