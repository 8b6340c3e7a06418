//! YOLOv13 hypergraph, long-convolution, SGConv, block-FFT and fused-conv operators
//! (yolov13_adaptive_hyperedge_generation, yolov13_hypergraph_conv_v2e2v, longconv_kernel_squash,
//! longconv_fft_causal_conv, monarch_block_fft, sgconv_structured_global_conv, dsconv_dw_pw_bn_act,
//! gated_short_conv1d, parallel_residual_branch_sum) against outputs computed independently with
//! numpy in float64 (einsum / reshape formulations, np.convolve, the official rfft/irfft form of
//! SGConv, np.interp upsampling, a batched block-FFT recursion checked against np.fft.fft).
//!
//! The cases live in `fixtures_yolo_longconv.rs`, written by `oracle/gen_yolo_longconv.py`.
//! Regenerate them (from the repository root) after changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_yolo_longconv.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does, and requires |got − expected| ≤ atol + rtol·|expected| elementwise (the
//! tolerance is stored with the case: 1e-6 / 1e-6 by default, atol 1e-9 for the kernel squash,
//! 1e-7 for the softmax weights, 1e-5 for the block FFT), with equal shapes.

#[macro_use]
mod fixtures_yolo_longconv;

use fixtures_yolo_longconv::{ALL_CASES, Attr, Case};
use kernelsmith_reference::{AttrValue, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

include!("oracle/check.rs");

/// One `#[test]` per generated case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_yolo_longconv::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

/// The operators this file covers.
const YOLO_LONGCONV_OPS: &[&str] = &[
    "attention::yolov13_adaptive_hyperedge_generation",
    "matmul::yolov13_hypergraph_conv_v2e2v",
    "activation::longconv_kernel_squash",
    "fft_spectral::longconv_fft_causal_conv",
    "fft_spectral::monarch_block_fft",
    "fft_spectral::sgconv_structured_global_conv",
    "convolution::dsconv_dw_pw_bn_act",
    "gating_fusion::gated_short_conv1d",
    "convolution::parallel_residual_branch_sum",
];

#[test]
fn every_yolo_longconv_operator_is_registered_and_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).collect();
    for op in YOLO_LONGCONV_OPS {
        assert!(lookup(op).is_some(), "`{op}` is not registered");
        assert!(covered.contains(op), "no numpy case for `{op}`: add one to oracle/gen_yolo_longconv.py");
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes: the time-reversed output of the causal
    // long convolution must not compare equal.
    let [(name, shape, vals)] = fixtures_yolo_longconv::LONGCONV_FFT_CAUSAL_CONV_SMALL.outputs else {
        panic!("longconv case has one output")
    };
    let l = *shape.last().unwrap();
    let rev: Vec<f64> = vals.chunks(l).flat_map(|row| row.iter().rev().copied()).collect();
    let rev: &'static [f64] = Box::leak(rev.into_boxed_slice());
    let outputs: &'static [(&str, &[usize], &[f64])] = Box::leak(Box::new([(*name, *shape, rev)]));
    let wrong = Case { outputs, ..fixtures_yolo_longconv::LONGCONV_FFT_CAUSAL_CONV_SMALL };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "longconv output compared equal to its reverse");
}
