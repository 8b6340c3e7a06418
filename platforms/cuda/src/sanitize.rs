//! compute-sanitizer checks for kernels that already passed (`--sanitize` on `eval` and `run`).
//!
//! A kernel can read past the end of a buffer or race on shared memory and still produce the
//! right numbers by luck (the stray read hit a zero, the race resolved the friendly way on this
//! GPU). Curated training data must not hold such kernels, so a passing candidate can be run once
//! more, at the `heldout` size (small, odd shapes where bounds bugs show) under NVIDIA's
//! compute-sanitizer with `--tool memcheck` and `--tool racecheck`. Any error it reports makes the
//! harness record the evaluation as not passed with the hack label of the tool
//! ([`Tool::hack_label`]: `sanitizer_memcheck`, `sanitizer_racecheck`).
//!
//! How a run works: the ordinary worker (`kernelsmith worker --platform cuda --under-sanitizer`) is
//! started under compute-sanitizer and fed a fixed script of protocol requests (hello, load, one
//! `run`, exit) on stdin; the sanitizer writes its findings to a log file (`--log-file`) and exits
//! with a distinct status when it found errors (`--error-exitcode`). The worker keeps the rest of
//! the sandbox (private directory, Landlock, network namespace, no core dumps) but not its
//! seccomp filter, and it keeps its inherited descriptors, because the sanitizer's injected
//! library talks to its front end with calls the filter kills, possibly over inherited ones. A sanitizer that cannot run (missing, or failing for a reason of its own) gives
//! [`Verdict::NotRun`] with its output — never a verdict on the kernel.
//!
//! Untested on a GPU when written: no GPU was available. The verdict logic (exit status, summary
//! line) follows compute-sanitizer's documented behaviour; the first GPU run should confirm that
//! the sanitizer works inside the Landlock domain and network namespace.

use crate::CudaPlatform;
use kernelsmith_platform::protocol::{Envelope, Poison, Request, Response, TensorFile, Which, write_tensor};
use kernelsmith_platform::sandbox::{Landlock, enforce_in_child};
use kernelsmith_platform::worker::WORKER_ENV;
use kernelsmith_tasks::{SizeName, Task};
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A compute-sanitizer tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tool {
    /// Out-of-bounds and misaligned accesses, use of freed memory, leaks of device allocations.
    Memcheck,
    /// Shared-memory data races between threads of a block.
    Racecheck,
}

impl Tool {
    /// Both tools, in the order they run.
    pub const ALL: [Tool; 2] = [Tool::Memcheck, Tool::Racecheck];

    /// The `--tool` value.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Memcheck => "memcheck",
            Tool::Racecheck => "racecheck",
        }
    }

    /// The hack label an evaluation gets when this tool finds errors.
    pub fn hack_label(self) -> &'static str {
        match self {
            Tool::Memcheck => "sanitizer_memcheck",
            Tool::Racecheck => "sanitizer_racecheck",
        }
    }
}

/// What one tool concluded.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// The kernel ran under the tool and it reported nothing.
    Clean,
    /// The tool reported errors; `summary` is its summary line (`ERROR SUMMARY: 3 errors`).
    Errors {
        /// The tool's summary line.
        summary: String,
    },
    /// The tool could not judge the kernel (not a verdict on it).
    NotRun {
        /// Why.
        why: String,
    },
}

/// One tool's run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ToolReport {
    /// Which tool.
    pub tool: Tool,
    /// What it concluded.
    pub verdict: Verdict,
    /// The sanitizer's own text (its log file), bounded to the first 64 KiB.
    pub log: String,
    /// Wall time of the run.
    pub wall_ms: f64,
}

/// Every tool's run on one kernel.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SanitizeReport {
    /// The size the kernel ran at.
    pub size: String,
    /// One report per tool.
    pub tools: Vec<ToolReport>,
}

impl SanitizeReport {
    /// The first tool that found errors.
    pub fn first_error(&self) -> Option<&ToolReport> {
        self.tools.iter().find(|t| matches!(t.verdict, Verdict::Errors { .. }))
    }
}

/// Knobs of a sanitizer run.
#[derive(Clone, Debug)]
pub struct SanitizeOptions {
    /// The size to run at (`heldout` by default: small and oddly shaped).
    pub size: SizeName,
    /// Input seed.
    pub seed: u64,
    /// Longest one tool may take (sanitizers slow kernels down 10-100x, racecheck more).
    pub timeout: Duration,
    /// The tools to run.
    pub tools: Vec<Tool>,
}

impl Default for SanitizeOptions {
    fn default() -> Self {
        SanitizeOptions {
            size: SizeName::Heldout,
            seed: 0x7361_6e69, // "sani"
            timeout: Duration::from_secs(600),
            tools: Tool::ALL.to_vec(),
        }
    }
}

/// The exit status compute-sanitizer is asked to use when it finds errors.
const ERROR_EXIT: i32 = 86;
const LOG_LIMIT: usize = 64 << 10;

fn read_bounded(p: &Path) -> String {
    let bytes = std::fs::read(p).unwrap_or_default();
    let mut s = String::from_utf8_lossy(&bytes[..bytes.len().min(LOG_LIMIT)]).into_owned();
    if bytes.len() > LOG_LIMIT {
        s.push_str(&format!("\n[... {} more bytes ...]\n", bytes.len() - LOG_LIMIT));
    }
    s
}

/// The summary line of a sanitizer log (`========= ERROR SUMMARY: 2 errors`), without the prefix.
pub fn summary_line(log: &str) -> Option<String> {
    log.lines().rev().find(|l| l.contains("SUMMARY")).map(|l| l.trim_start_matches('=').trim().to_string())
}

/// Decide a tool's verdict from its exit status, its log and the worker's reply to `run`.
pub fn verdict(exit: Option<i32>, log: &str, run_reply: Option<&Response>) -> Verdict {
    match exit {
        Some(ERROR_EXIT) => {
            Verdict::Errors { summary: summary_line(log).unwrap_or_else(|| "compute-sanitizer reported errors".into()) }
        }
        Some(0) => match run_reply {
            Some(Response::Ran { status: 0, .. }) => Verdict::Clean,
            Some(other) => {
                Verdict::NotRun { why: format!("the kernel did not run cleanly under the sanitizer: {other:?}") }
            }
            None => Verdict::NotRun { why: "the worker never answered the `run` request under the sanitizer".into() },
        },
        Some(code) => Verdict::NotRun { why: format!("compute-sanitizer exited with status {code}") },
        None => Verdict::NotRun { why: "compute-sanitizer was killed by a signal".into() },
    }
}

impl CudaPlatform {
    /// Run `source` (a kernel for `task` that already passed) under each sanitizer tool.
    /// `Err` means the sanitizer cannot be used here at all (not installed, the kernel does not
    /// compile, IO); findings and tool failures are in the report.
    pub fn sanitize(&self, task: &Task, source: &str, opts: &SanitizeOptions) -> Result<SanitizeReport, String> {
        let sanitizer = self.compute_sanitizer()?;
        let artifact = match kernelsmith_platform::Platform::compile(self, task, source).map_err(|e| e.to_string())? {
            Ok(a) => a,
            Err(f) => return Err(format!("the kernel does not compile:\n{}", f.log)),
        };
        let dir = tempfile::Builder::new()
            .prefix("kernelsmith-sanitize-")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
        let resolved = task.resolve(opts.size).map_err(|e| e.to_string())?;
        let inputs = task.generate_inputs(&resolved, opts.seed);
        let mut input_files = Vec::new();
        for (i, t) in inputs.iter().enumerate() {
            let p = dir.path().join(format!("in{i}.bin"));
            input_files.push(write_tensor(&p, t).map_err(|e| format!("cannot write {}: {e}", p.display()))?);
        }
        let output_files: Vec<TensorFile> = task
            .outputs
            .iter()
            .zip(&resolved.output_shapes)
            .enumerate()
            .map(|(i, (o, shape))| TensorFile {
                path: dir.path().join(format!("out{i}.bin")),
                dtype: o.dtype.name().into(),
                shape: shape.clone(),
            })
            .collect();
        let script = [
            Request::Hello,
            Request::Load { candidate: artifact.path.clone(), baseline: None },
            Request::Run {
                kernel: Which::Candidate,
                inputs: input_files,
                outputs: output_files,
                dims: resolved.dim_values.clone(),
                poison: Poison::Nan,
                settle_ms: 0,
            },
            Request::Exit,
        ];
        let tools =
            opts.tools.iter().map(|&tool| self.run_tool(&sanitizer, tool, &script, dir.path(), opts.timeout)).collect();
        Ok(SanitizeReport { size: opts.size.name().into(), tools })
    }

    fn run_tool(&self, sanitizer: &Path, tool: Tool, script: &[Request], dir: &Path, timeout: Duration) -> ToolReport {
        let t0 = Instant::now();
        let log_path = dir.join(format!("{}.log", tool.name()));
        let out_path = dir.join(format!("{}.stdout", tool.name()));
        let err_path = dir.join(format!("{}.stderr", tool.name()));
        let report = |verdict: Verdict, extra: &str| ToolReport {
            tool,
            log: format!("{}{extra}", read_bounded(&log_path)),
            verdict,
            wall_ms: t0.elapsed().as_secs_f64() * 1e3,
        };
        let files = std::fs::File::create(&out_path).and_then(|o| Ok((o, std::fs::File::create(&err_path)?)));
        let (out, err) = match files {
            Ok(f) => f,
            Err(e) => return report(Verdict::NotRun { why: format!("cannot create log files: {e}") }, ""),
        };
        let mut cmd = Command::new(sanitizer);
        cmd.args(["--tool", tool.name(), "--error-exitcode", &ERROR_EXIT.to_string(), "--print-limit", "20"])
            .arg("--log-file")
            .arg(&log_path)
            .arg(&self.config.worker_exe)
            .args(["worker", "--platform", "cuda", "--under-sanitizer"]);
        let keep: Vec<(String, String)> = std::env::vars().filter(|(k, _)| WORKER_ENV.contains(&k.as_str())).collect();
        cmd.env_clear().envs(keep).env("TMPDIR", dir).env("HOME", dir).current_dir(dir);
        cmd.stdin(Stdio::piped()).stdout(Stdio::from(out)).stderr(Stdio::from(err));
        let landlock = Landlock::writable_only(&[dir, Path::new("/dev")]);
        let ruleset_fd = landlock.as_ref().map_or(-1, |l| l.raw_fd());
        // SAFETY: runs in the forked child before exec; only async-signal-safe syscalls.
        unsafe {
            cmd.pre_exec(move || {
                libc::setsid();
                let zero = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
                libc::setrlimit(libc::RLIMIT_CORE, &zero);
                enforce_in_child(ruleset_fd, true);
                Ok(())
            });
        }
        let spawned = cmd.spawn();
        drop(landlock);
        let mut child = match spawned {
            Ok(c) => c,
            Err(e) => {
                return report(Verdict::NotRun { why: format!("cannot start {}: {e}", sanitizer.display()) }, "");
            }
        };
        // The whole script up front: the worker answers line by line and exits at `exit`.
        let lines: String = script
            .iter()
            .enumerate()
            .map(|(i, r)| {
                serde_json::to_string(&Envelope { id: i as u64 + 1, body: r }).expect("requests serialize") + "\n"
            })
            .collect();
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(lines.as_bytes());
        }
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break Some(s),
                Ok(None) if t0.elapsed() > timeout => {
                    // SAFETY: the child leads its own process group (setsid above).
                    unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
                    let _ = child.wait();
                    break None;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(_) => break None,
            }
        };
        let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
        let stderr = read_bounded(&err_path);
        let run_id = script.iter().position(|r| matches!(r, Request::Run { .. })).map(|i| i as u64 + 1);
        let run_reply = stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<Envelope<Response>>(l).ok())
            .find(|e| Some(e.id) == run_id)
            .map(|e| e.body);
        let extra = if stderr.trim().is_empty() { String::new() } else { format!("\n--- stderr\n{stderr}") };
        let verdict = match status {
            None => Verdict::NotRun { why: format!("compute-sanitizer did not finish within {} s", timeout.as_secs()) },
            Some(s) => {
                use std::os::unix::process::ExitStatusExt;
                let log = read_bounded(&log_path);
                match (s.code(), s.signal()) {
                    (None, Some(sig)) => Verdict::NotRun {
                        why: format!(
                            "compute-sanitizer was killed by {}",
                            kernelsmith_platform::worker::signal_name(sig)
                        ),
                    },
                    (code, _) => verdict(code, &log, run_reply.as_ref()),
                }
            }
        };
        report(verdict, &extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMCHECK_ERRORS: &str = "========= COMPUTE-SANITIZER\n========= Invalid __global__ read of size 4 bytes\n=========     at relu_kernel(const float *, float *, long)+0x70\n========= \n========= ERROR SUMMARY: 2 errors\n";
    const CLEAN: &str = "========= COMPUTE-SANITIZER\n========= ERROR SUMMARY: 0 errors\n";

    fn ran(status: i32) -> Response {
        Response::Ran {
            status,
            input_hashes_before: vec![],
            input_hashes_after: vec![],
            elapsed_ns: 1.0,
            late_write: false,
        }
    }

    #[test]
    fn the_error_exit_status_is_an_error_verdict_with_the_summary_line() {
        assert_eq!(
            verdict(Some(ERROR_EXIT), MEMCHECK_ERRORS, None),
            Verdict::Errors { summary: "ERROR SUMMARY: 2 errors".into() }
        );
    }

    #[test]
    fn a_clean_exit_with_a_successful_run_is_clean_and_anything_else_is_not_a_verdict() {
        assert_eq!(verdict(Some(0), CLEAN, Some(&ran(0))), Verdict::Clean);
        assert!(matches!(verdict(Some(0), CLEAN, Some(&ran(3))), Verdict::NotRun { .. }));
        assert!(matches!(verdict(Some(0), CLEAN, None), Verdict::NotRun { .. }));
        assert!(matches!(verdict(Some(1), "", Some(&ran(0))), Verdict::NotRun { .. }));
        assert!(matches!(verdict(None, "", None), Verdict::NotRun { .. }));
    }

    #[test]
    fn tools_have_stable_names_and_labels() {
        assert_eq!(Tool::ALL.map(Tool::name), ["memcheck", "racecheck"]);
        assert_eq!(Tool::ALL.map(Tool::hack_label), ["sanitizer_memcheck", "sanitizer_racecheck"]);
    }
}
