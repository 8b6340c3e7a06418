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
        })
    }

    pub fn registry(&self) -> anyhow::Result<Registry> {
        Ok(match &self.tasks_dir {
            Some(d) => Registry::from_dir(d)?,
            None => Registry::embedded()?,
        })
    }
}
