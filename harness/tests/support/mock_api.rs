//! A mock model API: a real HTTP/1.1 server on 127.0.0.1 (hand-written on tokio, no framework)
//! that speaks the OpenAI chat-completions (`POST /v1/chat/completions`) and Anthropic Messages
//! (`POST /v1/messages`) wire formats, streamed (SSE over `Transfer-Encoding: chunked`) and not
//! (`Content-Length`), with keep-alive and any number of concurrent connections.
//!
//! Use it from a test, bench or orchestrator test with
//! `#[path = "support/mock_api.rs"] mod mock_api;` (from `tests/`) or
//! `#[path = "../tests/support/mock_api.rs"] mod mock_api;` (from `benches/`).
//!
//! The request's `model` selects the scenario, so one server serves every case. The scenario is
//! the part of the model before the first `:` — `rate-limited-once:a` and `rate-limited-once:b`
//! behave alike but keep separate "once" counters (counters are per full model string). Unknown
//! names behave like `ok`.
//!
//! | scenario | behaviour |
//! |---|---|
//! | `ok` | the answer (streamed if `stream: true`); Anthropic adds a thinking block when the request enables `thinking` |
//! | `reasoning-deepseek` | OpenAI: `reasoning_content` deltas, `completion_tokens_details.reasoning_tokens` reported; Anthropic: a thinking block |
//! | `reasoning-openrouter` | OpenAI: `reasoning` deltas, no reasoning token count; Anthropic: a thinking block |
//! | `think-tags` | the content is `<think>REASONING</think>\n\nanswer` |
//! | `usage-null-choices` | the final usage chunk has `"choices": null` (OpenAI; Anthropic = ok) |
//! | `rate-limited-once` | first request per model: 429 + `Retry-After: 1` + the format's error body; then ok |
//! | `server-error-once` | first request per model: 500; then ok |
//! | `overloaded-once` | first request per model: 529 with an Anthropic `overloaded_error` body; then ok |
//! | `stream-error-once` | first request per model: 200, a few events, then an in-stream error (`event: error` overloaded_error / OpenAI `{"error":…}` chunk); then ok |
//! | `always-500` | 500 every time |
//! | `quota` | OpenAI: 429 `insufficient_quota`; Anthropic: 400 "credit balance is too low" (what the real API sends) |
//! | `unauthorized` | 401, and the body echoes the presented key (like a careless proxy; providers must redact it) |
//! | `malformed-json` | 200 with a broken JSON body / SSE chunk, every time |
//! | `cut-stream` | a few deltas, then the connection is closed mid-body (no terminating chunk, no `[DONE]`/`message_stop`), every time |
//! | `stream-no-done` | a well-formed chunked body that simply ends without `[DONE]`/`message_stop`, every time |
//! | `slow` | waits 30 s before answering |
//! | `empty` | 200 with empty content |
//!
//! Validation like the real APIs: Anthropic requires `x-api-key` (401 `authentication_error`),
//! `anthropic-version` and `max_tokens` (400 `invalid_request_error`); both require `messages`;
//! with [`MockApi::set_required_key`] the key must match (OpenAI `Authorization: Bearer`).
//!
//! Token counts are whitespace-separated words: `prompt_tokens` = words of all message contents
//! (plus Anthropic's `system`), `completion_tokens` = words of the answer + words of the reasoning.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The reasoning trace the `reasoning-*` and `think-tags` scenarios return.
pub const REASONING: &str =
    "Let me think about the tiling. The inner loop should be vectorised over the last dimension.";

/// Chooses the answer text from the request body (OpenAI or Anthropic JSON).
pub type Responder = Arc<dyn Fn(&Value) -> String + Send + Sync>;

/// One request as the mock received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

struct State {
    responder: Responder,
    total: AtomicU64,
    connections: AtomicU64,
    per_model: Mutex<HashMap<String, u64>>,
    latency_ns: AtomicU64,
    required_key: Mutex<Option<String>>,
    last: Mutex<HashMap<String, Recorded>>,
}

/// A running mock server. Dropping it stops accepting connections.
pub struct MockApi {
    /// `http://127.0.0.1:PORT/v1`: the OpenAI-style base URL.
    pub base_url: String,
    /// `http://127.0.0.1:PORT`: the Anthropic-style base URL (the provider appends `/v1/messages`).
    pub anthropic_base_url: String,
    pub addr: std::net::SocketAddr,
    state: Arc<State>,
    accept_task: Option<tokio::task::JoinHandle<()>>,
    background: Option<(tokio::sync::oneshot::Sender<()>, std::thread::JoinHandle<()>)>,
}

impl Drop for MockApi {
    fn drop(&mut self) {
        if let Some(t) = self.accept_task.take() {
            t.abort();
        }
        if let Some((stop, thread)) = self.background.take() {
            let _ = stop.send(());
            let _ = thread.join();
        }
    }
}

impl MockApi {
    /// Start on the current tokio runtime; `answer` is the assistant text for ordinary requests.
    pub async fn start(answer: String) -> MockApi {
        MockApi::start_with(move |_| answer.clone()).await
    }

    /// Start with an answer chosen per request (e.g. from the task named in the prompt).
    pub async fn start_with(responder: impl Fn(&Value) -> String + Send + Sync + 'static) -> MockApi {
        let state = new_state(Arc::new(responder));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let task = tokio::spawn(accept_loop(listener, state.clone()));
        MockApi::new(addr, state, Some(task), None)
    }

    /// Start on a private runtime in a background thread: for synchronous tests that run the
    /// `kernelsmith` binary as a child process against the mock.
    pub fn start_in_background(answer: String) -> MockApi {
        MockApi::start_in_background_with(move |_| answer.clone())
    }

    pub fn start_in_background_with(responder: impl Fn(&Value) -> String + Send + Sync + 'static) -> MockApi {
        let state = new_state(Arc::new(responder));
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let st = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("mock runtime");
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
                addr_tx.send(listener.local_addr().expect("local addr")).expect("send addr");
                tokio::select! {
                    _ = accept_loop(listener, st) => {}
                    _ = stop_rx => {}
                }
            });
            rt.shutdown_timeout(Duration::from_millis(100));
        });
        let addr = addr_rx.recv().expect("mock server thread started");
        MockApi::new(addr, state, None, Some((stop_tx, thread)))
    }

    fn new(
        addr: std::net::SocketAddr,
        state: Arc<State>,
        accept_task: Option<tokio::task::JoinHandle<()>>,
        background: Option<(tokio::sync::oneshot::Sender<()>, std::thread::JoinHandle<()>)>,
    ) -> MockApi {
        MockApi {
            base_url: format!("http://{addr}/v1"),
            anthropic_base_url: format!("http://{addr}"),
            addr,
            state,
            accept_task,
            background,
        }
    }

    /// Requests received (all paths, valid or not).
    pub fn requests(&self) -> u64 {
        self.state.total.load(Ordering::SeqCst)
    }

    /// TCP connections accepted (keep-alive reuses them).
    pub fn connections(&self) -> u64 {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// Requests whose JSON body named `model`.
    pub fn requests_for(&self, model: &str) -> u64 {
        self.state.per_model.lock().unwrap().get(model).copied().unwrap_or(0)
    }

    /// A fixed delay before every response (headers included).
    pub fn set_latency(&self, d: Duration) {
        self.state.latency_ns.store(d.as_nanos() as u64, Ordering::SeqCst);
    }

    /// Require this key (OpenAI `Authorization: Bearer`, Anthropic `x-api-key`); None = any key
    /// (OpenAI: none at all, like a local vLLM server).
    pub fn set_required_key(&self, key: Option<&str>) {
        *self.state.required_key.lock().unwrap() = key.map(str::to_string);
    }

    /// The last request that named `model`.
    pub fn last_request(&self, model: &str) -> Option<Recorded> {
        self.state.last.lock().unwrap().get(model).cloned()
    }
}

fn new_state(responder: Responder) -> Arc<State> {
    Arc::new(State {
        responder,
        total: AtomicU64::new(0),
        connections: AtomicU64::new(0),
        per_model: Mutex::new(HashMap::new()),
        latency_ns: AtomicU64::new(0),
        required_key: Mutex::new(None),
        last: Mutex::new(HashMap::new()),
    })
}

async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let _ = stream.set_nodelay(true);
        state.connections.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(serve_connection(stream, state.clone()));
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP/1.1

struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

async fn serve_connection(mut stream: TcpStream, state: Arc<State>) {
    let mut buf = Vec::new();
    loop {
        let req = match read_request(&mut stream, &mut buf).await {
            Ok(Some(r)) => r,
            _ => return,
        };
        let close = req.header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
        match respond(&mut stream, &state, req).await {
            Ok(true) if !close => continue,
            _ => {
                let _ = stream.shutdown().await;
                return;
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut tmp = [0u8; 16 * 1024];
    let n = stream.read(&mut tmp).await?;
    buf.extend_from_slice(&tmp[..n]);
    Ok(n > 0)
}

/// One request from the connection (None at a clean end of the connection). Bytes past the
/// request stay in `buf` for the next one (pipelining).
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<Option<Request>> {
    let head_end = loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 64 * 1024 || !fill(stream, buf).await? {
            return Ok(None);
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    buf.drain(..head_end + 4);
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let get = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let body = if get("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(i) = find(buf, b"\r\n") {
                    break i;
                }
                if !fill(stream, buf).await? {
                    return Ok(None);
                }
            };
            let size_line = String::from_utf8_lossy(&buf[..line_end]).to_string();
            let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16).unwrap_or(0);
            buf.drain(..line_end + 2);
            while buf.len() < size + 2 {
                if !fill(stream, buf).await? {
                    return Ok(None);
                }
            }
            body.extend_from_slice(&buf[..size]);
            buf.drain(..size + 2);
            if size == 0 {
                break body; // (trailers are not supported)
            }
        }
    } else {
        let len: usize = get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        while buf.len() < len {
            if !fill(stream, buf).await? {
                return Ok(None);
            }
        }
        buf.drain(..len).collect()
    };
    Ok(Some(Request { method, path, headers, body }))
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        529 => "Overloaded",
        _ => "Status",
    }
}

async fn write_json(
    stream: &mut TcpStream,
    status: u16,
    extra: &[(&str, String)],
    body: &str,
) -> std::io::Result<bool> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nServer: mock-api\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        reason_phrase(status),
        body.len()
    );
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.flush().await?;
    Ok(true)
}

/// `pieces` as HTTP/1.1 chunks, in one buffer (one write).
fn chunked(pieces: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in pieces.iter().filter(|p| !p.is_empty()) {
        out.extend_from_slice(format!("{:x}\r\n", p.len()).as_bytes());
        out.extend_from_slice(p);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// An SSE response over chunked transfer encoding.
struct Sse<'a> {
    stream: &'a mut TcpStream,
}

impl<'a> Sse<'a> {
    async fn start(stream: &'a mut TcpStream) -> std::io::Result<Sse<'a>> {
        stream
            .write_all(
                b"HTTP/1.1 200 OK\r\nServer: mock-api\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                  Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n",
            )
            .await?;
        Ok(Sse { stream })
    }

    async fn chunk(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.stream.write_all(&chunked(&[bytes])).await
    }

    /// One event, split over two HTTP chunks at the middle byte (possibly inside a UTF-8
    /// character), so clients must reassemble lines across body frames.
    async fn event(&mut self, event: Option<&str>, data: &str) -> std::io::Result<()> {
        let text = match event {
            Some(e) => format!("event: {e}\ndata: {data}\n\n"),
            None => format!("data: {data}\n\n"),
        };
        let (a, b) = text.as_bytes().split_at(text.len() / 2);
        self.stream.write_all(&chunked(&[a, b])).await
    }

    async fn comment(&mut self, text: &str) -> std::io::Result<()> {
        self.chunk(format!(": {text}\n\n").as_bytes()).await
    }

    async fn end(self) -> std::io::Result<bool> {
        self.stream.write_all(b"0\r\n\r\n").await?;
        self.stream.flush().await?;
        Ok(true)
    }
}

// ---------------------------------------------------------------------------------------------
// Routing and scenarios

fn words(s: &str) -> i64 {
    s.split_whitespace().count() as i64
}

/// `s` in pieces of at most `n` characters.
fn pieces(s: &str, n: usize) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    chars.chunks(n).map(|c| c.iter().collect()).collect()
}

fn prompt_words(body: &Value) -> i64 {
    let msgs = body.get("messages").and_then(Value::as_array).map(|m| m.as_slice()).unwrap_or(&[]);
    let content = |m: &Value| match m.get("content") {
        Some(Value::String(s)) => words(s),
        Some(Value::Array(parts)) => {
            parts.iter().filter_map(|p| p.get("text").and_then(Value::as_str)).map(words).sum()
        }
        _ => 0,
    };
    msgs.iter().map(content).sum::<i64>() + body.get("system").and_then(Value::as_str).map(words).unwrap_or(0)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Api {
    OpenAi,
    Anthropic,
}

async fn respond(stream: &mut TcpStream, state: &State, req: Request) -> std::io::Result<bool> {
    state.total.fetch_add(1, Ordering::SeqCst);
    let latency = state.latency_ns.load(Ordering::SeqCst);
    if latency > 0 {
        tokio::time::sleep(Duration::from_nanos(latency)).await;
    }
    let api = match req.path.split('?').next().unwrap_or("") {
        "/v1/chat/completions" => Api::OpenAi,
        "/v1/messages" => Api::Anthropic,
        other => {
            let body = json!({"error": {"message": format!("no route for {other}"), "type": "invalid_request_error"}});
            return write_json(stream, 404, &[], &body.to_string()).await;
        }
    };
    if req.method != "POST" {
        return write_json(stream, 405, &[], &error_body(api, "invalid_request_error", "use POST")).await;
    }
    let body: Value = match serde_json::from_slice(&req.body) {
        Ok(v) => v,
        Err(e) => {
            return write_json(
                stream,
                400,
                &[],
                &error_body(api, "invalid_request_error", &format!("invalid JSON: {e}")),
            )
            .await;
        }
    };
    let model = body.get("model").and_then(Value::as_str).unwrap_or("").to_string();
    let n = {
        let mut per = state.per_model.lock().unwrap();
        let c = per.entry(model.clone()).or_insert(0);
        *c += 1;
        *c
    };
    state.last.lock().unwrap().insert(
        model.clone(),
        Recorded {
            method: req.method.clone(),
            path: req.path.clone(),
            headers: req.headers.clone(),
            body: body.clone(),
        },
    );

    // Validation, as the real APIs do it.
    let required = state.required_key.lock().unwrap().clone();
    let presented = match api {
        Api::OpenAi => req.header("authorization").and_then(|v| v.strip_prefix("Bearer ")).map(str::to_string),
        Api::Anthropic => req.header("x-api-key").map(str::to_string),
    };
    let auth_ok = match (&required, &presented) {
        (Some(k), Some(p)) => k == p,
        (Some(_), None) => false,
        (None, p) => api == Api::OpenAi || p.is_some(),
    };
    if !auth_ok {
        let msg = match api {
            Api::OpenAi => {
                "You didn't provide a valid API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
            }
            Api::Anthropic => "x-api-key header is required",
        };
        return write_json(stream, 401, &[], &error_body(api, "authentication_error", msg)).await;
    }
    if !body.get("messages").is_some_and(Value::is_array) {
        return write_json(stream, 400, &[], &error_body(api, "invalid_request_error", "messages: Field required"))
            .await;
    }
    if api == Api::Anthropic {
        if req.header("anthropic-version").is_none() {
            let m = "anthropic-version: header is required";
            return write_json(stream, 400, &[], &error_body(api, "invalid_request_error", m)).await;
        }
        if !body.get("max_tokens").is_some_and(Value::is_u64) {
            let m = "max_tokens: Field required";
            return write_json(stream, 400, &[], &error_body(api, "invalid_request_error", m)).await;
        }
    }

    let scenario = model.split(':').next().unwrap_or("").to_string();
    let streamed = body.get("stream").and_then(Value::as_bool).unwrap_or(false);
    let first = n == 1;
    match scenario.as_str() {
        "rate-limited-once" if first => {
            let b = match api {
                Api::OpenAi => json!({"error": {"message": "Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s.", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}).to_string(),
                Api::Anthropic => error_body(api, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"),
            };
            write_json(stream, 429, &[("Retry-After", "1".into())], &b).await
        }
        "server-error-once" if first => server_error(stream, api).await,
        "always-500" => server_error(stream, api).await,
        "overloaded-once" if first => {
            let b = json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}});
            write_json(stream, 529, &[], &b.to_string()).await
        }
        "quota" => match api {
            Api::OpenAi => {
                let b = json!({"error": {"message": "You exceeded your current quota, please check your plan and billing details.", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}});
                write_json(stream, 429, &[], &b.to_string()).await
            }
            Api::Anthropic => {
                let m = "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.";
                write_json(stream, 400, &[], &error_body(api, "invalid_request_error", m)).await
            }
        },
        "unauthorized" => {
            let key = presented.unwrap_or_default();
            let m = format!("Incorrect API key provided: {key}. You can find your API key in your account settings.");
            write_json(stream, 401, &[], &error_body(api, "authentication_error", &m)).await
        }
        "slow" => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            answer(stream, state, api, &body, "ok", streamed, first).await
        }
        s => answer(stream, state, api, &body, s, streamed, first).await,
    }
}

fn error_body(api: Api, kind: &str, message: &str) -> String {
    match api {
        Api::OpenAi => json!({"error": {"message": message, "type": kind, "param": null, "code": null}}),
        Api::Anthropic => {
            json!({"type": "error", "error": {"type": kind, "message": message}, "request_id": "req_mock"})
        }
    }
    .to_string()
}

async fn server_error(stream: &mut TcpStream, api: Api) -> std::io::Result<bool> {
    let b = match api {
        Api::OpenAi => {
            error_body(api, "server_error", "The server had an error while processing your request. Sorry about that!")
        }
        Api::Anthropic => error_body(api, "api_error", "Internal server error"),
    };
    write_json(stream, 500, &[], &b).await
}

/// What an answering scenario returns.
struct Answer {
    text: String,
    reasoning: Option<(&'static str, String)>,
    report_reasoning_tokens: bool,
    null_choices: bool,
}

async fn answer(
    stream: &mut TcpStream,
    state: &State,
    api: Api,
    body: &Value,
    scenario: &str,
    streamed: bool,
    first: bool,
) -> std::io::Result<bool> {
    let text = (state.responder)(body);
    let thinking_requested = body.pointer("/thinking/type").and_then(Value::as_str) == Some("enabled");
    let a = match scenario {
        "reasoning-deepseek" => Answer {
            text,
            reasoning: Some(("reasoning_content", REASONING.into())),
            report_reasoning_tokens: true,
            null_choices: false,
        },
        "reasoning-openrouter" => Answer {
            text,
            reasoning: Some(("reasoning", REASONING.into())),
            report_reasoning_tokens: false,
            null_choices: false,
        },
        "think-tags" => Answer {
            text: format!("<think>{REASONING}</think>\n\n{text}"),
            reasoning: None,
            report_reasoning_tokens: false,
            null_choices: false,
        },
        "empty" => Answer { text: String::new(), reasoning: None, report_reasoning_tokens: true, null_choices: false },
        "usage-null-choices" => Answer { text, reasoning: None, report_reasoning_tokens: true, null_choices: true },
        _ if api == Api::Anthropic && thinking_requested => Answer {
            text,
            reasoning: Some(("thinking", REASONING.into())),
            report_reasoning_tokens: false,
            null_choices: false,
        },
        _ => Answer { text, reasoning: None, report_reasoning_tokens: true, null_choices: false },
    };
    let mode = match scenario {
        "malformed-json" => Mode::Malformed,
        "cut-stream" => Mode::Cut,
        "stream-no-done" => Mode::NoDone,
        "stream-error-once" if first => Mode::StreamError,
        _ => Mode::Normal,
    };
    match (api, streamed) {
        (Api::OpenAi, false) => openai_json(stream, body, &a, mode).await,
        (Api::OpenAi, true) => openai_sse(stream, body, &a, mode).await,
        (Api::Anthropic, false) => anthropic_json(stream, body, &a, mode).await,
        (Api::Anthropic, true) => anthropic_sse(stream, body, &a, mode).await,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    Malformed,
    Cut,
    NoDone,
    StreamError,
}

fn openai_usage(body: &Value, a: &Answer) -> Value {
    let r = a.reasoning.as_ref().map(|(_, r)| words(r)).unwrap_or(0);
    let prompt = prompt_words(body);
    let completion = words(&a.text) + r;
    let mut u = json!({"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion});
    if a.report_reasoning_tokens {
        u["completion_tokens_details"] = json!({"reasoning_tokens": r});
    }
    u
}

/// A non-streamed body cut short: the headers promise the whole length, half is sent, and the
/// connection closes.
async fn cut_json(stream: &mut TcpStream, full: &str) -> std::io::Result<bool> {
    let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", full.len());
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&full.as_bytes()[..full.len() / 2]).await?;
    stream.flush().await?;
    Ok(false)
}

async fn openai_json(stream: &mut TcpStream, body: &Value, a: &Answer, mode: Mode) -> std::io::Result<bool> {
    let model = body.get("model").cloned().unwrap_or(Value::Null);
    let mut message = json!({"role": "assistant", "content": a.text});
    if let Some((field, r)) = &a.reasoning {
        message[*field] = json!(r);
    }
    let resp = json!({
        "id": "chatcmpl-mock", "object": "chat.completion", "created": 1_700_000_000, "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": null, "finish_reason": "stop"}],
        "usage": openai_usage(body, a),
    })
    .to_string();
    match mode {
        Mode::Malformed => {
            write_json(
                stream,
                200,
                &[],
                r#"{"id": "chatcmpl-broken", "choices": [{"message": {"content": "unterminated"#,
            )
            .await
        }
        Mode::Cut => cut_json(stream, &resp).await,
        _ => write_json(stream, 200, &[], &resp).await,
    }
}

async fn openai_sse(stream: &mut TcpStream, body: &Value, a: &Answer, mode: Mode) -> std::io::Result<bool> {
    let model = body.get("model").cloned().unwrap_or(Value::Null);
    let include_usage = body.pointer("/stream_options/include_usage").and_then(Value::as_bool).unwrap_or(false);
    let chunk = |delta: Value, finish: Value| {
        json!({"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": model,
               "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]})
        .to_string()
    };
    let mut sse = Sse::start(stream).await?;
    sse.comment("OPENROUTER PROCESSING").await?;
    sse.event(None, &chunk(json!({"role": "assistant", "content": ""}), Value::Null)).await?;
    if mode == Mode::Malformed {
        sse.event(None, r#"{"id": "chatcmpl-mock", "choices": [{"index": 0, "delta": {"content": "hel"#).await?;
        sse.event(None, "[DONE]").await?;
        return sse.end().await;
    }
    if let Some((field, r)) = &a.reasoning {
        for p in pieces(r, 9) {
            let mut d = json!({"content": null});
            d[*field] = json!(p);
            sse.event(None, &chunk(d, Value::Null)).await?;
        }
    }
    let text_pieces = pieces(&a.text, 7);
    for (i, p) in text_pieces.iter().enumerate() {
        if matches!(mode, Mode::Cut | Mode::StreamError) && i == 2 {
            if mode == Mode::Cut {
                return Ok(false); // close mid-body: no terminating chunk, no [DONE]
            }
            let e = json!({"error": {"message": "The server is overloaded", "type": "server_error", "code": 503}});
            sse.event(None, &e.to_string()).await?;
            sse.event(None, "[DONE]").await?;
            return sse.end().await;
        }
        let mut d = json!({"content": p});
        if a.reasoning.as_ref().is_some_and(|(f, _)| *f == "reasoning_content") {
            d["reasoning_content"] = Value::Null;
        }
        sse.event(None, &chunk(d, Value::Null)).await?;
    }
    if mode == Mode::Cut {
        return Ok(false);
    }
    sse.event(None, &chunk(json!({}), json!("stop"))).await?;
    if include_usage {
        let choices = if a.null_choices { Value::Null } else { json!([]) };
        let u = json!({"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 1_700_000_000,
                       "model": model, "choices": choices, "usage": openai_usage(body, a)});
        sse.event(None, &u.to_string()).await?;
    }
    if mode != Mode::NoDone {
        sse.event(None, "[DONE]").await?;
    }
    sse.end().await
}

fn anthropic_usage(body: &Value, a: &Answer) -> (i64, i64) {
    let r = a.reasoning.as_ref().map(|(_, r)| words(r)).unwrap_or(0);
    (prompt_words(body), words(&a.text) + r)
}

async fn anthropic_json(stream: &mut TcpStream, body: &Value, a: &Answer, mode: Mode) -> std::io::Result<bool> {
    let (input, output) = anthropic_usage(body, a);
    let mut content = Vec::new();
    if let Some((_, r)) = &a.reasoning {
        content.push(json!({"type": "thinking", "thinking": r, "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}));
    }
    content.push(json!({"type": "text", "text": a.text}));
    let resp = json!({
        "id": "msg_mock", "type": "message", "role": "assistant", "model": body.get("model"),
        "content": content, "stop_reason": "end_turn", "stop_sequence": null,
        "usage": {"input_tokens": input, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": output},
    })
    .to_string();
    match mode {
        Mode::Malformed => {
            write_json(
                stream,
                200,
                &[],
                r#"{"id": "msg_broken", "type": "message", "content": [{"type": "text", "text": "unterminated"#,
            )
            .await
        }
        Mode::Cut => cut_json(stream, &resp).await,
        _ => write_json(stream, 200, &[], &resp).await,
    }
}

async fn anthropic_sse(stream: &mut TcpStream, body: &Value, a: &Answer, mode: Mode) -> std::io::Result<bool> {
    let (input, output) = anthropic_usage(body, a);
    let mut sse = Sse::start(stream).await?;
    let start = json!({"type": "message_start", "message": {
        "id": "msg_mock", "type": "message", "role": "assistant", "content": [], "model": body.get("model"),
        "stop_reason": null, "stop_sequence": null,
        "usage": {"input_tokens": input, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 1}}});
    sse.event(Some("message_start"), &start.to_string()).await?;
    if mode == Mode::Malformed {
        sse.event(
            Some("content_block_start"),
            r#"{"type": "content_block_start", "index": 0, "content_block": {"type": "te"#,
        )
        .await?;
        sse.event(Some("message_stop"), r#"{"type": "message_stop"}"#).await?;
        return sse.end().await;
    }
    let mut index = 0;
    if let Some((_, r)) = &a.reasoning {
        let s = json!({"type": "content_block_start", "index": index, "content_block": {"type": "thinking", "thinking": "", "signature": ""}});
        sse.event(Some("content_block_start"), &s.to_string()).await?;
        sse.event(Some("ping"), r#"{"type": "ping"}"#).await?;
        for p in pieces(r, 9) {
            let d = json!({"type": "content_block_delta", "index": index, "delta": {"type": "thinking_delta", "thinking": p}});
            sse.event(Some("content_block_delta"), &d.to_string()).await?;
        }
        let sig = json!({"type": "content_block_delta", "index": index, "delta": {"type": "signature_delta", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}});
        sse.event(Some("content_block_delta"), &sig.to_string()).await?;
        sse.event(Some("content_block_stop"), &json!({"type": "content_block_stop", "index": index}).to_string())
            .await?;
        index += 1;
    }
    let s = json!({"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}});
    sse.event(Some("content_block_start"), &s.to_string()).await?;
    for (i, p) in pieces(&a.text, 7).iter().enumerate() {
        if matches!(mode, Mode::Cut | Mode::StreamError) && i == 2 {
            if mode == Mode::Cut {
                return Ok(false);
            }
            let e = json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}});
            sse.event(Some("error"), &e.to_string()).await?;
            return sse.end().await;
        }
        let d = json!({"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": p}});
        sse.event(Some("content_block_delta"), &d.to_string()).await?;
    }
    if mode == Mode::Cut {
        return Ok(false);
    }
    sse.event(Some("content_block_stop"), &json!({"type": "content_block_stop", "index": index}).to_string()).await?;
    let md = json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": output}});
    sse.event(Some("message_delta"), &md.to_string()).await?;
    if mode != Mode::NoDone {
        sse.event(Some("message_stop"), r#"{"type": "message_stop"}"#).await?;
    }
    sse.end().await
}
