//! `kernelsmith eval`: one hand-written kernel against one task.

use crate::cli::{EvalArgs, Format};
use crate::config::Config;
use crate::{GateFailed, parse_size, platforms};
use anyhow::Context;
use kernelsmith_platform::{EvalOptions, EvalReport, Outcome, evaluate};
use std::time::Duration;

/// Human rendering of a report, shared by `eval`, `run` and `tasks check`.
pub fn report_text(r: &EvalReport) -> String {
    let mut s = format!("{} on {} (size {}): {}\n", r.task_id, r.platform, r.size, r.outcome);
    if let Some(reason) = &r.reason {
        s.push_str(&format!("  why: {reason}\n"));
    }
    if let Some(l) = &r.hack_label {
        s.push_str(&format!("  hack label: {l}\n"));
    }
    if !r.flags.is_empty() {
        s.push_str(&format!("  flags: {}\n", r.flags.join(", ")));
    }
    if let Some(ms) = r.compile_ms {
        s.push_str(&format!(
            "  compile: {}\n",
            if r.compile_cached { "cached".to_string() } else { format!("{ms:.0} ms") }
        ));
    }
    for t in &r.trials {
        s.push_str(&format!(
            "  trial {:<9} {} max abs err {:.2e}, max rel err {:.2e}{}\n",
            t.label,
            if t.passed { "ok  " } else { "FAIL" },
            t.max_abs_err,
            t.max_rel_err,
            if t.n_bad > 0 { format!(", {} bad ({} unwritten)", t.n_bad, t.n_unwritten) } else { String::new() }
        ));
    }
    if let Some(t) = &r.timing {
        s.push_str(&format!(
            "  timing: candidate {} vs baseline {} (medians of {} pairs, {} calls/sample) -> speedup {:.2}x (MAD {:.2})\n",
            human_ns(t.candidate_median_ns),
            human_ns(t.baseline_median_ns),
            t.pairs,
            t.reps_per_sample,
            t.speedup,
            t.speedup_mad
        ));
    }
    if r.outcome == Outcome::CompileFailed
        && let Some(log) = &r.compile_log
    {
        let lines: Vec<&str> = log.lines().collect();
        s.push_str("  compiler log:\n");
        for l in lines.iter().take(25) {
            s.push_str(&format!("    {l}\n"));
        }
        if lines.len() > 25 {
            s.push_str(&format!("    ... ({} more lines)\n", lines.len() - 25));
        }
    }
    if r.outcome != Outcome::Passed
        && let Some(log) = r.worker_log.as_deref().filter(|l| !l.trim().is_empty())
    {
        let tail: Vec<&str> = log.lines().rev().take(8).collect();
        s.push_str("  worker stderr (last lines):\n");
        for l in tail.iter().rev() {
            s.push_str(&format!("    {}\n", l.chars().take(200).collect::<String>()));
        }
    }
    s.push_str(&format!("  wall: {:.0} ms\n", r.wall_ms));
    s
}

pub fn human_ns(ns: f64) -> String {
    if !ns.is_finite() {
        "-".into()
    } else if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

pub async fn eval(cfg: &Config, a: EvalArgs) -> anyhow::Result<()> {
    let registry = cfg.registry()?;
    let task =
        registry.get(&a.task).with_context(|| format!("no task `{}` (try `kernelsmith tasks list`)", a.task))?.clone();
    let (platform, entry) = platforms::executable(cfg, &a.platform)?;
    let sanitizer = sanitizer(cfg, &a.platform, a.sanitize)?;
    let text =
        std::fs::read_to_string(&a.file).with_context(|| format!("cannot read kernel file {}", a.file.display()))?;
    let size = match &a.size {
        Some(s) => parse_size(s)?,
        None => platform.default_size().unwrap_or(entry.default_size),
    };
    let opts = EvalOptions {
        size,
        seed: a.seed,
        time: !a.no_time,
        call_timeout: Duration::from_secs_f64(a.timeout.max(0.1)),
        peak: if a.no_time { None } else { platform.device_peak() },
        max_speedup: a.max_speedup,
        device: kernelsmith_platform::eval::DeviceLock::machine_wide(&a.platform),
        reference_cache: Some(cfg.reference_cache()),
        ..EvalOptions::default()
    };
    // A markdown response is accepted too: take its code block the way `run` would.
    let source = if text.contains("```") || text.contains("~~~") {
        match kernelsmith_prompts::extract_code(&text, platform.language().fence_tags) {
            Ok(code) => Some(code),
            Err(e) => {
                let r = EvalReport::early(&task.id, platform.name(), size.name(), Outcome::ExtractFailed, e.0);
                return finish(&r, a.format);
            }
        }
    } else {
        Some(text)
    };
    let source = source.unwrap_or_default();
    let report = tokio::task::spawn_blocking(move || -> anyhow::Result<EvalReport> {
        let mut r = evaluate(platform.as_ref(), &task, &source, &opts)?;
        if let Some(s) = &sanitizer {
            apply_sanitizer(s, &task, &source, &opts.device, &mut r);
        }
        Ok(r)
    })
    .await??;
    finish(&report, a.format)
}

/// `--sanitize`: the cuda platform's compute-sanitizer runner, checked to be usable before any
/// work starts (a missing sanitizer is a usage error, not a silent skip).
pub fn sanitizer(
    cfg: &Config,
    platform: &str,
    wanted: bool,
) -> anyhow::Result<Option<std::sync::Arc<kernelsmith_platform_cuda::CudaPlatform>>> {
    if !wanted {
        return Ok(None);
    }
    if platform != "cuda" {
        anyhow::bail!("--sanitize runs NVIDIA compute-sanitizer and applies to --platform cuda only");
    }
    let p = platforms::cuda_platform(cfg).map_err(|e| anyhow::anyhow!("--sanitize: {e}"))?;
    p.compute_sanitizer().map_err(|e| anyhow::anyhow!("--sanitize: {e}"))?;
    Ok(Some(std::sync::Arc::new(p)))
}

/// Rerun a kernel that passed under compute-sanitizer ([`kernelsmith_platform_cuda::sanitize`])
/// and record the findings on its report: errors make it `mismatch` with the tool's hack label
/// (it was right by luck); a sanitizer that could not judge leaves the pass and adds the flag
/// `sanitizer_not_run`. The sanitizer's text is appended to the worker log either way.
pub fn apply_sanitizer(
    s: &kernelsmith_platform_cuda::CudaPlatform,
    task: &kernelsmith_tasks::Task,
    source: &str,
    device: &kernelsmith_platform::eval::DeviceLock,
    r: &mut EvalReport,
) {
    use kernelsmith_platform_cuda::sanitize::{SanitizeOptions, Verdict};
    if r.outcome != Outcome::Passed {
        return;
    }
    let t0 = std::time::Instant::now();
    let mut log = String::new();
    let flag = |r: &mut EvalReport, f: &str| {
        if !r.flags.iter().any(|x| x == f) {
            r.flags.push(f.into());
        }
    };
    // The sanitizer slows the GPU down for everyone: hold it alone, as timing does.
    let sanitized = {
        let _alone = device.exclusive();
        s.sanitize(task, source, &SanitizeOptions::default())
    };
    match sanitized {
        Err(e) => {
            flag(r, "sanitizer_not_run");
            log.push_str(&format!("compute-sanitizer: {e}\n"));
        }
        Ok(rep) => {
            for t in &rep.tools {
                log.push_str(&format!("--- compute-sanitizer --tool {} ({:?})\n{}\n", t.tool.name(), t.verdict, t.log));
                match &t.verdict {
                    Verdict::NotRun { .. } => flag(r, "sanitizer_not_run"),
                    Verdict::Errors { .. } => flag(r, t.tool.hack_label()),
                    Verdict::Clean => {}
                }
            }
            if let Some(t) = rep.first_error() {
                let Verdict::Errors { summary } = &t.verdict else { unreachable!("first_error finds errors") };
                let found: Vec<&str> = t
                    .log
                    .lines()
                    .map(|l| l.trim_start_matches('=').trim())
                    .filter(|l| {
                        (l.contains("Invalid") || l.contains("rror") || l.contains("azard") || l.contains("Race"))
                            && !l.contains("SUMMARY")
                    })
                    .take(3)
                    .collect();
                r.outcome = Outcome::Mismatch;
                // The sanitizer's finding outranks `suspicious` (which stays among the flags).
                if r.hack_label.is_none() || r.hack_label.as_deref() == Some("suspicious") {
                    r.hack_label = Some(t.tool.hack_label().into());
                }
                r.reason = Some(format!(
                    "compute-sanitizer {} found errors at the {} size ({summary}){}; the outputs were right by luck: the kernel touches memory it must not or races",
                    t.tool.name(),
                    rep.size,
                    if found.is_empty() { String::new() } else { format!(": {}", found.join(" | ")) }
                ));
            }
        }
    }
    r.worker_log = Some(format!("{}{log}", r.worker_log.take().map(|l| l + "\n").unwrap_or_default()));
    r.wall_ms += t0.elapsed().as_secs_f64() * 1e3;
}

fn finish(r: &EvalReport, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(r)?),
        _ => print!("{}", report_text(r)),
    }
    if r.outcome == Outcome::Passed {
        Ok(())
    } else {
        Err(GateFailed(format!("kernel did not pass: {}", r.outcome)).into())
    }
}
