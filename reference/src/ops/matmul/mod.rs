//! matmul operators.
pub mod cosine_kernel_segmentation_logits;
#[allow(clippy::module_inception)] // the task id `matmul` lives in the `matmul` category
pub mod matmul;
pub mod std_pointwise_conv2d;
