//! kernelsmith-prompts: what a model is told, and how its code is taken back out.
//!
//! Templates live in `prompts/templates/*.j2` (minijinja) and are compiled into the binary, so a
//! run is reproducible from the harness version alone; the rendered prompt is stored with every
//! generation. The one-shot exemplar is category-aware (MultiKernelBench): another task of the same
//! category with its baseline, else a generic exemplar for the platform.
//!
//! This crate sees tasks and plain platform facts (name, language, ABI text), never platform
//! objects or model clients (architecture invariant).
#![warn(missing_docs)]

mod extract;

pub use extract::{ExtractError, extract_code, split_reasoning};

use kernelsmith_tasks::{SizeName, Task};
use serde::Serialize;

/// Templates compiled into the binary.
pub const SYSTEM_TEMPLATE: &str = include_str!("../templates/system.j2");
/// The user-message template.
pub const TASK_TEMPLATE: &str = include_str!("../templates/task.j2");
/// The template for feedback between turns.
pub const FEEDBACK_TEMPLATE: &str = include_str!("../templates/feedback.j2");

/// What the model is told after an attempt, as plain data (built by the harness from a report).
#[derive(Clone, Debug, Serialize)]
pub struct Attempt {
    /// The outcome label (`compile_failed`, `mismatch`, `passed`, ...).
    pub outcome: String,
    /// The one-sentence reason (for `mismatch`: max errors, first bad index, which trial).
    pub reason: String,
    /// Compiler log (compile failures) or worker stderr (runtime failures), if any.
    pub log: Option<String>,
    /// Measured speedup over the baseline (passed attempts).
    pub speedup: Option<f64>,
    /// Median candidate time, human readable.
    pub candidate_time: Option<String>,
    /// Median baseline time, human readable.
    pub baseline_time: Option<String>,
}

/// Keep the first `max_lines` lines of a log (compilers put the first error first), noting the cut.
pub fn trim_log(log: &str, max_lines: usize, max_chars: usize) -> (String, bool) {
    let mut out = String::new();
    let mut trimmed = false;
    for (i, line) in log.lines().enumerate() {
        if i >= max_lines || out.len() + line.len() > max_chars {
            trimmed = true;
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    (out.trim_end().to_string(), trimmed)
}

/// The feedback message that starts the next turn after `attempt`.
pub fn render_feedback(attempt: &Attempt, fence: &str) -> Result<String, PromptError> {
    let (log, log_trimmed) = match &attempt.log {
        Some(l) if !l.trim().is_empty() => {
            let (t, cut) = trim_log(l, 40, 4000);
            (Some(t), cut)
        }
        _ => (None, false),
    };
    let mut env = minijinja::Environment::new();
    env.set_trim_blocks(true);
    let ctx = minijinja::context! {
        outcome => attempt.outcome, reason => attempt.reason, log => log, log_trimmed => log_trimmed,
        speedup => attempt.speedup.unwrap_or(0.0), candidate_time => attempt.candidate_time, baseline_time => attempt.baseline_time,
        fence => fence,
    };
    env.render_str(FEEDBACK_TEMPLATE, ctx)
        .map(|s| s.trim().to_string())
        .map_err(|source| PromptError::Render { name: "feedback.j2".into(), source })
}

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    /// A template failed to render (a bug in a template, reported with minijinja's position).
    #[error("prompt template `{name}` failed to render: {source:#}")]
    Render {
        /// Template name.
        name: String,
        /// The minijinja error.
        source: minijinja::Error,
    },
}

/// What a prompt needs to know about the platform, as plain data.
#[derive(Clone, Debug, Serialize)]
pub struct PlatformFacts {
    /// Platform name (`cpu`).
    pub name: String,
    /// Language shown to the model.
    pub language: String,
    /// Fence tag the answer must use (`c`).
    pub fence: String,
    /// The exact entry point for this task.
    pub abi: String,
    /// One paragraph on how arguments are passed (pointers, types, return value).
    pub contract: String,
    /// Platform-specific rules (allowed libraries, threading, flags).
    pub rules: Vec<String>,
    /// The platform's baseline file name in task folders (`baseline.c`).
    pub baseline_file: String,
    /// The file of a category's exemplar task shown as the one-shot example (`baseline.c`,
    /// `pallas.py`).
    pub exemplar_file: String,
    /// Whether the entry point returns its outputs (Python) rather than filling output buffers.
    pub returns_outputs: bool,
    /// A generic exemplar used when no task of the same category exists.
    pub generic_exemplar: String,
}

/// A rendered prompt.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Prompt {
    /// System message.
    pub system: String,
    /// User message.
    pub user: String,
}

/// The generic exemplar for a platform, if one ships.
pub fn generic_exemplar(platform: &str) -> Option<&'static str> {
    match platform {
        "cpu" => Some(include_str!("../exemplars/generic_cpu.c")),
        "cuda" => Some(include_str!("../exemplars/generic_cuda.cu")),
        "xla" => Some(include_str!("../exemplars/generic_xla.py")),
        _ => None,
    }
}

#[derive(Serialize)]
struct TensorCtx {
    name: String,
    dtype: String,
    shape: Vec<String>,
}

#[derive(Serialize)]
struct NamedValue {
    name: String,
    value: String,
}

#[derive(Serialize)]
struct DerivedCtx {
    name: String,
    expr: String,
}

#[derive(Serialize)]
struct TaskCtx {
    id: String,
    title: String,
    category: String,
    source: String,
    description: String,
    dims: Vec<String>,
    inputs: Vec<TensorCtx>,
    outputs: Vec<TensorCtx>,
    attrs: Vec<NamedValue>,
    derived: Vec<DerivedCtx>,
    size_table: String,
    atol: f64,
    rtol: f64,
    reference_source: String,
}

#[derive(Serialize)]
struct ExemplarCtx {
    generic: bool,
    id: String,
    title: String,
    summary: String,
    code: String,
}

fn attr_text(v: &kernelsmith_reference::AttrValue) -> String {
    use kernelsmith_reference::AttrValue::*;
    match v {
        Int(i) => i.to_string(),
        Float(f) => format!("{f:?}"),
        Bool(b) => b.to_string(),
        Str(s) => format!("{s:?}"),
        Ints(v) => format!("{v:?}"),
    }
}

/// The visible size presets as a markdown table (the held-out size is never shown).
fn size_table(task: &Task) -> String {
    let mut t = format!("| preset | {} |\n|---|{}\n", task.dims.join(" | "), "---|".repeat(task.dims.len()));
    for s in [SizeName::Tiny, SizeName::Cpu, SizeName::Gpu] {
        let vals: Vec<String> = task.dims.iter().map(|d| task.sizes[&s][d].to_string()).collect();
        t.push_str(&format!("| {} | {} |\n", s.name(), vals.join(" | ")));
    }
    t.trim_end().to_string()
}

fn first_paragraph(s: &str) -> String {
    s.trim().split("\n\n").next().unwrap_or("").replace('\n', " ")
}

/// Render the prompt for `task` on a platform, with `exemplar` (another task of the category)
/// or the platform's generic exemplar when `None` (or when the exemplar has no baseline here).
pub fn render(
    task: &Task,
    exemplar: Option<&Task>,
    platform: &PlatformFacts,
    size: SizeName,
) -> Result<Prompt, PromptError> {
    let tensors = |ts: &[kernelsmith_tasks::TensorSpec]| {
        ts.iter()
            .map(|t| TensorCtx { name: t.name.clone(), dtype: t.dtype.name().into(), shape: t.shape_src.clone() })
            .collect()
    };
    let task_ctx = TaskCtx {
        id: task.id.clone(),
        title: task.title.clone(),
        category: task.category.clone(),
        source: task.source.clone(),
        description: task.description.clone(),
        dims: task.dims.clone(),
        inputs: tensors(&task.inputs),
        outputs: tensors(&task.outputs),
        attrs: task.attrs.iter().map(|(k, v)| NamedValue { name: k.clone(), value: attr_text(v) }).collect(),
        derived: task.derived.iter().map(|(n, e)| DerivedCtx { name: n.clone(), expr: e.clone() }).collect(),
        size_table: size_table(task),
        atol: task.tolerance.atol,
        rtol: task.tolerance.rtol,
        reference_source: task.reference.source.to_string(),
    };
    let exemplar_ctx = match exemplar.and_then(|e| e.baseline(&platform.exemplar_file).map(|code| (e, code))) {
        Some((e, code)) => ExemplarCtx {
            generic: false,
            id: e.id.clone(),
            title: e.title.clone(),
            summary: first_paragraph(&e.description),
            code: code.to_string(),
        },
        None => ExemplarCtx {
            generic: true,
            id: String::new(),
            title: "vector_scale_add".into(),
            summary: "y[i] = 2·x[i] + b[i] (shows the entry-point shape and the conventions of this platform).".into(),
            code: platform.generic_exemplar.clone(),
        },
    };
    let mut env = minijinja::Environment::new();
    env.set_trim_blocks(true);
    env.set_keep_trailing_newline(true);
    let ctx =
        minijinja::context! { task => task_ctx, platform => platform, exemplar => exemplar_ctx, size => size.name() };
    let render = |name: &str, src: &str| -> Result<String, PromptError> {
        env.render_str(src, &ctx).map_err(|source| PromptError::Render { name: name.into(), source })
    };
    Ok(Prompt {
        system: render("system.j2", SYSTEM_TEMPLATE)?.trim().to_string(),
        user: render("task.j2", TASK_TEMPLATE)?,
    })
}

#[cfg(test)]
mod feedback_tests {
    use super::*;

    fn attempt(outcome: &str) -> Attempt {
        Attempt {
            outcome: outcome.into(),
            reason: "trial cpu#1 (size cpu, seed 7): 3 of 10 elements wrong; first at y[4]".into(),
            log: None,
            speedup: None,
            candidate_time: None,
            baseline_time: None,
        }
    }

    #[test]
    fn mismatch_feedback_carries_the_report() {
        let f = render_feedback(&attempt("mismatch"), "c").unwrap();
        assert!(f.contains("results are wrong") && f.contains("first at y[4]") && f.contains("trial cpu#1"), "{f}");
    }

    #[test]
    fn compile_feedback_trims_long_logs_keeping_the_first_errors() {
        let mut a = attempt("compile_failed");
        a.log = Some((0..500).map(|i| format!("candidate.c:{i}: error: boom {i}")).collect::<Vec<_>>().join("\n"));
        let f = render_feedback(&a, "c").unwrap();
        assert!(
            f.contains("candidate.c:0: error: boom 0") && !f.contains("boom 499") && f.contains("(trimmed)"),
            "{f}"
        );
        assert!(f.len() < 6000);
    }

    #[test]
    fn slow_but_correct_feedback_states_the_speedup() {
        let mut a = attempt("passed");
        a.speedup = Some(0.5);
        a.candidate_time = Some("2.00 ms".into());
        a.baseline_time = Some("1.00 ms".into());
        let f = render_feedback(&a, "c").unwrap();
        assert!(f.contains("0.50x") && f.contains("2.00 ms") && f.contains("faster"), "{f}");
    }

    #[test]
    fn runtime_failures_include_the_worker_log() {
        let mut a = attempt("crashed");
        a.reason = "worker killed by SIGSEGV".into();
        a.log = Some("Segmentation fault".into());
        let f = render_feedback(&a, "c").unwrap();
        assert!(f.contains("(crashed)") && f.contains("SIGSEGV") && f.contains("Segmentation fault"), "{f}");
    }
}
