//! The harness side of a worker process: spawn it with limits, talk to it with deadlines, and turn
//! every way it can die into a [`CallError`] that evaluation maps to an outcome.
//!
//! The child runs in its own process group (so a kernel that forks or starts threads is killed
//! whole), in a private temporary directory, with an address-space limit, a CPU-time limit, a
//! file-size limit and no core dumps. Its stderr (where candidate prints end up) is drained by a
//! thread into a bounded [`LogTail`], so a kernel printing megabytes can neither block the worker
//! nor exhaust the harness's memory.

use crate::PlatformError;
use crate::protocol::{Request, Response};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Resource limits applied to a worker before it runs anything.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// RLIMIT_AS: the most virtual memory the worker may map.
    pub address_space_bytes: u64,
    /// RLIMIT_CPU: total CPU seconds (a backstop; wall-clock deadlines come first).
    pub cpu_seconds: u64,
    /// RLIMIT_FSIZE: the largest file the worker may write.
    pub file_size_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { address_space_bytes: 4 << 30, cpu_seconds: 900, file_size_bytes: 2 << 30 }
    }
}

/// Environment variables a worker inherits (plus `OMP_*`/`GOMP_*`); everything else is dropped.
pub const WORKER_ENV: &[&str] = &["PATH", "LANG", "LC_ALL", "LD_LIBRARY_PATH", "CUDA_VISIBLE_DEVICES", "CUDA_HOME"];

/// Why a call did not produce a response.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    /// No answer within the deadline; the worker was killed.
    Timeout(Duration),
    /// The worker died; `description` says how (signal name or exit status).
    Died {
        /// Signal number, when killed by one.
        signal: Option<i32>,
        /// Human description.
        description: String,
    },
    /// The worker answered `error`.
    Worker(String),
}

/// Keeps the first and last bytes of a stream and counts the rest.
#[derive(Debug, Default)]
pub struct LogTail {
    head: Vec<u8>,
    tail: std::collections::VecDeque<u8>,
    total: u64,
}

const HEAD: usize = 4 << 10;
const TAIL: usize = 12 << 10;

impl LogTail {
    fn push(&mut self, bytes: &[u8]) {
        self.total += bytes.len() as u64;
        let room = HEAD.saturating_sub(self.head.len());
        let (h, rest) = bytes.split_at(room.min(bytes.len()));
        self.head.extend_from_slice(h);
        self.tail.extend(rest);
        while self.tail.len() > TAIL {
            self.tail.pop_front();
        }
    }

    /// The kept text (lossy UTF-8, control bytes replaced), with a note of what was cut.
    pub fn text(&self) -> String {
        let clean = |b: &[u8]| -> String {
            String::from_utf8_lossy(b)
                .chars()
                .map(|c| if c.is_control() && c != '\n' && c != '\t' { '\u{FFFD}' } else { c })
                .collect()
        };
        let kept = self.head.len() as u64 + self.tail.len() as u64;
        let mut s = clean(&self.head);
        if self.total > kept {
            s.push_str(&format!("\n[... {} bytes omitted ...]\n", self.total - kept));
        }
        let tail: Vec<u8> = self.tail.iter().copied().collect();
        s.push_str(&clean(&tail));
        s
    }

    /// Bytes seen in total.
    pub fn total(&self) -> u64 {
        self.total
    }
}

/// A running worker.
pub struct WorkerProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<std::io::Result<String>>,
    log: Arc<Mutex<LogTail>>,
    dead: bool,
}

impl std::fmt::Debug for WorkerProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerProcess").field("pid", &self.child.id()).finish()
    }
}

/// The name of a signal, for messages.
pub fn signal_name(sig: i32) -> String {
    let name = match sig {
        libc::SIGSEGV => "SIGSEGV (segmentation fault)",
        libc::SIGBUS => "SIGBUS (bus error)",
        libc::SIGABRT => "SIGABRT (abort)",
        libc::SIGFPE => "SIGFPE (arithmetic exception)",
        libc::SIGILL => "SIGILL (illegal instruction)",
        libc::SIGKILL => "SIGKILL",
        libc::SIGXCPU => "SIGXCPU (CPU time limit)",
        libc::SIGXFSZ => "SIGXFSZ (file size limit)",
        libc::SIGTERM => "SIGTERM",
        libc::SIGPIPE => "SIGPIPE",
        _ => return format!("signal {sig}"),
    };
    name.to_string()
}

impl WorkerProcess {
    /// Start `cmd` in `dir` with `limits`.
    pub fn spawn(mut cmd: Command, dir: &Path, limits: Limits) -> Result<WorkerProcess, PlatformError> {
        // Candidates see no secrets: the environment is cleared down to what a compiled kernel or
        // its runtime can legitimately need (API keys for model providers never reach a worker).
        let keep = |k: &str| WORKER_ENV.contains(&k) || k.starts_with("OMP_") || k.starts_with("GOMP_");
        let inherited: Vec<(String, String)> = std::env::vars().filter(|(k, _)| keep(k)).collect();
        // Variables the platform set on the command itself are its decision and survive.
        let explicit: Vec<(std::ffi::OsString, Option<std::ffi::OsString>)> =
            cmd.get_envs().map(|(k, v)| (k.to_os_string(), v.map(|v| v.to_os_string()))).collect();
        cmd.env_clear().envs(inherited).env("TMPDIR", dir).env("HOME", dir);
        for (k, v) in explicit {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        cmd.current_dir(dir).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let lim = limits;
        // SAFETY: the closure runs in the forked child before exec and only calls
        // async-signal-safe functions (setsid, setrlimit) on stack data.
        unsafe {
            cmd.pre_exec(move || {
                libc::setsid();
                let set = |res, v: u64| {
                    let r = libc::rlimit { rlim_cur: v as libc::rlim_t, rlim_max: v as libc::rlim_t };
                    libc::setrlimit(res, &r);
                };
                set(libc::RLIMIT_AS, lim.address_space_bytes);
                set(libc::RLIMIT_CPU, lim.cpu_seconds);
                set(libc::RLIMIT_FSIZE, lim.file_size_bytes);
                set(libc::RLIMIT_CORE, 0);
                Ok(())
            });
        }
        let mut child = cmd.spawn().map_err(|e| PlatformError::io("cannot start the worker process", e))?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut line = String::new();
                match r.read_line(&mut line) {
                    Ok(0) => break,
                    Ok(_) => {
                        if tx.send(Ok(line)).is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
        });
        let log = Arc::new(Mutex::new(LogTail::default()));
        let log2 = Arc::clone(&log);
        std::thread::spawn(move || {
            let mut buf = [0u8; 16 << 10];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                log2.lock().unwrap().push(&buf[..n]);
            }
        });
        Ok(WorkerProcess { child, stdin, lines, log, dead: false })
    }

    /// Send one request and wait for its response, at most `timeout`.
    pub fn call(&mut self, req: &Request, timeout: Duration) -> Result<Response, CallError> {
        if self.dead {
            return Err(self.death());
        }
        let line = serde_json::to_string(req).expect("requests serialize") + "\n";
        let wrote = self.stdin.as_mut().map(|s| s.write_all(line.as_bytes()).and_then(|_| s.flush()));
        if !matches!(wrote, Some(Ok(()))) {
            return Err(self.death());
        }
        match self.lines.recv_timeout(timeout) {
            Ok(Ok(line)) => match serde_json::from_str::<Response>(&line) {
                Ok(Response::Error { message }) => Err(CallError::Worker(message)),
                Ok(r) => Ok(r),
                Err(e) => Err(CallError::Worker(format!("unreadable worker reply ({e}): {}", line.trim()))),
            },
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => Err(self.death()),
            Err(RecvTimeoutError::Timeout) => {
                self.kill();
                Err(CallError::Timeout(timeout))
            }
        }
    }

    fn death(&mut self) -> CallError {
        // The pipe closed: collect the exit status (bounded wait, then force).
        let mut status = None;
        for _ in 0..200 {
            if let Ok(Some(s)) = self.child.try_wait() {
                status = Some(s);
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        if status.is_none() {
            self.kill();
            status = self.child.wait().ok();
        }
        self.dead = true;
        self.kill_group();
        match status {
            Some(s) if s.signal().is_some() => {
                let sig = s.signal().unwrap();
                CallError::Died { signal: Some(sig), description: format!("worker killed by {}", signal_name(sig)) }
            }
            Some(s) => CallError::Died {
                signal: None,
                description: format!("worker exited with status {}", s.code().unwrap_or(-1)),
            },
            None => CallError::Died { signal: None, description: "worker vanished".into() },
        }
    }

    fn kill_group(&mut self) {
        let pid = self.child.id() as i32;
        // SAFETY: kill(2) with a negative pid signals the worker's own process group (it called setsid).
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }

    /// Kill the worker and everything it started.
    pub fn kill(&mut self) {
        self.kill_group();
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.dead = true;
    }

    /// Ask the worker to exit, then make sure it did.
    pub fn finish(mut self) -> String {
        if !self.dead {
            let _ = self.call(&Request::Exit, Duration::from_secs(5));
        }
        self.kill();
        // Give the stderr thread a moment to drain the last bytes.
        std::thread::sleep(Duration::from_millis(5));
        self.log()
    }

    /// What the worker printed on stderr so far (bounded).
    pub fn log(&self) -> String {
        self.log.lock().unwrap().text()
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        if !self.dead {
            self.kill();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_tail_keeps_head_and_tail_and_counts_the_rest() {
        let mut l = LogTail::default();
        l.push(&vec![b'a'; HEAD]);
        l.push(&vec![b'b'; 100_000]);
        l.push(b"END");
        let t = l.text();
        assert!(t.starts_with("aaaa"));
        assert!(t.ends_with("bbbEND"));
        assert!(t.contains(&format!("[... {} bytes omitted ...]", 100_003 - TAIL)));
        assert_eq!(l.total(), (HEAD + 100_003) as u64);
    }

    #[test]
    fn binary_garbage_becomes_printable_text() {
        let mut l = LogTail::default();
        l.push(&[0, 1, 2, 0xff, b'o', b'k', b'\n']);
        let t = l.text();
        assert!(t.ends_with("ok\n"));
        assert!(!t.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn a_worker_killed_by_a_signal_is_reported_as_died_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg("read line; kill -SEGV $$");
        let mut w = WorkerProcess::spawn(cmd, dir.path(), Limits::default()).unwrap();
        match w.call(&Request::Hello, Duration::from_secs(10)) {
            Err(CallError::Died { signal: Some(s), description }) => {
                assert_eq!(s, libc::SIGSEGV);
                assert!(description.contains("SIGSEGV"), "{description}");
            }
            other => panic!("expected a death, got {other:?}"),
        }
    }

    #[test]
    fn a_worker_sees_no_secrets_from_the_harness_environment() {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new("sh");
        // Reply with the environment as the "error" message of the protocol.
        cmd.arg("-c").arg(r#"read line; printf '{"op":"error","message":"%s"}\n' "$(env | tr '\n' ' ')""#);
        cmd.env("OMP_NUM_THREADS", "2");
        // cargo sets CARGO_MANIFEST_DIR for test processes: it stands in for a secret here.
        assert!(std::env::var_os("CARGO_MANIFEST_DIR").is_some(), "run under cargo test");
        let mut w = WorkerProcess::spawn(cmd, dir.path(), Limits::default()).unwrap();
        match w.call(&Request::Hello, Duration::from_secs(10)) {
            Err(CallError::Worker(env)) => {
                assert!(!env.contains("CARGO_MANIFEST_DIR="), "{env}");
                assert!(env.contains("OMP_NUM_THREADS=2"), "{env}");
                assert!(env.contains(&format!("TMPDIR={}", dir.path().display())), "{env}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_silent_worker_times_out_and_is_killed() {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg("sleep 30");
        let mut w = WorkerProcess::spawn(cmd, dir.path(), Limits::default()).unwrap();
        let t0 = std::time::Instant::now();
        let r = w.call(&Request::Hello, Duration::from_millis(300));
        assert_eq!(r, Err(CallError::Timeout(Duration::from_millis(300))));
        assert!(t0.elapsed() < Duration::from_secs(10));
        assert!(w.child.try_wait().unwrap().is_some(), "worker still running after timeout");
    }
}
