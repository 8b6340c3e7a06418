//! FADC (fadc_freq_select, fadc_adakern_weight, fadc_adaptive_dilated_conv), SparK
//! (sparse_masked_conv2d, sparse_masked_layernorm), GBi-Net (mvs_depth_warp_bilinear,
//! groupwise_correlation_volume, mvs_pixelwise_view_weight_aggregation) and the standard
//! std_grid_sample_bilinear against outputs computed independently with numpy (float64: np.fft for
//! FreqSelect, np.linalg.inv and the official normalise/grid_sample round trip for the warp,
//! vectorised gathers for the deformable conv and grid_sample, row gathers for the SparK ops).
//!
//! The cases live in `fixtures_fadc_spark_gbinet.rs`, written by `oracle/gen_fadc_spark_gbinet.py`.
//! Regenerate them (from the repository root) after changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_fadc_spark_gbinet.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does, and requires |got − expected| ≤ atol + rtol·|expected| elementwise (atol 1e-6,
//! rtol 1e-6, stored with the case), with equal shapes. The SparK masks are given as f32 0/1.

#[macro_use]
mod fixtures_fadc_spark_gbinet;

use fixtures_fadc_spark_gbinet::{ALL_CASES, Attr, Case};
use kernelsmith_reference::{AttrValue, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

include!("oracle/check.rs");

/// One `#[test]` per generated case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_fadc_spark_gbinet::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

/// The operators this file covers.
const GROUP_OPS: &[&str] = &[
    "fft_spectral::fadc_freq_select",
    "gating_fusion::fadc_adakern_weight",
    "convolution::fadc_adaptive_dilated_conv",
    "sparse::sparse_masked_conv2d",
    "normalization::sparse_masked_layernorm",
    "resampling_index::mvs_depth_warp_bilinear",
    "reduction::groupwise_correlation_volume",
    "gating_fusion::mvs_pixelwise_view_weight_aggregation",
    "resampling_index::std_grid_sample_bilinear",
];

#[test]
fn every_fadc_spark_gbinet_operator_is_registered_and_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).collect();
    for op in GROUP_OPS {
        assert!(lookup(op).is_some(), "`{op}` is not registered");
        assert!(covered.contains(op), "no numpy case for `{op}`: add one to oracle/gen_fadc_spark_gbinet.py");
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes: the FreqSelect output with its sign flipped
    // must not pass.
    let [(name, shape, vals)] = fixtures_fadc_spark_gbinet::FADC_FREQ_SELECT_ODD_7X9.outputs else {
        panic!("fadc_freq_select case has one output")
    };
    let flipped: &'static [f64] = Box::leak(vals.iter().map(|v| -v).collect::<Vec<f64>>().into_boxed_slice());
    let outputs: &'static [(&str, &[usize], &[f64])] = Box::leak(Box::new([(*name, *shape, flipped)]));
    let wrong = Case { outputs, ..fixtures_fadc_spark_gbinet::FADC_FREQ_SELECT_ODD_7X9 };
    assert!(
        std::panic::catch_unwind(|| check(&wrong)).is_err(),
        "fadc_freq_select output compared equal to its negation"
    );
}
