//! Part B operators (std_layernorm_channels_nchw, std_l2_normalize, std_pointwise_conv2d,
//! std_replication_pad2d, std_interpolate_resize) against outputs computed independently with
//! numpy (float64).
//!
//! The cases live in `fixtures_part_b.rs`, written by `oracle/gen_part_b.py`. Regenerate
//! them (from the repository root) after changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_part_b.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does, and requires |got − expected| ≤ atol + rtol·|expected| elementwise (the
//! tolerance is stored with the case: atol 1e-6, rtol 1e-5; the padding cases are exact copies, atol 0,
//! rtol 1e-8 for the 9-digit printing), with equal shapes.

#[macro_use]
mod fixtures_part_b;

use fixtures_part_b::{ALL_CASES, Attr, Case};
use kernelsmith_reference::{AttrValue, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

include!("oracle/check.rs");

/// One `#[test]` per generated case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_part_b::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

/// The operators this file covers.
const PART_B_OPS: &[&str] = &[
    "normalization::std_layernorm_channels_nchw",
    "normalization::std_l2_normalize",
    "matmul::std_pointwise_conv2d",
    "resampling_index::std_replication_pad2d",
    "resampling_index::std_interpolate_resize",
];

#[test]
fn every_part_b_operator_is_registered_and_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).collect();
    for op in PART_B_OPS {
        assert!(lookup(op).is_some(), "`{op}` is not registered");
        assert!(covered.contains(op), "no numpy case for `{op}`: add one to oracle/gen_part_b.py");
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes: a zeroed expectation must not pass for the
    // channel LayerNorm case.
    let zeros: &'static [f64] = Box::leak(vec![0.0f64; 2 * 6 * 3 * 5].into_boxed_slice());
    let outputs: &'static [(&str, &[usize], &[f64])] = Box::leak(Box::new([("y", &[2usize, 6, 3, 5][..], zeros)]));
    let wrong = Case { outputs, ..fixtures_part_b::STD_LAYERNORM_CHANNELS_NCHW };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "LayerNorm output compared equal to zeros");
}
