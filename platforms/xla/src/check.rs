//! The compile step of the xla platform: a sandboxed check process, cached by content hash.
//!
//! Python has no separate compiler, so "compiling" a candidate means proving, without running it
//! on data, that it can be called: the worker in `--check` mode applies the static rules (before
//! any candidate code runs), imports the module, traces `kernel` with `ShapeDtypeStruct`s at
//! every size preset (candidates; the `gpu` size for baselines), checks output dtypes and shapes,
//! applies the jaxpr rule and, with `--tpu-check`, lowers the kernel for TPU with `jax.export`.
//! Tracing at every preset means a kernel that only uses Pallas at the sizes it expects to be
//! checked at is caught with a label; the eval worker re-checks each shape it compiles.
//!
//! The check process is started through [`WorkerProcess::spawn`], so it gets the same sandbox as
//! the eval worker; it answers `hello`, then one `load` whose `candidate` names the check spec.
//! A verdict the candidate caused (violations, a traceback) is data and is cached on disk beside
//! the artifact (`<cache>/xla/<key>/{kernel.py, signature.json, verdict.json}`); a check that
//! timed out or died is remembered for this process only (it may have been the machine's fault).

use crate::signature::{signature_json, sizes_json};
use crate::{TPU_CHECK_CHIP, WORKER_SCRIPT, XlaPlatform, check_command};
use kernelsmith_platform::protocol::Request;
use kernelsmith_platform::worker::{CallError, Limits, WorkerProcess};
use kernelsmith_platform::{Artifact, CompileFailure, PlatformError, Violation, content_hash};
use kernelsmith_tasks::{SizeName, Task};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Whose source is being checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A model's kernel: every rule applies.
    Candidate,
    /// The task's own `baseline.py` (plain jax.numpy on purpose): import, trace and shapes only.
    Baseline,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Candidate => "candidate",
            Role::Baseline => "baseline",
        }
    }
}

/// Every label the worker's rules can produce (the stable `hack_label`s of this platform).
pub const LABELS: &[&str] = &[
    "missing_entry",
    "no_pallas_call",
    "work_outside_pallas",
    "forbidden_process",
    "forbidden_network",
    "forbidden_dynamic_loading",
    "forbidden_thread",
    "forbidden_file_io",
    "forbidden_introspection",
    "forbidden_timer",
    "forbidden_host_callback",
    "forbidden_monkeypatch",
    "forbidden_import",
];

/// One rule the source broke, as the worker reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable label.
    pub label: String,
    /// What was found and why it is not allowed.
    pub message: String,
}

/// The check process's verdict (`verdict.json`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Verdict {
    /// Whether the source imports, traces and has the right outputs.
    pub ok: bool,
    /// Rules broken (the static rules, or the jaxpr rule).
    #[serde(default)]
    pub violations: Vec<Finding>,
    /// The failure log (a traceback, an output mismatch, a TPU lowering error).
    #[serde(default)]
    pub log: String,
    /// Sizes traced, with milliseconds each.
    #[serde(default)]
    pub traced: Vec<serde_json::Value>,
    /// Whether the TPU lowering ran and succeeded.
    #[serde(default)]
    pub tpu_checked: bool,
}

/// A verdict plus where its artifact lives.
#[derive(Clone, Debug)]
pub struct CheckOutcome {
    /// What the check process found.
    pub verdict: Verdict,
    /// The published folder holding `kernel.py` and `signature.json` (absent for checks that
    /// timed out or died).
    pub dir: Option<PathBuf>,
    /// Time the check took (0 when it came from the disk cache).
    pub ms: f64,
    /// Whether it came from the disk cache.
    pub cached: bool,
}

impl CheckOutcome {
    /// The findings as violations with static labels.
    pub fn violations(&self) -> Vec<Violation> {
        self.verdict
            .violations
            .iter()
            .map(|f| Violation {
                label: LABELS.iter().find(|l| **l == f.label).copied().unwrap_or("static_violation"),
                message: f.message.clone(),
            })
            .collect()
    }

    /// What `Platform::compile` returns for this verdict.
    pub fn into_compile_result(self) -> Result<Artifact, CompileFailure> {
        let compile_ms = if self.cached { 0.0 } else { self.ms };
        if !self.verdict.violations.is_empty() {
            let log = self.verdict.violations.iter().map(|f| format!("{}: {}", f.label, f.message)).collect::<Vec<_>>();
            return Err(CompileFailure { log: log.join("\n"), compile_ms });
        }
        match (self.verdict.ok, self.dir) {
            (true, Some(dir)) => Ok(Artifact { path: dir.join("kernel.py"), cached: self.cached, compile_ms }),
            _ => Err(CompileFailure { log: self.verdict.log, compile_ms }),
        }
    }
}

/// Verdicts of this process, so `static_check` and `compile` share one check.
#[derive(Debug, Default)]
pub(crate) struct Checks {
    memory: Mutex<HashMap<String, CheckOutcome>>,
}

static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Checks {
    /// The verdict on `source` for `task` in `role` (cached in memory, then on disk).
    pub(crate) fn run(
        &self,
        p: &XlaPlatform,
        task: &Task,
        source: &str,
        role: Role,
    ) -> Result<CheckOutcome, PlatformError> {
        let (python, _, probe) = p.ready()?;
        let sizes: &[SizeName] = match role {
            Role::Candidate => &[SizeName::Tiny, SizeName::Cpu, SizeName::Gpu, SizeName::Heldout],
            Role::Baseline => &[SizeName::Gpu],
        };
        let sizes = sizes_json(task, sizes)?;
        let signature = signature_json(task);
        let tpu = role == Role::Candidate && p.config().tpu_check;
        let key = content_hash(&[
            b"xla-check-1",
            WORKER_SCRIPT.as_bytes(),
            source.as_bytes(),
            signature.to_string().as_bytes(),
            sizes.to_string().as_bytes(),
            role.name().as_bytes(),
            if tpu { TPU_CHECK_CHIP.as_bytes() } else { b"-" },
            probe.jax.as_deref().unwrap_or("").as_bytes(),
            probe.jaxlib.as_deref().unwrap_or("").as_bytes(),
            python.as_os_str().as_encoded_bytes(),
        ]);
        if let Some(o) = self.memory.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(o.clone());
        }
        let root = p.config().cache_dir.join("xla");
        let dir = root.join(&key);
        let cached = std::fs::read_to_string(dir.join("verdict.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<Verdict>(&t).ok())
            .filter(|_| dir.join("kernel.py").is_file());
        let outcome = match cached {
            Some(verdict) => CheckOutcome { verdict, dir: Some(dir), ms: 0.0, cached: true },
            None => self.check_now(p, &root, &key, source, &signature, sizes, role, tpu)?,
        };
        self.memory.lock().unwrap_or_else(|e| e.into_inner()).insert(key, outcome.clone());
        Ok(outcome)
    }

    #[allow(clippy::too_many_arguments)]
    fn check_now(
        &self,
        p: &XlaPlatform,
        root: &Path,
        key: &str,
        source: &str,
        signature: &serde_json::Value,
        sizes: serde_json::Value,
        role: Role,
        tpu: bool,
    ) -> Result<CheckOutcome, PlatformError> {
        let io = |what: &str, path: &Path, e| PlatformError::io(format!("cannot {what} {}", path.display()), e);
        let n = BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let build = root.join(format!(".build-{key}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&build);
        std::fs::create_dir_all(&build).map_err(|e| {
            PlatformError::io(format!("cannot create {} (set --cache-dir or KERNELSMITH_CACHE)", build.display()), e)
        })?;
        let kernel = build.join("kernel.py");
        std::fs::write(&kernel, source).map_err(|e| io("write", &kernel, e))?;
        // The eval worker re-applies the jaxpr rule to every shape it compiles, for candidates.
        let mut signature_file = signature.clone();
        signature_file["role"] = json!(role.name());
        let sig_path = build.join("signature.json");
        std::fs::write(&sig_path, signature_file.to_string()).map_err(|e| io("write", &sig_path, e))?;

        let private = tempfile::Builder::new()
            .prefix("kernelsmith-xla-check-")
            .tempdir()
            .map_err(|e| PlatformError::io("cannot create the check process's temporary directory", e))?;
        let result = private.path().join("verdict.json");
        let spec = json!({
            "source": kernel,
            "role": role.name(),
            "dims": signature["dims"],
            "sizes": sizes,
            "tpu_check": tpu,
            "tpu_chip": TPU_CHECK_CHIP,
            "tpu_size": "gpu",
            "result": result,
        });
        let spec_path = build.join("check-spec.json");
        std::fs::write(&spec_path, spec.to_string()).map_err(|e| io("write", &spec_path, e))?;

        let t0 = Instant::now();
        let mut worker = WorkerProcess::spawn(check_command(p), private.path(), Limits::default())?;
        if let Err(e) = worker.call(&Request::Hello, Duration::from_secs(120)) {
            let log = worker.finish();
            let _ = std::fs::remove_dir_all(&build);
            return Err(PlatformError::Unavailable {
                platform: "xla".into(),
                reason: format!("the check process did not start ({e:?}); its output:\n{}", log.trim()),
            });
        }
        let timeout = p.config().check_timeout;
        let reply = worker.call(&Request::Load { candidate: spec_path.clone(), baseline: None }, timeout);
        let log = worker.finish();
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        let fail = |log: String| Verdict { ok: false, log, ..Verdict::default() };
        let (verdict, keep) = match reply {
            Ok(_) => match std::fs::read_to_string(&result).map(|t| serde_json::from_str::<Verdict>(&t)) {
                Ok(Ok(v)) => (v, true),
                _ => (fail(format!("the check process wrote no verdict; its output:\n{}", log.trim())), false),
            },
            Err(CallError::Timeout(d)) => (
                fail(format!(
                    "the compile step (import and trace of `kernel`{}) did not finish within {:.0} s: tracing must not loop or wait\n{}",
                    if tpu { ", TPU lowering" } else { "" },
                    d.as_secs_f64(),
                    log.trim()
                )),
                false,
            ),
            Err(CallError::Died { description, .. }) => (
                fail(format!(
                    "the check process died while importing or tracing kernel.py ({description})\n{}",
                    log.trim()
                )),
                false,
            ),
            Err(CallError::Worker(m)) => (fail(m), false),
            Err(CallError::Forged(m)) => {
                (fail(format!("kernel.py wrote onto the worker's protocol channel: {m}")), false)
            }
        };
        if !keep {
            let _ = std::fs::remove_dir_all(&build);
            return Ok(CheckOutcome { verdict, dir: None, ms, cached: false });
        }
        let _ = std::fs::remove_file(&spec_path);
        let vpath = build.join("verdict.json");
        std::fs::write(&vpath, serde_json::to_string(&verdict).expect("verdicts serialize"))
            .map_err(|e| io("write", &vpath, e))?;
        // Publish atomically; an identical concurrent check may have won the race, which is fine.
        let dir = root.join(key);
        if std::fs::rename(&build, &dir).is_err() {
            let _ = std::fs::remove_dir_all(&build);
        }
        Ok(CheckOutcome { verdict, dir: Some(dir), ms, cached: false })
    }
}
