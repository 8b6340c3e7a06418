//! Throughput of concurrent model requests: the mock API answers every request after a fixed
//! 200 ms, and the same provider (one reqwest client, pooled HTTP/1.1 connections) sends requests
//! through `complete_with_retry` one at a time, then 32 at a time (tokio tasks bounded by a
//! semaphore). With the latency dominating, 32 in flight should give close to 32× the requests
//! per second of one.
//!
//! `cargo bench -p kernelsmith --bench provider_concurrency` (`KS_BENCH_REPEAT=n` sets the answer
//! length: n × 79 characters, default 8).

#[path = "../src/providers/mod.rs"]
#[allow(dead_code)]
mod providers;

#[path = "../tests/support/mock_api.rs"]
mod mock_api;

use mock_api::MockApi;
use providers::retry::{RetryPolicy, complete_with_retry};
use providers::{CompletionRequest, Message, Provider, ProviderOptions, Role, Sampling, from_spec_with_env};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

const LATENCY: Duration = Duration::from_millis(200);

fn request(i: u32) -> CompletionRequest {
    CompletionRequest {
        messages: vec![
            Message { role: Role::System, content: "You write fast C kernels.".into() },
            Message { role: Role::User, content: format!("Write kernel number {i}.") },
        ],
        sampling: Sampling { temperature: Some(0.0), top_p: None, max_tokens: 1024 },
        task_id: format!("task{i}"),
        platform: "cpu".into(),
        sample_idx: 0,
        turn: 0,
    }
}

struct Row {
    concurrency: usize,
    requests: usize,
    wall: Duration,
    median_ms: f64,
}

impl Row {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.wall.as_secs_f64()
    }
}

async fn measure(p: Arc<dyn Provider>, concurrency: usize, requests: usize) -> Row {
    let sem = Arc::new(Semaphore::new(concurrency));
    let policy = RetryPolicy::default();
    let t0 = Instant::now();
    let tasks: Vec<_> = (0..requests)
        .map(|i| {
            let (p, sem, policy) = (p.clone(), sem.clone(), policy.clone());
            tokio::spawn(async move {
                let _permit = sem.acquire_owned().await.expect("semaphore");
                let t = Instant::now();
                let c = complete_with_retry(p.as_ref(), &request(i as u32), &policy).await.expect("completion");
                assert_eq!(c.attempts, 1);
                t.elapsed().as_secs_f64() * 1e3
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(requests);
    for t in tasks {
        latencies.push(t.await.expect("task"));
    }
    let wall = t0.elapsed();
    latencies.sort_by(f64::total_cmp);
    let n = latencies.len();
    let median_ms = if n % 2 == 1 { latencies[n / 2] } else { (latencies[n / 2 - 1] + latencies[n / 2]) / 2.0 };
    Row { concurrency, requests, wall, median_ms }
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        // ~630 characters streamed in ~90 SSE events; KS_BENCH_REPEAT scales the answer
        let repeat: usize = std::env::var("KS_BENCH_REPEAT").ok().and_then(|v| v.parse().ok()).unwrap_or(8);
        let answer =
            "```c\nvoid k(float* x, int n) { for (int i = 0; i < n; i++) x[i] *= 2.0f; }\n```\n".repeat(repeat);
        let mock = MockApi::start(answer).await;
        let opts = ProviderOptions { base_url: Some(mock.base_url.clone()), ..ProviderOptions::default() };
        let p: Arc<dyn Provider> =
            Arc::from(from_spec_with_env("openai-compatible:ok", &opts, &|_| None).expect("provider"));
        // warm-up (connection set-up), then the floor: the same work with no latency, which is
        // what this machine's cores add on top of the 200 ms (mock and client share them)
        measure(p.clone(), 32, 32).await;
        let floor = measure(p.clone(), 32, 64).await;
        mock.set_latency(LATENCY);

        let one = measure(p.clone(), 1, 8).await;
        let many = measure(p.clone(), 32, 64).await;

        println!(
            "provider_concurrency: mock API with {} ms latency, streamed OpenAI-style responses",
            LATENCY.as_millis()
        );
        println!();
        println!("| concurrency | requests | wall (s) | requests/s | median latency (ms) |");
        println!("|---:|---:|---:|---:|---:|");
        for r in [&one, &many] {
            println!(
                "| {} | {} | {:.3} | {:.2} | {:.1} |",
                r.concurrency,
                r.requests,
                r.wall.as_secs_f64(),
                r.rps(),
                r.median_ms
            );
        }
        println!();
        println!(
            "throughput ratio (32 vs 1): {:.1}x (ideal 32x); requests served by the mock: {}",
            many.rps() / one.rps(),
            mock.requests()
        );
        println!(
            "without latency, 64 requests at concurrency 32 take {:.0} ms on this machine ({} cores shared by \
             the mock and the client): that CPU time is the gap to 32x",
            floor.wall.as_secs_f64() * 1e3,
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
        );
    });
}
