//! `kernelsmith prompt`, `platforms` and `leaderboard`.

use crate::cli::{By, DiffArgs, Format, LeaderboardArgs, PlatformsArgs, PromptArgs, ReviewArgs};
use crate::config::Config;
use crate::{platforms, render_format};
use anyhow::Context;
use kernelsmith_results::render::{Table, leaderboard_table, render};
use kernelsmith_results::{GroupBy, LeaderboardQuery, Store};

pub fn prompt(cfg: &Config, a: PromptArgs) -> anyhow::Result<()> {
    let reg = cfg.registry()?;
    let task = reg.get(&a.task).with_context(|| format!("no task `{}` (try `kernelsmith tasks list`)", a.task))?;
    let entry = platforms::entry(&a.platform)?;
    let p = (entry.build)(cfg).map_err(|why| anyhow::anyhow!("platform `{}` is {why}", a.platform))?;
    let facts = platforms::facts(p.as_ref(), task);
    let size = p.default_size().unwrap_or(entry.default_size);
    let prompt = kernelsmith_prompts::render(task, reg.exemplar_for(task), &facts, size)?;
    if a.format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&prompt)?);
    } else {
        println!("=== system ===\n{}\n\n=== user ===\n{}", prompt.system, prompt.user);
    }
    Ok(())
}

pub fn platforms(cfg: &Config, a: PlatformsArgs) -> anyhow::Result<()> {
    if let Some(crate::cli::PlatformsAction::Setup(s)) = a.action {
        return setup(s);
    }
    let probes = platforms::probe_all(cfg);
    if a.format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&probes)?);
        return Ok(());
    }
    let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
    let table = Table {
        headers: ["platform", "compile", "execute", "device", "toolchain"].map(String::from).to_vec(),
        rows: probes
            .iter()
            .map(|p| {
                vec![p.platform.clone(), yes(p.can_compile), yes(p.can_execute), p.device.clone(), p.toolchain.clone()]
            })
            .collect(),
    };
    print!("{}", render(&table, render_format(a.format)));
    if a.format == Format::Text {
        for p in &probes {
            for n in &p.notes {
                println!("  {}: {n}", p.platform);
            }
            for s in &p.sandbox {
                println!("  {}: sandbox: {s}", p.platform);
            }
            if p.can_execute && !p.sandbox.iter().any(|s| s.starts_with("seccomp")) {
                println!("  {}: sandbox: no seccomp filter in this platform's worker", p.platform);
            }
        }
    }
    Ok(())
}

/// `kernelsmith platforms setup <platform>`.
fn setup(s: crate::cli::SetupArgs) -> anyhow::Result<()> {
    match s.platform.as_str() {
        "xla" => {
            use crate::cli::JaxChoice;
            use kernelsmith_platform_xla::setup::{JaxBackend, setup_venv};
            let backend = match s.jax {
                JaxChoice::Auto => {
                    let (backend, why) = JaxBackend::detect();
                    println!("xla: jax[{}] for this machine: {why} (--jax overrides)", backend.extra());
                    backend
                }
                JaxChoice::Cpu => JaxBackend::Cpu,
                JaxChoice::Cuda => JaxBackend::Cuda,
                JaxChoice::Tpu => JaxBackend::Tpu,
            };
            let report = setup_venv(&s.venv, &s.base_python, backend, &mut |step| println!("{step}"))?;
            println!(
                "xla: ready ({}); `kernelsmith platforms` shows it, and `--python {}` selects this venv from elsewhere",
                if report.changed { "installed" } else { "unchanged" },
                report.python.display()
            );
            Ok(())
        }
        other => {
            platforms::entry(other)?;
            anyhow::bail!(
                "platform `{other}` needs no setup step (only `xla` has one); `kernelsmith platforms` says what it lacks"
            )
        }
    }
}

pub async fn leaderboard(cfg: &Config, a: LeaderboardArgs) -> anyhow::Result<()> {
    let store = Store::open(&cfg.db).await?;
    let by = match a.by {
        By::Model => GroupBy::Model,
        By::Category => GroupBy::Category,
        By::Task => GroupBy::Task,
    };
    let rows = store.leaderboard(&LeaderboardQuery { by, run_id: a.run.clone(), platform: a.platform.clone() }).await?;
    if rows.is_empty() {
        eprintln!(
            "no results in {} yet; run e.g. `kernelsmith run --model replay:examples/replay --platform cpu`",
            store.location()
        );
        return Ok(());
    }
    match a.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
        f => print!("{}", render(&leaderboard_table(&rows, by), render_format(f))),
    }
    Ok(())
}

pub async fn diff(cfg: &Config, a: DiffArgs) -> anyhow::Result<()> {
    let store = Store::open(&cfg.db).await?;
    let turns = store.sample_turns(&a.run, &a.task, a.sample).await?;
    if turns.is_empty() {
        anyhow::bail!(
            "no turns stored for run `{}`, task `{}`, sample {} in {}",
            a.run,
            a.task,
            a.sample,
            store.location()
        );
    }
    for t in &turns {
        let outcome = t.outcome.as_deref().unwrap_or("generation_error");
        let speed = t.speedup.map(|s| format!(", speedup {s:.2}x")).unwrap_or_default();
        println!("=== turn {}: {outcome}{speed}", t.turn);
        if let Some(r) = t.reason.as_deref().or(t.error.as_deref()) {
            println!("    {r}");
        }
        match (&t.code_diff, t.turn) {
            (Some(d), _) => println!("{d}"),
            (None, 0) => {}
            (None, _) => println!("(no code to compare)"),
        }
    }
    Ok(())
}

pub async fn review(cfg: &Config, a: ReviewArgs) -> anyhow::Result<()> {
    let store = Store::open(&cfg.db).await?;
    if let Some((id, accept)) = a.accept.map(|i| (i, true)).or(a.reject.map(|i| (i, false))) {
        store.review(id, accept, a.note.as_deref()).await?;
        println!(
            "evaluation {id} {}",
            if accept { "accepted: its speedup now counts in fast_p" } else { "rejected: it now counts as not passed" }
        );
        return Ok(());
    }
    let rows = store.flagged(a.run.as_deref(), !a.all).await?;
    if rows.is_empty() && a.format == Format::Text {
        println!(
            "{}",
            if a.all {
                "no flagged evaluations"
            } else {
                "no suspicious evaluations awaiting review (--all lists every flagged one)"
            }
        );
        return Ok(());
    }
    // A terminal gets one line per evaluation; JSON, CSV and Markdown keep the whole reason.
    let reason_chars = (a.format == Format::Text).then_some(160);
    print!("{}", render(&kernelsmith_results::flagged_table(&rows, reason_chars), render_format(a.format)));
    Ok(())
}
