//! resampling_index operators.
pub mod hilbert_permute_tokens;
pub mod mvs_depth_warp_bilinear;
pub mod std_grid_sample_bilinear;
pub mod std_interpolate_resize;
pub mod std_replication_pad2d;
