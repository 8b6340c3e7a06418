//! Name → reference function, plus each function's source text for prompts.
//!
//! Adding an operator: write `src/ops/<category>/<name>.rs` containing `pub fn <name>`, add
//! `pub mod <name>;` to the category's `mod.rs`, and one `op!` line below.

use crate::Result;
use crate::args::OpArgs;
use crate::tensor::Tensor;

/// Signature shared by every reference operator: outputs in spec order.
pub type RefFn = fn(&OpArgs<'_>) -> Result<Vec<Tensor>>;

/// One registered reference operator.
#[derive(Clone, Copy)]
pub struct RefOp {
    /// `<category>::<name>`, the string a task's `reference:` field names.
    pub path: &'static str,
    /// The full text of the operator's source file, shown to models.
    pub source: &'static str,
    /// The function itself.
    pub run: RefFn,
}

impl std::fmt::Debug for RefOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefOp").field("path", &self.path).finish_non_exhaustive()
    }
}

macro_rules! op {
    ($cat:ident, $name:ident) => {
        RefOp {
            path: concat!(stringify!($cat), "::", stringify!($name)),
            source: include_str!(concat!("ops/", stringify!($cat), "/", stringify!($name), ".rs")),
            run: crate::ops::$cat::$name::$name,
        }
    };
}

/// Every reference operator.
pub static OPS: &[RefOp] = &[
    op!(activation, relu),
    op!(activation, gelu_erf),
    op!(activation, gelu_tanh),
    op!(activation, silu),
    op!(activation, hardswish),
    op!(activation, relu6),
    op!(activation, sigmoid),
    op!(activation, star_relu),
    op!(reduction, std_softmax_lastdim),
    op!(reduction, sum_reduce),
    op!(normalization, std_layernorm_lastdim),
    op!(matmul, matmul),
    op!(convolution, std_conv2d_grouped),
    op!(convolution, std_depthwise_conv2d),
    op!(convolution, inception_dwconv2d),
    op!(pooling, max_pool2d),
    op!(gating_fusion, eca_channel_attention),
    op!(attention, natten_na1d),
    op!(loss, spark_masked_patch_recon_loss),
    op!(sparse, sparse_batchnorm2d),
    op!(kernel_methods, snnk_random_feature_layer),
    op!(quantized, int8_pointwise_conv2d_requant),
    op!(convolution, partial_conv3x3),
    op!(convolution, yolov13_dsconv_bn_silu),
    op!(convolution, blur_kernel_convolution),
    op!(pooling, masked_average_pooling),
    op!(matmul, cosine_kernel_segmentation_logits),
    op!(pooling, std_global_avg_pool2d),
    op!(normalization, std_group_norm),
    op!(normalization, grn_global_response_norm),
    op!(gating_fusion, se_block_squeeze_excite),
    op!(scan_recurrence, mamba_selective_scan),
    op!(fft_spectral, fftshift),
    op!(fft_spectral, std_dct2_ii_unnormalized),
    op!(fft_spectral, fft2),
    op!(fft_spectral, ifft2),
    op!(fft_spectral, rfft2),
    op!(normalization, std_layernorm_channels_nchw),
    op!(normalization, std_l2_normalize),
    op!(matmul, std_pointwise_conv2d),
    op!(resampling_index, std_replication_pad2d),
    op!(resampling_index, std_interpolate_resize),
];

/// Find an operator by its `<category>::<name>` path.
pub fn lookup(path: &str) -> Option<&'static RefOp> {
    OPS.iter().find(|op| op.path == path)
}
