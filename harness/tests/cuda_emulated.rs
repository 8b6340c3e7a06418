//! The CUDA baselines, run on the CPU. Neither CI nor the machines baselines are written on have a
//! GPU, so `platforms/cuda/emulate/run_baselines.py` translates each `baseline.cu` to C++, runs it
//! against an emulation of plain CUDA (ks_cuda_emu.h) and compares the outputs with the Rust
//! reference. These tests run it over the whole catalogue, and over small kernels under
//! `platforms/cuda/emulate/tests/` whose verdict is known, so that a checker which stopped
//! catching anything would fail here too. Races, warp-level and memory-model bugs are out of
//! its reach (see platforms/cuda/emulate/README.md).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The project venv's Python (it has numpy). Missing is a failure, never a skip.
fn python() -> PathBuf {
    let p = repo().join(".venv/bin/python");
    assert!(
        p.exists(),
        "{} is missing: run ./scripts/test (it creates the venv with numpy) before these tests",
        p.display()
    );
    p
}

fn emulate(args: &[&str]) -> Output {
    Command::new(python())
        .arg(repo().join("platforms/cuda/emulate/run_baselines.py"))
        .arg("--kernelsmith")
        .arg(env!("CARGO_BIN_EXE_kernelsmith"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run_baselines.py starts")
}

fn text(o: &Output) -> String {
    format!("--- stdout\n{}\n--- stderr\n{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Check one of the test kernels against a task's reference; returns the exit code and stdout.
fn check(task: &str, kernel: &str) -> (Option<i32>, String, Output) {
    let path = repo().join("platforms/cuda/emulate/tests").join(kernel);
    let o = emulate(&["--tasks", task, "--source", path.to_str().unwrap()]);
    (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), o)
}

#[test]
fn every_cuda_baseline_matches_its_reference_on_the_cpu_emulation() {
    let o = emulate(&["--jobs", "2"]);
    assert_eq!(o.status.code(), Some(0), "CUDA baselines failed the CPU emulation check:\n{}", text(&o));
}

#[test]
fn a_shared_memory_tree_reduction_with_a_templated_multiline_launch_passes() {
    let (code, out, o) = check("sum_reduce", "sum_reduce_tree.cu");
    assert_eq!(code, Some(0), "{}", text(&o));
    assert!(out.starts_with("ok "), "{out}");
}

#[test]
fn the_same_reduction_passes_with_blocks_run_as_openmp_teams() {
    let path = repo().join("platforms/cuda/emulate/tests/sum_reduce_tree.cu");
    let o = emulate(&["--tasks", "sum_reduce", "--source", path.to_str().unwrap(), "--team", "omp"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn a_grid_stride_loop_passes() {
    let (code, out, o) = check("relu", "relu_grid_stride.cu");
    assert_eq!(code, Some(0), "{}", text(&o));
    assert!(out.starts_with("ok "), "{out}");
}

#[test]
fn an_atomic_histogram_with_a_stream_ordered_workspace_passes() {
    let (code, out, o) = check("filter_db_sparsity", "sparsity_atomic_histogram.cu");
    assert_eq!(code, Some(0), "{}", text(&o));
    assert!(out.starts_with("ok "), "{out}");
}

#[test]
fn an_off_by_one_bounds_check_is_reported_as_an_out_of_bounds_access() {
    let (code, out, o) = check("relu", "relu_off_by_one.cu");
    assert_eq!(code, Some(1), "{}", text(&o));
    let first = out.lines().next().unwrap_or("");
    assert!(first.starts_with("FAIL") && first.contains("`input x`") && first.contains("past its end"), "{}", text(&o));
}

#[test]
fn reading_unwritten_shared_memory_is_reported_as_a_mismatch() {
    let (code, out, o) = check("sum_reduce", "sum_reduce_uninit_shared.cu");
    assert_eq!(code, Some(1), "{}", text(&o));
    let first = out.lines().next().unwrap_or("");
    assert!(
        first.starts_with("FAIL") && first.contains("output `y`") && first.contains("out of tolerance"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_warp_shuffle_fails_to_compile_naming_the_feature() {
    let (code, out, o) = check("relu", "relu_warp_shuffle.cu");
    assert_eq!(code, Some(1), "{}", text(&o));
    assert!(out.contains("compile: line 9: ks-cuda-emu: __shfl_down_sync"), "{}", text(&o));
}

#[test]
fn host_code_reading_a_device_pointer_is_reported_by_buffer_name() {
    let (code, out, o) = check("relu", "relu_host_deref.cu");
    assert_eq!(code, Some(1), "{}", text(&o));
    assert!(out.contains("host code dereferenced device buffer `input x`"), "{}", text(&o));
}

#[test]
fn a_task_without_baseline_cu_is_missing_and_fails_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let task = dir.path().join("activation/relu");
    std::fs::create_dir_all(&task).unwrap();
    std::fs::copy(repo().join("tasks/catalog/activation/relu/task.yaml"), task.join("task.yaml")).unwrap();
    let cat = dir.path().to_str().unwrap();
    let o = emulate(&["--tasks-dir", cat]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("missing"), "{}", text(&o));
    let o = emulate(&["--tasks-dir", cat, "--allow-missing"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}
