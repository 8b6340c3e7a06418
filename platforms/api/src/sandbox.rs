//! The Linux sandbox around a worker process: what a candidate kernel may not do.
//!
//! Candidate code only ever runs in a worker child. Layers, applied in this order:
//!
//! * **In the harness, between fork and exec** ([`crate::worker::WorkerProcess::spawn`]): a new
//!   session and process group (so the whole tree can be killed), resource limits (address space,
//!   CPU time, file size, process count, no core dumps), a fresh **network namespace** with only a
//!   loopback device when the kernel allows one (directly as root, through a user namespace
//!   otherwise), `no_new_privs`, and a **Landlock** domain ([`Landlock`]): the worker may write
//!   only beneath its private temporary directory (and `/dev`), may not bind or connect TCP
//!   sockets, and may not signal processes outside its own domain — so a kernel cannot delete the
//!   results database, rewrite a task, or kill the harness, even when the harness runs as root.
//!   Landlock survives `exec`, so these hold for workers in any language (the Python/JAX worker
//!   too).
//! * **In native workers, before any candidate code is loaded** ([`install_worker_seccomp`]): a
//!   seccomp filter that kills the process on `fork`/`vfork`/non-thread `clone`, `exec*`, socket
//!   creation, `ptrace`, cross-process memory access, `kill` of any process and namespace or
//!   mount changes. Threads (OpenMP) stay allowed; `clone3` answers `ENOSYS` so the C library
//!   falls back to a `clone` the filter can inspect. A kernel that trips it dies with `SIGSYS`,
//!   which evaluation labels `sandbox_violation`.
//! * **Worker start-up** closes every inherited descriptor above stderr.
//!
//! Each layer is best effort where the kernel may lack it (Landlock needs Linux 5.13, network
//! namespaces may be forbidden in containers); [`describe`] says what a worker really got, and
//! `kernelsmith platforms` prints it.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;

// Landlock ABI (linux/landlock.h); constants are stable kernel ABI.
const LANDLOCK_CREATE_RULESET_VERSION: u32 = 1;
const LANDLOCK_RULE_PATH_BENEATH: u32 = 1;
const ACCESS_FS_WRITE_FILE: u64 = 1 << 1;
const ACCESS_FS_REMOVE_DIR: u64 = 1 << 4;
const ACCESS_FS_REMOVE_FILE: u64 = 1 << 5;
const ACCESS_FS_MAKE_CHAR: u64 = 1 << 6;
const ACCESS_FS_MAKE_DIR: u64 = 1 << 7;
const ACCESS_FS_MAKE_REG: u64 = 1 << 8;
const ACCESS_FS_MAKE_SOCK: u64 = 1 << 9;
const ACCESS_FS_MAKE_FIFO: u64 = 1 << 10;
const ACCESS_FS_MAKE_BLOCK: u64 = 1 << 11;
const ACCESS_FS_MAKE_SYM: u64 = 1 << 12;
const ACCESS_FS_REFER: u64 = 1 << 13; // ABI 2
const ACCESS_FS_TRUNCATE: u64 = 1 << 14; // ABI 3
const ACCESS_NET_BIND_TCP: u64 = 1 << 0; // ABI 4
const ACCESS_NET_CONNECT_TCP: u64 = 1 << 1; // ABI 4
const SCOPE_ABSTRACT_UNIX_SOCKET: u64 = 1 << 0; // ABI 6
const SCOPE_SIGNAL: u64 = 1 << 1; // ABI 6

#[repr(C)]
struct RulesetAttr {
    handled_access_fs: u64,
    handled_access_net: u64,
    scoped: u64,
}

#[repr(C, packed)]
struct PathBeneathAttr {
    allowed_access: u64,
    parent_fd: i32,
}

/// The Landlock ABI version of the running kernel, or `None` when Landlock is unavailable.
pub fn landlock_abi() -> Option<i32> {
    // SAFETY: landlock_create_ruleset with a null attribute and size 0 only queries the version.
    let v = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<RulesetAttr>(),
            0usize,
            LANDLOCK_CREATE_RULESET_VERSION,
        )
    };
    (v > 0).then_some(v as i32)
}

/// A Landlock ruleset built in the harness, to be enforced by the worker child between fork and
/// exec (only async-signal-safe syscalls happen there).
#[derive(Debug)]
pub struct Landlock {
    ruleset: OwnedFd,
    /// The kernel's Landlock ABI version.
    pub abi: i32,
}

impl Landlock {
    /// A ruleset allowing writes only beneath `writable`, denying TCP bind/connect (ABI ≥ 4) and
    /// signals or abstract sockets leaving the domain (ABI ≥ 6). Reads stay unrestricted: a
    /// worker must load its libraries and the compiled kernel. `None` when unavailable.
    pub fn writable_only(writable: &[&Path]) -> Option<Landlock> {
        let abi = landlock_abi()?;
        let mut fs = ACCESS_FS_WRITE_FILE
            | ACCESS_FS_REMOVE_DIR
            | ACCESS_FS_REMOVE_FILE
            | ACCESS_FS_MAKE_CHAR
            | ACCESS_FS_MAKE_DIR
            | ACCESS_FS_MAKE_REG
            | ACCESS_FS_MAKE_SOCK
            | ACCESS_FS_MAKE_FIFO
            | ACCESS_FS_MAKE_BLOCK
            | ACCESS_FS_MAKE_SYM;
        if abi >= 2 {
            fs |= ACCESS_FS_REFER;
        }
        if abi >= 3 {
            fs |= ACCESS_FS_TRUNCATE;
        }
        let attr = RulesetAttr {
            handled_access_fs: fs,
            handled_access_net: if abi >= 4 { ACCESS_NET_BIND_TCP | ACCESS_NET_CONNECT_TCP } else { 0 },
            scoped: if abi >= 6 { SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL } else { 0 },
        };
        let size = match abi {
            1..=3 => 8,
            4 | 5 => 16,
            _ => 24,
        };
        // SAFETY: attr is a valid landlock_ruleset_attr of at least `size` bytes.
        let fd = unsafe { libc::syscall(libc::SYS_landlock_create_ruleset, &attr as *const RulesetAttr, size, 0u32) };
        if fd < 0 {
            return None;
        }
        // SAFETY: fd is a fresh descriptor returned by the kernel, owned by nobody else.
        let ruleset = unsafe { OwnedFd::from_raw_fd(fd as i32) };
        for dir in writable {
            let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()) else { return None };
            // SAFETY: c is a valid NUL-terminated path.
            let pfd = unsafe { libc::open(c.as_ptr(), libc::O_PATH | libc::O_CLOEXEC) };
            if pfd < 0 {
                return None;
            }
            // SAFETY: pfd is ours.
            let pfd = unsafe { OwnedFd::from_raw_fd(pfd) };
            let rule = PathBeneathAttr { allowed_access: fs, parent_fd: pfd.as_raw_fd() };
            // SAFETY: rule is a valid landlock_path_beneath_attr.
            let r = unsafe {
                libc::syscall(
                    libc::SYS_landlock_add_rule,
                    ruleset.as_raw_fd(),
                    LANDLOCK_RULE_PATH_BENEATH,
                    &rule as *const PathBeneathAttr,
                    0u32,
                )
            };
            if r != 0 {
                return None;
            }
        }
        Some(Landlock { ruleset, abi })
    }

    /// The raw ruleset descriptor, for [`enforce_in_child`].
    pub fn raw_fd(&self) -> i32 {
        self.ruleset.as_raw_fd()
    }
}

/// Between fork and exec: enter a fresh network namespace (best effort), set `no_new_privs` and
/// enforce the Landlock ruleset `ruleset_fd` (-1 for none). Only async-signal-safe syscalls.
///
/// # Safety
/// Must only be called in a freshly forked child before exec.
pub unsafe fn enforce_in_child(ruleset_fd: i32, new_netns: bool) {
    // SAFETY (whole body): plain syscalls on values owned by this single-threaded child.
    unsafe {
        if new_netns {
            // As root a network namespace needs no user namespace; otherwise try one (it also makes
            // the child root inside it, which is harmless: Landlock and seccomp still apply).
            if libc::unshare(libc::CLONE_NEWNET) != 0 {
                let _ = libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET);
            }
        }
        libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        if ruleset_fd >= 0 {
            libc::syscall(libc::SYS_landlock_restrict_self, ruleset_fd, 0u32);
        }
    }
}

/// Install the worker's seccomp filter (see the module docs). Call once, early, in a native
/// worker before loading candidate code.
pub fn install_worker_seccomp() -> Result<(), String> {
    use seccompiler::{
        BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter, SeccompRule,
    };
    use std::collections::BTreeMap;
    let arch: seccompiler::TargetArch = std::env::consts::ARCH.try_into().map_err(|e| format!("{e:?}"))?;
    let mut deny: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    #[allow(unused_mut)]
    let mut always = vec![
        libc::SYS_execve,
        libc::SYS_execveat,
        libc::SYS_socket,
        libc::SYS_socketpair,
        libc::SYS_connect,
        libc::SYS_bind,
        libc::SYS_listen,
        libc::SYS_accept,
        libc::SYS_accept4,
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        libc::SYS_kill,
        libc::SYS_tkill,
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_unshare,
        libc::SYS_setns,
        libc::SYS_chroot,
        libc::SYS_pivot_root,
        libc::SYS_bpf,
        libc::SYS_perf_event_open,
        libc::SYS_keyctl,
        libc::SYS_add_key,
        libc::SYS_request_key,
        libc::SYS_init_module,
        libc::SYS_finit_module,
        libc::SYS_delete_module,
        libc::SYS_reboot,
        libc::SYS_kexec_load,
        libc::SYS_seccomp,
    ];
    #[cfg(target_arch = "x86_64")]
    always.extend([libc::SYS_fork, libc::SYS_vfork]);
    for s in always {
        deny.insert(s, vec![]);
    }
    let e = |e: seccompiler::BackendError| format!("{e}");
    // clone without CLONE_THREAD is a new process.
    let not_thread =
        SeccompCondition::new(0, SeccompCmpArgLen::Qword, SeccompCmpOp::MaskedEq(libc::CLONE_THREAD as u64), 0)
            .map_err(e)?;
    deny.insert(libc::SYS_clone, vec![SeccompRule::new(vec![not_thread]).map_err(e)?]);
    // tgkill is how abort()/raise() signal the calling process; any other target is denied.
    let other_pid =
        SeccompCondition::new(0, SeccompCmpArgLen::Dword, SeccompCmpOp::Ne, std::process::id() as u64).map_err(e)?;
    deny.insert(libc::SYS_tgkill, vec![SeccompRule::new(vec![other_pid]).map_err(e)?]);
    let kill = SeccompFilter::new(deny, SeccompAction::Allow, SeccompAction::KillProcess, arch).map_err(e)?;
    let mut clone3 = BTreeMap::new();
    clone3.insert(libc::SYS_clone3, vec![]);
    let enosys =
        SeccompFilter::new(clone3, SeccompAction::Allow, SeccompAction::Errno(libc::ENOSYS as u32), arch).map_err(e)?;
    for f in [enosys, kill] {
        let prog: BpfProgram = f.try_into().map_err(e)?;
        seccompiler::apply_filter_all_threads(&prog).map_err(|e| format!("{e}"))?;
    }
    Ok(())
}

/// Close every descriptor above stderr (workers call this first thing).
pub fn close_inherited_fds() {
    // SAFETY: close_range on fds this process owns; failure (old kernel) falls back to a loop.
    let r = unsafe { libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32) };
    if r != 0 {
        for fd in 3..1024 {
            // SAFETY: closing a descriptor that may not exist is harmless.
            unsafe { libc::close(fd) };
        }
    }
}

/// The protections in force in the calling process, as seen from inside (workers report this in
/// their `hello`). Each entry is `name: detail`.
pub fn describe() -> Vec<String> {
    let mut v = Vec::new();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status.lines().find_map(|l| l.strip_prefix(name).map(|r| r.trim().to_string())).unwrap_or_default()
    };
    if field("Seccomp:") == "2" {
        v.push("seccomp: fork/exec/sockets/ptrace/kill denied".to_string());
    }
    if field("NoNewPrivs:") == "1" {
        v.push("no_new_privs".to_string());
    }
    let ifaces: Vec<String> = std::fs::read_to_string("/proc/self/net/dev")
        .unwrap_or_default()
        .lines()
        .skip(2)
        .filter_map(|l| l.split(':').next().map(|s| s.trim().to_string()))
        .collect();
    if ifaces.iter().all(|i| i == "lo") {
        v.push("network: private namespace, loopback only".to_string());
    }
    // Landlock: try to create a file next to the private temporary directory (outside it).
    if let Some(tmp) = std::env::var_os("TMPDIR").map(std::path::PathBuf::from)
        && let Some(parent) = tmp.parent()
    {
        let probe = parent.join(format!(".kernelsmith-landlock-probe-{}", std::process::id()));
        match std::fs::File::create(&probe) {
            Ok(_) => {
                let _ = std::fs::remove_file(&probe);
            }
            Err(e) if e.raw_os_error() == Some(libc::EACCES) => {
                v.push(format!("landlock: writes only beneath {}", tmp.display()));
            }
            Err(_) => {}
        }
    }
    let lim = |res| {
        let mut r = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit writes into r.
        unsafe { libc::getrlimit(res, &mut r) };
        r.rlim_cur
    };
    // SAFETY: getuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let address_space = match lim(libc::RLIMIT_AS) {
        libc::RLIM_INFINITY => "unlimited (the device runtime reserves large virtual ranges)".to_string(),
        bytes => format!("{} MiB", bytes >> 20),
    };
    v.push(format!(
        "rlimits: address space {address_space}, cpu {} s, file size {} MiB, processes {}{}, core dumps {}",
        lim(libc::RLIMIT_CPU),
        lim(libc::RLIMIT_FSIZE) >> 20,
        lim(libc::RLIMIT_NPROC),
        if root { " (not enforced for root)" } else { "" },
        if lim(libc::RLIMIT_CORE) == 0 { "off" } else { "on" },
    ));
    v
}
