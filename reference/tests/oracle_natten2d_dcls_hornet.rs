//! natten_na2d, dcls_gauss_kernel_construct_conv2d, hornet_gnconv, hornet_global_local_filter and
//! cp_separable_conv2d against outputs computed independently with numpy (float64): a masked dense
//! attention for NATTEN 2-D, the official broadcasting form of the DCLS Gaussian kernel
//! construction, einsum / sliding-window convolutions, and numpy.fft.rfft2 / irfft2 (ortho) for
//! the HorNet global filter.
//!
//! The cases live in `fixtures_natten2d_dcls_hornet.rs`, written by
//! `oracle/gen_natten2d_dcls_hornet.py`. Regenerate them (from the repository root) after changing
//! or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_natten2d_dcls_hornet.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does, and requires |got − expected| ≤ atol + rtol·|expected| elementwise (atol and
//! rtol 1e-6, atol 2e-6 for the global filter), with equal shapes.

#[macro_use]
mod fixtures_natten2d_dcls_hornet;

use fixtures_natten2d_dcls_hornet::{ALL_CASES, Attr, Case};
use kernelsmith_reference::{AttrValue, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

include!("oracle/check.rs");

/// One `#[test]` per generated case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_natten2d_dcls_hornet::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

/// The operators this file covers.
const GROUP_OPS: &[&str] = &[
    "attention::natten_na2d",
    "convolution::dcls_gauss_kernel_construct_conv2d",
    "gating_fusion::hornet_gnconv",
    "fft_spectral::hornet_global_local_filter",
    "convolution::cp_separable_conv2d",
];

#[test]
fn every_operator_of_the_group_is_registered_and_has_a_numpy_case() {
    let covered: BTreeSet<&str> = ALL_CASES.iter().map(|c| c.op).collect();
    for op in GROUP_OPS {
        assert!(lookup(op).is_some(), "`{op}` is not registered");
        assert!(covered.contains(op), "no numpy case for `{op}`: add one to oracle/gen_natten2d_dcls_hornet.py");
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes: a slightly perturbed expected output must fail.
    let case = &fixtures_natten2d_dcls_hornet::NATTEN_NA2D_K5_D2_UNEVEN;
    let [(name, shape, vals)] = case.outputs else { panic!("natten_na2d case has one output") };
    let mut bad = vals.to_vec();
    bad[7] += 1e-3;
    let bad: &'static [f64] = Box::leak(bad.into_boxed_slice());
    let outputs: &'static [(&str, &[usize], &[f64])] = Box::leak(Box::new([(*name, *shape, bad)]));
    let wrong = Case { outputs, ..*case };
    assert!(std::panic::catch_unwind(|| check(&wrong)).is_err(), "a perturbed output compared equal");
}
