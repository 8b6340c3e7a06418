//! Retries: which errors are worth another attempt, and how long to wait.
//!
//! Retried: HTTP 408, 429 (unless the body speaks of quota/billing/credit → `Quota`), 5xx except
//! 501/505 (so 500, 502, 503, 504, 529 and Cloudflare's 52x); connection failures (refused,
//! reset, DNS); dropped connections and truncated streams; per-attempt timeouts; malformed
//! bodies in a 200 response (including an empty answer: flaky proxies and overloaded servers
//! produce both, and a retry is cheap next to a lost sample); API errors reported inside a 200
//! response whose type is `overloaded_error`, `rate_limit_error`, `api_error` or `server_error`.
//! Not retried: other 4xx (400, 401, 403, 404, 422, ...), quota/billing, missing keys, bad specs.
//!
//! Backoff: attempt n (0-based) waits a uniformly random time in `[0, min(max_delay,
//! base_delay·2ⁿ)]` ("full jitter", so many concurrent workers hitting one rate limit spread
//! out), but never less than the server's `Retry-After` / `retry-after-ms`.

use super::{Completion, CompletionRequest, Provider, ProviderError};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How many times to try and how long to wait between tries.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all (1 = no retry).
    pub max_attempts: u32,
    /// The first backoff ceiling; doubles each retry.
    pub base_delay: Duration,
    /// The largest backoff ceiling (a server's `Retry-After` may exceed it).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: 6, base_delay: Duration::from_secs(1), max_delay: Duration::from_secs(60) }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0 = after the first failure).
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let ceiling =
            self.base_delay.checked_mul(2u32.saturating_pow(retry)).unwrap_or(self.max_delay).min(self.max_delay);
        let jittered = ceiling.mul_f64(unit_random());
        jittered.max(retry_after.unwrap_or(Duration::ZERO))
    }
}

/// A uniform number in [0, 1) from the standard library's randomly keyed hasher (no RNG crate).
fn unit_random() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

impl ProviderError {
    /// Whether another attempt can succeed (see the module documentation).
    pub fn is_retryable(&self) -> bool {
        match self {
            ProviderError::Http { status, .. } => retryable_status(*status),
            ProviderError::Timeout(_)
            | ProviderError::Connection(_)
            | ProviderError::Truncated(_)
            | ProviderError::Malformed(_) => true,
            ProviderError::Api { kind, .. } => {
                matches!(
                    kind.as_str(),
                    "overloaded_error" | "rate_limit_error" | "api_error" | "server_error" | "rate_limit_exceeded"
                ) || kind.parse::<u16>().is_ok_and(retryable_status)
            }
            ProviderError::BadSpec(_)
            | ProviderError::MissingKey { .. }
            | ProviderError::Quota(_)
            | ProviderError::NoResponse(_)
            | ProviderError::Exhausted { .. } => false,
        }
    }

    /// The server's minimum wait (`Retry-After`, `retry-after-ms`), when it gave one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ProviderError::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

fn retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429) || ((500..=599).contains(&status) && status != 501 && status != 505)
}

/// One completion with retries: returns the first success (with `attempts` set), the first
/// non-retryable error as is, or [`ProviderError::Exhausted`] after `max_attempts` retryable
/// failures.
pub async fn complete_with_retry(
    p: &dyn Provider,
    req: &CompletionRequest,
    policy: &RetryPolicy,
) -> Result<Completion, ProviderError> {
    complete_with_retry_notify(p, req, policy, &|_, _, _| {}).await
}

/// [`complete_with_retry`], calling `on_retry(failed_attempt, &error, wait)` before each wait
/// (for log lines and progress counters).
pub async fn complete_with_retry_notify(
    p: &dyn Provider,
    req: &CompletionRequest,
    policy: &RetryPolicy,
    on_retry: &(dyn Fn(u32, &ProviderError, Duration) + Send + Sync),
) -> Result<Completion, ProviderError> {
    let max = policy.max_attempts.max(1);
    let mut attempt = 1;
    loop {
        match p.complete(req).await {
            Ok(mut c) => {
                c.attempts = attempt;
                return Ok(c);
            }
            Err(e) if !e.is_retryable() => return Err(e),
            Err(e) if attempt >= max => return Err(ProviderError::Exhausted { attempts: attempt, last: Box::new(e) }),
            Err(e) => {
                let wait = policy.delay(attempt - 1, e.retry_after());
                on_retry(attempt, &e, wait);
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
        }
    }
}
