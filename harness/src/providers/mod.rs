//! Model providers: where responses come from.
//!
//! `replay:<dir>` answers from files (offline, reproducible); `openai:<model>`,
//! `deepseek:<model>`, `openai-compatible:<name>` (with `--base-url`) speak the OpenAI chat
//! completions wire format; `anthropic:<model>` speaks the Messages API. Every provider returns a
//! [`Completion`] with the reasoning trace (and where it came from) and token counts, or a
//! [`ProviderError`] that says whether retrying can help. Retries, backoff and `Retry-After` live
//! in one place ([`retry`]), not in each provider.

pub mod replay;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

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

/// Build a provider from a model spec.
pub fn from_spec(spec: &str) -> Result<Box<dyn Provider>, ProviderError> {
    let (kind, rest) = spec.split_once(':').ok_or_else(|| {
        ProviderError::BadSpec(format!("model spec `{spec}` has no provider prefix; use e.g. `replay:examples/replay`"))
    })?;
    match kind {
        "replay" => Ok(Box::new(Replay::new(spec, rest)?)),
        other => Err(ProviderError::BadSpec(format!(
            "unknown provider `{other}` in `{spec}`; this version supports `replay:<dir>` (real model APIs arrive with issue #3)"
        ))),
    }
}
