//! `evaluate` on the xla platform end to end: a Pallas kernel passes and is timed in interpret
//! mode against the jax.numpy baseline; cheats, wrong answers, broken sources and kernels that
//! hang get the outcomes and labels the shared contract defines.

mod common;

use kernelsmith_platform::{EvalOptions, Outcome, Platform, evaluate};
use kernelsmith_platform_xla::{TIMING_INTERPRET, XlaPlatform};
use kernelsmith_tasks::SizeName;
use std::time::Duration;

fn quick() -> EvalOptions {
    EvalOptions { size: SizeName::Tiny, time: false, call_timeout: Duration::from_secs(60), ..EvalOptions::default() }
}

fn eval(p: &XlaPlatform, task: &str, file: &str, opts: &EvalOptions) -> kernelsmith_platform::EvalReport {
    evaluate(p, &common::task(task), &common::kernel(file), opts).unwrap()
}

#[test]
fn a_pallas_relu_passes_and_is_timed_in_interpret_mode() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    assert_eq!(p.timing_method(), TIMING_INTERPRET);
    assert!(p.timing_method().contains("interpret"));
    let opts = EvalOptions { time: true, warmup: 1, pairs: 3, input_sets: 2, ..quick() };
    let r = eval(&p, "relu", "relu_pallas.py", &opts);
    assert_eq!(r.outcome, Outcome::Passed, "{:?}\n{:?}", r.reason, r.worker_log);
    assert_eq!(r.max_abs_err, Some(0.0));
    assert!(r.trials.iter().any(|t| t.label == "heldout" && t.passed));
    let t = r.timing.expect("timed against the baseline");
    assert_eq!(t.pairs, 3);
    assert!(t.candidate_median_ns > 0.0 && t.baseline_median_ns > 0.0 && t.speedup > 0.0, "{t:?}");
}

#[test]
fn a_two_stage_reduction_passes() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let r = eval(&p, "sum_reduce", "sum_reduce_partials.py", &quick());
    assert_eq!(r.outcome, Outcome::Passed, "{:?}", r.reason);
}

#[test]
fn work_outside_pallas_is_static_rejected_with_its_label() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let r = eval(&p, "matmul", "matmul_outside.py", &quick());
    assert_eq!(r.outcome, Outcome::StaticRejected);
    assert_eq!(r.hack_label.as_deref(), Some("work_outside_pallas"));
    assert!(r.reason.as_deref().unwrap().contains("dot_general"), "{:?}", r.reason);
    let r = eval(&p, "relu", "relu_jnp.py", &quick());
    assert_eq!((r.outcome, r.hack_label.as_deref()), (Outcome::StaticRejected, Some("no_pallas_call")));
}

#[test]
fn a_wrong_answer_is_a_mismatch_and_a_wrong_shape_does_not_compile() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let src = common::kernel("relu_pallas.py").replace("jnp.maximum(x_ref[...], 0.0)", "jnp.maximum(x_ref[...], 0.5)");
    let r = evaluate(&p, &common::task("relu"), &src, &quick()).unwrap();
    assert_eq!(r.outcome, Outcome::Mismatch, "{:?}", r.reason);
    let r = eval(&p, "relu", "relu_wrong_shape.py", &quick());
    assert_eq!(r.outcome, Outcome::CompileFailed);
    assert!(r.reason.as_deref().unwrap().contains("output `y` is float32[4095]"), "{:?}", r.reason);
    assert!(r.compile_log.is_some());
}

#[test]
fn a_kernel_that_spins_at_run_time_times_out() {
    let cache = tempfile::tempdir().unwrap();
    let Some(p) = common::platform(cache.path(), false) else { return };
    let opts = EvalOptions { call_timeout: Duration::from_secs(5), ..quick() };
    let t0 = std::time::Instant::now();
    let r = eval(&p, "relu", "relu_hangs.py", &opts);
    assert_eq!(r.outcome, Outcome::Timeout, "{:?}", r.reason);
    assert!(t0.elapsed() < Duration::from_secs(60));
}
