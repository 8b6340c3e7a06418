//! SpaRTAN, ScaleKD, CCNeXt and FDConv operators (spartan_smixer, spartan_wave_channel_aggregation,
//! scalekd_cross_attention_projector, scalekd_dual_view_mimic_loss,
//! windowed_epipolar_cross_attention, fdconv_fourier_disjoint_weight,
//! fdconv_kernel_spatial_modulation_conv, frequency_band_modulation) against outputs computed
//! independently with numpy in float64 (shifted-slice convolutions, einsum attention with a −inf
//! mask, explicit DCT-II matrices for the ScaleKD frequency view, numpy.fft for the FDConv spectra).
//!
//! The cases live in `fixtures_spartan_scalekd_fdconv.rs`, written by
//! `oracle/gen_spartan_scalekd_fdconv.py`. Regenerate them (from the repository root) after
//! changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_spartan_scalekd_fdconv.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does, and requires |got − expected| ≤ atol + rtol·|expected| elementwise (atol
//! 1e-6–1e-7, rtol 1e-5–1e-6, stored with each case: both sides are f64 computations of the same
//! f32 inputs, differing by the final f32 rounding), with equal shapes.

#[macro_use]
mod fixtures_spartan_scalekd_fdconv;

use fixtures_spartan_scalekd_fdconv::{ALL_CASES, Attr, Case};
use kernelsmith_reference::{AttrValue, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

include!("oracle/check.rs");

/// One `#[test]` per generated case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_spartan_scalekd_fdconv::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

/// The operators this file covers.
const GROUP_OPS: &[&str] = &[
    "convolution::spartan_smixer",
    "gating_fusion::spartan_wave_channel_aggregation",
    "attention::scalekd_cross_attention_projector",
    "loss::scalekd_dual_view_mimic_loss",
    "attention::windowed_epipolar_cross_attention",
    "fft_spectral::fdconv_fourier_disjoint_weight",
    "convolution::fdconv_kernel_spatial_modulation_conv",
    "fft_spectral::frequency_band_modulation",
];

#[test]
fn every_spartan_scalekd_fdconv_operator_is_registered_and_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).collect();
    for op in GROUP_OPS {
        assert!(lookup(op).is_some(), "`{op}` is not registered");
        assert!(covered.contains(op), "no numpy case for `{op}`: add one to oracle/gen_spartan_scalekd_fdconv.py");
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes: swapping the two outputs of the
    // epipolar attention (z1 <-> z2) must not pass.
    let [(n1, s1, v1), (n2, s2, v2)] = fixtures_spartan_scalekd_fdconv::WINDOWED_EPIPOLAR_CROSS_ATTENTION_TINY.outputs
    else {
        panic!("epipolar case has two outputs")
    };
    let outputs: &'static [(&str, &[usize], &[f64])] = Box::leak(Box::new([(*n1, *s1, *v2), (*n2, *s2, *v1)]));
    let wrong = Case { outputs, ..fixtures_spartan_scalekd_fdconv::WINDOWED_EPIPOLAR_CROSS_ATTENTION_TINY };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "z1 compared equal to z2");
}
