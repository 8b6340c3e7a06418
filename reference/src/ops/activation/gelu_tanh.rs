//! gelu_tanh: y[i] = 0.5 · x[i] · (1 + tanh(√(2/π) · (x[i] + 0.044715 · x[i]³))), elementwise over
//! a flat f32 tensor.
//!
//! This is the tanh approximation of GELU (PyTorch `nn.GELU(approximate="tanh")`), not the exact
//! erf form (the two differ by up to ~1e-3). Evaluated in f64 and rounded to f32 once.
//!
//! We use the identity 1 + tanh(u) = 2 / (1 + e^(−2u)), so the result is computed as
//! `x / (1 + e^(−2u))` with u = √(2/π) · (x + 0.044715 · x³): for very negative x this avoids the
//! cancellation in `1 + tanh(u)` when tanh(u) ≈ −1, and e^(−2u) overflowing to +∞ gives −0.

use crate::{OpArgs, Result, Tensor};

/// √(2/π).
const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;

/// Tanh-approximated GELU. Inputs: `x` [N]. Output: `y` [N].
pub fn gelu_tanh(args: &OpArgs) -> Result<Vec<Tensor>> {
    let x = args.input("x")?;
    let xs = x.f32s("x")?;
    let y: Vec<f32> = xs
        .iter()
        .map(|&v| {
            let v = v as f64;
            let u = SQRT_2_OVER_PI * (v + 0.044715 * v * v * v);
            (v / (1.0 + (-2.0 * u).exp())) as f32
        })
        .collect();
    Ok(vec![Tensor::from_f32(x.shape.clone(), y)])
}
