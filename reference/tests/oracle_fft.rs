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

include!("oracle/check.rs");

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
