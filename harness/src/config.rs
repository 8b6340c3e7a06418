//! Where things live: the only place that turns flags and environment into paths (STYLE.md 18:
//! only the harness reads the environment).

use crate::cli::Global;
use anyhow::Context;
use kernelsmith_tasks::Registry;
use std::path::PathBuf;

pub struct Config {
    pub db: String,
    pub cache_dir: PathBuf,
    pub tasks_dir: Option<PathBuf>,
    pub cc: String,
    pub worker_exe: PathBuf,
    /// Where the cuda platform looks for nvcc (`--nvcc`/`KERNELSMITH_NVCC`, `CUDA_HOME`, `PATH`,
    /// the project venv).
    pub nvcc: kernelsmith_platform_cuda::toolchain::NvccSearch,
    /// The GPU architecture CUDA kernels are built for (`--cuda-arch`/`KERNELSMITH_CUDA_ARCH`).
    pub cuda_arch: String,
    /// The xla platform's Python (`--python`/`KERNELSMITH_PYTHON`; `None`: look in the venvs).
    pub python: Option<PathBuf>,
    /// The xla platform's TPU compile check (`--tpu-check`).
    pub tpu_check: bool,
    /// The directory kernelsmith was started in (where `./.venv` is looked for).
    pub cwd: PathBuf,
}

impl Config {
    pub fn from_global(g: &Global) -> anyhow::Result<Config> {
        let cache_dir = match &g.cache_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .map(|c| c.join("kernelsmith"))
                .unwrap_or_else(|| PathBuf::from(".kernelsmith/cache")),
        };
        let worker_exe = std::env::current_exe()
            .context("cannot locate the kernelsmith executable (needed to start worker processes)")?;
        Ok(Config {
            db: g.db.clone().unwrap_or_else(|| "kernelsmith.db".into()),
            cache_dir,
            tasks_dir: g.tasks_dir.clone(),
            cc: g.cc.clone(),
            worker_exe,
            nvcc: kernelsmith_platform_cuda::toolchain::NvccSearch {
                explicit: g.nvcc.clone(),
                cuda_home: std::env::var_os("CUDA_HOME").filter(|h| !h.is_empty()).map(PathBuf::from),
                path: std::env::var_os("PATH"),
                cwd: std::env::current_dir().ok(),
            },
            cuda_arch: g.cuda_arch.clone(),
            python: g.python.clone(),
            tpu_check: g.tpu_check,
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        })
    }

    /// Slow reference outputs (gpu sizes) are kept here between evaluations; see
    /// `kernelsmith_platform::refcache`.
    pub fn reference_cache(&self) -> kernelsmith_platform::refcache::ReferenceCache {
        kernelsmith_platform::refcache::ReferenceCache::new(self.cache_dir.join("references"))
    }

    pub fn registry(&self) -> anyhow::Result<Registry> {
        Ok(match &self.tasks_dir {
            Some(d) => Registry::from_dir(d)?,
            None => Registry::embedded()?,
        })
    }
}
