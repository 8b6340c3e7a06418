//! Sparse operators: computations restricted to a mask of active (visible) positions.

pub mod sparse_batchnorm2d;
pub mod sparse_masked_conv2d;
