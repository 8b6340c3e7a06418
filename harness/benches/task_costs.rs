//! Benchmark (not a test): per task at the `cpu` size, the reference's time (median of 3, in this
//! process, optimised build) and the cpu baseline's time (median of the paired runs of
//! `kernelsmith eval` on the task's own baseline), slowest references first.
//! Run: `cargo bench -p kernelsmith --bench task_costs` (optionally a task selection as argument).

use kernelsmith_tasks::{Registry, SizeName};
use std::process::Command;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let exe = env!("CARGO_BIN_EXE_kernelsmith");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let selection = std::env::args().skip(1).find(|a| !a.starts_with('-')).unwrap_or_else(|| "all".into());
    let reg = Registry::embedded().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();
    for task in reg.select(&selection).unwrap() {
        let r = task.resolve(SizeName::Cpu).unwrap();
        let inputs = task.generate_inputs(&r, 1);
        let reference_ms = median(
            (0..3)
                .map(|_| {
                    let t0 = Instant::now();
                    task.run_reference(&r, &inputs).unwrap();
                    t0.elapsed().as_secs_f64() * 1e3
                })
                .collect(),
        );
        let baseline = root.join(task.spec_path.parent().unwrap()).join("baseline.c");
        let out = Command::new(exe)
            .args(["eval", "--task", &task.id, "--platform", "cpu", "--format", "json"])
            .arg(&baseline)
            .env("KERNELSMITH_CACHE", cache.path())
            .output()
            .unwrap();
        let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let baseline_ms = j["timing"]["baseline_median_ns"].as_f64().unwrap_or(f64::NAN) / 1e6;
        rows.push((task.id.clone(), reference_ms, baseline_ms));
    }
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("{:<40} {:>14} {:>14}", "task (cpu size)", "reference ms", "baseline ms");
    for (id, r, b) in &rows {
        println!("{id:<40} {r:>14.2} {b:>14.3}");
    }
}
