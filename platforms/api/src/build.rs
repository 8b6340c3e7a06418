//! Building a candidate into the content-addressed compile cache, shared by the native platforms
//! (cpu's cc, cuda's nvcc).
//!
//! A build happens in a private folder `<root>/.build-<key>-<pid>-<n>` (unique per compile, not
//! just per process: identical candidates compile concurrently), with the compiler's output
//! captured in a file there, and is published by renaming the folder to `<root>/<key>`: a reader
//! sees a complete artifact or none, and a concurrent identical compile that wins the race is
//! fine. The compiler runs in its own process group, so a timeout stops its children too (nvcc
//! runs cicc, ptxas and the host compiler).

use crate::{Artifact, CompileFailure, PlatformError};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One build: sources to write, then the command that turns them into `artifact`.
#[derive(Debug)]
pub struct Build<'a> {
    /// The platform's cache folder (`<cache>/cpu`).
    pub root: &'a Path,
    /// The content hash naming the published folder.
    pub key: &'a str,
    /// File name of the artifact inside the folder (`kernel.so`).
    pub artifact: &'a str,
    /// Files written into the build folder first, (name, contents).
    pub files: &'a [(&'a str, &'a str)],
    /// Longest the compiler may run.
    pub timeout: Duration,
    /// The compiler's name in messages (`nvcc`).
    pub compiler: &'a str,
}

/// Return the cached artifact for `build.key`, or build it: `command` gets the build folder and
/// returns the compiler invocation (run with that folder as its working directory). A compiler
/// that fails is data ([`CompileFailure`] with its whole log); a compiler that cannot be started is
/// `unavailable(error)`.
pub fn cached_build(
    build: &Build<'_>,
    command: impl FnOnce(&Path) -> Command,
    unavailable: impl FnOnce(std::io::Error) -> PlatformError,
) -> Result<Result<Artifact, CompileFailure>, PlatformError> {
    let dir = build.root.join(build.key);
    let artifact = dir.join(build.artifact);
    if artifact.is_file() {
        return Ok(Ok(Artifact { path: artifact, cached: true, compile_ms: 0.0 }));
    }
    std::fs::create_dir_all(build.root).map_err(|e| {
        PlatformError::io(
            format!("cannot create the compile cache {} (set --cache-dir or KERNELSMITH_CACHE)", build.root.display()),
            e,
        )
    })?;
    static BUILDS: AtomicU64 = AtomicU64::new(0);
    let n = BUILDS.fetch_add(1, Ordering::Relaxed);
    let tmp = build.root.join(format!(".build-{}-{}-{n}", build.key, std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let io = |what: &str, p: &Path, e| PlatformError::io(format!("cannot {what} {}", p.display()), e);
    std::fs::create_dir_all(&tmp).map_err(|e| io("create", &tmp, e))?;
    for (name, text) in build.files {
        std::fs::write(tmp.join(name), text).map_err(|e| io("write", &tmp.join(name), e))?;
    }
    let mut cmd = command(&tmp);
    cmd.current_dir(&tmp);
    let t0 = Instant::now();
    let (ok, log) =
        run_with_timeout(cmd, build.timeout, &tmp.join("compiler-output.txt"), build.compiler).map_err(unavailable)?;
    let compile_ms = t0.elapsed().as_secs_f64() * 1e3;
    if !ok {
        let _ = std::fs::remove_dir_all(&tmp);
        return Ok(Err(CompileFailure { log, compile_ms }));
    }
    let _ = std::fs::write(tmp.join("build.log"), &log);
    if std::fs::rename(&tmp, &dir).is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(Ok(Artifact { path: artifact, cached: false, compile_ms }))
}

/// Run `cmd` with stdout and stderr captured in `out_path`, in its own process group, killing the
/// group after `timeout`. Returns (success, log).
pub fn run_with_timeout(
    mut cmd: Command,
    timeout: Duration,
    out_path: &Path,
    compiler: &str,
) -> std::io::Result<(bool, String)> {
    let log = std::fs::File::create(out_path)?;
    let mut child = cmd
        .stdout(Stdio::from(log.try_clone()?))
        .stderr(Stdio::from(log))
        .stdin(Stdio::null())
        .process_group(0)
        .spawn()?;
    let t0 = Instant::now();
    let read = || String::from_utf8_lossy(&std::fs::read(out_path).unwrap_or_default()).into_owned();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok((status.success(), read()));
        }
        if t0.elapsed() > timeout {
            // SAFETY: kill(2) on the process group this child leads.
            unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
            let _ = child.wait();
            let mut text = read();
            text.push_str(&format!(
                "\nkernelsmith: {compiler} did not finish within {} s and was stopped\n",
                timeout.as_secs()
            ));
            return Ok((false, text));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
