//! kernelsmith-tasks: task specs, their validation, and the registry of all tasks.
//!
//! A task is data (`tasks/catalog/<category>/<id>/task.yaml` plus per-platform baselines) and one
//! reference function from `kernelsmith-reference`. Loading validates everything that can be
//! checked without running code, and every problem names the file, the line and the field, so an
//! author fixes a spec in one pass; [`Task::check_reference`] adds the one check that needs the
//! reference to run (output shapes).
//!
//! This crate knows nothing of platforms, prompts or SQL (architecture invariant).
#![warn(missing_docs)]

pub mod expr;
mod spec;

use expr::Expr;
use kernelsmith_reference::rng::{Init, generate};
use kernelsmith_reference::{AttrValue, DType, OpArgs, RefOp, Tensor};
use serde::Serialize;
use serde_saphyr::Spanned;
use spec::{RawAttr, RawDim, RawInit, RawTask, RawTensor};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded_catalog.rs"));

/// Values of every symbol an expression may use.
type Env = BTreeMap<String, f64>;

/// The operator categories of the catalogue (`../shared/operators.md`).
pub const CATEGORIES: &[&str] = &[
    "activation",
    "attention",
    "convolution",
    "fft_spectral",
    "gating_fusion",
    "kernel_methods",
    "loss",
    "matmul",
    "normalization",
    "pooling",
    "quantized",
    "reduction",
    "resampling_index",
    "scan_recurrence",
    "sparse",
];

/// The four size presets every task defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SizeName {
    /// Unit tests and CI.
    Tiny,
    /// Timed on the cpu platform.
    Cpu,
    /// Timed on accelerators.
    Gpu,
    /// Correctness only, never timed; odd sizes on purpose.
    Heldout,
}

impl SizeName {
    /// All presets.
    pub const ALL: [SizeName; 4] = [SizeName::Tiny, SizeName::Cpu, SizeName::Gpu, SizeName::Heldout];

    /// The preset's name in task files.
    pub fn name(self) -> &'static str {
        match self {
            SizeName::Tiny => "tiny",
            SizeName::Cpu => "cpu",
            SizeName::Gpu => "gpu",
            SizeName::Heldout => "heldout",
        }
    }

    /// Parse a preset name.
    pub fn parse(s: &str) -> Option<SizeName> {
        SizeName::ALL.into_iter().find(|n| n.name() == s)
    }
}

impl fmt::Display for SizeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One problem with one task file.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskError {
    /// The file, as the user would open it (e.g. `tasks/catalog/activation/relu/task.yaml`).
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// Dotted path of the field (`inputs[1].shape[2]`).
    pub field: String,
    /// What is wrong and, where possible, how to fix it.
    pub message: String,
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: field `{}`: {}", self.file.display(), line, self.field, self.message),
            None => write!(f, "{}: field `{}`: {}", self.file.display(), self.field, self.message),
        }
    }
}

impl std::error::Error for TaskError {}

/// Everything wrong with a catalogue, collected in one pass.
#[derive(Debug, thiserror::Error)]
pub enum TasksError {
    /// One or more task files are invalid.
    #[error("{} invalid task file problem(s):\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<TaskError>),
    /// The catalogue folder could not be read.
    #[error("cannot read task catalogue {path}: {source}")]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// No task or category matches a selection.
    #[error("no task or category named `{0}` (try `kernelsmith tasks list`)")]
    UnknownSelection(String),
}

/// Absolute and relative tolerance: pass iff `|out − ref| ≤ atol + rtol·|ref|` elementwise.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Tolerance {
    /// Absolute tolerance.
    pub atol: f64,
    /// Relative tolerance.
    pub rtol: f64,
}

/// An input or output of a task.
#[derive(Clone, Debug)]
pub struct TensorSpec {
    /// Name, used in the ABI and in exports.
    pub name: String,
    /// Element type.
    pub dtype: DType,
    /// Shape expressions as written.
    pub shape_src: Vec<String>,
    shape: Vec<Expr>,
    /// How inputs are drawn (outputs have none).
    pub init: Option<Init>,
    shape_line: Option<u64>,
}

/// A task's sizes, derived dims and tensor shapes at one preset.
#[derive(Clone, Debug, Serialize)]
pub struct Resolved {
    /// The preset.
    pub size: SizeName,
    /// Declared dims in ABI order.
    pub dim_values: Vec<i64>,
    /// Declared and derived dims by name.
    pub dims: BTreeMap<String, i64>,
    /// Input shapes in order.
    pub input_shapes: Vec<Vec<usize>>,
    /// Output shapes in order.
    pub output_shapes: Vec<Vec<usize>>,
}

/// A validated task.
#[derive(Clone, Debug)]
pub struct Task {
    /// Unique snake_case id; also the kernel entry symbol.
    pub id: String,
    /// One of [`CATEGORIES`].
    pub category: String,
    /// Human title.
    pub title: String,
    /// Where the operator comes from (paper, arXiv id, or "standard building block").
    pub source: String,
    /// Markdown description with the exact math.
    pub description: String,
    /// Whether this task's baseline is its category's one-shot exemplar.
    pub exemplar: bool,
    /// Whether evaluation adds the large-magnitude precision trial (the first normal/uniform f32
    /// input scaled by 4096). Off for operators whose inputs have a fixed domain (probabilities,
    /// angles, grid coordinates) where scaling changes the problem instead of its magnitude.
    pub precision_band: bool,
    /// Declared dims in ABI order.
    pub dims: Vec<String>,
    /// Derived dims in evaluation order, with their expressions as written.
    pub derived: Vec<(String, String)>,
    derived_exprs: Vec<Expr>,
    /// Attributes (fixed hyper-parameters).
    pub attrs: BTreeMap<String, AttrValue>,
    constraints: Vec<(String, Expr)>,
    /// Inputs in ABI order.
    pub inputs: Vec<TensorSpec>,
    /// Outputs in ABI order.
    pub outputs: Vec<TensorSpec>,
    /// Declared dim values per preset.
    pub sizes: BTreeMap<SizeName, BTreeMap<String, i64>>,
    /// Comparison tolerance.
    pub tolerance: Tolerance,
    /// The reference operator.
    pub reference: &'static RefOp,
    work: Option<(Expr, Expr)>,
    /// FLOP and byte expressions as written, when the spec gives them.
    pub work_src: Option<(String, String)>,
    /// The spec file, as shown in messages.
    pub spec_path: PathBuf,
    /// Baseline sources by file name (`baseline.c`, `baseline.cu`, ...).
    pub baselines: BTreeMap<String, String>,
}

fn attr_to_value(a: &RawAttr) -> AttrValue {
    match a {
        RawAttr::Bool(b) => AttrValue::Bool(*b),
        RawAttr::Int(i) => AttrValue::Int(*i),
        RawAttr::Float(f) => AttrValue::Float(*f),
        RawAttr::Ints(v) => AttrValue::Ints(v.clone()),
        RawAttr::Str(s) => AttrValue::Str(s.clone()),
    }
}

struct Ctx<'a> {
    file: &'a Path,
    errors: Vec<TaskError>,
}

impl Ctx<'_> {
    fn err<T>(&mut self, span: Option<&Spanned<T>>, field: impl Into<String>, message: impl Into<String>) {
        let line = span.map(|s| s.referenced.line()).filter(|&l| l > 0);
        self.errors.push(TaskError {
            file: self.file.to_path_buf(),
            line,
            field: field.into(),
            message: message.into(),
        });
    }
    fn err_line(&mut self, line: Option<u64>, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(TaskError {
            file: self.file.to_path_buf(),
            line,
            field: field.into(),
            message: message.into(),
        });
    }
}

/// Symbols an expression may use, for "did you mean" style help.
fn known_symbols(dims: &[String], derived: &[String], attrs: &BTreeMap<String, AttrValue>) -> String {
    let mut all: Vec<&str> = dims.iter().chain(derived).map(String::as_str).collect();
    all.extend(attrs.iter().filter(|(_, v)| v.as_f64().is_some()).map(|(k, _)| k.as_str()));
    all.join(", ")
}

impl Task {
    /// Parse and validate one task file. `files` holds the other files of the task's folder
    /// (baselines) by file name; `folder` is the folder's name (it must equal the id) and
    /// `category_folder` the name of the folder above it.
    pub fn parse(
        spec_path: &Path,
        text: &str,
        folder: Option<&str>,
        category_folder: Option<&str>,
        files: BTreeMap<String, String>,
    ) -> Result<Task, Vec<TaskError>> {
        let mut cx = Ctx { file: spec_path, errors: Vec::new() };
        // YAML 1.2 booleans only: under YAML 1.1 a dim called `N` or `Y` would read as a boolean.
        let mut yaml = serde_saphyr::Options::default();
        yaml.strict_booleans = true;
        let raw: RawTask = match serde_saphyr::from_str_with_options(text, yaml) {
            Ok(r) => r,
            Err(e) => {
                let line = e.location().map(|l| l.line()).filter(|&l| l > 0);
                let msg = e.to_string();
                let field = field_from_serde_message(&msg);
                cx.err_line(line, field, first_line(&msg));
                return Err(cx.errors);
            }
        };

        // Identity and placement.
        let id = raw.id.value.clone();
        let snake = !id.is_empty()
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && id.starts_with(|c: char| c.is_ascii_lowercase());
        if !snake {
            cx.err(Some(&raw.id), "id", format!("`{id}` is not a snake_case identifier (it becomes a C symbol)"));
        }
        if let Some(folder) = folder
            && folder != id
        {
            cx.err(Some(&raw.id), "id", format!("id `{id}` differs from its folder name `{folder}`"));
        }
        let category = raw.category.value.clone();
        if !CATEGORIES.contains(&category.as_str()) {
            cx.err(
                Some(&raw.category),
                "category",
                format!("unknown category `{category}`; expected one of: {}", CATEGORIES.join(", ")),
            );
        } else if let Some(cf) = category_folder
            && cf != category
        {
            cx.err(
                Some(&raw.category),
                "category",
                format!("category `{category}` differs from the folder `{cf}` the task sits in"),
            );
        }

        // Attributes.
        let attrs: BTreeMap<String, AttrValue> =
            raw.attrs.iter().map(|(k, v)| (k.clone(), attr_to_value(&v.value))).collect();

        // Dims.
        let mut dims = Vec::new();
        for (i, d) in raw.dims.value.iter().enumerate() {
            let name = d.value.clone();
            if Expr::parse(&name).ok() != Some(Expr::Name(name.clone())) {
                cx.err(Some(d), format!("dims[{i}]"), format!("`{name}` is not a plain symbol name"));
            } else if dims.contains(&name) {
                cx.err(Some(d), format!("dims[{i}]"), format!("dim `{name}` is declared twice"));
            } else if attrs.contains_key(&name) {
                cx.err(Some(d), format!("dims[{i}]"), format!("`{name}` is both a dim and an attr"));
            }
            dims.push(name);
        }

        // Derived dims: parse, then order by dependency.
        let mut pending: Vec<(String, Expr, &Spanned<String>)> = Vec::new();
        for (name, src) in &raw.derived {
            if dims.contains(name) || attrs.contains_key(name) {
                cx.err(Some(src), format!("derived.{name}"), format!("`{name}` is already a dim or an attr"));
                continue;
            }
            match Expr::parse(&src.value) {
                Ok(e) => pending.push((name.clone(), e, src)),
                Err(e) => cx.err(Some(src), format!("derived.{name}"), format!("cannot parse `{}`: {e}", src.value)),
            }
        }
        let mut derived: Vec<(String, String)> = Vec::new();
        let mut derived_exprs = Vec::new();
        let numeric_attrs: Vec<String> =
            attrs.iter().filter(|(_, v)| v.as_f64().is_some()).map(|(k, _)| k.clone()).collect();
        loop {
            let ready = pending.iter().position(|(_, e, _)| {
                e.names().iter().all(|n| {
                    dims.iter().any(|d| d == n)
                        || numeric_attrs.iter().any(|a| a == n)
                        || derived.iter().any(|(d, _)| d == n)
                })
            });
            match ready {
                Some(i) => {
                    let (name, e, src) = pending.remove(i);
                    derived.push((name, src.value.clone()));
                    derived_exprs.push(e);
                }
                None => break,
            }
        }
        let all_derived_names: Vec<String> =
            derived.iter().map(|(n, _)| n.clone()).chain(pending.iter().map(|(n, _, _)| n.clone())).collect();
        for (name, e, src) in &pending {
            let unknown: Vec<&str> = e
                .names()
                .into_iter()
                .filter(|n| {
                    !dims.iter().any(|d| d == n)
                        && !numeric_attrs.iter().any(|a| a == n)
                        && !all_derived_names.iter().any(|d| d == n)
                })
                .collect();
            let msg = if unknown.is_empty() {
                "derived dims depend on each other in a cycle".to_string()
            } else {
                format!(
                    "undefined symbol(s) {}; known: {}",
                    unknown.join(", "),
                    known_symbols(&dims, &all_derived_names, &attrs)
                )
            };
            cx.err(Some(*src), format!("derived.{name}"), msg);
        }
        let derived_names: Vec<String> = derived.iter().map(|(n, _)| n.clone()).collect();
        let symbol_ok = |n: &str| {
            dims.iter().any(|d| d == n) || derived_names.iter().any(|d| d == n) || numeric_attrs.iter().any(|a| a == n)
        };

        // A helper to parse and scope-check an expression.
        let parse_scoped = |cx: &mut Ctx, src: &str, line: Option<u64>, field: String| -> Option<Expr> {
            match Expr::parse(src) {
                Ok(e) => {
                    let unknown: Vec<&str> = e.names().into_iter().filter(|n| !symbol_ok(n)).collect();
                    if unknown.is_empty() {
                        Some(e)
                    } else {
                        cx.err_line(
                            line,
                            field,
                            format!(
                                "undefined dim symbol(s) {} in `{src}`; known: {}",
                                unknown.join(", "),
                                known_symbols(&dims, &derived_names, &attrs)
                            ),
                        );
                        None
                    }
                }
                Err(e) => {
                    cx.err_line(line, field, format!("cannot parse `{src}`: {e}"));
                    None
                }
            }
        };

        let constraints: Vec<(String, Expr)> = raw
            .constraints
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                parse_scoped(&mut cx, &c.value, Some(c.referenced.line()), format!("constraints[{i}]"))
                    .map(|e| (c.value.clone(), e))
            })
            .collect();

        // Tensors.
        let tensor = |cx: &mut Ctx, t: &RawTensor, field: String, is_input: bool| -> Option<TensorSpec> {
            let mut ok = true;
            let dtype = DType::parse(&t.dtype.value);
            if dtype.is_none() {
                ok = false;
                cx.err(
                    Some(&t.dtype),
                    format!("{field}.dtype"),
                    format!("unknown dtype `{}`; expected one of: f32, f16, bf16, i8, i32, i64, u8", t.dtype.value),
                );
            }
            let mut shape = Vec::new();
            let mut shape_src = Vec::new();
            for (j, d) in t.shape.value.iter().enumerate() {
                let src = match &d.value {
                    RawDim::Int(v) => v.to_string(),
                    RawDim::Expr(s) => s.clone(),
                };
                let line = Some(d.referenced.line()).filter(|&l| l > 0).or(Some(t.shape.referenced.line()));
                match parse_scoped(cx, &src, line, format!("{field}.shape[{j}]")) {
                    Some(e) => shape.push(e),
                    None => ok = false,
                }
                shape_src.push(src);
            }
            let init = match (&t.init, is_input) {
                (Some(i), true) => Some(match &i.value {
                    RawInit::Normal { mean, std } => Init::Normal { mean: *mean, std: *std },
                    RawInit::Uniform { low, high } => {
                        if low >= high {
                            cx.err(
                                Some(i),
                                format!("{field}.init"),
                                format!("uniform needs low < high, got low {low}, high {high}"),
                            );
                        }
                        Init::Uniform { low: *low, high: *high }
                    }
                    RawInit::Randint { low, high } => {
                        if low >= high {
                            cx.err(
                                Some(i),
                                format!("{field}.init"),
                                format!("randint needs low < high (high is exclusive), got low {low}, high {high}"),
                            );
                        }
                        Init::RandInt { low: *low, high: *high }
                    }
                    RawInit::Bernoulli { p } => Init::Bernoulli { p: *p },
                    RawInit::Const { value } => Init::Const { value: *value },
                }),
                (None, true) => {
                    cx.err(
                        Some(&t.name),
                        format!("{field}.init"),
                        "inputs need an `init` distribution (e.g. `init: { dist: normal, std: 1.0 }`)",
                    );
                    None
                }
                (Some(i), false) => {
                    cx.err(Some(i), format!("{field}.init"), "outputs take no `init`");
                    None
                }
                (None, false) => None,
            };
            ok.then(|| TensorSpec {
                name: t.name.value.clone(),
                dtype: dtype.unwrap_or(DType::F32),
                shape_src,
                shape,
                init,
                shape_line: Some(t.shape.referenced.line()).filter(|&l| l > 0),
            })
        };
        let inputs: Vec<TensorSpec> = raw
            .inputs
            .iter()
            .enumerate()
            .filter_map(|(i, t)| tensor(&mut cx, t, format!("inputs[{i}]"), true))
            .collect();
        let outputs: Vec<TensorSpec> = raw
            .outputs
            .iter()
            .enumerate()
            .filter_map(|(i, t)| tensor(&mut cx, t, format!("outputs[{i}]"), false))
            .collect();
        if raw.outputs.is_empty() {
            cx.err(Some(&raw.id), "outputs", "a task needs at least one output");
        }
        let mut names: Vec<&Spanned<String>> =
            raw.inputs.iter().map(|t| &t.name).chain(raw.outputs.iter().map(|t| &t.name)).collect();
        names.sort_by(|a, b| a.value.cmp(&b.value));
        for w in names.windows(2) {
            if w[0].value == w[1].value {
                cx.err(Some(w[1]), "inputs/outputs", format!("tensor name `{}` is used twice", w[1].value));
            }
        }
        for t in raw.inputs.iter().chain(&raw.outputs) {
            if dims.contains(&t.name.value) || id == t.name.value {
                cx.err(
                    Some(&t.name),
                    "inputs/outputs",
                    format!("tensor name `{}` clashes with a dim or the task id", t.name.value),
                );
            }
        }

        // Work (roofline inputs).
        let work = raw.work.as_ref().and_then(|w| {
            let f = parse_scoped(&mut cx, &w.flops.value, Some(w.flops.referenced.line()), "work.flops".into());
            let b = parse_scoped(&mut cx, &w.bytes.value, Some(w.bytes.referenced.line()), "work.bytes".into());
            Some((f?, b?))
        });
        let work_src = raw.work.as_ref().map(|w| (w.flops.value.clone(), w.bytes.value.clone()));

        // Tolerance.
        let tol = &raw.tolerance.value;
        if !(tol.atol >= 0.0 && tol.rtol >= 0.0 && tol.atol.is_finite() && tol.rtol.is_finite()) {
            cx.err(Some(&raw.tolerance), "tolerance", "atol and rtol must be finite and non-negative");
        }
        if tol.atol > 1e-2 || tol.rtol > 1e-1 {
            cx.err(
                Some(&raw.tolerance),
                "tolerance",
                format!("atol {} / rtol {} is so loose that wrong kernels pass; tighten it", tol.atol, tol.rtol),
            );
        }

        // Reference.
        let reference = kernelsmith_reference::lookup(&raw.reference.value);
        if reference.is_none() {
            cx.err(
                Some(&raw.reference),
                "reference",
                format!(
                    "no reference operator `{}` is registered (see reference/src/registry.rs)",
                    raw.reference.value
                ),
            );
        }

        // Baseline for the always-present cpu platform.
        if !files.contains_key("baseline.c") {
            cx.err(
                Some(&raw.id),
                "baseline",
                format!("missing `baseline.c` beside {} (every task ships a cpu baseline)", spec_path.display()),
            );
        }

        // Sizes.
        let mut sizes = BTreeMap::new();
        let raw_sizes = &raw.sizes.value;
        for (name, preset) in [
            (SizeName::Tiny, &raw_sizes.tiny),
            (SizeName::Cpu, &raw_sizes.cpu),
            (SizeName::Gpu, &raw_sizes.gpu),
            (SizeName::Heldout, &raw_sizes.heldout),
        ] {
            for d in &dims {
                if !preset.value.contains_key(d) {
                    cx.err(Some(preset), format!("sizes.{name}"), format!("no value for dim `{d}`"));
                }
            }
            for (k, v) in &preset.value {
                if !dims.contains(k) {
                    cx.err(
                        Some(preset),
                        format!("sizes.{name}.{k}"),
                        format!("`{k}` is not a declared dim (dims: {})", dims.join(", ")),
                    );
                } else if *v <= 0 {
                    cx.err(Some(preset), format!("sizes.{name}.{k}"), format!("sizes must be positive, got {v}"));
                }
            }
            sizes.insert(name, preset.value.clone());
        }

        if !cx.errors.is_empty() {
            return Err(cx.errors);
        }
        let task = Task {
            id,
            category,
            title: raw.title,
            source: raw.source,
            description: raw.description,
            exemplar: raw.exemplar,
            precision_band: raw.precision_band,
            dims,
            derived,
            derived_exprs,
            attrs,
            constraints,
            inputs,
            outputs,
            sizes,
            tolerance: Tolerance { atol: tol.atol, rtol: tol.rtol },
            reference: reference.expect("checked above"),
            work,
            work_src,
            spec_path: spec_path.to_path_buf(),
            baselines: files,
        };
        // Every preset must resolve: derived dims integral, shapes non-negative, constraints true.
        let line_of = |s: SizeName| match s {
            SizeName::Tiny => raw_sizes.tiny.referenced.line(),
            SizeName::Cpu => raw_sizes.cpu.referenced.line(),
            SizeName::Gpu => raw_sizes.gpu.referenced.line(),
            SizeName::Heldout => raw_sizes.heldout.referenced.line(),
        };
        let mut errors = Vec::new();
        for s in SizeName::ALL {
            if let Err(mut e) = task.resolve(s) {
                if e.line.is_none() {
                    e.line = Some(line_of(s));
                }
                errors.push(e);
            }
        }
        if errors.is_empty() { Ok(task) } else { Err(errors) }
    }

    /// (expression environment, integer dims) at `size`.
    fn env(&self, size: SizeName) -> Result<(Env, BTreeMap<String, i64>), TaskError> {
        let preset = &self.sizes[&size];
        let mut env: BTreeMap<String, f64> =
            self.attrs.iter().filter_map(|(k, v)| v.as_f64().map(|x| (k.clone(), x))).collect();
        let mut dims = BTreeMap::new();
        for d in &self.dims {
            let v = preset[d];
            env.insert(d.clone(), v as f64);
            dims.insert(d.clone(), v);
        }
        for ((name, src), e) in self.derived.iter().zip(&self.derived_exprs) {
            let v = e
                .eval(&env)
                .map_err(|err| self.error(None, format!("derived.{name}"), format!("at size `{size}`: {err}")))?;
            if v.fract() != 0.0 || v < 0.0 {
                return Err(self.error(
                    None,
                    format!("derived.{name}"),
                    format!("`{src}` = {v} at size `{size}`, not a whole non-negative number"),
                ));
            }
            env.insert(name.clone(), v);
            dims.insert(name.clone(), v as i64);
        }
        Ok((env, dims))
    }

    fn error(&self, line: Option<u64>, field: impl Into<String>, message: impl Into<String>) -> TaskError {
        TaskError { file: self.spec_path.clone(), line, field: field.into(), message: message.into() }
    }

    /// Dims, derived dims and tensor shapes at `size`.
    pub fn resolve(&self, size: SizeName) -> Result<Resolved, TaskError> {
        let (env, dims) = self.env(size)?;
        for (src, c) in &self.constraints {
            let v =
                c.eval(&env).map_err(|e| self.error(None, "constraints", format!("`{src}` at size `{size}`: {e}")))?;
            if v == 0.0 {
                return Err(self.error(None, "constraints", format!("`{src}` does not hold at size `{size}`")));
            }
        }
        let shapes = |ts: &[TensorSpec], kind: &str| -> Result<Vec<Vec<usize>>, TaskError> {
            ts.iter()
                .enumerate()
                .map(|(i, t)| {
                    t.shape
                        .iter()
                        .zip(&t.shape_src)
                        .enumerate()
                        .map(|(j, (e, src))| {
                            let v = e.eval(&env).map_err(|err| {
                                self.error(t.shape_line, format!("{kind}[{i}].shape[{j}]"), err.to_string())
                            })?;
                            if v.fract() != 0.0 || v < 0.0 {
                                return Err(self.error(
                                    t.shape_line,
                                    format!("{kind}[{i}].shape[{j}]"),
                                    format!("`{src}` = {v} at size `{size}`, not a whole non-negative number"),
                                ));
                            }
                            Ok(v as usize)
                        })
                        .collect()
                })
                .collect()
        };
        Ok(Resolved {
            size,
            dim_values: self.dims.iter().map(|d| dims[d]).collect(),
            input_shapes: shapes(&self.inputs, "inputs")?,
            output_shapes: shapes(&self.outputs, "outputs")?,
            dims,
        })
    }

    /// Fresh inputs for `seed`: input `i` is drawn from Philox stream `i`.
    pub fn generate_inputs(&self, r: &Resolved, seed: u64) -> Vec<Tensor> {
        self.inputs
            .iter()
            .zip(&r.input_shapes)
            .enumerate()
            .map(|(i, (t, shape))| generate(t.dtype, shape, t.init.as_ref().expect("inputs have init"), seed, i as u64))
            .collect()
    }

    /// Run the reference and check that it returns what the spec promises (count, dtype, shape).
    pub fn run_reference(&self, r: &Resolved, inputs: &[Tensor]) -> Result<Vec<Tensor>, TaskError> {
        let args = OpArgs {
            inputs: self.inputs.iter().map(|t| t.name.as_str()).zip(inputs.iter()).collect(),
            dims: &r.dims,
            attrs: &self.attrs,
        };
        let outs = (self.reference.run)(&args).map_err(|e| {
            self.error(
                None,
                "reference",
                format!("reference `{}` failed at size `{}`: {e}", self.reference.path, r.size),
            )
        })?;
        if outs.len() != self.outputs.len() {
            return Err(self.error(
                None,
                "outputs",
                format!(
                    "the spec declares {} output(s) but reference `{}` returned {}",
                    self.outputs.len(),
                    self.reference.path,
                    outs.len()
                ),
            ));
        }
        for (i, ((spec, out), shape)) in self.outputs.iter().zip(&outs).zip(&r.output_shapes).enumerate() {
            if &out.shape != shape {
                return Err(self.error(spec.shape_line, format!("outputs[{i}].shape"), format!("shape mismatch between spec and reference at size `{}`: spec {:?} = {:?}, reference `{}` returned {:?}", r.size, spec.shape_src, shape, self.reference.path, out.shape)));
            }
            if out.dtype() != spec.dtype {
                return Err(self.error(
                    None,
                    format!("outputs[{i}].dtype"),
                    format!(
                        "spec says {} but reference `{}` returned {}",
                        spec.dtype,
                        self.reference.path,
                        out.dtype()
                    ),
                ));
            }
        }
        Ok(outs)
    }

    /// Run the reference once at `tiny` and check its outputs against the spec.
    pub fn check_reference(&self) -> Result<(), TaskError> {
        let r = self.resolve(SizeName::Tiny)?;
        let inputs = self.generate_inputs(&r, 0);
        self.run_reference(&r, &inputs).map(|_| ())
    }

    /// FLOPs and bytes moved at a size, when the spec gives `work`.
    pub fn work(&self, size: SizeName) -> Option<(f64, f64)> {
        let (f, b) = self.work.as_ref()?;
        let (env, _) = self.env(size).ok()?;
        Some((f.eval(&env).ok()?, b.eval(&env).ok()?))
    }

    /// The baseline for a platform's file name, if the task ships one.
    pub fn baseline(&self, file_name: &str) -> Option<&str> {
        self.baselines.get(file_name).map(String::as_str)
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// serde names the offending field in its messages (`unknown field `x``, `missing field `y``).
fn field_from_serde_message(msg: &str) -> String {
    for key in ["unknown field `", "missing field `", "unknown variant `"] {
        if let Some(start) = msg.find(key) {
            let rest = &msg[start + key.len()..];
            if let Some(end) = rest.find('`') {
                return rest[..end].to_string();
            }
        }
    }
    "(yaml)".to_string()
}

/// All tasks, sorted by category then id.
#[derive(Clone, Debug)]
pub struct Registry {
    tasks: Vec<Task>,
}

impl Registry {
    /// The catalogue compiled into this binary.
    pub fn embedded() -> Result<Registry, TasksError> {
        let mut folders: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
        for (rel, text) in EMBEDDED {
            if let Some((folder, file)) = rel.rsplit_once('/') {
                folders.entry(folder).or_default().insert(file.to_string(), text.to_string());
            }
        }
        Registry::from_folders(folders.into_iter().map(|(f, files)| (PathBuf::from("tasks/catalog").join(f), files)))
    }

    /// A catalogue on disk (a folder laid out as `<category>/<id>/task.yaml`).
    pub fn from_dir(root: &Path) -> Result<Registry, TasksError> {
        let io = |path: &Path, source| TasksError::Io { path: path.to_path_buf(), source };
        let mut folders = Vec::new();
        let mut cats: Vec<_> = std::fs::read_dir(root)
            .map_err(|e| io(root, e))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        cats.sort();
        for cat in cats {
            let mut tasks: Vec<_> = std::fs::read_dir(&cat)
                .map_err(|e| io(&cat, e))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            tasks.sort();
            for dir in tasks {
                let mut files = BTreeMap::new();
                for f in std::fs::read_dir(&dir).map_err(|e| io(&dir, e))?.filter_map(Result::ok) {
                    let p = f.path();
                    if p.is_file()
                        && let Ok(text) = std::fs::read_to_string(&p)
                    {
                        files.insert(f.file_name().to_string_lossy().into_owned(), text);
                    }
                }
                folders.push((dir, files));
            }
        }
        Registry::from_folders(folders.into_iter())
    }

    fn from_folders(
        folders: impl Iterator<Item = (PathBuf, BTreeMap<String, String>)>,
    ) -> Result<Registry, TasksError> {
        let mut tasks = Vec::new();
        let mut errors = Vec::new();
        for (dir, mut files) in folders {
            let spec_path = dir.join("task.yaml");
            let Some(text) = files.remove("task.yaml") else {
                errors.push(TaskError {
                    file: spec_path,
                    line: None,
                    field: "task.yaml".into(),
                    message: "task folder has no task.yaml".into(),
                });
                continue;
            };
            let folder = dir.file_name().map(|s| s.to_string_lossy().into_owned());
            let category = dir.parent().and_then(|p| p.file_name()).map(|s| s.to_string_lossy().into_owned());
            match Task::parse(&spec_path, &text, folder.as_deref(), category.as_deref(), files) {
                Ok(t) => tasks.push(t),
                Err(mut e) => errors.append(&mut e),
            }
        }
        let mut seen = BTreeMap::new();
        for t in &tasks {
            if let Some(prev) = seen.insert(t.id.clone(), t.spec_path.clone()) {
                errors.push(TaskError {
                    file: t.spec_path.clone(),
                    line: None,
                    field: "id".into(),
                    message: format!("id `{}` is also used by {}", t.id, prev.display()),
                });
            }
        }
        let mut exemplars: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for t in tasks.iter().filter(|t| t.exemplar) {
            exemplars.entry(&t.category).or_default().push(&t.id);
        }
        for (cat, ids) in &exemplars {
            if ids.len() > 1 {
                errors.push(TaskError {
                    file: PathBuf::from(format!("tasks/catalog/{cat}")),
                    line: None,
                    field: "exemplar".into(),
                    message: format!("category `{cat}` has several exemplars ({}); mark exactly one", ids.join(", ")),
                });
            }
        }
        if !errors.is_empty() {
            return Err(TasksError::Invalid(errors));
        }
        tasks.sort_by(|a, b| (&a.category, &a.id).cmp(&(&b.category, &b.id)));
        Ok(Registry { tasks })
    }

    /// Every task.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    /// The task with this id.
    pub fn get(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// Tasks selected by a comma-separated list of ids and/or categories; `all` or empty = all.
    pub fn select(&self, selection: &str) -> Result<Vec<&Task>, TasksError> {
        let sel = selection.trim();
        if sel.is_empty() || sel == "all" {
            return Ok(self.tasks.iter().collect());
        }
        let mut out: Vec<&Task> = Vec::new();
        for part in sel.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let matched: Vec<&Task> = self.tasks.iter().filter(|t| t.id == part || t.category == part).collect();
            if matched.is_empty() {
                return Err(TasksError::UnknownSelection(part.to_string()));
            }
            for t in matched {
                if !out.iter().any(|o| o.id == t.id) {
                    out.push(t);
                }
            }
        }
        Ok(out)
    }

    /// The one-shot exemplar for `task`: its category's exemplar task, or another task of the
    /// category when `task` is itself the exemplar; `None` means "use the generic exemplar".
    pub fn exemplar_for(&self, task: &Task) -> Option<&Task> {
        let same: Vec<&Task> = self.tasks.iter().filter(|t| t.category == task.category && t.id != task.id).collect();
        same.iter().find(|t| t.exemplar).or_else(|| same.first()).copied()
    }
}
