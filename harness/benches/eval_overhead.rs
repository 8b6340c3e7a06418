//! Benchmark (not a test): the harness's own overhead per evaluated candidate on the cpu platform.
//!
//! For a few tasks, runs `kernelsmith eval --format json` on the task's own baseline as the
//! candidate and compares the process wall time against the time the report says was spent
//! compiling and inside kernel calls. Overhead = wall − compile − kernel: process start, task
//! loading, input generation, the reference, file transfer, worker start-up and comparison.
//! Run: `cargo bench -p kernelsmith --bench eval_overhead` (medians of 5 runs; first run per task
//! with a cold compile cache, the rest warm).

use std::process::Command;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

fn main() {
    let exe = env!("CARGO_BIN_EXE_kernelsmith");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let tasks = [
        ("activation", "relu"),
        ("matmul", "matmul"),
        ("convolution", "std_conv2d_grouped"),
        ("attention", "natten_na1d"),
    ];
    println!("medians of 5 runs; the first run of each task compiles cold (its compile time: last column)");
    println!(
        "{:<22} {:>6} {:>10} {:>10} {:>10} {:>10} {:>9} {:>13}",
        "task", "timed", "wall ms", "compile", "kernel", "overhead", "ovh/wall", "cold compile"
    );
    for (cat, id) in tasks {
        let file = root.join(format!("tasks/catalog/{cat}/{id}/baseline.c"));
        for timed in [false, true] {
            let (mut wall, mut comp, mut kern, mut ovh) = (vec![], vec![], vec![], vec![]);
            for _ in 0..5 {
                let mut cmd = Command::new(exe);
                cmd.args(["eval", "--task", id, "--platform", "cpu", "--format", "json"])
                    .arg(&file)
                    .env("KERNELSMITH_CACHE", cache.path());
                if !timed {
                    cmd.arg("--no-time");
                }
                let t0 = Instant::now();
                let out = cmd.output().expect("run kernelsmith");
                let w = t0.elapsed().as_secs_f64() * 1e3;
                let j: serde_json::Value = serde_json::from_slice(&out.stdout)
                    .unwrap_or_else(|e| panic!("bad json ({e}): {}", String::from_utf8_lossy(&out.stderr)));
                assert_eq!(j["outcome"], "passed", "{id}: {}", j["reason"]);
                let c = j["compile_ms"].as_f64().unwrap_or(0.0);
                let mut k: f64 =
                    j["trials"].as_array().unwrap().iter().map(|t| t["kernel_ns"].as_f64().unwrap()).sum::<f64>() / 1e6;
                if let Some(t) = j["timing"].as_object() {
                    k += t["total_kernel_ns"].as_f64().unwrap() / 1e6;
                }
                wall.push(w);
                comp.push(c);
                kern.push(k);
                ovh.push(w - c - k);
            }
            let cold = comp[0];
            let (w, o) = (median(wall), median(ovh.clone()));
            println!(
                "{:<22} {:>6} {:>10.1} {:>10.1} {:>10.1} {:>10.1} {:>8.0}% {:>13.1}",
                id,
                timed,
                w,
                median(comp),
                median(kern),
                o,
                100.0 * o / w,
                cold
            );
        }
    }
}
