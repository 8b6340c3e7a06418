//! First operators of four categories (loss::spark_masked_patch_recon_loss,
//! sparse::sparse_batchnorm2d, kernel_methods::snnk_random_feature_layer,
//! quantized::int8_pointwise_conv2d_requant) against outputs computed independently with numpy
//! (float64; exact int64 for the int8 operator).
//!
//! The cases live in `fixtures_new_categories.rs`, written by `oracle/gen_new_categories.py`.
//! Regenerate them (from the repository root) after changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_new_categories.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does. Float outputs must satisfy |got − expected| ≤ atol + rtol·|expected|
//! elementwise (atol 1e-6, rtol 1e-5, stored with the case); int8 outputs must be equal.

#[macro_use]
mod fixtures_new_categories;

use fixtures_new_categories::{ALL_CASES, Attr, Case, Expect, Vals};
use kernelsmith_reference::{AttrValue, Data, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

/// Build the typed input tensor of a case.
fn input_tensor(shape: &[usize], vals: Vals) -> Tensor {
    let data = match vals {
        Vals::F32(v) => Data::F32(v.to_vec()),
        Vals::U8(v) => Data::U8(v.to_vec()),
        Vals::I8(v) => Data::I8(v.to_vec()),
        Vals::I32(v) => Data::I32(v.to_vec()),
    };
    Tensor::new(shape.to_vec(), data).expect("fixture shape matches its values")
}

/// Run one case through the registry and compare every output with the numpy values.
fn check(case: &Case) {
    let op = lookup(case.op).unwrap_or_else(|| panic!("{}: `{}` is not registered", case.test, case.op));
    let dims: BTreeMap<String, i64> = case.dims.iter().map(|&(n, v)| (n.to_string(), v)).collect();
    let attrs: BTreeMap<String, AttrValue> = case
        .attrs
        .iter()
        .map(|&(n, v)| {
            let v = match v {
                Attr::Int(i) => AttrValue::Int(i),
                Attr::Float(f) => AttrValue::Float(f),
            };
            (n.to_string(), v)
        })
        .collect();
    let tensors: Vec<Tensor> = case.inputs.iter().map(|&(_, shape, vals)| input_tensor(shape, vals)).collect();
    let inputs = case.inputs.iter().zip(&tensors).map(|(&(name, _, _), t)| (name, t)).collect();
    let args = OpArgs { inputs, dims: &dims, attrs: &attrs };

    let got = (op.run)(&args).unwrap_or_else(|e| panic!("{}: {} failed: {e}", case.test, case.op));
    assert_eq!(got.len(), case.outputs.len(), "{}: number of outputs", case.test);
    for (out, &(name, shape, expected)) in got.iter().zip(case.outputs) {
        assert_eq!(out.shape, shape, "{}: shape of output `{name}`", case.test);
        match (expected, &out.data) {
            (Expect::F64(expected), Data::F32(vals)) => {
                assert_eq!(vals.len(), expected.len(), "{}: length of output `{name}`", case.test);
                let bad = vals.iter().zip(expected).enumerate().find(|&(_, (&g, &e))| {
                    let g = g as f64;
                    !((g - e).abs() <= case.atol + case.rtol * e.abs() || (g.is_nan() && e.is_nan()) || g == e)
                });
                if let Some((i, (&g, &e))) = bad {
                    panic!(
                        "{}: output `{name}` differs first at flat index {i} (multi-index {:?}): got {g:e}, numpy \
                         {e:e}, |diff| {:e} > atol {:e} + rtol {:e} * |expected|",
                        case.test,
                        unravel(i, shape),
                        (g as f64 - e).abs(),
                        case.atol,
                        case.rtol
                    );
                }
            }
            (Expect::I8(expected), Data::I8(vals)) => {
                assert_eq!(vals.len(), expected.len(), "{}: length of output `{name}`", case.test);
                if let Some((i, (g, e))) = vals.iter().zip(expected).enumerate().find(|(_, (g, e))| g != e) {
                    panic!(
                        "{}: output `{name}` differs first at flat index {i} (multi-index {:?}): got {g}, numpy {e}",
                        case.test,
                        unravel(i, shape)
                    );
                }
            }
            (_, data) => panic!("{}: output `{name}` has unexpected dtype {}", case.test, data.dtype()),
        }
    }
}

/// Row-major flat index → multi-index.
fn unravel(mut i: usize, shape: &[usize]) -> Vec<usize> {
    let mut idx = vec![0; shape.len()];
    for (slot, &s) in idx.iter_mut().zip(shape).rev() {
        *slot = i % s.max(1);
        i /= s.max(1);
    }
    idx
}

/// One `#[test]` per generated case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_new_categories::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

/// The operators this file covers.
const NEW_CATEGORY_OPS: &[&str] = &[
    "loss::spark_masked_patch_recon_loss",
    "sparse::sparse_batchnorm2d",
    "kernel_methods::snnk_random_feature_layer",
    "quantized::int8_pointwise_conv2d_requant",
];

#[test]
fn every_new_category_operator_is_registered_and_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).collect();
    for op in NEW_CATEGORY_OPS {
        assert!(lookup(op).is_some(), "`{op}` is not registered");
        assert!(covered.contains(op), "no numpy case for `{op}`: add one to oracle/gen_new_categories.py");
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes. A different output zero point shifts every
    // unclamped int8 output by one: that must be reported even though it is "only ±1".
    let wrong = Case {
        attrs: &[
            ("zx", Attr::Int(3)),
            ("zy", Attr::Int(-3)),
            ("act_min", Attr::Int(-128)),
            ("act_max", Attr::Int(127)),
        ],
        ..fixtures_new_categories::INT8_POINTWISE_CONV2D_REQUANT
    };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "zy off by one compared equal");
    // A zero loss must not pass for a case with masked patches.
    let outputs: &'static [(&str, &[usize], Expect)] = &[("loss", &[1], Expect::F64(&[0.0]))];
    let wrong = Case { outputs, ..fixtures_new_categories::SPARK_MASKED_PATCH_RECON_LOSS };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "loss compared equal to zero");
}
