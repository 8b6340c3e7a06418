//! Loss functions: reductions of a prediction against a target to a scalar.

pub mod scalekd_dual_view_mimic_loss;
pub mod spark_masked_patch_recon_loss;
