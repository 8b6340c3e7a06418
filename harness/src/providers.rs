//! Model providers: where responses come from.
//!
//! Issue #2 ships `replay:<dir>` (offline, reproducible); real APIs plug into the same trait.

use kernelsmith_prompts::split_reasoning;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Instant;

/// One request to a model.
#[derive(Debug, Clone)]
pub struct CompletionRequest {
    pub system: String,
    pub user: String,
    pub task_id: String,
    pub platform: String,
    pub sample_idx: u32,
}

/// One answer.
#[derive(Debug, Clone, Default)]
pub struct Completion {
    pub text: String,
    pub reasoning: Option<String>,
    pub reasoning_source: Option<String>,
    pub prompt_tokens: Option<i64>,
    pub completion_tokens: Option<i64>,
    pub reasoning_tokens: Option<i64>,
    pub latency_ms: f64,
}

#[derive(Debug)]
pub enum ProviderError {
    NoResponse(String),
    BadSpec(String),
}

impl std::error::Error for ProviderError {}

impl std::fmt::Display for ProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProviderError::NoResponse(m) | ProviderError::BadSpec(m) => f.write_str(m),
        }
    }
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A source of model responses.
pub trait Provider: Send + Sync {
    fn complete<'a>(&'a self, req: &'a CompletionRequest) -> BoxFuture<'a, Result<Completion, ProviderError>>;
}

/// Answers from files `<dir>/<platform>/<task_id>.md` (sample k > 0 first tries `<task_id>.<k>.md`).
pub struct Replay {
    dir: PathBuf,
}

impl Provider for Replay {
    fn complete<'a>(&'a self, req: &'a CompletionRequest) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        Box::pin(async move {
            let t0 = Instant::now();
            let base = self.dir.join(&req.platform);
            let mut candidates = Vec::new();
            if req.sample_idx > 0 {
                candidates.push(base.join(format!("{}.{}.md", req.task_id, req.sample_idx)));
            }
            candidates.push(base.join(format!("{}.md", req.task_id)));
            for path in &candidates {
                if let Ok(text) = tokio::fs::read_to_string(path).await {
                    let (reasoning, _) = split_reasoning(&text);
                    let words = |s: &str| s.split_whitespace().count() as i64;
                    return Ok(Completion {
                        reasoning_tokens: reasoning.as_deref().map(words),
                        reasoning_source: reasoning.as_ref().map(|_| "think_tags (word count)".to_string()),
                        reasoning,
                        prompt_tokens: Some(words(&req.system) + words(&req.user)),
                        completion_tokens: Some(words(&text)),
                        text,
                        latency_ms: t0.elapsed().as_secs_f64() * 1e3,
                    });
                }
            }
            Err(ProviderError::NoResponse(format!(
                "replay has no response for task `{}`: looked for {}",
                req.task_id,
                candidates.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            )))
        })
    }
}

/// Build a provider from a model spec.
pub fn from_spec(spec: &str) -> Result<Box<dyn Provider>, ProviderError> {
    let (kind, rest) = spec.split_once(':').ok_or_else(|| {
        ProviderError::BadSpec(format!("model spec `{spec}` has no provider prefix; use e.g. `replay:examples/replay`"))
    })?;
    match kind {
        "replay" => {
            let dir = PathBuf::from(rest);
            if !dir.is_dir() {
                return Err(ProviderError::BadSpec(format!(
                    "replay folder `{rest}` does not exist (expected <dir>/<platform>/<task_id>.md files)"
                )));
            }
            Ok(Box::new(Replay { dir }))
        }
        other => Err(ProviderError::BadSpec(format!(
            "unknown provider `{other}` in `{spec}`; this version supports `replay:<dir>` (real model APIs arrive with issue #3)"
        ))),
    }
}
