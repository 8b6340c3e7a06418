//! Helpers for end-to-end tests: run the real `kernelsmith` binary with a private database and
//! compile cache.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env { dir: tempfile::tempdir().unwrap() }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("results.db")
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_kernelsmith"));
        c.env("KERNELSMITH_DB", self.db())
            .env("KERNELSMITH_CACHE", self.dir.path().join("cache"))
            .env_remove("KERNELSMITH_TASKS")
            .current_dir(repo());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("kernelsmith runs")
    }
}

/// The repository root (tests run with the harness crate as working directory).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub fn text(o: &Output) -> String {
    format!("--- stdout\n{}\n--- stderr\n{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", text(o)))
}

/// How many tasks the built-in catalogue has (tests must not hard-code it).
pub fn n_tasks(env: &Env) -> usize {
    json(&env.run(&["tasks", "list", "--format", "json"])).as_array().unwrap().len()
}

/// Copy a folder tree (a task catalogue to edit, say).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}
