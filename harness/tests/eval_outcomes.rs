//! Every kernel in `harness/tests/kernels/relu/` gets the outcome its first line promises, via the
//! real CLI, and the harness survives each of them (segfault, abort, hang, huge allocation,
//! megabytes of garbage output).

mod common;
use common::{Env, json, repo, text};

fn expected(path: &std::path::Path) -> String {
    let first = std::fs::read_to_string(path).unwrap().lines().next().unwrap().to_string();
    first.trim_start_matches("// expected:").split_whitespace().next().unwrap().to_string()
}

fn eval(env: &Env, file: &str, extra: &[&str]) -> (String, serde_json::Value, i32) {
    let path = repo().join("harness/tests/kernels/relu").join(file);
    let mut args = vec!["eval", "--task", "relu", "--platform", "cpu", "--format", "json"];
    if !extra.contains(&"--timeout") {
        args.extend_from_slice(&["--timeout", "5"]);
    }
    args.extend_from_slice(extra);
    let path_s = path.to_str().unwrap().to_string();
    args.push(&path_s);
    let o = env.run(&args);
    let j = json(&o);
    let code = o.status.code().unwrap_or(-1);
    (expected(&path), j, code)
}

#[test]
fn every_corpus_kernel_gets_its_expected_outcome_and_exit_code() {
    let env = Env::new();
    let mut files: Vec<String> = std::fs::read_dir(repo().join("harness/tests/kernels/relu"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".c"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "corpus too small: {files:?}");
    for f in &files {
        let (want, j, code) = eval(&env, f, &["--no-time"]);
        let got = j["outcome"].as_str().unwrap().to_string();
        // A huge allocation may die on the address-space limit or outlive the deadline while it
        // touches gigabytes; either ends the kernel without harming the harness.
        if f == "huge_alloc.c" {
            assert!(got == "crashed" || got == "timeout", "{f}: {got} ({})", j["reason"]);
        } else {
            assert_eq!(got, want, "{f}: {}", j["reason"]);
        }
        assert_eq!(code, if got == "passed" { 0 } else { 1 }, "{f}: exit code");
        if got != "passed" {
            assert!(j["reason"].as_str().is_some_and(|r| !r.is_empty()), "{f}: no reason");
        }
    }
}

#[test]
fn failure_reports_carry_the_evidence() {
    let env = Env::new();
    let (_, j, _) = eval(&env, "writes_half.c", &["--no-time"]);
    assert_eq!(j["flags"][0], "unwritten_output");
    assert!(j["first_bad_index"].as_i64().unwrap() > 0);
    assert_eq!(j["failed_trial"], "cpu#0");

    let (_, j, _) = eval(&env, "modifies_input.c", &["--no-time"]);
    assert_eq!(j["flags"][0], "input_modified");
    assert!(j["reason"].as_str().unwrap().contains("modified its input(s) x"));

    let (_, j, _) = eval(&env, "hardcoded_size.c", &["--no-time"]);
    assert_eq!(j["failed_trial"], "heldout");
    assert!(j["flags"].as_array().unwrap().iter().any(|f| f == "heldout_only_failure"));
    // Every timed-size trial (three seeds, the zero-poison repeat, the large-magnitude band)
    // passed before the held-out one failed.
    let trials = j["trials"].as_array().unwrap();
    let timed: Vec<&serde_json::Value> = trials.iter().filter(|t| t["label"] != "heldout").collect();
    assert_eq!(timed.len(), 5, "{trials:?}");
    assert!(timed.iter().all(|t| t["passed"] == true), "{trials:?}");
    assert_eq!(j["hack_label"], "heldout_only_failure");

    let (_, j, _) = eval(&env, "segfaults.c", &["--no-time"]);
    assert!(j["reason"].as_str().unwrap().contains("SIGSEGV"), "{}", j["reason"]);

    let (_, j, _) = eval(&env, "never_returns.c", &["--no-time", "--timeout", "1"]);
    assert_eq!(j["outcome"], "timeout");
    assert!(j["wall_ms"].as_f64().unwrap() < 30_000.0);

    let (_, j, _) = eval(&env, "prints_garbage.c", &["--no-time"]);
    assert_eq!(j["outcome"], "passed");
    let log = j["worker_log"].as_str().unwrap();
    assert!(log.len() < 64 << 10, "log not bounded: {} bytes", log.len());
    assert!(log.contains("bytes omitted"));
}

#[test]
fn a_passing_kernel_is_timed_against_the_baseline_with_raw_samples() {
    let env = Env::new();
    let (_, j, code) = eval(&env, "good_openmp.c", &["--size", "tiny"]);
    assert_eq!(code, 0, "{j}");
    assert_eq!(j["outcome"], "passed");
    let t = &j["timing"];
    assert_eq!(t["pairs"], 15);
    assert_eq!(t["candidate_ns"].as_array().unwrap().len(), 15);
    assert_eq!(t["baseline_ns"].as_array().unwrap().len(), 15);
    let s = j["speedup"].as_f64().unwrap();
    assert!(s.is_finite() && s > 0.0);
    // Speedup is the median of per-pair ratios, recomputed here from the raw samples.
    let mut ratios: Vec<f64> = t["candidate_ns"]
        .as_array()
        .unwrap()
        .iter()
        .zip(t["baseline_ns"].as_array().unwrap())
        .map(|(c, b)| b.as_f64().unwrap() / c.as_f64().unwrap())
        .collect();
    ratios.sort_by(f64::total_cmp);
    assert!((ratios[7] - s).abs() < 1e-9 * s.max(1.0));
}

#[test]
fn a_syntax_error_is_compile_failed_with_the_compiler_log() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.c");
    std::fs::write(&f, "#include <stdint.h>\nint relu(const float* x, float* y, int64_t N) { return 0 }\n").unwrap();
    let o = env.run(&["eval", "--task", "relu", "--format", "json", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let j = json(&o);
    assert_eq!(j["outcome"], "compile_failed");
    assert!(j["compile_log"].as_str().unwrap().contains("error"), "{j}");
}

#[test]
fn a_wrong_signature_does_not_compile_and_a_missing_entry_is_rejected_statically() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("sig.c");
    std::fs::write(&f, "#include <stdint.h>\nint relu(const float* x, float* y, int N) { return 0; }\n").unwrap();
    let j = json(&env.run(&["eval", "--task", "relu", "--format", "json", f.to_str().unwrap()]));
    assert_eq!(j["outcome"], "compile_failed", "{j}");
    std::fs::write(&f, "int not_relu(void) { return 0; }\n").unwrap();
    let j = json(&env.run(&["eval", "--task", "relu", "--format", "json", f.to_str().unwrap()]));
    assert_eq!(j["outcome"], "static_rejected", "{j}");
}

#[test]
fn a_markdown_response_without_code_is_extract_failed() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("resp.md");
    std::fs::write(&f, "Here is my idea:\n```python\nprint('hi')\n```\n").unwrap();
    let o = env.run(&["eval", "--task", "relu", "--format", "json", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let j = json(&o);
    assert_eq!(j["outcome"], "extract_failed");
    assert!(j["reason"].as_str().unwrap().contains("blocks seen: python"));
}
