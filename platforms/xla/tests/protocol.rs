//! The Python worker speaks protocol v2 exactly like the Rust workers: ids echoed, tensors as raw
//! files, prints kept off the channel, candidate and baseline timing state kept apart, and every
//! way a candidate can die (exit, hang, wrong outputs) turned into the call error evaluation
//! maps to an outcome. `hash_bytes` agrees with the Rust one byte for byte.

mod common;

use kernelsmith_platform::compare::POISON_F32;
use kernelsmith_platform::protocol::{
    Poison, Request, Response, TensorFile, TimingSet, Which, hash_bytes, read_tensor, write_tensor,
};
use kernelsmith_platform::worker::{CallError, WorkerProcess};
use kernelsmith_platform::{Platform, protocol};
use kernelsmith_platform_xla::{WORKER_SCRIPT, XlaPlatform};
use kernelsmith_reference::{Data, Tensor};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

/// An artifact folder written by hand (bypassing the compile step, so kernels the static rules
/// would refuse can reach the worker): `kernel.py` and the `signature.json` of relu.
/// `role` `baseline` spares it the worker's jaxpr rule.
fn hand_artifact(dir: &Path, name: &str, source: &str, role: &str) -> PathBuf {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("kernel.py"), source).unwrap();
    let sig = format!(
        r#"{{"task":"relu","dims":["N"],"inputs":[{{"name":"x","dtype":"f32"}}],"outputs":[{{"name":"y","dtype":"f32"}}],"role":"{role}"}}"#
    );
    std::fs::write(d.join("signature.json"), sig).unwrap();
    d.join("kernel.py")
}

fn relu_input(dir: &Path, n: usize, seed: f32) -> (Tensor, TensorFile) {
    let v: Vec<f32> = (0..n).map(|i| (i as f32 * 0.37 + seed).sin() * 3.0).collect();
    let t = Tensor::new(vec![n], Data::F32(v)).unwrap();
    let f = write_tensor(&dir.join(format!("x{seed}.bin")), &t).unwrap();
    (t, f)
}

fn output_file(dir: &Path, name: &str, n: usize) -> TensorFile {
    TensorFile { path: dir.join(name), dtype: "f32".into(), shape: vec![n] }
}

fn relu_of(t: &Tensor) -> Vec<f32> {
    let Data::F32(v) = &t.data else { unreachable!() };
    v.iter().map(|x| x.max(0.0)).collect()
}

fn f32s(f: &TensorFile) -> Vec<f32> {
    match read_tensor(f).expect("output written with the right size").data {
        Data::F32(v) => v,
        _ => unreachable!(),
    }
}

struct Session {
    _dir: tempfile::TempDir,
    work: PathBuf,
    worker: WorkerProcess,
}

fn start(p: &XlaPlatform, candidate: &Path, baseline: Option<&Path>) -> Session {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().to_path_buf();
    let mut worker = WorkerProcess::spawn(p.worker_command(), &work, p.worker_limits()).unwrap();
    match worker.call(&Request::Hello, Duration::from_secs(60)).unwrap() {
        Response::Hello { protocol, pid, .. } => {
            assert_eq!(protocol, protocol::PROTOCOL_VERSION);
            assert!(pid > 0);
        }
        other => panic!("{other:?}"),
    }
    let load = Request::Load { candidate: candidate.to_path_buf(), baseline: baseline.map(Path::to_path_buf) };
    assert_eq!(worker.call(&load, Duration::from_secs(60)).unwrap(), Response::Ok);
    Session { _dir: dir, work, worker }
}

fn run_relu(s: &mut Session, n: usize, timeout: Duration) -> (Tensor, TensorFile, Result<Response, CallError>) {
    let (x, xf) = relu_input(&s.work, n, 1.0);
    let out = output_file(&s.work, "y.bin", n);
    let req = Request::Run {
        kernel: Which::Candidate,
        inputs: vec![xf],
        outputs: vec![out.clone()],
        dims: vec![n as i64],
        poison: Poison::Nan,
        settle_ms: 5,
    };
    let r = s.worker.call(&req, timeout);
    (x, out, r)
}

fn compiled(p: &XlaPlatform, task: &str, source: &str) -> PathBuf {
    let t = common::task(task);
    match p.compile(&t, source).unwrap() {
        Ok(a) => a.path,
        Err(f) => panic!("does not compile:\n{}", f.log),
    }
}

#[test]
fn hello_echoes_the_request_id_and_announces_protocol_2() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let work = tempfile::tempdir().unwrap();
    let mut child = p
        .worker_command()
        .current_dir(work.path())
        .env("TMPDIR", work.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for id in [987_654_321_u64, 3, (1 << 53) - 1] {
        writeln!(stdin, r#"{{"id":{id},"op":"hello"}}"#).unwrap();
        let reply: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
        assert_eq!(reply["id"], id, "{reply}");
        assert_eq!(reply["op"], "hello", "{reply}");
        assert_eq!(reply["protocol"], 2, "{reply}");
        assert!(reply["pid"].as_u64().unwrap() > 0 && reply["sandbox"].is_array(), "{reply}");
    }
    writeln!(stdin, "this is not json").unwrap();
    let reply: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!((reply["id"].as_u64(), reply["op"].as_str()), (Some(0), Some("error")), "{reply}");
    writeln!(stdin, r#"{{"id":77,"op":"exit"}}"#).unwrap();
    let reply: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!((reply["id"].as_u64(), reply["op"].as_str()), (Some(77), Some("ok")), "{reply}");
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_pallas_relu_runs_with_input_hashes_and_no_late_writes() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let k = compiled(&p, "relu", &common::kernel("relu_pallas.py"));
    let mut s = start(&p, &k, None);
    // Not a multiple of the 1024 block: the partial last block must be handled.
    let (x, out, r) = run_relu(&mut s, 10_007, Duration::from_secs(60));
    let Response::Ran { status, input_hashes_before, input_hashes_after, late_write, elapsed_ns } = r.unwrap() else {
        panic!("not ran")
    };
    assert_eq!(status, 0);
    assert!(!late_write && elapsed_ns > 0.0);
    let sent = hash_bytes(&x.data.to_le_bytes());
    assert_eq!(input_hashes_before, vec![sent.clone()]);
    assert_eq!(input_hashes_after, vec![sent]);
    assert_eq!(f32s(&out), relu_of(&x));
}

#[test]
fn wrong_outputs_are_error_replies_naming_the_output() {
    let cache = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let short = hand_artifact(work.path(), "short", &common::kernel("relu_wrong_shape.py"), "candidate");
    let mut s = start(&p, &short, None);
    let (_, _, r) = run_relu(&mut s, 4096, Duration::from_secs(60));
    let Err(CallError::Worker(m)) = r else { panic!("{r:?}") };
    assert!(m.contains("output `y` is float32[4095]") && m.contains("needs float32[4096]"), "{m}");

    let two = hand_artifact(
        work.path(),
        "two",
        "import jax.numpy as jnp\ndef kernel(x, *, N):\n    return jnp.maximum(x, 0.0), x\n",
        "baseline",
    );
    let mut s = start(&p, &two, None);
    let (_, _, r) = run_relu(&mut s, 4096, Duration::from_secs(60));
    let Err(CallError::Worker(m)) = r else { panic!("{r:?}") };
    assert!(m.contains("returned 2 output(s); the task has 1 (y)"), "{m}");
}

#[test]
fn a_kernel_that_prints_does_not_corrupt_the_protocol() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    // The kernel prints lines that look like replies, at import and at trace time.
    let k = compiled(&p, "relu", &common::kernel("relu_prints.py"));
    let mut s = start(&p, &k, None);
    let (x, out, r) = run_relu(&mut s, 4096, Duration::from_secs(60));
    assert!(matches!(r, Ok(Response::Ran { status: 0, .. })), "{r:?}");
    assert_eq!(f32s(&out), relu_of(&x));
    assert!(matches!(s.worker.call(&Request::Hello, Duration::from_secs(10)), Ok(Response::Hello { .. })));
    let log = s.worker.finish();
    assert!(log.contains("tracing relu for 4096 elements"), "{log}");
}

#[test]
fn a_kernel_that_exits_is_a_dead_worker_and_one_that_spins_times_out() {
    let cache = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let exits = hand_artifact(work.path(), "exits", "import os\n\ndef kernel(x, *, N):\n    os._exit(7)\n", "baseline");
    let mut s = start(&p, &exits, None);
    let (_, _, r) = run_relu(&mut s, 4096, Duration::from_secs(60));
    match r {
        Err(CallError::Died { signal: None, description }) => {
            assert!(description.contains("status 7"), "{description}")
        }
        other => panic!("{other:?}"),
    }

    let spins =
        hand_artifact(work.path(), "spins", "def kernel(x, *, N):\n    while True:\n        pass\n", "baseline");
    let mut s = start(&p, &spins, None);
    let t0 = std::time::Instant::now();
    let (_, _, r) = run_relu(&mut s, 4096, Duration::from_secs(3));
    assert_eq!(r, Err(CallError::Timeout(Duration::from_secs(3))));
    assert!(t0.elapsed() < Duration::from_secs(30));

    let raises =
        hand_artifact(work.path(), "raises", "def kernel(x, *, N):\n    raise ValueError('nope')\n", "baseline");
    let mut s = start(&p, &raises, None);
    let (_, _, r) = run_relu(&mut s, 4096, Duration::from_secs(60));
    let Err(CallError::Worker(m)) = r else { panic!("{r:?}") };
    assert!(m.starts_with("`kernel` raised: ValueError: nope") && m.contains("kernel.py\", line 2"), "{m}");
}

#[test]
fn timing_requests_keep_the_candidate_and_baseline_apart() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let task = common::task("relu");
    let cand = compiled(&p, "relu", &common::kernel("relu_pallas.py"));
    let base = compiled(&p, "relu", task.baseline("baseline.py").unwrap());
    let mut s = start(&p, &cand, Some(&base));
    let n = 3000;
    let mut sets = Vec::new();
    let mut inputs = Vec::new();
    for k in 0..2 {
        let (x, xf) = relu_input(&s.work, n, k as f32 + 10.0);
        sets.push(TimingSet { inputs: vec![xf], outputs: vec![output_file(&s.work, &format!("t{k}.bin"), n)] });
        inputs.push(x);
    }
    let t = Duration::from_secs(60);
    assert_eq!(s.worker.call(&Request::Prepare { sets: sets.clone(), dims: vec![n as i64] }, t).unwrap(), Response::Ok);
    for (kernel, reps) in [(Which::Candidate, 3), (Which::Baseline, 4)] {
        let r = s.worker.call(&Request::Sample { kernel, reps, first_set: 0 }, t).unwrap();
        assert!(matches!(r, Response::Sampled { bad_status: None, worker_ns, .. } if worker_ns > 0.0), "{r:?}");
    }
    // The candidate called set 0 twice and set 1 once; the baseline's calls do not count.
    assert_eq!(
        s.worker.call(&Request::Collect { set: 0 }, t).unwrap(),
        Response::Collected { late_write: false, calls: 2 }
    );
    assert_eq!(f32s(&sets[0].outputs[0]), relu_of(&inputs[0]));
    assert_eq!(
        s.worker.call(&Request::Collect { set: 1 }, t).unwrap(),
        Response::Collected { late_write: false, calls: 1 }
    );
    assert_eq!(f32s(&sets[1].outputs[0]), relu_of(&inputs[1]));
    // Refilled and not called since: nothing was produced, so the output is the poison.
    let (fresh, ff) = relu_input(&s.work, n, 99.0);
    assert_eq!(s.worker.call(&Request::Refill { set: 0, inputs: vec![ff] }, t).unwrap(), Response::Ok);
    assert_eq!(
        s.worker.call(&Request::Collect { set: 0 }, t).unwrap(),
        Response::Collected { late_write: false, calls: 0 }
    );
    assert!(f32s(&sets[0].outputs[0]).iter().all(|v| v.to_bits() == POISON_F32));
    s.worker.call(&Request::Sample { kernel: Which::Candidate, reps: 1, first_set: 0 }, t).unwrap();
    s.worker.call(&Request::Collect { set: 0 }, t).unwrap();
    assert_eq!(f32s(&sets[0].outputs[0]), relu_of(&fresh));
}

#[test]
fn rust_and_python_hash_bytes_agree() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kernelsmith_xla_worker.py"), WORKER_SCRIPT).unwrap();
    let mut cases: Vec<Vec<u8>> =
        vec![vec![], b"a".to_vec(), b"1234567".to_vec(), b"12345678".to_vec(), b"123456789".to_vec()];
    cases.push((0..1001u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect());
    cases.push(vec![0xff; 64]);
    let hex: Vec<String> = cases.iter().map(|c| c.iter().map(|b| format!("{b:02x}")).collect()).collect();
    let code = "import sys\nsys.path.insert(0, sys.argv[1])\nimport kernelsmith_xla_worker as w\nfor h in sys.argv[2:]:\n    print(w.hash_bytes(bytes.fromhex(h)))\n";
    let out = std::process::Command::new(p.config().python.as_ref().unwrap())
        .args(["-I", "-B", "-c", code])
        .arg(dir.path())
        .args(&hex)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let python: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(String::from).collect();
    let rust: Vec<String> = cases.iter().map(|c| hash_bytes(c)).collect();
    assert_eq!(python, rust);
}
