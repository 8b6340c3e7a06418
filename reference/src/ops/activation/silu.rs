//! silu: y[i] = x[i] · sigmoid(x[i]) = x[i] / (1 + e^(−x[i])), elementwise over a flat f32 tensor.
//!
//! PyTorch `nn.SiLU` (also called swish). Evaluated in f64 and rounded to f32 once. The sigmoid is
//! evaluated stably: for x ≥ 0 as 1 / (1 + e^(−x)), for x < 0 as e^x / (1 + e^x), so e^(±x) never
//! overflows; for very negative x the result underflows smoothly towards −0.

use crate::{OpArgs, Result, Tensor};

/// Sigmoid-weighted linear unit. Inputs: `x` [N]. Output: `y` [N].
pub fn silu(args: &OpArgs) -> Result<Vec<Tensor>> {
    let x = args.input("x")?;
    let xs = x.f32s("x")?;
    let y: Vec<f32> = xs
        .iter()
        .map(|&v| {
            let v = v as f64;
            (v * sigmoid(v)) as f32
        })
        .collect();
    Ok(vec![Tensor::from_f32(x.shape.clone(), y)])
}

/// Logistic function 1 / (1 + e^(−t)), evaluated without overflow.
fn sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        1.0 / (1.0 + (-t).exp())
    } else {
        let e = t.exp();
        e / (1.0 + e)
    }
}
