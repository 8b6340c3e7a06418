//! Elementwise activations.
pub mod gelu_erf;
pub mod relu;
