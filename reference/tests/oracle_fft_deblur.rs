//! fft_spectral operators of the FFT / deblurring group (irfft2, ifftshift, fftfreq, rfftfreq,
//! wiener_deconvolution_fft, deeprft_res_fft_relu_block, deeprftv2_fourier_kernel_feature_conv)
//! against outputs computed independently with numpy (float64 numpy.fft / pocketfft; irfft2 is fed
//! non-Hermitian half spectra so that its complex-to-real rule is exercised).
//!
//! The cases live in `fixtures_fft_deblur.rs`, written by `oracle/gen_fft_deblur.py`. Regenerate
//! them (from the repository root) after changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_fft_deblur.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does, and requires |got − expected| ≤ atol + rtol·|expected| elementwise (the
//! tolerance is stored with the case: rtol 1e-6 with atol 1e-6, 1e-7 for irfft2; ifftshift is an
//! exact copy, atol 0, rtol 1e-8 for the 9-digit printing; fftfreq/rfftfreq atol 0), with equal
//! shapes.

#[macro_use]
mod fixtures_fft_deblur;

use fixtures_fft_deblur::{ALL_CASES, Attr, Case};
use kernelsmith_reference::{AttrValue, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

include!("oracle/check.rs");

/// One `#[test]` per generated case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_fft_deblur::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

/// The operators this file covers.
const FFT_DEBLUR_OPS: &[&str] = &[
    "fft_spectral::irfft2",
    "fft_spectral::ifftshift",
    "fft_spectral::fftfreq",
    "fft_spectral::rfftfreq",
    "fft_spectral::wiener_deconvolution_fft",
    "fft_spectral::deeprft_res_fft_relu_block",
    "fft_spectral::deeprftv2_fourier_kernel_feature_conv",
];

#[test]
fn every_fft_deblur_operator_is_registered_and_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).collect();
    for op in FFT_DEBLUR_OPS {
        assert!(lookup(op).is_some(), "`{op}` is not registered");
        assert!(covered.contains(op), "no numpy case for `{op}`: add one to oracle/gen_fft_deblur.py");
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes: the negated irfft2 output must not pass.
    let [(name, shape, vals)] = fixtures_fft_deblur::IRFFT2_ODD.outputs else { panic!("irfft2 case has one output") };
    let neg: &'static [f64] = Box::leak(vals.iter().map(|v| -v).collect::<Vec<f64>>().into_boxed_slice());
    let outputs: &'static [(&str, &[usize], &[f64])] = Box::leak(Box::new([(*name, *shape, neg)]));
    let wrong = Case { outputs, ..fixtures_fft_deblur::IRFFT2_ODD };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "irfft2 output compared equal to its negation");
}
