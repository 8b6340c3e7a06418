//! scan_recurrence operators.
pub mod mamba_selective_scan;
