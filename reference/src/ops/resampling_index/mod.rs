//! resampling_index operators.
pub mod std_interpolate_resize;
pub mod std_replication_pad2d;
