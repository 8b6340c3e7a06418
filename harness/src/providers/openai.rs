//! The OpenAI chat-completions wire format: `openai:`, `deepseek:` and `openai-compatible:`
//! (vLLM, SGLang, Ollama, OpenRouter, ...).
//!
//! `POST {base}/chat/completions` with `Authorization: Bearer <key>` (omitted when there is no
//! key). Streaming (`stream: true`, `stream_options.include_usage`) reads SSE `data:` chunks until
//! `data: [DONE]`; a body that ends before `[DONE]` is [`ProviderError::Truncated`], never a
//! response. Text comes from `delta.content` / `message.content`; reasoning from
//! `reasoning_content` (DeepSeek, older vLLM/SGLang) or `reasoning` (OpenRouter, newer vLLM), or
//! `<think>` tags inside the content. A server that ignores `stream: true` and answers with JSON
//! is read as a non-streamed response.

use super::http::{self, Parts, Redactor};
use super::sse::SseEvent;
use super::{BoxFuture, Completion, CompletionRequest, ModelParams, Provider, ProviderError, ProviderOptions};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde_json::{Value, json};
use std::time::Instant;

/// Which dialect of the chat-completions API a server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenAiFlavor {
    /// api.openai.com: `max_completion_tokens`; temperature/top_p dropped for reasoning models
    /// (o1/o3/o4/gpt-5 families reject them).
    OpenAi,
    /// api.deepseek.com: `max_tokens`, `reasoning_content`.
    DeepSeek,
    /// Any other server: `max_tokens` (many reject `max_completion_tokens`), key optional.
    Compatible,
}

impl OpenAiFlavor {
    fn default_base(self) -> Option<&'static str> {
        match self {
            OpenAiFlavor::OpenAi => Some("https://api.openai.com/v1"),
            OpenAiFlavor::DeepSeek => Some("https://api.deepseek.com/v1"),
            OpenAiFlavor::Compatible => None,
        }
    }
}

/// A chat-completions provider.
pub struct OpenAi {
    id: String,
    model: String,
    flavor: OpenAiFlavor,
    url: String,
    key: Option<String>,
    client: reqwest::Client,
    opts: ProviderOptions,
    params: ModelParams,
    redactor: Redactor,
}

impl std::fmt::Debug for OpenAi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAi")
            .field("id", &self.id)
            .field("url", &self.url)
            .field("key", &self.key.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl OpenAi {
    /// `spec` is the full model spec (`openai:gpt-4.1`), `model` the part after the prefix.
    /// `base` = None uses the flavor's default (required for [`OpenAiFlavor::Compatible`]).
    pub fn new(
        spec: &str,
        flavor: OpenAiFlavor,
        model: &str,
        base: Option<String>,
        key: Option<String>,
        opts: &ProviderOptions,
        params: ModelParams,
    ) -> Result<OpenAi, ProviderError> {
        let redactor = Redactor::new(key.as_deref());
        let base = match base.or_else(|| flavor.default_base().map(str::to_string)) {
            Some(b) => b,
            None => return Err(ProviderError::BadSpec(format!("`{spec}` needs a base URL (--base-url)"))),
        };
        let (base, url) = http::parse_base(&base).map_err(|e| redactor.error(e))?;
        let client = http::build_client(opts, &url)?;
        // The cache identity names the server whenever it is not the flavor's default, so
        // responses from different servers never mix.
        let id = if flavor.default_base() == Some(base.as_str()) {
            spec.to_string()
        } else {
            format!("{spec}@{}", http::safe_url(&base))
        };
        Ok(OpenAi {
            id: redactor.redact(&id),
            model: model.to_string(),
            flavor,
            url: format!("{base}/chat/completions"),
            key,
            client,
            opts: opts.clone(),
            params,
            redactor,
        })
    }

    /// The JSON body sent for `req` (public for tests and `--dry-run` style inspection).
    pub fn request_body(&self, req: &CompletionRequest) -> Value {
        let mut b = json!({ "model": self.model, "messages": req.messages });
        let o = b.as_object_mut().expect("object");
        let tokens_field = if self.flavor == OpenAiFlavor::OpenAi { "max_completion_tokens" } else { "max_tokens" };
        o.insert(tokens_field.into(), json!(req.sampling.max_tokens));
        let drop_sampling = self.flavor == OpenAiFlavor::OpenAi && is_openai_reasoning_model(&self.model);
        if !drop_sampling {
            if let Some(t) = req.sampling.temperature {
                o.insert("temperature".into(), json!(t));
            }
            if let Some(p) = req.sampling.top_p {
                o.insert("top_p".into(), json!(p));
            }
        }
        if let Some(effort) = &self.params.reasoning_effort {
            o.insert("reasoning_effort".into(), json!(effort));
        }
        if self.opts.stream {
            o.insert("stream".into(), json!(true));
            o.insert("stream_options".into(), json!({ "include_usage": true }));
        }
        b
    }

    async fn attempt(&self, req: &CompletionRequest) -> Result<Parts, ProviderError> {
        let timeout = self.opts.timeout;
        let accept = if self.opts.stream { "text/event-stream" } else { "application/json" };
        let mut rb = self
            .client
            .post(&self.url)
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, accept)
            .body(self.request_body(req).to_string());
        if let Some(key) = &self.key {
            let mut v = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| {
                ProviderError::BadSpec("the API key contains characters not allowed in a header".into())
            })?;
            v.set_sensitive(true);
            rb = rb.header(AUTHORIZATION, v);
        }
        let resp = rb.send().await.map_err(|e| http::send_error(e, &self.url, timeout))?;
        http::read_response(resp, timeout, StreamAcc::default(), parse_response).await
    }
}

impl Provider for OpenAi {
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

/// o1/o3/o4-mini/gpt-5 style models reject `temperature`/`top_p` other than the default.
fn is_openai_reasoning_model(model: &str) -> bool {
    let m = model.rsplit('/').next().unwrap_or(model).to_ascii_lowercase();
    ["o1", "o3", "o4", "gpt-5"].iter().any(|p| m.starts_with(p))
}

fn usage_into(parts: &mut Parts, usage: &Value) {
    if !usage.is_object() {
        return;
    }
    parts.prompt_tokens = http::int(usage.get("prompt_tokens")).or(parts.prompt_tokens);
    parts.completion_tokens = http::int(usage.get("completion_tokens")).or(parts.completion_tokens);
    parts.reported_reasoning_tokens =
        http::int(usage.pointer("/completion_tokens_details/reasoning_tokens")).or(parts.reported_reasoning_tokens);
}

/// `content` as text: a string, or (some servers) an array of `{type: text, text}` parts.
fn content_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            Some(items.iter().filter_map(|i| i.get("text").and_then(Value::as_str)).collect::<Vec<_>>().join(""))
        }
        _ => None,
    }
}

/// Reasoning in a message or delta: `reasoning_content` first (some servers send both fields
/// with the same text), else `reasoning`.
fn reasoning_of(v: &Value) -> Option<(&str, &'static str)> {
    let field = |name: &str| v.get(name).and_then(Value::as_str).filter(|s| !s.is_empty());
    field("reasoning_content")
        .map(|s| (s, "reasoning_content"))
        .or_else(|| field("reasoning").map(|s| (s, "reasoning")))
}

fn first_choice(v: &Value) -> Option<&Value> {
    let choices = v.get("choices")?.as_array()?;
    choices.iter().find(|c| c.get("index").and_then(Value::as_i64) == Some(0)).or_else(|| choices.first())
}

/// A non-streamed chat completion.
pub(super) fn parse_response(bytes: &[u8]) -> Result<Parts, ProviderError> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| {
        ProviderError::Malformed(format!(
            "response is not JSON ({e}): {}",
            http::excerpt(&String::from_utf8_lossy(bytes))
        ))
    })?;
    if let Some(e) = http::api_error(&v) {
        return Err(e);
    }
    let choice = first_choice(&v).ok_or_else(|| {
        ProviderError::Malformed(format!("response has no choices: {}", http::excerpt(&v.to_string())))
    })?;
    let msg = choice.get("message").unwrap_or(&Value::Null);
    let mut parts = Parts { text: content_text(msg.get("content")).unwrap_or_default(), ..Parts::default() };
    if let Some((r, source)) = reasoning_of(msg) {
        parts.reasoning = r.to_string();
        parts.reasoning_source = Some(source);
    }
    parts.finish_reason = choice.get("finish_reason").and_then(Value::as_str).map(str::to_string);
    if let Some(u) = v.get("usage") {
        usage_into(&mut parts, u);
    }
    Ok(parts)
}

/// Accumulates a streamed chat completion.
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
            "the stream ended without `data: [DONE]` after {} events ({} characters of text, {} of reasoning)",
            self.events,
            self.parts.text.chars().count(),
            self.parts.reasoning.chars().count()
        )
    }

    /// Returns true at `data: [DONE]`.
    fn event(&mut self, ev: &SseEvent) -> Result<bool, ProviderError> {
        let data = ev.data.trim();
        if data == "[DONE]" {
            return Ok(true);
        }
        if data.is_empty() {
            return Ok(false);
        }
        self.events += 1;
        let v: Value = serde_json::from_str(data).map_err(|e| {
            ProviderError::Malformed(format!("stream chunk {} is not JSON ({e}): {}", self.events, http::excerpt(data)))
        })?;
        if let Some(e) = http::api_error(&v) {
            return Err(e);
        }
        if let Some(choice) = first_choice(&v) {
            if let Some(delta) = choice.get("delta") {
                if let Some(t) = content_text(delta.get("content")) {
                    self.parts.text.push_str(&t);
                }
                if let Some((r, source)) = reasoning_of(delta) {
                    self.parts.reasoning.push_str(r);
                    self.parts.reasoning_source.get_or_insert(source);
                }
            }
            if let Some(f) = choice.get("finish_reason").and_then(Value::as_str) {
                self.parts.finish_reason = Some(f.to_string());
            }
        }
        if let Some(u) = v.get("usage") {
            usage_into(&mut self.parts, u);
        }
        Ok(false)
    }
}
