//! kernelsmith-platform-xla: JAX + Pallas candidates, evaluated for real wherever JAX runs.
//!
//! A candidate is a Python module defining `kernel(<inputs>, *, <dims>)` that does its work in
//! `pl.pallas_call`. Everything that runs candidate code is the Python worker
//! `worker/kernelsmith_xla_worker.py`, embedded in this crate (so an installed `kernelsmith`
//! works anywhere) and written to the compile cache before use; it runs under the project's venv
//! Python inside the same sandbox as every worker ([`kernelsmith_platform::worker`]).
//!
//! * **Compile** ([`check`]) = a sandboxed check process: the static rules (Python `ast`: an
//!   import allow-list, no host callbacks, no monkeypatching, `pallas_call` and `kernel` present),
//!   then import, trace with `ShapeDtypeStruct`s at every size preset, output dtype/shape check,
//!   the jaxpr rule (heavy work outside `pallas_call` is `work_outside_pallas`) and, with
//!   `--tpu-check`, a TPU lowering through `jax.export`. Verdicts are cached by content hash.
//! * **Execution**: on the CPU backend every `pallas_call` runs in Pallas interpret mode, and the
//!   timing method says so ([`TIMING_INTERPRET`]), so leaderboards never mix interpret-mode and
//!   device timings; on GPU and TPU kernels are compiled normally.
//! * **Setup** ([`setup`]): `kernelsmith platforms setup xla` creates the project venv with the
//!   pinned JAX ([`JAX_VERSION`]).
#![warn(missing_docs)]

pub mod check;
pub mod setup;
mod signature;

pub use check::{CheckOutcome, Role};
pub use signature::python_abi;

use kernelsmith_platform::worker::Limits;
use kernelsmith_platform::{Artifact, CompileFailure, Language, Platform, PlatformError, Probe, Violation};
use kernelsmith_tasks::Task;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The worker, embedded so an installed binary needs no source tree.
pub const WORKER_SCRIPT: &str = include_str!("../worker/kernelsmith_xla_worker.py");

/// The JAX release kernelsmith pins and tests (`kernelsmith platforms setup xla` installs it).
pub const JAX_VERSION: &str = "0.10.2";

/// The TPU generation the TPU compile check lowers for (a `ChipVersion` of Pallas's `tpu_info`).
pub const TPU_CHECK_CHIP: &str = "v5e";

/// Timing method on the CPU backend: Pallas interpret mode, not a device timing. Leaderboards keep
/// results whose timing method contains `interpret` apart from device timings.
pub const TIMING_INTERPRET: &str = "pallas-interpret (CPU; not a device timing)";
/// Timing method on a GPU backend.
pub const TIMING_GPU: &str = "jax-device (gpu, block_until_ready)";
/// Timing method on a TPU backend.
pub const TIMING_TPU: &str = "jax-device (tpu, block_until_ready)";
/// Timing method when JAX could not be started (nothing is timed then).
pub const TIMING_UNKNOWN: &str = "jax-device (backend unknown: JAX not available)";

/// How the xla platform finds Python and where it keeps things.
#[derive(Clone, Debug)]
pub struct XlaConfig {
    /// The Python interpreter of the venv that has JAX (`None`: none was found).
    pub python: Option<PathBuf>,
    /// Where Python was looked for, in order (for messages).
    pub searched: Vec<PathBuf>,
    /// Root of the compile cache (the worker script and check verdicts live in `<root>/xla`).
    pub cache_dir: PathBuf,
    /// Also lower every candidate for TPU with `jax.export` (`--tpu-check`).
    pub tpu_check: bool,
    /// Longest the compile step (import + traces + TPU lowering) may take.
    pub check_timeout: Duration,
}

impl XlaConfig {
    /// A configuration with Python found by [`XlaConfig::locate_python`].
    pub fn new(explicit_python: Option<&Path>, cwd: &Path, cache_dir: PathBuf, tpu_check: bool) -> XlaConfig {
        let (python, searched) = Self::locate_python(explicit_python, cwd);
        XlaConfig { python, searched, cache_dir, tpu_check, check_timeout: Duration::from_secs(180) }
    }

    /// Where Python comes from, in order: the explicit choice (`--python` / `KERNELSMITH_PYTHON`,
    /// used even if it does not exist, so a typo is reported rather than silently replaced), then
    /// `./.venv/bin/python` under `cwd`, then the venv of the source tree this binary was built
    /// from. Returns the first that exists and every place looked at.
    pub fn locate_python(explicit: Option<&Path>, cwd: &Path) -> (Option<PathBuf>, Vec<PathBuf>) {
        if let Some(p) = explicit {
            return (Some(p.to_path_buf()), vec![p.to_path_buf()]);
        }
        let mut searched = vec![cwd.join(".venv/bin/python"), repo_root().join(".venv/bin/python")];
        searched.dedup();
        let found = searched.iter().find(|p| p.is_file()).cloned();
        (found, searched)
    }
}

/// The source tree this crate was built from (its project venv is a fallback Python).
pub fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// What the worker's `--probe` reports about the Python environment.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct PythonProbe {
    /// Python version.
    #[serde(default)]
    pub python: String,
    /// `sys.executable`.
    #[serde(default)]
    pub executable: String,
    /// JAX version (`None`: not installed).
    #[serde(default)]
    pub jax: Option<String>,
    /// jaxlib version.
    #[serde(default)]
    pub jaxlib: Option<String>,
    /// numpy version.
    #[serde(default)]
    pub numpy: Option<String>,
    /// ml_dtypes version.
    #[serde(default)]
    pub ml_dtypes: Option<String>,
    /// `jax.default_backend()`: `cpu`, `gpu` or `tpu`.
    #[serde(default)]
    pub backend: Option<String>,
    /// `jax.devices()`.
    #[serde(default)]
    pub devices: Vec<String>,
    /// The first device's kind (`cpu`, `NVIDIA H100 80GB HBM3`, `TPU v5 lite`).
    #[serde(default)]
    pub device_kind: String,
    /// Why JAX could not be started, when it could not.
    #[serde(default)]
    pub error: Option<String>,
}

/// Run the embedded worker's `--probe` with `python` (no candidate code runs, so no sandbox).
pub fn probe_python(python: &Path, script: &Path, timeout: Duration) -> Result<PythonProbe, String> {
    let mut cmd = Command::new(python);
    cmd.args(["-I", "-B"]).arg(script).arg("--probe");
    cmd.env("PYTHONDONTWRITEBYTECODE", "1").stdin(Stdio::null());
    let (ok, stdout, stderr) =
        run_captured(cmd, timeout).map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    let line = stdout.lines().rev().find(|l| l.trim_start().starts_with('{')).unwrap_or("");
    match serde_json::from_str::<PythonProbe>(line) {
        Ok(p) => Ok(p),
        Err(_) if !ok => Err(format!("{} failed: {}", python.display(), stderr.trim())),
        Err(e) => Err(format!("unreadable probe output from {} ({e}): {}", python.display(), stdout.trim())),
    }
}

/// Run a command with captured output and a deadline: (success, stdout, stderr).
pub(crate) fn run_captured(mut cmd: Command, timeout: Duration) -> std::io::Result<(bool, String, String)> {
    let dir = tempfile::tempdir()?;
    let (out_path, err_path) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let mut child = cmd.stdout(std::fs::File::create(&out_path)?).stderr(std::fs::File::create(&err_path)?).spawn()?;
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break Some(s);
        }
        if t0.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let mut err = read(&err_path);
    if status.is_none() {
        err.push_str(&format!("\n(stopped after {} s)", timeout.as_secs()));
    }
    Ok((status.is_some_and(|s| s.success()), read(&out_path), err))
}

/// What the platform learned about this machine, once.
#[derive(Debug)]
struct Runtime {
    /// The worker script written to the cache.
    script: Result<PathBuf, String>,
    /// The probe of the configured Python.
    probe: Result<PythonProbe, String>,
}

/// The xla platform.
#[derive(Debug)]
pub struct XlaPlatform {
    config: XlaConfig,
    runtime: OnceLock<Runtime>,
    checks: check::Checks,
}

impl XlaPlatform {
    /// An xla platform with `config`. Python is started lazily, on the first question that needs
    /// it (the probe takes about a second: it imports JAX).
    pub fn new(config: XlaConfig) -> XlaPlatform {
        XlaPlatform { config, runtime: OnceLock::new(), checks: check::Checks::default() }
    }

    /// The configuration.
    pub fn config(&self) -> &XlaConfig {
        &self.config
    }

    fn runtime(&self) -> &Runtime {
        self.runtime.get_or_init(|| {
            let script = write_worker_script(&self.config.cache_dir);
            let probe = match (&self.config.python, &script) {
                (None, _) => Err(format!(
                    "no Python for the xla platform (looked for {}); run `kernelsmith platforms setup xla` to create ./.venv with JAX {JAX_VERSION} for this machine, or pass --python / set KERNELSMITH_PYTHON",
                    self.config.searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
                )),
                (Some(_), Err(e)) => Err(e.clone()),
                (Some(py), Ok(s)) => {
                    let fix = format!(
                        "run `kernelsmith platforms setup xla` (installs JAX {JAX_VERSION} for this machine into ./.venv) or point --python / KERNELSMITH_PYTHON at a venv with JAX"
                    );
                    probe_python(py, s, Duration::from_secs(120))
                        .map_err(|e| format!("{e}; {fix}"))
                        .and_then(|p| match &p.error {
                            Some(e) => Err(format!("{} cannot start JAX ({e}); {fix}", py.display())),
                            None => Ok(p),
                        })
                }
            };
            Runtime { script, probe }
        })
    }

    /// The probe of the configured Python, or why JAX is unavailable (names the fix).
    pub fn python_probe(&self) -> Result<&PythonProbe, &str> {
        self.runtime().probe.as_ref().map_err(String::as_str)
    }

    /// The JAX backend the worker runs on (`cpu`, `gpu`, `tpu`), when JAX works.
    pub fn backend(&self) -> Option<&str> {
        self.python_probe().ok().and_then(|p| p.backend.as_deref())
    }

    /// Whether kernels run in Pallas interpret mode here (the CPU backend).
    pub fn interpret_mode(&self) -> bool {
        self.backend() == Some("cpu")
    }

    /// Whose source this is. The task's own `baseline.py` is plain jax.numpy on purpose and
    /// reaches `static_check` and `compile` through `evaluate` like any source (`tasks check`
    /// evaluates baselines, and timing compiles the baseline): recognised by its exact text, it
    /// is checked without the candidate rules. A candidate that is byte-for-byte the task's
    /// baseline (which prompts never show) would therefore be accepted; its speedup is 1.
    pub fn role_of(&self, task: &Task, source: &str) -> Role {
        if task.baseline(self.language().baseline_file) == Some(source) { Role::Baseline } else { Role::Candidate }
    }

    pub(crate) fn ready(&self) -> Result<(&Path, &Path, &PythonProbe), PlatformError> {
        let rt = self.runtime();
        let unavailable = |reason: &str| PlatformError::Unavailable { platform: "xla".into(), reason: reason.into() };
        let script = rt.script.as_ref().map_err(|e| unavailable(e))?;
        let probe = rt.probe.as_ref().map_err(|e| unavailable(e))?;
        let python = self.config.python.as_deref().ok_or_else(|| unavailable("no Python configured"))?;
        Ok((python, script, probe))
    }

    fn python_command(&self, mode: &str) -> Command {
        let python = self.config.python.clone().unwrap_or_else(|| PathBuf::from("python3"));
        let script = self.runtime().script.clone().unwrap_or_else(|_| self.config.cache_dir.join("xla/missing.py"));
        let mut c = Command::new(python);
        c.args(["-I", "-B"]).arg(script).arg(mode);
        // Set on the command, so they survive the worker's environment allow-list.
        c.env("PYTHONDONTWRITEBYTECODE", "1")
            .env("JAX_ENABLE_COMPILATION_CACHE", "false")
            .env("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
            .env("TF_CPP_MIN_LOG_LEVEL", "1");
        c
    }
}

/// Write the embedded worker to `<cache>/xla/worker-<hash>.py` (once per version, atomically).
fn write_worker_script(cache_dir: &Path) -> Result<PathBuf, String> {
    let dir = cache_dir.join("xla");
    let hash = kernelsmith_platform::content_hash(&[WORKER_SCRIPT.as_bytes()]);
    let path = dir.join(format!("kernelsmith_xla_worker-{}.py", &hash[..16]));
    if std::fs::read_to_string(&path).is_ok_and(|s| s == WORKER_SCRIPT) {
        return Ok(path);
    }
    let fail = |e: std::io::Error| {
        format!(
            "cannot write the xla worker script into the compile cache {} ({e}); set --cache-dir or KERNELSMITH_CACHE",
            dir.display()
        )
    };
    std::fs::create_dir_all(&dir).map_err(fail)?;
    let tmp = dir.join(format!(".worker-{}-{}.py", std::process::id(), &hash[..8]));
    std::fs::write(&tmp, WORKER_SCRIPT).map_err(fail)?;
    std::fs::rename(&tmp, &path).map_err(fail)?;
    Ok(path)
}

impl Platform for XlaPlatform {
    fn name(&self) -> &'static str {
        "xla"
    }

    fn probe(&self) -> Probe {
        let mut notes = Vec::new();
        let (ok, device, toolchain) = match self.python_probe() {
            Err(why) => {
                notes.push(why.to_string());
                (false, "-".to_string(), "none".to_string())
            }
            Ok(p) => {
                let backend = p.backend.clone().unwrap_or_default();
                let jax = p.jax.clone().unwrap_or_default();
                if jax != JAX_VERSION {
                    notes.push(format!(
                        "JAX {jax} found; kernelsmith pins and tests {JAX_VERSION} (`kernelsmith platforms setup xla` installs it)"
                    ));
                }
                if backend == "cpu" {
                    notes.push(format!(
                        "backend cpu: Pallas kernels run in interpret mode; timings are recorded as `{TIMING_INTERPRET}` and never mixed with device timings"
                    ));
                }
                notes.push(if self.config.tpu_check {
                    format!(
                        "TPU compile check on: every candidate is also lowered for TPU {TPU_CHECK_CHIP} with jax.export"
                    )
                } else {
                    "TPU compile check off (add --tpu-check to lower every candidate for TPU with jax.export)"
                        .to_string()
                });
                notes.push(format!("python: {}", p.executable));
                notes.push(format!("compile cache: {}", self.config.cache_dir.join("xla").display()));
                let device = if backend == "cpu" {
                    "cpu (Pallas interpret mode)".to_string()
                } else {
                    format!("{backend}: {} x {}", p.devices.len(), p.device_kind)
                };
                (
                    true,
                    device,
                    format!(
                        "JAX {jax} (jaxlib {}, Python {})",
                        p.jaxlib.clone().unwrap_or_else(|| "?".into()),
                        p.python
                    ),
                )
            }
        };
        Probe {
            platform: "xla".into(),
            can_compile: ok,
            can_execute: ok,
            device,
            toolchain,
            notes,
            sandbox: Vec::new(),
            peak: None,
        }
    }

    fn language(&self) -> Language {
        Language {
            display: "Python (JAX + Pallas)",
            fence_tags: &["python", "py"],
            baseline_file: "baseline.py",
            exemplar_file: "pallas.py",
            returns_outputs: true,
        }
    }

    fn abi(&self, task: &Task) -> String {
        python_abi(task)
    }

    fn static_check(&self, task: &Task, source: &str) -> Vec<Violation> {
        // The rules need Python's own parser and the jaxpr needs an import, so the whole compile
        // step runs here (sandboxed) and its verdict is cached for `compile`. A harness fault
        // (no Python) surfaces from `compile`, which asks again.
        match self.checks.run(self, task, source, self.role_of(task, source)) {
            Ok(o) => o.violations(),
            Err(_) => Vec::new(),
        }
    }

    fn compile(&self, task: &Task, source: &str) -> Result<Result<Artifact, CompileFailure>, PlatformError> {
        let o = self.checks.run(self, task, source, self.role_of(task, source))?;
        Ok(o.into_compile_result())
    }

    fn worker_command(&self) -> Command {
        self.python_command("--serve")
    }

    fn toolchain(&self) -> (String, String) {
        match self.python_probe() {
            Ok(p) => (
                format!(
                    "JAX {} (jaxlib {}, Python {})",
                    p.jax.clone().unwrap_or_default(),
                    p.jaxlib.clone().unwrap_or_default(),
                    p.python
                ),
                format!(
                    "backend {}{}{}",
                    p.backend.clone().unwrap_or_default(),
                    if self.interpret_mode() { ", Pallas interpret mode" } else { "" },
                    if self.config.tpu_check {
                        format!(", TPU compile check ({TPU_CHECK_CHIP})")
                    } else {
                        String::new()
                    }
                ),
            ),
            Err(_) => ("JAX unavailable".into(), String::new()),
        }
    }

    fn worker_limits(&self) -> Limits {
        // XLA's runtimes (the TPU and GPU clients especially) reserve address space far beyond
        // what they touch, so RLIMIT_AS is lifted; the other limits, the network namespace and
        // Landlock stay. (The check process keeps the default limit: it only traces, on the CPU.)
        Limits { address_space_bytes: 0, ..Limits::default() }
    }

    fn default_size(&self) -> Option<kernelsmith_tasks::SizeName> {
        // Interpret mode is 10-100x slower than a device and times out at the gpu sizes.
        match self.backend() {
            Some("cpu") | None => Some(kernelsmith_tasks::SizeName::Cpu),
            Some(_) => Some(kernelsmith_tasks::SizeName::Gpu),
        }
    }

    fn timing_method(&self) -> &'static str {
        match self.backend() {
            Some("cpu") => TIMING_INTERPRET,
            Some("tpu") => TIMING_TPU,
            Some(_) => TIMING_GPU,
            None => TIMING_UNKNOWN,
        }
    }
}

/// The check process: the worker in `--check` mode on the CPU backend (it only traces and
/// lowers, so it never competes with the eval worker for a GPU or TPU).
pub(crate) fn check_command(p: &XlaPlatform) -> Command {
    let mut c = p.python_command("--check");
    c.env("JAX_PLATFORMS", "cpu");
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_is_the_explicit_choice_then_the_working_directory_venv_then_the_source_tree_venv() {
        let dir = tempfile::tempdir().unwrap();
        let explicit = dir.path().join("nowhere/python");
        // An explicit choice is kept even when missing, so a typo is reported, not replaced.
        assert_eq!(XlaConfig::locate_python(Some(&explicit), dir.path()).0, Some(explicit));
        let (found, searched) = XlaConfig::locate_python(None, dir.path());
        assert_eq!(searched[0], dir.path().join(".venv/bin/python"));
        assert_eq!(searched.last().unwrap(), &repo_root().join(".venv/bin/python"));
        assert_eq!(found.is_some(), repo_root().join(".venv/bin/python").is_file());
        std::fs::create_dir_all(dir.path().join(".venv/bin")).unwrap();
        std::fs::write(dir.path().join(".venv/bin/python"), "").unwrap();
        assert_eq!(XlaConfig::locate_python(None, dir.path()).0, Some(dir.path().join(".venv/bin/python")));
    }

    #[test]
    fn only_interpret_mode_timings_say_interpret() {
        assert!(TIMING_INTERPRET.contains("interpret"));
        for device in [TIMING_GPU, TIMING_TPU, TIMING_UNKNOWN] {
            assert!(!device.contains("interpret"), "{device}");
        }
    }

    #[test]
    fn a_platform_without_python_cannot_execute_and_names_the_setup_command() {
        let dir = tempfile::tempdir().unwrap();
        let config = XlaConfig {
            python: None,
            searched: vec![dir.path().join(".venv/bin/python")],
            cache_dir: dir.path().join("cache"),
            tpu_check: false,
            check_timeout: Duration::from_secs(10),
        };
        let p = XlaPlatform::new(config);
        let probe = p.probe();
        assert!(!probe.can_compile && !probe.can_execute);
        assert!(probe.notes[0].contains("kernelsmith platforms setup xla"), "{:?}", probe.notes);
        assert_eq!(p.timing_method(), TIMING_UNKNOWN);
        let t = kernelsmith_tasks::Registry::embedded().unwrap().get("relu").unwrap().clone();
        assert!(matches!(p.compile(&t, "def kernel(x, *, N): return x"), Err(PlatformError::Unavailable { .. })));
        // The worker script is still written, for whoever fixes the venv.
        assert!(std::fs::read_dir(dir.path().join("cache/xla")).unwrap().count() == 1);
    }
}
