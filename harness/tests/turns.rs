//! Multi-turn refinement: a failed attempt is followed by feedback and a new attempt, every turn
//! is stored and linked to its parent, and the code diff between turns is viewable.

mod common;
use common::{Env, text};

const WRONG: &str = "Plan: copy.\n```c\n#include <stdint.h>\nint relu(const float* x, float* y, int64_t N) {\n    for (int64_t i = 0; i < N; ++i) y[i] = x[i];\n    return 0;\n}\n```\n";
const RIGHT: &str = "Fixed.\n```c\n#include <stdint.h>\nint relu(const float* x, float* y, int64_t N) {\n    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;\n    return 0;\n}\n```\n";

#[test]
fn a_mismatch_gets_feedback_and_the_next_turn_is_stored_with_its_parent_and_diff() {
    let env = Env::new();
    let replay = env.dir.path().join("replay");
    std::fs::create_dir_all(replay.join("cpu")).unwrap();
    std::fs::write(replay.join("cpu/relu.md"), WRONG).unwrap();
    std::fs::write(replay.join("cpu/relu.0.t1.md"), RIGHT).unwrap();
    let model = format!("replay:{}", replay.display());
    let o = env.run(&[
        "run",
        "--model",
        &model,
        "--platform",
        "cpu",
        "--tasks",
        "relu",
        "--turns",
        "3",
        "--no-time",
        "--run-id",
        "t",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("relu #0 turn 0: mismatch") && err.contains("relu #0 turn 1: passed"), "{err}");
    assert!(!err.contains("turn 2"), "a passing turn must end the sample: {err}");

    let o = env.run(&["diff", "--run", "t", "--task", "relu"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let d = String::from_utf8_lossy(&o.stdout);
    assert!(d.contains("=== turn 0: mismatch") && d.contains("=== turn 1: passed"), "{d}");
    assert!(d.contains("-    for (int64_t i = 0; i < N; ++i) y[i] = x[i];"), "{d}");
    assert!(d.contains("+    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;"), "{d}");

    // The leaderboard counts the sample once, by its last turn.
    let o = env.run(&["leaderboard", "--run", "t", "--by", "task", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(rows[0]["n_samples"], 1);
    assert_eq!(rows[0]["outcomes"]["passed"], 1);

    // Re-running adds nothing.
    let o = env.run(&[
        "run",
        "--model",
        &model,
        "--platform",
        "cpu",
        "--tasks",
        "relu",
        "--turns",
        "3",
        "--no-time",
        "--run-id",
        "t",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 already done"), "{}", text(&o));
}

#[test]
fn every_turn_failing_stops_at_the_turn_limit() {
    let env = Env::new();
    let replay = env.dir.path().join("replay");
    std::fs::create_dir_all(replay.join("cpu")).unwrap();
    std::fs::write(replay.join("cpu/relu.md"), WRONG).unwrap();
    let model = format!("replay:{}", replay.display());
    let o = env.run(&[
        "run",
        "--model",
        &model,
        "--platform",
        "cpu",
        "--tasks",
        "relu",
        "--turns",
        "2",
        "--no-time",
        "--run-id",
        "t2",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let d = String::from_utf8_lossy(&env.run(&["diff", "--run", "t2", "--task", "relu"]).stdout).into_owned();
    assert!(d.contains("=== turn 0: mismatch") && d.contains("=== turn 1: mismatch") && !d.contains("turn 2"), "{d}");
}
