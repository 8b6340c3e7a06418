//! The compile step: static rules, the jaxpr rule and the TPU compile check, each in both
//! directions, through the real sandboxed check process; compile failures carry the Python
//! error; verdicts are cached. The worker's pure-Python unit tests run from here too.

mod common;

use kernelsmith_platform::Platform;
use kernelsmith_platform_xla::XlaPlatform;

fn compile_log(p: &XlaPlatform, task: &str, source: &str) -> Result<(), String> {
    match p.compile(&common::task(task), source).unwrap() {
        Ok(_) => Ok(()),
        Err(f) => Err(f.log),
    }
}

#[test]
fn python_unit_tests_pass() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let dir = common::repo().join("platforms/xla/worker/tests");
    let out = std::process::Command::new(p.config().python.as_ref().unwrap())
        .args(["-B", "-m", "unittest", "discover", "-s"])
        .arg(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && text.contains("OK"), "{text}");
}

#[test]
fn static_rules_refuse_what_a_kernel_has_no_use_for_before_running_it() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let relu = common::task("relu");
    let good = common::kernel("relu_pallas.py");
    assert_eq!(common::labels(&p, &relu, &good), Vec::<&str>::new());
    let cases = [
        ("import subprocess\n", "forbidden_process"),
        ("import socket\n", "forbidden_network"),
        ("import ctypes\n", "forbidden_dynamic_loading"),
        ("import threading\n", "forbidden_thread"),
        ("_ = open('/tmp/kernelsmith-cache', 'w')\n", "forbidden_file_io"),
        ("_ = jax.pure_callback\n", "forbidden_host_callback"),
        ("import jax\njax.config.update('jax_enable_x64', True)\n", "forbidden_monkeypatch"),
        ("import sys\n", "forbidden_introspection"),
    ];
    for (prefix, label) in cases {
        let src = format!("{prefix}{good}");
        let v = p.static_check(&relu, &src);
        assert_eq!(v.first().map(|v| v.label), Some(label), "{prefix}: {v:?}");
    }
    // A side effect at import would show the module ran: it must not have.
    let marker = cache.path().join("imported");
    let src = format!("import os\nopen({:?}, 'w')\n{good}", marker.display().to_string());
    assert!(!p.static_check(&relu, &src).is_empty());
    assert!(!marker.exists(), "the candidate was imported although the static rules refused it");

    assert_eq!(common::labels(&p, &relu, &common::kernel("relu_jnp.py")), vec!["no_pallas_call"]);
    assert_eq!(common::labels(&p, &relu, &good.replace("def kernel(", "def relu(")), vec!["missing_entry"]);
}

#[test]
fn the_jaxpr_rule_flags_work_outside_pallas_and_accepts_glue() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    for (task, file, needle) in [
        ("relu", "relu_outside.py", "max (float32[4096])"),
        ("relu", "relu_unused_pallas.py", "no output of `kernel` is computed from a pl.pallas_call"),
        ("sum_reduce", "sum_reduce_outside.py", "reduce_sum"),
        ("matmul", "matmul_outside.py", "dot_general"),
    ] {
        let v = p.static_check(&common::task(task), &common::kernel(file));
        assert_eq!(v.len(), 1, "{file}: {v:?}");
        assert_eq!(v[0].label, "work_outside_pallas", "{file}: {v:?}");
        assert!(v[0].message.contains(needle), "{file}: {}", v[0].message);
    }
    // Pallas at the sizes it expects to be checked at, jnp below: caught at the tiny trace.
    let v = p.static_check(&common::task("relu"), &common::kernel("relu_size_dependent.py"));
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].label, "no_pallas_call");
    assert!(v[0].message.starts_with("at size tiny: the traced kernel contains no pl.pallas_call"), "{v:?}");
    for (task, file) in [
        ("relu", "relu_pallas.py"),
        ("relu", "relu_block_8x100.py"),
        // Pallas sums 128-wide chunks; adding the few partial sums per row outside is glue.
        ("sum_reduce", "sum_reduce_partials.py"),
    ] {
        let t = common::task(task);
        assert_eq!(p.static_check(&t, &common::kernel(file)), vec![], "{file}");
        assert!(compile_log(&p, task, &common::kernel(file)).is_ok(), "{file}");
    }
}

#[test]
fn baselines_are_plain_jax_numpy_and_exempt_from_the_candidate_rules() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let t = common::task("sum_reduce");
    let baseline = t.baseline("baseline.py").unwrap();
    assert_eq!(p.role_of(&t, baseline), kernelsmith_platform_xla::Role::Baseline);
    assert_eq!(p.static_check(&t, baseline), vec![]);
    assert!(compile_log(&p, "sum_reduce", baseline).is_ok());
    // The same text plus a comment is a candidate, and jnp alone is not a Pallas kernel.
    assert_eq!(common::labels(&p, &t, &format!("# mine\n{baseline}")), vec!["no_pallas_call"]);
}

#[test]
fn sources_that_do_not_import_trace_or_fit_the_outputs_fail_to_compile_with_the_python_error() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let log = compile_log(&p, "relu", &common::kernel("relu_wrong_shape.py")).unwrap_err();
    assert!(log.contains("output `y` is float32[4095]; the task needs float32[4096]"), "{log}");
    let log = compile_log(&p, "relu", &common::kernel("relu_wrong_dtype.py")).unwrap_err();
    assert!(log.contains("output `y` is bfloat16[4096]"), "{log}");
    let log = compile_log(&p, "relu", &common::kernel("relu_raises.py")).unwrap_err();
    assert!(log.starts_with("tracing `kernel` at size tiny failed: "), "{log}");
    assert!(log.contains("File \"kernel.py\", line 8, in _relu"), "{log}");
    let log = compile_log(&p, "relu", "import jax\ndef kernel(x, *, N:\n    pass\n").unwrap_err();
    assert!(log.contains("SyntaxError"), "{log}");
    let log =
        compile_log(&p, "relu", &format!("{}\nraise RuntimeError('at import')\n", common::kernel("relu_pallas.py")))
            .unwrap_err();
    assert!(log.starts_with("importing kernel.py failed: RuntimeError: at import"), "{log}");
}

#[test]
fn the_tpu_compile_check_rejects_illegal_block_shapes_and_accepts_legal_ones() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), true) else { return };
    // Both run correctly in interpret mode; only the TPU lowering can tell.
    for (file, needle) in
        [("relu_block_8x100.py", "divisible by 8 and 128"), ("relu_block1000.py", "rank 1 block shapes")]
    {
        let log = compile_log(&p, "relu", &common::kernel(file)).unwrap_err();
        assert!(
            log.starts_with("TPU compile check failed (jax.export for TPU v5e at size gpu): ValueError"),
            "{file}: {log}"
        );
        assert!(log.contains(needle) && log.contains("kernel.py:") && !log.contains(".build-"), "{file}: {log}");
    }
    for (task, file) in
        [("relu", "relu_pallas.py"), ("relu", "relu_block_8xfull.py"), ("sum_reduce", "sum_reduce_partials.py")]
    {
        assert_eq!(compile_log(&p, task, &common::kernel(file)), Ok(()), "{file}");
    }
    // Without --tpu-check the same illegal kernel is fine (interpret mode does not care).
    let plain = common::platform(cache.path(), false).unwrap();
    assert_eq!(compile_log(&plain, "relu", &common::kernel("relu_block1000.py")), Ok(()));
}

#[test]
fn the_category_exemplars_pass_every_rule_and_the_tpu_compile_check() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), true) else { return };
    let mut checked = 0;
    for t in common::registry().tasks().iter().filter(|t| t.exemplar) {
        let Some(src) = t.baseline("pallas.py") else { continue };
        assert_eq!(p.static_check(t, src), vec![], "{}/pallas.py", t.id);
        if let Err(f) = p.compile(t, src).unwrap() {
            panic!("{}/pallas.py does not compile:\n{}", t.id, f.log);
        }
        checked += 1;
    }
    assert!(checked > 0, "no category exemplar ships a pallas.py");
}

#[test]
fn verdicts_are_cached_by_content() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let relu = common::task("relu");
    let src = common::kernel("relu_pallas.py");
    let first = p.compile(&relu, &src).unwrap().unwrap();
    assert!(!first.cached && first.compile_ms > 0.0);
    assert!(first.path.ends_with("kernel.py") && first.path.with_file_name("signature.json").is_file());
    let again = common::platform(cache.path(), false).unwrap();
    let second = again.compile(&relu, &src).unwrap().unwrap();
    assert!(second.cached && second.compile_ms == 0.0);
    assert_eq!(first.path, second.path);
    let other = again.compile(&relu, &format!("{src}\n# changed\n")).unwrap().unwrap();
    assert_ne!(other.path, first.path);
}
