//! The Anthropic Messages API (`anthropic:<model>`).
//!
//! `POST {base}/v1/messages` with `x-api-key`, `anthropic-version: 2023-06-01`; system messages go
//! to the top-level `system` field; `max_tokens` is always sent (the API requires it). Streaming
//! reads the named SSE events `message_start` → (`content_block_start` → `content_block_delta`… →
//! `content_block_stop`)… → `message_delta` → `message_stop`; a body that ends before
//! `message_stop` is [`ProviderError::Truncated`]. `thinking` blocks / `thinking_delta`s are the
//! reasoning trace (source `anthropic_thinking`); `signature_delta`, `ping` and unknown events are
//! ignored; an `error` event becomes [`ProviderError::Api`] with its type (`overloaded_error`,
//! `rate_limit_error`, `api_error` are retried).

use super::http::{self, Parts, Redactor};
use super::sse::SseEvent;
use super::{BoxFuture, Completion, CompletionRequest, ModelParams, Provider, ProviderError, ProviderOptions, Role};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde_json::{Value, json};
use std::time::Instant;

pub const DEFAULT_BASE: &str = "https://api.anthropic.com";
pub const API_VERSION: &str = "2023-06-01";
const THINKING: &str = "anthropic_thinking";

/// A Messages API provider.
pub struct Anthropic {
    id: String,
    model: String,
    url: String,
    key: String,
    client: reqwest::Client,
    opts: ProviderOptions,
    params: ModelParams,
    redactor: Redactor,
}

impl std::fmt::Debug for Anthropic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Anthropic").field("id", &self.id).field("url", &self.url).field("key", &"[redacted]").finish()
    }
}

impl Anthropic {
    /// `base` = None uses `https://api.anthropic.com`; a base that already ends in `/v1` is
    /// accepted too (`{base}/messages`).
    pub fn new(
        spec: &str,
        model: &str,
        base: Option<String>,
        key: String,
        opts: &ProviderOptions,
        params: ModelParams,
    ) -> Result<Anthropic, ProviderError> {
        let redactor = Redactor::new(Some(&key));
        let base = base.unwrap_or_else(|| DEFAULT_BASE.to_string());
        let (base, parsed) = http::parse_base(&base).map_err(|e| redactor.error(e))?;
        let client = http::build_client(opts, &parsed)?;
        let id = if base == DEFAULT_BASE { spec.to_string() } else { format!("{spec}@{}", http::safe_url(&base)) };
        let url = if base.ends_with("/v1") { format!("{base}/messages") } else { format!("{base}/v1/messages") };
        Ok(Anthropic {
            id: redactor.redact(&id),
            model: model.to_string(),
            url,
            key,
            client,
            opts: opts.clone(),
            params,
            redactor,
        })
    }

    /// The JSON body sent for `req`.
    pub fn request_body(&self, req: &CompletionRequest) -> Value {
        let system: Vec<&str> =
            req.messages.iter().filter(|m| m.role == Role::System).map(|m| m.content.as_str()).collect();
        let messages: Vec<&super::Message> = req.messages.iter().filter(|m| m.role != Role::System).collect();
        let mut b = json!({ "model": self.model, "max_tokens": req.sampling.max_tokens, "messages": messages });
        let o = b.as_object_mut().expect("object");
        if !system.is_empty() {
            o.insert("system".into(), json!(system.join("\n\n")));
        }
        match self.params.thinking_budget {
            // With thinking on the API only accepts the default temperature (and top_p ≥ 0.95).
            Some(budget) => {
                o.insert("thinking".into(), json!({ "type": "enabled", "budget_tokens": budget }));
            }
            None => {
                if let Some(t) = req.sampling.temperature {
                    o.insert("temperature".into(), json!(t));
                }
                if let Some(p) = req.sampling.top_p {
                    o.insert("top_p".into(), json!(p));
                }
            }
        }
        if self.opts.stream {
            o.insert("stream".into(), json!(true));
        }
        b
    }

    async fn attempt(&self, req: &CompletionRequest) -> Result<Parts, ProviderError> {
        let timeout = self.opts.timeout;
        let mut key = HeaderValue::from_str(&self.key)
            .map_err(|_| ProviderError::BadSpec("the API key contains characters not allowed in a header".into()))?;
        key.set_sensitive(true);
        let accept = if self.opts.stream { "text/event-stream" } else { "application/json" };
        let resp = self
            .client
            .post(&self.url)
            .header("x-api-key", key)
            .header("anthropic-version", API_VERSION)
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, accept)
            .body(self.request_body(req).to_string())
            .send()
            .await
            .map_err(|e| http::send_error(e, &self.url, timeout))?;
        http::read_response(resp, timeout, StreamAcc::default(), parse_response).await
    }
}

impl Provider for Anthropic {
    fn id(&self) -> String {
        self.id.clone()
    }

    fn complete<'a>(&'a self, req: &'a CompletionRequest) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        Box::pin(async move {
            let t0 = Instant::now();
            let parts = match tokio::time::timeout(self.opts.timeout, self.attempt(req)).await {
                Ok(r) => r,
                Err(_) => Err(ProviderError::Timeout(self.opts.timeout)),
            };
            parts.and_then(|p| http::assemble(p, t0.elapsed())).map_err(|e| self.redactor.error(e))
        })
    }
}

/// Prompt tokens = input + cache writes + cache reads (Anthropic reports them separately).
fn prompt_tokens(usage: &Value) -> Option<i64> {
    let input = http::int(usage.get("input_tokens"))?;
    Some(
        input
            + http::int(usage.get("cache_creation_input_tokens")).unwrap_or(0)
            + http::int(usage.get("cache_read_input_tokens")).unwrap_or(0),
    )
}

fn push_block(dst: &mut String, s: &str, new_block: bool) {
    if new_block && !dst.is_empty() && !s.is_empty() {
        dst.push_str("\n\n");
    }
    dst.push_str(s);
}

/// A non-streamed Messages response.
fn parse_response(bytes: &[u8]) -> Result<Parts, ProviderError> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| {
        ProviderError::Malformed(format!(
            "response is not JSON ({e}): {}",
            http::excerpt(&String::from_utf8_lossy(bytes))
        ))
    })?;
    if let Some(e) = http::api_error(&v) {
        return Err(e);
    }
    let blocks = v.get("content").and_then(Value::as_array).ok_or_else(|| {
        ProviderError::Malformed(format!("response has no content array: {}", http::excerpt(&v.to_string())))
    })?;
    let mut parts = Parts::default();
    for b in blocks {
        match b.get("type").and_then(Value::as_str) {
            Some("text") => push_block(&mut parts.text, b.get("text").and_then(Value::as_str).unwrap_or(""), false),
            Some("thinking") => {
                push_block(&mut parts.reasoning, b.get("thinking").and_then(Value::as_str).unwrap_or(""), true);
                parts.reasoning_source = Some(THINKING);
            }
            _ => {} // redacted_thinking, tool_use, ...
        }
    }
    parts.finish_reason = v.get("stop_reason").and_then(Value::as_str).map(str::to_string);
    if let Some(u) = v.get("usage") {
        parts.prompt_tokens = prompt_tokens(u);
        parts.completion_tokens = http::int(u.get("output_tokens"));
    }
    Ok(parts)
}

/// Accumulates a streamed Messages response.
#[derive(Default)]
struct StreamAcc {
    parts: Parts,
    events: usize,
}

impl http::StreamEvents for StreamAcc {
    fn into_parts(self) -> Parts {
        self.parts
    }

    fn truncated(&self) -> String {
        format!(
            "the stream ended without `message_stop` after {} events ({} characters of text, {} of thinking)",
            self.events,
            self.parts.text.chars().count(),
            self.parts.reasoning.chars().count()
        )
    }

    /// Returns true at `message_stop`.
    fn event(&mut self, ev: &SseEvent) -> Result<bool, ProviderError> {
        let data = ev.data.trim();
        if data.is_empty() {
            return Ok(false);
        }
        self.events += 1;
        let v: Value = serde_json::from_str(data).map_err(|e| {
            ProviderError::Malformed(format!("stream event {} is not JSON ({e}): {}", self.events, http::excerpt(data)))
        })?;
        let kind = v.get("type").and_then(Value::as_str).or(ev.event.as_deref()).unwrap_or("");
        match kind {
            "message_start" => {
                if let Some(u) = v.pointer("/message/usage") {
                    self.parts.prompt_tokens = prompt_tokens(u);
                    self.parts.completion_tokens = http::int(u.get("output_tokens"));
                }
            }
            "content_block_start" => {
                let block = v.get("content_block").unwrap_or(&Value::Null);
                match block.get("type").and_then(Value::as_str).unwrap_or("") {
                    "text" => {
                        push_block(&mut self.parts.text, block.get("text").and_then(Value::as_str).unwrap_or(""), false)
                    }
                    "thinking" => {
                        if !self.parts.reasoning.is_empty() {
                            self.parts.reasoning.push_str("\n\n");
                        }
                        self.parts.reasoning.push_str(block.get("thinking").and_then(Value::as_str).unwrap_or(""));
                        self.parts.reasoning_source = Some(THINKING);
                    }
                    _ => {} // redacted_thinking, tool_use, ...
                }
            }
            "content_block_delta" => {
                let delta = v.get("delta").unwrap_or(&Value::Null);
                match delta.get("type").and_then(Value::as_str) {
                    Some("text_delta") => {
                        self.parts.text.push_str(delta.get("text").and_then(Value::as_str).unwrap_or(""))
                    }
                    Some("thinking_delta") => {
                        self.parts.reasoning.push_str(delta.get("thinking").and_then(Value::as_str).unwrap_or(""));
                        self.parts.reasoning_source = Some(THINKING);
                    }
                    _ => {} // signature_delta, input_json_delta, citations_delta
                }
            }
            "message_delta" => {
                if let Some(r) = v.pointer("/delta/stop_reason").and_then(Value::as_str) {
                    self.parts.finish_reason = Some(r.to_string());
                }
                if let Some(n) = http::int(v.pointer("/usage/output_tokens")) {
                    self.parts.completion_tokens = Some(n);
                }
            }
            "message_stop" => return Ok(true),
            "error" => {
                return Err(http::api_error(&v)
                    .unwrap_or_else(|| ProviderError::Api { kind: "error".into(), message: http::excerpt(data) }));
            }
            _ => {} // ping, unknown future events
        }
        Ok(false)
    }
}
