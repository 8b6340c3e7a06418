//! attention operators.
pub mod hierarchical_local_window_attention;
pub mod kmeans_cross_attention;
pub mod natten_na1d;
pub mod natten_na2d;
pub mod scalekd_cross_attention_projector;
pub mod windowed_epipolar_cross_attention;
pub mod yolov13_adaptive_hyperedge_generation;
