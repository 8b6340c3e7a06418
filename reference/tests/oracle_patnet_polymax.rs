//! The PATNet / Scale-DiT / weighted-conv / AutoNeural-depthwise / PolyMaX operators
//! (convolution::weighted_conv2d, resampling_index::hilbert_permute_tokens,
//! attention::hierarchical_local_window_attention, attention::kmeans_cross_attention,
//! gating_fusion::pat_ch_partial_gaussian_channel_attention,
//! gating_fusion::pat_sp_mlp_spatial_attention, gating_fusion::cluster_soft_assignment_regression,
//! quantized::int8_depthwise_conv2d_requant) against outputs computed independently with numpy
//! (float64; exact Python integers for the int8 requantisation).
//!
//! The cases live in `fixtures_patnet_polymax.rs`, written by `oracle/gen_patnet_polymax.py`.
//! Regenerate them (from the repository root) after changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_patnet_polymax.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does. Float outputs must satisfy |got − expected| ≤ atol + rtol·|expected|
//! elementwise (atol 1e-6, rtol 1e-6 stored with each case; the Hilbert permutation is compared
//! with atol 0); int8 outputs must be equal.

#[macro_use]
mod fixtures_patnet_polymax;

use fixtures_patnet_polymax::{ALL_CASES, ALL_INT_CASES, Attr, Case, IntCase, IntVals};
use kernelsmith_reference::{AttrValue, Data, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

include!("oracle/check.rs");

/// Run one int8 case through the registry and require bit-exact outputs.
fn check_int(case: &IntCase) {
    let op = lookup(case.op).unwrap_or_else(|| panic!("{}: `{}` is not registered", case.test, case.op));
    let dims: BTreeMap<String, i64> = case.dims.iter().map(|&(n, v)| (n.to_string(), v)).collect();
    let attrs: BTreeMap<String, AttrValue> =
        case.attrs.iter().map(|&(n, v)| (n.to_string(), AttrValue::Int(v))).collect();
    let tensors: Vec<Tensor> = case
        .inputs
        .iter()
        .map(|&(_, shape, vals)| {
            let data = match vals {
                IntVals::I8(v) => Data::I8(v.to_vec()),
                IntVals::I32(v) => Data::I32(v.to_vec()),
            };
            Tensor::new(shape.to_vec(), data).expect("fixture shape matches its values")
        })
        .collect();
    let inputs = case.inputs.iter().zip(&tensors).map(|(&(name, _, _), t)| (name, t)).collect();
    let args = OpArgs { inputs, dims: &dims, attrs: &attrs };
    let got = (op.run)(&args).unwrap_or_else(|e| panic!("{}: {} failed: {e}", case.test, case.op));
    assert_eq!(got.len(), case.outputs.len(), "{}: number of outputs", case.test);
    for (out, &(name, shape, expected)) in got.iter().zip(case.outputs) {
        assert_eq!(out.shape, shape, "{}: shape of output `{name}`", case.test);
        let Data::I8(vals) = &out.data else { panic!("{}: output `{name}` is not int8", case.test) };
        if let Some(i) = vals.iter().zip(expected).position(|(g, e)| g != e) {
            panic!(
                "{}: output `{name}` differs first at flat index {i} (multi-index {:?}): got {}, numpy {}",
                case.test,
                unravel(i, shape),
                vals[i],
                expected[i]
            );
        }
    }
}

/// One `#[test]` per generated float case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_patnet_polymax::$case);
            }
        )*
    };
}

/// One `#[test]` per generated int8 case, named by the case.
macro_rules! oracle_int_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check_int(&fixtures_patnet_polymax::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);
for_each_int_case!(oracle_int_tests);

/// The operators this file covers.
const GROUP_OPS: &[&str] = &[
    "convolution::weighted_conv2d",
    "resampling_index::hilbert_permute_tokens",
    "attention::hierarchical_local_window_attention",
    "gating_fusion::pat_ch_partial_gaussian_channel_attention",
    "gating_fusion::pat_sp_mlp_spatial_attention",
    "quantized::int8_depthwise_conv2d_requant",
    "attention::kmeans_cross_attention",
    "gating_fusion::cluster_soft_assignment_regression",
];

#[test]
fn every_patnet_polymax_operator_is_registered_and_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).chain(ALL_INT_CASES.iter().map(|c| c.op)).collect();
    for op in GROUP_OPS {
        assert!(lookup(op).is_some(), "`{op}` is not registered");
        assert!(covered.contains(op), "no numpy case for `{op}`: add one to oracle/gen_patnet_polymax.py");
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against comparisons that always pass: the forward Hilbert permutation must not
    // match the inverse one's expected values, and an int8 output off by one must be reported.
    let wrong =
        Case { attrs: &[("inverse", Attr::Int(0))], ..fixtures_patnet_polymax::HILBERT_PERMUTE_TOKENS_N8_INVERSE };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "forward permutation compared equal to the inverse");

    let [(name, shape, yq)] = fixtures_patnet_polymax::INT8_DEPTHWISE_CONV2D_REQUANT_TIES.outputs else {
        panic!("int8 case has one output")
    };
    let mut off = yq.to_vec();
    let i = off.iter().position(|&v| v < 127).expect("an unclamped value");
    off[i] += 1;
    let off: &'static [i8] = Box::leak(off.into_boxed_slice());
    let outputs: &'static [(&str, &[usize], &[i8])] = Box::leak(Box::new([(*name, *shape, off)]));
    let wrong = IntCase { outputs, ..fixtures_patnet_polymax::INT8_DEPTHWISE_CONV2D_REQUANT_TIES };
    assert!(std::panic::catch_unwind(|| check_int(&wrong)).is_err(), "an int8 output off by one compared equal");
}
