//! Every reference operator against outputs computed independently with numpy (float64).
//!
//! The cases live in `fixtures_generated.rs`, written by `oracle/gen_fixtures.py`. Regenerate
//! them (from the repository root) after changing or adding a case:
//!     .venv/bin/python reference/tests/oracle/gen_fixtures.py
//!
//! Each case runs the operator through the registry (`lookup("<category>::<name>")`), exactly as
//! the harness does, and requires |got − expected| ≤ atol + rtol·|expected| elementwise (the
//! tolerance is stored with the case: atol 1e-6, rtol 1e-5 unless stated), with equal shapes.

#[macro_use]
mod fixtures_generated;

use fixtures_generated::{ALL_CASES, Attr, Case};
use kernelsmith_reference::{AttrValue, OpArgs, Tensor, lookup};
use std::collections::{BTreeMap, BTreeSet};

include!("oracle/check.rs");

/// One `#[test]` per generated case, named by the case.
macro_rules! oracle_tests {
    ($($test:ident => $case:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(&fixtures_generated::$case);
            }
        )*
    };
}

for_each_case!(oracle_tests);

#[test]
fn every_registered_operator_has_a_numpy_case() {
    // Cases live in every generated `tests/fixtures_*.rs` (one per generator in oracle/, each run
    // by its own test file); collect the `op: "<category>::<name>"` fields of all of them.
    let mut covered: BTreeSet<String> = ALL_CASES.iter().map(|c| c.op.to_string()).collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for entry in std::fs::read_dir(&dir).expect("read reference/tests") {
        let path = entry.expect("list reference/tests").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("fixtures_") && name.ends_with(".rs") {
            let text = std::fs::read_to_string(&path).expect("read a fixtures file");
            for line in text.lines() {
                if let Some(rest) = line.trim().strip_prefix("op: \"") {
                    covered.insert(rest.split('"').next().unwrap_or("").to_string());
                }
            }
        }
    }
    for op in kernelsmith_reference::registry::OPS {
        assert!(
            covered.contains(op.path),
            "no numpy case for `{}`: add one to a generator in oracle/ (gen_*.py)",
            op.path
        );
    }
}

#[test]
fn a_wrong_answer_is_reported_as_a_mismatch() {
    // Guard against a comparison that always passes: feed the relu case's expected values to
    // the gelu operator and make sure `check` rejects it.
    let wrong = Case { op: "activation::gelu_erf", ..fixtures_generated::RELU };
    let result = std::panic::catch_unwind(|| check(&wrong));
    assert!(result.is_err(), "gelu output compared equal to relu output");
}
