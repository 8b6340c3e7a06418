//! matmul operators.
pub mod matmul;
