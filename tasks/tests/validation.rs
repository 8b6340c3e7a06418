//! Loading validates task files and every problem names the file, the line and the field.

use kernelsmith_tasks::{Registry, SizeName, Task, TaskError};
use std::collections::BTreeMap;
use std::path::Path;

const GOOD: &str = r#"id: toy_scale
category: activation
title: Toy scale
source: "test"
description: y = 2 x
dims: [N, M]
derived:
  NM: "N * M"
attrs: { factor: 2 }
inputs:
  - { name: x, dtype: f32, shape: [N, M], init: { dist: normal, std: 1.0 } }
outputs:
  - { name: y, dtype: f32, shape: [N, M] }
sizes:
  tiny: { N: 2, M: 3 }
  cpu: { N: 4, M: 5 }
  gpu: { N: 8, M: 9 }
  heldout: { N: 3, M: 7 }
tolerance: { atol: 1.0e-6, rtol: 1.0e-6 }
reference: activation::relu
"#;

fn files() -> BTreeMap<String, String> {
    BTreeMap::from([("baseline.c".to_string(), "int toy_scale(void);".to_string())])
}

fn parse(text: &str) -> Result<Task, Vec<TaskError>> {
    Task::parse(
        Path::new("tasks/catalog/activation/toy_scale/task.yaml"),
        text,
        Some("toy_scale"),
        Some("activation"),
        files(),
    )
}

/// Parse `GOOD` with `from` replaced by `to`, expecting exactly one error; return it.
fn one_error(from: &str, to: &str) -> TaskError {
    assert!(GOOD.contains(from), "fixture lacks {from:?}");
    let errs = parse(&GOOD.replacen(from, to, 1)).expect_err("should be rejected");
    assert_eq!(errs.len(), 1, "{errs:#?}");
    errs.into_iter().next().unwrap()
}

fn check(e: &TaskError, line: u64, field: &str, needle: &str) {
    let shown = e.to_string();
    assert_eq!(e.line, Some(line), "{shown}");
    assert_eq!(e.field, field, "{shown}");
    assert!(shown.contains(needle), "{shown:?} lacks {needle:?}");
    assert!(
        shown.starts_with(&format!("tasks/catalog/activation/toy_scale/task.yaml:{line}: field `{field}`")),
        "{shown}"
    );
}

#[test]
fn a_good_spec_loads_and_resolves_every_size() {
    let t = parse(GOOD).unwrap();
    assert_eq!(t.dims, vec!["N", "M"]);
    let r = t.resolve(SizeName::Heldout).unwrap();
    assert_eq!(r.dim_values, vec![3, 7]);
    assert_eq!(r.dims["NM"], 21);
    assert_eq!(r.input_shapes, vec![vec![3, 7]]);
}

#[test]
fn unknown_category_names_line_and_field() {
    let e = one_error("category: activation", "category: activations");
    check(&e, 2, "category", "unknown category `activations`");
}

#[test]
fn undefined_dim_symbol_in_a_shape_names_the_shape_entry() {
    let e = one_error("shape: [N, M], init", "shape: [N, K], init");
    check(&e, 11, "inputs[0].shape[1]", "undefined dim symbol(s) K");
}

#[test]
fn undefined_symbol_in_a_derived_dim_is_reported() {
    let e = one_error("NM: \"N * M\"", "NM: \"N * Q\"");
    check(&e, 8, "derived.NM", "undefined symbol(s) Q");
}

#[test]
fn missing_reference_is_reported_with_its_line() {
    let e = one_error("reference: activation::relu", "reference: activation::nope");
    check(&e, 20, "reference", "no reference operator `activation::nope`");
}

#[test]
fn unknown_dtype_is_reported() {
    let e = one_error("dtype: f32, shape: [N, M] }", "dtype: f64, shape: [N, M] }");
    check(&e, 13, "outputs[0].dtype", "unknown dtype `f64`");
}

#[test]
fn a_size_preset_missing_a_dim_is_reported() {
    let e = one_error("cpu: { N: 4, M: 5 }", "cpu: { N: 4 }");
    check(&e, 16, "sizes.cpu", "no value for dim `M`");
}

#[test]
fn an_unknown_field_is_a_yaml_error_with_position() {
    let errs = parse(&GOOD.replace("title: Toy scale", "title: Toy scale\ntitel: typo")).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].field, "titel");
    assert_eq!(errs[0].line, Some(4), "{}", errs[0]);
}

#[test]
fn malformed_yaml_reports_a_line() {
    let errs = parse("id: x\ncategory: [unclosed\n").unwrap_err();
    assert!(errs[0].line.is_some(), "{}", errs[0]);
}

#[test]
fn missing_baseline_is_reported() {
    let errs = Task::parse(Path::new("t/task.yaml"), GOOD, None, None, BTreeMap::new()).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].field, "baseline");
    assert!(errs[0].message.contains("missing `baseline.c`"));
}

#[test]
fn a_constraint_that_fails_at_one_size_names_the_size() {
    let text = GOOD.replace("attrs: { factor: 2 }", "attrs: { factor: 2 }\nconstraints: [\"M % 2 == 0\"]");
    let errs = parse(&text).unwrap_err();
    assert!(errs.iter().any(|e| e.field == "constraints" && e.message.contains("at size `tiny`")), "{errs:#?}");
}

#[test]
fn shape_mismatch_between_spec_and_reference_is_caught_by_check_reference() {
    // relu returns the input's shape; the spec claims a different output shape.
    let t =
        parse(&GOOD.replace("- { name: y, dtype: f32, shape: [N, M] }", "- { name: y, dtype: f32, shape: [M, N] }"))
            .unwrap();
    let e = t.check_reference().unwrap_err();
    assert_eq!(e.field, "outputs[0].shape");
    assert_eq!(e.line, Some(13), "{e}");
    assert!(e.message.contains("shape mismatch between spec and reference"), "{e}");
}

#[test]
fn id_must_match_folder() {
    let errs = Task::parse(Path::new("x/task.yaml"), GOOD, Some("other"), None, files()).unwrap_err();
    assert!(errs[0].message.contains("differs from its folder name `other`"));
}

#[test]
fn the_built_in_catalogue_loads_and_every_reference_matches_its_spec() {
    let reg = Registry::embedded().unwrap();
    assert!(reg.tasks().len() >= 12);
    for t in reg.tasks() {
        t.check_reference().unwrap_or_else(|e| panic!("{e}"));
        assert!(t.baseline("baseline.c").is_some(), "{} lacks baseline.c", t.id);
        for s in SizeName::ALL {
            t.resolve(s).unwrap();
        }
    }
    // Every category present has exactly one exemplar.
    let cats: std::collections::BTreeSet<&str> = reg.tasks().iter().map(|t| t.category.as_str()).collect();
    for c in cats {
        let n = reg.tasks().iter().filter(|t| t.category == c && t.exemplar).count();
        assert_eq!(n, 1, "category {c} has {n} exemplars");
    }
}

#[test]
fn selection_by_id_and_category_and_unknown_names() {
    let reg = Registry::embedded().unwrap();
    let conv = reg.select("convolution").unwrap();
    assert!(conv.iter().all(|t| t.category == "convolution") && conv.len() >= 3);
    // Ids that are not also category names (`matmul` is both: it selects the whole category).
    let two = reg.select("relu, max_pool2d").unwrap();
    assert_eq!(two.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), vec!["relu", "max_pool2d"]);
    assert!(reg.select("nope").unwrap_err().to_string().contains("no task or category named `nope`"));
    let relu = reg.get("relu").unwrap();
    let ex = reg.exemplar_for(relu).unwrap();
    assert_eq!(ex.category, "activation");
    assert_ne!(ex.id, "relu");
}

#[test]
fn inputs_are_reproducible_per_seed() {
    let reg = Registry::embedded().unwrap();
    let t = reg.get("matmul").unwrap();
    let r = t.resolve(SizeName::Tiny).unwrap();
    assert_eq!(t.generate_inputs(&r, 5), t.generate_inputs(&r, 5));
    assert_ne!(t.generate_inputs(&r, 5), t.generate_inputs(&r, 6));
}
