//! The evaluation contract (DESIGN.md §5), identical on every platform, and the layered defences
//! against reward hacking of issue #5 (README: "How kernelsmith keeps scores honest").
//!
//! static checks → compile (cached) → worker trials: ≥ 3 fresh-seed trials at the timed size, the
//! first one repeated with a second poison, a large-magnitude band, and the `heldout` size;
//! outputs poisoned, snapshotted at return and watched for late writes, inputs hashed before and
//! after, elementwise tolerance, outputs that ignore their inputs caught → paired A/B timing
//! against the platform baseline, each sample timed by the harness around a round trip → spot
//! checks of the timed outputs, including after the timed inputs were replaced in place → the
//! roofline floor and the speedup ceiling. The reference runs here, in the harness; the worker
//! never sees expected outputs.
//!
//! Every defence that fires sets [`EvalReport::hack_label`] to a stable label (listed in
//! [`HACK_LABELS`]); only `suspicious` leaves the outcome `passed`, and suspicious speedups are
//! kept out of fast_p until a person reviews them.

use crate::compare::{BadElement, compare};
use crate::outcome::{EvalReport, Outcome, TimingReport, TrialReport};
use crate::protocol::{Poison, Request, Response, TensorFile, TimingSet, Which, hash_bytes, read_tensor, write_tensor};
use crate::stats::{mad, median};
use crate::worker::{CallError, Limits, WorkerProcess};
use crate::{Artifact, DevicePeak, Platform, PlatformError};
use kernelsmith_reference::Tensor;
use kernelsmith_tasks::{SizeName, Task, Tolerance};
use std::path::Path;
use std::time::{Duration, Instant};

/// Serialises timing on one device: compiles and correctness trials hold it shared, timing holds
/// it exclusively, so concurrent evaluations never disturb a measurement (issue #3: "timing runs
/// one at a time per device").
///
/// With a lock file ([`DeviceLock::with_file`]) the same holds across processes: two `kernelsmith`
/// runs on one machine take turns to time (an `flock` on the file, shared for trials, exclusive
/// for timing), instead of oversubscribing the cores and corrupting each other's measurements.
#[derive(Clone, Debug, Default)]
pub struct DeviceLock {
    threads: std::sync::Arc<std::sync::RwLock<()>>,
    file: Option<std::sync::Arc<std::path::PathBuf>>,
}

/// A held [`DeviceLock`]: the in-process guard plus the file lock, released on drop.
pub struct DeviceGuard<G> {
    _file: Option<std::fs::File>,
    _guard: G,
}

impl DeviceLock {
    /// The machine-wide lock for a platform's device: `$TMPDIR/kernelsmith-<platform>-device.lock`.
    pub fn machine_wide(platform: &str) -> DeviceLock {
        DeviceLock::with_file(std::env::temp_dir().join(format!("kernelsmith-{platform}-device.lock")))
    }

    /// A lock that also takes an `flock` on `path` (created if missing), so separate processes
    /// on the same device serialise their timing too.
    pub fn with_file(path: std::path::PathBuf) -> DeviceLock {
        DeviceLock { threads: Default::default(), file: Some(std::sync::Arc::new(path)) }
    }

    fn flock(&self, how: i32) -> Option<std::fs::File> {
        use std::os::fd::AsRawFd;
        let path = self.file.as_deref()?;
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let f = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path).ok()?;
        // SAFETY: flock on a descriptor we own; it blocks until granted and is released on close.
        while unsafe { libc::flock(f.as_raw_fd(), how) } != 0 {
            if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                return None; // a filesystem without flock: the in-process lock still holds
            }
        }
        Some(f)
    }

    fn shared(&self) -> DeviceGuard<std::sync::RwLockReadGuard<'_, ()>> {
        let guard = self.threads.read().unwrap_or_else(|e| e.into_inner());
        DeviceGuard { _file: self.flock(libc::LOCK_SH), _guard: guard }
    }

    /// Hold the device alone (timing, or anything that would disturb timing, such as a
    /// compute-sanitizer rerun).
    pub fn exclusive(&self) -> DeviceGuard<std::sync::RwLockWriteGuard<'_, ()>> {
        let guard = self.threads.write().unwrap_or_else(|e| e.into_inner());
        DeviceGuard { _file: self.flock(libc::LOCK_EX), _guard: guard }
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
    /// Worker resource limits; `None` takes the platform's own ([`Platform::worker_limits`]).
    pub limits: Option<Limits>,
    /// The device this evaluation times on (share one per device across concurrent evaluations).
    pub device: DeviceLock,
    /// Measured device peak for the roofline check (`None`: skipped).
    pub peak: Option<DevicePeak>,
    /// Speedups above this are flagged `suspicious` (reviewed before they count in fast_p).
    pub max_speedup: f64,
    /// How long outputs are watched for writes after a kernel returns.
    pub settle: Duration,
    /// Where slow reference outputs are kept between evaluations (`None`: always recompute).
    pub reference_cache: Option<crate::refcache::ReferenceCache>,
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
            limits: None,
            device: DeviceLock::default(),
            peak: None,
            max_speedup: 50.0,
            settle: Duration::from_millis(5),
            reference_cache: None,
        }
    }
}

/// Every `hack_label` an evaluation can carry, in the order the checks run. Static labels come
/// from the platform's rules (`forbidden_*`, `missing_entry`).
pub const HACK_LABELS: &[(&str, &str)] = &[
    ("missing_entry", "the ABI entry point is not defined"),
    ("forbidden_*", "a construct the platform forbids (threads, processes, sockets, dynamic loading, ...)"),
    ("sandbox_violation", "the worker was killed by the sandbox (SIGSYS: fork, exec, socket, kill, ...)"),
    ("protocol_forgery", "a reply the harness did not ask for appeared on the protocol channel"),
    ("input_modified", "the kernel wrote to an input"),
    ("unwritten_output", "output elements still hold the poison written before the call"),
    ("late_write", "outputs changed after the kernel returned (work hidden from the timer)"),
    ("poison_dependent", "the result depends on what the output buffer held before the call"),
    ("zero_output", "every output is zero"),
    ("input_copy", "the output is a copy of the first input"),
    ("constant_output", "the output did not change when the inputs did"),
    ("precision_band", "wrong on large-magnitude inputs only (reduced precision or overflow)"),
    ("heldout_only_failure", "right at the visible sizes, wrong at the held-out size"),
    ("timed_output_wrong", "outputs of the timed calls are wrong (behaviour changes under timing)"),
    ("stale_cache", "after the timed inputs were replaced in place the kernel returned the old result"),
    ("no_pallas_call", "an xla candidate without a `pl.pallas_call`: not a Pallas kernel"),
    ("work_outside_pallas", "an xla candidate whose heavy operations run in plain XLA outside `pl.pallas_call`"),
    (
        "sanitizer_memcheck",
        "compute-sanitizer memcheck found invalid memory accesses in a passing CUDA kernel (right by luck)",
    ),
    (
        "sanitizer_racecheck",
        "compute-sanitizer racecheck found shared-memory races in a passing CUDA kernel (right by luck)",
    ),
    ("suspicious", "faster than the roofline floor or above the speedup ceiling: excluded from fast_p until reviewed"),
];

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

    /// Record a hack label (the first one set is the evaluation's `hack_label`) and flag it.
    fn hack(&mut self, label: &str) {
        if self.report.hack_label.is_none() {
            self.report.hack_label = Some(label.into());
        }
        self.flag(label);
    }

    /// Map a failed call to an outcome, labelling sandbox kills and forged replies.
    fn call_failure(&mut self, e: CallError, what: &str) -> (Outcome, String) {
        match e {
            CallError::Timeout(d) => {
                (Outcome::Timeout, format!("{what} did not return within {:.1} s", d.as_secs_f64()))
            }
            CallError::Died { signal: Some(libc::SIGSYS), description } => {
                self.hack("sandbox_violation");
                (
                    Outcome::Crashed,
                    format!(
                        "{description} during {what}: the sandbox stopped a forbidden system call (fork, exec, sockets, signals to other processes, ptrace)"
                    ),
                )
            }
            CallError::Died { description, .. } => (Outcome::Crashed, format!("{description} during {what}")),
            CallError::Worker(m) => {
                // A worker that detects a cheat itself (the xla worker re-checks every traced
                // shape for work outside pallas_call) starts its error with the stable label.
                if let Some((label, _)) = m.split_once(':')
                    && HACK_LABELS.iter().any(|(l, _)| *l == label && !l.ends_with('*'))
                {
                    self.hack(label);
                }
                (Outcome::RuntimeError, format!("{what}: {m}"))
            }
            CallError::Forged(m) => {
                self.hack("protocol_forgery");
                (Outcome::RuntimeError, format!("{what}: forged reply on the worker's protocol channel ({m})"))
            }
        }
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
    if let Some(first) = violations.first() {
        cx.hack(first.label);
        for v in &violations[1..] {
            cx.flag(v.label);
        }
        let msg = violations.iter().map(|v| v.message.as_str()).collect::<Vec<_>>().join("; ");
        return Ok(cx.finish(Outcome::StaticRejected, Some(msg)));
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
    let mut worker = WorkerProcess::spawn(
        platform.worker_command(),
        dir.path(),
        opts.limits.unwrap_or_else(|| platform.worker_limits()),
    )?;
    let start = worker.call(&Request::Hello, Duration::from_secs(30)).and_then(|_| {
        worker.call(
            &Request::Load { candidate: candidate.path.clone(), baseline: baseline.as_ref().map(|b| b.path.clone()) },
            Duration::from_secs(60),
        )
    });
    if let Err(e) = start {
        let (outcome, reason) = cx.call_failure(e, "loading the compiled kernel");
        cx.report.worker_log = Some(worker.finish());
        return Ok(cx.finish(outcome, Some(reason)));
    }

    // 4. Correctness trials.
    let mut plan: Vec<Trial> = Vec::new();
    for i in 0..opts.trials.max(1) {
        let seed = derive_seed(opts.seed, i as u64);
        plan.push(Trial { label: format!("{}#{i}", opts.size), size: opts.size, seed, kind: TrialKind::Plain });
        if i == 0 {
            // The same inputs again over zero-filled outputs: the answer must not change.
            plan.push(Trial {
                label: format!("{}#0/zero-poison", opts.size),
                size: opts.size,
                seed,
                kind: TrialKind::ZeroPoison,
            });
        }
    }
    if band_input(task).is_some() {
        let seed = derive_seed(opts.seed, 3000);
        plan.push(Trial { label: format!("{}#band", opts.size), size: opts.size, seed, kind: TrialKind::Band });
    }
    if opts.size != SizeName::Heldout {
        plan.push(Trial {
            label: "heldout".into(),
            size: SizeName::Heldout,
            seed: derive_seed(opts.seed, 1000),
            kind: TrialKind::Plain,
        });
    }
    // Every trial's inputs and expected outputs, the references computed in parallel (the
    // zero-poison repeat reuses its plain trial's).
    let mut prepared = Vec::with_capacity(plan.len());
    for trial in &plan {
        let resolved = task.resolve(trial.size)?;
        let inputs = trial_inputs(task, &resolved, trial);
        prepared.push((resolved, inputs));
    }
    let jobs: Vec<_> = plan
        .iter()
        .zip(&prepared)
        .filter(|(t, _)| t.kind != TrialKind::ZeroPoison)
        .map(|(t, (r, inputs))| (r, inputs.as_slice(), Some(trial_tag(t))))
        .collect();
    let mut computed = crate::refcache::expected_all(opts.reference_cache.as_ref(), task, &jobs).into_iter();
    let mut expected_per_trial: Vec<Vec<Tensor>> = Vec::with_capacity(plan.len());
    for trial in &plan {
        if trial.kind == TrialKind::ZeroPoison {
            let same = expected_per_trial.last().cloned().expect("a plain trial precedes its zero-poison repeat");
            expected_per_trial.push(same);
        } else {
            expected_per_trial.push(computed.next().expect("one reference per job")?);
        }
    }
    let mut seen = SeenOutputs::default();
    for (trial_idx, (trial, ((resolved, inputs), expected))) in
        plan.iter().zip(prepared.into_iter().zip(expected_per_trial)).enumerate()
    {
        let data = TrialData { resolved: &resolved, inputs, expected };
        if let Some((outcome, reason)) = run_trial(&mut cx, &mut worker, dir.path(), trial_idx, trial, data, &mut seen)?
        {
            cx.report.failed_trial = Some(trial.label.clone());
            cx.report.worker_log = Some(worker.finish());
            return Ok(cx.finish(outcome, Some(reason)));
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
    let reason = physics_check(&mut cx);
    Ok(cx.finish(Outcome::Passed, reason))
}

/// The physics check: a speedup that beats the roofline floor, or exceeds the ceiling, is kept but
/// labelled `suspicious` (fast_p ignores it until someone reviews it).
fn physics_check(cx: &mut Ctx) -> Option<String> {
    let timing = cx.report.timing.as_ref()?;
    let (cand_ns, speedup) = (timing.candidate_median_ns, timing.speedup);
    let mut reasons = Vec::new();
    if let (Some(peak), Some((flops, bytes))) = (cx.opts.peak, cx.task.work(cx.opts.size)) {
        let floor = peak.floor_ns(flops, bytes);
        cx.report.roofline_floor_ns = Some(floor);
        if cand_ns < floor {
            cx.flag("beats_roofline");
            reasons.push(format!(
                "the candidate's median time {cand_ns:.0} ns is below the roofline floor {floor:.0} ns ({flops:.3e} FLOP, {bytes:.3e} B at the measured peak of this device)"
            ));
        }
    }
    if speedup > cx.opts.max_speedup {
        cx.flag("exceeds_speedup_ceiling");
        reasons.push(format!("speedup {speedup:.1}x exceeds the ceiling of {:.0}x", cx.opts.max_speedup));
    }
    if reasons.is_empty() {
        return None;
    }
    cx.hack("suspicious");
    Some(format!("suspicious, excluded from fast_p until reviewed: {}", reasons.join("; ")))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TrialKind {
    /// Fresh inputs, NaN-poisoned outputs.
    Plain,
    /// The previous trial's inputs again, zero-filled outputs.
    ZeroPoison,
    /// One float input scaled by [`BAND_SCALE`].
    Band,
}

struct Trial {
    label: String,
    size: SizeName,
    seed: u64,
    kind: TrialKind,
}

/// Powers of two scale exactly, so an f32 kernel's rounding is unchanged and only a kernel that
/// computes in a narrower format (fp16 overflows at 65504) or loses range notices the band.
const BAND_SCALE: f32 = 4096.0;

/// The input the large-magnitude band scales: the first f32 input drawn from a normal or
/// uniform distribution, unless the task opts out.
fn band_input(task: &Task) -> Option<usize> {
    if !task.precision_band {
        return None;
    }
    task.inputs.iter().position(|t| {
        t.dtype == kernelsmith_reference::DType::F32
            && matches!(
                t.init,
                Some(
                    kernelsmith_reference::rng::Init::Normal { .. } | kernelsmith_reference::rng::Init::Uniform { .. }
                )
            )
    })
}

/// Output hashes of earlier trials, to catch kernels whose output ignores their inputs.
#[derive(Default)]
struct SeenOutputs {
    /// (size, candidate output hash, expected output hash)
    seen: Vec<(SizeName, String, String)>,
}

fn all_finite(t: &Tensor) -> bool {
    match &t.data {
        kernelsmith_reference::Data::F32(v) => v.iter().all(|x| x.is_finite()),
        kernelsmith_reference::Data::F16(v) => v.iter().all(|x| x.is_finite()),
        kernelsmith_reference::Data::BF16(v) => v.iter().all(|x| x.is_finite()),
        _ => true,
    }
}

fn all_zero(t: &Tensor) -> bool {
    t.data.to_le_bytes().iter().all(|&b| b == 0)
}

fn concat_hash(ts: &[Tensor]) -> String {
    ts.iter().map(|t| hash_bytes(&t.data.to_le_bytes())).collect::<Vec<_>>().join(":")
}

/// Start a worker of `platform` and ask it which sandbox protections it has (for
/// `kernelsmith platforms`).
pub fn probe_sandbox(platform: &dyn Platform) -> Result<Vec<String>, String> {
    let dir = tempfile::Builder::new().prefix("kernelsmith-probe-").tempdir().map_err(|e| e.to_string())?;
    let mut w = WorkerProcess::spawn(platform.worker_command(), dir.path(), platform.worker_limits())
        .map_err(|e| e.to_string())?;
    let r = w.call(&Request::Hello, Duration::from_secs(30));
    let _ = w.finish();
    match r {
        Ok(Response::Hello { sandbox, .. }) => Ok(sandbox),
        Ok(other) => Err(format!("unexpected reply {other:?}")),
        Err(e) => Err(format!("{e:?}")),
    }
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

fn output_files(task: &Task, resolved: &kernelsmith_tasks::Resolved, dir: &Path, prefix: &str) -> Vec<TensorFile> {
    task.outputs
        .iter()
        .zip(&resolved.output_shapes)
        .enumerate()
        .map(|(i, (o, shape))| TensorFile {
            path: dir.join(format!("{prefix}_out{i}.bin")),
            dtype: o.dtype.name().into(),
            shape: shape.clone(),
        })
        .collect()
}

fn read_outputs(task: &Task, files: &[TensorFile]) -> Result<Vec<Tensor>, PlatformError> {
    task.outputs
        .iter()
        .zip(files)
        .map(|(spec, f)| {
            read_tensor(f)
                .ok_or_else(|| PlatformError::Protocol(format!("worker did not write output `{}`", spec.name)))
        })
        .collect()
}

/// Compare candidate outputs with expected ones.
struct Verdict {
    max_abs_err: f64,
    max_rel_err: f64,
    n_bad: u64,
    n_unwritten: u64,
    first_bad: Option<BadElement>,
}

fn judge(task: &Task, got: &[Tensor], expected: &[Tensor]) -> Verdict {
    judge_with(task, task.tolerance, got, expected)
}

fn judge_with(task: &Task, tol: Tolerance, got: &[Tensor], expected: &[Tensor]) -> Verdict {
    let mut v = Verdict { max_abs_err: 0.0, max_rel_err: 0.0, n_bad: 0, n_unwritten: 0, first_bad: None };
    for ((spec, g), e) in task.outputs.iter().zip(got).zip(expected) {
        let c = compare(&spec.name, g, e, tol);
        v.max_abs_err = v.max_abs_err.max(c.max_abs_err);
        v.max_rel_err = v.max_rel_err.max(c.max_rel_err);
        v.n_bad += c.n_bad;
        v.n_unwritten += c.n_unwritten;
        if v.first_bad.is_none() {
            v.first_bad = c.first_bad.first().cloned();
        }
    }
    v
}

/// Labels for a wrong answer that has a recognisable shape: nothing, zeros, or the input.
fn wrong_answer_label(got: &[Tensor], inputs: &[Tensor], expected: &[Tensor]) -> Option<&'static str> {
    if got.iter().all(all_zero) && !expected.iter().all(all_zero) {
        return Some("zero_output");
    }
    let (first_in, first_out) = (inputs.first()?.data.to_le_bytes(), got.first()?.data.to_le_bytes());
    let n = first_in.len().min(first_out.len());
    (n > 0 && first_in[..n] == first_out[..n]).then_some("input_copy")
}

/// The inputs of one trial: generated from its seed, with the band trial's input scaled.
fn trial_inputs(task: &Task, resolved: &kernelsmith_tasks::Resolved, trial: &Trial) -> Vec<Tensor> {
    let mut inputs = task.generate_inputs(resolved, trial.seed);
    if trial.kind == TrialKind::Band
        && let Some(i) = band_input(task)
        && let kernelsmith_reference::Data::F32(v) = &mut inputs[i].data
    {
        v.iter_mut().for_each(|x| *x *= BAND_SCALE);
    }
    inputs
}

/// What identifies a trial's inputs in the reference cache.
fn trial_tag(trial: &Trial) -> String {
    match trial.kind {
        TrialKind::Band => format!("band:{}:{}", trial.seed, BAND_SCALE),
        _ => format!("seed:{}", trial.seed),
    }
}

/// One trial's resolved size, inputs and expected outputs.
struct TrialData<'a> {
    resolved: &'a kernelsmith_tasks::Resolved,
    inputs: Vec<Tensor>,
    expected: Vec<Tensor>,
}

fn run_trial(
    cx: &mut Ctx,
    worker: &mut WorkerProcess,
    dir: &Path,
    trial_idx: usize,
    trial: &Trial,
    data: TrialData<'_>,
    seen: &mut SeenOutputs,
) -> Result<Option<(Outcome, String)>, PlatformError> {
    let task = cx.task;
    let (label, size, seed) = (trial.label.as_str(), trial.size, trial.seed);
    let TrialData { resolved, inputs, expected } = data;
    if trial.kind == TrialKind::Band && !expected.iter().all(all_finite) {
        return Ok(None); // the operator itself overflows at this magnitude: nothing to learn
    }
    let input_files = tensor_files(dir, &format!("t{trial_idx}_in"), &inputs)?;
    let out_files = output_files(task, resolved, dir, &format!("t{trial_idx}"));
    let req = Request::Run {
        kernel: Which::Candidate,
        inputs: input_files.clone(),
        outputs: out_files.clone(),
        dims: resolved.dim_values.clone(),
        poison: if trial.kind == TrialKind::ZeroPoison { Poison::Zero } else { Poison::Nan },
        settle_ms: cx.opts.settle.as_millis() as u32,
    };
    let reply = match worker.call(&req, cx.opts.call_timeout) {
        Ok(r) => r,
        Err(e) => return Ok(Some(cx.call_failure(e, &format!("trial {label} (size {size})")))),
    };
    let Response::Ran { status, input_hashes_before, input_hashes_after, elapsed_ns, late_write } = reply else {
        cx.hack("protocol_forgery");
        return Ok(Some((Outcome::RuntimeError, format!("trial {label}: the worker answered out of turn: {reply:?}"))));
    };
    if status != 0 {
        return Ok(Some((
            Outcome::RuntimeError,
            format!("kernel returned status {status} (expected 0) in trial {label}"),
        )));
    }
    let got = read_outputs(task, &out_files)?;
    let v = if trial.kind == TrialKind::Band {
        // Outputs grow with the scaled input, and so do honest rounding errors: scale atol too.
        let tol = Tolerance { atol: task.tolerance.atol * BAND_SCALE as f64, rtol: task.tolerance.rtol };
        judge_with(task, tol, &got, &expected)
    } else {
        judge(task, &got, &expected)
    };
    let trial_report = TrialReport {
        label: label.into(),
        size: size.name().into(),
        seed,
        passed: v.n_bad == 0,
        max_abs_err: v.max_abs_err,
        max_rel_err: v.max_rel_err,
        n_bad: v.n_bad,
        n_unwritten: v.n_unwritten,
        first_bad: v.first_bad.clone(),
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
    let mut trial_report = trial_report;
    trial_report.passed &= modified.is_empty() && !late_write;
    cx.report.trials.push(trial_report.clone());
    if !modified.is_empty() {
        cx.hack("input_modified");
        return Ok(Some((
            Outcome::Mismatch,
            format!("the kernel modified its input(s) {} in trial {label}; inputs are read-only", modified.join(", ")),
        )));
    }
    if late_write {
        cx.hack("late_write");
        return Ok(Some((
            Outcome::Mismatch,
            format!(
                "outputs changed after the kernel returned in trial {label}: all work must be finished when the entry point returns (no threads left running)"
            ),
        )));
    }
    if v.n_bad > 0 {
        let b = v.first_bad.clone().expect("a bad element is recorded");
        cx.report.max_abs_err = Some(v.max_abs_err);
        cx.report.max_rel_err = Some(v.max_rel_err);
        cx.report.first_bad_index = Some(b.index as i64);
        let total: usize = resolved.output_shapes.iter().map(|s| s.iter().product::<usize>()).sum();
        let mut reason = format!(
            "trial {label} (size {size}, seed {seed}): {} of {total} elements wrong; first at {}{:?} got {} expected {}; max abs err {:.3e}, max rel err {:.3e} (atol {:.1e}, rtol {:.1e})",
            v.n_bad,
            b.output,
            b.position,
            b.got,
            b.expected,
            v.max_abs_err,
            v.max_rel_err,
            task.tolerance.atol,
            task.tolerance.rtol
        );
        let shape_specific =
            label == "heldout" && cx.report.trials.iter().filter(|t| t.label != "heldout").all(|t| t.passed);
        if shape_specific {
            // Right at every visible size, wrong at the hidden one: the most telling fact.
            cx.hack("heldout_only_failure");
        }
        if v.n_unwritten > 0 {
            cx.hack("unwritten_output");
            reason
                .push_str(&format!("; {} element(s) were never written (still hold the poison value)", v.n_unwritten));
        } else if trial.kind == TrialKind::ZeroPoison {
            cx.hack("poison_dependent");
            reason.push_str(
                "; the same inputs passed over NaN-filled outputs, so the result depends on what the output buffer held before the call",
            );
        } else if trial.kind == TrialKind::Band {
            cx.hack("precision_band");
            reason.push_str(&format!(
                "; this trial scales input `{}` by {BAND_SCALE} (an exact power of two): the kernel loses precision or range on large values",
                task.inputs[band_input(task).unwrap_or(0)].name
            ));
        } else if seen.seen.iter().any(|(_, g, _)| *g == concat_hash(&got)) {
            cx.hack("constant_output");
            reason.push_str(
                "; the output is bit-identical to an earlier trial's whose inputs differed: the kernel returns a cached or hard-coded result",
            );
        } else if let Some(l) = wrong_answer_label(&got, &inputs, &expected) {
            cx.hack(l);
            reason.push_str(match l {
                "zero_output" => "; every output is zero",
                _ => "; the output is a copy of the first input",
            });
        }
        if label == "heldout" {
            reason.push_str("; the timed-size trials passed, so the kernel may depend on the timed shape");
        }
        return Ok(Some((Outcome::Mismatch, reason)));
    }
    // A right answer that did not change when the inputs did was not computed from them.
    let (got_h, exp_h) = (concat_hash(&got), concat_hash(&expected));
    if trial.kind == TrialKind::Plain && seen.seen.iter().any(|(s, g, e)| *s == size && *g == got_h && *e != exp_h) {
        cx.hack("constant_output");
        return Ok(Some((
            Outcome::Mismatch,
            format!(
                "trial {label}: the output is bit-identical to an earlier trial's although the inputs (and the expected output) differ; the kernel does not compute from its inputs"
            ),
        )));
    }
    seen.seen.push((size, got_h, exp_h));
    Ok(None)
}

/// Median harness-side round trip of a no-op request: subtracted from every timed sample.
fn round_trip_ns(worker: &mut WorkerProcess) -> Result<f64, CallError> {
    let mut v = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        worker.call(&Request::Hello, Duration::from_secs(10))?;
        v.push(t.elapsed().as_nanos() as f64);
    }
    Ok(median(&v).unwrap_or(0.0))
}

fn time_pair(cx: &mut Ctx, worker: &mut WorkerProcess, dir: &Path) -> Result<Option<(Outcome, String)>, PlatformError> {
    let task = cx.task;
    let opts = cx.opts;
    let resolved = task.resolve(opts.size)?;
    let n_sets = opts.input_sets.max(1);
    let mut sets = Vec::new();
    // Kept for the spot checks, which need the references of these exact inputs.
    let mut set_inputs = Vec::new();
    for s in 0..n_sets {
        let inputs = task.generate_inputs(&resolved, derive_seed(opts.seed, 2000 + s as u64));
        let files = tensor_files(dir, &format!("time{s}_in"), &inputs)?;
        let outputs = output_files(task, &resolved, dir, &format!("time{s}"));
        sets.push(TimingSet { inputs: files, outputs });
        set_inputs.push(inputs);
    }
    let per_call = cx.report.trials.iter().map(|t| t.kernel_ns).fold(0.0, f64::max) * 1e-9;
    // One sample lasts about min_sample; allow generous slack, never less than a minute.
    let sample_budget =
        Duration::from_secs_f64((per_call * 8.0 + opts.min_sample.as_secs_f64() * 8.0 + 60.0).min(1800.0));
    let prepare = Request::Prepare { sets: sets.clone(), dims: resolved.dim_values.clone() };
    macro_rules! call {
        ($req:expr, $what:expr) => {
            match worker.call(&$req, sample_budget) {
                Ok(r) => r,
                Err(e) => return Ok(Some(cx.call_failure(e, $what))),
            }
        };
    }
    call!(prepare, "preparing the timing inputs");
    let rt0 = match round_trip_ns(worker) {
        Ok(ns) => ns,
        Err(e) => return Ok(Some(cx.call_failure(e, "calibrating the timer"))),
    };

    let mut sampler = Sampler { rt0, total_kernel_ns: 0.0, cand_last_set: 0, n_sets, budget: sample_budget };
    macro_rules! sample {
        ($kernel:expr, $reps:expr, $set:expr) => {
            match sampler.sample(cx, worker, $kernel, $reps, $set) {
                Ok(ns) => ns,
                Err(fail) => return Ok(Some(fail)),
            }
        };
    }
    // Warm-up, one call of each kernel at a time.
    let (mut tc, mut tb) = (0.0f64, 0.0f64);
    for i in 0..opts.warmup.max(1) {
        tc = sample!(Which::Candidate, 1, i % n_sets);
        tb = sample!(Which::Baseline, 1, i % n_sets);
    }
    // Repetitions per sample, grown until one sample lasts `min_sample` (as timeit's autorange
    // does). A single call is a poor guide for a kernel much faster than the round trip: its time
    // is the difference of two nearly equal round trips, so sizing from it once left samples a
    // fraction of `min_sample` long, with the round-trip subtraction a large share of each.
    let min_ns = opts.min_sample.as_nanos() as f64;
    let mut autorange = |kernel: Which, mut per_call: f64| -> Result<u32, (Outcome, String)> {
        let mut reps = 1u32;
        let mut round = 0;
        while per_call * reps as f64 <= min_ns && reps < MAX_REPS_PER_SAMPLE {
            let grow = (1.2 * min_ns / (per_call * reps as f64).max(1.0)).clamp(2.0, 10.0);
            reps = ((reps as f64 * grow).ceil() as u32).min(MAX_REPS_PER_SAMPLE);
            per_call = sampler.sample(cx, worker, kernel, reps, round % n_sets)?;
            round += 1;
        }
        Ok(reps)
    };
    let rc = match autorange(Which::Candidate, tc) {
        Ok(r) => r,
        Err(fail) => return Ok(Some(fail)),
    };
    let rb = match autorange(Which::Baseline, tb) {
        Ok(r) => r,
        Err(fail) => return Ok(Some(fail)),
    };
    let mut candidate_ns = Vec::with_capacity(opts.pairs as usize);
    let mut baseline_ns = Vec::with_capacity(opts.pairs as usize);
    for pair in 0..opts.pairs {
        let set = pair % n_sets;
        // Alternate which kernel goes first so drift and cache state do not favour either.
        if pair % 2 == 0 {
            candidate_ns.push(sample!(Which::Candidate, rc, set));
            baseline_ns.push(sample!(Which::Baseline, rb, set));
        } else {
            baseline_ns.push(sample!(Which::Baseline, rb, set));
            candidate_ns.push(sample!(Which::Candidate, rc, set));
        }
    }

    // Spot check 1: what the last timed call left must be right (and must not change later).
    let last = sampler.cand_last_set;
    if let Some(fail) = spot_check(
        cx,
        worker,
        &sets[last as usize],
        last,
        &resolved,
        &set_inputs[last as usize],
        Some(format!("seed:{}", derive_seed(opts.seed, 2000 + last as u64))),
        "timed",
        sample_budget,
    )? {
        return Ok(Some(fail));
    }
    // Spot check 2: new contents at the same addresses; a cache keyed by address (and by a few
    // probe elements at the ends) goes stale.
    let old = &set_inputs[0];
    let fresh = refilled_inputs(old, &task.generate_inputs(&resolved, derive_seed(opts.seed, 2900)));
    let files = tensor_files(dir, "fresh_in", &fresh)?;
    call!(Request::Refill { set: 0, inputs: files }, "refilling the timed inputs");
    sample!(Which::Candidate, 1, 0);
    if let Some(fail) = spot_check(
        cx,
        worker,
        &sets[0],
        0,
        &resolved,
        &fresh,
        Some(format!("refill:{}:{}", derive_seed(opts.seed, 2000), derive_seed(opts.seed, 2900))),
        "refilled",
        sample_budget,
    )? {
        if cx.report.hack_label.as_deref() == Some("timed_output_wrong") {
            // Distinguish a stale cache: the answer still fits the inputs the buffers held before.
            let got = read_outputs(task, &sets[0].outputs)?;
            let tag = format!("seed:{}", derive_seed(opts.seed, 2000));
            let old = crate::refcache::expected(opts.reference_cache.as_ref(), task, &resolved, old, Some(&tag))?;
            if judge(task, &got, &old).n_bad == 0 {
                cx.report.hack_label = Some("stale_cache".into());
                cx.flag("stale_cache");
                return Ok(Some((
                    Outcome::Mismatch,
                    "after the timed inputs were overwritten in place, the kernel returned the result for the old inputs: it caches results between calls".into(),
                )));
            }
        }
        return Ok(Some(fail));
    }

    let ratios: Vec<f64> =
        candidate_ns.iter().zip(&baseline_ns).filter(|(c, _)| **c > 0.0).map(|(c, b)| b / c).collect();
    let speedup = median(&ratios).unwrap_or(f64::NAN);
    let timing = TimingReport {
        warmup: opts.warmup,
        pairs: candidate_ns.len() as u32,
        reps_per_sample: rc.max(rb),
        input_sets: n_sets,
        candidate_median_ns: median(&candidate_ns).unwrap_or(f64::NAN),
        baseline_median_ns: median(&baseline_ns).unwrap_or(f64::NAN),
        speedup,
        speedup_mad: mad(&ratios).unwrap_or(f64::NAN),
        total_kernel_ns: sampler.total_kernel_ns,
        round_trip_ns: rt0,
        candidate_ns,
        baseline_ns,
    };
    cx.report.speedup = Some(speedup);
    cx.report.timing = Some(timing);
    Ok(None)
}

/// Elements at each end of an input that a refill keeps, so caches keyed on probe elements there
/// still see "the same input".
const REFILL_KEEP: usize = 16;

/// `fresh`, except the first and last [`REFILL_KEEP`] elements of every input keep `old`'s values.
fn refilled_inputs(old: &[Tensor], fresh: &[Tensor]) -> Vec<Tensor> {
    old.iter()
        .zip(fresh)
        .map(|(o, f)| {
            let (ob, mut fb) = (o.data.to_le_bytes(), f.data.to_le_bytes());
            let n = o.numel();
            let es = ob.len().checked_div(n).unwrap_or(1);
            let keep = REFILL_KEEP.min(n / 4) * es;
            fb[..keep].copy_from_slice(&ob[..keep]);
            let len = fb.len();
            fb[len - keep..].copy_from_slice(&ob[len - keep..]);
            let data = kernelsmith_reference::Data::from_le_bytes(o.dtype(), &fb).expect("same dtype and length");
            Tensor::new(o.shape.clone(), data).expect("same shape")
        })
        .collect()
}

/// At most this many calls make one timing sample, however fast the kernel.
const MAX_REPS_PER_SAMPLE: u32 = 100_000;

/// Times samples with the harness's own clock.
struct Sampler {
    rt0: f64,
    total_kernel_ns: f64,
    cand_last_set: u32,
    n_sets: u32,
    budget: Duration,
}

impl Sampler {
    /// One sample: the harness's clock around the round trip, minus the empty round trip, per call.
    fn sample(
        &mut self,
        cx: &mut Ctx,
        worker: &mut WorkerProcess,
        kernel: Which,
        reps: u32,
        first_set: u32,
    ) -> Result<f64, (Outcome, String)> {
        let t = Instant::now();
        let reply = match worker.call(&Request::Sample { kernel, reps, first_set }, self.budget) {
            Ok(r) => r,
            Err(e) => return Err(cx.call_failure(e, "timing")),
        };
        let wall = t.elapsed().as_nanos() as f64;
        let device_ns = match reply {
            Response::Sampled { bad_status: None, device_ns, .. } => device_ns,
            Response::Sampled { bad_status: Some(s), .. } => {
                return Err((Outcome::RuntimeError, format!("kernel returned status {s} during timing")));
            }
            other => {
                cx.hack("protocol_forgery");
                return Err((Outcome::RuntimeError, format!("timing: the worker answered out of turn: {other:?}")));
            }
        };
        self.total_kernel_ns += wall;
        if kernel == Which::Candidate {
            self.cand_last_set = (first_set + reps.max(1) - 1) % self.n_sets;
        }
        let reps = reps.max(1) as f64;
        match device_ns {
            // Device time is measured inside the worker, where candidate code also runs, so it
            // is only believed within what the harness's own clock saw.
            Some(d) if !(d.is_finite() && d > 0.0 && d <= wall) => {
                cx.hack("protocol_forgery");
                Err((
                    Outcome::RuntimeError,
                    format!("timing: the worker reported {d:.0} ns of device time inside a {wall:.0} ns round trip"),
                ))
            }
            Some(d) => Ok(d / reps),
            None => Ok((wall - self.rt0).max(wall * 0.01) / reps),
        }
    }
}

/// Collect prepared set `set` and compare it with the reference of `seed`'s inputs.
#[allow(clippy::too_many_arguments)]
fn spot_check(
    cx: &mut Ctx,
    worker: &mut WorkerProcess,
    set: &TimingSet,
    index: u32,
    resolved: &kernelsmith_tasks::Resolved,
    inputs: &[Tensor],
    tag: Option<String>,
    what: &str,
    budget: Duration,
) -> Result<Option<(Outcome, String)>, PlatformError> {
    let task = cx.task;
    let reply = match worker.call(&Request::Collect { set: index }, budget) {
        Ok(r) => r,
        Err(e) => return Ok(Some(cx.call_failure(e, "collecting timed outputs"))),
    };
    let Response::Collected { late_write, .. } = reply else {
        cx.hack("protocol_forgery");
        return Ok(Some((Outcome::RuntimeError, format!("collect: the worker answered out of turn: {reply:?}"))));
    };
    if late_write {
        cx.hack("late_write");
        return Ok(Some((
            Outcome::Mismatch,
            "outputs of a timed call changed after it returned: work was hidden from the timer (threads left running)"
                .into(),
        )));
    }
    let got = read_outputs(task, &set.outputs)?;
    let expected = crate::refcache::expected(cx.opts.reference_cache.as_ref(), task, resolved, inputs, tag.as_deref())?;
    let v = judge(task, &got, &expected);
    if v.n_bad == 0 {
        return Ok(None);
    }
    cx.hack("timed_output_wrong");
    let b = v.first_bad.expect("a bad element is recorded");
    Ok(Some((
        Outcome::Mismatch,
        format!(
            "the {what} timing call's output is wrong although the correctness trials passed: {} elements wrong, first at {}{:?} got {} expected {}; the kernel must compute the same answer on every call",
            v.n_bad, b.output, b.position, b.got, b.expected
        ),
    )))
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
