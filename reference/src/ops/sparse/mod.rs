//! Sparse operators: computations restricted to a mask of active (visible) positions.

pub mod sparse_batchnorm2d;
