//! Store tests against real SQLite files in temporary directories: opening and migrating,
//! atomic recording, resume keys, concurrency and the leaderboard numbers.

use std::collections::{BTreeMap, BTreeSet};

use kernelsmith_results::{
    GroupBy, LeaderRow, LeaderboardQuery, NewEvaluation, NewGeneration, NewRun, ResultsError, Store, geomean,
};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

fn new_run(id: &str, model: &str, platform: &str) -> NewRun {
    NewRun {
        id: id.into(),
        model: model.into(),
        platform: platform.into(),
        size: "cpu".into(),
        samples: 2,
        seed: u64::MAX - 7,
        harness_version: "0.1.0".into(),
        git_rev: Some("abc123".into()),
        device: "test cpu".into(),
        compiler: "cc 1.0".into(),
        compiler_flags: "-O3".into(),
        timing_method: "system".into(),
        config_json: "{}".into(),
    }
}

fn generation(run: &str, task: &str, category: &str, sample_idx: u32, turn: u32) -> NewGeneration {
    NewGeneration {
        run_id: run.into(),
        task_id: task.into(),
        category: category.into(),
        sample_idx,
        turn,
        parent_id: None,
        prompt: format!("write {task}"),
        response: Some("```c\nvoid f(){}\n```".into()),
        reasoning: None,
        reasoning_source: None,
        extracted_code: Some("void f(){}".into()),
        prompt_tokens: Some(100),
        completion_tokens: Some(50),
        reasoning_tokens: Some(10),
        latency_ms: Some(1234.5),
        error: None,
        messages_json: None,
        feedback: None,
        code_diff: None,
        cost_usd: None,
        reasoning_tokens_source: None,
        finish_reason: None,
        attempts: None,
        cached: false,
    }
}

fn failed_generation(run: &str, task: &str, category: &str, sample_idx: u32) -> NewGeneration {
    NewGeneration {
        response: None,
        extracted_code: None,
        prompt_tokens: None,
        completion_tokens: None,
        reasoning_tokens: None,
        error: Some("http 429: rate limited".into()),
        ..generation(run, task, category, sample_idx, 0)
    }
}

fn evaluation(outcome: &str, speedup: Option<f64>) -> NewEvaluation {
    NewEvaluation {
        outcome: outcome.into(),
        reason: (outcome != "passed").then(|| format!("{outcome} reason")),
        hack_label: None,
        flags: vec![],
        compile_log: None,
        worker_log: None,
        max_abs_err: Some(1e-7),
        max_rel_err: Some(1e-6),
        first_bad_index: None,
        failed_trial: None,
        speedup,
        candidate_median_ns: speedup.map(|s| 1000.0 / s),
        baseline_median_ns: speedup.map(|_| 1000.0),
        compile_ms: Some(12.0),
        eval_wall_ms: Some(80.0),
        samples: vec![],
        report_json: "{}".into(),
    }
}

async fn count(location: &str, table: &str) -> i64 {
    let mut conn = SqliteConnectOptions::new().filename(location).connect().await.unwrap();
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    n
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[tokio::test]
async fn open_creates_the_file_in_wal_mode_and_reopening_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/deeper/k.db");
    let location = path.to_str().unwrap();
    let store = Store::open(location).await.unwrap();
    assert_eq!(store.location(), location);
    assert!(path.is_file());
    store.create_run(&new_run("r1", "m", "cpu")).await.unwrap();
    store.close().await;

    let mut conn = SqliteConnectOptions::new().filename(&path).connect().await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut conn).await.unwrap();
    assert_eq!(mode, "wal");
    conn.close().await.unwrap();

    // Again by path, then by URL: the migration is applied once and the data survives.
    let again = Store::open(location).await.unwrap();
    assert!(again.get_run("r1").await.unwrap().is_some());
    let url = format!("sqlite://{location}");
    let by_url = Store::open(&url).await.unwrap();
    assert_eq!(by_url.list_runs().await.unwrap().len(), 1);
    assert_eq!(count(location, "_sqlx_migrations").await, 3);
}

#[tokio::test]
async fn open_on_an_unwritable_path_names_the_path() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let location = format!("{}/sub/x.db", file.path().display());
    let err = Store::open(&location).await.unwrap_err();
    let message = err.to_string();
    assert!(message.contains(&location), "{message}");
    assert!(message.contains("KERNELSMITH_DB"), "{message}");
}

#[tokio::test]
async fn runs_round_trip_and_their_status_changes() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("k.db").to_str().unwrap()).await.unwrap();
    let run = new_run("r1", "model-a", "cpu");
    store.create_run(&run).await.unwrap();
    store.create_run(&new_run("r2", "model-b", "cpu")).await.unwrap();

    let err = store.create_run(&run).await.unwrap_err();
    assert!(matches!(&err, ResultsError::RunExists { id } if id == "r1"), "{err}");

    let row = store.get_run("r1").await.unwrap().unwrap();
    assert_eq!((row.run.seed, row.run.samples, row.status.as_str()), (u64::MAX - 7, 2, "running"));
    assert_eq!(row.run.git_rev.as_deref(), Some("abc123"));
    assert_eq!(row.finished_at, None);
    assert!(row.created_at.ends_with('Z') && row.created_at.contains('T'), "{}", row.created_at);
    assert!(store.get_run("nope").await.unwrap().is_none());

    store.set_run_status("r1", "finished").await.unwrap();
    let row = store.get_run("r1").await.unwrap().unwrap();
    assert_eq!(row.status, "finished");
    assert!(row.finished_at.is_some());
    store.set_run_status("r1", "running").await.unwrap();
    assert_eq!(store.get_run("r1").await.unwrap().unwrap().finished_at, None);

    let err = store.set_run_status("r1", "done").await.unwrap_err();
    assert!(matches!(err, ResultsError::InvalidStatus { .. }), "{err}");
    let err = store.set_run_status("nope", "finished").await.unwrap_err();
    assert!(matches!(err, ResultsError::RunNotFound { .. }), "{err}");

    let ids: Vec<String> = store.list_runs().await.unwrap().into_iter().map(|r| r.run.id).collect();
    assert_eq!(ids, ["r1", "r2"]);
}

#[tokio::test]
async fn record_writes_generation_evaluation_and_samples_together() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let location = path.to_str().unwrap();
    let store = Store::open(location).await.unwrap();
    store.create_run(&new_run("r1", "m", "cpu")).await.unwrap();

    let mut eval = evaluation("passed", Some(1.5));
    eval.flags = vec!["suspicious_speedup".into()];
    eval.samples = vec![(100.0, 150.0), (110.0, 160.0), (f64::NAN, 155.0)];
    let ids = store.record(&generation("r1", "relu", "elementwise", 0, 0), Some(&eval)).await.unwrap();
    let evaluation_id = ids.evaluation_id.unwrap();

    let samples = store.timing_samples(evaluation_id).await.unwrap();
    assert_eq!(samples.len(), 3);
    assert_eq!(&samples[..2], &[(100.0, 150.0), (110.0, 160.0)]);
    assert!(samples[2].0.is_nan() && samples[2].1 == 155.0);

    let rows = store.evaluations(Some("r1")).await.unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!((row.id, row.generation_id), (evaluation_id, ids.generation_id));
    assert_eq!((row.model.as_str(), row.platform.as_str(), row.task_id.as_str()), ("m", "cpu", "relu"));
    assert_eq!((row.category.as_str(), row.sample_idx, row.turn), ("elementwise", 0, 0));
    assert_eq!(row.outcome, "passed");
    assert_eq!(row.flags, ["suspicious_speedup"]);
    assert_eq!(row.speedup, Some(1.5));
    assert_eq!(row.prompt_tokens, Some(100));
    assert!(store.evaluations(Some("other")).await.unwrap().is_empty());
    assert_eq!(store.evaluations(None).await.unwrap().len(), 1);

    // A second record of the same key is refused and leaves the first row alone.
    let err = store
        .record(&generation("r1", "relu", "elementwise", 0, 0), Some(&evaluation("mismatch", None)))
        .await
        .unwrap_err();
    match &err {
        ResultsError::Duplicate { run_id, task_id, sample_idx, turn } => {
            assert_eq!((run_id.as_str(), task_id.as_str(), *sample_idx, *turn), ("r1", "relu", 0, 0));
        }
        other => panic!("expected Duplicate, got {other}"),
    }
    assert_eq!(count(location, "generations").await, 1);
    assert_eq!(count(location, "evaluations").await, 1);
    assert_eq!(store.evaluations(None).await.unwrap()[0].outcome, "passed");

    // An evaluation the schema rejects rolls the generation back too.
    let mut bogus = evaluation("bogus", None);
    bogus.samples = vec![(1.0, 1.0)];
    let err = store.record(&generation("r1", "relu", "elementwise", 1, 0), Some(&bogus)).await.unwrap_err();
    assert!(matches!(err, ResultsError::Query { .. }), "{err}");
    assert!(err.to_string().contains("CHECK"), "{err}");
    assert_eq!(count(location, "generations").await, 1);
    assert_eq!(count(location, "evaluations").await, 1);
    assert_eq!(count(location, "timing_samples").await, 3);

    // Unknown runs are named.
    let err = store.record(&generation("ghost", "relu", "elementwise", 0, 0), None).await.unwrap_err();
    assert!(matches!(&err, ResultsError::RunNotFound { id } if id == "ghost"), "{err}");
}

#[tokio::test]
async fn finished_keys_are_exactly_what_was_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("k.db").to_str().unwrap()).await.unwrap();
    store.create_run(&new_run("r1", "m", "cpu")).await.unwrap();
    store.create_run(&new_run("r2", "m", "cpu")).await.unwrap();
    assert!(store.finished_keys("r1").await.unwrap().is_empty());

    let first =
        store.record(&generation("r1", "a", "c", 0, 0), Some(&evaluation("compile_failed", None))).await.unwrap();
    let mut retry = generation("r1", "a", "c", 0, 1);
    retry.parent_id = Some(first.generation_id);
    store.record(&retry, Some(&evaluation("passed", Some(2.0)))).await.unwrap();
    store.record(&failed_generation("r1", "b", "c", 1), None).await.unwrap();
    store.record(&generation("r2", "z", "c", 0, 0), None).await.unwrap();

    let expected: BTreeSet<(String, u32, u32)> =
        [("a".to_owned(), 0, 0), ("a".to_owned(), 0, 1), ("b".to_owned(), 1, 0)].into();
    assert_eq!(store.finished_keys("r1").await.unwrap(), expected);
    assert_eq!(store.finished_keys("r2").await.unwrap(), [("z".to_owned(), 0, 0)].into());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_handles_write_to_one_file_concurrently() {
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().join("k.db").to_str().unwrap().to_owned();
    // Both open (and migrate) a fresh file at the same time.
    let (a, b) = tokio::join!(Store::open(&location), Store::open(&location));
    let (a, b) = (a.unwrap(), b.unwrap());
    a.create_run(&new_run("r1", "m", "cpu")).await.unwrap();

    let writer = |store: Store, task: &'static str| {
        tokio::spawn(async move {
            for i in 0..50 {
                let mut eval = evaluation("passed", Some(1.1));
                eval.samples = vec![(1.0, 1.1); 5];
                store.record(&generation("r1", task, "c", i, 0), Some(&eval)).await?;
            }
            Ok::<(), ResultsError>(())
        })
    };
    let (ra, rb) = tokio::join!(writer(a.clone(), "a"), writer(b, "b"));
    ra.unwrap().unwrap();
    rb.unwrap().unwrap();
    assert_eq!(a.finished_keys("r1").await.unwrap().len(), 100);
    assert_eq!(count(&location, "evaluations").await, 100);
    assert_eq!(count(&location, "timing_samples").await, 500);
}

/// Two models on cpu over three tasks (t1, t2 elementwise; t3 reduction), two samples each, plus
/// a cuda run that the platform filter must leave out.
///
/// | model | t1                 | t2                        | t3                                      |
/// |-------|--------------------|---------------------------|-----------------------------------------|
/// | m1    | passed 2.0, 0.5    | mismatch, passed 1.5      | compile_failed, generation error        |
/// | m2    | passed 4.0, 0.8    | extract_failed, static_rejected | passed 1.0, (compile_failed → passed 3.0) |
async fn leaderboard_fixture(store: &Store) {
    store.create_run(&new_run("r1", "m1", "cpu")).await.unwrap();
    store.create_run(&new_run("r2", "m2", "cpu")).await.unwrap();
    store.create_run(&new_run("r3", "m1", "cuda")).await.unwrap();
    let rec = |g: NewGeneration, e: Option<NewEvaluation>| async move { store.record(&g, e.as_ref()).await.unwrap() };

    rec(generation("r1", "t1", "elementwise", 0, 0), Some(evaluation("passed", Some(2.0)))).await;
    rec(generation("r1", "t1", "elementwise", 1, 0), Some(evaluation("passed", Some(0.5)))).await;
    rec(generation("r1", "t2", "elementwise", 0, 0), Some(evaluation("mismatch", None))).await;
    rec(generation("r1", "t2", "elementwise", 1, 0), Some(evaluation("passed", Some(1.5)))).await;
    rec(generation("r1", "t3", "reduction", 0, 0), Some(evaluation("compile_failed", None))).await;
    rec(failed_generation("r1", "t3", "reduction", 1), None).await;

    rec(generation("r2", "t1", "elementwise", 0, 0), Some(evaluation("passed", Some(4.0)))).await;
    rec(generation("r2", "t1", "elementwise", 1, 0), Some(evaluation("passed", Some(0.8)))).await;
    rec(generation("r2", "t2", "elementwise", 0, 0), Some(evaluation("extract_failed", None))).await;
    rec(generation("r2", "t2", "elementwise", 1, 0), Some(evaluation("static_rejected", None))).await;
    rec(generation("r2", "t3", "reduction", 0, 0), Some(evaluation("passed", Some(1.0)))).await;
    let first = rec(generation("r2", "t3", "reduction", 1, 0), Some(evaluation("compile_failed", None))).await;
    let mut retry = generation("r2", "t3", "reduction", 1, 1);
    retry.parent_id = Some(first.generation_id);
    rec(retry, Some(evaluation("passed", Some(3.0)))).await;

    rec(generation("r3", "t1", "elementwise", 0, 0), Some(evaluation("passed", Some(9.0)))).await;
}

fn counts(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
    let mut all: BTreeMap<String, u32> = kernelsmith_results::OUTCOMES
        .iter()
        .chain([&kernelsmith_results::GENERATION_ERROR])
        .map(|k| (k.to_string(), 0))
        .collect();
    for (k, v) in pairs {
        all.insert(k.to_string(), *v);
    }
    all
}

struct Expect {
    model: &'static str,
    group: Option<&'static str>,
    n_tasks: u32,
    n_samples: u32,
    outcomes: &'static [(&'static str, u32)],
    comp_at_1: f64,
    pass_at_1: f64,
    pass_at_k: Option<(u32, f64)>,
    fast_1: f64,
    geomean_speedup: Option<f64>,
    best_speedup: Option<f64>,
    tokens: (i64, i64, i64),
}

fn check(row: &LeaderRow, e: &Expect) {
    let ctx = format!("{} {:?}", e.model, e.group);
    assert_eq!(row.model, e.model, "{ctx}");
    assert_eq!(row.platform, "cpu", "{ctx}");
    assert_eq!(row.group.as_deref(), e.group, "{ctx}");
    assert_eq!((row.n_tasks, row.n_samples, row.runs), (e.n_tasks, e.n_samples, 1), "{ctx}");
    assert_eq!(row.outcomes, counts(e.outcomes), "{ctx}");
    assert!(close(row.comp_at_1, e.comp_at_1), "{ctx}: comp@1 {}", row.comp_at_1);
    assert!(close(row.pass_at_1, e.pass_at_1), "{ctx}: pass@1 {}", row.pass_at_1);
    match (row.pass_at_k, e.pass_at_k) {
        (Some((k, v)), Some((ek, ev))) => assert!(k == ek && close(v, ev), "{ctx}: pass@k {k} {v}"),
        (got, want) => assert_eq!(got, want, "{ctx}"),
    }
    assert!(close(row.fast_1, e.fast_1), "{ctx}: fast_1 {}", row.fast_1);
    match (row.geomean_speedup, e.geomean_speedup) {
        (Some(g), Some(w)) => assert!(close(g, w), "{ctx}: geomean {g} vs {w}"),
        (got, want) => assert_eq!(got, want, "{ctx}"),
    }
    assert_eq!(row.best_speedup, e.best_speedup, "{ctx}");
    assert_eq!((row.prompt_tokens, row.completion_tokens, row.reasoning_tokens), e.tokens, "{ctx}");
}

fn cpu(by: GroupBy) -> LeaderboardQuery {
    LeaderboardQuery { by, run_id: None, platform: Some("cpu".into()) }
}

#[tokio::test]
async fn leaderboard_by_model_matches_hand_computed_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("k.db").to_str().unwrap()).await.unwrap();
    leaderboard_fixture(&store).await;

    let rows = store.leaderboard(&cpu(GroupBy::Model)).await.unwrap();
    assert_eq!(rows.len(), 2);
    // m2 ranks first: pass@1 (1 + 0 + 1)/3 against m1's (1 + 1/2 + 0)/3.
    check(
        &rows[0],
        &Expect {
            model: "m2",
            group: None,
            n_tasks: 3,
            n_samples: 6,
            outcomes: &[("passed", 4), ("extract_failed", 1), ("static_rejected", 1)],
            comp_at_1: 2.0 / 3.0,
            pass_at_1: 2.0 / 3.0,
            pass_at_k: Some((2, 2.0 / 3.0)),
            fast_1: (0.5 + 0.0 + 0.5) / 3.0,
            geomean_speedup: geomean(&[4.0, 0.8, 1.0, 3.0]),
            best_speedup: Some(4.0),
            tokens: (700, 350, 70),
        },
    );
    check(
        &rows[1],
        &Expect {
            model: "m1",
            group: None,
            n_tasks: 3,
            n_samples: 6,
            outcomes: &[("passed", 3), ("mismatch", 1), ("compile_failed", 1), ("generation_error", 1)],
            comp_at_1: 2.0 / 3.0,
            pass_at_1: 0.5,
            pass_at_k: Some((2, 2.0 / 3.0)),
            fast_1: 1.0 / 3.0,
            geomean_speedup: Some(1.5f64.powf(1.0 / 3.0)),
            best_speedup: Some(2.0),
            tokens: (500, 250, 50),
        },
    );

    // Without the platform filter the cuda run is its own row; with a run filter only that run.
    let all = store.leaderboard(&LeaderboardQuery { by: GroupBy::Model, run_id: None, platform: None }).await.unwrap();
    assert_eq!(all.len(), 3);
    assert!(all.iter().any(|r| r.model == "m1" && r.platform == "cuda" && r.n_samples == 1));
    let r1 = store
        .leaderboard(&LeaderboardQuery { by: GroupBy::Model, run_id: Some("r1".into()), platform: None })
        .await
        .unwrap();
    assert_eq!(r1.len(), 1);
    assert_eq!(r1[0], rows[1]);
}

#[tokio::test]
async fn leaderboard_by_category_matches_hand_computed_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("k.db").to_str().unwrap()).await.unwrap();
    leaderboard_fixture(&store).await;

    let rows = store.leaderboard(&cpu(GroupBy::Category)).await.unwrap();
    assert_eq!(rows.len(), 4);
    check(
        &rows[0],
        &Expect {
            model: "m1",
            group: Some("elementwise"),
            n_tasks: 2,
            n_samples: 4,
            outcomes: &[("passed", 3), ("mismatch", 1)],
            comp_at_1: 1.0,
            pass_at_1: 0.75,
            pass_at_k: Some((2, 1.0)),
            fast_1: 0.5,
            geomean_speedup: Some(1.5f64.powf(1.0 / 3.0)),
            best_speedup: Some(2.0),
            tokens: (400, 200, 40),
        },
    );
    check(
        &rows[1],
        &Expect {
            model: "m2",
            group: Some("elementwise"),
            n_tasks: 2,
            n_samples: 4,
            outcomes: &[("passed", 2), ("extract_failed", 1), ("static_rejected", 1)],
            comp_at_1: 0.5,
            pass_at_1: 0.5,
            pass_at_k: Some((2, 0.5)),
            fast_1: 0.25,
            geomean_speedup: Some(3.2f64.sqrt()),
            best_speedup: Some(4.0),
            tokens: (400, 200, 40),
        },
    );
    check(
        &rows[2],
        &Expect {
            model: "m2",
            group: Some("reduction"),
            n_tasks: 1,
            n_samples: 2,
            outcomes: &[("passed", 2)],
            comp_at_1: 1.0,
            pass_at_1: 1.0,
            pass_at_k: Some((2, 1.0)),
            fast_1: 0.5,
            geomean_speedup: Some(3.0f64.sqrt()),
            best_speedup: Some(3.0),
            tokens: (300, 150, 30),
        },
    );
    check(
        &rows[3],
        &Expect {
            model: "m1",
            group: Some("reduction"),
            n_tasks: 1,
            n_samples: 2,
            outcomes: &[("compile_failed", 1), ("generation_error", 1)],
            comp_at_1: 0.0,
            pass_at_1: 0.0,
            pass_at_k: Some((2, 0.0)),
            fast_1: 0.0,
            geomean_speedup: None,
            best_speedup: None,
            tokens: (100, 50, 10),
        },
    );
}

#[tokio::test]
async fn leaderboard_by_task_matches_hand_computed_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("k.db").to_str().unwrap()).await.unwrap();
    leaderboard_fixture(&store).await;

    let rows = store.leaderboard(&cpu(GroupBy::Task)).await.unwrap();
    let order: Vec<(&str, &str)> = rows.iter().map(|r| (r.group.as_deref().unwrap(), r.model.as_str())).collect();
    assert_eq!(order, [("t1", "m1"), ("t1", "m2"), ("t2", "m1"), ("t2", "m2"), ("t3", "m2"), ("t3", "m1")]);
    check(
        &rows[2],
        &Expect {
            model: "m1",
            group: Some("t2"),
            n_tasks: 1,
            n_samples: 2,
            outcomes: &[("passed", 1), ("mismatch", 1)],
            comp_at_1: 1.0,
            pass_at_1: 0.5,
            pass_at_k: Some((2, 1.0)),
            fast_1: 0.5,
            geomean_speedup: Some(1.5),
            best_speedup: Some(1.5),
            tokens: (200, 100, 20),
        },
    );
    // The second sample's last turn passed after a compile failure: it counts once, as passed,
    // while both turns' tokens count.
    check(
        &rows[4],
        &Expect {
            model: "m2",
            group: Some("t3"),
            n_tasks: 1,
            n_samples: 2,
            outcomes: &[("passed", 2)],
            comp_at_1: 1.0,
            pass_at_1: 1.0,
            pass_at_k: Some((2, 1.0)),
            fast_1: 0.5,
            geomean_speedup: Some(3.0f64.sqrt()),
            best_speedup: Some(3.0),
            tokens: (300, 150, 30),
        },
    );
    check(
        &rows[1],
        &Expect {
            model: "m2",
            group: Some("t1"),
            n_tasks: 1,
            n_samples: 2,
            outcomes: &[("passed", 2)],
            comp_at_1: 1.0,
            pass_at_1: 1.0,
            pass_at_k: Some((2, 1.0)),
            fast_1: 0.5,
            geomean_speedup: Some(3.2f64.sqrt()),
            best_speedup: Some(4.0),
            tokens: (200, 100, 20),
        },
    );
}

#[tokio::test]
async fn interpret_mode_timings_are_never_pooled_with_device_timings() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("k.db").to_str().unwrap()).await.unwrap();
    let interpreted =
        NewRun { timing_method: "pallas-interpret (CPU; not a device timing)".into(), ..new_run("ri", "m1", "xla") };
    let device = NewRun { timing_method: "jax-device (tpu, block_until_ready)".into(), ..new_run("rd", "m1", "xla") };
    store.create_run(&interpreted).await.unwrap();
    store.create_run(&device).await.unwrap();
    store.record(&generation("ri", "t1", "elementwise", 0, 0), Some(&evaluation("passed", Some(0.1)))).await.unwrap();
    store.record(&generation("rd", "t1", "elementwise", 0, 0), Some(&evaluation("passed", Some(3.0)))).await.unwrap();

    let q = LeaderboardQuery { by: GroupBy::Model, run_id: None, platform: Some("xla".into()) };
    let rows = store.leaderboard(&q).await.unwrap();
    let mut by_platform: Vec<(String, f64)> =
        rows.iter().map(|r| (r.platform.clone(), r.geomean_speedup.unwrap())).collect();
    by_platform.sort_by(|a, b| a.0.cmp(&b.0));
    let names: Vec<&str> = by_platform.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ["xla", "xla (interpret)"], "one row per timing kind");
    assert!(
        close(by_platform[0].1, 3.0) && close(by_platform[1].1, 0.1),
        "each row has only its own speedups: {by_platform:?}"
    );
}
