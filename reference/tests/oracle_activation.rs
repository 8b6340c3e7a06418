//! The elementwise activation operators against outputs computed independently with numpy (float64).
//!
//! The cases live in `fixtures_activation.rs`, written by `oracle/gen_activation.py`. Regenerate
//! them (from the repository root) after changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_activation.py
//!
//! Each case runs the operator through the registry (`lookup("activation::<id>")`), exactly as the
//! harness does, and requires |got − expected| ≤ atol + rtol·|expected| elementwise (the tolerance
//! is stored with the case: atol 1e-6, rtol 1e-5 unless stated), with equal shapes; a failure
//! names the first bad index.

#[macro_use]
mod fixtures_activation;

use fixtures_activation::{ALL_CASES, Attr, Case};
use kernelsmith_reference::{AttrValue, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

/// Run `op` on the inputs and attributes of `case`; returns the outputs as f64 values.
fn run(op_path: &str, case: &Case) -> Vec<Vec<f64>> {
    let op = lookup(op_path).unwrap_or_else(|| panic!("{}: `{op_path}` is not registered", case.test));
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
    let tensors: Vec<Tensor> =
        case.inputs.iter().map(|&(_, shape, vals)| Tensor::from_f32(shape.to_vec(), vals.to_vec())).collect();
    let inputs = case.inputs.iter().zip(&tensors).map(|(&(name, _, _), t)| (name, t)).collect();
    let args = OpArgs { inputs, dims: &dims, attrs: &attrs };

    let got = (op.run)(&args).unwrap_or_else(|e| panic!("{}: {op_path} failed: {e}", case.test));
    assert_eq!(got.len(), case.outputs.len(), "{}: number of outputs", case.test);
    got.iter()
        .zip(case.outputs)
        .map(|(out, &(name, shape, _))| {
            assert_eq!(out.shape, shape, "{}: shape of output `{name}`", case.test);
            out.f32s(name).unwrap_or_else(|e| panic!("{}: {e}", case.test)).iter().map(|&v| v as f64).collect()
        })
        .collect()
}

/// First index where `got` is outside `atol + rtol·|expected|` of `expected`.
fn first_mismatch(got: &[f64], expected: &[f64], atol: f64, rtol: f64) -> Option<usize> {
    got.iter().zip(expected).position(|(&g, &e)| !((g - e).abs() <= atol + rtol * e.abs() || g == e))
}

/// Run one case through the registry and compare every output with the numpy values.
fn check(case: &Case) {
    let got = run(case.op, case);
    for (vals, &(name, _, expected)) in got.iter().zip(case.outputs) {
        assert_eq!(vals.len(), expected.len(), "{}: length of output `{name}`", case.test);
        if let Some(i) = first_mismatch(vals, expected, case.atol, case.rtol) {
            let x = case.inputs[0].2.get(i).copied();
            panic!(
                "{}: output `{name}` differs first at index {i} (x = {x:?}): got {:e}, numpy {:e}, |diff| {:e} > \
                 atol {:e} + rtol {:e} * |expected|",
                case.test,
                vals[i],
                expected[i],
                (vals[i] - expected[i]).abs(),
                case.atol,
                case.rtol
            );
        }
    }
}

/// One `#[test]` per generated case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_activation::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

#[test]
fn every_new_activation_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).collect();
    for id in ["gelu_tanh", "silu", "hardswish", "relu6", "sigmoid", "star_relu"] {
        let path = format!("activation::{id}");
        assert!(lookup(&path).is_some(), "`{path}` is not registered");
        assert!(covered.contains(path.as_str()), "no numpy case for `{path}`: add one to oracle/gen_activation.py");
    }
}

/// The task tolerance of `gelu_erf` and `gelu_tanh` (tasks/catalog/activation/*/task.yaml).
const GELU_TASK_ATOL: f64 = 1e-6;
const GELU_TASK_RTOL: f64 = 1e-6;

#[test]
fn gelu_erf_is_not_accepted_for_gelu_tanh_or_the_reverse() {
    let case = &fixtures_activation::GELU_TANH_FROM_MINUS_90_TO_90;
    let tanh_ref = &run("activation::gelu_tanh", case)[0];
    let erf_ref = &run("activation::gelu_erf", case)[0];
    // gelu_erf's output submitted for gelu_tanh, and gelu_tanh's submitted for gelu_erf.
    assert!(
        first_mismatch(erf_ref, tanh_ref, GELU_TASK_ATOL, GELU_TASK_RTOL).is_some(),
        "gelu_erf output is within the gelu_tanh task tolerance on every fixture input"
    );
    assert!(
        first_mismatch(tanh_ref, erf_ref, GELU_TASK_ATOL, GELU_TASK_RTOL).is_some(),
        "gelu_tanh output is within the gelu_erf task tolerance on every fixture input"
    );
    let max = tanh_ref.iter().zip(erf_ref).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    assert!(max > 1e-4, "gelu_tanh and gelu_erf differ by at most {max:e}; expected ~1e-3");
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes: run the silu case's inputs through sigmoid.
    let wrong = Case { op: "activation::sigmoid", ..fixtures_activation::SILU_FROM_MINUS_90_TO_90 };
    let result = std::panic::catch_unwind(|| check(&wrong));
    assert!(result.is_err(), "sigmoid output compared equal to silu output");
}
