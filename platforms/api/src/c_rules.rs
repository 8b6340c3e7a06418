//! The rule engine shared by C-family platforms (cpu's C, cuda's CUDA C++): a source scanner that
//! blanks comments and literals, and a table-driven check of forbidden identifiers.
//!
//! Each platform keeps its own table of [`Rule`]s (what is forbidden differs: inline assembly is a
//! syscall escape hatch in C but an honest way to reach tensor cores in CUDA), while the scanning,
//! the entry-point check and the checks every native platform shares live here once.
//!
//! The rules run on the source with comments and string literals blanked out (so a comment saying
//! "no fork here" is fine), except the path rule, which looks inside string literals. They are a
//! cheap first layer; the worker's seccomp filter and Landlock domain stop the same things at run
//! time when a kernel hides them (through a function pointer built at run time, say).
//!
//! A name is matched as a whole identifier. Names that could plausibly be variables (`signal`,
//! `time`, `open`, ...) only count when followed by `(`.

use crate::Violation;

/// One forbidden construct: a stable label, the reason given to the model, identifiers matched
/// anywhere, and identifiers matched only when called.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Stable label stored as the evaluation's `hack_label`.
    pub label: &'static str,
    /// Why the construct is not allowed (shown to the model).
    pub why: &'static str,
    /// Identifiers that are violations wherever they appear.
    pub anywhere: &'static [&'static str],
    /// Identifiers that are violations only when followed by `(`.
    pub calls: &'static [&'static str],
}

/// Rules every native (C-family) platform enforces.
pub const COMMON_RULES: &[Rule] = &[
    Rule {
        label: "forbidden_process",
        why: "kernels may not create processes or run programs",
        anywhere: &[
            "fork",
            "vfork",
            "execl",
            "execlp",
            "execle",
            "execv",
            "execvp",
            "execvpe",
            "execve",
            "execveat",
            "fexecve",
            "popen",
            "posix_spawn",
            "posix_spawnp",
        ],
        calls: &["system", "daemon"],
    },
    Rule {
        label: "forbidden_network",
        why: "kernels may not use the network",
        anywhere: &["getaddrinfo", "gethostbyname", "sendto", "recvfrom", "sendmsg", "recvmsg"],
        calls: &["socket", "connect", "bind", "listen", "accept", "accept4"],
    },
    Rule {
        label: "forbidden_dynamic_loading",
        why: "kernels may not load libraries or look up symbols at run time",
        anywhere: &["dlopen", "dlmopen", "dlsym", "dlvsym"],
        calls: &[],
    },
    Rule {
        label: "forbidden_signal",
        why: "kernels may not install signal handlers, send signals or jump out of faults",
        anywhere: &["sigaction", "setjmp", "longjmp", "sigsetjmp", "siglongjmp", "_longjmp", "_setjmp"],
        calls: &["signal", "kill", "raise"],
    },
    Rule {
        label: "forbidden_memory_protection",
        why: "kernels may not change memory protections or map memory themselves",
        anywhere: &["mprotect", "pkey_mprotect", "mremap", "madvise"],
        calls: &["mmap", "mmap64"],
    },
    Rule {
        label: "forbidden_file_io",
        why: "kernels may not touch files (a cache on disk would outlive a call)",
        anywhere: &[
            "fopen",
            "freopen",
            "fdopen",
            "creat",
            "openat",
            "unlink",
            "unlinkat",
            "ftruncate",
            "ifstream",
            "ofstream",
            "fstream",
        ],
        calls: &["open", "remove", "rename", "write", "read", "pread", "pwrite"],
    },
    Rule {
        label: "forbidden_introspection",
        why: "kernels may not inspect the calling process (stack frames, link maps, environment)",
        anywhere: &[
            "__builtin_frame_address",
            "__builtin_return_address",
            "dl_iterate_phdr",
            "environ",
            "getenv",
            "ptrace",
        ],
        calls: &[],
    },
];

/// Blank comments and the contents of string and character literals, keeping line structure.
/// Returns (code, literal contents).
pub fn split_source(src: &str) -> (String, Vec<String>) {
    let b: Vec<char> = src.chars().collect();
    let mut code = String::with_capacity(src.len());
    let mut lits = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i < b.len() && !(b[i] == '*' && b.get(i + 1) == Some(&'/')) {
                if b[i] == '\n' {
                    code.push('\n');
                }
                i += 1;
            }
            i += 2;
            code.push(' ');
        } else if c == '"' || c == '\'' {
            let q = c;
            let mut lit = String::new();
            i += 1;
            while i < b.len() && b[i] != q && b[i] != '\n' {
                if b[i] == '\\' && i + 1 < b.len() {
                    lit.push(b[i]);
                    i += 1;
                }
                lit.push(b[i]);
                i += 1;
            }
            i += 1;
            code.push(q);
            code.push(q);
            lits.push(lit);
        } else {
            code.push(c);
            i += 1;
        }
    }
    (code, lits)
}

/// Identifiers of `code` with whether a `(` follows each.
pub fn identifiers(code: &str) -> Vec<(&str, bool)> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let preceded_by_digit = start > 0 && bytes[start - 1].is_ascii_digit();
            let mut j = i;
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t' || bytes[j] == b'\n') {
                j += 1;
            }
            if !preceded_by_digit {
                out.push((&code[start..i], bytes.get(j) == Some(&b'(')));
            }
        } else if c.is_ascii_digit() {
            // skip numeric literals such as 1e5f or 0x1p3 whole
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.' || bytes[i] == b'_') {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// All violations of `source` for the entry point `entry` under `rules` plus the checks every
/// native platform shares (entry point defined, no token pasting, no load-time constructors, no
/// system paths).
pub fn check(source: &str, entry: &str, rules: &[&[Rule]]) -> Vec<Violation> {
    let (code, literals) = split_source(source);
    let idents = identifiers(&code);
    let mut v = Vec::new();
    let defines_entry = idents.iter().any(|(name, call)| *name == entry && *call);
    if !defines_entry {
        v.push(Violation {
            label: "missing_entry",
            message: format!(
                "the entry point `{entry}(...)` is not defined; the kernel must define exactly the ABI function"
            ),
        });
    }
    for rule in rules.iter().flat_map(|r| r.iter()) {
        let mut found: Vec<&str> = idents
            .iter()
            .filter(|(name, call)| rule.anywhere.contains(name) || (*call && rule.calls.contains(name)))
            .map(|(name, _)| *name)
            .collect();
        found.sort_unstable();
        found.dedup();
        if !found.is_empty() {
            v.push(Violation { label: rule.label, message: format!("uses {}: {}", found.join(", "), rule.why) });
        }
    }
    if code.contains("##") {
        v.push(Violation {
            label: "forbidden_token_pasting",
            message: "uses `##` token pasting, which can hide forbidden names from review; write names out".into(),
        });
    }
    if code.contains("__attribute__") && ["constructor", "destructor"].iter().any(|w| code.contains(w)) {
        v.push(Violation {
            label: "forbidden_constructor",
            message: "declares a constructor/destructor: no code may run when the library loads or unloads".into(),
        });
    }
    let paths: Vec<&str> =
        ["/proc", "/sys/", "/dev/"].into_iter().filter(|p| literals.iter().any(|l| l.contains(p))).collect();
    if !paths.is_empty() {
        v.push(Violation {
            label: "forbidden_proc_access",
            message: format!(
                "names system paths ({}): kernels may not inspect the process or the machine",
                paths.join(", ")
            ),
        });
    }
    v
}
