//! normalization operators.
pub mod std_layernorm_lastdim;
