//! The model-API providers against the mock server (`support/mock_api.rs`), over real HTTP.
//!
//! `kernelsmith` is a binary crate, so the providers module is compiled into this test crate
//! with `#[path]` (it depends only on crates the package already has); the unit tests inside the
//! module (SSE parser, Retry-After dates, ...) run here too. Keys and base URLs come from an
//! explicit environment (`from_spec_with_env`), never from the process environment.

#[path = "../src/providers/mod.rs"]
#[allow(dead_code)]
mod providers;

#[path = "support/mock_api.rs"]
mod mock_api;

use mock_api::{MockApi, REASONING};
use providers::retry::{RetryPolicy, complete_with_retry, complete_with_retry_notify};
use providers::sse::{SseEvent, SseParser};
use providers::{
    Completion, CompletionRequest, Message, Provider, ProviderError, ProviderOptions, Role, Sampling,
    from_spec_with_env,
};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const KEY: &str = "sk-test-SECRET";
const ANSWER: &str = "Here is the kernel → µs-fast:\n\n```c\nvoid add(const float* a, const float* b, float* c, int n) {\n    for (int i = 0; i < n; i++) c[i] = a[i] + b[i];\n}\n```\n";

fn words(s: &str) -> i64 {
    s.split_whitespace().count() as i64
}

fn counted(s: &str) -> i64 {
    (s.chars().count() as i64 + 3) / 4
}

fn request() -> CompletionRequest {
    CompletionRequest {
        messages: vec![
            Message { role: Role::System, content: "You write fast C kernels.".into() },
            Message { role: Role::User, content: "Write a kernel for vector add.".into() },
        ],
        sampling: Sampling { temperature: Some(0.0), top_p: None, max_tokens: 1024 },
        task_id: "vector_add".into(),
        platform: "cpu".into(),
        sample_idx: 0,
        turn: 0,
    }
}

fn prompt_words() -> i64 {
    request().messages.iter().map(|m| words(&m.content)).sum()
}

fn test_env(var: &str) -> Option<String> {
    match var {
        "OPENAI_API_KEY" | "ANTHROPIC_API_KEY" | "DEEPSEEK_API_KEY" => Some(KEY.to_string()),
        _ => None,
    }
}

fn no_env(_: &str) -> Option<String> {
    None
}

/// The two wire formats: an OpenAI-style spec prefix, or Anthropic.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Wire {
    OpenAi,
    Anthropic,
}

const WIRES: [Wire; 2] = [Wire::OpenAi, Wire::Anthropic];

fn opts(mock: &MockApi, wire: Wire, stream: bool, timeout: Duration) -> ProviderOptions {
    let base = match wire {
        Wire::OpenAi => mock.base_url.clone(),
        Wire::Anthropic => mock.anthropic_base_url.clone(),
    };
    ProviderOptions { base_url: Some(base), timeout, stream }
}

fn provider(mock: &MockApi, wire: Wire, model: &str, stream: bool) -> Box<dyn Provider> {
    provider_t(mock, wire, model, stream, Duration::from_secs(10))
}

fn provider_t(mock: &MockApi, wire: Wire, model: &str, stream: bool, timeout: Duration) -> Box<dyn Provider> {
    let spec = match wire {
        Wire::OpenAi => format!("openai:{model}"),
        Wire::Anthropic => format!("anthropic:{model}"),
    };
    from_spec_with_env(&spec, &opts(mock, wire, stream, timeout), &test_env).expect("provider")
}

fn quick() -> RetryPolicy {
    RetryPolicy { max_attempts: 3, base_delay: Duration::from_millis(10), max_delay: Duration::from_millis(50) }
}

/// No error, however it is printed, contains the key.
fn assert_no_key(e: &ProviderError) {
    let shown = format!("{e} / {e:?}");
    assert!(!shown.contains(KEY), "the key leaked into an error: {shown}");
    assert!(!shown.contains("SECRET"), "part of the key leaked into an error: {shown}");
}

async fn ok(p: &dyn Provider) -> Completion {
    match complete_with_retry(p, &request(), &quick()).await {
        Ok(c) => c,
        Err(e) => panic!("{}: {e}", p.id()),
    }
}

async fn err(p: &dyn Provider, policy: &RetryPolicy) -> ProviderError {
    let e = complete_with_retry(p, &request(), policy).await.expect_err("expected an error");
    assert_no_key(&e);
    e
}

fn case(wire: Wire, stream: bool) -> String {
    format!("{wire:?} stream={stream}")
}

// ---------------------------------------------------------------------------------------------
// Answers

#[tokio::test]
async fn ok_returns_text_and_token_counts() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    mock.set_required_key(Some(KEY));
    for wire in WIRES {
        for stream in [true, false] {
            let c = ok(provider(&mock, wire, "ok", stream).as_ref()).await;
            let case = case(wire, stream);
            assert_eq!(c.text, ANSWER, "{case}");
            assert_eq!(c.reasoning, None, "{case}");
            assert_eq!(c.reasoning_source, None, "{case}");
            assert_eq!(c.prompt_tokens, Some(prompt_words()), "{case}");
            assert_eq!(c.completion_tokens, Some(words(ANSWER)), "{case}");
            assert_eq!(c.attempts, 1, "{case}");
            assert!(c.latency_ms > 0.0, "{case}");
            match wire {
                // OpenAI reports `reasoning_tokens: 0` for every model.
                Wire::OpenAi => {
                    assert_eq!(c.reasoning_tokens, Some(0), "{case}");
                    assert_eq!(c.reasoning_tokens_source.as_deref(), Some("reported"), "{case}");
                    assert_eq!(c.finish_reason.as_deref(), Some("stop"), "{case}");
                }
                Wire::Anthropic => {
                    assert_eq!(c.reasoning_tokens, None, "{case}");
                    assert_eq!(c.reasoning_tokens_source, None, "{case}");
                    assert_eq!(c.finish_reason.as_deref(), Some("end_turn"), "{case}");
                }
            }
        }
    }
    assert_eq!(mock.requests_for("ok"), 4);
}

#[tokio::test]
async fn deepseek_reasoning_content_is_the_trace_with_reported_tokens() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for stream in [true, false] {
        // through the `deepseek:` spec (base overridden to the mock)
        let o = ProviderOptions { base_url: Some(mock.base_url.clone()), stream, ..ProviderOptions::default() };
        let p = from_spec_with_env("deepseek:reasoning-deepseek", &o, &test_env).unwrap();
        let c = ok(p.as_ref()).await;
        assert_eq!(c.text, ANSWER, "stream={stream}");
        assert_eq!(c.reasoning.as_deref(), Some(REASONING), "stream={stream}");
        assert_eq!(c.reasoning_source.as_deref(), Some("reasoning_content"), "stream={stream}");
        assert_eq!(c.reasoning_tokens, Some(words(REASONING)), "stream={stream}");
        assert_eq!(c.reasoning_tokens_source.as_deref(), Some("reported"), "stream={stream}");
        assert_eq!(c.completion_tokens, Some(words(ANSWER) + words(REASONING)), "stream={stream}");
        assert_eq!(c.prompt_tokens, Some(prompt_words()), "stream={stream}");
    }
    // DeepSeek gets `max_tokens`, not `max_completion_tokens`.
    let body = mock.last_request("reasoning-deepseek").unwrap().body;
    assert_eq!(body["max_tokens"], 1024);
    assert!(body.get("max_completion_tokens").is_none());
}

#[tokio::test]
async fn reasoning_fields_and_thinking_blocks_are_captured() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for wire in WIRES {
        for stream in [true, false] {
            for model in ["reasoning-openrouter", "reasoning-deepseek"] {
                let c = ok(provider(&mock, wire, model, stream).as_ref()).await;
                let case = format!("{} {model}", case(wire, stream));
                assert_eq!(c.text, ANSWER, "{case}");
                assert_eq!(c.reasoning.as_deref(), Some(REASONING), "{case}");
                assert_eq!(c.completion_tokens, Some(words(ANSWER) + words(REASONING)), "{case}");
                let (source, tokens, tsource) = match (wire, model) {
                    (Wire::OpenAi, "reasoning-openrouter") => ("reasoning", counted(REASONING), "counted (chars/4)"),
                    (Wire::OpenAi, _) => ("reasoning_content", words(REASONING), "reported"),
                    (Wire::Anthropic, _) => ("anthropic_thinking", counted(REASONING), "counted (chars/4)"),
                };
                assert_eq!(c.reasoning_source.as_deref(), Some(source), "{case}");
                assert_eq!(c.reasoning_tokens, Some(tokens), "{case}");
                assert_eq!(c.reasoning_tokens_source.as_deref(), Some(tsource), "{case}");
            }
        }
    }
}

#[tokio::test]
async fn think_tags_move_to_the_reasoning() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    let content = format!("<think>{REASONING}</think>\n\n{ANSWER}");
    for wire in WIRES {
        for stream in [true, false] {
            let c = ok(provider(&mock, wire, "think-tags", stream).as_ref()).await;
            let case = case(wire, stream);
            assert_eq!(c.text, ANSWER, "{case}");
            assert_eq!(c.reasoning.as_deref(), Some(REASONING), "{case}");
            assert_eq!(c.reasoning_source.as_deref(), Some("think_tags"), "{case}");
            assert_eq!(c.completion_tokens, Some(words(&content)), "{case}");
            match wire {
                // the server reported 0 reasoning tokens although there is a trace: counted
                Wire::OpenAi | Wire::Anthropic => {
                    assert_eq!(c.reasoning_tokens, Some(counted(REASONING)), "{case}");
                    assert_eq!(c.reasoning_tokens_source.as_deref(), Some("counted (chars/4)"), "{case}");
                }
            }
        }
    }
}

#[tokio::test]
async fn usage_chunk_with_null_choices() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for stream in [true, false] {
        let c = ok(provider(&mock, Wire::OpenAi, "usage-null-choices", stream).as_ref()).await;
        assert_eq!(c.text, ANSWER);
        assert_eq!(c.prompt_tokens, Some(prompt_words()));
        assert_eq!(c.completion_tokens, Some(words(ANSWER)));
        assert_eq!(c.finish_reason.as_deref(), Some("stop"));
    }
}

#[tokio::test]
async fn anthropic_thinking_parameter_from_the_spec() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for stream in [true, false] {
        let c = ok(provider(&mock, Wire::Anthropic, "ok?thinking=2048", stream).as_ref()).await;
        assert_eq!(c.reasoning.as_deref(), Some(REASONING));
        assert_eq!(c.reasoning_source.as_deref(), Some("anthropic_thinking"));
        let body = mock.last_request("ok").unwrap().body;
        assert_eq!(body["thinking"], serde_json::json!({"type": "enabled", "budget_tokens": 2048}));
        assert!(body.get("temperature").is_none(), "temperature is rejected with thinking on: {body}");
    }
    let bad = from_spec_with_env(
        "anthropic:ok?thinking=lots",
        &opts(&mock, Wire::Anthropic, true, Duration::from_secs(1)),
        &test_env,
    );
    assert!(matches!(bad, Err(ProviderError::BadSpec(_))));
    let bad =
        from_spec_with_env("openai:ok?color=red", &opts(&mock, Wire::OpenAi, true, Duration::from_secs(1)), &test_env);
    assert!(matches!(bad, Err(ProviderError::BadSpec(m)) if m.contains("color=red")));
}

// ---------------------------------------------------------------------------------------------
// What goes on the wire

#[tokio::test]
async fn request_bodies_and_headers_follow_each_api() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    // openai: max_completion_tokens, bearer key, stream options
    ok(provider(&mock, Wire::OpenAi, "ok", true).as_ref()).await;
    let r = mock.last_request("ok").unwrap();
    assert_eq!(r.path, "/v1/chat/completions");
    assert_eq!(r.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(r.body["max_completion_tokens"], 1024);
    assert!(r.body.get("max_tokens").is_none());
    assert_eq!(r.body["temperature"], 0.0);
    assert!(r.body.get("top_p").is_none(), "top_p only when set");
    assert_eq!(r.body["stream"], true);
    assert_eq!(r.body["stream_options"]["include_usage"], true);
    assert_eq!(r.body["messages"][0], serde_json::json!({"role": "system", "content": "You write fast C kernels."}));
    assert_eq!(r.body["model"], "ok");

    // openai reasoning models: no temperature (the API rejects it); reasoning_effort from the spec
    let p = provider(&mock, Wire::OpenAi, "o4-mini?reasoning_effort=high", false);
    assert_eq!(p.id(), format!("openai:o4-mini?reasoning_effort=high@{}", mock.base_url));
    ok(p.as_ref()).await;
    let r = mock.last_request("o4-mini").unwrap();
    assert!(r.body.get("temperature").is_none());
    assert_eq!(r.body["reasoning_effort"], "high");
    assert!(r.body.get("stream").is_none());

    // openai-compatible: max_tokens, no key needed and none sent
    let o = ProviderOptions { base_url: Some(mock.base_url.clone()), ..ProviderOptions::default() };
    let p = from_spec_with_env("openai-compatible:local-model", &o, &no_env).unwrap();
    assert_eq!(p.id(), format!("openai-compatible:local-model@{}", mock.base_url));
    ok(p.as_ref()).await;
    let r = mock.last_request("local-model").unwrap();
    assert_eq!(r.body["max_tokens"], 1024);
    assert!(r.body.get("max_completion_tokens").is_none());
    assert_eq!(r.header("authorization"), None);

    // anthropic: system at the top level, x-api-key, version, max_tokens
    ok(provider(&mock, Wire::Anthropic, "claude-test", true).as_ref()).await;
    let r = mock.last_request("claude-test").unwrap();
    assert_eq!(r.path, "/v1/messages");
    assert_eq!(r.header("x-api-key"), Some(KEY));
    assert_eq!(r.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(r.header("authorization"), None);
    assert_eq!(r.body["system"], "You write fast C kernels.");
    assert_eq!(r.body["messages"], serde_json::json!([{"role": "user", "content": "Write a kernel for vector add."}]));
    assert_eq!(r.body["max_tokens"], 1024);
    assert_eq!(r.body["stream"], true);
    assert_eq!(r.body["temperature"], 0.0);

    // a base URL that already ends in /v1 works for Anthropic too
    let o = ProviderOptions { base_url: Some(mock.base_url.clone()), ..ProviderOptions::default() };
    let p = from_spec_with_env("anthropic:claude-v1-base", &o, &test_env).unwrap();
    ok(p.as_ref()).await;
    assert_eq!(mock.last_request("claude-v1-base").unwrap().path, "/v1/messages");
}

#[tokio::test]
async fn specs_keys_and_ids() {
    let o = ProviderOptions::default();
    // default bases: the id is the spec
    assert_eq!(from_spec_with_env("openai:gpt-4.1", &o, &test_env).unwrap().id(), "openai:gpt-4.1");
    assert_eq!(
        from_spec_with_env("anthropic:claude-sonnet-4-5", &o, &test_env).unwrap().id(),
        "anthropic:claude-sonnet-4-5"
    );
    assert_eq!(
        from_spec_with_env("deepseek:deepseek-reasoner", &o, &test_env).unwrap().id(),
        "deepseek:deepseek-reasoner"
    );
    // missing keys
    for (spec, var) in [
        ("openai:gpt-4.1", "OPENAI_API_KEY"),
        ("anthropic:claude-sonnet-4-5", "ANTHROPIC_API_KEY"),
        ("deepseek:deepseek-chat", "DEEPSEEK_API_KEY"),
    ] {
        match from_spec_with_env(spec, &o, &no_env) {
            Err(ProviderError::MissingKey { var: v }) => assert_eq!(v, var),
            Err(e) => panic!("{spec}: {e}"),
            Ok(_) => panic!("{spec}: built without a key"),
        }
    }
    // an empty variable counts as unset
    let empty = |v: &str| (v == "OPENAI_API_KEY").then(String::new);
    assert!(matches!(from_spec_with_env("openai:gpt-4.1", &o, &empty), Err(ProviderError::MissingKey { .. })));
    // openai-compatible needs a server: --base-url or OPENAI_BASE_URL
    assert!(matches!(from_spec_with_env("openai-compatible:qwen", &o, &no_env), Err(ProviderError::BadSpec(_))));
    let base_env = |v: &str| (v == "OPENAI_BASE_URL").then(|| "http://localhost:8000/v1/".to_string());
    let p = from_spec_with_env("openai-compatible:qwen", &o, &base_env).unwrap();
    assert_eq!(p.id(), "openai-compatible:qwen@http://localhost:8000/v1");
    // OPENAI_BASE_URL also moves openai:, and then the id names the server
    let both = |v: &str| match v {
        "OPENAI_BASE_URL" => Some("https://proxy.example/v1".to_string()),
        other => test_env(other),
    };
    assert_eq!(
        from_spec_with_env("openai:gpt-4.1", &o, &both).unwrap().id(),
        "openai:gpt-4.1@https://proxy.example/v1"
    );
    // --base-url beats the environment
    let o2 = ProviderOptions { base_url: Some("http://127.0.0.1:9/v1".into()), ..ProviderOptions::default() };
    assert_eq!(from_spec_with_env("openai:gpt-4.1", &o2, &both).unwrap().id(), "openai:gpt-4.1@http://127.0.0.1:9/v1");
    // bad specs
    for spec in ["gpt-4.1", "openai:", "mystery:model", "replay:/definitely/not/here"] {
        assert!(matches!(from_spec_with_env(spec, &o, &test_env), Err(ProviderError::BadSpec(_))), "{spec}");
    }
    let bad_base = ProviderOptions { base_url: Some("ftp://x".into()), ..ProviderOptions::default() };
    assert!(matches!(from_spec_with_env("openai:gpt-4.1", &bad_base, &test_env), Err(ProviderError::BadSpec(_))));
    // user:password in a base URL never reaches the id
    let creds =
        ProviderOptions { base_url: Some("http://user:pw@localhost:8000/v1".into()), ..ProviderOptions::default() };
    let id = from_spec_with_env("openai-compatible:m", &creds, &no_env).unwrap().id();
    assert!(!id.contains("pw"), "{id}");
}

// ---------------------------------------------------------------------------------------------
// Resilience

#[tokio::test]
async fn rate_limit_waits_at_least_retry_after_then_succeeds() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for wire in WIRES {
        let model = format!("rate-limited-once:{wire:?}");
        let p = provider(&mock, wire, &model, true);
        let waits = Arc::new(Mutex::new(Vec::new()));
        let w = waits.clone();
        let t0 = Instant::now();
        let c = complete_with_retry_notify(p.as_ref(), &request(), &quick(), &move |attempt, e, wait| {
            assert_no_key(e);
            w.lock().unwrap().push((attempt, e.clone(), wait));
        })
        .await
        .unwrap();
        let elapsed = t0.elapsed();
        assert_eq!(c.attempts, 2, "{wire:?}");
        assert_eq!(c.text, ANSWER);
        assert!(elapsed >= Duration::from_secs(1), "{wire:?}: waited only {elapsed:?} despite Retry-After: 1");
        assert_eq!(mock.requests_for(&model), 2);
        let waits = waits.lock().unwrap();
        assert_eq!(waits.len(), 1);
        let (attempt, e, wait) = &waits[0];
        assert_eq!(*attempt, 1);
        assert!(
            matches!(e, ProviderError::Http { status: 429, retry_after: Some(d), .. } if *d == Duration::from_secs(1)),
            "{e:?}"
        );
        assert!(*wait >= Duration::from_secs(1), "the wait {wait:?} is below Retry-After");
    }
}

#[tokio::test]
async fn server_errors_overload_and_in_stream_errors_are_retried_once() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for scenario in ["server-error-once", "overloaded-once", "stream-error-once"] {
        for wire in WIRES {
            for stream in [true, false] {
                if scenario == "stream-error-once" && !stream {
                    continue; // no stream, no in-stream error
                }
                let model = format!("{scenario}:{wire:?}:{stream}");
                let p = provider(&mock, wire, &model, stream);
                let first = p.complete(&request()).await.expect_err("the first attempt fails");
                assert_no_key(&first);
                assert!(first.is_retryable(), "{model}: {first:?}");
                match scenario {
                    "server-error-once" => {
                        assert!(matches!(first, ProviderError::Http { status: 500, .. }), "{first:?}")
                    }
                    "overloaded-once" => assert!(matches!(first, ProviderError::Http { status: 529, .. }), "{first:?}"),
                    _ => assert!(matches!(first, ProviderError::Api { .. }), "{model}: {first:?}"),
                }
                // and through the retry loop, from scratch
                let model2 = format!("{model}:retry");
                let p = provider(&mock, wire, &model2, stream);
                let c = ok(p.as_ref()).await;
                assert_eq!(c.attempts, 2, "{model2}");
                assert_eq!(c.text, ANSWER, "{model2}");
                assert_eq!(mock.requests_for(&model2), 2, "{model2}");
            }
        }
    }
}

#[tokio::test]
async fn always_500_exhausts_the_attempts() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for wire in WIRES {
        let model = format!("always-500:{wire:?}");
        let e = err(provider(&mock, wire, &model, true).as_ref(), &quick()).await;
        match &e {
            ProviderError::Exhausted { attempts: 3, last } => {
                assert!(matches!(**last, ProviderError::Http { status: 500, .. }), "{last:?}")
            }
            other => panic!("{wire:?}: {other:?}"),
        }
        assert!(!e.is_retryable());
        assert_eq!(mock.requests_for(&model), 3);
    }
}

#[tokio::test]
async fn quota_and_unauthorized_are_not_retried() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for wire in WIRES {
        let model = format!("quota:{wire:?}");
        let e = err(provider(&mock, wire, &model, true).as_ref(), &RetryPolicy::default()).await;
        assert!(matches!(&e, ProviderError::Quota(m) if m.contains("quota") || m.contains("credit balance")), "{e:?}");
        assert!(e.to_string().contains("not retried"), "{e}");
        assert_eq!(mock.requests_for(&model), 1, "{wire:?}");

        // the mock echoes the presented key in its 401 body: it must come back redacted
        let model = format!("unauthorized:{wire:?}");
        let e = err(provider(&mock, wire, &model, false).as_ref(), &RetryPolicy::default()).await;
        match &e {
            ProviderError::Http { status: 401, body, .. } => {
                assert!(body.contains("[redacted]"), "{body}");
                assert!(body.contains("Incorrect API key"), "{body}");
            }
            other => panic!("{other:?}"),
        }
        assert!(!e.is_retryable());
        assert_eq!(mock.requests_for(&model), 1, "{wire:?}");
    }
}

#[tokio::test]
async fn the_mock_validates_like_the_real_apis() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = format!("{}/v1/messages", mock.anthropic_base_url);
    let send = |body: serde_json::Value, key: bool| {
        let mut rb = client.post(&url).header("anthropic-version", "2023-06-01").json(&body);
        if key {
            rb = rb.header("x-api-key", KEY);
        }
        rb.send()
    };
    let msgs = serde_json::json!([{"role": "user", "content": "hi"}]);
    // missing max_tokens: 400 with an Anthropic error body
    let r = send(serde_json::json!({"model": "ok", "messages": msgs}), true).await.unwrap();
    assert_eq!(r.status(), 400);
    let b: serde_json::Value = r.json().await.unwrap();
    assert_eq!(b["type"], "error");
    assert_eq!(b["error"]["type"], "invalid_request_error");
    assert!(b["error"]["message"].as_str().unwrap().contains("max_tokens"));
    // missing x-api-key: 401
    let r = send(serde_json::json!({"model": "ok", "messages": msgs, "max_tokens": 5}), false).await.unwrap();
    assert_eq!(r.status(), 401);
    // with both: 200 JSON
    let r = send(serde_json::json!({"model": "ok", "messages": msgs, "max_tokens": 5}), true).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["content"][0]["text"], ANSWER);
    // OpenAI with a required key: a wrong key is 401 through the provider, and not retried
    mock.set_required_key(Some("sk-the-right-one"));
    let e = err(provider(&mock, Wire::OpenAi, "ok", true).as_ref(), &quick()).await;
    assert!(matches!(e, ProviderError::Http { status: 401, .. }), "{e:?}");
    assert_eq!(mock.requests(), 4);
}

#[tokio::test]
async fn a_cut_stream_is_truncated_and_retried_until_exhausted() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for wire in WIRES {
        for stream in [true, false] {
            let model = format!("cut-stream:{wire:?}:{stream}");
            let p = provider(&mock, wire, &model, stream);
            let first = p.complete(&request()).await.expect_err("a cut response is not a response");
            assert!(
                matches!(&first, ProviderError::Truncated(m) if m.contains("connection lost")),
                "{model}: {first:?}"
            );
            assert!(first.is_retryable());
            let e = err(p.as_ref(), &quick()).await;
            match &e {
                ProviderError::Exhausted { attempts: 3, last } => {
                    assert!(matches!(**last, ProviderError::Truncated(_)), "{last:?}")
                }
                other => panic!("{model}: {other:?}"),
            }
            assert_eq!(mock.requests_for(&model), 4, "{model}");
        }
    }
}

#[tokio::test]
async fn a_stream_without_done_or_message_stop_is_truncated() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for wire in WIRES {
        let p = provider(&mock, wire, "stream-no-done", true);
        let e = p.complete(&request()).await.expect_err("no terminator");
        match &e {
            ProviderError::Truncated(m) => {
                let marker = if wire == Wire::OpenAi { "[DONE]" } else { "message_stop" };
                assert!(m.contains(marker), "{m}");
            }
            other => panic!("{wire:?}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_slow_response_times_out() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for wire in WIRES {
        for stream in [true, false] {
            let p = provider_t(&mock, wire, "slow", stream, Duration::from_millis(300));
            let t0 = Instant::now();
            let e = p.complete(&request()).await.expect_err("too slow");
            assert_eq!(e, ProviderError::Timeout(Duration::from_millis(300)), "{}", case(wire, stream));
            assert!(e.is_retryable());
            assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());
        }
    }
    let p = provider_t(&mock, Wire::OpenAi, "slow", true, Duration::from_millis(200));
    let policy = RetryPolicy { max_attempts: 2, ..quick() };
    let e = err(p.as_ref(), &policy).await;
    assert!(
        matches!(&e, ProviderError::Exhausted { attempts: 2, last } if matches!(**last, ProviderError::Timeout(_))),
        "{e:?}"
    );
}

#[tokio::test]
async fn malformed_json_is_malformed_and_retried() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for wire in WIRES {
        for stream in [true, false] {
            let model = format!("malformed-json:{wire:?}:{stream}");
            let p = provider(&mock, wire, &model, stream);
            let first = p.complete(&request()).await.expect_err("broken JSON");
            assert!(matches!(first, ProviderError::Malformed(_)), "{model}: {first:?}");
            let e = err(p.as_ref(), &quick()).await;
            assert!(
                matches!(&e, ProviderError::Exhausted { attempts: 3, last } if matches!(**last, ProviderError::Malformed(_))),
                "{model}: {e:?}"
            );
        }
    }
}

#[tokio::test]
async fn an_empty_answer_is_malformed() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for wire in WIRES {
        for stream in [true, false] {
            let p = provider(&mock, wire, "empty", stream);
            let e = p.complete(&request()).await.expect_err("empty");
            assert!(matches!(&e, ProviderError::Malformed(m) if m.starts_with("empty response")), "{e:?}");
        }
    }
}

#[tokio::test]
async fn connection_refused_is_a_retryable_connection_error() {
    // a port with nothing listening
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let o = ProviderOptions { base_url: Some(format!("http://127.0.0.1:{port}/v1")), ..ProviderOptions::default() };
    let p = from_spec_with_env("openai:ok", &o, &test_env).unwrap();
    let e = p.complete(&request()).await.expect_err("nothing listens");
    assert!(matches!(&e, ProviderError::Connection(m) if m.contains(&format!("127.0.0.1:{port}"))), "{e:?}");
    assert!(e.is_retryable());
    assert_no_key(&e);
    let e = err(p.as_ref(), &RetryPolicy { max_attempts: 2, ..quick() }).await;
    assert!(matches!(e, ProviderError::Exhausted { attempts: 2, .. }), "{e:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_overlap() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    mock.set_latency(Duration::from_millis(200));
    let p: Arc<dyn Provider> = Arc::from(provider(&mock, Wire::OpenAi, "ok", true));
    let t0 = Instant::now();
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let p = p.clone();
            tokio::spawn(async move { complete_with_retry(p.as_ref(), &request(), &quick()).await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().text, ANSWER);
    }
    let elapsed = t0.elapsed();
    // One after another they would take 6.4 s; half that leaves room for a loaded CI machine and
    // still fails if fewer than two requests are ever in flight together.
    assert!(elapsed < Duration::from_millis(3200), "32 requests of 200 ms took {elapsed:?}: not concurrent");
    assert_eq!(mock.requests(), 32);
}

#[tokio::test]
async fn connections_are_kept_alive_and_reused() {
    let mock = MockApi::start(ANSWER.to_string()).await;
    for wire in WIRES {
        for stream in [true, false] {
            let before = mock.connections();
            let p = provider(&mock, wire, "ok", stream);
            for _ in 0..5 {
                ok(p.as_ref()).await;
            }
            assert_eq!(mock.connections() - before, 1, "{}: 5 sequential requests, one connection", case(wire, stream));
        }
    }
}

#[tokio::test]
async fn the_background_mock_serves_from_its_own_runtime() {
    let mock = MockApi::start_in_background("hello from the background".to_string());
    let p = provider(&mock, Wire::Anthropic, "ok", true);
    assert_eq!(ok(p.as_ref()).await.text, "hello from the background");
    assert_eq!(mock.requests(), 1);
}

// ---------------------------------------------------------------------------------------------
// Backoff and SSE

#[test]
fn backoff_is_jittered_capped_and_never_below_retry_after() {
    let p = RetryPolicy { max_attempts: 6, base_delay: Duration::from_millis(100), max_delay: Duration::from_secs(1) };
    let mut below_half = 0;
    for retry in 0..8u32 {
        let ceiling = (Duration::from_millis(100) * 2u32.pow(retry)).min(Duration::from_secs(1));
        for _ in 0..200 {
            let d = p.delay(retry, None);
            assert!(d <= ceiling, "retry {retry}: {d:?} > {ceiling:?}");
            below_half += usize::from(d < ceiling / 2);
            assert!(p.delay(retry, Some(Duration::from_secs(3))) >= Duration::from_secs(3));
        }
    }
    // full jitter: about half the waits fall in the lower half
    assert!((600..1000).contains(&below_half), "{below_half} of 1600 below half the ceiling");
    assert!(RetryPolicy::default().delay(1000, None) <= Duration::from_secs(60));
    assert_eq!(RetryPolicy::default().max_attempts, 6);
}

#[test]
fn retryability_by_error() {
    let http = |status| ProviderError::Http { status, body: String::new(), retry_after: None };
    for s in [408, 429, 500, 502, 503, 504, 529] {
        assert!(http(s).is_retryable(), "{s}");
    }
    for s in [400, 401, 403, 404, 422, 501] {
        assert!(!http(s).is_retryable(), "{s}");
    }
    assert!(!ProviderError::Quota("x".into()).is_retryable());
    assert!(!ProviderError::MissingKey { var: "X".into() }.is_retryable());
    assert!(ProviderError::Api { kind: "overloaded_error".into(), message: String::new() }.is_retryable());
    assert!(ProviderError::Api { kind: "rate_limit_error".into(), message: String::new() }.is_retryable());
    assert!(!ProviderError::Api { kind: "invalid_request_error".into(), message: String::new() }.is_retryable());
    let ra = ProviderError::Http { status: 429, body: String::new(), retry_after: Some(Duration::from_secs(7)) };
    assert_eq!(ra.retry_after(), Some(Duration::from_secs(7)));
}

#[test]
fn sse_parser_reassembles_events_from_any_split() {
    let stream = ": keep-alive\r\n\r\nevent: message_start\r\ndata: {\"a\":1}\r\n\r\ndata: line one\ndata: line two\n\n\
                  id: 7\nretry: 100\ndata: {\"µ\":\"→\"}\n\nevent: ping\n\nevent: x\rdata: cr-only\r\rdata: [DONE]\n";
    let expected = vec![
        SseEvent { event: Some("message_start".into()), data: "{\"a\":1}".into() },
        SseEvent { event: None, data: "line one\nline two".into() },
        SseEvent { event: None, data: "{\"µ\":\"→\"}".into() },
        SseEvent { event: Some("x".into()), data: "cr-only".into() },
        SseEvent { event: None, data: "[DONE]".into() }, // complete line, no blank line: flushed at the end
    ];
    let bytes = stream.as_bytes();
    for split in [1, 2, 3, 5, 7, 64, bytes.len()] {
        let mut p = SseParser::new();
        let mut got = Vec::new();
        for piece in bytes.chunks(split) {
            got.extend(p.feed(piece));
        }
        got.extend(p.finish());
        assert_eq!(got, expected, "pieces of {split} bytes");
    }
    // a partial last line is dropped at the end
    let mut p = SseParser::new();
    assert!(p.feed(b"data: {\"choices\": [").is_empty());
    assert_eq!(p.finish(), None);
}
