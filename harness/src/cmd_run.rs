//! `kernelsmith run`: the main job. For every selected task and sample: prompt → model →
//! extract → evaluate → one transaction in SQLite. Finished work is never redone: re-running a run
//! id skips every (task, sample, turn) that already has a row, so a killed run resumes where it
//! stopped. Ctrl-C stops after the sample in flight (twice: at once); nothing finished is lost.

use crate::cli::RunArgs;
use crate::cmd_eval::human_ns;
use crate::config::Config;
use crate::providers::{CompletionRequest, Message, Role, Sampling, from_spec};
use crate::{parse_size, platforms};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kernelsmith_platform::{EvalOptions, EvalReport, Outcome, evaluate};
use kernelsmith_results::{NewEvaluation, NewGeneration, NewRun, Store};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

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

pub async fn run(cfg: &Config, a: RunArgs) -> anyhow::Result<()> {
    let registry = cfg.registry()?;
    let tasks: Vec<kernelsmith_tasks::Task> = registry.select(&a.tasks)?.into_iter().cloned().collect();
    for t in &tasks {
        t.check_reference()?;
    }
    let provider = from_spec(&a.model)?;
    let (platform, entry) = platforms::executable(cfg, &a.platform)?;
    let platform: Arc<dyn kernelsmith_platform::Platform> = Arc::from(platform);
    let size = match &a.size {
        Some(s) => parse_size(s)?,
        None => entry.default_size,
    };
    let store = Store::open(&cfg.db).await?;

    // Create or resume the run.
    let run_id = a.resume.clone().or(a.run_id.clone()).unwrap_or_else(|| {
        let model: String =
            a.model.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect();
        format!("{}-{}", utc_stamp(), model.trim_matches('_'))
    });
    let existing = store.get_run(&run_id).await?;
    match &existing {
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
        None if a.resume.is_some() => anyhow::bail!(
            "no run `{run_id}` in {} to resume (see `kernelsmith leaderboard --format json` for run ids)",
            store.location()
        ),
        None => {
            let probe = platform.probe();
            let (compiler, flags) = platform.toolchain();
            let config_json = serde_json::json!({"tasks": a.tasks, "samples": a.samples, "size": size.name(), "seed": a.seed, "time": !a.no_time, "task_ids": tasks.iter().map(|t| &t.id).collect::<Vec<_>>()}).to_string();
            store
                .create_run(&NewRun {
                    id: run_id.clone(),
                    model: a.model.clone(),
                    platform: a.platform.clone(),
                    size: size.name().into(),
                    samples: a.samples,
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
    let done = store.finished_keys(&run_id).await?;

    let work: Vec<(usize, u32)> = (0..tasks.len())
        .flat_map(|i| (0..a.samples).map(move |s| (i, s)))
        .filter(|(i, s)| !done.contains(&(tasks[*i].id.clone(), *s, 0)))
        .collect();
    let total = tasks.len() as u64 * a.samples as u64;
    eprintln!(
        "run {run_id}: {} task(s) × {} sample(s) on {} (size {}), {} already done; results in {}",
        tasks.len(),
        a.samples,
        a.platform,
        size,
        total - work.len() as u64,
        store.location()
    );

    // Ctrl-C: first press stops after the sample in flight, second exits at once.
    let interrupts = Arc::new(AtomicU32::new(0));
    {
        let interrupts = Arc::clone(&interrupts);
        tokio::spawn(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                if interrupts.fetch_add(1, Ordering::SeqCst) >= 1 {
                    eprintln!("\ninterrupted twice: exiting now (finished samples are saved; resume with --resume)");
                    std::process::exit(130);
                }
                eprintln!("\nstopping after the sample in flight (Ctrl-C again to exit now)");
            }
        });
    }

    let tty = std::io::stderr().is_terminal();
    let bar = if tty {
        let b = ProgressBar::new(total);
        b.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg} (eta {eta})")
                .unwrap(),
        );
        b.set_position(total - work.len() as u64);
        b
    } else {
        ProgressBar::hidden()
    };
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    let mut harness_errors = 0u32;
    let opts = EvalOptions { size, seed: a.seed, time: !a.no_time, ..EvalOptions::default() };
    let n_work = work.len();
    for (k, (ti, sample_idx)) in work.into_iter().enumerate() {
        if interrupts.load(Ordering::SeqCst) > 0 {
            break;
        }
        let task = &tasks[ti];
        let facts = platforms::facts(platform.as_ref(), task);
        let prompt = kernelsmith_prompts::render(task, registry.exemplar_for(task), &facts, size)?;
        let req = CompletionRequest {
            messages: vec![
                Message { role: Role::System, content: prompt.system.clone() },
                Message { role: Role::User, content: prompt.user.clone() },
            ],
            sampling: Sampling { temperature: Some(0.0), top_p: None, max_tokens: 16_384 },
            task_id: task.id.clone(),
            platform: a.platform.clone(),
            sample_idx,
            turn: 0,
        };
        let full_prompt = format!("[system]\n{}\n\n[user]\n{}", prompt.system, prompt.user);
        let mut generation = NewGeneration {
            run_id: run_id.clone(),
            task_id: task.id.clone(),
            category: task.category.clone(),
            sample_idx,
            turn: 0,
            parent_id: None,
            prompt: full_prompt,
            response: None,
            reasoning: None,
            reasoning_source: None,
            extracted_code: None,
            prompt_tokens: None,
            completion_tokens: None,
            reasoning_tokens: None,
            latency_ms: None,
            error: None,
        };
        let report = match provider.complete(&req).await {
            Err(e) => {
                generation.error = Some(e.to_string());
                None
            }
            Ok(c) => {
                generation.response = Some(c.text.clone());
                generation.reasoning = c.reasoning;
                generation.reasoning_source = c.reasoning_source;
                generation.prompt_tokens = c.prompt_tokens;
                generation.completion_tokens = c.completion_tokens;
                generation.reasoning_tokens = c.reasoning_tokens;
                generation.latency_ms = Some(c.latency_ms);
                match kernelsmith_prompts::extract_code(&c.text, platform.language().fence_tags) {
                    Err(e) => {
                        Some(EvalReport::early(&task.id, platform.name(), size.name(), Outcome::ExtractFailed, e.0))
                    }
                    Ok(code) => {
                        generation.extracted_code = Some(code.clone());
                        let (p, t, o) = (Arc::clone(&platform), task.clone(), opts.clone());
                        match tokio::task::spawn_blocking(move || evaluate(p.as_ref(), &t, &code, &o)).await? {
                            Ok(r) => Some(r),
                            Err(e) => {
                                harness_errors += 1;
                                bar.suspend(|| eprintln!("harness error on {} sample {sample_idx} (not recorded; resume to retry): {e:#}", task.id));
                                continue;
                            }
                        }
                    }
                }
            }
        };
        let evaluation = report.as_ref().map(to_evaluation);
        store
            .record(&generation, evaluation.as_ref())
            .await
            .with_context(|| format!("cannot store the result of {} sample {sample_idx}", task.id))?;
        let label = match (&report, &generation.error) {
            (Some(r), _) => r.outcome.as_str().to_string(),
            (None, _) => "generation_error".to_string(),
        };
        *counts.entry(label.clone()).or_default() += 1;
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
        let passed = counts.get("passed").copied().unwrap_or(0);
        bar.set_message(format!("passed {passed}, last: {} {label}", task.id));
        bar.inc(1);
        let line = format!("[{}/{n_work}] {} #{sample_idx}: {label} — {detail}", k + 1, task.id);
        if tty {
            bar.println(line);
        } else {
            eprintln!("{line}");
        }
    }
    bar.finish_and_clear();
    let interrupted = interrupts.load(Ordering::SeqCst) > 0;
    let remaining = total as usize - store.finished_keys(&run_id).await?.len();
    let status = if interrupted || remaining > 0 { "interrupted" } else { "finished" };
    store.set_run_status(&run_id, status).await?;
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
    eprintln!(
        "run {run_id} {status}: {}",
        if summary.is_empty() { "nothing to do".into() } else { summary.join(", ") }
    );
    if harness_errors > 0 || remaining > 0 {
        eprintln!(
            "{remaining} sample(s) not finished ({harness_errors} harness error(s)); continue with `kernelsmith run --resume {run_id} --model {} --platform {}`",
            a.model, a.platform
        );
    }
    eprintln!("see `kernelsmith leaderboard --run {run_id} --by task`");
    if interrupted {
        return Err(crate::Interrupted(format!("run {run_id} interrupted; finished samples are stored")).into());
    }
    Ok(())
}
