//! Finding the CUDA toolchain: `nvcc` (to compile candidates) and `compute-sanitizer` (to check
//! passing ones), without assuming a system-wide CUDA install.
//!
//! Compiling needs no GPU, so CI and GPU-less machines check CUDA kernels with the pinned PyPI
//! wheels (`nvidia-cuda-nvcc`, `nvidia-cuda-runtime`, `nvidia-cuda-crt`, `nvidia-nvvm`, one 13.0.x
//! release) installed into the project's `./.venv` by `./scripts/test`. The search order puts the
//! user's explicit choice first and the wheels last:
//!
//! 1. `--nvcc` / `KERNELSMITH_NVCC` (an explicit choice that does not work is an error, never
//!    silently replaced by another compiler);
//! 2. `$CUDA_HOME/bin/nvcc`;
//! 3. `nvcc` on `PATH`;
//! 4. the wheels in a project venv: `./.venv` under the current directory, then under this
//!    repository (known at build time), laid out as
//!    `.venv/lib/python3.*/site-packages/nvidia/cu13/{bin/nvcc,lib,include}`.
//!
//! The wheels ship `libcudart_static.a` in `cu13/lib`, where nvcc's own profile does not look
//! (it expects `lib64`), so [`Nvcc::lib_dir`] is passed as `-L` or linking fails.
//!
//! Only the harness reads the environment (ARCHITECTURE.md), so it hands the values in through
//! [`NvccSearch`]; this module only looks at the filesystem and runs `nvcc --version`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where to look for nvcc, as the harness read it from flags and the environment.
#[derive(Clone, Debug, Default)]
pub struct NvccSearch {
    /// `--nvcc` or `KERNELSMITH_NVCC`: used alone when set.
    pub explicit: Option<PathBuf>,
    /// `CUDA_HOME`.
    pub cuda_home: Option<PathBuf>,
    /// `PATH`.
    pub path: Option<OsString>,
    /// The current directory (its `./.venv` is searched for the wheels).
    pub cwd: Option<PathBuf>,
}

/// A working nvcc.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nvcc {
    /// The executable.
    pub path: PathBuf,
    /// The release of `nvcc --version`, e.g. `release 13.0, V13.0.88`.
    pub version: String,
    /// A library folder nvcc does not search by itself (the wheels' `cu13/lib`), passed as `-L`.
    pub lib_dir: Option<PathBuf>,
    /// How it was found (`--nvcc/KERNELSMITH_NVCC`, `CUDA_HOME`, `PATH`, `project venv (pip wheels)`).
    pub origin: &'static str,
}

/// The repository this crate was built from: its `.venv` holds the wheels `./scripts/test`
/// installs, so tests and a `cargo run` from anywhere find them.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What to do when nvcc is missing; part of every "not found" message.
pub const INSTALL_HINT: &str = "install the pinned CUDA 13.0 wheels into the project venv (`./scripts/test` does: `.venv/bin/pip install nvidia-cuda-nvcc==13.0.88 nvidia-cuda-runtime==13.0.88 nvidia-cuda-crt==13.0.88 nvidia-nvvm==13.0.88`), install the CUDA toolkit and set CUDA_HOME, or point --nvcc / KERNELSMITH_NVCC at an nvcc";

/// `nvcc` inside the CUDA 13 wheels of the venv at `venv`, if any (the newest Python first).
fn wheel_nvcc(venv: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(venv.join("lib")) else { return Vec::new() };
    let mut pythons: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("python3"))
        .map(|e| e.path())
        .collect();
    pythons.sort();
    pythons.reverse();
    pythons.into_iter().map(|p| p.join("site-packages/nvidia/cu13/bin/nvcc")).filter(|p| p.is_file()).collect()
}

/// The release `nvcc --version` names (`release 13.0, V13.0.88`), or why it does not run.
pub fn nvcc_version(nvcc: &Path) -> Result<String, String> {
    let out =
        Command::new(nvcc).arg("--version").output().map_err(|e| format!("cannot run {}: {e}", nvcc.display()))?;
    if !out.status.success() {
        return Err(format!(
            "`{} --version` failed ({}): {}",
            nvcc.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.find("release").map(|i| l[i..].trim().to_string()))
        .ok_or_else(|| format!("`{} --version` printed no release line: {}", nvcc.display(), text.trim()))
}

/// The library folder the wheels keep `libcudart_static.a` in, when nvcc sits in such a layout.
fn lib_dir_of(nvcc: &Path) -> Option<PathBuf> {
    let root = nvcc.parent()?.parent()?;
    let lib = root.join("lib");
    (lib.join("libcudart_static.a").is_file() && !root.join("lib64").join("libcudart_static.a").is_file())
        .then_some(lib)
}

fn accept(path: PathBuf, origin: &'static str) -> Result<Nvcc, String> {
    let version = nvcc_version(&path)?;
    let lib_dir = lib_dir_of(&path);
    Ok(Nvcc { path, version, lib_dir, origin })
}

/// Every place nvcc is looked for, in order, with how each was found.
pub fn candidates(s: &NvccSearch) -> Vec<(PathBuf, &'static str)> {
    let mut out: Vec<(PathBuf, &'static str)> = Vec::new();
    if let Some(home) = &s.cuda_home {
        out.push((home.join("bin/nvcc"), "CUDA_HOME"));
    }
    if let Some(path) = &s.path {
        for dir in std::env::split_paths(path) {
            out.push((dir.join("nvcc"), "PATH"));
        }
    }
    let mut venvs = Vec::new();
    if let Some(cwd) = &s.cwd {
        venvs.push(cwd.join(".venv"));
    }
    venvs.push(repo_root().join(".venv"));
    for v in venvs {
        for p in wheel_nvcc(&v) {
            out.push((p, "project venv (pip wheels)"));
        }
    }
    out
}

/// Find a working nvcc (see the module docs for the order).
pub fn find_nvcc(s: &NvccSearch) -> Result<Nvcc, String> {
    if let Some(p) = &s.explicit {
        return accept(p.clone(), "--nvcc/KERNELSMITH_NVCC")
            .map_err(|e| format!("the nvcc named by --nvcc / KERNELSMITH_NVCC does not work: {e}"));
    }
    let mut tried = Vec::new();
    for (p, origin) in candidates(s) {
        if !p.is_file() {
            continue;
        }
        match accept(p.clone(), origin) {
            Ok(n) => return Ok(n),
            Err(e) => tried.push(e),
        }
    }
    let mut msg = String::from("nvcc not found (looked in $CUDA_HOME/bin, PATH and the project venv's CUDA wheels)");
    if !tried.is_empty() {
        msg.push_str(&format!("; found but broken: {}", tried.join("; ")));
    }
    msg.push_str(&format!(": {INSTALL_HINT}"));
    Err(msg)
}

/// Find `compute-sanitizer`: `$CUDA_HOME/bin`, `$CUDA_HOME/compute-sanitizer`, `PATH`, then beside
/// nvcc (a toolkit's `bin/`, or the `nvidia-cuda-sanitizer-api` wheel next to the nvcc wheel).
pub fn find_compute_sanitizer(s: &NvccSearch, nvcc: Option<&Nvcc>) -> Result<PathBuf, String> {
    let mut cands: Vec<PathBuf> = Vec::new();
    if let Some(home) = &s.cuda_home {
        cands.push(home.join("bin/compute-sanitizer"));
        cands.push(home.join("compute-sanitizer/compute-sanitizer"));
    }
    if let Some(path) = &s.path {
        cands.extend(std::env::split_paths(path).map(|d| d.join("compute-sanitizer")));
    }
    if let Some(root) = nvcc.and_then(|n| n.path.parent()).and_then(Path::parent) {
        cands.push(root.join("bin/compute-sanitizer"));
        cands.push(root.join("compute-sanitizer/compute-sanitizer"));
    }
    cands.into_iter().find(|p| p.is_file()).ok_or_else(|| {
        "compute-sanitizer not found (looked in $CUDA_HOME/bin, $CUDA_HOME/compute-sanitizer, PATH and beside nvcc): install the CUDA toolkit and set CUDA_HOME, or `pip install nvidia-cuda-sanitizer-api==13.0.*` into the project venv".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_nvcc_that_does_not_exist_is_an_error_not_a_fallback() {
        let s = NvccSearch { explicit: Some("/nonexistent/nvcc".into()), ..Default::default() };
        let e = find_nvcc(&s).unwrap_err();
        assert!(e.contains("--nvcc") && e.contains("/nonexistent/nvcc"), "{e}");
    }

    #[test]
    fn the_search_order_is_cuda_home_then_path_then_venvs() {
        let s = NvccSearch {
            explicit: None,
            cuda_home: Some("/opt/cuda".into()),
            path: Some(OsString::from("/a:/b")),
            cwd: Some("/work".into()),
        };
        let c = candidates(&s);
        assert_eq!(c[0], (PathBuf::from("/opt/cuda/bin/nvcc"), "CUDA_HOME"));
        assert_eq!(c[1], (PathBuf::from("/a/nvcc"), "PATH"));
        assert_eq!(c[2], (PathBuf::from("/b/nvcc"), "PATH"));
        assert!(c[3..].iter().all(|(_, o)| *o == "project venv (pip wheels)"));
    }
}
