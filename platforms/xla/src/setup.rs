//! `kernelsmith platforms setup xla`: the project-local venv with the pinned JAX.
//!
//! The JAX wheels depend on the machine: `jax[cpu]` everywhere, `jax[cuda13]` where an NVIDIA
//! driver is loaded, `jax[tpu]` on a TPU VM ([`JaxBackend`]). Left to itself, setup picks from what
//! the machine has ([`JaxBackend::detect`]), so `setup xla` on a GPU box gives device timings
//! rather than a silent fall-back to interpret mode; asking for an accelerator the machine lacks
//! is refused before anything is downloaded.
//!
//! Idempotent: a venv whose JAX, jaxlib, numpy and ml_dtypes are the pinned ones and whose JAX
//! already runs on the wanted backend is left alone. Installing needs network access to PyPI (or a
//! mirror configured for pip); without it pip's failure is reported with that explanation and
//! nothing else is changed.

use crate::{JAX_VERSION, PythonProbe, WORKER_SCRIPT, probe_python, run_captured};
use kernelsmith_platform::PlatformError;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// What `setup` installs besides JAX itself.
pub const SUPPORT_REQUIREMENTS: &[&str] = &["numpy>=1.26,<3", "ml_dtypes>=0.5"];

/// Which JAX wheels to install: the backend JAX will run kernels on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JaxBackend {
    /// `jax[cpu]`: Pallas in interpret mode.
    Cpu,
    /// `jax[cuda13]` (CUDA 13 libraries from PyPI): needs an NVIDIA driver.
    Cuda,
    /// `jax[tpu]` (libtpu): needs a TPU VM.
    Tpu,
}

impl JaxBackend {
    /// The pip extra of the `jax` package.
    pub fn extra(self) -> &'static str {
        match self {
            JaxBackend::Cpu => "cpu",
            JaxBackend::Cuda => "cuda13",
            JaxBackend::Tpu => "tpu",
        }
    }

    /// What `jax.default_backend()` says once these wheels work.
    pub fn jax_backend_name(self) -> &'static str {
        match self {
            JaxBackend::Cpu => "cpu",
            JaxBackend::Cuda => "gpu",
            JaxBackend::Tpu => "tpu",
        }
    }

    /// Everything pip installs for this backend, JAX pinned to [`JAX_VERSION`].
    pub fn requirements(self) -> Vec<String> {
        let jax = format!("jax[{}]=={JAX_VERSION}", self.extra());
        std::iter::once(jax).chain(SUPPORT_REQUIREMENTS.iter().map(|r| r.to_string())).collect()
    }

    /// The backend this machine can run, and why: an NVIDIA driver (its `/proc` entry or a
    /// `/dev/nvidia0` node) means CUDA, a TPU device node (`/dev/accel0`, TPU v2-v4 VMs) means TPU,
    /// anything else CPU. TPU v5e and later show up only as `/dev/vfio` nodes, which are not
    /// specific to TPUs: there, ask for `tpu` explicitly.
    pub fn detect() -> (JaxBackend, String) {
        Self::detect_in(Path::new("/"))
    }

    /// [`detect`](Self::detect) with the filesystem rooted at `root` (for tests).
    pub fn detect_in(root: &Path) -> (JaxBackend, String) {
        if let Some(why) = nvidia_driver(root) {
            return (JaxBackend::Cuda, why);
        }
        if root.join("dev/accel0").exists() {
            return (JaxBackend::Tpu, "a TPU device node (/dev/accel0) is present".into());
        }
        (JaxBackend::Cpu, "no NVIDIA driver and no TPU device node: Pallas runs in interpret mode".into())
    }

    /// Why this machine cannot run `self`, checked before anything is downloaded.
    pub fn missing_hardware_in(self, root: &Path) -> Option<String> {
        match self {
            JaxBackend::Cpu => None,
            JaxBackend::Cuda => nvidia_driver(root).is_none().then(|| {
                "no NVIDIA driver is loaded here (no /proc/driver/nvidia/version, no /dev/nvidia0): JAX's CUDA backend would not start; use --jax cpu".into()
            }),
            JaxBackend::Tpu => (!root.join("dev/accel0").exists() && !root.join("dev/vfio").exists()).then(|| {
                "no TPU device node here (no /dev/accel0, no /dev/vfio): JAX's TPU backend would not start; use --jax cpu".into()
            }),
        }
    }
}

fn nvidia_driver(root: &Path) -> Option<String> {
    if let Ok(v) = std::fs::read_to_string(root.join("proc/driver/nvidia/version")) {
        let first = v.lines().next().unwrap_or_default().trim().to_string();
        return Some(format!("an NVIDIA driver is loaded ({first})"));
    }
    root.join("dev/nvidia0").exists().then(|| "an NVIDIA device node (/dev/nvidia0) is present".into())
}

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

/// Make `venv` a venv with `backend`'s [requirements](JaxBackend::requirements), creating it with
/// `base_python` if missing. `say` is told each step; pip's own progress goes to the terminal
/// (stderr).
pub fn setup_venv(
    venv: &Path,
    base_python: &str,
    backend: JaxBackend,
    say: &mut dyn FnMut(&str),
) -> Result<SetupReport, PlatformError> {
    if let Some(why) = backend.missing_hardware_in(Path::new("/")) {
        return Err(unavailable(why));
    }
    let requirements = backend.requirements();
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
            && p.backend.as_deref() == Some(backend.jax_backend_name())
    };
    if let Ok(p) = probe()
        && satisfied(&p)
    {
        say(&format!(
            "{} already has JAX {JAX_VERSION} on backend {} (jaxlib {}, numpy {}, ml_dtypes {}): nothing to do",
            venv.display(),
            backend.jax_backend_name(),
            p.jaxlib.as_deref().unwrap_or("?"),
            p.numpy.as_deref().unwrap_or("?"),
            p.ml_dtypes.as_deref().unwrap_or("?")
        ));
        return Ok(SetupReport { python, changed, probe: p });
    }
    say(&format!(
        "installing {} into {} (needs network access to PyPI, or a mirror set with PIP_INDEX_URL)",
        requirements.join(" "),
        venv.display()
    ));
    let status = Command::new(&python)
        .args(["-m", "pip", "install", "--disable-pip-version-check", "--retries", "2"])
        .args(&requirements)
        .stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| unavailable(format!("cannot run pip of {} ({e})", python.display())))?;
    if !status.success() {
        return Err(unavailable(format!(
            "pip could not install {} (exit status {}): this step downloads wheels from PyPI, so it needs network access (or a mirror set with PIP_INDEX_URL / pip.conf); nothing was installed into {}",
            requirements.join(" "),
            status.code().unwrap_or(-1),
            venv.display()
        )));
    }
    let p = probe().map_err(|e| unavailable(format!("JAX was installed but does not start: {e}")))?;
    if let Some(e) = &p.error {
        return Err(unavailable(format!("JAX was installed but does not start: {e}")));
    }
    if p.backend.as_deref() != Some(backend.jax_backend_name()) {
        return Err(unavailable(format!(
            "jax[{}] was installed but JAX runs on backend `{}`, not `{}`: the {} plugin could not use the device (check the driver with nvidia-smi, or the TPU runtime); `kernelsmith platforms` shows what JAX sees",
            backend.extra(),
            p.backend.as_deref().unwrap_or("?"),
            backend.jax_backend_name(),
            backend.extra(),
        )));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn root_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = root.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        root
    }

    #[test]
    fn the_machine_decides_the_wheels() {
        let bare = root_with(&[]);
        assert_eq!(JaxBackend::detect_in(bare.path()).0, JaxBackend::Cpu);

        let driver = "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.82.07\nGCC version: gcc 12\n";
        let gpu = root_with(&[("proc/driver/nvidia/version", driver)]);
        let (b, why) = JaxBackend::detect_in(gpu.path());
        assert_eq!(b, JaxBackend::Cuda);
        assert!(why.contains("580.82.07"), "{why}");
        let gpu_node = root_with(&[("dev/nvidia0", "")]);
        assert_eq!(JaxBackend::detect_in(gpu_node.path()).0, JaxBackend::Cuda);

        let tpu = root_with(&[("dev/accel0", "")]);
        assert_eq!(JaxBackend::detect_in(tpu.path()).0, JaxBackend::Tpu);
        // vfio alone is not a TPU for auto-detection, but an explicit request is allowed there.
        let vfio = root_with(&[("dev/vfio/0", "")]);
        assert_eq!(JaxBackend::detect_in(vfio.path()).0, JaxBackend::Cpu);
        assert_eq!(JaxBackend::Tpu.missing_hardware_in(vfio.path()), None);
    }

    #[test]
    fn an_accelerator_the_machine_lacks_is_refused_with_the_fix() {
        let bare = root_with(&[]);
        assert_eq!(JaxBackend::Cpu.missing_hardware_in(bare.path()), None);
        for b in [JaxBackend::Cuda, JaxBackend::Tpu] {
            let why = b.missing_hardware_in(bare.path()).expect("refused");
            assert!(why.contains("--jax cpu"), "{why}");
        }
    }

    #[test]
    fn requirements_pin_jax_with_the_backend_extra() {
        assert_eq!(JaxBackend::Cuda.requirements()[0], format!("jax[cuda13]=={JAX_VERSION}"));
        assert_eq!(JaxBackend::Tpu.requirements()[0], format!("jax[tpu]=={JAX_VERSION}"));
        let cpu = JaxBackend::Cpu.requirements();
        assert_eq!(cpu[0], format!("jax[cpu]=={JAX_VERSION}"));
        assert!(cpu.iter().any(|r| r.starts_with("numpy")) && cpu.iter().any(|r| r.starts_with("ml_dtypes")));
    }
}
