//! The one registry of platforms (STYLE.md point 2): names, constructors and what each needs.
//!
//! CLI validation, `kernelsmith platforms` and dispatch all read [`PLATFORMS`]; nothing else
//! matches on platform names.

use crate::config::Config;
use kernelsmith_platform::{Platform, Probe};
use kernelsmith_platform_cpu::{CpuConfig, CpuPlatform};
use kernelsmith_platform_cuda::{CudaConfig, CudaPlatform};
use kernelsmith_platform_xla::{XlaConfig, XlaPlatform};
use kernelsmith_prompts::PlatformFacts;
use kernelsmith_tasks::{SizeName, Task};
use std::time::Duration;

/// One row of the registry.
pub struct PlatformEntry {
    pub name: &'static str,
    /// The size timed by default on this platform.
    pub default_size: SizeName,
    /// Builds the platform, or says why this build or machine cannot.
    pub build: fn(&Config) -> Result<Box<dyn Platform>, String>,
}

fn cpu(cfg: &Config) -> Result<Box<dyn Platform>, String> {
    Ok(Box::new(CpuPlatform::new(CpuConfig {
        cc: cfg.cc.clone(),
        flags: CpuConfig::default_flags(),
        cache_dir: cfg.cache_dir.clone(),
        worker_exe: cfg.worker_exe.clone(),
        compile_timeout: Duration::from_secs(120),
    })))
}

/// The cuda platform itself (not boxed): `--sanitize` needs its compute-sanitizer runner.
pub fn cuda_platform(cfg: &Config) -> Result<CudaPlatform, String> {
    CudaPlatform::new(CudaConfig {
        nvcc: cfg.nvcc.clone(),
        arch: cfg.cuda_arch.clone(),
        cache_dir: cfg.cache_dir.clone(),
        worker_exe: cfg.worker_exe.clone(),
        compile_timeout: Duration::from_secs(300),
    })
}

fn cuda(cfg: &Config) -> Result<Box<dyn Platform>, String> {
    Ok(Box::new(cuda_platform(cfg)?))
}

fn xla(cfg: &Config) -> Result<Box<dyn Platform>, String> {
    let config = XlaConfig::new(cfg.python.as_deref(), &cfg.cwd, cfg.cache_dir.clone(), cfg.tpu_check);
    Ok(Box::new(XlaPlatform::new(config)))
}

fn not_yet(issue: &'static str) -> impl Fn(&Config) -> Result<Box<dyn Platform>, String> {
    move |_| Err(format!("not built into this version of kernelsmith yet (planned: {issue})"))
}

pub const PLATFORMS: &[PlatformEntry] = &[
    PlatformEntry { name: "cpu", default_size: SizeName::Cpu, build: cpu },
    PlatformEntry { name: "cuda", default_size: SizeName::Gpu, build: cuda },
    // `cpu` where JAX's backend is unknown; the platform itself picks `gpu` on a GPU or TPU
    // backend and keeps `cpu` in interpret mode (`Platform::default_size`).
    PlatformEntry { name: "xla", default_size: SizeName::Cpu, build: xla },
    PlatformEntry { name: "ascend", default_size: SizeName::Gpu, build: |c| not_yet("the Ascend platform")(c) },
];

pub fn entry(name: &str) -> anyhow::Result<&'static PlatformEntry> {
    PLATFORMS.iter().find(|p| p.name == name).ok_or_else(|| {
        anyhow::anyhow!(
            "unknown platform `{name}`; known: {} (see `kernelsmith platforms`)",
            PLATFORMS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
        )
    })
}

/// Build a platform that must be able to execute kernels here.
pub fn executable(cfg: &Config, name: &str) -> anyhow::Result<(Box<dyn Platform>, &'static PlatformEntry)> {
    let e = entry(name)?;
    let p = (e.build)(cfg).map_err(|why| {
        anyhow::anyhow!("platform `{name}` is {why}; run `kernelsmith platforms` to see what is available")
    })?;
    let probe = p.probe();
    if !probe.can_execute {
        // The notes that say why (they start with "cannot"), not the platform's other facts.
        let why: Vec<&str> = probe.notes.iter().map(String::as_str).filter(|n| n.starts_with("cannot")).collect();
        let why = if why.is_empty() { probe.notes.join("; ") } else { why.join("; ") };
        anyhow::bail!("platform `{name}` cannot execute kernels here: {why}");
    }
    Ok((p, e))
}

/// Probe every registered platform.
pub fn probe_all(cfg: &Config) -> Vec<Probe> {
    PLATFORMS
        .iter()
        .map(|e| match (e.build)(cfg) {
            Ok(p) => {
                let mut probe = p.probe();
                if probe.can_execute {
                    match kernelsmith_platform::probe_sandbox(p.as_ref()) {
                        Ok(s) => probe.sandbox = s,
                        Err(e) => probe.notes.push(format!("sandbox probe failed: {e}")),
                    }
                    probe.peak = p.device_peak();
                    if let Some(peak) = probe.peak {
                        probe.notes.push(format!(
                            "roofline peak ({}): {:.1} GFLOP/s, {:.1} GB/s",
                            p.peak_source(),
                            peak.flops_per_s / 1e9,
                            peak.bytes_per_s / 1e9
                        ));
                    }
                }
                probe
            }
            Err(why) => Probe {
                platform: e.name.into(),
                can_compile: false,
                can_execute: false,
                device: "-".into(),
                toolchain: "-".into(),
                notes: vec![why],
                sandbox: Vec::new(),
                peak: None,
            },
        })
        .collect()
}

/// The facts a prompt states about a platform for a task.
pub fn facts(p: &dyn Platform, task: &Task) -> PlatformFacts {
    let lang = p.language();
    let (compiler, flags) = p.toolchain();
    let (contract, rules) = match p.name() {
        "cpu" => (
            "Inputs are `const` pointers to contiguous row-major buffers, outputs are pointers to buffers you must fill completely, sizes are `int64_t`. f16/bf16 tensors are passed as `uint16_t` raw bits. Return 0 on success. Your source is compiled together with a header declaring this prototype, so the signature must match exactly.".to_string(),
            vec![
                format!("Compiled as C (gnu11) with `{flags}` by {compiler}; link with libm. Include the headers you use."),
                "OpenMP (`#pragma omp ...`) and compiler intrinsics are allowed; do not create threads or processes yourself, and do not print.".to_string(),
                "Buffers are 64-byte aligned.".to_string(),
            ],
        ),
        "cuda" => (
            "All pointers are device pointers (GPU global memory, at least 256-byte aligned) to contiguous row-major buffers: inputs are `const`, outputs are buffers you must fill completely, sizes are `int64_t`. f16/bf16 tensors are passed as `uint16_t` raw bits (reinterpret them with `__ushort_as_half` / `__ushort_as_bfloat16` from `<cuda_fp16.h>` / `<cuda_bf16.h>`). Launch every kernel on `stream` and return 0 on success, e.g. `return (int)cudaGetLastError();` after the launches. Your source is compiled together with a header declaring this `extern \"C\"` prototype, so the signature must match exactly.".to_string(),
            vec![
                format!("Compiled as CUDA C++17 by {compiler} with `{flags}` into a shared library. Include the headers you use (`<cuda_fp16.h>`, `<cuda_bf16.h>`, `<mma.h>`, `<cooperative_groups.h>`, ...)."),
                "Launch all device work on the `stream` argument: no other streams, no default-stream launches, no host callbacks. The whole device is synchronised after each call, so nothing asynchronous escapes the timer.".to_string(),
                "The computation is yours and happens on the GPU: no copies between device and host, no host computation, no cuBLAS/cuDNN/cuFFT/CUTLASS/Thrust or device-wide CUB. Shared memory, warp intrinsics, block-level CUB, inline PTX and tensor cores (WMMA/MMA) are allowed; scratch memory may come from `cudaMallocAsync`/`cudaFreeAsync` on `stream`.".to_string(),
                "Do not reset or switch devices or contexts, create host threads or processes, read clocks, or print.".to_string(),
            ],
        ),
        "xla" => {
            // The platform says how it runs through its timing method and flags.
            let interpret = p.timing_method().contains("interpret");
            let tpu_check = flags.contains("TPU compile check");
            let mut target = "Write the kernel for TPU: the last two dims of every BlockSpec block must be divisible by 8 and 128 (or equal the array's own dims); a 1-D block must be a multiple of 1024, a power of two of at least 128, or the whole array. Grids may use `pl.cdiv`: writes of a partial last block are masked, but its out-of-range reads hold garbage, so reductions must mask them.".to_string();
            if interpret {
                target.push_str(&format!(" On this machine kernels run in Pallas interpret mode on the CPU ({compiler}); kernelsmith switches interpret mode on itself, so do not pass `interpret=`."));
            }
            if tpu_check {
                target.push_str(" Your kernel is also lowered for TPU with `jax.export` (without running it): a block shape or operation the TPU lowering rejects is a compile failure.");
            }
            (
                "Write a Python module defining this `kernel`. It is called under `jax.jit`: the inputs arrive as jax arrays of the listed dtypes (f32 = float32, f16 = float16, bf16 = bfloat16, i8 = int8, i32 = int32, u8 = uint8), the sizes as keyword-only Python ints (static under jit). Outputs are not arguments: return the output array, or a tuple of arrays in the listed output order, with exactly the listed dtypes and shapes (rather than filling buffers, and instead of returning 0). x64 is disabled, so float32 is the default float type. Constants of the task are written in your code.".to_string(),
                vec![
                    "Do the computation in a Pallas kernel: `from jax.experimental import pallas as pl` and call `pl.pallas_call` (`from jax.experimental.pallas import tpu as pltpu` for TPU memory spaces and compiler params). The traced program is inspected: matmuls, convolutions, reductions, scans, sorts, gathers and large elementwise ops outside `pallas_call` are rejected as `work_outside_pallas`, and the returned arrays must come from a `pallas_call`. Reshapes, transposes, padding, slicing, broadcasts and dtype casts outside are fine, and so is small glue such as combining per-block partial results.".to_string(),
                    target,
                    "Imports are limited to jax, numpy, ml_dtypes, math, functools, itertools, operator, typing, dataclasses, enum, collections and numbers. No host callbacks (`jax.pure_callback`, `io_callback`, `jax.debug.*`), no file, process, network, thread or clock access, no changes to JAX's configuration (`jax.config`), no dunder attributes, `getattr`/`setattr` or `eval`/`exec`; do not print.".to_string(),
                ],
            )
        }
        _ => (String::new(), Vec::new()),
    };
    PlatformFacts {
        name: p.name().into(),
        language: lang.display.into(),
        fence: lang.fence_tags[0].into(),
        abi: p.abi(task),
        contract,
        rules,
        baseline_file: lang.baseline_file.into(),
        exemplar_file: lang.exemplar_file.into(),
        returns_outputs: lang.returns_outputs,
        generic_exemplar: kernelsmith_prompts::generic_exemplar(p.name()).unwrap_or("").into(),
    }
}
