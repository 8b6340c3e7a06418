//! The cuda platform through the real CLI.
//!
//! Without a GPU (this project's CI): `kernelsmith platforms` says CUDA kernels can be compiled
//! but not executed and why, `eval`/`tasks check` on cuda fail with a clear message instead of a
//! panic, and `tasks check --compile-only` compiles every `baseline.cu` with nvcc (the pinned
//! wheels), reporting a broken one as `compile_failed` with nvcc's log. These need nvcc: without
//! it they fail and say to run ./scripts/test, unless `KERNELSMITH_SKIP_CUDA_COMPILE=1`.
//!
//! With a GPU and `KERNELSMITH_GPU_TESTS=1`: every task's `baseline.cu` passes `tasks check`, a
//! kernel is timed with CUDA events, an illegal address becomes `runtime_error`, and (when
//! compute-sanitizer is installed) `--sanitize` catches a kernel that is right by luck. Those
//! tests fail loudly when the variable is set but no GPU works. (The CUDA adversarial corpus runs
//! from `adversarial.rs` under the same variable.)

mod common;
use common::{Env, copy_dir, json, repo, text};
use kernelsmith_platform_cuda::device;
use kernelsmith_platform_cuda::toolchain::{NvccSearch, find_nvcc};

/// Whether nvcc is available; panics with the fix when it is not and the machine does not say
/// that is expected.
fn nvcc_available() -> bool {
    let search = NvccSearch {
        explicit: std::env::var_os("KERNELSMITH_NVCC").map(Into::into),
        cuda_home: std::env::var_os("CUDA_HOME").filter(|h| !h.is_empty()).map(Into::into),
        path: std::env::var_os("PATH"),
        cwd: Some(repo()),
    };
    match find_nvcc(&search) {
        Ok(_) => true,
        Err(_) if std::env::var("KERNELSMITH_SKIP_CUDA_COMPILE").as_deref() == Ok("1") => {
            eprintln!("KERNELSMITH_SKIP_CUDA_COMPILE=1: CUDA compile checks skipped");
            false
        }
        Err(e) => panic!(
            "nvcc is needed for the CUDA tests: run ./scripts/test (it installs the pinned CUDA wheels into ./.venv), or set KERNELSMITH_SKIP_CUDA_COMPILE=1 on a machine meant to lack nvcc.\n{e}"
        ),
    }
}

fn gpu_tests() -> bool {
    std::env::var("KERNELSMITH_GPU_TESTS").as_deref() == Ok("1")
}

/// With `KERNELSMITH_GPU_TESTS=1`, a GPU must work: say loudly why it does not.
fn require_gpu() -> bool {
    if !gpu_tests() {
        eprintln!("skipped: set KERNELSMITH_GPU_TESTS=1 on a machine with an NVIDIA GPU");
        return false;
    }
    if let Err(e) = device::probe() {
        panic!("KERNELSMITH_GPU_TESTS=1 but no usable GPU: {e}");
    }
    assert!(nvcc_available(), "KERNELSMITH_GPU_TESTS=1 needs nvcc too");
    true
}

fn no_panic(o: &std::process::Output) {
    let all = text(o);
    assert!(!all.contains("panicked") && !all.contains("RUST_BACKTRACE"), "{all}");
}

/// Tasks that have a `baseline.cu` on disk (helpers add them task by task).
fn tasks_with_cuda_baseline() -> Vec<String> {
    let mut ids = Vec::new();
    for cat in std::fs::read_dir(repo().join("tasks/catalog")).unwrap() {
        let cat = cat.unwrap().path();
        if !cat.is_dir() {
            continue;
        }
        for t in std::fs::read_dir(&cat).unwrap() {
            let t = t.unwrap().path();
            if t.join("baseline.cu").is_file() {
                ids.push(t.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    ids.sort();
    ids
}

const RELU: &str = r#"
#include <cuda_runtime.h>
__global__ void k(const float* x, float* y, int64_t n) {
    int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
    if (i < n) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    k<<<(unsigned)((N + 255) / 256), 256, 0, stream>>>(x, y, N);
    return (int)cudaGetLastError();
}
"#;

#[test]
fn platforms_says_cuda_compiles_and_whether_it_executes_and_why() {
    let compiles = nvcc_available();
    let env = Env::new();
    let o = env.run(&["platforms"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    no_panic(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    let row = out.lines().find(|l| l.starts_with("cuda ")).unwrap_or_else(|| panic!("no cuda row:\n{out}"));
    let j = json(&env.run(&["platforms", "--format", "json"]));
    let cuda = j.as_array().unwrap().iter().find(|p| p["platform"] == "cuda").unwrap();
    assert_eq!(cuda["can_compile"], compiles, "{cuda}");
    if compiles {
        assert!(row.contains("nvcc release 13."), "{row}");
    }
    let notes: Vec<&str> = cuda["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    match device::probe() {
        Err(why) => {
            assert_eq!(cuda["can_execute"], false, "{cuda}");
            assert!(row.split_whitespace().nth(2) == Some("no"), "{row}");
            // The reason and its fix, as the probe states them.
            assert!(notes.iter().any(|n| n.starts_with("cannot execute") && n.contains(why.as_str())), "{notes:?}");
            if !device::driver_library_present() {
                assert!(out.contains("no NVIDIA driver") && out.contains("libcuda"), "{out}");
            }
        }
        Ok(info) => {
            assert!(cuda["device"].as_str().unwrap().contains(&info.name), "{cuda}");
            if compiles {
                assert_eq!(cuda["can_execute"], true, "{cuda}");
            }
        }
    }
}

#[test]
fn eval_and_tasks_check_on_cuda_without_a_gpu_are_clear_errors_not_panics() {
    if device::probe().is_ok() || !nvcc_available() {
        eprintln!("skipped: this machine has a GPU (or no nvcc); the GPU tests cover it");
        return;
    }
    let env = Env::new();
    let file = env.dir.path().join("relu.cu");
    std::fs::write(&file, RELU).unwrap();
    let o = env.run(&["eval", "--platform", "cuda", "--task", "relu", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    no_panic(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("platform `cuda` cannot execute kernels here"), "{err}");

    let o = env.run(&["tasks", "check", "--platform", "cuda", "--tasks", "relu"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    no_panic(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot execute") && err.contains("--compile-only"), "{err}");
}

#[test]
fn compile_only_compiles_every_cuda_baseline_and_reports_nvccs_log_for_a_broken_one() {
    if !nvcc_available() {
        return;
    }
    let env = Env::new();
    let catalog = repo().join("tasks/catalog");
    let ids = tasks_with_cuda_baseline();
    assert!(ids.iter().any(|i| i == "relu"), "relu has no baseline.cu: {ids:?}");
    let sel = ids.join(",");
    let o = env.run(&[
        "tasks",
        "check",
        "--platform",
        "cuda",
        "--compile-only",
        "--tasks",
        &sel,
        "--tasks-dir",
        catalog.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("all {} baseline.cu baselines compile on `cuda`", ids.len())), "{err}");
    for id in &ids {
        assert!(err.lines().any(|l| l.starts_with(id.as_str()) && l.contains(" ok ")), "{id}:\n{err}");
    }

    // One task whose baseline.cu lost a semicolon.
    let broken = env.dir.path().join("catalog");
    copy_dir(&catalog.join("activation/relu"), &broken.join("activation/relu"));
    let cu = broken.join("activation/relu/baseline.cu");
    let src = std::fs::read_to_string(&cu)
        .unwrap()
        .replace("return (int)cudaGetLastError();", "return (int)cudaGetLastError()");
    std::fs::write(&cu, src).unwrap();
    let args = ["tasks", "check", "--platform", "cuda", "--compile-only", "--tasks-dir", broken.to_str().unwrap()];
    let o = env.run(&args);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    no_panic(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    let line = err.lines().find(|l| l.starts_with("relu")).unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("compile_failed"), "{err}");
    assert!(err.contains("candidate.cu") && err.contains("error"), "nvcc's log is shown:\n{err}");
    assert!(err.contains("failed to compile on `cuda`: relu"), "{err}");
    let j = json(&env.run(&[&args[..], &["--format", "json"]].concat()));
    assert_eq!(j[0]["status"], "compile_failed", "{j}");
}

#[test]
fn compile_only_works_for_cpu_too() {
    let env = Env::new();
    let o = env.run(&["tasks", "check", "--platform", "cpu", "--compile-only", "--tasks", "relu,matmul"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("baseline.c baselines compile on `cpu`"), "{}", text(&o));
}

#[test]
fn sanitize_is_refused_off_cuda() {
    let env = Env::new();
    let file = repo().join("tasks/catalog/activation/relu/baseline.c");
    let o = env.run(&["eval", "--platform", "cpu", "--task", "relu", "--sanitize", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--platform cuda only"), "{}", text(&o));
}

// ---- GPU only (KERNELSMITH_GPU_TESTS=1) ------------------------------------------------------

#[test]
fn gpu_platforms_reports_the_device_and_a_sandboxed_worker() {
    if !require_gpu() {
        return;
    }
    let env = Env::new();
    let j = json(&env.run(&["platforms", "--format", "json"]));
    let cuda = j.as_array().unwrap().iter().find(|p| p["platform"] == "cuda").unwrap().clone();
    assert_eq!(cuda["can_execute"], true, "{cuda}");
    let device = cuda["device"].as_str().unwrap();
    assert!(device.contains("SMs") && device.contains("sm_") && device.contains("driver CUDA"), "{device}");
    let sandbox: Vec<&str> = cuda["sandbox"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(sandbox.iter().any(|s| s.starts_with("seccomp")), "the cuda worker runs under seccomp: {sandbox:?}");
    assert!(cuda["peak"].is_object(), "{cuda}");
}

#[test]
fn gpu_tasks_check_passes_for_every_cuda_baseline() {
    if !require_gpu() {
        return;
    }
    let env = Env::new();
    let catalog = repo().join("tasks/catalog");
    let o =
        env.run(&["tasks", "check", "--platform", "cuda", "--size", "tiny", "--tasks-dir", catalog.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn gpu_eval_times_a_kernel_with_cuda_events_and_maps_cuda_errors_to_runtime_error() {
    if !require_gpu() {
        return;
    }
    let env = Env::new();
    let file = env.dir.path().join("relu.cu");
    std::fs::write(&file, RELU).unwrap();
    let o = env.run(&[
        "eval",
        "--platform",
        "cuda",
        "--task",
        "relu",
        "--size",
        "tiny",
        "--format",
        "json",
        file.to_str().unwrap(),
    ]);
    let j = json(&o);
    assert_eq!(j["outcome"], "passed", "{}", text(&o));
    let t = &j["timing"];
    assert!(t["candidate_median_ns"].as_f64().unwrap() > 0.0, "{t}");
    let speedup = t["speedup"].as_f64().unwrap();
    assert!((0.3..3.0).contains(&speedup), "a plain relu is about as fast as the baseline relu: {t}");

    // An illegal address is a sticky CUDA error: the worker reports it, the harness records it.
    let bad = RELU.replace("if (i < n) y[i] =", "if (i < n) y[i + (1ll << 40)] =");
    std::fs::write(&file, bad).unwrap();
    let o = env.run(&[
        "eval",
        "--platform",
        "cuda",
        "--task",
        "relu",
        "--size",
        "tiny",
        "--no-time",
        "--format",
        "json",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let j = json(&o);
    assert_eq!(j["outcome"], "runtime_error", "{j}");
    assert!(j["reason"].as_str().unwrap().contains("CUDA_ERROR"), "{j}");
}

#[test]
fn gpu_sanitize_catches_a_kernel_that_is_right_by_luck() {
    if !require_gpu() {
        return;
    }
    let env = Env::new();
    let probe = env.run(&["eval", "--platform", "cuda", "--task", "relu", "--sanitize", "--no-time", "/dev/null"]);
    if String::from_utf8_lossy(&probe.stderr).contains("compute-sanitizer not found") {
        eprintln!("skipped: compute-sanitizer is not installed");
        return;
    }
    // Reads one element past the end of `x` and ignores it: the output is right.
    let lucky = RELU.replace(
        "if (i < n) y[i] = x[i] > 0.0f ? x[i] : 0.0f;",
        "if (i < n) { volatile float past = x[i + 1]; (void)past; y[i] = x[i] > 0.0f ? x[i] : 0.0f; }",
    );
    let file = env.dir.path().join("lucky.cu");
    std::fs::write(&file, lucky).unwrap();
    let args = ["eval", "--platform", "cuda", "--task", "relu", "--size", "tiny", "--no-time", "--format", "json"];
    let j = json(&env.run(&[&args[..], &["--sanitize", file.to_str().unwrap()]].concat()));
    assert_eq!(j["outcome"], "mismatch", "{j}");
    assert_eq!(j["hack_label"], "sanitizer_memcheck", "{j}");
    // The same kernel without --sanitize passes: only the sanitizer sees it.
    let j = json(&env.run(&[&args[..], &[file.to_str().unwrap()]].concat()));
    assert_eq!(j["outcome"], "passed", "{j}");
}
