//! pooling operators.
pub mod max_pool2d;
pub mod std_global_avg_pool2d;
