//! fft_spectral operators (fftshift, std_dct2_ii_unnormalized, fft2, ifft2, rfft2) against
//! outputs computed independently with numpy (float64: numpy.fft, and the DCT-II via an FFT of the
//! even extension).
//!
//! The cases live in `fixtures_fft.rs`, written by `oracle/gen_fft.py`. Regenerate them (from the
//! repository root) after changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_fft.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does, and requires |got − expected| ≤ atol + rtol·|expected| elementwise (the
//! tolerance is stored with the case: rtol 1e-6 with atol 1e-5 for the forward transforms, 1e-7
//! for ifft2; fftshift is an exact copy, atol 0, rtol 1e-8 for the 9-digit printing), with equal
//! shapes.

#[macro_use]
mod fixtures_fft;

use fixtures_fft::{ALL_CASES, Attr, Case};
use kernelsmith_reference::{AttrValue, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

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
    let tensors: Vec<Tensor> =
        case.inputs.iter().map(|&(_, shape, vals)| Tensor::from_f32(shape.to_vec(), vals.to_vec())).collect();
    let inputs = case.inputs.iter().zip(&tensors).map(|(&(name, _, _), t)| (name, t)).collect();
    let args = OpArgs { inputs, dims: &dims, attrs: &attrs };

    let got = (op.run)(&args).unwrap_or_else(|e| panic!("{}: {} failed: {e}", case.test, case.op));
    assert_eq!(got.len(), case.outputs.len(), "{}: number of outputs", case.test);
    for (out, &(name, shape, expected)) in got.iter().zip(case.outputs) {
        assert_eq!(out.shape, shape, "{}: shape of output `{name}`", case.test);
        let vals = out.f32s(name).unwrap_or_else(|e| panic!("{}: {e}", case.test));
        assert_eq!(vals.len(), expected.len(), "{}: length of output `{name}`", case.test);
        let bad = vals.iter().zip(expected).enumerate().find(|&(_, (&g, &e))| {
            let g = g as f64;
            !((g - e).abs() <= case.atol + case.rtol * e.abs() || (g.is_nan() && e.is_nan()) || g == e)
        });
        if let Some((i, (&g, &e))) = bad {
            panic!(
                "{}: output `{name}` differs first at flat index {i} (multi-index {:?}): got {g:e}, numpy {e:e}, \
                 |diff| {:e} > atol {:e} + rtol {:e} * |expected|",
                case.test,
                unravel(i, shape),
                (g as f64 - e).abs(),
                case.atol,
                case.rtol
            );
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
                check(&fixtures_fft::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

/// The operators this file covers.
const FFT_OPS: &[&str] = &[
    "fft_spectral::fftshift",
    "fft_spectral::std_dct2_ii_unnormalized",
    "fft_spectral::fft2",
    "fft_spectral::ifft2",
    "fft_spectral::rfft2",
];

#[test]
fn every_fft_operator_is_registered_and_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).collect();
    for op in FFT_OPS {
        assert!(lookup(op).is_some(), "`{op}` is not registered");
        assert!(covered.contains(op), "no numpy case for `{op}`: add one to oracle/gen_fft.py");
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes: the conjugate spectrum (the wrong sign
    // convention) must not pass for the odd-size fft2 case.
    let [(re_name, re_shape, re), (im_name, im_shape, im)] = fixtures_fft::FFT2_ODD.outputs else {
        panic!("fft2 case has two outputs")
    };
    let conj: &'static [f64] = Box::leak(im.iter().map(|v| -v).collect::<Vec<f64>>().into_boxed_slice());
    let outputs: &'static [(&str, &[usize], &[f64])] =
        Box::leak(Box::new([(*re_name, *re_shape, *re), (*im_name, *im_shape, conj)]));
    let wrong = Case { outputs, ..fixtures_fft::FFT2_ODD };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "fft2 output compared equal to its conjugate");
}
