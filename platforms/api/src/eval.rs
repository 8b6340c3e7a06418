//! The evaluation contract (DESIGN.md §5), identical on every platform.
//!
//! static checks → compile (cached) → worker: ≥ 3 fresh-seed trials at the timed size plus the
//! `heldout` size, outputs poisoned, inputs hashed before and after, elementwise tolerance →
//! worker: warm-up and paired A/B timing against the platform baseline over rotated input sets →
//! speedup = median of per-pair ratios. The reference runs here, in the harness; the worker never
//! sees expected outputs.

use crate::compare::{BadElement, compare};
use crate::outcome::{EvalReport, Outcome, TimingReport, TrialReport};
use crate::protocol::{Request, Response, TensorFile, TimingSet, Which, hash_bytes, read_tensor, write_tensor};
use crate::stats::{mad, median};
use crate::worker::{CallError, Limits, WorkerProcess};
use crate::{Artifact, Platform, PlatformError};
use kernelsmith_reference::Tensor;
use kernelsmith_tasks::{SizeName, Task};
use std::path::Path;
use std::time::{Duration, Instant};

/// Serialises timing on one device: compiles and correctness trials hold it shared, timing holds
/// it exclusively, so concurrent evaluations never disturb a measurement (issue #3: "timing runs
/// one at a time per device").
#[derive(Clone, Debug, Default)]
pub struct DeviceLock(std::sync::Arc<std::sync::RwLock<()>>);

impl DeviceLock {
    fn shared(&self) -> std::sync::RwLockReadGuard<'_, ()> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }
    fn exclusive(&self) -> std::sync::RwLockWriteGuard<'_, ()> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// Knobs of one evaluation. Defaults follow DESIGN.md §5.
#[derive(Clone, Debug)]
pub struct EvalOptions {
    /// The timed size preset (`cpu` on the cpu platform).
    pub size: SizeName,
    /// Fresh-seed correctness trials at the timed size (≥ 3).
    pub trials: u32,
    /// Base seed; trial and timing seeds are derived from it.
    pub seed: u64,
    /// Whether to time against the baseline after passing.
    pub time: bool,
    /// Warm-up calls of each kernel.
    pub warmup: u32,
    /// Measured A/B pairs.
    pub pairs: u32,
    /// Distinct input sets rotated through while timing.
    pub input_sets: u32,
    /// Each timing sample repeats the call until it lasts at least this long.
    pub min_sample: Duration,
    /// Deadline for one correctness call.
    pub call_timeout: Duration,
    /// Worker resource limits.
    pub limits: Limits,
    /// The device this evaluation times on (share one per device across concurrent evaluations).
    pub device: DeviceLock,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            size: SizeName::Cpu,
            trials: 3,
            seed: 0x6b73_6d74, // "ksmt"
            time: true,
            warmup: 3,
            pairs: 15,
            input_sets: 3,
            min_sample: Duration::from_millis(2),
            call_timeout: Duration::from_secs(20),
            limits: Limits::default(),
            device: DeviceLock::default(),
        }
    }
}

/// SplitMix64: derive independent seeds from one base seed.
pub fn derive_seed(base: u64, index: u64) -> u64 {
    let mut z = base ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(0x6A09_E667_F3BC_C909);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Ctx<'a> {
    task: &'a Task,
    opts: &'a EvalOptions,
    report: EvalReport,
    t0: Instant,
}

impl Ctx<'_> {
    fn finish(mut self, outcome: Outcome, reason: Option<String>) -> EvalReport {
        self.report.outcome = outcome;
        self.report.reason = reason;
        self.report.wall_ms = self.t0.elapsed().as_secs_f64() * 1e3;
        self.report
    }

    fn flag(&mut self, f: &str) {
        if !self.report.flags.iter().any(|x| x == f) {
            self.report.flags.push(f.into());
        }
    }
}

fn call_failure(e: CallError, what: &str) -> (Outcome, String) {
    match e {
        CallError::Timeout(d) => (Outcome::Timeout, format!("{what} did not return within {:.1} s", d.as_secs_f64())),
        CallError::Died { description, .. } => (Outcome::Crashed, format!("{description} during {what}")),
        CallError::Worker(m) => (Outcome::RuntimeError, format!("{what}: {m}")),
    }
}

fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| l.contains("error"))
        .or_else(|| s.lines().next())
        .unwrap_or("")
        .trim()
        .chars()
        .take(300)
        .collect()
}

/// Evaluate `source` as a candidate for `task` on `platform`.
///
/// Returns `Err` only for harness faults (missing baseline, a broken task, IO); everything the
/// candidate does is an [`Outcome`] in the report.
pub fn evaluate(
    platform: &dyn Platform,
    task: &Task,
    source: &str,
    opts: &EvalOptions,
) -> Result<EvalReport, PlatformError> {
    let t0 = Instant::now();
    let shared = opts.device.shared();
    let report = EvalReport::early(&task.id, platform.name(), opts.size.name(), Outcome::Passed, "");
    let mut cx = Ctx { task, opts, report, t0 };

    // 1. Static checks.
    let violations = platform.static_check(task, source);
    if !violations.is_empty() {
        return Ok(cx.finish(Outcome::StaticRejected, Some(violations.join("; "))));
    }

    // 2. Compile the candidate, and the baseline when timing.
    let candidate = match platform.compile(task, source)? {
        Ok(a) => a,
        Err(f) => {
            cx.report.compile_ms = Some(f.compile_ms);
            let reason = format!("compiler rejected the source: {}", first_line(&f.log));
            cx.report.compile_log = Some(f.log);
            return Ok(cx.finish(Outcome::CompileFailed, Some(reason)));
        }
    };
    cx.report.compile_ms = Some(candidate.compile_ms);
    cx.report.compile_cached = candidate.cached;
    let baseline = if opts.time { Some(compile_baseline(platform, task)?) } else { None };

    // 3. Worker.
    let dir = tempfile::Builder::new()
        .prefix("kernelsmith-worker-")
        .tempdir()
        .map_err(|e| PlatformError::io("cannot create the worker's temporary directory", e))?;
    let mut worker = WorkerProcess::spawn(platform.worker_command(), dir.path(), opts.limits)?;
    let start = worker.call(&Request::Hello, Duration::from_secs(30)).and_then(|_| {
        worker.call(
            &Request::Load { candidate: candidate.path.clone(), baseline: baseline.as_ref().map(|b| b.path.clone()) },
            Duration::from_secs(60),
        )
    });
    if let Err(e) = start {
        let (outcome, reason) = call_failure(e, "loading the compiled kernel");
        cx.report.worker_log = Some(worker.finish());
        return Ok(cx.finish(outcome, Some(reason)));
    }

    // 4. Correctness trials.
    let mut plan: Vec<(String, SizeName, u64)> = (0..opts.trials.max(1))
        .map(|i| (format!("{}#{i}", opts.size), opts.size, derive_seed(opts.seed, i as u64)))
        .collect();
    if opts.size != SizeName::Heldout {
        plan.push(("heldout".into(), SizeName::Heldout, derive_seed(opts.seed, 1000)));
    }
    for (trial_idx, (label, size, seed)) in plan.iter().enumerate() {
        match run_trial(&mut cx, &mut worker, dir.path(), trial_idx, label, *size, *seed)? {
            None => {}
            Some((outcome, reason)) => {
                cx.report.failed_trial = Some(label.clone());
                cx.report.worker_log = Some(worker.finish());
                let all_timed_passed = cx.report.trials.iter().filter(|t| t.label != "heldout").all(|t| t.passed);
                if label == "heldout" && outcome == Outcome::Mismatch && all_timed_passed {
                    cx.flag("heldout_only_failure");
                }
                return Ok(cx.finish(outcome, Some(reason)));
            }
        }
    }
    let trials = &cx.report.trials;
    cx.report.max_abs_err = trials.iter().map(|t| t.max_abs_err).reduce(f64::max);
    cx.report.max_rel_err = trials.iter().map(|t| t.max_rel_err).reduce(f64::max);

    // 5. Timing, alone on the device.
    drop(shared);
    if baseline.is_some() {
        let _exclusive = opts.device.exclusive();
        if let Some((outcome, reason)) = time_pair(&mut cx, &mut worker, dir.path())? {
            cx.report.worker_log = Some(worker.finish());
            return Ok(cx.finish(outcome, Some(reason)));
        }
    }
    let log = worker.finish();
    if !log.trim().is_empty() {
        cx.report.worker_log = Some(log);
    }
    Ok(cx.finish(Outcome::Passed, None))
}

/// Compile a task's own baseline for `platform`; failure is the task's fault, so an error.
pub fn compile_baseline(platform: &dyn Platform, task: &Task) -> Result<Artifact, PlatformError> {
    let file = platform.language().baseline_file;
    let src = task.baseline(file).ok_or_else(|| PlatformError::MissingBaseline {
        task: task.id.clone(),
        platform: platform.name().into(),
        file: file.into(),
    })?;
    platform.compile(task, src)?.map_err(|f| PlatformError::BaselineCompile {
        task: task.id.clone(),
        platform: platform.name().into(),
        log: f.log,
    })
}

fn tensor_files(dir: &Path, prefix: &str, tensors: &[Tensor]) -> Result<Vec<TensorFile>, PlatformError> {
    tensors
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = dir.join(format!("{prefix}{i}.bin"));
            write_tensor(&p, t).map_err(|e| PlatformError::io(format!("cannot write {}", p.display()), e))
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn run_trial(
    cx: &mut Ctx,
    worker: &mut WorkerProcess,
    dir: &Path,
    trial_idx: usize,
    label: &str,
    size: SizeName,
    seed: u64,
) -> Result<Option<(Outcome, String)>, PlatformError> {
    let task = cx.task;
    let resolved = task.resolve(size)?;
    let inputs = task.generate_inputs(&resolved, seed);
    let expected = task.run_reference(&resolved, &inputs)?;
    let input_files = tensor_files(dir, &format!("t{trial_idx}_in"), &inputs)?;
    let output_files: Vec<TensorFile> = task
        .outputs
        .iter()
        .zip(&resolved.output_shapes)
        .enumerate()
        .map(|(i, (o, shape))| TensorFile {
            path: dir.join(format!("t{trial_idx}_out{i}.bin")),
            dtype: o.dtype.name().into(),
            shape: shape.clone(),
        })
        .collect();
    let req = Request::Run {
        kernel: Which::Candidate,
        inputs: input_files.clone(),
        outputs: output_files.clone(),
        dims: resolved.dim_values.clone(),
    };
    let reply = match worker.call(&req, cx.opts.call_timeout) {
        Ok(r) => r,
        Err(e) => return Ok(Some(call_failure(e, &format!("trial {label} (size {size})")))),
    };
    let Response::Ran { status, input_hashes_before, input_hashes_after, elapsed_ns } = reply else {
        return Err(PlatformError::Protocol(format!("expected `ran`, got {reply:?}")));
    };
    if status != 0 {
        return Ok(Some((
            Outcome::RuntimeError,
            format!("kernel returned status {status} (expected 0) in trial {label}"),
        )));
    }
    let mut trial = TrialReport {
        label: label.into(),
        size: size.name().into(),
        seed,
        passed: true,
        max_abs_err: 0.0,
        max_rel_err: 0.0,
        n_bad: 0,
        n_unwritten: 0,
        first_bad: None,
        kernel_ns: elapsed_ns,
    };

    // Inputs must be untouched: the worker hashed them around the call, we hashed what we sent.
    let sent: Vec<String> = inputs.iter().map(|t| hash_bytes(&t.data.to_le_bytes())).collect();
    let modified: Vec<&str> = task
        .inputs
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            input_hashes_before.get(*i) != Some(&sent[*i]) || input_hashes_after.get(*i) != input_hashes_before.get(*i)
        })
        .map(|(_, t)| t.name.as_str())
        .collect();

    let mut worst: Option<BadElement> = None;
    for (i, (spec, exp)) in task.outputs.iter().zip(&expected).enumerate() {
        let Some(got) = read_tensor(&output_files[i]) else {
            return Err(PlatformError::Protocol(format!("worker did not write output `{}`", spec.name)));
        };
        let c = compare(&spec.name, &got, exp, task.tolerance);
        trial.max_abs_err = trial.max_abs_err.max(c.max_abs_err);
        trial.max_rel_err = trial.max_rel_err.max(c.max_rel_err);
        trial.n_bad += c.n_bad;
        trial.n_unwritten += c.n_unwritten;
        if worst.is_none() {
            worst = c.first_bad.first().cloned();
        }
    }
    trial.first_bad = worst.clone();
    trial.passed = trial.n_bad == 0 && modified.is_empty();
    cx.report.trials.push(trial.clone());
    if !modified.is_empty() {
        cx.flag("input_modified");
        return Ok(Some((
            Outcome::Mismatch,
            format!("the kernel modified its input(s) {} in trial {label}; inputs are read-only", modified.join(", ")),
        )));
    }
    if trial.n_bad > 0 {
        let b = worst.expect("a bad element is recorded");
        cx.report.max_abs_err = Some(trial.max_abs_err);
        cx.report.max_rel_err = Some(trial.max_rel_err);
        cx.report.first_bad_index = Some(b.index as i64);
        let total: usize = resolved.output_shapes.iter().map(|s| s.iter().product::<usize>()).sum();
        let mut reason = format!(
            "trial {label} (size {size}, seed {seed}): {} of {total} elements wrong; first at {}{:?} got {} expected {}; max abs err {:.3e}, max rel err {:.3e} (atol {:.1e}, rtol {:.1e})",
            trial.n_bad,
            b.output,
            b.position,
            b.got,
            b.expected,
            trial.max_abs_err,
            trial.max_rel_err,
            task.tolerance.atol,
            task.tolerance.rtol
        );
        if trial.n_unwritten > 0 {
            cx.flag("unwritten_output");
            reason.push_str(&format!(
                "; {} element(s) were never written (still hold the poison value)",
                trial.n_unwritten
            ));
        }
        if label == "heldout" {
            reason.push_str("; the timed-size trials passed, so the kernel may depend on the timed shape");
        }
        return Ok(Some((Outcome::Mismatch, reason)));
    }
    Ok(None)
}

fn time_pair(cx: &mut Ctx, worker: &mut WorkerProcess, dir: &Path) -> Result<Option<(Outcome, String)>, PlatformError> {
    let task = cx.task;
    let opts = cx.opts;
    let resolved = task.resolve(opts.size)?;
    let mut sets = Vec::new();
    for s in 0..opts.input_sets.max(1) {
        let inputs = task.generate_inputs(&resolved, derive_seed(opts.seed, 2000 + s as u64));
        let files = tensor_files(dir, &format!("time{s}_in"), &inputs)?;
        let outputs = task
            .outputs
            .iter()
            .zip(&resolved.output_shapes)
            .enumerate()
            .map(|(i, (o, shape))| TensorFile {
                path: dir.join(format!("time{s}_out{i}.bin")),
                dtype: o.dtype.name().into(),
                shape: shape.clone(),
            })
            .collect();
        sets.push(TimingSet { inputs: files, outputs });
    }
    // Budget: the slowest correctness call bounds one kernel call; allow every call in the
    // protocol plus calibration, with generous slack, but never less than a minute.
    let per_call = cx.report.trials.iter().map(|t| t.kernel_ns).fold(0.0, f64::max) * 1e-9;
    let calls = (opts.warmup + opts.pairs) as f64 * 2.0;
    let budget = Duration::from_secs_f64(
        (per_call * calls * 4.0 + opts.min_sample.as_secs_f64() * calls * 4.0 + 60.0).min(1800.0),
    );
    let req = Request::Time {
        sets,
        dims: resolved.dim_values.clone(),
        warmup: opts.warmup,
        pairs: opts.pairs,
        min_sample_ns: opts.min_sample.as_nanos() as u64,
    };
    let reply = match worker.call(&req, budget) {
        Ok(r) => r,
        Err(e) => return Ok(Some(call_failure(e, "timing"))),
    };
    let Response::Timed { candidate_ns, baseline_ns, reps, bad_status, total_kernel_ns } = reply else {
        return Err(PlatformError::Protocol(format!("expected `timed`, got {reply:?}")));
    };
    if let Some(s) = bad_status {
        return Ok(Some((Outcome::RuntimeError, format!("kernel returned status {s} during timing"))));
    }
    let ratios: Vec<f64> =
        candidate_ns.iter().zip(&baseline_ns).filter(|(c, _)| **c > 0.0).map(|(c, b)| b / c).collect();
    let speedup = median(&ratios).unwrap_or(f64::NAN);
    let timing = TimingReport {
        warmup: opts.warmup,
        pairs: candidate_ns.len() as u32,
        reps_per_sample: reps,
        input_sets: opts.input_sets.max(1),
        candidate_median_ns: median(&candidate_ns).unwrap_or(f64::NAN),
        baseline_median_ns: median(&baseline_ns).unwrap_or(f64::NAN),
        speedup,
        speedup_mad: mad(&ratios).unwrap_or(f64::NAN),
        total_kernel_ns,
        candidate_ns,
        baseline_ns,
    };
    cx.report.speedup = Some(speedup);
    cx.report.timing = Some(timing);
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::derive_seed;

    #[test]
    fn derived_seeds_differ_per_index_and_are_stable() {
        let s: Vec<u64> = (0..4).map(|i| derive_seed(42, i)).collect();
        for i in 0..4 {
            for j in 0..i {
                assert_ne!(s[i], s[j]);
            }
        }
        assert_eq!(derive_seed(42, 3), s[3]);
        assert_ne!(derive_seed(43, 0), s[0]);
    }
}
