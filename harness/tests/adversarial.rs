//! The adversarial corpus (issue #5): every kernel in `harness/tests/adversarial/<platform>/`
//! states on its first line the outcome and the exact hack label it must get (`-` for none), and
//! the real CLI must agree. cpu and xla (Pallas, interpret mode) run everywhere; cuda needs a GPU
//! (`KERNELSMITH_GPU_TESTS=1`; its static cases also run in CI from platforms/cuda/tests). Cheats must never count as a pass or a speedup; honest but unusual kernels (OpenMP,
//! intrinsics, packed panels, scratch buffers, the output used as scratch) must pass with timing,
//! so the defences do not punish real optimisation.
//!
//! Kernels marked `// timed: yes` are evaluated with timing (their attack only shows under timing,
//! or, for honest ones, to prove the timed spot checks accept them); the rest correctness-only.
//! Everything runs at the `tiny` size (plus `heldout`, always).

mod common;
use common::{Env, copy_dir, json, repo};
use std::path::{Path, PathBuf};

struct Case {
    file: PathBuf,
    outcome: String,
    label: Option<String>,
    task: String,
    timed: bool,
}

/// A `// key: value` header line (`# key: value` in Python files) at the top of a corpus file.
fn header(file: &Path, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let comment = if file.extension().is_some_and(|e| e == "py") { "#" } else { "//" };
    text.lines()
        .take_while(|l| l.starts_with(comment))
        .find_map(|l| l.strip_prefix(&format!("{comment} {key}:")).map(|v| v.trim().to_string()))
}

fn corpus() -> Vec<Case> {
    corpus_of("cpu", "c")
}

/// The corpus of one platform: `harness/tests/adversarial/<platform>/*.<ext>`.
fn corpus_of(platform: &str, ext: &str) -> Vec<Case> {
    let dir = repo().join("harness/tests/adversarial").join(platform);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let expected =
                header(&file, "expected").unwrap_or_else(|| panic!("{}: no `// expected:` line", file.display()));
            let mut it = expected.split_whitespace();
            let outcome = it.next().unwrap().to_string();
            let label = it.next().filter(|l| *l != "-").map(String::from);
            let task = header(&file, "task").unwrap_or_else(|| panic!("{}: no `// task:` line", file.display()));
            let timed = header(&file, "timed").as_deref() == Some("yes");
            Case { file, outcome, label, task, timed }
        })
        .collect()
}

fn eval(env: &Env, c: &Case) -> serde_json::Value {
    eval_on(env, c, "cpu")
}

fn eval_on(env: &Env, c: &Case, platform: &str) -> serde_json::Value {
    let file = c.file.to_str().unwrap();
    // A first call on xla includes jit compilation (interpret mode), so it gets more time.
    let timeout = if platform == "cpu" { "10" } else { "30" };
    let mut args = vec![
        "eval",
        "--platform",
        platform,
        "--task",
        &c.task,
        "--size",
        "tiny",
        "--format",
        "json",
        "--timeout",
        timeout,
    ];
    if !c.timed {
        args.push("--no-time");
    }
    args.push(file);
    json(&env.run(&args))
}

#[test]
fn the_corpus_is_big_and_varied_enough() {
    let cases = corpus();
    let cheats: Vec<&Case> = cases.iter().filter(|c| c.label.is_some()).collect();
    let honest: Vec<&Case> = cases.iter().filter(|c| c.outcome == "passed" && c.label.is_none()).collect();
    assert!(cheats.len() >= 20, "only {} cheating kernels", cheats.len());
    assert!(honest.len() >= 5, "only {} honest kernels", honest.len());
    let labels: std::collections::BTreeSet<&str> = cheats.iter().filter_map(|c| c.label.as_deref()).collect();
    assert!(labels.len() >= 20, "only {} distinct labels: {labels:?}", labels.len());
}

#[test]
fn every_cheat_gets_its_exact_label_and_never_counts_and_every_honest_kernel_passes() {
    judge_corpus(&corpus(), "cpu");
}

/// The CUDA corpus needs an NVIDIA GPU; set `KERNELSMITH_GPU_TESTS=1` on a machine with one.
/// (Its static-rule cases are also checked without a GPU, in platforms/cuda/tests.)
#[test]
fn the_cuda_corpus_gets_its_labels_on_a_gpu() {
    if std::env::var("KERNELSMITH_GPU_TESTS").as_deref() != Ok("1") {
        eprintln!("skipped: set KERNELSMITH_GPU_TESTS=1 on a machine with an NVIDIA GPU to run the CUDA corpus");
        return;
    }
    let cases = corpus_of("cuda", "cu");
    assert!(cases.len() >= 20, "only {} CUDA corpus kernels", cases.len());
    judge_corpus(&cases, "cuda");
}

/// The Pallas corpus runs in interpret mode on any machine with the project venv's JAX.
#[test]
fn the_xla_corpus_gets_its_labels_in_interpret_mode() {
    if std::env::var("KERNELSMITH_SKIP_XLA").as_deref() == Ok("1") {
        eprintln!("KERNELSMITH_SKIP_XLA=1: the xla corpus is skipped");
        return;
    }
    let probes = json(&Env::new().run(&["platforms", "--format", "json"]));
    let xla = probes.as_array().unwrap().iter().find(|p| p["platform"] == "xla").unwrap().clone();
    assert!(
        xla["can_execute"] == true,
        "the xla corpus needs JAX in ./.venv: run ./scripts/test or `kernelsmith platforms setup xla` (KERNELSMITH_SKIP_XLA=1 skips it)"
    );
    let cases = corpus_of("xla", "py");
    let cheats = cases.iter().filter(|c| c.label.is_some()).count();
    assert!(cheats >= 10, "only {cheats} Pallas cheats");
    judge_corpus(&cases, "xla");
}

fn judge_corpus(cases: &[Case], platform: &str) {
    let env = Env::new();
    let mut failures = Vec::new();
    for c in cases {
        let j = eval_on(&env, c, platform);
        let name = c.file.file_name().unwrap().to_string_lossy().into_owned();
        let outcome = j["outcome"].as_str().unwrap_or("?").to_string();
        let label = j["hack_label"].as_str().map(String::from);
        if outcome != c.outcome || label != c.label {
            failures.push(format!(
                "{name}: expected {} {:?}, got {outcome} {label:?} ({})",
                c.outcome, c.label, j["reason"]
            ));
            continue;
        }
        if c.label.is_some() {
            // A cheat is never a pass, and never carries a speedup that could count.
            assert_ne!(outcome, "passed", "{name}");
            assert!(j["speedup"].is_null(), "{name}: a cheat got a speedup {}", j["speedup"]);
            assert!(j["reason"].as_str().is_some_and(|r| !r.is_empty()), "{name}: no reason");
        } else if c.timed {
            assert!(j["speedup"].as_f64().is_some_and(|s| s > 0.0), "{name}: honest kernel not timed: {j}");
        }
    }
    assert!(failures.is_empty(), "{} corpus kernel(s) misjudged:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_harness_survives_a_kernel_that_tries_to_kill_it() {
    let env = Env::new();
    let c = corpus().into_iter().find(|c| c.file.ends_with("runtime_kill_parent.c")).unwrap();
    let j = eval(&env, &c);
    assert_eq!(j["outcome"], "crashed");
    assert!(j["reason"].as_str().unwrap().contains("SIGSYS"), "{}", j["reason"]);
}

fn leaderboard(env: &Env, run: &str) -> serde_json::Value {
    json(&env.run(&["leaderboard", "--run", run, "--format", "json"]))[0].clone()
}

#[test]
fn a_suspicious_speedup_counts_only_after_a_reviewer_accepts_it() {
    let env = Env::new();
    // An honest kernel, with the ceiling set so low that any speedup is "too good to be true".
    let run = |id: &str| {
        env.run(&[
            "run",
            "--model",
            "replay:examples/replay",
            "--tasks",
            "relu",
            "--size",
            "tiny",
            "--run-id",
            id,
            "--max-speedup",
            "0.000001",
        ])
    };
    for id in ["accepted", "rejected"] {
        let o = run(id);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let row = leaderboard(&env, id);
        assert_eq!(row["outcomes"]["passed"], 1, "{row}");
        assert_eq!(row["flagged"], 1, "{row}");
        assert_eq!(row["fast_1"], 0.0, "{row}");
        assert!(row["geomean_speedup"].is_null(), "a pending suspicious speedup was counted: {row}");
    }
    let pending = json(&env.run(&["review", "--format", "json"]));
    let pending = pending.as_array().unwrap();
    assert_eq!(pending.len(), 2, "{pending:?}");
    assert!(pending.iter().all(|r| r["label"] == "suspicious" && r["review"] == "pending"));
    assert!(pending[0]["reason"].as_str().unwrap().contains("exceeds the ceiling"), "{}", pending[0]["reason"]);
    let id_of = |run: &str| pending.iter().find(|r| r["run"] == run).unwrap()["id"].as_str().unwrap().to_string();

    let o = env.run(&["review", "--accept", &id_of("accepted"), "--note", "checked by hand: honest ReLU"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(leaderboard(&env, "accepted")["geomean_speedup"].as_f64().is_some_and(|s| s > 0.0));

    let o = env.run(&["review", "--reject", &id_of("rejected")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let row = leaderboard(&env, "rejected");
    assert_eq!(row["pass_at_1"], 0.0, "a rejected result still counts as passed: {row}");
    assert!(row["geomean_speedup"].is_null(), "{row}");
    // Nothing is left to review, and only suspicious evaluations can be reviewed.
    assert!(json(&env.run(&["review", "--format", "json"])).as_array().is_none_or(|a| a.is_empty()));
    let o = env.run(&["review", "--accept", "999999"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not in this database"));
}

#[test]
fn a_time_below_the_roofline_floor_is_suspicious() {
    let env = Env::new();
    // The same ReLU task, except its spec claims 1e15 FLOP per call: no device does that in the
    // microseconds an honest kernel takes, so the measured time beats the floor.
    let dir = env.dir.path().join("catalog");
    copy_dir(&repo().join("tasks/catalog/activation/relu"), &dir.join("activation/relu"));
    let spec = dir.join("activation/relu/task.yaml");
    let text = std::fs::read_to_string(&spec).unwrap().replace("flops: \"N\"", "flops: \"1e15\"");
    std::fs::write(&spec, text).unwrap();
    let kernel = repo().join("harness/tests/adversarial/cpu/honest_relu_avx2_intrinsics.c");
    let o = env.run(&[
        "eval",
        "--task",
        "relu",
        "--size",
        "tiny",
        "--format",
        "json",
        "--tasks-dir",
        dir.to_str().unwrap(),
        kernel.to_str().unwrap(),
    ]);
    let j = json(&o);
    assert_eq!(j["outcome"], "passed", "{j}");
    assert_eq!(j["hack_label"], "suspicious", "{j}");
    assert!(j["flags"].as_array().unwrap().iter().any(|f| f == "beats_roofline"), "{j}");
    assert!(j["roofline_floor_ns"].as_f64().is_some_and(|f| f > 1e6), "{j}");
    assert!(j["reason"].as_str().unwrap().contains("below the roofline floor"), "{j}");
}
