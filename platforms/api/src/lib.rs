//! kernelsmith-platform: what every target platform shares.
//!
//! A platform does three platform-specific things — static checks, compiling a candidate, and
//! naming the worker process that executes it — behind the narrow [`Platform`] trait. Everything
//! that defines a trustworthy score is written once, here, so it is identical on every platform:
//! the evaluation contract ([`eval`]), the worker protocol ([`protocol`], [`worker`]), the
//! comparator ([`compare`]) and the timing statistics ([`stats`]).
//!
//! Invariant: candidate code never runs in the process that calls [`eval::evaluate`]; it runs in a
//! worker child process, and anything the child does (crash, hang, garbage output) becomes an
//! [`Outcome`], never an `Err`.
#![warn(missing_docs)]

pub mod abi;
pub mod build;
pub mod c_rules;
pub mod compare;
pub mod eval;
pub mod outcome;
pub mod protocol;
pub mod refcache;
pub mod sandbox;
pub mod stats;
pub mod worker;

pub use eval::{EvalOptions, evaluate, probe_sandbox};
pub use outcome::{EvalReport, Outcome};

use kernelsmith_tasks::Task;
use std::path::PathBuf;
use std::process::Command;

/// What `kernelsmith platforms` reports about one platform on this machine.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Probe {
    /// Platform name.
    pub platform: String,
    /// Whether candidates can be compiled here.
    pub can_compile: bool,
    /// Whether candidates can be executed (checked and timed) here.
    pub can_execute: bool,
    /// The device kernels run on (CPU model and core count, GPU name, ...).
    pub device: String,
    /// Toolchain and version (compiler, runtime).
    pub toolchain: String,
    /// Why something is unavailable, or other facts worth knowing; each names what fixes it.
    pub notes: Vec<String>,
    /// The sandbox protections a worker of this platform reports from inside (filled by
    /// [`eval::probe_sandbox`] where the platform can execute).
    #[serde(default)]
    pub sandbox: Vec<String>,
    /// The measured device peak used by the roofline check.
    #[serde(default)]
    pub peak: Option<DevicePeak>,
}

/// The language candidates are written in on a platform.
#[derive(Clone, Copy, Debug)]
pub struct Language {
    /// Name shown in prompts (`C11`).
    pub display: &'static str,
    /// Fence tags accepted when extracting code from a response; the first is the canonical one.
    pub fence_tags: &'static [&'static str],
    /// The baseline file name inside a task folder (`baseline.c`).
    pub baseline_file: &'static str,
    /// The file in a category's exemplar task folder shown as the one-shot example. Usually the
    /// baseline itself; on xla the baseline is plain `jax.numpy`, so the exemplar is a separate
    /// Pallas kernel (`pallas.py`) that shows what a candidate must look like.
    pub exemplar_file: &'static str,
    /// Whether the entry point returns its outputs (Python/JAX) instead of writing them into
    /// output buffers passed as arguments and returning a status (C, CUDA).
    pub returns_outputs: bool,
}

/// A compiled candidate or baseline, ready for a worker to load.
#[derive(Clone, Debug)]
pub struct Artifact {
    /// The loadable file (a shared library on cpu).
    pub path: PathBuf,
    /// Whether it came from the compile cache.
    pub cached: bool,
    /// Time spent compiling (0 when cached).
    pub compile_ms: f64,
}

/// A compile that failed: the candidate's fault, so it is data, not an error.
#[derive(Clone, Debug)]
pub struct CompileFailure {
    /// The compiler's full log.
    pub log: String,
    /// Time spent.
    pub compile_ms: f64,
}

/// Errors that are the harness's or the machine's fault (never the candidate's).
#[derive(Debug, thiserror::Error)]
pub enum PlatformError {
    /// The platform cannot run here.
    #[error("platform `{platform}` is not available here: {reason}")]
    Unavailable {
        /// Platform name.
        platform: String,
        /// Why, and what fixes it.
        reason: String,
    },
    /// A task's own baseline does not compile: the task is broken, not the candidate.
    #[error("baseline of task `{task}` does not compile on `{platform}`:\n{log}")]
    BaselineCompile {
        /// Task id.
        task: String,
        /// Platform name.
        platform: String,
        /// Compiler log.
        log: String,
    },
    /// The task has no baseline for this platform.
    #[error("task `{task}` has no `{file}` baseline for platform `{platform}`")]
    MissingBaseline {
        /// Task id.
        task: String,
        /// Platform name.
        platform: String,
        /// Expected file name.
        file: String,
    },
    /// The task spec itself is inconsistent (e.g. reference output shapes).
    #[error(transparent)]
    Task(#[from] kernelsmith_tasks::TaskError),
    /// Filesystem or process trouble in the harness.
    #[error("{context}: {source}")]
    Io {
        /// What the harness was doing.
        context: String,
        /// The IO error.
        source: std::io::Error,
    },
    /// The worker broke the protocol in a way a candidate cannot cause.
    #[error("worker protocol error: {0}")]
    Protocol(String),
}

impl PlatformError {
    /// Wrap an IO error with what the harness was doing.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> PlatformError {
        PlatformError::Io { context: context.into(), source }
    }
}

/// A target platform. See `docs/adding-a-platform.md`.
///
/// ## Design
/// The trait is deliberately narrow (STYLE.md point 1): correctness trials, poisoning, hashing,
/// comparison and timing are the same everywhere and live in [`eval`]; a platform only says how to
/// check and build source and how to start the process that runs it. Operators are data, so adding
/// a task never touches a platform.
pub trait Platform: Send + Sync {
    /// Short name used on the command line and in the database (`cpu`).
    fn name(&self) -> &'static str;
    /// What is available on this machine, and why not.
    fn probe(&self) -> Probe;
    /// The candidate language.
    fn language(&self) -> Language;
    /// The exact entry-point contract for `task`, as stated in prompts.
    fn abi(&self, task: &Task) -> String;
    /// Static checks before compiling; each returned item is one violation with its stable label.
    fn static_check(&self, task: &Task, source: &str) -> Vec<Violation>;
    /// Compile `source` for `task` (through the compile cache).
    fn compile(&self, task: &Task, source: &str) -> Result<Result<Artifact, CompileFailure>, PlatformError>;
    /// The command that starts a worker process speaking [`protocol`].
    fn worker_command(&self) -> Command;
    /// Compiler/runtime identity and flags, recorded as run provenance.
    fn toolchain(&self) -> (String, String);
    /// How kernels are timed (`system-monotonic`, `cuda-events`, ...), recorded with every run.
    fn timing_method(&self) -> &'static str;
    /// The device's measured peak arithmetic rate and memory bandwidth, for the roofline check
    /// (`None` when unknown: the check is then skipped and says so).
    fn device_peak(&self) -> Option<DevicePeak> {
        None
    }
    /// How [`Platform::device_peak`] is obtained, for `kernelsmith platforms` (`measured on this
    /// machine, x2`).
    fn peak_source(&self) -> &'static str {
        "measured"
    }
    /// The size timed by default on this machine, when it differs from the platform's usual one
    /// (xla: `gpu` on a GPU or TPU backend, `cpu` in interpret mode on a CPU).
    fn default_size(&self) -> Option<kernelsmith_tasks::SizeName> {
        None
    }
    /// Resource limits for this platform's workers. GPU and XLA runtimes reserve huge virtual
    /// address ranges they never touch, so their platforms lift the address-space limit.
    fn worker_limits(&self) -> worker::Limits {
        worker::Limits::default()
    }
}

/// A static-check finding: a stable label (stored as the evaluation's `hack_label`) and a
/// sentence for the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Stable label, e.g. `forbidden_process`.
    pub label: &'static str,
    /// What was found and why it is not allowed.
    pub message: String,
}

/// Peak rates of a device, measured once per machine (see the platform's `device_peak`).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DevicePeak {
    /// Floating-point operations per second (all cores / the whole device).
    pub flops_per_s: f64,
    /// Bytes per second from the fastest memory level a working set can live in.
    pub bytes_per_s: f64,
}

impl DevicePeak {
    /// The least time `flops` operations moving `bytes` bytes can take on this device.
    pub fn floor_ns(&self, flops: f64, bytes: f64) -> f64 {
        (flops / self.flops_per_s).max(bytes / self.bytes_per_s) * 1e9
    }
}

/// A stable content hash, used as compile-cache key.
pub fn content_hash(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    hex::encode(&h.finalize()[..16])
}
