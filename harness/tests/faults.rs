//! Faults around a run (issue #5): a disk that fills up mid-run, a database folder the harness
//! may not write, a database another process keeps locked. Each ends with a clear message, exit
//! status 2 and no panic, and afterwards the run completes with exactly one row per
//! (task, sample): nothing lost, nothing duplicated. (A corrupt task file, a candidate printing
//! megabytes of binary garbage, one that forks and a SIGKILLed run are covered in `cli.rs`,
//! `eval_outcomes.rs`, `adversarial.rs` and `run_resume.rs`.)

mod common;
use common::{Env, json, repo};
use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};

const TASKS: &str = "activation"; // 8 cheap tasks

fn run_args<'a>(db: &'a str, run: &'a str) -> Vec<&'a str> {
    vec![
        "run",
        "--model",
        "replay:examples/replay",
        "--tasks",
        TASKS,
        "--no-time",
        "--size",
        "tiny",
        "--run-id",
        run,
        "--db",
        db,
    ]
}

/// Samples stored per task for a run, from the leaderboard.
fn samples_per_task(env: &Env, db: &str, run: &str) -> BTreeMap<String, u64> {
    let o = env.run(&["leaderboard", "--run", run, "--by", "task", "--format", "json", "--db", db]);
    if o.stdout.is_empty() {
        return BTreeMap::new(); // "no results yet"
    }
    let rows = json(&o);
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| (r["group"].as_str().unwrap().to_string(), r["n_samples"].as_u64().unwrap()))
        .collect()
}

fn n_activation_tasks(env: &Env) -> usize {
    let o = env.run(&["tasks", "list", "--format", "json"]);
    json(&o).as_array().unwrap().iter().filter(|t| t["category"] == "activation").count()
}

fn assert_clean_failure(o: &Output, must_mention: &[&str]) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "expected exit 2 (harness error), got {:?}\n{err}", o.status);
    assert!(!err.contains("panicked"), "the harness panicked:\n{err}");
    for m in must_mention {
        assert!(err.contains(m), "message should mention {m:?}:\n{err}");
    }
}

fn assert_exactly_once(env: &Env, db: &str, run: &str) {
    let rows = samples_per_task(env, db, run);
    assert_eq!(rows.len(), n_activation_tasks(env), "{rows:?}");
    assert!(rows.values().all(|&n| n == 1), "a task was lost or duplicated: {rows:?}");
}

fn unshare_available() -> bool {
    Command::new("unshare").args(["-rm", "true"]).status().is_ok_and(|s| s.success())
}

#[test]
fn a_disk_that_fills_up_mid_run_is_a_clear_error_and_the_resumed_run_loses_and_duplicates_nothing() {
    let env = Env::new();
    let saved = env.dir.path().join("saved");
    std::fs::create_dir_all(&saved).unwrap();
    let small = env.dir.path().join("small");
    std::fs::create_dir_all(&small).unwrap();
    let exe = env!("CARGO_BIN_EXE_kernelsmith");
    let o = if unshare_available() {
        // A real full disk: a 192 KiB tmpfs in a private mount namespace (no root needed).
        let script = format!(
            "mount -t tmpfs -o size=192k none {small} && {exe} run --model replay:examples/replay --tasks {TASKS} \
             --no-time --size tiny --run-id full --db {small}/r.db; status=$?; cp {small}/r.db* {saved}/; exit $status",
            small = small.display(),
            saved = saved.display(),
        );
        Command::new("unshare")
            .args(["-rm", "sh", "-c", &script])
            .env("KERNELSMITH_CACHE", env.dir.path().join("cache"))
            .env_remove("KERNELSMITH_TASKS")
            .current_dir(repo())
            .output()
            .unwrap()
    } else {
        // No mount namespaces here: a file-size limit makes writes fail the same way.
        eprintln!("unshare -rm is not available: simulating the full disk with RLIMIT_FSIZE");
        let db = saved.join("r.db");
        let mut c = env.cmd();
        c.args(run_args(db.to_str().unwrap(), "full"));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            c.pre_exec(|| {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let r = libc::rlimit { rlim_cur: 192 << 10, rlim_max: 192 << 10 };
                libc::setrlimit(libc::RLIMIT_FSIZE, &r);
                Ok(())
            });
        }
        c.output().unwrap()
    };
    assert_clean_failure(&o, &["cannot store", "full"]);
    let db = saved.join("r.db");
    let db = db.to_str().unwrap();
    let before = samples_per_task(&env, db, "full");
    assert!(before.len() < n_activation_tasks(&env), "the disk never filled up: {before:?}");

    // Space again: resuming (without repeating --tasks: the run keeps its own) finishes the rest.
    let o = env.run(&[
        "run",
        "--resume",
        "full",
        "--model",
        "replay:examples/replay",
        "--no-time",
        "--size",
        "tiny",
        "--db",
        db,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_exactly_once(&env, db, "full");
}

/// Run `kernelsmith` with writes allowed only beneath `writable` (Landlock), so any other folder is
/// read-only for it, whoever runs the test (root included).
fn run_confined(env: &Env, writable: &Path, args: &[&str]) -> Option<Output> {
    let landlock = kernelsmith_platform::sandbox::Landlock::writable_only(&[writable, Path::new("/dev")])?;
    let fd = landlock.raw_fd();
    let mut c = env.cmd();
    c.args(args).env("TMPDIR", writable);
    // SAFETY: enforce_in_child only issues async-signal-safe syscalls.
    unsafe {
        c.pre_exec(move || {
            kernelsmith_platform::sandbox::enforce_in_child(fd, false);
            Ok(())
        });
    }
    let o = c.output().unwrap();
    drop(landlock);
    Some(o)
}

#[test]
fn a_read_only_database_folder_is_a_clear_error_and_changes_nothing() {
    let env = Env::new();
    let db_dir = env.dir.path().join("db");
    let scratch = env.dir.path().join("cache"); // the compile cache and temporary files live here
    std::fs::create_dir_all(&db_dir).unwrap();
    std::fs::create_dir_all(&scratch).unwrap();

    // A database that does not exist yet cannot be created in a read-only folder.
    let fresh = db_dir.join("fresh.db");
    let Some(o) = run_confined(&env, &scratch, &run_args(fresh.to_str().unwrap(), "ro")) else {
        eprintln!("Landlock is not available on this kernel: the read-only folder cannot be simulated here");
        return;
    };
    assert_clean_failure(&o, &["cannot open database", "fresh.db", "--db"]);
    assert!(!fresh.exists());

    // An existing database in a read-only folder: nothing is written, nothing is lost.
    let db = db_dir.join("r.db");
    let db_s = db.to_str().unwrap();
    let o = env.run(&run_args(db_s, "first"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run_confined(&env, &scratch, &run_args(db_s, "second")).unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    assert_exactly_once(&env, db_s, "first");
    assert!(samples_per_task(&env, db_s, "second").is_empty());
}

#[test]
fn a_database_locked_by_another_process_is_a_clear_error_then_the_run_completes() {
    let env = Env::new();
    let db = env.dir.path().join("r.db");
    let db_s = db.to_str().unwrap();
    let o = env.run(&run_args(db_s, "first"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // Another process takes the write lock and keeps it well past the harness's 5 s patience.
    let mut holder = Command::new("python3")
        .args([
            "-c",
            "import sqlite3, sys, time\n\
             c = sqlite3.connect(sys.argv[1], isolation_level=None)\n\
             c.execute('BEGIN EXCLUSIVE')\n\
             print('locked', flush=True)\n\
             time.sleep(30)",
            db_s,
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 is needed to hold a SQLite lock");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(holder.stdout.as_mut().unwrap()), &mut line).unwrap();
    assert_eq!(line.trim(), "locked");
    let o = env.run(&run_args(db_s, "second"));
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert_clean_failure(&o, &["database is locked", "another process"]);

    // Lock gone: the same command now completes the run, once per task.
    let o = env.run(&run_args(db_s, "second"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_exactly_once(&env, db_s, "second");
    assert_exactly_once(&env, db_s, "first");
}
