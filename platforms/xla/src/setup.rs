//! `kernelsmith platforms setup xla`: the project-local venv with the pinned JAX.
//!
//! Idempotent: a venv whose JAX, jaxlib, numpy and ml_dtypes already satisfy [`REQUIREMENTS`] is
//! left alone. Installing needs network access to PyPI (or a mirror configured for pip); without
//! it pip's failure is reported with that explanation and nothing else is changed.

use crate::{JAX_VERSION, PythonProbe, WORKER_SCRIPT, probe_python, run_captured};
use kernelsmith_platform::PlatformError;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// What `setup` installs (CPU wheels; on GPU/TPU machines install the matching `jax[cuda13]` or
/// `jax[tpu]` of the same version into the venv instead).
pub const REQUIREMENTS: &[&str] = &["jax[cpu]==0.10.2", "numpy>=1.26,<3", "ml_dtypes>=0.5"];

/// What a finished setup left behind.
#[derive(Clone, Debug)]
pub struct SetupReport {
    /// The venv's Python.
    pub python: PathBuf,
    /// Whether anything was created or installed.
    pub changed: bool,
    /// The JAX environment found afterwards.
    pub probe: PythonProbe,
}

fn unavailable(reason: String) -> PlatformError {
    PlatformError::Unavailable { platform: "xla".into(), reason }
}

/// Make `venv` a venv with [`REQUIREMENTS`], creating it with `base_python` if missing. `say` is
/// told each step; pip's own progress goes to the terminal (stderr).
pub fn setup_venv(venv: &Path, base_python: &str, say: &mut dyn FnMut(&str)) -> Result<SetupReport, PlatformError> {
    let python = venv.join("bin/python");
    let mut changed = false;
    if !python.is_file() {
        say(&format!("creating the venv {} with {base_python}", venv.display()));
        let (ok, _, err) = run_captured(
            {
                let mut c = Command::new(base_python);
                c.arg("-m").arg("venv").arg(venv).stdin(Stdio::null());
                c
            },
            Duration::from_secs(300),
        )
        .map_err(|e| {
            unavailable(format!("cannot run `{base_python}` ({e}): install Python 3.11+ or pass --base-python"))
        })?;
        if !ok {
            return Err(unavailable(format!(
                "`{base_python} -m venv {}` failed: {} (on Debian/Ubuntu install python3-venv)",
                venv.display(),
                err.trim()
            )));
        }
        changed = true;
    }
    let script_dir = tempfile::tempdir().map_err(|e| PlatformError::io("cannot create a temporary directory", e))?;
    let script = script_dir.path().join("kernelsmith_xla_worker.py");
    std::fs::write(&script, WORKER_SCRIPT).map_err(|e| PlatformError::io("cannot write the probe script", e))?;
    let probe = || probe_python(&python, &script, Duration::from_secs(300));
    let satisfied = |p: &PythonProbe| {
        p.error.is_none()
            && p.jax.as_deref() == Some(JAX_VERSION)
            && p.jaxlib.as_deref() == Some(JAX_VERSION)
            && p.numpy.is_some()
            && p.ml_dtypes.is_some()
    };
    if let Ok(p) = probe()
        && satisfied(&p)
    {
        say(&format!(
            "{} already has JAX {JAX_VERSION} (jaxlib {}, numpy {}, ml_dtypes {}): nothing to do",
            venv.display(),
            p.jaxlib.as_deref().unwrap_or("?"),
            p.numpy.as_deref().unwrap_or("?"),
            p.ml_dtypes.as_deref().unwrap_or("?")
        ));
        return Ok(SetupReport { python, changed, probe: p });
    }
    say(&format!(
        "installing {} into {} (needs network access to PyPI, or a mirror set with PIP_INDEX_URL)",
        REQUIREMENTS.join(" "),
        venv.display()
    ));
    let status = Command::new(&python)
        .args(["-m", "pip", "install", "--disable-pip-version-check", "--retries", "2"])
        .args(REQUIREMENTS)
        .stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| unavailable(format!("cannot run pip of {} ({e})", python.display())))?;
    if !status.success() {
        return Err(unavailable(format!(
            "pip could not install {} (exit status {}): this step downloads wheels from PyPI, so it needs network access (or a mirror set with PIP_INDEX_URL / pip.conf); nothing was installed into {}",
            REQUIREMENTS.join(" "),
            status.code().unwrap_or(-1),
            venv.display()
        )));
    }
    let p = probe().map_err(|e| unavailable(format!("JAX was installed but does not start: {e}")))?;
    if let Some(e) = &p.error {
        return Err(unavailable(format!("JAX was installed but does not start: {e}")));
    }
    say(&format!(
        "installed: JAX {} (jaxlib {}) on backend {} ({})",
        p.jax.as_deref().unwrap_or("?"),
        p.jaxlib.as_deref().unwrap_or("?"),
        p.backend.as_deref().unwrap_or("?"),
        p.devices.join(", ")
    ));
    Ok(SetupReport { python, changed: true, probe: p })
}
