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
    op!(activation, longconv_kernel_squash),
    op!(reduction, std_softmax_lastdim),
    op!(reduction, sum_reduce),
    op!(reduction, groupwise_correlation_volume),
    op!(reduction, filter_db_sparsity),
    op!(reduction, filter_db_variance_entropy),
    op!(reduction, filter_db_distribution_drift),
    op!(normalization, std_layernorm_lastdim),
    op!(matmul, matmul),
    op!(convolution, std_conv2d_grouped),
    op!(convolution, std_depthwise_conv2d),
    op!(convolution, inception_dwconv2d),
    op!(pooling, max_pool2d),
    op!(gating_fusion, eca_channel_attention),
    op!(attention, natten_na1d),
    op!(attention, hierarchical_local_window_attention),
    op!(attention, kmeans_cross_attention),
    op!(attention, yolov13_adaptive_hyperedge_generation),
    op!(attention, natten_na2d),
    op!(attention, scalekd_cross_attention_projector),
    op!(attention, windowed_epipolar_cross_attention),
    op!(loss, spark_masked_patch_recon_loss),
    op!(loss, scalekd_dual_view_mimic_loss),
    op!(sparse, sparse_batchnorm2d),
    op!(sparse, sparse_masked_conv2d),
    op!(kernel_methods, snnk_random_feature_layer),
    op!(kernel_methods, hyperzzw_magnet_hyperkernel),
    op!(quantized, int8_pointwise_conv2d_requant),
    op!(quantized, int8_depthwise_conv2d_requant),
    op!(convolution, partial_conv3x3),
    op!(convolution, yolov13_dsconv_bn_silu),
    op!(convolution, blur_kernel_convolution),
    op!(convolution, weighted_conv2d),
    op!(convolution, mobilemamba_mrffi_local_identity_fuse),
    op!(convolution, unireplknet_dilated_reparam_dwconv),
    op!(convolution, hyperzzw_local_context_conv),
    op!(convolution, dsconv_dw_pw_bn_act),
    op!(convolution, parallel_residual_branch_sum),
    op!(convolution, fadc_adaptive_dilated_conv),
    op!(convolution, dcls_gauss_kernel_construct_conv2d),
    op!(convolution, cp_separable_conv2d),
    op!(convolution, spartan_smixer),
    op!(convolution, fdconv_kernel_spatial_modulation_conv),
    op!(convolution, lsnet_lkp_dynamic_kernel_gen),
    op!(convolution, lsnet_ska_pixelwise_aggregation),
    op!(convolution, bevanet_lska_separable_attention),
    op!(pooling, masked_average_pooling),
    op!(matmul, cosine_kernel_segmentation_logits),
    op!(pooling, std_global_avg_pool2d),
    op!(pooling, bevanet_dlkppm_pyramid_pooling),
    op!(normalization, std_group_norm),
    op!(normalization, grn_global_response_norm),
    op!(gating_fusion, se_block_squeeze_excite),
    op!(gating_fusion, pat_ch_partial_gaussian_channel_attention),
    op!(gating_fusion, pat_sp_mlp_spatial_attention),
    op!(gating_fusion, cluster_soft_assignment_regression),
    op!(gating_fusion, std_squeeze_excitation),
    op!(gating_fusion, gated_short_conv1d),
    op!(gating_fusion, fadc_adakern_weight),
    op!(gating_fusion, mvs_pixelwise_view_weight_aggregation),
    op!(gating_fusion, hornet_gnconv),
    op!(gating_fusion, spartan_wave_channel_aggregation),
    op!(gating_fusion, bevanet_sdlska_kernel_selection),
    op!(scan_recurrence, mamba_selective_scan),
    op!(scan_recurrence, mobilemamba_ss2d_bidirectional_scan),
    op!(fft_spectral, fftshift),
    op!(fft_spectral, std_dct2_ii_unnormalized),
    op!(fft_spectral, fft2),
    op!(fft_spectral, ifft2),
    op!(fft_spectral, rfft2),
    op!(fft_spectral, mobilemamba_haar_wavelet_dwconv),
    op!(fft_spectral, irfft2),
    op!(fft_spectral, ifftshift),
    op!(fft_spectral, fftfreq),
    op!(fft_spectral, rfftfreq),
    op!(fft_spectral, wiener_deconvolution_fft),
    op!(fft_spectral, deeprft_res_fft_relu_block),
    op!(fft_spectral, deeprftv2_fourier_kernel_feature_conv),
    op!(fft_spectral, longconv_fft_causal_conv),
    op!(fft_spectral, monarch_block_fft),
    op!(fft_spectral, sgconv_structured_global_conv),
    op!(fft_spectral, fadc_freq_select),
    op!(fft_spectral, hornet_global_local_filter),
    op!(fft_spectral, fdconv_fourier_disjoint_weight),
    op!(fft_spectral, frequency_band_modulation),
    op!(normalization, std_layernorm_channels_nchw),
    op!(normalization, std_l2_normalize),
    op!(normalization, std_batchnorm_fold),
    op!(normalization, sparse_masked_layernorm),
    op!(matmul, std_pointwise_conv2d),
    op!(matmul, hyperzzw_global_product),
    op!(matmul, yolov13_hypergraph_conv_v2e2v),
    op!(resampling_index, std_replication_pad2d),
    op!(resampling_index, std_interpolate_resize),
    op!(resampling_index, hilbert_permute_tokens),
    op!(resampling_index, mvs_depth_warp_bilinear),
    op!(resampling_index, std_grid_sample_bilinear),
];

/// Find an operator by its `<category>::<name>` path.
pub fn lookup(path: &str) -> Option<&'static RefOp> {
    OPS.iter().find(|op| op.path == path)
}
