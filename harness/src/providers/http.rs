//! What the HTTP providers share: the client, base-URL checks, turning HTTP failures into
//! [`ProviderError`]s (with `Retry-After`), secret redaction, and assembling a [`Completion`]
//! (reasoning from API fields or `<think>` tags, token counts, the empty-response rule).

use super::sse::{SseEvent, SseParser};
use super::{Completion, ProviderError, ProviderOptions};
use kernelsmith_prompts::split_reasoning;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Error bodies are trimmed to this many characters.
pub(super) const BODY_LIMIT: usize = 500;

/// One client per provider: rustls, HTTP/1.1 (no HTTP/2 feature compiled in, so plain-HTTP local
/// servers work), a pool large enough for many concurrent requests to one host. No client-level
/// timeout: the per-attempt deadline is applied around the whole request by the provider.
pub(super) fn build_client(opts: &ProviderOptions, base: &reqwest::Url) -> Result<reqwest::Client, ProviderError> {
    let mut b = reqwest::Client::builder()
        .user_agent(concat!("kernelsmith/", env!("CARGO_PKG_VERSION")))
        .pool_max_idle_per_host(256)
        .pool_idle_timeout(Duration::from_secs(90))
        .tcp_nodelay(true)
        .connect_timeout(opts.timeout.min(Duration::from_secs(30)));
    // A local server (vLLM, SGLang, Ollama, the test mock) is never reached through a proxy.
    if is_loopback(base) {
        b = b.no_proxy();
    }
    b.build().map_err(|e| ProviderError::BadSpec(format!("cannot build the HTTP client: {}", chain(&e))))
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A base URL without its trailing `/`, checked to be http(s).
pub(super) fn parse_base(base: &str) -> Result<(String, reqwest::Url), ProviderError> {
    let trimmed = base.trim().trim_end_matches('/').to_string();
    let url = reqwest::Url::parse(&trimmed)
        .map_err(|e| ProviderError::BadSpec(format!("base URL `{}` is not a URL: {e}", safe_url(&trimmed))))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(ProviderError::BadSpec(format!(
            "base URL `{}` must start with http:// or https://",
            safe_url(&trimmed)
        )));
    }
    Ok((trimmed, url))
}

/// A URL for messages and ids: user:password removed.
pub(super) fn safe_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string().trim_end_matches('/').to_string()
        }
        _ => url.to_string(),
    }
}

/// Removes secrets (the API key) from every string that may end up in an error, a log or the DB.
#[derive(Clone, Default)]
pub(super) struct Redactor {
    secrets: Vec<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} secrets)", self.secrets.len())
    }
}

impl Redactor {
    pub(super) fn new(key: Option<&str>) -> Redactor {
        Redactor { secrets: key.filter(|k| k.len() >= 4).map(|k| vec![k.to_string()]).unwrap_or_default() }
    }

    pub(super) fn redact(&self, s: &str) -> String {
        let mut s = s.to_string();
        for k in &self.secrets {
            if s.contains(k.as_str()) {
                s = s.replace(k.as_str(), "[redacted]");
            }
        }
        s
    }

    /// Redact every string inside an error (errors built by the provider, bodies from servers).
    pub(super) fn error(&self, e: ProviderError) -> ProviderError {
        use ProviderError::*;
        match e {
            BadSpec(m) => BadSpec(self.redact(&m)),
            Http { status, body, retry_after } => Http { status, body: self.redact(&body), retry_after },
            Quota(m) => Quota(self.redact(&m)),
            Connection(m) => Connection(self.redact(&m)),
            Truncated(m) => Truncated(self.redact(&m)),
            Malformed(m) => Malformed(self.redact(&m)),
            Api { kind, message } => Api { kind: self.redact(&kind), message: self.redact(&message) },
            NoResponse(m) => NoResponse(self.redact(&m)),
            Exhausted { attempts, last } => Exhausted { attempts, last: Box::new(self.error(*last)) },
            e @ (MissingKey { .. } | Timeout(_)) => e,
        }
    }
}

/// An error with its sources (`error sending request: connection refused`), URL-free.
pub(super) fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        let m = c.to_string();
        if !s.contains(&m) {
            s.push_str(": ");
            s.push_str(&m);
        }
        src = c.source();
    }
    s
}

/// A failure before response headers arrived.
pub(super) fn send_error(e: reqwest::Error, url: &str, timeout: Duration) -> ProviderError {
    if e.is_timeout() {
        return ProviderError::Timeout(timeout);
    }
    let e = e.without_url();
    ProviderError::Connection(format!("{} ({})", chain(&e), safe_url(url)))
}

/// A failure while reading the body: the connection dropped in the middle of a response.
pub(super) fn body_error(e: reqwest::Error, received: usize, timeout: Duration) -> ProviderError {
    if e.is_timeout() {
        return ProviderError::Timeout(timeout);
    }
    ProviderError::Truncated(format!("connection lost after {received} bytes of the body: {}", chain(&e.without_url())))
}

/// After the stream's terminator: read what is left of the body (normally just the final empty
/// chunk) so the connection goes back to the pool instead of being closed, but never wait long
/// for a server that keeps the stream open.
pub(super) async fn drain(resp: &mut reqwest::Response) {
    let _ = tokio::time::timeout(Duration::from_millis(200), async {
        let mut left = 1 << 20;
        while let Ok(Some(b)) = resp.chunk().await {
            left -= b.len().min(left);
            if left == 0 {
                break;
            }
        }
    })
    .await;
}

/// `s` cut to `n` characters (on a char boundary), with a marker when cut.
pub(super) fn trim_chars(s: &str, n: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}… [{} bytes in all]", &s[..i], s.len()),
        None => s.to_string(),
    }
}

/// Body wording that means "no money / no quota": retrying cannot help.
fn is_quota_body(body: &str) -> bool {
    let b = body.to_ascii_lowercase();
    [
        "insufficient_quota",
        "exceeded your current quota",
        "billing",
        "credit balance",
        "insufficient credits",
        "insufficient balance",
        "insufficient_balance",
    ]
    .iter()
    .any(|w| b.contains(w))
}

/// A non-2xx response as an error: quota/billing wording → [`ProviderError::Quota`] (400, 402,
/// 403, 429, any 402), otherwise [`ProviderError::Http`] with the trimmed body and `Retry-After`.
pub(super) fn status_error(status: u16, headers: &HeaderMap, body: &str) -> ProviderError {
    let body = trim_chars(body, BODY_LIMIT);
    if status == 402 || (matches!(status, 400 | 403 | 429) && is_quota_body(&body)) {
        return ProviderError::Quota(format!("HTTP {status}: {body}"));
    }
    ProviderError::Http { status, body, retry_after: retry_after(headers) }
}

/// `retry-after-ms` (OpenAI, float milliseconds) or `Retry-After` (seconds or an HTTP-date).
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = get("retry-after-ms").and_then(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite() && *v >= 0.0) {
        return Some(Duration::from_secs_f64(ms / 1e3));
    }
    let v = get("retry-after")?;
    if let Ok(secs) = v.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let at = parse_http_date(v)?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs_f64();
    Some(Duration::from_secs_f64((at as f64 - now).max(0.0)))
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) → Unix seconds.
pub(super) fn parse_http_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let rest = s.split_once(", ").map(|(_, r)| r).unwrap_or(s);
    let parts: Vec<&str> = rest.split_whitespace().collect();
    if parts.len() != 5 || !parts[4].eq_ignore_ascii_case("GMT") {
        return None;
    }
    let day: i64 = parts[0].parse().ok()?;
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let month = MONTHS.iter().position(|m| parts[1].eq_ignore_ascii_case(m))? as i64 + 1;
    let year: i64 = parts[2].parse().ok()?;
    let hms: Vec<i64> = parts[3].split(':').map(|x| x.parse().ok()).collect::<Option<_>>()?;
    if hms.len() != 3 || !(1..=31).contains(&day) {
        return None;
    }
    // days from civil (H. Hinnant)
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2])
}

/// Estimated tokens for a trace the API did not count: ⌈chars / 4⌉.
pub(super) fn estimate_tokens(text: &str) -> i64 {
    (text.chars().count() as i64 + 3) / 4
}

pub(super) const COUNTED: &str = "counted (chars/4)";

/// What a provider collected from one response.
#[derive(Debug, Default)]
pub(super) struct Parts {
    pub text: String,
    /// Reasoning from a dedicated field / block (not from `<think>` tags).
    pub reasoning: String,
    pub reasoning_source: Option<&'static str>,
    pub prompt_tokens: Option<i64>,
    pub completion_tokens: Option<i64>,
    pub reported_reasoning_tokens: Option<i64>,
    pub finish_reason: Option<String>,
}

/// Parts → [`Completion`]: `<think>` tags moved out of the text, reasoning tokens reported or
/// counted, and the empty-response rule: no text and no reasoning is [`ProviderError::Malformed`]
/// unless the model stopped for length (then the orchestrator records what happened).
pub(super) fn assemble(p: Parts, latency: Duration) -> Result<Completion, ProviderError> {
    let mut reasoning = (!p.reasoning.trim().is_empty()).then(|| p.reasoning.trim().to_string());
    let mut source = reasoning.as_ref().and(p.reasoning_source).map(str::to_string);
    let mut text = p.text;
    let tagged = if text.contains("<think>") {
        let (r, answer) = split_reasoning(&text);
        text = answer.trim_start().to_string();
        r
    } else if let Some((before, after)) = text.split_once("</think>") {
        // The chat template opened `<think>` in the prompt (DeepSeek-R1 distills on vLLM without a
        // reasoning parser): everything before the closing tag is the trace.
        let r = before.trim().to_string();
        text = after.trim_start().to_string();
        (!r.is_empty()).then_some(r)
    } else {
        None
    };
    if let Some(r) = tagged {
        match &mut reasoning {
            Some(existing) => {
                existing.push_str("\n\n");
                existing.push_str(&r);
            }
            None => {
                reasoning = Some(r);
                source = Some("think_tags".into());
            }
        }
    }
    if text.trim().is_empty() && reasoning.is_none() && p.finish_reason.as_deref() != Some("length") {
        return Err(ProviderError::Malformed(match &p.finish_reason {
            None => "empty response".to_string(),
            Some(f) => format!("empty response (finish_reason `{f}`)"),
        }));
    }
    let (reasoning_tokens, reasoning_tokens_source) = match (p.reported_reasoning_tokens, &reasoning) {
        (Some(n), None) => (Some(n), Some("reported".to_string())),
        (Some(n), Some(_)) if n > 0 => (Some(n), Some("reported".to_string())),
        (_, Some(r)) => (Some(estimate_tokens(r)), Some(COUNTED.to_string())),
        (None, None) => (None, None),
    };
    Ok(Completion {
        text,
        reasoning,
        reasoning_source: source,
        prompt_tokens: p.prompt_tokens,
        completion_tokens: p.completion_tokens,
        reasoning_tokens,
        reasoning_tokens_source,
        latency_ms: latency.as_secs_f64() * 1e3,
        attempts: 1,
        finish_reason: p.finish_reason,
    })
}

/// An `{"error": {...}}` object (OpenAI style, also sent by proxies inside 200 responses and
/// streams) or Anthropic's `{"type": "error", "error": {...}}`, as [`ProviderError::Api`].
pub(super) fn api_error(v: &serde_json::Value) -> Option<ProviderError> {
    let e = v.get("error").filter(|e| !e.is_null())?;
    let kind = e
        .get("type")
        .and_then(|t| t.as_str())
        .or_else(|| e.get("code").and_then(|c| c.as_str()))
        .map(str::to_string)
        .or_else(|| e.get("code").and_then(|c| c.as_i64()).map(|c| c.to_string()))
        .unwrap_or_else(|| "error".to_string());
    let message = e.get("message").and_then(|m| m.as_str()).map(str::to_string).unwrap_or_else(|| e.to_string());
    if is_quota_body(&message) || is_quota_body(&kind) {
        return Some(ProviderError::Quota(trim_chars(&format!("{kind}: {message}"), BODY_LIMIT)));
    }
    Some(ProviderError::Api { kind, message: trim_chars(&message, BODY_LIMIT) })
}

/// `v` as an i64 if it is an integer.
pub(super) fn int(v: Option<&serde_json::Value>) -> Option<i64> {
    v.and_then(|x| x.as_i64())
}

/// A short excerpt of a payload for a `Malformed` message.
pub(super) fn excerpt(s: &str) -> String {
    trim_chars(s, 200)
}

/// How one wire format accumulates a streamed response.
pub(super) trait StreamEvents {
    /// Take one event; `Ok(true)` when it was the terminal event (`[DONE]`, `message_stop`).
    fn event(&mut self, ev: &SseEvent) -> Result<bool, ProviderError>;
    /// What was accumulated.
    fn into_parts(self) -> Parts;
    /// Why a stream that ended before its terminal event is not a response.
    fn truncated(&self) -> String;
}

/// The whole body of a non-streamed response.
pub(super) async fn read_all(resp: &mut reqwest::Response, timeout: Duration) -> Result<Vec<u8>, ProviderError> {
    let mut out = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(b)) => out.extend_from_slice(&b),
            Ok(None) => return Ok(out),
            Err(e) => return Err(body_error(e, out.len(), timeout)),
        }
    }
}

/// Classify the status, then read a JSON body with `parse` or an SSE stream into `acc`; a stream
/// that ends without its terminal event is `Truncated`, never a response.
pub(super) async fn read_response<A: StreamEvents>(
    mut resp: reqwest::Response,
    timeout: Duration,
    mut acc: A,
    parse: fn(&[u8]) -> Result<Parts, ProviderError>,
) -> Result<Parts, ProviderError> {
    let status = resp.status();
    if !status.is_success() {
        let headers = resp.headers().clone();
        let body = resp.text().await.unwrap_or_else(|e| format!("<body unreadable: {}>", chain(&e)));
        return Err(status_error(status.as_u16(), &headers, &body));
    }
    let is_sse = resp
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("text/event-stream"));
    if !is_sse {
        let bytes = read_all(&mut resp, timeout).await?;
        return parse(&bytes);
    }
    let mut parser = SseParser::new();
    let mut received = 0usize;
    loop {
        match resp.chunk().await {
            Ok(Some(bytes)) => {
                received += bytes.len();
                for ev in parser.feed(&bytes) {
                    if acc.event(&ev)? {
                        drain(&mut resp).await;
                        return Ok(acc.into_parts());
                    }
                }
            }
            Ok(None) => break,
            Err(e) => return Err(body_error(e, received, timeout)),
        }
    }
    if let Some(ev) = parser.finish()
        && acc.event(&ev)?
    {
        return Ok(acc.into_parts());
    }
    Err(ProviderError::Truncated(acc.truncated()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn retry_after_in_seconds_milliseconds_and_http_dates() {
        assert_eq!(retry_after(&headers(&[("retry-after", "3")])), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(&headers(&[("retry-after", "1.5")])), Some(Duration::from_millis(1500)));
        // OpenAI sends both; the precise one wins
        let both = headers(&[("retry-after", "1"), ("retry-after-ms", "250")]);
        assert_eq!(retry_after(&both), Some(Duration::from_millis(250)));
        assert_eq!(retry_after(&headers(&[])), None);
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_http_date("Tue, 29 Feb 2028 12:00:00 GMT"), Some(1_835_438_400));
        assert_eq!(parse_http_date("yesterday"), None);
        // a date in the past means "now"; one in the future is the time until then
        let past = headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]);
        assert_eq!(retry_after(&past), Some(Duration::ZERO));
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        let future = imf_fixdate(now + 120);
        let d = retry_after(&headers(&[("retry-after", &future)])).unwrap();
        assert!(d > Duration::from_secs(110) && d <= Duration::from_secs(120), "{d:?} from {future}");
    }

    fn imf_fixdate(t: i64) -> String {
        // civil from days (H. Hinnant)
        let (days, rem) = (t.div_euclid(86_400), t.rem_euclid(86_400));
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        format!(
            "Mon, {d:02} {} {y} {:02}:{:02}:{:02} GMT",
            MONTHS[m as usize - 1],
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        )
    }

    #[test]
    fn quota_wording_is_not_a_rate_limit() {
        let h = headers(&[("retry-after", "20")]);
        let openai = r#"{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota"}}"#;
        assert!(matches!(status_error(429, &h, openai), ProviderError::Quota(_)));
        let anthropic = r#"{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API."}}"#;
        assert!(matches!(status_error(400, &h, anthropic), ProviderError::Quota(_)));
        assert!(matches!(status_error(402, &h, "Insufficient Balance"), ProviderError::Quota(_)));
        let rl = status_error(429, &h, r#"{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}"#);
        assert_eq!(rl.retry_after(), Some(Duration::from_secs(20)));
        assert!(rl.is_retryable());
        // long bodies are trimmed
        match status_error(400, &h, &"x".repeat(5000)) {
            ProviderError::Http { body, .. } => assert!(body.chars().count() < 600, "{}", body.len()),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn assembling_reasoning_and_the_empty_rule() {
        let p = |text: &str, finish: Option<&str>| Parts {
            text: text.into(),
            finish_reason: finish.map(str::to_string),
            ..Parts::default()
        };
        // a closing tag without an opening one (the template opened it)
        let c = assemble(p("plan the loop</think>\n\nint x;", Some("stop")), Duration::ZERO).unwrap();
        assert_eq!((c.reasoning.as_deref(), c.text.as_str()), (Some("plan the loop"), "int x;"));
        assert_eq!(c.reasoning_source.as_deref(), Some("think_tags"));
        assert!(matches!(assemble(p("  \n", Some("stop")), Duration::ZERO), Err(ProviderError::Malformed(_))));
        // out of tokens while reasoning (hidden trace): still a completion, the caller decides
        let hidden = Parts { reported_reasoning_tokens: Some(4000), ..p("", Some("length")) };
        let c = assemble(hidden, Duration::ZERO).unwrap();
        assert_eq!((c.text.as_str(), c.reasoning_tokens), ("", Some(4000)));
        assert_eq!(c.reasoning_tokens_source.as_deref(), Some("reported"));
    }

    #[test]
    fn redaction_reaches_nested_errors() {
        let r = Redactor::new(Some("sk-live-123456"));
        let e = ProviderError::Exhausted {
            attempts: 2,
            last: Box::new(ProviderError::Http {
                status: 401,
                body: "bad key sk-live-123456".into(),
                retry_after: None,
            }),
        };
        assert!(!format!("{:?}", r.error(e)).contains("sk-live-123456"));
    }
}
