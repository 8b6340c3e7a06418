//! reduction operators.
pub mod std_softmax_lastdim;
pub mod sum_reduce;
