//! The cuda platform without a GPU: nvcc compiles candidates through the cache, rejects syntax
//! and signature errors with its own log, and nothing that touches the driver panics.
//!
//! These tests need nvcc (a CUDA toolkit, or the pinned wheels `./scripts/test` installs into
//! `./.venv`). Without it they fail with that instruction instead of passing vacuously, unless
//! `KERNELSMITH_SKIP_CUDA_COMPILE=1` says the machine is meant to lack it.

use kernelsmith_platform::Platform;
use kernelsmith_platform_cuda::toolchain::NvccSearch;
use kernelsmith_platform_cuda::{CudaConfig, CudaPlatform, device};
use kernelsmith_tasks::{Registry, Task};
use std::time::Duration;

struct Fixture {
    platform: CudaPlatform,
    _cache: tempfile::TempDir,
}

/// A platform with a private compile cache, or `None` when nvcc is absent and the machine says
/// that is expected.
fn fixture() -> Option<Fixture> {
    let cache = tempfile::tempdir().unwrap();
    let platform = CudaPlatform::new(CudaConfig {
        nvcc: NvccSearch {
            explicit: std::env::var_os("KERNELSMITH_NVCC").map(Into::into),
            cuda_home: std::env::var_os("CUDA_HOME").map(Into::into),
            path: std::env::var_os("PATH"),
            cwd: std::env::current_dir().ok(),
        },
        arch: CudaConfig::DEFAULT_ARCH.into(),
        cache_dir: cache.path().to_path_buf(),
        worker_exe: "/nonexistent/kernelsmith".into(),
        compile_timeout: Duration::from_secs(300),
    })
    .unwrap();
    if let Err(e) = platform.nvcc() {
        if std::env::var("KERNELSMITH_SKIP_CUDA_COMPILE").as_deref() == Ok("1") {
            eprintln!("KERNELSMITH_SKIP_CUDA_COMPILE=1: skipping a CUDA compile test ({e})");
            return None;
        }
        panic!(
            "nvcc is needed for the CUDA compile tests: run ./scripts/test (it installs the pinned CUDA wheels into ./.venv), or set KERNELSMITH_SKIP_CUDA_COMPILE=1 on a machine meant to lack nvcc.\n{e}"
        );
    }
    Some(Fixture { platform, _cache: cache })
}

fn relu() -> Task {
    Registry::embedded().unwrap().get("relu").unwrap().clone()
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
fn a_correct_kernel_compiles_and_the_second_compile_comes_from_the_cache() {
    let Some(f) = fixture() else { return };
    let task = relu();
    let first = f.platform.compile(&task, RELU).unwrap().unwrap_or_else(|e| panic!("nvcc failed:\n{}", e.log));
    assert!(!first.cached);
    assert!(first.path.is_file(), "{}", first.path.display());
    let second = f.platform.compile(&task, RELU).unwrap().unwrap();
    assert!(second.cached);
    assert_eq!(first.path, second.path);
    // The shared library exports the shim's entry point (the worker looks it up by name).
    let syms = std::process::Command::new("nm").args(["-D", "--defined-only"]).arg(&first.path).output();
    if let Some(o) = syms.ok().filter(|o| o.status.success()) {
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains(" ks_entry") && text.contains(" relu"), "{text}");
    }
}

#[test]
fn a_syntax_error_is_a_compile_failure_carrying_nvccs_error_line() {
    let Some(f) = fixture() else { return };
    let broken = RELU.replace("return (int)cudaGetLastError();", "return (int)cudaGetLastError()"); // no `;`
    let fail = f.platform.compile(&relu(), &broken).unwrap().expect_err("must not compile");
    assert!(fail.log.contains("candidate.cu") && fail.log.contains("error"), "{}", fail.log);
}

#[test]
fn a_wrong_signature_does_not_compile() {
    let Some(f) = fixture() else { return };
    // An `int` size instead of `int64_t`, with and without `extern "C"`: the first conflicts with
    // the force-included prototype, the second is a C++ overload that leaves it undefined.
    for wrong in [
        RELU.replace("int64_t N, cudaStream_t", "int N, cudaStream_t"),
        RELU.replace(
            "extern \"C\" int relu(const float* x, float* y, int64_t N",
            "int relu(const float* x, float* y, int N",
        ),
        RELU.replace(", cudaStream_t stream)", ")").replace(", 0, stream>>>", ">>>"),
    ] {
        let r = f.platform.compile(&relu(), &wrong).unwrap();
        assert!(r.is_err(), "compiled although the signature is wrong:\n{wrong}");
    }
}

#[test]
fn the_probe_explains_a_missing_gpu_without_panicking() {
    let Some(f) = fixture() else { return };
    let p = f.platform.probe();
    assert!(p.can_compile, "{p:?}");
    assert!(p.toolchain.contains("release 13"), "{p:?}");
    if !device::driver_library_present() {
        assert!(!p.can_execute, "{p:?}");
        let notes = p.notes.join("\n");
        assert!(notes.contains("cannot execute") && notes.contains("libcuda"), "{notes}");
        assert!(f.platform.device_peak().is_none());
    }
    assert_eq!(f.platform.worker_limits().address_space_bytes, 0);
    assert!(f.platform.timing_method().starts_with("cuda-events"));
}

#[test]
fn the_abi_and_the_generated_header_agree_on_the_stream_parameter() {
    let Some(f) = fixture() else { return };
    let abi = f.platform.abi(&relu());
    assert!(abi.contains("extern \"C\" int relu(const float* x, float* y, int64_t N, cudaStream_t stream);"), "{abi}");
    assert!(abi.contains("#include <cuda_runtime.h>"), "{abi}");
}

#[test]
fn an_invalid_architecture_is_refused_with_examples() {
    let e = CudaPlatform::new(CudaConfig {
        nvcc: NvccSearch::default(),
        arch: "90".into(),
        cache_dir: std::env::temp_dir(),
        worker_exe: "/nonexistent".into(),
        compile_timeout: Duration::from_secs(1),
    })
    .unwrap_err();
    assert!(e.contains("sm_90"), "{e}");
}
