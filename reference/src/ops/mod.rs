//! Reference operators, one folder per category and one file per operator.
//!
//! Each file is shown verbatim to models in prompts, so it must be self-contained and readable:
//! explicit index arithmetic, f64 accumulation where the catalogue asks for it, and a doc comment
//! that states the math.

pub mod activation;
pub mod attention;
pub mod convolution;
pub mod fft_spectral;
pub mod gating_fusion;
pub mod kernel_methods;
pub mod loss;
pub mod matmul;
pub mod normalization;
pub mod pooling;
pub mod quantized;
pub mod reduction;
pub mod resampling_index;
pub mod scan_recurrence;
pub mod sparse;
