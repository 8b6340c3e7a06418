//! Outcomes are data: every way a candidate can end is a variant, stored and shown, never an `Err`.

use serde::Serialize;
use std::fmt;

/// How one candidate ended (DESIGN.md §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// No code block in the platform's language could be found in the response.
    ExtractFailed,
    /// A static check rejected the source before compiling.
    StaticRejected,
    /// The compiler rejected the source.
    CompileFailed,
    /// The kernel returned an error code or the worker reported a runtime error.
    RuntimeError,
    /// A call did not return within the time limit.
    Timeout,
    /// The worker process died (signal or unexpected exit).
    Crashed,
    /// Wrong values, unwritten outputs or modified inputs.
    Mismatch,
    /// Correct on every trial.
    Passed,
}

impl Outcome {
    /// All outcomes in pipeline order.
    pub const ALL: [Outcome; 8] = [
        Outcome::ExtractFailed,
        Outcome::StaticRejected,
        Outcome::CompileFailed,
        Outcome::RuntimeError,
        Outcome::Timeout,
        Outcome::Crashed,
        Outcome::Mismatch,
        Outcome::Passed,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::ExtractFailed => "extract_failed",
            Outcome::StaticRejected => "static_rejected",
            Outcome::CompileFailed => "compile_failed",
            Outcome::RuntimeError => "runtime_error",
            Outcome::Timeout => "timeout",
            Outcome::Crashed => "crashed",
            Outcome::Mismatch => "mismatch",
            Outcome::Passed => "passed",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One correctness trial.
#[derive(Clone, Debug, Serialize)]
pub struct TrialReport {
    /// `cpu#0`, `cpu#1`, ..., `heldout`.
    pub label: String,
    /// The size preset.
    pub size: String,
    /// The input seed.
    pub seed: u64,
    /// Whether every output matched.
    pub passed: bool,
    /// Worst absolute error over all outputs.
    pub max_abs_err: f64,
    /// Worst relative error over all outputs.
    pub max_rel_err: f64,
    /// Elements outside tolerance.
    pub n_bad: u64,
    /// Elements that still hold the poison value (never written).
    pub n_unwritten: u64,
    /// First failing output and flat index, with values.
    pub first_bad: Option<crate::compare::BadElement>,
    /// Wall time of the kernel call inside the worker.
    pub kernel_ns: f64,
}

/// Paired A/B timing against the baseline.
#[derive(Clone, Debug, Serialize)]
pub struct TimingReport {
    /// Warm-up calls of each kernel before measuring.
    pub warmup: u32,
    /// Measured pairs.
    pub pairs: u32,
    /// Kernel calls per sample (chosen so a sample lasts long enough to time).
    pub reps_per_sample: u32,
    /// Distinct input sets rotated through.
    pub input_sets: u32,
    /// Candidate ns per call, one per pair.
    pub candidate_ns: Vec<f64>,
    /// Baseline ns per call, one per pair.
    pub baseline_ns: Vec<f64>,
    /// Median candidate time.
    pub candidate_median_ns: f64,
    /// Median baseline time.
    pub baseline_median_ns: f64,
    /// Median of per-pair ratios baseline/candidate.
    pub speedup: f64,
    /// Median absolute deviation of the per-pair ratios.
    pub speedup_mad: f64,
    /// Harness wall time of the timing samples, warm-up included.
    pub total_kernel_ns: f64,
    /// The empty round trip to the worker, subtracted from every sample.
    pub round_trip_ns: f64,
}

/// Everything known about one evaluated candidate.
#[derive(Clone, Debug, Serialize)]
pub struct EvalReport {
    /// Task id.
    pub task_id: String,
    /// Platform name.
    pub platform: String,
    /// Timed size preset.
    pub size: String,
    /// The outcome.
    pub outcome: Outcome,
    /// One human sentence saying why, for every outcome but `passed`.
    pub reason: Option<String>,
    /// The defence that fired first, as a stable label (`eval::HACK_LABELS`); `None` for an
    /// honest pass or a plain wrong answer.
    pub hack_label: Option<String>,
    /// Every label that fired, plus extra facts (`beats_roofline`, `exceeds_speedup_ceiling`).
    pub flags: Vec<String>,
    /// Compiler output (failures, and warnings of successful compiles).
    pub compile_log: Option<String>,
    /// Compile time (0 when cached).
    pub compile_ms: Option<f64>,
    /// Whether the candidate came from the compile cache.
    pub compile_cached: bool,
    /// Correctness trials, in order, up to the first failure.
    pub trials: Vec<TrialReport>,
    /// Worst absolute error over the trials run.
    pub max_abs_err: Option<f64>,
    /// Worst relative error over the trials run.
    pub max_rel_err: Option<f64>,
    /// Flat index of the first bad element of the failing trial.
    pub first_bad_index: Option<i64>,
    /// Label of the failing trial.
    pub failed_trial: Option<String>,
    /// Timing, for passed candidates when timing was requested.
    pub timing: Option<TimingReport>,
    /// Median speedup over the baseline (> 1 is faster).
    pub speedup: Option<f64>,
    /// The least time the timed size can take on this device (roofline), when known.
    pub roofline_floor_ns: Option<f64>,
    /// What the worker printed on stderr (trimmed), including candidate prints.
    pub worker_log: Option<String>,
    /// Wall time of the whole evaluation in the harness.
    pub wall_ms: f64,
}

impl EvalReport {
    /// A report that ended before anything ran (extraction, static checks, compile).
    pub fn early(task_id: &str, platform: &str, size: &str, outcome: Outcome, reason: impl Into<String>) -> EvalReport {
        EvalReport {
            task_id: task_id.into(),
            platform: platform.into(),
            size: size.into(),
            outcome,
            reason: Some(reason.into()),
            hack_label: None,
            flags: Vec::new(),
            compile_log: None,
            compile_ms: None,
            compile_cached: false,
            trials: Vec::new(),
            max_abs_err: None,
            max_rel_err: None,
            first_bad_index: None,
            failed_trial: None,
            timing: None,
            speedup: None,
            roofline_floor_ns: None,
            worker_log: None,
            wall_ms: 0.0,
        }
    }
}
