//! Kernel methods: layers computed through kernel feature maps (random features, kernel sums).

pub mod hyperzzw_magnet_hyperkernel;
pub mod snnk_random_feature_layer;
