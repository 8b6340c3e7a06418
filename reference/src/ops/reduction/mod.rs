//! reduction operators.
pub mod filter_db_distribution_drift;
pub mod filter_db_sparsity;
pub mod filter_db_variance_entropy;
pub mod groupwise_correlation_volume;
pub mod std_softmax_lastdim;
pub mod sum_reduce;
