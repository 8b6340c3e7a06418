//! `kernelsmith tasks list|show|check|export`.

use crate::cli::{Format, TasksCommand};
use crate::config::Config;
use crate::{GateFailed, npy, parse_size, platforms, render_format};
use anyhow::Context;
use kernelsmith_platform::{EvalOptions, Outcome, evaluate};
use kernelsmith_results::render::{Table, render};
use kernelsmith_tasks::{SizeName, Task};
use serde_json::json;

pub async fn tasks(cfg: &Config, cmd: TasksCommand) -> anyhow::Result<()> {
    match cmd {
        TasksCommand::List { format } => list(cfg, format),
        TasksCommand::Show { id, format } => show(cfg, &id, format),
        TasksCommand::Check { platform, tasks, compile_only: true, format, .. } => {
            check_compile_only(cfg, &platform, &tasks, format).await
        }
        TasksCommand::Check { platform, size, tasks, format, .. } => check(cfg, &platform, &size, &tasks, format).await,
        TasksCommand::Export { id, size, seed, out } => export(cfg, &id, &size, seed, &out),
    }
}

fn baselines(t: &Task) -> Vec<&'static str> {
    let files =
        [("cpu", "baseline.c"), ("cuda", "baseline.cu"), ("xla", "baseline.py"), ("ascend", "baseline.ascend.cpp")];
    files.iter().filter(|(_, f)| t.baselines.contains_key(*f)).map(|(p, _)| *p).collect()
}

fn list(cfg: &Config, format: Format) -> anyhow::Result<()> {
    let reg = cfg.registry()?;
    if format == Format::Json {
        let rows: Vec<_> = reg.tasks().iter().map(|t| json!({"id": t.id, "category": t.category, "title": t.title, "source": t.source, "exemplar": t.exemplar, "baselines": baselines(t)})).collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    if format == Format::Text {
        let mut last = "";
        for t in reg.tasks() {
            if t.category != last {
                println!("{}{}", if last.is_empty() { "" } else { "\n" }, t.category);
                last = &t.category;
            }
            println!("  {:<28} {}{}  [{}]", t.id, t.title, if t.exemplar { " (exemplar)" } else { "" }, t.source);
        }
        println!(
            "\n{} tasks in {} categories",
            reg.tasks().len(),
            reg.tasks().iter().map(|t| &t.category).collect::<std::collections::BTreeSet<_>>().len()
        );
        return Ok(());
    }
    let table = Table {
        headers: ["category", "id", "title", "source", "exemplar"].map(String::from).to_vec(),
        rows: reg
            .tasks()
            .iter()
            .map(|t| vec![t.category.clone(), t.id.clone(), t.title.clone(), t.source.clone(), t.exemplar.to_string()])
            .collect(),
    };
    print!("{}", render(&table, render_format(format)));
    Ok(())
}

fn show(cfg: &Config, id: &str, format: Format) -> anyhow::Result<()> {
    let reg = cfg.registry()?;
    let t = reg.get(id).with_context(|| format!("no task `{id}` (try `kernelsmith tasks list`)"))?;
    let tensor = |ts: &[kernelsmith_tasks::TensorSpec]| -> Vec<serde_json::Value> {
        ts.iter().map(|x| json!({"name": x.name, "dtype": x.dtype.name(), "shape": x.shape_src, "init": x.init.as_ref().map(|i| format!("{i:?}"))})).collect()
    };
    let mut sizes = serde_json::Map::new();
    for s in SizeName::ALL {
        let r = t.resolve(s)?;
        let work = t.work(s);
        sizes.insert(
            s.name().into(),
            json!({
                "dims": r.dims,
                "input_shapes": r.input_shapes,
                "output_shapes": r.output_shapes,
                "flops": work.map(|w| w.0),
                "bytes": work.map(|w| w.1),
                "arithmetic_intensity": work.map(|w| if w.1 > 0.0 { w.0 / w.1 } else { 0.0 }),
            }),
        );
    }
    let attrs: serde_json::Map<String, serde_json::Value> = t
        .attrs
        .iter()
        .map(|(k, v)| {
            use kernelsmith_reference::AttrValue::*;
            let j = match v {
                Int(i) => json!(i),
                Float(f) => json!(f),
                Bool(b) => json!(b),
                Str(s) => json!(s),
                Ints(v) => json!(v),
            };
            (k.clone(), j)
        })
        .collect();
    let doc = json!({
        "id": t.id, "category": t.category, "title": t.title, "source": t.source, "exemplar": t.exemplar,
        "description": t.description, "dims": t.dims,
        "derived": t.derived.iter().map(|(n, e)| json!({"name": n, "expr": e})).collect::<Vec<_>>(),
        "attrs": attrs, "inputs": tensor(&t.inputs), "outputs": tensor(&t.outputs), "sizes": sizes,
        "tolerance": t.tolerance, "reference": t.reference.path, "work": t.work_src.as_ref().map(|(f, b)| json!({"flops": f, "bytes": b})),
        "baselines": baselines(t), "spec_path": t.spec_path,
    });
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    println!(
        "{} — {}\n  category {}, source: {}\n  spec: {}\n  reference: {}\n  baselines: {}",
        t.id,
        t.title,
        t.category,
        t.source,
        t.spec_path.display(),
        t.reference.path,
        baselines(t).join(", ")
    );
    println!("\n{}\n", t.description.trim());
    println!("dims: {}", t.dims.join(", "));
    for (n, e) in &t.derived {
        println!("derived: {n} = {e}");
    }
    if !t.attrs.is_empty() {
        println!("attrs: {}", doc["attrs"]);
    }
    for x in t.inputs.iter() {
        println!("input  {:<8} {} [{}]  init {:?}", x.name, x.dtype, x.shape_src.join(", "), x.init.as_ref().unwrap());
    }
    for x in t.outputs.iter() {
        println!("output {:<8} {} [{}]", x.name, x.dtype, x.shape_src.join(", "));
    }
    println!("tolerance: atol {:e}, rtol {:e}\n", t.tolerance.atol, t.tolerance.rtol);
    let mut table = Table { headers: vec!["size".into()], rows: vec![] };
    table.headers.extend(t.dims.iter().cloned());
    table.headers.extend(["GFLOP", "MB moved", "FLOP/byte"].map(String::from));
    for s in SizeName::ALL {
        let mut row = vec![s.name().to_string()];
        row.extend(t.dims.iter().map(|d| t.sizes[&s][d].to_string()));
        match t.work(s) {
            Some((f, b)) => row.extend([
                format!("{:.4}", f / 1e9),
                format!("{:.3}", b / 1e6),
                format!("{:.2}", if b > 0.0 { f / b } else { 0.0 }),
            ]),
            None => row.extend(["-", "-", "-"].map(String::from)),
        }
        table.rows.push(row);
    }
    print!("{}", render(&table, kernelsmith_results::render::Format::Text));
    Ok(())
}

async fn check(cfg: &Config, platform: &str, size: &str, sel: &str, format: Format) -> anyhow::Result<()> {
    let reg = cfg.registry()?;
    let size = parse_size(size)?;
    let tasks: Vec<Task> = reg.select(sel)?.into_iter().cloned().collect();
    let (p, _) = match platforms::executable(cfg, platform) {
        Ok(x) => x,
        Err(e) => {
            // A platform that can still compile here (cuda without a GPU) can check that much.
            let compiles = platforms::entry(platform)
                .ok()
                .and_then(|en| (en.build)(cfg).ok())
                .is_some_and(|p| p.probe().can_compile);
            if compiles && !format!("{e:#}").contains("--compile-only") {
                anyhow::bail!(
                    "{e:#}\nhint: `kernelsmith tasks check --platform {platform} --compile-only` checks that every baseline compiles, without running it"
                );
            }
            return Err(e);
        }
    };
    let p: std::sync::Arc<dyn kernelsmith_platform::Platform> = std::sync::Arc::from(p);
    let mut failures = Vec::new();
    let mut rows = Vec::new();
    // Where a platform's one-shot exemplar is not its baseline (xla: `pallas.py` beside a plain
    // jax.numpy `baseline.py`), the exemplars a task ships are checked too, as candidates: every
    // rule applies (and `--tpu-check`), since prompts present them as correct kernels.
    let lang = p.language();
    let mut jobs: Vec<(Task, &'static str)> = Vec::new();
    for t in tasks {
        let exemplar = lang.exemplar_file != lang.baseline_file && t.baseline(lang.exemplar_file).is_some();
        jobs.push((t.clone(), lang.baseline_file));
        if exemplar {
            jobs.push((t, lang.exemplar_file));
        }
    }
    let n = jobs.len();
    let n_exemplars = jobs.iter().filter(|(_, f)| *f != lang.baseline_file).count();
    // Tasks are checked side by side, one per core: each evaluation is one worker process and
    // mostly waits on it (process and interpreter start-up dominate on xla).
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(cores));
    let reference_cache = cfg.reference_cache();
    let mut running = tokio::task::JoinSet::new();
    for (i, (t, file)) in jobs.into_iter().enumerate() {
        let id = if file == lang.baseline_file { t.id.clone() } else { format!("{}/{file}", t.id) };
        let (p2, permits, reference_cache) =
            (std::sync::Arc::clone(&p), std::sync::Arc::clone(&permits), reference_cache.clone());
        running.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("semaphore open");
            let result = tokio::task::spawn_blocking(move || -> anyhow::Result<kernelsmith_platform::EvalReport> {
                t.check_reference()?;
                let src = t
                    .baseline(file)
                    .with_context(|| format!("task `{}` has no {file} for platform `{}`", t.id, p2.name()))?
                    .to_string();
                let opts =
                    EvalOptions { size, time: false, reference_cache: Some(reference_cache), ..EvalOptions::default() };
                Ok(evaluate(p2.as_ref(), &t, &src, &opts)?)
            })
            .await
            .unwrap_or_else(|e| Err(anyhow::anyhow!("the check panicked: {e}")));
            (i, id, result)
        });
    }
    let mut done = 0;
    let mut finished = Vec::new();
    while let Some(joined) = running.join_next().await {
        let (i, id, result) = joined?;
        done += 1;
        let (status, detail) = match &result {
            Ok(r) if r.outcome == Outcome::Passed => {
                ("ok".to_string(), format!("max abs err {:.2e}", r.max_abs_err.unwrap_or(0.0)))
            }
            Ok(r) => (r.outcome.to_string(), r.reason.clone().unwrap_or_default()),
            Err(e) => ("error".to_string(), format!("{e:#}")),
        };
        if status != "ok" {
            failures.push(id.clone());
        }
        if format == Format::Text {
            eprintln!("[{done:>3}/{n}] {id:<28} {status:<8} {detail}");
        }
        finished.push((i, vec![id, status, detail]));
    }
    finished.sort_by_key(|(i, _)| *i);
    rows.extend(finished.into_iter().map(|(_, r)| r));
    failures.sort();
    match format {
        Format::Text => {}
        f => print!(
            "{}",
            render(&Table { headers: ["task", "status", "detail"].map(String::from).to_vec(), rows }, render_format(f))
        ),
    }
    if failures.is_empty() {
        if format == Format::Text {
            if n_exemplars > 0 {
                eprintln!(
                    "all {} baselines and {n_exemplars} exemplars ({}) match their references on `{platform}` at size `{size}` (and `heldout`)",
                    n - n_exemplars,
                    lang.exemplar_file
                );
            } else {
                eprintln!("all {n} baselines match their references on `{platform}` at size `{size}` (and `heldout`)");
            }
        }
        Ok(())
    } else {
        Err(GateFailed(format!(
            "{} of {n} task(s) failed the check on `{platform}`: {}",
            failures.len(),
            failures.join(", ")
        ))
        .into())
    }
}

/// The first lines of a compiler log worth showing: those naming an error, else the first ones.
fn log_head(log: &str, n: usize) -> Vec<String> {
    let errors: Vec<&str> = log.lines().filter(|l| l.contains("error")).take(n).collect();
    let lines = if errors.is_empty() { log.lines().filter(|l| !l.trim().is_empty()).take(n).collect() } else { errors };
    lines.into_iter().map(|l| l.trim().chars().take(240).collect()).collect()
}

/// `tasks check --compile-only`: compile every selected task's baseline for `platform` (through
/// the compile cache, in parallel), with no reference and no worker, so it runs where the
/// platform cannot execute (cuda without a GPU: CI). Exit 1 naming the tasks that fail.
async fn check_compile_only(cfg: &Config, platform: &str, sel: &str, format: Format) -> anyhow::Result<()> {
    use indicatif::{ProgressBar, ProgressStyle};
    let reg = cfg.registry()?;
    let tasks: Vec<Task> = reg.select(sel)?.into_iter().cloned().collect();
    let entry = platforms::entry(platform)?;
    let p = (entry.build)(cfg).map_err(|why| {
        anyhow::anyhow!("platform `{platform}` is {why}; run `kernelsmith platforms` to see what is available")
    })?;
    let probe = p.probe();
    if !probe.can_compile {
        anyhow::bail!("platform `{platform}` cannot compile kernels here: {}", probe.notes.join("; "));
    }
    let p: std::sync::Arc<dyn kernelsmith_platform::Platform> = std::sync::Arc::from(p);
    let file = p.language().baseline_file;
    let n = tasks.len();
    let bar = if format == Format::Text && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let b = ProgressBar::new(n as u64);
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} baselines {msg} (eta {eta})",
            )
            .unwrap(),
        );
        b.enable_steady_tick(std::time::Duration::from_millis(200));
        b
    } else {
        ProgressBar::hidden()
    };
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(cores));
    let mut jobs = tokio::task::JoinSet::new();
    for (i, t) in tasks.into_iter().enumerate() {
        let (p, permits) = (std::sync::Arc::clone(&p), std::sync::Arc::clone(&permits));
        jobs.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("semaphore open");
            let id = t.id.clone();
            let r = tokio::task::spawn_blocking(move || -> (String, String, Vec<String>) {
                let Some(src) = t.baseline(file) else {
                    return ("missing".into(), format!("no {file}"), Vec::new());
                };
                match p.compile(&t, src) {
                    Ok(Ok(a)) if a.cached => ("ok".into(), "cached".into(), Vec::new()),
                    Ok(Ok(a)) => ("ok".into(), format!("compiled in {:.0} ms", a.compile_ms), Vec::new()),
                    Ok(Err(f)) => ("compile_failed".into(), log_head(&f.log, 1).join(""), log_head(&f.log, 5)),
                    Err(e) => ("error".into(), e.to_string(), Vec::new()),
                }
            })
            .await;
            let (status, detail, lines) =
                r.unwrap_or_else(|e| ("error".into(), format!("compile panicked: {e}"), Vec::new()));
            (i, id, status, detail, lines)
        });
    }
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    while let Some(done) = jobs.join_next().await {
        let (i, id, status, detail, lines) = done?;
        if status != "ok" {
            failures.push(id.clone());
        }
        if format == Format::Text {
            let mut text = format!("{id:<32} {status:<15} {}", if status == "compile_failed" { "" } else { &detail });
            for l in &lines {
                text.push_str(&format!("\n    {l}"));
            }
            bar.suspend(|| eprintln!("{text}"));
        }
        bar.inc(1);
        rows.push((i, vec![id, status, detail]));
    }
    bar.finish_and_clear();
    rows.sort_by_key(|(i, _)| *i);
    match format {
        Format::Text => {}
        f => print!(
            "{}",
            render(
                &Table {
                    headers: ["task", "status", "detail"].map(String::from).to_vec(),
                    rows: rows.into_iter().map(|(_, r)| r).collect()
                },
                render_format(f)
            )
        ),
    }
    let (compiler, flags) = p.toolchain();
    if failures.is_empty() {
        if format == Format::Text {
            eprintln!("all {n} {file} baselines compile on `{platform}` ({compiler}; {flags})");
        }
        Ok(())
    } else {
        failures.sort();
        Err(GateFailed(format!(
            "{} of {n} task(s) failed to compile on `{platform}`: {}",
            failures.len(),
            failures.join(", ")
        ))
        .into())
    }
}

fn export(cfg: &Config, id: &str, size: &str, seed: u64, out: &std::path::Path) -> anyhow::Result<()> {
    let reg = cfg.registry()?;
    let t = reg.get(id).with_context(|| format!("no task `{id}` (try `kernelsmith tasks list`)"))?;
    let size = parse_size(size)?;
    let r = t.resolve(size)?;
    let inputs = t.generate_inputs(&r, seed);
    let outputs = t.run_reference(&r, &inputs)?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut files = Vec::new();
    for (spec, tensor) in t.inputs.iter().zip(&inputs).chain(t.outputs.iter().zip(&outputs)) {
        let path = out.join(format!("{}.npy", spec.name));
        npy::write_npy(&path, tensor).with_context(|| format!("cannot write {}", path.display()))?;
        files.push(path);
    }
    let manifest = json!({
        "task": t.id, "category": t.category, "size": size.name(), "seed": seed,
        "dims": r.dims, "dim_order": t.dims, "attrs": t.attrs.iter().map(|(k, v)| (k.clone(), format!("{v:?}"))).collect::<std::collections::BTreeMap<_, _>>(),
        "inputs": t.inputs.iter().zip(&r.input_shapes).map(|(s, sh)| json!({"name": s.name, "dtype": s.dtype.name(), "shape": sh, "file": format!("{}.npy", s.name)})).collect::<Vec<_>>(),
        "outputs": t.outputs.iter().zip(&r.output_shapes).map(|(s, sh)| json!({"name": s.name, "dtype": s.dtype.name(), "shape": sh, "file": format!("{}.npy", s.name)})).collect::<Vec<_>>(),
        "tolerance": t.tolerance, "reference": t.reference.path, "description": t.description,
        "note": "bf16 tensors are stored as uint16 bit patterns",
        "harness_version": env!("CARGO_PKG_VERSION"),
    });
    let mpath = out.join("manifest.json");
    std::fs::write(&mpath, serde_json::to_string_pretty(&manifest)?)
        .with_context(|| format!("cannot write {}", mpath.display()))?;
    eprintln!("wrote {} tensors and manifest.json to {}", files.len(), out.display());
    Ok(())
}
