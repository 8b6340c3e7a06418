//! The `mobile_hyperz` operators (MobileMamba: haar wavelet dwconv, bidirectional SS2D scan,
//! MRFFI local/identity fuse; UniRepLKNet dilated reparam dwconv; HyperZ·Z·W: MAGNet
//! hyper-kernel, global product, local context conv; standard blocks: BatchNorm fold,
//! squeeze-excitation) against outputs computed independently with numpy in float64.
//!
//! The cases live in `fixtures_mobile_hyperz.rs`, written by `oracle/gen_mobile_hyperz.py`.
//! Regenerate them (from the repository root) after changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_mobile_hyperz.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does, and requires |got − expected| ≤ atol + rtol·|expected| elementwise (atol
//! 1e-6 / rtol 1e-5 for the convolution and scan cases, 1e-7 / 1e-6 for BatchNorm and SE: both
//! sides are f64 computations, so the differences are f32 output rounding plus summation order).

#[macro_use]
mod fixtures_mobile_hyperz;

use fixtures_mobile_hyperz::{ALL_CASES, Attr, Case};
use kernelsmith_reference::{AttrValue, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

include!("oracle/check.rs");

/// One `#[test]` per generated case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_mobile_hyperz::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

/// The operators this file covers.
const GROUP_OPS: &[&str] = &[
    "fft_spectral::mobilemamba_haar_wavelet_dwconv",
    "scan_recurrence::mobilemamba_ss2d_bidirectional_scan",
    "convolution::mobilemamba_mrffi_local_identity_fuse",
    "convolution::unireplknet_dilated_reparam_dwconv",
    "kernel_methods::hyperzzw_magnet_hyperkernel",
    "matmul::hyperzzw_global_product",
    "convolution::hyperzzw_local_context_conv",
    "normalization::std_batchnorm_fold",
    "gating_fusion::std_squeeze_excitation",
];

#[test]
fn every_mobile_hyperz_operator_is_registered_and_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).collect();
    for op in GROUP_OPS {
        assert!(lookup(op).is_some(), "`{op}` is not registered");
        assert!(covered.contains(op), "no numpy case for `{op}`: add one to oracle/gen_mobile_hyperz.py");
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes: the SS2D output with its spatial order
    // reversed (the two scan directions confused) must not pass.
    let [(name, shape, vals)] = fixtures_mobile_hyperz::MOBILEMAMBA_SS2D_BIDIRECTIONAL_SCAN_SINGLE_STATE.outputs else {
        panic!("ss2d case has one output")
    };
    let l = shape[2] * shape[3];
    let flipped: Vec<f64> = vals.chunks(l).flat_map(|row| row.iter().rev().copied()).collect();
    let flipped: &'static [f64] = Box::leak(flipped.into_boxed_slice());
    let outputs: &'static [(&str, &[usize], &[f64])] = Box::leak(Box::new([(*name, *shape, flipped)]));
    let wrong = Case { outputs, ..fixtures_mobile_hyperz::MOBILEMAMBA_SS2D_BIDIRECTIONAL_SCAN_SINGLE_STATE };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "ss2d output compared equal to its reversal");
}
