//! pooling operators.
pub mod max_pool2d;
