//! The xla platform through the real CLI: `kernelsmith platforms` reports JAX and its backend
//! (and names `platforms setup xla` when there is no JAX), `eval` runs a Pallas kernel in
//! interpret mode, `--tpu-check` turns an illegal TPU block shape into compile_failed, `run`
//! records an interpret-mode timing that the leaderboard keeps apart, and `tasks check` checks
//! baselines and Pallas exemplars.
//!
//! These need JAX in the project venv: without it they fail and say to run ./scripts/test or
//! `kernelsmith platforms setup xla`, unless KERNELSMITH_SKIP_XLA=1.

mod common;
use common::{Env, json, repo, text};

fn jax_available() -> bool {
    if std::env::var("KERNELSMITH_SKIP_XLA").as_deref() == Ok("1") {
        eprintln!("KERNELSMITH_SKIP_XLA=1: xla CLI test skipped");
        return false;
    }
    let probes = json(&Env::new().run(&["platforms", "--format", "json"]));
    let xla = probes.as_array().unwrap().iter().find(|p| p["platform"] == "xla").expect("an xla row").clone();
    assert!(
        xla["can_execute"] == true,
        "the xla tests need JAX {} in ./.venv: run ./scripts/test or `kernelsmith platforms setup xla` (KERNELSMITH_SKIP_XLA=1 skips them)\n{xla:#}",
        kernelsmith_platform_xla::JAX_VERSION
    );
    true
}

fn kernel(name: &str) -> String {
    repo().join("platforms/xla/tests/kernels").join(name).to_string_lossy().into_owned()
}

#[test]
fn platforms_reports_the_jax_version_and_backend() {
    if !jax_available() {
        return;
    }
    let o = Env::new().run(&["platforms"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let row = out.lines().find(|l| l.starts_with("xla ")).unwrap_or_else(|| panic!("{out}"));
    assert!(row.contains("yes") && row.contains("JAX 0.10.2 (jaxlib 0.10.2"), "{row}");
    assert!(row.contains("cpu (Pallas interpret mode)"), "{row}");
    assert!(out.contains("xla: backend cpu: Pallas kernels run in interpret mode"), "{out}");
    assert!(out.contains("xla: sandbox: landlock") || out.contains("xla: sandbox: rlimits"), "{out}");
}

#[test]
fn without_python_the_platform_says_how_to_set_it_up() {
    let env = Env::new();
    let o = env.run(&["--python", "/nonexistent/venv/bin/python", "platforms"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let row = out.lines().find(|l| l.starts_with("xla ")).unwrap();
    assert!(row.contains(" no ") && !row.contains("yes"), "{row}");
    assert!(out.contains("kernelsmith platforms setup xla"), "{out}");

    let o = env.run(&[
        "--python",
        "/nonexistent/venv/bin/python",
        "eval",
        "--platform",
        "xla",
        "--task",
        "relu",
        &kernel("relu_pallas.py"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("kernelsmith platforms setup xla"), "{}", text(&o));
}

fn has_nvidia_driver() -> bool {
    std::path::Path::new("/proc/driver/nvidia/version").exists() || std::path::Path::new("/dev/nvidia0").exists()
}

#[test]
fn setup_is_idempotent_on_a_complete_venv() {
    if !jax_available() {
        return;
    }
    // ./.venv holds jax[cpu]; on a machine with a GPU, `auto` would rightly want jax[cuda13].
    let jax = if has_nvidia_driver() { "cpu" } else { "auto" };
    let venv = repo().join(".venv");
    let o = Env::new().run(&["platforms", "setup", "xla", "--jax", jax, "--venv", &venv.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("already has JAX 0.10.2 on backend cpu")
            && out.contains("nothing to do")
            && out.contains("unchanged"),
        "{out}"
    );
    if jax == "auto" {
        assert!(out.contains("xla: jax[cpu] for this machine: no NVIDIA driver"), "{out}");
    }
}

#[test]
fn setup_refuses_an_accelerator_the_machine_lacks_before_downloading_anything() {
    if has_nvidia_driver() {
        return; // this machine has the driver the refusal is about
    }
    let env = Env::new();
    let venv = env.dir.path().join("gpu-venv");
    let o = env.run(&["platforms", "setup", "xla", "--jax", "cuda", "--venv", &venv.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no NVIDIA driver") && err.contains("--jax cpu"), "{err}");
    assert!(!venv.exists(), "a refused setup created {}", venv.display());
}

#[test]
fn eval_runs_a_pallas_kernel_and_the_tpu_check_rejects_an_illegal_block() {
    if !jax_available() {
        return;
    }
    let env = Env::new();
    let o = env.run(&[
        "eval",
        "--platform",
        "xla",
        "--task",
        "relu",
        "--size",
        "tiny",
        "--format",
        "json",
        &kernel("relu_pallas.py"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let r = json(&o);
    assert_eq!(r["outcome"], "passed", "{r:#}");
    assert!(r["timing"]["speedup"].as_f64().is_some(), "{r:#}");

    // Right in interpret mode, illegal on a TPU: only --tpu-check can tell.
    let illegal = kernel("relu_block_8x100.py");
    let o = env.run(&["eval", "--platform", "xla", "--task", "relu", "--size", "tiny", "--no-time", &illegal]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = env.run(&[
        "--tpu-check",
        "eval",
        "--platform",
        "xla",
        "--task",
        "relu",
        "--size",
        "tiny",
        "--no-time",
        &illegal,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("compile_failed") && out.contains("TPU compile check failed"), "{out}");
    assert!(out.contains("divisible by 8 and 128"), "{out}");
}

#[test]
fn a_run_records_interpret_mode_timings_apart_from_device_timings() {
    if !jax_available() {
        return;
    }
    let env = Env::new();
    let replay = env.dir.path().join("replay/xla");
    std::fs::create_dir_all(&replay).unwrap();
    let code = std::fs::read_to_string(kernel("relu_pallas.py")).unwrap();
    std::fs::write(replay.join("relu.md"), format!("A Pallas relu.\n\n```python\n{code}```\n")).unwrap();
    let model = format!("replay:{}", env.dir.path().join("replay").display());
    let o = env.run(&["run", "--model", &model, "--platform", "xla", "--tasks", "relu", "--size", "tiny"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let rows = json(&env.run(&["leaderboard", "--by", "task", "--format", "json"]));
    let row = &rows.as_array().unwrap()[0];
    assert_eq!(row["platform"], "xla (interpret)", "{rows:#}");
    assert_eq!(row["group"], "relu", "{rows:#}");
}

#[test]
fn tasks_check_checks_baselines_and_pallas_exemplars() {
    if !jax_available() {
        return;
    }
    let o =
        Env::new().run(&["--tpu-check", "tasks", "check", "--platform", "xla", "--size", "tiny", "--tasks", "relu"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("relu/pallas.py") && err.contains("all 1 baselines and 1 exemplars (pallas.py) match"),
        "{err}"
    );
}

/// The second, independent check of every Rust reference: each task's `baseline.py` was written
/// from the task's spec in `jax.numpy`, and here it must agree with the Rust reference at the
/// `tiny` and `heldout` sizes, for every task in the catalogue (and every Pallas exemplar).
#[test]
fn every_jax_baseline_agrees_with_its_rust_reference() {
    if !jax_available() {
        return;
    }
    let reg = kernelsmith_tasks::Registry::embedded().unwrap();
    let missing: Vec<&str> =
        reg.tasks().iter().filter(|t| t.baseline("baseline.py").is_none()).map(|t| t.id.as_str()).collect();
    assert!(missing.is_empty(), "tasks without baseline.py: {missing:?}");
    let o = Env::new().run(&["tasks", "check", "--platform", "xla", "--size", "tiny"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let n = reg.tasks().len();
    let exemplars = reg.tasks().iter().filter(|t| t.baseline("pallas.py").is_some()).count();
    assert!(exemplars >= 15, "every category's exemplar ships a pallas.py; found {exemplars}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("all {n} baselines and {exemplars} exemplars (pallas.py) match")), "{err}");
}
