//! Paper operators (partial_conv3x3, yolov13_dsconv_bn_silu, blur_kernel_convolution,
//! masked_average_pooling, cosine_kernel_segmentation_logits) against outputs computed
//! independently with numpy (float64).
//!
//! The cases live in `fixtures_paper_ops.rs`, written by `oracle/gen_paper_ops.py`. Regenerate
//! them (from the repository root) after changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_paper_ops.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does, and requires |got − expected| ≤ atol + rtol·|expected| elementwise (the
//! tolerance is stored with the case: atol 1e-6, rtol 1e-5), with equal shapes.

#[macro_use]
mod fixtures_paper_ops;

use fixtures_paper_ops::{ALL_CASES, Attr, Case};
use kernelsmith_reference::{AttrValue, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

include!("oracle/check.rs");

/// One `#[test]` per generated case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_paper_ops::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

/// The operators this file covers.
const PAPER_OPS: &[&str] = &[
    "convolution::partial_conv3x3",
    "convolution::yolov13_dsconv_bn_silu",
    "convolution::blur_kernel_convolution",
    "pooling::masked_average_pooling",
    "matmul::cosine_kernel_segmentation_logits",
];

#[test]
fn every_paper_operator_is_registered_and_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).collect();
    for op in PAPER_OPS {
        assert!(lookup(op).is_some(), "`{op}` is not registered");
        assert!(covered.contains(op), "no numpy case for `{op}`: add one to oracle/gen_paper_ops.py");
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes: the partial-conv case with n_div = 2 (twice
    // the convolved channels, same x; w reinterpreted) must not match, nor may a copy of x.
    let x = fixtures_paper_ops::PARTIAL_CONV3X3.inputs[0];
    let copy: Vec<f64> = x.2.iter().map(|&v| v as f64).collect();
    let copy: &'static [f64] = Box::leak(copy.into_boxed_slice());
    let outputs: &'static [(&str, &[usize], &[f64])] = Box::leak(Box::new([("y", x.1, copy)]));
    let wrong = Case { outputs, ..fixtures_paper_ops::PARTIAL_CONV3X3 };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "partial conv compared equal to a copy of x");
}
