//! normalization operators.
pub mod grn_global_response_norm;
pub mod std_group_norm;
pub mod std_layernorm_lastdim;
