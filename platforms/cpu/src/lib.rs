//! kernelsmith-platform-cpu: the platform that runs everywhere.
//!
//! Candidates are C11 source (OpenMP allowed) implementing the generated ABI. They are compiled by
//! the system C compiler into a shared library together with a generated shim exporting
//! `ks_entry(void**, const int64_t*)`, cached by content hash, and executed only inside a
//! `kernelsmith worker` child process ([`worker::serve`]), never in the harness.
#![warn(missing_docs)]

pub mod peak;
pub mod rules;
pub mod worker;

use kernelsmith_platform::abi::{c_header, c_prototype, c_shim};
use kernelsmith_platform::build::{Build, cached_build};
use kernelsmith_platform::{
    Artifact, CompileFailure, DevicePeak, Language, Platform, PlatformError, Probe, Violation, content_hash,
};
use kernelsmith_tasks::Task;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// How the cpu platform compiles and where it keeps things.
#[derive(Clone, Debug)]
pub struct CpuConfig {
    /// The C compiler (`cc` unless the user says otherwise).
    pub cc: String,
    /// Flags for candidates and baselines alike (so speedups compare code, not flags).
    pub flags: Vec<String>,
    /// Root of the compile cache.
    pub cache_dir: PathBuf,
    /// The `kernelsmith` executable, started as `kernelsmith worker --platform cpu`.
    pub worker_exe: PathBuf,
    /// Longest a single compile may take.
    pub compile_timeout: Duration,
}

impl CpuConfig {
    /// The default flags: optimised for this machine, OpenMP on.
    pub fn default_flags() -> Vec<String> {
        ["-std=gnu11", "-O3", "-march=native", "-fopenmp", "-fPIC", "-shared", "-Wall"].map(String::from).to_vec()
    }
}

/// The cpu platform.
#[derive(Debug)]
pub struct CpuPlatform {
    config: CpuConfig,
    compiler_version: String,
    peak: std::sync::OnceLock<Option<DevicePeak>>,
}

impl CpuPlatform {
    /// A cpu platform with `config`; asks the compiler for its version once.
    pub fn new(config: CpuConfig) -> CpuPlatform {
        let compiler_version = Command::new(&config.cc)
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or("").to_string())
            .unwrap_or_default();
        CpuPlatform { config, compiler_version, peak: std::sync::OnceLock::new() }
    }

    fn device() -> String {
        let model = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split(':').nth(1))
                    .map(|s| s.trim().to_string())
            })
            .unwrap_or_else(|| std::env::consts::ARCH.to_string());
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        format!("{model} ({cores} cores)")
    }
}

const PREFIX: &str = "";

impl Platform for CpuPlatform {
    fn name(&self) -> &'static str {
        "cpu"
    }

    fn probe(&self) -> Probe {
        let mut notes = Vec::new();
        let found = !self.compiler_version.is_empty();
        if !found {
            notes.push(format!(
                "C compiler `{}` not found or not working: install gcc or clang, or set CC / --cc",
                self.config.cc
            ));
        } else {
            notes.push(format!("flags: {}", self.config.flags.join(" ")));
            notes.push(format!("compile cache: {}", self.config.cache_dir.join("cpu").display()));
        }
        Probe {
            platform: "cpu".into(),
            can_compile: found,
            can_execute: found,
            device: Self::device(),
            toolchain: if found { format!("{} ({})", self.compiler_version, self.config.cc) } else { "none".into() },
            notes,
            sandbox: Vec::new(),
            peak: None,
        }
    }

    fn language(&self) -> Language {
        Language {
            display: "C11 (OpenMP allowed)",
            fence_tags: &["c", "C", "c11", "h"],
            baseline_file: "baseline.c",
            exemplar_file: "baseline.c",
            returns_outputs: false,
        }
    }

    fn abi(&self, task: &Task) -> String {
        format!("#include <stdint.h>\n\n{};", c_prototype(task, &[], PREFIX))
    }

    fn static_check(&self, task: &Task, source: &str) -> Vec<Violation> {
        rules::check_c(source, &task.id)
    }

    fn compile(&self, task: &Task, source: &str) -> Result<Result<Artifact, CompileFailure>, PlatformError> {
        let header = c_header(task, &[], PREFIX, &["stdint.h", "stddef.h"]);
        let shim = c_shim(task, PREFIX);
        let flags = self.config.flags.join(" ");
        let key = content_hash(&[
            b"cpu",
            source.as_bytes(),
            header.as_bytes(),
            shim.as_bytes(),
            self.compiler_version.as_bytes(),
            flags.as_bytes(),
            self.config.cc.as_bytes(),
        ]);
        let root = self.config.cache_dir.join("cpu");
        let build = Build {
            root: &root,
            key: &key,
            artifact: "kernel.so",
            files: &[("candidate.c", source), ("kernelsmith_abi.h", &header), ("kernelsmith_shim.c", &shim)],
            timeout: self.config.compile_timeout,
            compiler: "the C compiler",
        };
        cached_build(
            &build,
            |_| {
                let mut cmd = Command::new(&self.config.cc);
                cmd.args(&self.config.flags).args([
                    "-I.",
                    "-include",
                    "kernelsmith_abi.h",
                    "candidate.c",
                    "kernelsmith_shim.c",
                    "-o",
                    "kernel.so",
                    "-lm",
                    "-Wl,-Bsymbolic",
                ]);
                cmd
            },
            |e| PlatformError::Unavailable {
                platform: "cpu".into(),
                reason: format!("cannot run the C compiler `{}`: {e} (install gcc or set CC)", self.config.cc),
            },
        )
    }

    fn worker_command(&self) -> Command {
        let mut c = Command::new(&self.config.worker_exe);
        c.args(["worker", "--platform", "cpu"]);
        c
    }

    fn toolchain(&self) -> (String, String) {
        (self.compiler_version.clone(), self.config.flags.join(" "))
    }

    fn timing_method(&self) -> &'static str {
        "system-monotonic (paired A/B, harness-timed round trips minus the empty round trip)"
    }

    fn peak_source(&self) -> &'static str {
        "measured on this machine x2, generous on purpose"
    }

    fn device_peak(&self) -> Option<DevicePeak> {
        *self.peak.get_or_init(|| {
            let identity = format!("{} | {} | {}", Self::device(), self.compiler_version, self.config.flags.join(" "));
            peak::measure(&self.config.cc, &self.config.flags, &self.config.cache_dir.join("cpu"), &identity)
        })
    }
}
