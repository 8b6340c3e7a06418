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
        TasksCommand::Check { platform, size, tasks, format } => check(cfg, &platform, &size, &tasks, format).await,
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
    let (p, _) = platforms::executable(cfg, platform)?;
    let p: std::sync::Arc<dyn kernelsmith_platform::Platform> = std::sync::Arc::from(p);
    let mut failures = Vec::new();
    let mut rows = Vec::new();
    let n = tasks.len();
    for (i, t) in tasks.into_iter().enumerate() {
        let id = t.id.clone();
        let lang = p.language();
        let p2 = std::sync::Arc::clone(&p);
        let result = tokio::task::spawn_blocking(move || -> anyhow::Result<kernelsmith_platform::EvalReport> {
            t.check_reference()?;
            let src = t
                .baseline(lang.baseline_file)
                .with_context(|| format!("task `{}` has no {} for platform `{}`", t.id, lang.baseline_file, p2.name()))?
                .to_string();
            let opts = EvalOptions { size, time: false, ..EvalOptions::default() };
            Ok(evaluate(p2.as_ref(), &t, &src, &opts)?)
        })
        .await?;
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
            eprintln!("[{:>2}/{n}] {id:<28} {status:<8} {detail}", i + 1);
        }
        rows.push(vec![id, status, detail]);
    }
    match format {
        Format::Text => {}
        f => print!(
            "{}",
            render(&Table { headers: ["task", "status", "detail"].map(String::from).to_vec(), rows }, render_format(f))
        ),
    }
    if failures.is_empty() {
        if format == Format::Text {
            eprintln!("all {n} baselines match their references on `{platform}` at size `{size}` (and `heldout`)");
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
        "dims": r.dims, "attrs": t.attrs.iter().map(|(k, v)| (k.clone(), format!("{v:?}"))).collect::<std::collections::BTreeMap<_, _>>(),
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
