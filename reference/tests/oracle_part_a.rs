//! Part A operators (std_global_avg_pool2d, std_group_norm, grn_global_response_norm,
//! se_block_squeeze_excite, mamba_selective_scan) against outputs computed independently with
//! numpy (float64).
//!
//! The cases live in `fixtures_part_a.rs`, written by `oracle/gen_part_a.py`. Regenerate
//! them (from the repository root) after changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_part_a.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does, and requires |got − expected| ≤ atol + rtol·|expected| elementwise (the
//! tolerance is stored with the case: atol 1e-6, rtol 1e-5; the Mamba scan cases atol 1e-5,
//! rtol 1e-5), with equal shapes.

#[macro_use]
mod fixtures_part_a;

use fixtures_part_a::{ALL_CASES, Attr, Case};
use kernelsmith_reference::{AttrValue, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

include!("oracle/check.rs");

/// One `#[test]` per generated case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_part_a::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

/// The operators this file covers.
const PART_A_OPS: &[&str] = &[
    "pooling::std_global_avg_pool2d",
    "normalization::std_group_norm",
    "normalization::grn_global_response_norm",
    "gating_fusion::se_block_squeeze_excite",
    "scan_recurrence::mamba_selective_scan",
];

#[test]
fn every_part_a_operator_is_registered_and_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).collect();
    for op in PART_A_OPS {
        assert!(lookup(op).is_some(), "`{op}` is not registered");
        assert!(covered.contains(op), "no numpy case for `{op}`: add one to oracle/gen_part_a.py");
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes: run the 4-group GroupNorm case with 2
    // groups (different statistics, same inputs) and require a mismatch.
    let wrong =
        Case { attrs: &[("groups", Attr::Int(2)), ("eps", Attr::Float(1e-5))], ..fixtures_part_a::STD_GROUP_NORM_G4 };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "2-group output compared equal to 4-group output");
    // And a zeroed expectation must not pass for the scan.
    let zeros = vec![0.0f64; 2 * 3 * 16];
    let zeros: &'static [f64] = Box::leak(zeros.into_boxed_slice());
    let outputs: &'static [(&str, &[usize], &[f64])] = Box::leak(Box::new([("out", &[2usize, 3, 16][..], zeros)]));
    let wrong = Case { outputs, ..fixtures_part_a::MAMBA_SELECTIVE_SCAN_SOFTPLUS_THRESHOLD };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "scan output compared equal to zeros");
}
