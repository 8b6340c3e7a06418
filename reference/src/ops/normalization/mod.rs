//! normalization operators.
pub mod grn_global_response_norm;
pub mod std_group_norm;
pub mod std_l2_normalize;
pub mod std_layernorm_channels_nchw;
pub mod std_layernorm_lastdim;
