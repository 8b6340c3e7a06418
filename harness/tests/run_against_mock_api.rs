//! `kernelsmith run` against a local server that speaks the real OpenAI and Anthropic wire formats
//! (SSE streams, error bodies, Retry-After): every case ends in a stored result or a clear,
//! recorded error, with exactly one row per (task, sample, turn).

mod common;
#[path = "support/mock_api.rs"]
mod mock_api;

use common::{Env, json, text};
use mock_api::MockApi;

const RELU: &str = "Here you go.\n```c\n#include <stdint.h>\nint relu(const float* x, float* y, int64_t N) {\n    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;\n    return 0;\n}\n```\n";

fn run(env: &Env, mock: &MockApi, model: &str, run_id: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "run",
        "--model",
        model,
        "--platform",
        "cpu",
        "--tasks",
        "relu",
        "--no-time",
        "--size",
        "tiny",
        "--run-id",
        run_id,
        "--base-url",
        &mock.base_url,
    ];
    args.extend_from_slice(extra);
    env.cmd().args(&args).env("ANTHROPIC_API_KEY", "sk-test-SECRET").env_remove("OPENAI_API_KEY").output().unwrap()
}

/// (outcome, reasoning tokens, samples) of the run's single task.
fn result(env: &Env, run_id: &str) -> (String, i64, u64) {
    let rows = json(&env.run(&["leaderboard", "--run", run_id, "--by", "task", "--format", "json"]));
    let r = &rows.as_array().unwrap_or_else(|| panic!("no rows for {run_id}"))[0];
    let outcome = r["outcomes"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, v)| v.as_u64().unwrap_or(0) > 0)
        .map(|(k, _)| k.clone())
        .unwrap();
    (outcome, r["reasoning_tokens"].as_i64().unwrap(), r["n_samples"].as_u64().unwrap())
}

#[test]
fn every_wire_format_case_ends_in_a_stored_result_or_a_recorded_error() {
    let env = Env::new();
    let mock = MockApi::start_in_background(RELU.to_string());
    // (model, extra flags, expected outcome, expects reasoning)
    let cases: &[(&str, &[&str], &str, bool)] = &[
        ("openai-compatible:ok", &[], "passed", false),
        ("openai-compatible:ok-plain", &["--no-stream"], "passed", false),
        ("openai-compatible:reasoning-deepseek", &[], "passed", true),
        ("openai-compatible:reasoning-openrouter", &["--no-stream"], "passed", true),
        ("openai-compatible:think-tags", &[], "passed", true),
        ("openai-compatible:usage-null-choices", &[], "passed", false),
        ("openai-compatible:rate-limited-once", &[], "passed", false),
        ("openai-compatible:server-error-once", &[], "passed", false),
        ("openai-compatible:malformed-json", &["--attempts", "2"], "generation_error", false),
        ("openai-compatible:cut-stream", &["--attempts", "2"], "generation_error", false),
        ("openai-compatible:slow", &["--attempts", "1", "--request-timeout", "1"], "generation_error", false),
        ("anthropic:ok", &[], "passed", false),
        ("anthropic:reasoning-deepseek", &[], "passed", true),
        ("anthropic:ok?thinking=2048", &[], "passed", true),
        ("anthropic:overloaded-once", &[], "passed", false),
    ];
    for (i, (model, extra, want, reasoning)) in cases.iter().enumerate() {
        let run_id = format!("case{i}");
        let o = run(&env, &mock, model, &run_id, extra);
        assert_eq!(o.status.code(), Some(0), "{model}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("SECRET"), "{model} leaked the key: {err}");
        let (outcome, reasoning_tokens, n) = result(&env, &run_id);
        assert_eq!(n, 1, "{model}");
        assert_eq!(&outcome, want, "{model}: {err}");
        assert_eq!(reasoning_tokens > 0, *reasoning, "{model}: reasoning tokens {reasoning_tokens}");
        if *want == "generation_error" {
            assert!(err.contains("generation_error —"), "{model}: the error is not shown: {err}");
        }
        // Running the same run id again adds no row and sends no request.
        let before = mock.requests();
        let o = run(&env, &mock, model, &run_id, extra);
        assert_eq!(o.status.code(), Some(0), "{model} (again): {}", text(&o));
        assert_eq!(result(&env, &run_id).2, 1, "{model}: duplicated");
        assert_eq!(mock.requests(), before, "{model}: a finished sample was asked again");
    }
    // The retries really happened and honoured Retry-After.
    assert_eq!(mock.requests_for("rate-limited-once"), 2);
    assert_eq!(mock.requests_for("cut-stream"), 2);
}

#[test]
fn quota_errors_stop_the_run_without_recording_and_say_why() {
    let env = Env::new();
    let mock = MockApi::start_in_background(RELU.to_string());
    let o = run(&env, &mock, "openai-compatible:quota", "q", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("quota") && err.contains("stopping the run"), "{err}");
    assert_eq!(mock.requests_for("quota"), 1, "quota errors must not be retried");
    let o = env.run(&["leaderboard", "--run", "q", "--format", "json"]);
    assert!(o.stdout.is_empty() || json(&o).as_array().unwrap().is_empty(), "{}", text(&o));
}

#[test]
fn identical_requests_are_answered_from_the_response_cache() {
    let env = Env::new();
    let mock = MockApi::start_in_background(RELU.to_string());
    let o = run(&env, &mock, "openai-compatible:ok", "c1", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let after_first = mock.requests();
    let o = run(&env, &mock, "openai-compatible:ok", "c2", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("(cached)"), "{}", text(&o));
    assert_eq!(mock.requests(), after_first, "the second run asked the API again");
    assert_eq!(result(&env, "c2").0, "passed");
}

#[test]
fn many_samples_run_concurrently_and_each_is_stored_once() {
    let env = Env::new();
    let mock = MockApi::start_in_background(RELU.to_string());
    mock.set_latency(std::time::Duration::from_millis(300));
    let t0 = std::time::Instant::now();
    let o = run(
        &env,
        &mock,
        "openai-compatible:ok",
        "many",
        &["--samples", "16", "--concurrency", "16", "--temperature", "0.7"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let (outcome, _, n) = result(&env, "many");
    assert_eq!((outcome.as_str(), n), ("passed", 16));
    // 16 requests of 300 ms each, one at a time, would take ≥ 4.8 s of waiting alone.
    assert!(t0.elapsed() < std::time::Duration::from_secs(60));
    assert_eq!(mock.requests(), 16);
}

#[test]
fn requests_per_minute_spaces_requests_out() {
    let env = Env::new();
    let mock = MockApi::start_in_background(RELU.to_string());
    let t0 = std::time::Instant::now();
    // 120 requests per minute = one every 0.5 s: four requests need at least 1.5 s.
    let o = run(
        &env,
        &mock,
        "openai-compatible:ok",
        "rpm",
        &["--samples", "4", "--concurrency", "4", "--rpm", "120", "--temperature", "0.5"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(t0.elapsed() >= std::time::Duration::from_millis(1500), "{:?}", t0.elapsed());
    assert_eq!(mock.requests(), 4);
}
