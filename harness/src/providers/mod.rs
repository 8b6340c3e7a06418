//! Model providers: where responses come from.
//!
//! `replay:<dir>` answers from files (offline, reproducible); `openai:<model>`,
//! `deepseek:<model>`, `openai-compatible:<name>` (with `--base-url`) speak the OpenAI chat
//! completions wire format; `anthropic:<model>` speaks the Messages API. Every provider returns a
//! [`Completion`] with the reasoning trace (and where it came from) and token counts, or a
//! [`ProviderError`] that says whether retrying can help. Retries, backoff and `Retry-After` live
//! in one place ([`retry`]), not in each provider.

pub mod anthropic;
mod http;
pub mod openai;
pub mod replay;
pub mod retry;
pub mod sse;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

pub use anthropic::Anthropic;
pub use openai::{OpenAi, OpenAiFlavor};
pub use replay::Replay;

/// A chat role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

/// Sampling parameters (part of the response-cache key).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Sampling {
    /// None = the provider's default; k = 1 runs use 0 (greedy).
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    /// Output token budget (`max_completion_tokens` / `max_tokens`).
    pub max_tokens: u32,
}

/// One request to a model.
#[derive(Debug, Clone)]
pub struct CompletionRequest {
    pub messages: Vec<Message>,
    pub sampling: Sampling,
    pub task_id: String,
    pub platform: String,
    pub sample_idx: u32,
    pub turn: u32,
}

/// One complete answer.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Completion {
    /// The answer text (reasoning excluded when the API separates it).
    pub text: String,
    /// The reasoning trace, when any.
    pub reasoning: Option<String>,
    /// Where the trace came from: `reasoning_content`, `reasoning`, `anthropic_thinking`,
    /// `think_tags`.
    pub reasoning_source: Option<String>,
    pub prompt_tokens: Option<i64>,
    pub completion_tokens: Option<i64>,
    pub reasoning_tokens: Option<i64>,
    /// `reported` when the API gave reasoning tokens, `counted` when kernelsmith estimated them.
    pub reasoning_tokens_source: Option<String>,
    /// Wall time of the successful attempt.
    pub latency_ms: f64,
    /// Attempts made (1 = no retry).
    pub attempts: u32,
    /// Why the model stopped (`stop`, `length`, `end_turn`, ...), when reported.
    pub finish_reason: Option<String>,
}

/// Why no completion came back.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProviderError {
    #[error("{0}")]
    BadSpec(String),
    #[error("no API key: set {var}")]
    MissingKey { var: String },
    #[error("HTTP {status}: {body}")]
    Http { status: u16, body: String, retry_after: Option<Duration> },
    #[error("quota or billing error (not retried): {0}")]
    Quota(String),
    #[error("request timed out after {0:?}")]
    Timeout(Duration),
    #[error("connection failed: {0}")]
    Connection(String),
    #[error("response stream ended early: {0}")]
    Truncated(String),
    #[error("malformed response: {0}")]
    Malformed(String),
    /// An error the API reported inside a 200 response: an Anthropic `event: error` in the middle
    /// of a stream (`overloaded_error`, `rate_limit_error`, `api_error`, ...), or an OpenAI-style
    /// `{"error": ...}` object in a chunk or body. `kind` is the API's error type or code.
    #[error("API error {kind}: {message}")]
    Api { kind: String, message: String },
    #[error("{0}")]
    NoResponse(String),
    #[error("gave up after {attempts} attempts: {last}")]
    Exhausted { attempts: u32, last: Box<ProviderError> },
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A source of model responses.
pub trait Provider: Send + Sync {
    /// `provider:model`, the identity used in the response-cache key.
    fn id(&self) -> String;
    /// One attempt; retries are the caller's business ([`retry`]).
    fn complete<'a>(&'a self, req: &'a CompletionRequest) -> BoxFuture<'a, Result<Completion, ProviderError>>;
}

/// How HTTP providers are built (the orchestrator fills this from the CLI).
///
/// Construct with `ProviderOptions { base_url: ..., ..Default::default() }`: fields may be added.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderOptions {
    /// Overrides the default base URL of any HTTP provider (`--base-url`). Required for
    /// `openai-compatible:` unless `OPENAI_BASE_URL` is set.
    pub base_url: Option<String>,
    /// Per attempt, for the whole request: connect, headers and the complete (streamed) body.
    pub timeout: Duration,
    /// Stream responses (SSE). Streaming keeps long reasoning responses alive through proxies that
    /// cut idle connections, and lets a truncated answer be detected (no `[DONE]`/`message_stop`).
    pub stream: bool,
}

impl Default for ProviderOptions {
    fn default() -> Self {
        ProviderOptions { base_url: None, timeout: Duration::from_secs(600), stream: true }
    }
}

/// Per-model request parameters written in the spec after `?` (`k=v`, joined by `&`), so they
/// are part of [`Provider::id`] and therefore of the response-cache key:
///
/// - `thinking=<budget tokens>` (`anthropic:`): extended thinking, `thinking: {type: enabled,
///   budget_tokens}`; temperature/top_p are then not sent (the API rejects them with thinking on)
///   and `max_tokens` must exceed the budget. Example: `anthropic:claude-sonnet-4-5?thinking=8000`.
/// - `reasoning_effort=<minimal|low|medium|high>` (OpenAI-style providers), e.g.
///   `openai:o4-mini?reasoning_effort=high`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelParams {
    pub thinking_budget: Option<u32>,
    pub reasoning_effort: Option<String>,
}

impl ModelParams {
    /// Splits `model?k=v&k=v` into the model name and its parameters.
    pub fn parse(spec: &str, model: &str) -> Result<(String, ModelParams), ProviderError> {
        let Some((name, query)) = model.split_once('?') else { return Ok((model.to_string(), ModelParams::default())) };
        let mut p = ModelParams::default();
        for kv in query.split('&').filter(|kv| !kv.is_empty()) {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            match k {
                "thinking" => {
                    p.thinking_budget = Some(v.parse().map_err(|_| {
                        ProviderError::BadSpec(format!(
                            "`{spec}`: thinking={v} is not a token budget (e.g. thinking=8000)"
                        ))
                    })?)
                }
                "reasoning_effort" if !v.is_empty() => p.reasoning_effort = Some(v.to_string()),
                _ => {
                    return Err(ProviderError::BadSpec(format!(
                        "`{spec}`: unknown model parameter `{kv}` (known: thinking=<tokens>, reasoning_effort=<level>)"
                    )));
                }
            }
        }
        Ok((name.to_string(), p))
    }
}

/// Build a provider from a model spec, reading keys and base URLs from the process environment.
///
/// | spec | default base | key |
/// |---|---|---|
/// | `openai:<model>` | `OPENAI_BASE_URL` or `https://api.openai.com/v1` | `OPENAI_API_KEY` (required) |
/// | `deepseek:<model>` | `DEEPSEEK_BASE_URL` or `https://api.deepseek.com/v1` | `DEEPSEEK_API_KEY` (required) |
/// | `openai-compatible:<model>` | `opts.base_url` or `OPENAI_BASE_URL` (one is required) | `OPENAI_API_KEY` (optional) |
/// | `anthropic:<model>` | `ANTHROPIC_BASE_URL` or `https://api.anthropic.com` | `ANTHROPIC_API_KEY` (required) |
/// | `replay:<dir>` | | |
///
/// `opts.base_url` overrides the default base of every HTTP provider.
pub fn from_spec(spec: &str, opts: &ProviderOptions) -> Result<Box<dyn Provider>, ProviderError> {
    from_spec_with_env(spec, opts, &|var| std::env::var(var).ok())
}

/// [`from_spec`] with an explicit environment lookup (tests; no process-global state).
/// Empty values count as unset.
pub fn from_spec_with_env(
    spec: &str,
    opts: &ProviderOptions,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Box<dyn Provider>, ProviderError> {
    let (kind, rest) = spec.split_once(':').ok_or_else(|| {
        ProviderError::BadSpec(format!(
            "model spec `{spec}` has no provider prefix; use e.g. `openai:gpt-4.1`, `anthropic:claude-sonnet-4-5`, \
             `deepseek:deepseek-reasoner`, `openai-compatible:<model>` (with --base-url) or `replay:<dir>`"
        ))
    })?;
    let env = |var: &str| env(var).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let key = |var: &str| env(var).ok_or_else(|| ProviderError::MissingKey { var: var.to_string() });
    if kind == "replay" {
        return Ok(Box::new(Replay::new(spec, rest)?));
    }
    let (model, params) = ModelParams::parse(spec, rest)?;
    if model.trim().is_empty() {
        return Err(ProviderError::BadSpec(format!("model spec `{spec}` names no model after `{kind}:`")));
    }
    let model = model.as_str();
    match kind {
        "openai" => {
            let base = opts.base_url.clone().or_else(|| env("OPENAI_BASE_URL"));
            let key = key("OPENAI_API_KEY")?;
            Ok(Box::new(OpenAi::new(spec, OpenAiFlavor::OpenAi, model, base, Some(key), opts, params)?))
        }
        "deepseek" => {
            let base = opts.base_url.clone().or_else(|| env("DEEPSEEK_BASE_URL"));
            let key = key("DEEPSEEK_API_KEY")?;
            Ok(Box::new(OpenAi::new(spec, OpenAiFlavor::DeepSeek, model, base, Some(key), opts, params)?))
        }
        "openai-compatible" => {
            let base = opts.base_url.clone().or_else(|| env("OPENAI_BASE_URL")).ok_or_else(|| {
                ProviderError::BadSpec(format!(
                    "`{spec}` needs a server: pass --base-url (e.g. http://localhost:8000/v1) or set OPENAI_BASE_URL"
                ))
            })?;
            let key = env("OPENAI_API_KEY");
            Ok(Box::new(OpenAi::new(spec, OpenAiFlavor::Compatible, model, Some(base), key, opts, params)?))
        }
        "anthropic" => {
            let base = opts.base_url.clone().or_else(|| env("ANTHROPIC_BASE_URL"));
            let key = key("ANTHROPIC_API_KEY")?;
            Ok(Box::new(Anthropic::new(spec, model, base, key, opts, params)?))
        }
        other => Err(ProviderError::BadSpec(format!(
            "unknown provider `{other}` in `{spec}`; use `openai:`, `anthropic:`, `deepseek:`, \
             `openai-compatible:` or `replay:`"
        ))),
    }
}
