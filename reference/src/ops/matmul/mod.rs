//! matmul operators.
#[allow(clippy::module_inception)] // the task id `matmul` lives in the `matmul` category
pub mod matmul;
