//! attention operators.
pub mod natten_na1d;
