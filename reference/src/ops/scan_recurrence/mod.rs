//! scan_recurrence operators.
pub mod mamba_selective_scan;
pub mod mobilemamba_ss2d_bidirectional_scan;
