//! matmul operators.
pub mod cosine_kernel_segmentation_logits;
pub mod hyperzzw_global_product;
#[allow(clippy::module_inception)] // the task id `matmul` lives in the `matmul` category
pub mod matmul;
pub mod std_pointwise_conv2d;
pub mod yolov13_hypergraph_conv_v2e2v;
