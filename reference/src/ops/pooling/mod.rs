//! pooling operators.
pub mod bevanet_dlkppm_pyramid_pooling;
pub mod masked_average_pooling;
pub mod max_pool2d;
pub mod std_global_avg_pool2d;
