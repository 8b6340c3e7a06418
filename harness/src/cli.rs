//! The command line (clap derive). Doc comments are the `--help` text, so they teach.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// kernelsmith: measure how well LLMs write fast, correct kernels.
///
/// A task goes in, a model's answer is compiled, checked against the reference in an isolated
/// worker process, timed against the task's baseline, stored in SQLite and shown on a leaderboard.
///
/// Quick start (offline, no API key):
///   kernelsmith run --model replay:examples/replay --platform cpu
///   kernelsmith leaderboard --by task
///
/// Platforms: cpu (C + OpenMP, everywhere), cuda (CUDA C++ via nvcc and cudarc; compile checks
/// without a GPU: `tasks check --platform cuda --compile-only`), xla (JAX + Pallas on TPU, GPU,
/// or a CPU in interpret mode; `platforms setup xla` installs JAX). `kernelsmith platforms` says
/// what works on this machine.
///
/// Exit codes: 0 done, 1 a gate failed (a check or an evaluated kernel did not pass), 2 usage or
/// harness error, 130 a run stopped by Ctrl-C (finished samples are kept; resume with --resume).
#[derive(Debug, Parser)]
#[command(
    name = "kernelsmith",
    version,
    about,
    long_about,
    verbatim_doc_comment,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command understands.
#[derive(Debug, Args)]
pub struct Global {
    /// Results database: a file path or a `sqlite://` URL. Default: ./kernelsmith.db
    #[arg(long, env = "KERNELSMITH_DB", global = true, value_name = "PATH|URL")]
    pub db: Option<String>,
    /// Compile cache folder. Default: $XDG_CACHE_HOME/kernelsmith or ~/.cache/kernelsmith
    #[arg(long, env = "KERNELSMITH_CACHE", global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Task catalogue folder (laid out as <category>/<id>/task.yaml). Default: the catalogue built into this binary
    #[arg(long, env = "KERNELSMITH_TASKS", global = true, value_name = "DIR")]
    pub tasks_dir: Option<PathBuf>,
    /// C compiler for the cpu platform
    #[arg(long, env = "CC", global = true, default_value = "cc", hide_env_values = true)]
    pub cc: String,
    /// nvcc for the cuda platform. Default: $CUDA_HOME/bin/nvcc, then PATH, then the pinned CUDA
    /// wheels in ./.venv (installed by ./scripts/test)
    #[arg(long, env = "KERNELSMITH_NVCC", global = true, value_name = "PATH")]
    pub nvcc: Option<PathBuf>,
    /// GPU architecture CUDA kernels (candidates and baselines alike) are built for
    #[arg(long, env = "KERNELSMITH_CUDA_ARCH", global = true, default_value = "sm_90", value_name = "SM")]
    pub cuda_arch: String,
    /// Python of the venv with JAX for the xla platform. Default: ./.venv/bin/python, then the
    /// venv of the source tree kernelsmith was built from (`kernelsmith platforms setup xla`)
    #[arg(long, env = "KERNELSMITH_PYTHON", global = true, value_name = "PATH")]
    pub python: Option<PathBuf>,
    /// xla platform: also lower every candidate for TPU (v5e) with `jax.export`, so block shapes
    /// and layouts a TPU rejects fail as compile_failed even without a TPU
    #[arg(long, global = true)]
    pub tpu_check: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum By {
    Model,
    Category,
    Task,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Prompt a model for every selected task, evaluate its kernels and store the results.
    ///
    /// Re-running with the same --run-id (or --resume) skips work already finished.
    Run(RunArgs),
    /// Evaluate one hand-written kernel file against a task (exit 1 if it does not pass).
    Eval(EvalArgs),
    /// Print the rendered prompt for a task on a platform.
    Prompt(PromptArgs),
    /// List, show, check and export tasks.
    #[command(subcommand)]
    Tasks(TasksCommand),
    /// What each platform can do on this machine, and why not.
    Platforms(PlatformsArgs),
    /// Scores from the results database.
    Leaderboard(LeaderboardArgs),
    /// Show how a sample's code changed between refinement turns, with each turn's outcome.
    Diff(DiffArgs),
    /// List evaluations a defence flagged, and accept or reject suspicious speedups.
    ///
    /// A passed kernel that beats the device's roofline floor or exceeds --max-speedup is labelled
    /// `suspicious` and kept out of fast_p until someone looks at it: `--accept ID` counts it,
    /// `--reject ID` counts it as not passed. `--all` lists every hack label (stale_cache,
    /// late_write, forbidden_*, ...).
    Review(ReviewArgs),
    /// Internal: the worker process that runs candidate kernels.
    #[command(hide = true)]
    Worker(WorkerArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Model: `openai:<model>`, `anthropic:<model>`, `deepseek:<model>`,
    /// `openai-compatible:<model>` (with --base-url), or `replay:<dir>` (answers from files
    /// <dir>/<platform>/<task_id>.md, offline). Keys: OPENAI_API_KEY, ANTHROPIC_API_KEY,
    /// DEEPSEEK_API_KEY
    #[arg(verbatim_doc_comment)]
    #[arg(long, value_name = "SPEC")]
    pub model: String,
    /// Platform to evaluate on (see `kernelsmith platforms`)
    #[arg(long, default_value = "cpu")]
    pub platform: String,
    /// Comma-separated task ids and/or categories [default: all; a resumed run keeps its own]
    #[arg(long, value_name = "IDS|CATEGORY")]
    pub tasks: Option<String>,
    /// Samples per task [default: 1; a resumed run keeps its own]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub samples: Option<u32>,
    /// Size preset that is timed (tiny, cpu, gpu); default: the platform's own (cpu → cpu)
    #[arg(long)]
    pub size: Option<String>,
    /// Run id; re-using one resumes that run. Default: a new id from the time and model
    #[arg(long, value_name = "ID")]
    pub run_id: Option<String>,
    /// Resume an existing run (same as --run-id ID for a run that exists)
    #[arg(long, value_name = "ID", conflicts_with = "run_id")]
    pub resume: Option<String>,
    /// Base seed for input generation
    #[arg(long, default_value_t = 0x6b73_6d74)]
    pub seed: u64,
    /// Skip timing (correctness only)
    #[arg(long)]
    pub no_time: bool,
    /// Speedups above this are labelled `suspicious` and kept out of fast_p until reviewed
    /// (`kernelsmith review`); so are times below the device's roofline floor
    #[arg(long, default_value_t = 50.0, value_name = "X")]
    pub max_speedup: f64,
    /// Refinement turns per sample: after a failed or slow attempt the model gets the compiler
    /// log, the mismatch report or the measured speedup and tries again [default: 1; a resumed
    /// run keeps its own]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub turns: Option<u32>,
    /// Model requests in flight at once (evaluation runs alongside, up to the core count)
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,
    /// Most requests per minute to the model API (default: unlimited)
    #[arg(long, value_name = "N")]
    pub rpm: Option<u32>,
    /// Sampling temperature; default 0 (greedy) for --samples 1, else 1.0
    #[arg(long)]
    pub temperature: Option<f64>,
    /// Nucleus sampling top_p (default: the provider's)
    #[arg(long)]
    pub top_p: Option<f64>,
    /// Output token budget per request (reasoning included)
    #[arg(long, default_value_t = 16_384)]
    pub max_tokens: u32,
    /// API base URL (OpenAI-compatible servers: vLLM, SGLang, Ollama, OpenRouter, ...)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Seconds one model request may take, streaming included
    #[arg(long, default_value_t = 600.0)]
    pub request_timeout: f64,
    /// Attempts per request on 429/5xx/529/dropped connections (honouring Retry-After)
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub attempts: u32,
    /// Ask for whole responses instead of streams
    #[arg(long)]
    pub no_stream: bool,
    /// Token price file (YAML: `model: { input: USD/Mtok, output: USD/Mtok }`); default: built in
    #[arg(long, env = "KERNELSMITH_PRICES", value_name = "FILE")]
    pub prices: Option<PathBuf>,
    /// cuda only: run every passing kernel once more under NVIDIA compute-sanitizer (memcheck,
    /// racecheck) at the held-out size; errors make it not passed (hack label
    /// `sanitizer_memcheck` / `sanitizer_racecheck`). Needs a GPU and compute-sanitizer
    #[arg(long)]
    pub sanitize: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Run id
    #[arg(long)]
    pub run: String,
    /// Task id
    #[arg(long)]
    pub task: String,
    /// Sample index
    #[arg(long, default_value_t = 0)]
    pub sample: u32,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Task id
    #[arg(long)]
    pub task: String,
    /// Platform
    #[arg(long, default_value = "cpu")]
    pub platform: String,
    /// Kernel source file (or a model response in markdown: the code block is extracted)
    pub file: PathBuf,
    /// Timed size preset; default: the platform's own
    #[arg(long)]
    pub size: Option<String>,
    /// Base seed for input generation
    #[arg(long, default_value_t = 0x6b73_6d74)]
    pub seed: u64,
    /// Skip timing (correctness only)
    #[arg(long)]
    pub no_time: bool,
    /// Seconds one kernel call may take before it counts as `timeout`
    #[arg(long, default_value_t = 20.0)]
    pub timeout: f64,
    /// Speedups above this are labelled `suspicious` (as are times below the roofline floor)
    #[arg(long, default_value_t = 50.0, value_name = "X")]
    pub max_speedup: f64,
    /// cuda only: run every passing kernel once more under NVIDIA compute-sanitizer (memcheck,
    /// racecheck) at the held-out size; errors make it not passed (hack label
    /// `sanitizer_memcheck` / `sanitizer_racecheck`). Needs a GPU and compute-sanitizer
    #[arg(long)]
    pub sanitize: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Only this run
    #[arg(long, value_name = "ID")]
    pub run: Option<String>,
    /// List every flagged evaluation (every hack label), not only suspicious ones awaiting review
    #[arg(long)]
    pub all: bool,
    /// Accept a suspicious evaluation: its speedup is real and counts in fast_p
    #[arg(long, value_name = "EVAL_ID", conflicts_with = "reject")]
    pub accept: Option<i64>,
    /// Reject a suspicious evaluation: it counts as not passed
    #[arg(long, value_name = "EVAL_ID")]
    pub reject: Option<i64>,
    /// Why (stored with the verdict)
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct PromptArgs {
    /// Task id
    #[arg(long)]
    pub task: String,
    /// Platform
    #[arg(long, default_value = "cpu")]
    pub platform: String,
    /// Output format (json prints {system, user})
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum TasksCommand {
    /// Every task, grouped by category, with the paper it comes from.
    List {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// One task's resolved spec: tensors, dims, attrs, sizes, FLOPs/bytes, baselines.
    Show {
        /// Task id
        id: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Verify every baseline against its reference (exit 1 naming the tasks that fail).
    Check {
        /// Platform whose baselines to check
        #[arg(long, default_value = "cpu")]
        platform: String,
        /// Size preset to check at (the held-out size is always checked too)
        #[arg(long, default_value = "tiny")]
        size: String,
        /// Comma-separated task ids and/or categories; default all
        #[arg(long, default_value = "all")]
        tasks: String,
        /// Only compile each baseline (no reference, no execution): works without the device,
        /// e.g. `--platform cuda` on a machine without a GPU
        #[arg(long)]
        compile_only: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Write a task's inputs and reference outputs as .npy files plus manifest.json.
    Export {
        /// Task id
        id: String,
        /// Size preset
        #[arg(long, default_value = "tiny")]
        size: String,
        /// Input seed
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Output folder (created if missing)
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct PlatformsArgs {
    #[command(subcommand)]
    pub action: Option<PlatformsAction>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum PlatformsAction {
    /// Install what a platform needs on this machine. `xla`: a project-local venv with the pinned
    /// JAX 0.10.2 for this machine's accelerator (jax[cpu], jax[cuda13] or jax[tpu], see --jax),
    /// numpy and ml_dtypes; needs network access to PyPI, does nothing when the venv is already
    /// complete.
    Setup(SetupArgs),
}

#[derive(Debug, Args)]
pub struct SetupArgs {
    /// Platform to set up (only `xla` needs setting up)
    pub platform: String,
    /// The venv to create or complete
    #[arg(long, default_value = ".venv", value_name = "DIR")]
    pub venv: PathBuf,
    /// The Python that creates the venv (3.11 or newer for JAX 0.10)
    #[arg(long, default_value = "python3", value_name = "PATH")]
    pub base_python: String,
    /// xla: which JAX wheels to install. `auto` picks `cuda` where an NVIDIA driver is loaded,
    /// `tpu` where /dev/accel0 exists (TPU v2-v4; on v5e and later say `tpu`), else `cpu`
    /// (Pallas interpret mode). An accelerator the machine lacks is refused before downloading
    #[arg(long, value_enum, default_value_t = JaxChoice::Auto)]
    pub jax: JaxChoice,
}

/// `platforms setup xla --jax`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum JaxChoice {
    Auto,
    Cpu,
    Cuda,
    Tpu,
}

#[derive(Debug, Args)]
pub struct LeaderboardArgs {
    /// Grouping
    #[arg(long, value_enum, default_value_t = By::Model)]
    pub by: By,
    /// Only this run
    #[arg(long, value_name = "ID")]
    pub run: Option<String>,
    /// Only this platform
    #[arg(long)]
    pub platform: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    #[arg(long, default_value = "cpu")]
    pub platform: String,
    /// The cuda worker started under compute-sanitizer (`--sanitize`): no seccomp filter and no
    /// closing of inherited descriptors, which the sanitizer's injected library needs
    #[arg(long)]
    pub under_sanitizer: bool,
}
