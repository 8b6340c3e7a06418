//! normalization operators.
pub mod grn_global_response_norm;
pub mod sparse_masked_layernorm;
pub mod std_batchnorm_fold;
pub mod std_group_norm;
pub mod std_l2_normalize;
pub mod std_layernorm_channels_nchw;
pub mod std_layernorm_lastdim;
