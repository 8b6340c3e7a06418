//! Loss functions: reductions of a prediction against a target to a scalar.

pub mod spark_masked_patch_recon_loss;
