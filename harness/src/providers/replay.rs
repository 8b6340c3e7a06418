//! `replay:<dir>`: answers from files `<dir>/<platform>/<task_id>.md` (sample k > 0 first tries
//! `<task_id>.<k>.md`, turn t > 0 first tries `<task_id>.<k>.t<t>.md`), so runs reproduce offline.

use super::{BoxFuture, Completion, CompletionRequest, Provider, ProviderError};
use kernelsmith_prompts::split_reasoning;
use std::path::PathBuf;
use std::time::Instant;

/// The replay provider.
pub struct Replay {
    spec: String,
    dir: PathBuf,
}

impl Replay {
    pub fn new(spec: &str, dir: &str) -> Result<Replay, ProviderError> {
        let dir = PathBuf::from(dir);
        if !dir.is_dir() {
            return Err(ProviderError::BadSpec(format!(
                "replay folder `{}` does not exist (expected <dir>/<platform>/<task_id>.md files)",
                dir.display()
            )));
        }
        Ok(Replay { spec: spec.to_string(), dir })
    }
}

impl Provider for Replay {
    fn id(&self) -> String {
        self.spec.clone()
    }

    fn complete<'a>(&'a self, req: &'a CompletionRequest) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        Box::pin(async move {
            let t0 = Instant::now();
            let base = self.dir.join(&req.platform);
            let mut candidates = Vec::new();
            if req.turn > 0 {
                candidates.push(base.join(format!("{}.{}.t{}.md", req.task_id, req.sample_idx, req.turn)));
            }
            if req.sample_idx > 0 {
                candidates.push(base.join(format!("{}.{}.md", req.task_id, req.sample_idx)));
            }
            candidates.push(base.join(format!("{}.md", req.task_id)));
            for path in &candidates {
                if let Ok(text) = tokio::fs::read_to_string(path).await {
                    let (reasoning, _) = split_reasoning(&text);
                    let words = |s: &str| s.split_whitespace().count() as i64;
                    let prompt_words: i64 = req.messages.iter().map(|m| words(&m.content)).sum();
                    return Ok(Completion {
                        reasoning_tokens: reasoning.as_deref().map(words),
                        reasoning_tokens_source: reasoning.as_ref().map(|_| "counted (words)".to_string()),
                        reasoning_source: reasoning.as_ref().map(|_| "think_tags".to_string()),
                        reasoning,
                        prompt_tokens: Some(prompt_words),
                        completion_tokens: Some(words(&text)),
                        text,
                        latency_ms: t0.elapsed().as_secs_f64() * 1e3,
                        attempts: 1,
                        finish_reason: Some("stop".into()),
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
