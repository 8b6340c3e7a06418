//! Row types: what goes into the store and what comes out of it.
//!
//! These are the serializable boundary between the harness and SQLite, kept distinct from the
//! domain types of other crates (a platform's `Outcome` becomes an `outcome` string here), so the
//! schema can evolve through migrations without touching them and JSON exports stay stable.

use std::collections::BTreeMap;

use serde::Serialize;

/// The eight evaluation outcomes the schema accepts, in pipeline order.
pub const OUTCOMES: [&str; 8] = [
    "extract_failed",
    "static_rejected",
    "compile_failed",
    "runtime_error",
    "timeout",
    "crashed",
    "mismatch",
    "passed",
];

/// Outcomes that mean the candidate never compiled; every other evaluation counts for comp@k.
pub const NOT_COMPILED: [&str; 3] = ["extract_failed", "static_rejected", "compile_failed"];

/// Leaderboard outcome key for a generation that failed (its `error` is set) and has no evaluation.
pub const GENERATION_ERROR: &str = "generation_error";

/// Leaderboard outcome key for a generation with neither an error nor an evaluation.
pub const NOT_EVALUATED: &str = "not_evaluated";

/// Run statuses `set_run_status` accepts.
pub const RUN_STATUSES: [&str; 3] = ["running", "finished", "interrupted"];

/// A run to create: its configuration and provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewRun {
    /// Unique run id.
    pub id: String,
    /// Model name as the provider spells it.
    pub model: String,
    /// Platform name (`cpu`, `cuda`, ...).
    pub platform: String,
    /// Task size the run uses.
    pub size: String,
    /// Samples per task.
    pub samples: u32,
    /// Seed of the run; stored as the `i64` with the same bits.
    pub seed: u64,
    /// Version of the harness that made the run.
    pub harness_version: String,
    /// Git revision of the harness, when known.
    pub git_rev: Option<String>,
    /// Device description.
    pub device: String,
    /// Compiler and its version.
    pub compiler: String,
    /// Compiler flags.
    pub compiler_flags: String,
    /// How kernels were timed (device events, wall clock, ...).
    pub timing_method: String,
    /// The full run configuration as JSON.
    pub config_json: String,
}

/// A stored run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunRow {
    /// When the run was created (RFC 3339 UTC).
    pub created_at: String,
    /// When the run finished or was interrupted (RFC 3339 UTC).
    pub finished_at: Option<String>,
    /// `running`, `finished` or `interrupted`.
    pub status: String,
    /// Everything recorded when the run was created (id, model, provenance, ...).
    #[serde(flatten)]
    pub run: NewRun,
}

/// One LLM answer for (run, task, sample, turn).
///
/// `Default` gives empty ids and prompt and no optional field, for `..NewGeneration::default()`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NewGeneration {
    /// The run it belongs to.
    pub run_id: String,
    /// Task id.
    pub task_id: String,
    /// Task category.
    pub category: String,
    /// Sample index within the task, from 0.
    pub sample_idx: u32,
    /// Turn within the sample (0 = first answer, then one per feedback round).
    pub turn: u32,
    /// Generation of the previous turn, if any.
    pub parent_id: Option<i64>,
    /// The prompt sent.
    pub prompt: String,
    /// The response text, if the request succeeded.
    pub response: Option<String>,
    /// Reasoning text, if the provider returned any.
    pub reasoning: Option<String>,
    /// Where the reasoning came from (a response field, a `<think>` block, ...).
    pub reasoning_source: Option<String>,
    /// Code extracted from the response.
    pub extracted_code: Option<String>,
    /// Prompt tokens billed.
    pub prompt_tokens: Option<i64>,
    /// Completion tokens billed (reasoning included when the provider counts it there).
    pub completion_tokens: Option<i64>,
    /// Reasoning tokens, when reported separately.
    pub reasoning_tokens: Option<i64>,
    /// Request latency in milliseconds.
    pub latency_ms: Option<f64>,
    /// Why the generation failed, if it did.
    pub error: Option<String>,
    /// The whole conversation sent for this turn, as a JSON array of messages (must be valid JSON).
    pub messages_json: Option<String>,
    /// The feedback message that started this turn (turn > 0).
    pub feedback: Option<String>,
    /// Unified diff of the extracted code against the parent turn's.
    pub code_diff: Option<String>,
    /// What the request cost in US dollars, when the price is known (0 for a cache hit).
    pub cost_usd: Option<f64>,
    /// Where `reasoning_tokens` came from (a usage field, counted from the text, ...).
    pub reasoning_tokens_source: Option<String>,
    /// The provider's stop reason (`stop`, `length`, ...).
    pub finish_reason: Option<String>,
    /// HTTP attempts the request took, retries included.
    pub attempts: Option<i64>,
    /// Whether the answer came from the response cache instead of the provider.
    pub cached: bool,
}

/// The evaluation of one generation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewEvaluation {
    /// One of [`OUTCOMES`].
    pub outcome: String,
    /// Human-readable reason for a non-pass outcome.
    pub reason: Option<String>,
    /// The defence that fired (a stable label such as `stale_cache` or `suspicious`).
    pub hack_label: Option<String>,
    /// Every label that fired plus extra facts (`beats_roofline`, ...).
    pub flags: Vec<String>,
    /// Full compiler log.
    pub compile_log: Option<String>,
    /// Output of the worker process.
    pub worker_log: Option<String>,
    /// Largest absolute error seen.
    pub max_abs_err: Option<f64>,
    /// Largest relative error seen.
    pub max_rel_err: Option<f64>,
    /// First element outside tolerance.
    pub first_bad_index: Option<i64>,
    /// The trial that failed (seed or size).
    pub failed_trial: Option<String>,
    /// Median of per-pair baseline/candidate ratios.
    pub speedup: Option<f64>,
    /// Median candidate time in nanoseconds.
    pub candidate_median_ns: Option<f64>,
    /// Median baseline time in nanoseconds.
    pub baseline_median_ns: Option<f64>,
    /// Compile time in milliseconds.
    pub compile_ms: Option<f64>,
    /// Wall time of the whole evaluation in milliseconds.
    pub eval_wall_ms: Option<f64>,
    /// Raw timing pairs `(candidate_ns, baseline_ns)`, in measurement order.
    pub samples: Vec<(f64, f64)>,
    /// The full evaluation report as JSON.
    pub report_json: String,
}

/// Row ids assigned by [`Store::record`](crate::Store::record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RecordedIds {
    /// Id of the generation row.
    pub generation_id: i64,
    /// Id of the evaluation row, when an evaluation was given.
    pub evaluation_id: Option<i64>,
}

/// A stored evaluation joined with the generation and run fields needed to display it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluationRow {
    /// Evaluation id.
    pub id: i64,
    /// Generation id.
    pub generation_id: i64,
    /// Run id.
    pub run_id: String,
    /// Model of the run.
    pub model: String,
    /// Platform of the run.
    pub platform: String,
    /// Task id.
    pub task_id: String,
    /// Task category.
    pub category: String,
    /// Sample index.
    pub sample_idx: u32,
    /// Turn.
    pub turn: u32,
    /// One of [`OUTCOMES`].
    pub outcome: String,
    /// Reason for a non-pass outcome.
    pub reason: Option<String>,
    /// Flags.
    pub flags: Vec<String>,
    /// Largest absolute error.
    pub max_abs_err: Option<f64>,
    /// Largest relative error.
    pub max_rel_err: Option<f64>,
    /// First element outside tolerance.
    pub first_bad_index: Option<i64>,
    /// The trial that failed.
    pub failed_trial: Option<String>,
    /// Speedup over the baseline.
    pub speedup: Option<f64>,
    /// Median candidate time in nanoseconds.
    pub candidate_median_ns: Option<f64>,
    /// Median baseline time in nanoseconds.
    pub baseline_median_ns: Option<f64>,
    /// Compile time in milliseconds.
    pub compile_ms: Option<f64>,
    /// Wall time of the evaluation in milliseconds.
    pub eval_wall_ms: Option<f64>,
    /// Prompt tokens of the generation.
    pub prompt_tokens: Option<i64>,
    /// Completion tokens of the generation.
    pub completion_tokens: Option<i64>,
    /// Reasoning tokens of the generation.
    pub reasoning_tokens: Option<i64>,
    /// When the evaluation was recorded (RFC 3339 UTC).
    pub created_at: String,
}

/// What a leaderboard row groups by, beyond (model, platform).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One row per (model, platform).
    Model,
    /// One row per (model, platform, category).
    Category,
    /// One row per (model, platform, task).
    Task,
}

/// Which rows a leaderboard covers and how it groups them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeaderboardQuery {
    /// Grouping.
    pub by: GroupBy,
    /// Only this run, if set.
    pub run_id: Option<String>,
    /// Only runs on this platform, if set.
    pub platform: Option<String>,
}

/// One leaderboard row. Every rate is per task first, then averaged over the tasks of the row.
///
/// A *sample* is (run, task, sample index); when a sample has several turns its last turn decides
/// its outcome, while its token counts and cost add up every turn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeaderRow {
    /// Model.
    pub model: String,
    /// Platform.
    pub platform: String,
    /// Category or task id for [`GroupBy::Category`] / [`GroupBy::Task`]; `None` for [`GroupBy::Model`].
    pub group: Option<String>,
    /// Distinct tasks.
    pub n_tasks: u32,
    /// Samples over all tasks.
    pub n_samples: u32,
    /// Samples per outcome: every one of [`OUTCOMES`] and [`GENERATION_ERROR`] (zero included),
    /// plus [`NOT_EVALUATED`] when non-zero. The counts add up to `n_samples`.
    pub outcomes: BTreeMap<String, u32>,
    /// Mean over tasks of the fraction of samples that compiled.
    pub comp_at_1: f64,
    /// Mean over tasks of the fraction of samples that passed.
    pub pass_at_1: f64,
    /// `(k, pass@k)` with k the smallest sample count of any task in the row, when that is > 1.
    pub pass_at_k: Option<(u32, f64)>,
    /// Mean over tasks of the fraction of samples that passed with speedup > 1.
    pub fast_1: f64,
    /// Geometric mean of the speedups of passed samples.
    pub geomean_speedup: Option<f64>,
    /// Best speedup of a passed sample.
    pub best_speedup: Option<f64>,
    /// Prompt tokens over every turn.
    pub prompt_tokens: i64,
    /// Completion tokens over every turn.
    pub completion_tokens: i64,
    /// Reasoning tokens over every turn.
    pub reasoning_tokens: i64,
    /// Cost in US dollars over every turn; a generation of unknown cost counts as 0.
    pub cost_usd: f64,
    /// Distinct runs.
    pub runs: u32,
    /// Samples whose last evaluation carries a hack label (see `kernelsmith leaderboard --flagged`).
    pub flagged: u32,
}

/// One turn of a sample: its generation and, when it was evaluated, the evaluation's verdict.
/// Read back by [`Store::sample_turns`](crate::Store::sample_turns) for resume and the diff viewer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TurnRow {
    /// Generation id.
    pub generation_id: i64,
    /// Turn (0 = first answer).
    pub turn: u32,
    /// Generation of the previous turn, if any.
    pub parent_id: Option<i64>,
    /// The prompt sent (for turn > 0, what the harness recorded as this turn's prompt).
    pub prompt: String,
    /// The response text, if the request succeeded.
    pub response: Option<String>,
    /// Code extracted from the response.
    pub extracted_code: Option<String>,
    /// The whole conversation sent for this turn, as a JSON array of messages.
    pub messages_json: Option<String>,
    /// The feedback message that started this turn.
    pub feedback: Option<String>,
    /// Unified diff of the extracted code against the parent turn's.
    pub code_diff: Option<String>,
    /// Why the generation failed, if it did.
    pub error: Option<String>,
    /// Cost of the request in US dollars, when known.
    pub cost_usd: Option<f64>,
    /// Whether the answer came from the response cache (false for rows older than the cache).
    pub cached: bool,
    /// The evaluation's outcome (one of [`OUTCOMES`]); `None` when the turn was not evaluated.
    pub outcome: Option<String>,
    /// Reason for a non-pass outcome.
    pub reason: Option<String>,
    /// Speedup over the baseline.
    pub speedup: Option<f64>,
    /// Largest absolute error.
    pub max_abs_err: Option<f64>,
    /// The trial that failed.
    pub failed_trial: Option<String>,
    /// Full compiler log.
    pub compile_log: Option<String>,
    /// The full evaluation report as JSON.
    pub report_json: Option<String>,
}

/// How far a run has got, from [`Store::run_progress`](crate::Store::run_progress).
///
/// A *sample* is (task, sample index). It is finished when its highest recorded turn has an
/// evaluation or a generation error; whether the harness would still add a feedback turn to it is
/// the harness's business.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunProgress {
    /// Run id.
    pub run_id: String,
    /// Samples with at least one recorded turn.
    pub samples_started: u32,
    /// Samples whose highest turn has an evaluation or a generation error.
    pub samples_finished: u32,
    /// Samples whose highest turn passed.
    pub samples_passed: u32,
    /// Generation rows (turns) over every sample.
    pub generations: u32,
    /// Cost in US dollars over every generation; unknown costs count as 0.
    pub cost_usd: f64,
}

/// An evaluation on which a defence fired (see [`Store::flagged`](crate::Store::flagged)).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct FlaggedRow {
    /// Evaluation id (what `kernelsmith review --accept/--reject` takes).
    pub id: i64,
    /// Run id.
    pub run_id: String,
    /// Task id.
    pub task_id: String,
    /// Sample index.
    pub sample_idx: i64,
    /// Turn.
    pub turn: i64,
    /// Outcome.
    pub outcome: String,
    /// The label.
    pub hack_label: String,
    /// Why.
    pub reason: Option<String>,
    /// Measured speedup, if timed.
    pub speedup: Option<f64>,
    /// `accepted`, `rejected` or none yet.
    pub review: Option<String>,
    /// The reviewer's note.
    pub review_note: Option<String>,
}
