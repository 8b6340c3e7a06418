//! The main job end to end: replay model → cpu platform → SQLite → leaderboard, and a run killed
//! with SIGKILL resumes with exactly one result per (task, sample, turn).

mod common;
use common::{Env, json, text};

/// The slice of the catalogue the interruption tests run (cheap categories at the tiny size): the
/// point is the bookkeeping, not the kernels.
const SLICE: &str = "activation,reduction";

fn slice_len(env: &Env) -> usize {
    let o = env.run(&["tasks", "list", "--format", "json"]);
    json(&o).as_array().unwrap().iter().filter(|t| SLICE.split(',').any(|c| t["category"] == c)).count()
}
use std::time::{Duration, Instant};

fn by_task(env: &Env, run: &str) -> Vec<serde_json::Value> {
    let o = env.run(&["leaderboard", "--by", "task", "--run", run, "--format", "json"]);
    if o.stdout.is_empty() {
        return Vec::new();
    }
    json(&o).as_array().unwrap().clone()
}

#[test]
fn replay_run_stores_every_outcome_and_rerunning_adds_nothing() {
    let env = Env::new();
    let args = [
        "run",
        "--model",
        "replay:examples/replay",
        "--platform",
        "cpu",
        "--run-id",
        "r1",
        "--tasks",
        "relu,std_layernorm_lastdim,max_pool2d,sum_reduce",
    ];
    let o = env.run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let rows = by_task(&env, "r1");
    assert_eq!(rows.len(), 4);
    let outcome_of = |id: &str| {
        let r = rows.iter().find(|r| r["group"] == id).unwrap();
        r["outcomes"].as_object().unwrap().iter().find(|(_, v)| v.as_u64() == Some(1)).map(|(k, _)| k.clone()).unwrap()
    };
    assert_eq!(outcome_of("relu"), "passed");
    assert_eq!(outcome_of("sum_reduce"), "passed");
    assert_eq!(outcome_of("std_layernorm_lastdim"), "mismatch");
    assert_eq!(outcome_of("max_pool2d"), "compile_failed");
    let relu = rows.iter().find(|r| r["group"] == "relu").unwrap();
    assert!(relu["geomean_speedup"].as_f64().unwrap() > 0.0);

    // The same run id again: everything is done, nothing is added.
    let o = env.run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("4 already done"), "{}", text(&o));
    assert!(by_task(&env, "r1").iter().all(|r| r["n_samples"] == 1));

    // A text leaderboard shows the outcome columns and speedups.
    let o = env.run(&["leaderboard", "--by", "task"]);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(t.contains("passed") && t.contains("mismatch") && t.contains("compile_failed") && t.contains('x'), "{t}");
}

#[test]
fn a_run_killed_with_sigkill_resumes_without_losing_or_duplicating_work() {
    let env = Env::new();
    let args = [
        "run",
        "--model",
        "replay:examples/replay",
        "--platform",
        "cpu",
        "--run-id",
        "killed",
        "--samples",
        "2",
        "--tasks",
        SLICE,
        "--size",
        "tiny",
    ];
    let mut child =
        env.cmd().args(args).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let t0 = Instant::now();
    loop {
        let done: u64 = by_task(&env, "killed").iter().map(|r| r["n_samples"].as_u64().unwrap()).sum();
        if done >= 3 {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(240), "run made no progress");
        assert!(child.try_wait().unwrap().is_none(), "run finished before it could be killed");
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let n = slice_len(&env);
    let before: u64 = by_task(&env, "killed").iter().map(|r| r["n_samples"].as_u64().unwrap()).sum();
    assert!(before < 2 * n as u64, "nothing left to resume");

    let o = env.run(&[
        "run",
        "--model",
        "replay:examples/replay",
        "--platform",
        "cpu",
        "--resume",
        "killed",
        "--size",
        "tiny",
    ]);
    // The resumed run keeps its own task selection and sample count (neither was repeated).
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("{before} already done")), "{}", text(&o));
    let rows = by_task(&env, "killed");
    assert_eq!(rows.len(), n);
    for r in &rows {
        assert_eq!(r["n_samples"], 2, "{} has {} samples\n{}", r["group"], r["n_samples"], text(&o));
    }
    let runs = json(&env.run(&["leaderboard", "--run", "killed", "--format", "json"]));
    assert_eq!(runs[0]["n_samples"], 2 * n as u64);
}

#[test]
fn ctrl_c_stops_after_the_sample_in_flight_and_exits_130_with_work_saved() {
    let env = Env::new();
    let args = [
        "run",
        "--model",
        "replay:examples/replay",
        "--platform",
        "cpu",
        "--run-id",
        "intr",
        "--tasks",
        SLICE,
        "--size",
        "tiny",
    ];
    let child =
        env.cmd().args(args).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let t0 = Instant::now();
    while by_task(&env, "intr").is_empty() {
        assert!(t0.elapsed() < Duration::from_secs(240), "run made no progress");
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: sending SIGINT to our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("stopping after the work in flight") && err.contains("interrupted"), "{err}");
    let done: u64 = by_task(&env, "intr").iter().map(|r| r["n_samples"].as_u64().unwrap()).sum();
    let n = slice_len(&env);
    assert!((1..n as u64).contains(&done), "{done} samples stored");
    let o = env.run(&[
        "run",
        "--model",
        "replay:examples/replay",
        "--platform",
        "cpu",
        "--resume",
        "intr",
        "--size",
        "tiny",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(by_task(&env, "intr").iter().all(|r| r["n_samples"] == 1));
    assert_eq!(by_task(&env, "intr").len(), n);
}
