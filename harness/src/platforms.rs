//! The one registry of platforms (STYLE.md point 2): names, constructors and what each needs.
//!
//! CLI validation, `kernelsmith platforms` and dispatch all read [`PLATFORMS`]; nothing else
//! matches on platform names.

use crate::config::Config;
use kernelsmith_platform::{Platform, Probe};
use kernelsmith_platform_cpu::{CpuConfig, CpuPlatform};
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

fn not_yet(issue: &'static str) -> impl Fn(&Config) -> Result<Box<dyn Platform>, String> {
    move |_| Err(format!("not built into this version of kernelsmith yet (planned: {issue})"))
}

pub const PLATFORMS: &[PlatformEntry] = &[
    PlatformEntry { name: "cpu", default_size: SizeName::Cpu, build: cpu },
    PlatformEntry { name: "cuda", default_size: SizeName::Gpu, build: |c| not_yet("the CUDA platform, issue #6")(c) },
    PlatformEntry {
        name: "xla",
        default_size: SizeName::Gpu,
        build: |c| not_yet("the XLA/Pallas platform, issue #7")(c),
    },
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
        anyhow::bail!("platform `{name}` cannot execute kernels here: {}", probe.notes.join("; "));
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
        generic_exemplar: kernelsmith_prompts::generic_exemplar(p.name()).unwrap_or("").into(),
    }
}
