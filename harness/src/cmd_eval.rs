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
    let text =
        std::fs::read_to_string(&a.file).with_context(|| format!("cannot read kernel file {}", a.file.display()))?;
    let size = match &a.size {
        Some(s) => parse_size(s)?,
        None => entry.default_size,
    };
    let opts = EvalOptions {
        size,
        seed: a.seed,
        time: !a.no_time,
        call_timeout: Duration::from_secs_f64(a.timeout.max(0.1)),
        peak: if a.no_time { None } else { platform.device_peak() },
        max_speedup: a.max_speedup,
        device: kernelsmith_platform::eval::DeviceLock::machine_wide(&a.platform),
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
    let report = tokio::task::spawn_blocking(move || evaluate(platform.as_ref(), &task, &source, &opts)).await??;
    finish(&report, a.format)
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
