//! Shared set-up for the xla platform's tests: a platform on the project venv with a private
//! compile cache, the task catalogue, and the test kernels in `tests/kernels/`.
//!
//! These tests need JAX. Without it they fail with a message saying how to get it, never skip
//! silently; `KERNELSMITH_SKIP_XLA=1` skips them on purpose (each says so on stderr).
#![allow(dead_code)]

use kernelsmith_platform::Platform;
use kernelsmith_platform_xla::{XlaConfig, XlaPlatform};
use kernelsmith_tasks::{Registry, Task};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// The xla platform on the venv's Python, or `None` when KERNELSMITH_SKIP_XLA=1.
pub fn platform(cache: &Path, tpu_check: bool) -> Option<XlaPlatform> {
    if std::env::var("KERNELSMITH_SKIP_XLA").is_ok_and(|v| v == "1") {
        eprintln!("KERNELSMITH_SKIP_XLA=1: xla platform test skipped");
        return None;
    }
    let explicit = std::env::var_os("KERNELSMITH_PYTHON").map(PathBuf::from);
    let mut config = XlaConfig::new(explicit.as_deref(), &repo(), cache.to_path_buf(), tpu_check);
    config.check_timeout = std::time::Duration::from_secs(120);
    let p = XlaPlatform::new(config);
    if let Err(why) = p.python_probe() {
        panic!(
            "the xla platform tests need JAX {} in the project venv: {why}\nRun ./scripts/test (installs it) or `kernelsmith platforms setup xla`; KERNELSMITH_SKIP_XLA=1 skips these tests",
            kernelsmith_platform_xla::JAX_VERSION
        );
    }
    assert!(p.probe().can_execute, "{:?}", p.probe());
    Some(p)
}

/// The catalogue on disk.
pub fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| Registry::from_dir(&repo().join("tasks/catalog")).unwrap())
}

/// A task of the catalogue.
pub fn task(id: &str) -> Task {
    registry().get(id).unwrap_or_else(|| panic!("no task {id}")).clone()
}

/// A test kernel's source.
pub fn kernel(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kernels").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The labels of `source`'s violations on `task`.
pub fn labels(p: &XlaPlatform, task: &Task, source: &str) -> Vec<&'static str> {
    p.static_check(task, source).into_iter().map(|v| v.label).collect()
}
