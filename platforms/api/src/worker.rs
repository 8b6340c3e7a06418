//! The harness side of a worker process: spawn it with limits, talk to it with deadlines, and turn
//! every way it can die into a [`CallError`] that evaluation maps to an outcome.
//!
//! The child runs in its own process group (so a kernel that forks or starts threads is killed
//! whole), in a private temporary directory, inside the sandbox of [`crate::sandbox`] (resource
//! limits, a private network namespace, Landlock). Its stderr (where candidate prints end up) is
//! drained by a thread into a bounded [`LogTail`], so a kernel printing megabytes can neither
//! block the worker nor exhaust the harness's memory.
//!
//! Every request carries a fresh unpredictable id that the reply must echo; a reply with the
//! wrong id is a forged or desynchronised reply ([`CallError::Forged`]).

use crate::PlatformError;
use crate::protocol::{Envelope, Request, Response};
use crate::sandbox::{Landlock, enforce_in_child};
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
    /// RLIMIT_AS: the most virtual memory the worker may map; `0` leaves it unlimited (CUDA and
    /// XLA runtimes reserve huge virtual ranges they never touch).
    pub address_space_bytes: u64,
    /// RLIMIT_CPU: total CPU seconds (a backstop; wall-clock deadlines come first).
    pub cpu_seconds: u64,
    /// RLIMIT_FSIZE: the largest file the worker may write.
    pub file_size_bytes: u64,
    /// RLIMIT_NPROC: processes and threads of the user (not enforced for root; seccomp stops
    /// forks in native workers regardless).
    pub processes: u64,
    /// Enter a fresh network namespace when the kernel allows it.
    pub network_namespace: bool,
    /// Confine writes to the private temporary directory with Landlock when available.
    pub landlock: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            address_space_bytes: 4 << 30,
            cpu_seconds: 900,
            file_size_bytes: 2 << 30,
            processes: 4096,
            network_namespace: true,
            landlock: true,
        }
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
    /// A reply that does not answer the request: a wrong id, or an extra line. Only code running
    /// inside the worker (the candidate) can cause this.
    Forged(String),
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
    ids: std::collections::hash_map::RandomState,
    calls: u64,
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
        libc::SIGSYS => "SIGSYS (forbidden system call)",
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
        // Built here, enforced in the child: only async-signal-safe syscalls run after fork.
        let landlock = if lim.landlock { Landlock::writable_only(&[dir, Path::new("/dev")]) } else { None };
        let ruleset_fd = landlock.as_ref().map_or(-1, |l| l.raw_fd());
        // SAFETY: the closure runs in the forked child before exec and only calls
        // async-signal-safe functions (setsid, setrlimit, unshare, prctl, landlock) on stack data.
        unsafe {
            cmd.pre_exec(move || {
                libc::setsid();
                let set = |res, v: u64| {
                    let r = libc::rlimit { rlim_cur: v as libc::rlim_t, rlim_max: v as libc::rlim_t };
                    libc::setrlimit(res, &r);
                };
                if lim.address_space_bytes > 0 {
                    set(libc::RLIMIT_AS, lim.address_space_bytes);
                }
                set(libc::RLIMIT_CPU, lim.cpu_seconds);
                set(libc::RLIMIT_FSIZE, lim.file_size_bytes);
                set(libc::RLIMIT_NPROC, lim.processes);
                set(libc::RLIMIT_CORE, 0);
                enforce_in_child(ruleset_fd, lim.network_namespace);
                Ok(())
            });
        }
        let spawned = cmd.spawn();
        drop(landlock);
        let mut child = spawned.map_err(|e| PlatformError::io("cannot start the worker process", e))?;
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
        let ids = std::collections::hash_map::RandomState::new();
        Ok(WorkerProcess { child, stdin, lines, log, dead: false, ids, calls: 0 })
    }

    /// Send one request and wait for its response, at most `timeout`.
    pub fn call(&mut self, req: &Request, timeout: Duration) -> Result<Response, CallError> {
        if self.dead {
            return Err(self.death());
        }
        // A reply already waiting before the request was sent answers nothing: forged.
        if let Ok(Ok(line)) = self.lines.try_recv() {
            return Err(CallError::Forged(format!("unrequested reply on the protocol channel: {}", clip(&line))));
        }
        use std::hash::BuildHasher;
        self.calls += 1;
        let id = self.ids.hash_one(self.calls) >> 11; // exact in JSON numbers of any reader
        let line = serde_json::to_string(&Envelope { id, body: req }).expect("requests serialize") + "\n";
        let wrote = self.stdin.as_mut().map(|s| s.write_all(line.as_bytes()).and_then(|_| s.flush()));
        if !matches!(wrote, Some(Ok(()))) {
            return Err(self.death());
        }
        match self.lines.recv_timeout(timeout) {
            Ok(Ok(line)) => match serde_json::from_str::<Envelope<Response>>(&line) {
                Ok(Envelope { id: got, .. }) if got != id => {
                    Err(CallError::Forged(format!("reply with id {got} to request {id}: {}", clip(&line))))
                }
                Ok(Envelope { body: Response::Error { message }, .. }) => Err(CallError::Worker(message)),
                Ok(Envelope { body, .. }) => Ok(body),
                Err(e) => Err(CallError::Forged(format!("unreadable reply ({e}): {}", clip(&line)))),
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

fn clip(line: &str) -> String {
    line.trim().chars().take(200).collect()
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
        cmd.arg("-c").arg(
            r#"read line; id=$(echo "$line" | sed 's/.*"id":\([0-9]*\).*/\1/'); printf '{"id":%s,"op":"error","message":"%s"}\n' "$id" "$(env | tr '\n' ' ')""#,
        );
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
    fn a_reply_with_the_wrong_id_or_an_unrequested_reply_is_forged() {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new("sh");
        // Answers the first request with a made-up id, then sends two lines for the next one.
        cmd.arg("-c").arg(
            r#"read line; echo '{"id":1,"op":"ok"}'; read line; id=$(echo "$line" | sed 's/.*"id":\([0-9]*\).*/\1/'); printf '{"id":%s,"op":"ok"}\n{"id":%s,"op":"ok"}\n' "$id" "$id"; read line; sleep 5"#,
        );
        let mut w = WorkerProcess::spawn(cmd, dir.path(), Limits::default()).unwrap();
        match w.call(&Request::Hello, Duration::from_secs(10)) {
            Err(CallError::Forged(m)) => assert!(m.contains("reply with id 1 to request"), "{m}"),
            other => panic!("expected a forged reply, got {other:?}"),
        }
        assert_eq!(w.call(&Request::Hello, Duration::from_secs(10)), Ok(Response::Ok));
        std::thread::sleep(Duration::from_millis(200));
        match w.call(&Request::Hello, Duration::from_secs(10)) {
            Err(CallError::Forged(m)) => assert!(m.contains("unrequested reply"), "{m}"),
            other => panic!("expected an unrequested reply, got {other:?}"),
        }
    }

    #[test]
    fn a_sandboxed_worker_cannot_write_outside_its_directory_or_reach_the_network() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let target = outside.path().join("written-by-worker");
        let mut cmd = Command::new("sh");
        let script = format!(
            r#"read line; id=$(echo "$line" | sed 's/.*"id":\([0-9]*\).*/\1/'); (echo x > {t}) 2>/dev/null && w=wrote || w=denied; echo x > inside && i=wrote || i=denied; n=$(tail -n +3 /proc/self/net/dev | cut -d: -f1 | tr -d ' ' | tr '\n' ,); printf '{{"id":%s,"op":"error","message":"outside=%s inside=%s ifaces=%s"}}\n' "$id" "$w" "$i" "$n""#,
            t = target.display()
        );
        cmd.arg("-c").arg(script);
        let mut w = WorkerProcess::spawn(cmd, dir.path(), Limits::default()).unwrap();
        let Err(CallError::Worker(m)) = w.call(&Request::Hello, Duration::from_secs(10)) else { panic!("no report") };
        assert!(m.contains("inside=wrote"), "{m}");
        if crate::sandbox::landlock_abi().is_some() {
            assert!(m.contains("outside=denied"), "{m}");
            assert!(!target.exists());
        } else {
            eprintln!("Landlock is not available on this kernel: write confinement not tested");
        }
        // Where network namespaces are allowed (they are on this project's CI) only `lo` is left.
        let unshare_ok = Command::new("unshare").args(["-n", "true"]).status().is_ok_and(|s| s.success())
            || Command::new("unshare").args(["-rn", "true"]).status().is_ok_and(|s| s.success());
        if unshare_ok {
            assert!(m.contains("ifaces=lo,"), "{m}");
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
