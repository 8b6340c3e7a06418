//! `kernelsmith run`: the main job.
//!
//! Every (task, sample) is one tokio task that walks its refinement turns: prompt → model →
//! extract → evaluate → one SQLite transaction, then feedback and the next turn. Model requests
//! run `--concurrency` at a time (and under `--rpm`); evaluations run alongside, compiles and
//! correctness trials up to the core count, and timing alone on the device ([`DeviceLock`]), so
//! model calls never wait for compiles and measurements are never disturbed.
//!
//! Nothing finished is ever redone or lost: every turn is stored in its own transaction under the
//! unique key (run, task, sample, turn); re-running a run id continues each sample from its last
//! stored turn (the conversation is rebuilt from the stored messages), so a run killed at any
//! moment loses at most the requests and evaluations in flight. Complete responses are cached by
//! a hash of (provider, model, messages, sampling, sample index), so a resumed or repeated run does
//! not pay twice. Ctrl-C stops starting new work and lets work in flight finish (twice: at once).

use crate::cli::RunArgs;
use crate::cmd_eval::human_ns;
use crate::config::Config;
use crate::prices::Prices;
use crate::providers::retry::{RetryPolicy, complete_with_retry};
use crate::providers::{
    Completion, CompletionRequest, Message, Provider, ProviderError, ProviderOptions, Role, Sampling, from_spec,
};
use crate::{parse_size, platforms};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kernelsmith_platform::eval::DeviceLock;
use kernelsmith_platform::{EvalOptions, EvalReport, Outcome, Platform, evaluate};
use kernelsmith_prompts::{Attempt, extract_code, render_feedback};
use kernelsmith_results::{NewEvaluation, NewGeneration, NewRun, Store, TurnRow};
use kernelsmith_tasks::{Registry, SizeName, Task};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// UTC `YYYYmmdd-HHMMSS` without a date library (civil-from-days, H. Hinnant).
fn utc_stamp() -> String {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}{m:02}{d:02}-{:02}{:02}{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

fn to_evaluation(r: &EvalReport) -> NewEvaluation {
    NewEvaluation {
        outcome: r.outcome.as_str().into(),
        reason: r.reason.clone(),
        hack_label: r.hack_label.clone(),
        flags: r.flags.clone(),
        compile_log: r.compile_log.clone(),
        worker_log: r.worker_log.clone(),
        max_abs_err: r.max_abs_err,
        max_rel_err: r.max_rel_err,
        first_bad_index: r.first_bad_index,
        failed_trial: r.failed_trial.clone(),
        speedup: r.speedup,
        candidate_median_ns: r.timing.as_ref().map(|t| t.candidate_median_ns),
        baseline_median_ns: r.timing.as_ref().map(|t| t.baseline_median_ns),
        compile_ms: r.compile_ms,
        eval_wall_ms: Some(r.wall_ms),
        samples: r
            .timing
            .as_ref()
            .map(|t| t.candidate_ns.iter().copied().zip(t.baseline_ns.iter().copied()).collect())
            .unwrap_or_default(),
        report_json: serde_json::to_string(r).unwrap_or_default(),
    }
}

/// A correct attempt at least this much faster than the baseline ends a sample's refinement.
const FAST_ENOUGH: f64 = 1.0;

/// What the next turn is told about an attempt, from a fresh report.
fn attempt_from_report(r: &EvalReport) -> Attempt {
    let log = match r.outcome {
        Outcome::CompileFailed => r.compile_log.clone(),
        Outcome::RuntimeError | Outcome::Crashed | Outcome::Timeout => r.worker_log.clone(),
        _ => None,
    };
    Attempt {
        outcome: r.outcome.as_str().into(),
        reason: r.reason.clone().unwrap_or_default(),
        log,
        speedup: r.speedup,
        candidate_time: r.timing.as_ref().map(|t| human_ns(t.candidate_median_ns)),
        baseline_time: r.timing.as_ref().map(|t| human_ns(t.baseline_median_ns)),
    }
}

/// The same, from a stored turn (resume).
fn attempt_from_row(t: &TurnRow) -> Option<Attempt> {
    let outcome = t.outcome.clone()?;
    let parsed: Option<serde_json::Value> = t.report_json.as_deref().and_then(|j| serde_json::from_str(j).ok());
    let timing = parsed.as_ref().and_then(|p| p.get("timing")).filter(|t| !t.is_null());
    let log = match outcome.as_str() {
        "compile_failed" => t.compile_log.clone(),
        "runtime_error" | "crashed" | "timeout" => {
            parsed.as_ref().and_then(|p| p["worker_log"].as_str().map(String::from))
        }
        _ => None,
    };
    Some(Attempt {
        outcome,
        reason: t.reason.clone().unwrap_or_default(),
        log,
        speedup: t.speedup,
        candidate_time: timing.and_then(|t| t["candidate_median_ns"].as_f64()).map(human_ns),
        baseline_time: timing.and_then(|t| t["baseline_median_ns"].as_f64()).map(human_ns),
    })
}

/// Whether a sample stops after an attempt with this outcome and speedup.
fn is_final(outcome: Option<&str>, speedup: Option<f64>, turn: u32, turns: u32) -> bool {
    turn + 1 >= turns
        || match outcome {
            None => true, // a recorded generation error ends the sample
            Some("passed") => speedup.is_none_or(|s| s >= FAST_ENOUGH),
            Some(_) => false,
        }
}

/// Spaces requests `60/rpm` seconds apart.
struct RateLimiter {
    interval: Duration,
    next: tokio::sync::Mutex<Instant>,
}

impl RateLimiter {
    async fn wait(&self) {
        let mut next = self.next.lock().await;
        let now = Instant::now();
        let at = (*next).max(now);
        *next = at + self.interval;
        drop(next);
        tokio::time::sleep_until(at.into()).await;
    }
}

#[derive(Default)]
struct Tally {
    outcomes: BTreeMap<String, u32>,
    tokens: i64,
    cost: f64,
    samples_done: u64,
    harness_errors: u32,
}

/// Everything the per-sample tasks share.
struct Shared {
    run_id: String,
    model: String,
    platform_name: String,
    store: Store,
    provider: Box<dyn Provider>,
    platform: Arc<dyn Platform>,
    registry: Registry,
    tasks: Vec<Task>,
    size: SizeName,
    prices: Prices,
    opts: EvalOptions,
    /// `--sanitize`: compute-sanitizer reruns of passing cuda kernels.
    sanitizer: Option<Arc<kernelsmith_platform_cuda::CudaPlatform>>,
    sampling: Sampling,
    retry: RetryPolicy,
    turns: u32,
    cache_responses: bool,
    generate: Semaphore,
    evaluate: Semaphore,
    rate: Option<RateLimiter>,
    interrupts: Arc<AtomicU32>,
    /// Set when the API refuses for good (quota, auth): the run stops without recording.
    fatal: Mutex<Option<String>>,
    tally: Mutex<Tally>,
    bar: ProgressBar,
    tty: bool,
    started: Instant,
}

impl Shared {
    fn stopping(&self) -> bool {
        self.interrupts.load(Ordering::SeqCst) > 0 || self.fatal.lock().unwrap().is_some()
    }

    fn log(&self, line: String) {
        if self.tty {
            self.bar.println(line);
        } else {
            eprintln!("{line}");
        }
    }

    fn progress_message(&self) -> String {
        let t = self.tally.lock().unwrap();
        let passed = t.outcomes.get("passed").copied().unwrap_or(0);
        let failed: u32 = t.outcomes.iter().filter(|(k, _)| *k != "passed").map(|(_, v)| v).sum();
        let mins = self.started.elapsed().as_secs_f64() / 60.0;
        let rate = if mins > 0.0 { t.samples_done as f64 / mins } else { 0.0 };
        format!("passed {passed} failed {failed} | {:.1}k tok | ${:.4} | {rate:.1}/min", t.tokens as f64 / 1e3, t.cost)
    }

    fn cache_key(&self, req: &CompletionRequest) -> String {
        let ident = serde_json::json!({
            "provider": self.provider.id(), "messages": req.messages, "sampling": req.sampling, "sample_idx": req.sample_idx,
        });
        kernelsmith_platform::content_hash(&[ident.to_string().as_bytes()])
    }

    /// One model call, through the response cache. `Ok((completion, cached))`.
    async fn generate(&self, req: &CompletionRequest) -> Result<(Completion, bool), ProviderError> {
        let key = self.cache_key(req);
        if self.cache_responses
            && let Ok(Some(json)) = self.store.cache_get(&key).await
            && let Ok(c) = serde_json::from_str::<Completion>(&json)
        {
            return Ok((c, true));
        }
        let _permit = self.generate.acquire().await.expect("semaphore open");
        if let Some(rate) = &self.rate {
            rate.wait().await;
        }
        let c = complete_with_retry(self.provider.as_ref(), req, &self.retry).await?;
        if self.cache_responses
            && (!c.text.trim().is_empty() || c.reasoning.is_some())
            && let Ok(json) = serde_json::to_string(&c)
        {
            let _ = self.store.cache_put(&key, &self.provider.id(), &json).await;
        }
        Ok((c, false))
    }
}

/// Errors after which asking again cannot help: stop the whole run instead of recording them.
fn is_fatal(e: &ProviderError) -> bool {
    let e = match e {
        ProviderError::Exhausted { last, .. } => last.as_ref(),
        other => other,
    };
    matches!(e, ProviderError::Quota(_) | ProviderError::MissingKey { .. } | ProviderError::BadSpec(_))
        || matches!(e, ProviderError::Http { status: 401 | 403 | 404, .. })
}

async fn run_sample(sh: Arc<Shared>, ti: usize, sample_idx: u32) -> anyhow::Result<()> {
    let task = &sh.tasks[ti];
    let history = sh.store.sample_turns(&sh.run_id, &task.id, sample_idx).await?;
    let lang = sh.platform.language();
    let fence = lang.fence_tags[0];

    // Where to start: a fresh conversation, or the one the stored turns left off.
    let (mut messages, mut parent_id, mut prev_code, start_turn, mut feedback) = match history.last() {
        None => {
            let facts = platforms::facts(sh.platform.as_ref(), task);
            let prompt = kernelsmith_prompts::render(task, sh.registry.exemplar_for(task), &facts, sh.size)?;
            let msgs = vec![
                Message { role: Role::System, content: prompt.system },
                Message { role: Role::User, content: prompt.user },
            ];
            (msgs, None, None, 0u32, None)
        }
        Some(last) => {
            if is_final(last.outcome.as_deref(), last.speedup, last.turn, sh.turns) {
                return Ok(());
            }
            let mut msgs: Vec<Message> = serde_json::from_str(last.messages_json.as_deref().unwrap_or("[]"))
                .with_context(|| {
                    format!("stored conversation of {} sample {sample_idx} turn {} is unreadable", task.id, last.turn)
                })?;
            let attempt = attempt_from_row(last).unwrap_or(Attempt {
                outcome: "extract_failed".into(),
                reason: "no evaluation".into(),
                log: None,
                speedup: None,
                candidate_time: None,
                baseline_time: None,
            });
            let fb = render_feedback(&attempt, fence)?;
            msgs.push(Message { role: Role::Assistant, content: last.response.clone().unwrap_or_default() });
            msgs.push(Message { role: Role::User, content: fb.clone() });
            (msgs, Some(last.generation_id), last.extracted_code.clone(), last.turn + 1, Some(fb))
        }
    };

    for turn in start_turn..sh.turns {
        if sh.stopping() {
            return Ok(());
        }
        let req = CompletionRequest {
            messages: messages.clone(),
            sampling: sh.sampling.clone(),
            task_id: task.id.clone(),
            platform: sh.platform_name.clone(),
            sample_idx,
            turn,
        };
        let mut generation = NewGeneration {
            run_id: sh.run_id.clone(),
            task_id: task.id.clone(),
            category: task.category.clone(),
            sample_idx,
            turn,
            parent_id,
            prompt: if turn == 0 { transcript(&messages) } else { feedback.clone().unwrap_or_default() },
            messages_json: Some(serde_json::to_string(&messages)?),
            feedback: feedback.clone(),
            ..NewGeneration::default()
        };
        let mut report = None;
        match sh.generate(&req).await {
            Err(e) if is_fatal(&e) => {
                let mut f = sh.fatal.lock().unwrap();
                if f.is_none() {
                    *f = Some(format!("the model API refused ({e}); stopping the run without recording this sample"));
                }
                return Ok(());
            }
            Err(e) => {
                generation.error = Some(e.to_string());
                if let ProviderError::Exhausted { attempts, .. } = &e {
                    generation.attempts = Some(*attempts as i64);
                }
            }
            Ok((c, cached)) => {
                generation.response = Some(c.text.clone());
                generation.reasoning = c.reasoning.clone();
                generation.reasoning_source = c.reasoning_source.clone();
                generation.reasoning_tokens_source = c.reasoning_tokens_source.clone();
                generation.prompt_tokens = c.prompt_tokens;
                generation.completion_tokens = c.completion_tokens;
                generation.reasoning_tokens = c.reasoning_tokens;
                generation.latency_ms = Some(c.latency_ms);
                generation.finish_reason = c.finish_reason.clone();
                generation.attempts = Some(c.attempts as i64);
                generation.cached = cached;
                generation.cost_usd =
                    if cached { Some(0.0) } else { sh.prices.cost(&sh.model, c.prompt_tokens, c.completion_tokens) };
                let r = match extract_code(&c.text, lang.fence_tags) {
                    Err(e) => {
                        EvalReport::early(&task.id, sh.platform.name(), sh.size.name(), Outcome::ExtractFailed, e.0)
                    }
                    Ok(code) => {
                        if let Some(prev) = &prev_code {
                            let diff = similar::TextDiff::from_lines(prev.as_str(), code.as_str());
                            generation.code_diff = Some(
                                diff.unified_diff()
                                    .context_radius(3)
                                    .header(&format!("turn {}", turn - 1), &format!("turn {turn}"))
                                    .to_string(),
                            );
                        }
                        generation.extracted_code = Some(code.clone());
                        prev_code = Some(code.clone());
                        let _permit = sh.evaluate.acquire().await.expect("semaphore open");
                        if sh.stopping() {
                            // Stopping: an evaluation not yet started is work in flight, not work done.
                            return Ok(());
                        }
                        let (p, t, o) = (Arc::clone(&sh.platform), task.clone(), sh.opts.clone());
                        let san = sh.sanitizer.clone();
                        match tokio::task::spawn_blocking(move || {
                            let mut r = evaluate(p.as_ref(), &t, &code, &o)?;
                            if let Some(s) = &san {
                                crate::cmd_eval::apply_sanitizer(s, &t, &code, &o.device, &mut r);
                            }
                            Ok::<_, kernelsmith_platform::PlatformError>(r)
                        })
                        .await?
                        {
                            Ok(r) => r,
                            Err(e) => {
                                sh.tally.lock().unwrap().harness_errors += 1;
                                sh.log(format!("harness error on {} sample {sample_idx} turn {turn} (not recorded; resume to retry): {e:#}", task.id));
                                return Ok(());
                            }
                        }
                    }
                };
                report = Some(r);
            }
        }
        let evaluation = report.as_ref().map(to_evaluation);
        let ids = sh
            .store
            .record(&generation, evaluation.as_ref())
            .await
            .with_context(|| format!("cannot store {} sample {sample_idx} turn {turn}", task.id))?;

        let label = report.as_ref().map_or("generation_error".to_string(), |r| r.outcome.as_str().to_string());
        let last = is_final(
            report.as_ref().map(|r| r.outcome.as_str()),
            report.as_ref().and_then(|r| r.speedup),
            turn,
            sh.turns,
        );
        {
            let mut t = sh.tally.lock().unwrap();
            t.tokens += generation.prompt_tokens.unwrap_or(0) + generation.completion_tokens.unwrap_or(0);
            t.cost += generation.cost_usd.unwrap_or(0.0);
            if last {
                *t.outcomes.entry(label.clone()).or_default() += 1;
                t.samples_done += 1;
            }
        }
        let detail = match &report {
            Some(r) if r.outcome == Outcome::Passed => match &r.timing {
                Some(t) => format!(
                    "speedup {:.2}x ({} vs {})",
                    t.speedup,
                    human_ns(t.candidate_median_ns),
                    human_ns(t.baseline_median_ns)
                ),
                None => "correct".into(),
            },
            Some(r) => r.reason.clone().unwrap_or_default().chars().take(140).collect(),
            None => generation.error.clone().unwrap_or_default(),
        };
        let turn_note = if sh.turns > 1 { format!(" turn {turn}") } else { String::new() };
        sh.log(format!(
            "{} #{sample_idx}{turn_note}: {label}{} — {detail}",
            task.id,
            if generation.cached { " (cached)" } else { "" }
        ));
        if last {
            sh.bar.inc(1);
        }
        sh.bar.set_message(sh.progress_message());
        if last {
            return Ok(());
        }
        let r = report.as_ref().expect("only evaluated turns continue");
        let fb = render_feedback(&attempt_from_report(r), fence)?;
        messages.push(Message { role: Role::Assistant, content: generation.response.clone().unwrap_or_default() });
        messages.push(Message { role: Role::User, content: fb.clone() });
        feedback = Some(fb);
        parent_id = Some(ids.generation_id);
    }
    Ok(())
}

/// The first turn's prompt as stored: `[system]` and `[user]` sections.
fn transcript(messages: &[Message]) -> String {
    let role = |r: Role| match r {
        Role::System => "system",
        Role::User => "user",
        Role::Assistant => "assistant",
    };
    messages.iter().map(|m| format!("[{}]\n{}", role(m.role), m.content)).collect::<Vec<_>>().join("\n\n")
}

/// A resumed run keeps the task selection, samples and turns it was started with; explicit
/// options must agree with them (a resume must not widen or narrow the run).
async fn settle_run_shape(store: &Store, run_id: &str, a: &mut RunArgs) -> anyhow::Result<()> {
    let stored = store.get_run(run_id).await?;
    let cfg: serde_json::Value =
        stored.as_ref().and_then(|r| serde_json::from_str(&r.run.config_json).ok()).unwrap_or(serde_json::Value::Null);
    let tasks = cfg["tasks"].as_str().map(String::from);
    let samples = cfg["samples"].as_u64().map(|v| v as u32);
    let turns = cfg["turns"].as_u64().map(|v| v as u32);
    macro_rules! keep {
        ($field:ident, $stored:expr, $flag:literal) => {
            match (&a.$field, $stored) {
                (Some(given), Some(stored)) if *given != stored => anyhow::bail!(
                    "run `{run_id}` was started with {} {:?}; resume it without {} (or with the same value), or choose another --run-id",
                    $flag,
                    stored,
                    $flag
                ),
                (None, Some(stored)) => a.$field = Some(stored),
                _ => {}
            }
        };
    }
    if stored.is_some() {
        keep!(tasks, tasks, "--tasks");
        keep!(samples, samples, "--samples");
        keep!(turns, turns, "--turns");
    }
    Ok(())
}

pub async fn run(cfg: &Config, mut a: RunArgs) -> anyhow::Result<()> {
    let registry = cfg.registry()?;
    let store = Store::open(&cfg.db).await?;
    if let Some(id) = a.resume.clone().or(a.run_id.clone()) {
        settle_run_shape(&store, &id, &mut a).await?;
    }
    let a = RunArgs {
        tasks: Some(a.tasks.clone().unwrap_or_else(|| "all".into())),
        samples: Some(a.samples.unwrap_or(1)),
        turns: Some(a.turns.unwrap_or(1)),
        ..a
    };
    let (sel, samples, turns) = (a.tasks.clone().unwrap(), a.samples.unwrap(), a.turns.unwrap());
    let tasks: Vec<Task> = registry.select(&sel)?.into_iter().cloned().collect();
    for t in &tasks {
        t.check_reference()?;
    }
    let popts = ProviderOptions {
        base_url: a.base_url.clone(),
        timeout: Duration::from_secs_f64(a.request_timeout.max(0.1)),
        stream: !a.no_stream,
    };
    let provider = from_spec(&a.model, &popts)?;
    let prices = Prices::load(a.prices.as_deref())?;
    let (platform, entry) = platforms::executable(cfg, &a.platform)?;
    let sanitizer = crate::cmd_eval::sanitizer(cfg, &a.platform, a.sanitize)?;
    let platform: Arc<dyn Platform> = Arc::from(platform);
    let size = match &a.size {
        Some(s) => parse_size(s)?,
        None => platform.default_size().unwrap_or(entry.default_size),
    };
    let sampling = Sampling {
        temperature: Some(a.temperature.unwrap_or(if samples == 1 { 0.0 } else { 1.0 })),
        top_p: a.top_p,
        max_tokens: a.max_tokens,
    };
    let is_replay = a.model.starts_with("replay:");
    if !is_replay && prices.for_model(&a.model).is_none() {
        eprintln!("note: no price for `{}` in the price table; costs show as 0 (add it with --prices FILE)", a.model);
    }
    // Create or resume the run.
    let run_id = a.resume.clone().or(a.run_id.clone()).unwrap_or_else(|| {
        let model: String =
            a.model.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect();
        format!("{}-{}", utc_stamp(), model.trim_matches('_'))
    });
    match store.get_run(&run_id).await? {
        Some(existing) => {
            let r = &existing.run;
            if r.model != a.model || r.platform != a.platform || r.size != size.name() {
                anyhow::bail!(
                    "run `{run_id}` exists with model `{}`, platform `{}`, size `{}`; resume it with the same settings or choose another --run-id",
                    r.model,
                    r.platform,
                    r.size
                );
            }
            eprintln!("resuming run {run_id}");
        }
        None if a.resume.is_some() => {
            anyhow::bail!(
                "no run `{run_id}` in {} to resume (run ids are printed when `kernelsmith run` starts; is --db the same database?)",
                store.location()
            )
        }
        None => {
            let probe = platform.probe();
            let (compiler, flags) = platform.toolchain();
            let config_json = serde_json::json!({
                "tasks": sel, "samples": samples, "turns": turns, "size": size.name(), "seed": a.seed, "time": !a.no_time,
                "sampling": sampling, "concurrency": a.concurrency, "rpm": a.rpm, "base_url": a.base_url, "stream": !a.no_stream,
                "sanitize": a.sanitize,
                "task_ids": tasks.iter().map(|t| &t.id).collect::<Vec<_>>(),
            })
            .to_string();
            store
                .create_run(&NewRun {
                    id: run_id.clone(),
                    model: a.model.clone(),
                    platform: a.platform.clone(),
                    size: size.name().into(),
                    samples,
                    seed: a.seed,
                    harness_version: env!("CARGO_PKG_VERSION").into(),
                    git_rev: Some(env!("KERNELSMITH_GIT_REV").to_string()).filter(|s| !s.is_empty()),
                    device: probe.device,
                    compiler,
                    compiler_flags: flags,
                    timing_method: platform.timing_method().into(),
                    config_json,
                })
                .await?;
        }
    }
    store.set_run_status(&run_id, "running").await?;
    let total = tasks.len() as u64 * samples as u64;
    let done_before = finished_samples(&store, &run_id, &tasks, samples, turns).await?;
    eprintln!(
        "run {run_id}: {} task(s) × {} sample(s) × up to {} turn(s) on {} (size {}), {done_before} already done; results in {}",
        tasks.len(),
        samples,
        turns,
        a.platform,
        size,
        store.location()
    );

    // Ctrl-C: first press stops starting new work, second exits at once.
    let interrupts = Arc::new(AtomicU32::new(0));
    {
        let interrupts = Arc::clone(&interrupts);
        tokio::spawn(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                if interrupts.fetch_add(1, Ordering::SeqCst) >= 1 {
                    eprintln!("\ninterrupted twice: exiting now (finished samples are saved; resume with --resume)");
                    std::process::exit(130);
                }
                eprintln!("\nstopping after the work in flight (Ctrl-C again to exit now)");
            }
        });
    }

    let tty = std::io::stderr().is_terminal();
    let bar = if tty {
        let b = ProgressBar::new(total);
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} samples {msg} (eta {eta})",
            )
            .unwrap(),
        );
        b.set_position(done_before);
        b.enable_steady_tick(Duration::from_millis(200));
        b
    } else {
        ProgressBar::hidden()
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Measured once per machine (cached on disk), before any evaluation needs it.
    let peak = if a.no_time { None } else { platform.device_peak() };
    let shared = Arc::new(Shared {
        run_id: run_id.clone(),
        model: a.model.clone(),
        platform_name: a.platform.clone(),
        store: store.clone(),
        provider,
        platform,
        registry,
        tasks,
        size,
        prices,
        opts: EvalOptions {
            size,
            seed: a.seed,
            time: !a.no_time,
            device: DeviceLock::machine_wide(&a.platform),
            peak,
            max_speedup: a.max_speedup,
            reference_cache: Some(cfg.reference_cache()),
            ..EvalOptions::default()
        },
        sanitizer,
        sampling,
        retry: RetryPolicy { max_attempts: a.attempts, ..RetryPolicy::default() },
        turns,
        cache_responses: !is_replay,
        generate: Semaphore::new(a.concurrency as usize),
        evaluate: Semaphore::new(cores),
        rate: a.rpm.filter(|r| *r > 0).map(|r| RateLimiter {
            interval: Duration::from_secs_f64(60.0 / r as f64),
            next: tokio::sync::Mutex::new(Instant::now()),
        }),
        interrupts: Arc::clone(&interrupts),
        fatal: Mutex::new(None),
        tally: Mutex::new(Tally::default()),
        bar,
        tty,
        started: Instant::now(),
    });

    let mut jobs = tokio::task::JoinSet::new();
    for ti in 0..shared.tasks.len() {
        for s in 0..samples {
            jobs.spawn(run_sample(Arc::clone(&shared), ti, s));
        }
    }
    let mut first_error = None;
    while let Some(joined) = jobs.join_next().await {
        match joined {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                // A store failure or an unreadable stored conversation: stop starting new work.
                shared.interrupts.fetch_add(1, Ordering::SeqCst);
                first_error.get_or_insert(e);
            }
            Err(e) => {
                first_error.get_or_insert(anyhow::anyhow!("a sample task panicked: {e}"));
            }
        }
    }
    shared.bar.finish_and_clear();

    let done_after = finished_samples(&store, &run_id, &shared.tasks, samples, turns).await?;
    let interrupted = interrupts.load(Ordering::SeqCst) > 0;
    let fatal = shared.fatal.lock().unwrap().clone();
    let status = if done_after >= total { "finished" } else { "interrupted" };
    store.set_run_status(&run_id, status).await?;
    let t = shared.tally.lock().unwrap();
    let summary: Vec<String> = t.outcomes.iter().map(|(k, v)| format!("{k} {v}")).collect();
    eprintln!(
        "run {run_id} {status}: {} | {:.1}k tokens, ${:.4}",
        if summary.is_empty() { "nothing new".into() } else { summary.join(", ") },
        t.tokens as f64 / 1e3,
        t.cost
    );
    if done_after < total {
        eprintln!(
            "{} sample(s) not finished ({} harness error(s)); continue with `kernelsmith run --resume {run_id} --model {} --platform {}`",
            total - done_after,
            t.harness_errors,
            a.model,
            a.platform
        );
    }
    eprintln!("see `kernelsmith leaderboard --run {run_id} --by task`");
    if let Some(e) = first_error {
        return Err(e);
    }
    if let Some(f) = fatal {
        anyhow::bail!("{f}");
    }
    if interrupted {
        return Err(crate::Interrupted(format!("run {run_id} interrupted; finished samples are stored")).into());
    }
    Ok(())
}

/// Samples whose last stored turn ends them.
async fn finished_samples(
    store: &Store,
    run_id: &str,
    tasks: &[Task],
    samples: u32,
    turns: u32,
) -> anyhow::Result<u64> {
    let keys = store.finished_keys(run_id).await?;
    let mut n = 0;
    for t in tasks {
        for s in 0..samples {
            let last_turn = keys.iter().filter(|(id, si, _)| id == &t.id && *si == s).map(|(_, _, turn)| *turn).max();
            let Some(last_turn) = last_turn else { continue };
            if last_turn + 1 >= turns {
                n += 1;
                continue;
            }
            let rows = store.sample_turns(run_id, &t.id, s).await?;
            if let Some(last) = rows.last()
                && is_final(last.outcome.as_deref(), last.speedup, last.turn, turns)
            {
                n += 1;
            }
        }
    }
    Ok(n)
}
