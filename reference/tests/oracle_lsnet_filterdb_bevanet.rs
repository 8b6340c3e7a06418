//! LSNet (LKP, SKA), CNN Filter DB (sparsity, variance entropy, distribution drift) and BEVANet
//! (LSKA, SDLSKA + CKS, DLKPPM) operators against outputs computed independently with numpy in
//! float64 (generic conv2d by tap loops, SVD for the filter covariance spectrum,
//! numpy.histogram for the drift, full 3x3 depthwise convs on the pooled CKS map).
//!
//! The cases live in `fixtures_lsnet_filterdb_bevanet.rs`, written by
//! `oracle/gen_lsnet_filterdb_bevanet.py`. Regenerate them (from the repository root) after
//! changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_lsnet_filterdb_bevanet.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does, and requires |got − expected| ≤ atol + rtol·|expected| elementwise (atol and
//! rtol 1e-6 for the dense operators, 1e-5 after LKP's GroupNorm, 1e-7 for the sparsity counts),
//! with equal shapes.

#[macro_use]
mod fixtures_lsnet_filterdb_bevanet;

use fixtures_lsnet_filterdb_bevanet::{ALL_CASES, Attr, Case};
use kernelsmith_reference::{AttrValue, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

include!("oracle/check.rs");

/// One `#[test]` per generated case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_lsnet_filterdb_bevanet::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

/// The operators this file covers.
const GROUP_OPS: &[&str] = &[
    "convolution::lsnet_lkp_dynamic_kernel_gen",
    "convolution::lsnet_ska_pixelwise_aggregation",
    "reduction::filter_db_sparsity",
    "reduction::filter_db_variance_entropy",
    "reduction::filter_db_distribution_drift",
    "convolution::bevanet_lska_separable_attention",
    "gating_fusion::bevanet_sdlska_kernel_selection",
    "pooling::bevanet_dlkppm_pyramid_pooling",
];

#[test]
fn every_lsnet_filterdb_bevanet_operator_is_registered_and_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).collect();
    for op in GROUP_OPS {
        assert!(lookup(op).is_some(), "`{op}` is not registered");
        assert!(covered.contains(op), "no numpy case for `{op}`: add one to oracle/gen_lsnet_filterdb_bevanet.py");
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes: SKA with the contiguous channel grouping
    // c / (C/G) instead of c % G must not match. Emulate it by permuting the expected channels.
    let case = &fixtures_lsnet_filterdb_bevanet::LSNET_SKA_PIXELWISE_AGGREGATION_C16_G2;
    let [(name, shape, vals)] = case.outputs else { panic!("SKA has one output") };
    let plane = shape[2] * shape[3];
    let mut shifted = vals.to_vec();
    shifted.rotate_left(plane);
    let shifted: &'static [f64] = Box::leak(shifted.into_boxed_slice());
    let outputs: &'static [(&str, &[usize], &[f64])] = Box::leak(Box::new([(*name, *shape, shifted)]));
    let wrong = Case { outputs, ..*case };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "a channel-shifted SKA output compared equal");
}
