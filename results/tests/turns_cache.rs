//! Tests of migration 0002 against real SQLite files in temporary directories: applying it to a
//! fresh file and to a file that only has 0001, the response cache, reading a sample's turns back,
//! cost on leaderboards and run progress.

use kernelsmith_results::render::leaderboard_table;
use kernelsmith_results::{
    GroupBy, LeaderboardQuery, NewEvaluation, NewGeneration, NewRun, ResultsError, RunProgress, Store,
};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, SqliteConnection};

const INIT_SQL: &str = include_str!("../migrations/0001_init.sql");

/// Columns migration 0002 adds to `generations`.
const NEW_COLUMNS: [&str; 8] = [
    "messages_json",
    "feedback",
    "code_diff",
    "cost_usd",
    "reasoning_tokens_source",
    "finish_reason",
    "attempts",
    "cached",
];

fn new_run(id: &str, model: &str) -> NewRun {
    NewRun {
        id: id.into(),
        model: model.into(),
        platform: "cpu".into(),
        size: "cpu".into(),
        samples: 2,
        seed: 7,
        harness_version: "0.1.0".into(),
        git_rev: None,
        device: "test cpu".into(),
        compiler: "cc 1.0".into(),
        compiler_flags: "-O3".into(),
        timing_method: "system".into(),
        config_json: "{}".into(),
    }
}

fn generation(run: &str, task: &str, sample_idx: u32, turn: u32) -> NewGeneration {
    NewGeneration {
        run_id: run.into(),
        task_id: task.into(),
        category: "elementwise".into(),
        sample_idx,
        turn,
        prompt: format!("write {task}"),
        response: Some(format!("```c\n/* turn {turn} */\n```")),
        extracted_code: Some(format!("/* turn {turn} */")),
        prompt_tokens: Some(100),
        completion_tokens: Some(50),
        ..NewGeneration::default()
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
        max_abs_err: None,
        max_rel_err: None,
        first_bad_index: None,
        failed_trial: None,
        speedup,
        candidate_median_ns: None,
        baseline_median_ns: None,
        compile_ms: None,
        eval_wall_ms: None,
        samples: vec![],
        report_json: format!("{{\"outcome\":\"{outcome}\"}}"),
    }
}

async fn connect(location: &str) -> SqliteConnection {
    SqliteConnectOptions::new().filename(location).create_if_missing(true).connect().await.unwrap()
}

async fn scalar(location: &str, sql: &str) -> i64 {
    let mut conn = connect(location).await;
    let n: i64 = sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    n
}

async fn generation_columns(location: &str) -> Vec<String> {
    let mut conn = connect(location).await;
    let names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM pragma_table_info('generations')").fetch_all(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    names
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

/// A database file on which only migration 0001 was applied, the way an older kernelsmith left
/// it (sqlx's own bookkeeping included), holding one run, one generation and its evaluation.
async fn database_with_only_0001(dir: &std::path::Path) -> String {
    let only_init = dir.join("migrations-0001");
    std::fs::create_dir(&only_init).unwrap();
    std::fs::write(only_init.join("0001_init.sql"), INIT_SQL).unwrap();
    let migrator = Migrator::new(only_init.as_path()).await.unwrap();

    let location = dir.join("old.db").to_str().unwrap().to_owned();
    // WAL like every file `Store::open` ever wrote (the journal mode is stored in the file).
    let mut conn = SqliteConnectOptions::new()
        .filename(&location)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .connect()
        .await
        .unwrap();
    migrator.run(&mut conn).await.unwrap();
    for sql in [
        "INSERT INTO runs (id, model, platform, size, samples, seed, harness_version, device, compiler, \
         compiler_flags, timing_method, config_json) \
         VALUES ('old', 'm-old', 'cpu', 'cpu', 1, 1, '0.0.1', 'cpu', 'cc', '-O2', 'system', '{}')",
        "INSERT INTO generations (id, run_id, task_id, category, sample_idx, turn, prompt, response, \
         extracted_code, prompt_tokens, completion_tokens) \
         VALUES (1, 'old', 'relu', 'elementwise', 0, 0, 'write relu', 'resp', 'code', 10, 5)",
        "INSERT INTO evaluations (generation_id, run_id, task_id, outcome, speedup, report_json) \
         VALUES (1, 'old', 'relu', 'passed', 1.25, '{}')",
    ] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();
    assert_eq!(scalar(&location, "SELECT COUNT(*) FROM _sqlx_migrations").await, 1);
    assert_eq!(scalar(&location, "SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'").await, 1);
    assert!(!generation_columns(&location).await.iter().any(|c| c == "cost_usd"));
    location
}

#[tokio::test]
async fn a_fresh_database_gets_every_migration() {
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().join("k.db").to_str().unwrap().to_owned();
    let store = Store::open(&location).await.unwrap();
    store.close().await;

    assert_eq!(scalar(&location, "SELECT COUNT(*) FROM _sqlx_migrations WHERE success").await, 3);
    assert_eq!(scalar(&location, "SELECT MAX(version) FROM _sqlx_migrations").await, 3);
    let columns = generation_columns(&location).await;
    for c in NEW_COLUMNS {
        assert!(columns.iter().any(|name| name == c), "missing generations.{c}: {columns:?}");
    }
    assert_eq!(scalar(&location, "SELECT COUNT(*) FROM response_cache").await, 0);

    // Reopening applies nothing twice, and an up-to-date file opens read-only.
    Store::open(&location).await.unwrap().close().await;
    assert_eq!(scalar(&location, "SELECT COUNT(*) FROM _sqlx_migrations").await, 3);
    let read_only = Store::open(&format!("sqlite://{location}?mode=ro")).await.unwrap();
    assert_eq!(read_only.cache_len().await.unwrap(), 0);
    assert!(read_only.cache_put("k", "p", "{}").await.is_err());
}

#[tokio::test]
async fn a_database_from_0001_is_upgraded_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let location = database_with_only_0001(dir.path()).await;

    let store = Store::open(&location).await.unwrap();
    assert_eq!(scalar(&location, "SELECT COUNT(*) FROM _sqlx_migrations WHERE success").await, 3);
    let columns = generation_columns(&location).await;
    for c in NEW_COLUMNS {
        assert!(columns.iter().any(|name| name == c), "missing generations.{c}: {columns:?}");
    }

    // The old row survived, with the new columns unknown.
    assert_eq!(store.get_run("old").await.unwrap().unwrap().run.model, "m-old");
    let turns = store.sample_turns("old", "relu", 0).await.unwrap();
    assert_eq!(turns.len(), 1);
    let t = &turns[0];
    assert_eq!((t.generation_id, t.turn, t.prompt.as_str()), (1, 0, "write relu"));
    assert_eq!((t.outcome.as_deref(), t.speedup), (Some("passed"), Some(1.25)));
    assert_eq!((&t.messages_json, &t.feedback, &t.code_diff, t.cost_usd, t.cached), (&None, &None, &None, None, false));

    // Old rows count on leaderboards with cost 0, and the upgraded file takes new rows.
    let all = LeaderboardQuery { by: GroupBy::Model, run_id: None, platform: None };
    let rows = store.leaderboard(&all).await.unwrap();
    assert_eq!((rows.len(), rows[0].n_samples, rows[0].cost_usd), (1, 1, 0.0));
    let mut next = generation("old", "relu", 0, 1);
    next.parent_id = Some(1);
    next.cost_usd = Some(0.5);
    store.record(&next, None).await.unwrap();
    assert_eq!(store.leaderboard(&all).await.unwrap()[0].cost_usd, 0.5);
    store.cache_put("k", "p", "{}").await.unwrap();
    assert_eq!(store.cache_len().await.unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_handles_upgrade_one_file_at_the_same_time() {
    let dir = tempfile::tempdir().unwrap();
    let location = database_with_only_0001(dir.path()).await;
    let (a, b) = tokio::join!(Store::open(&location), Store::open(&location));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(scalar(&location, "SELECT COUNT(*) FROM _sqlx_migrations WHERE success").await, 3);
    assert_eq!(a.sample_turns("old", "relu", 0).await.unwrap().len(), 1);
    assert_eq!(b.sample_turns("old", "relu", 0).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_cache_keeps_the_first_complete_response() {
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().join("k.db").to_str().unwrap().to_owned();
    let store = Store::open(&location).await.unwrap();

    assert_eq!(store.cache_get("missing").await.unwrap(), None);
    assert_eq!(store.cache_len().await.unwrap(), 0);

    let first = r#"{"text":"```c\nvoid f(){}\n```","prompt_tokens":12}"#;
    store.cache_put("key-1", "openai:gpt", first).await.unwrap();
    assert_eq!(store.cache_get("key-1").await.unwrap().as_deref(), Some(first));

    // A second put of the key is ignored, not an error.
    store.cache_put("key-1", "openai:gpt", r#"{"text":"other"}"#).await.unwrap();
    assert_eq!(store.cache_get("key-1").await.unwrap().as_deref(), Some(first));
    assert_eq!(store.cache_len().await.unwrap(), 1);

    // Empty, blank and truncated responses are refused and store nothing.
    for bad in ["", "  \n", r#"{"text":"cut of"#] {
        let err = store.cache_put("key-2", "openai:gpt", bad).await.unwrap_err();
        assert!(matches!(&err, ResultsError::InvalidCacheEntry { key, .. } if key == "key-2"), "{err}");
        assert!(err.to_string().contains("key-2"), "{err}");
    }
    assert_eq!(store.cache_get("key-2").await.unwrap(), None);

    store.cache_put("key-2", "anthropic:claude", "[1, 2]").await.unwrap();
    assert_eq!(store.cache_len().await.unwrap(), 2);
    assert_eq!(scalar(&location, "SELECT COUNT(*) FROM response_cache WHERE provider = 'anthropic:claude'").await, 1);

    // The cache outlives the handle.
    store.close().await;
    let again = Store::open(&location).await.unwrap();
    assert_eq!(again.cache_get("key-1").await.unwrap().as_deref(), Some(first));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_puts_of_one_key_from_two_handles_do_not_fail() {
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().join("k.db").to_str().unwrap().to_owned();
    let (a, b) = tokio::join!(Store::open(&location), Store::open(&location));
    let (a, b) = (a.unwrap(), b.unwrap());

    let writer = |store: Store, who: &'static str| {
        tokio::spawn(async move {
            for i in 0..50 {
                store.cache_put(&format!("key-{i}"), "p", &format!("{{\"by\":\"{who}\"}}")).await?;
            }
            Ok::<(), ResultsError>(())
        })
    };
    let (ra, rb) = tokio::join!(writer(a.clone(), "a"), writer(b.clone(), "b"));
    ra.unwrap().unwrap();
    rb.unwrap().unwrap();
    assert_eq!(a.cache_len().await.unwrap(), 50);
    for i in [0, 25, 49] {
        let got = b.cache_get(&format!("key-{i}")).await.unwrap().unwrap();
        assert!(got == r#"{"by":"a"}"# || got == r#"{"by":"b"}"#, "{got}");
    }
}

#[tokio::test]
async fn sample_turns_come_back_in_order_with_parents_evaluations_and_diffs() {
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().join("k.db").to_str().unwrap().to_owned();
    let store = Store::open(&location).await.unwrap();
    store.create_run(&new_run("r1", "m")).await.unwrap();

    let messages0 = r#"[{"role":"system","content":"s"},{"role":"user","content":"write relu"}]"#;
    let mut t0 = generation("r1", "relu", 1, 0);
    t0.messages_json = Some(messages0.into());
    t0.cost_usd = Some(0.01);
    t0.reasoning_tokens_source = Some("usage".into());
    t0.finish_reason = Some("stop".into());
    t0.attempts = Some(2);
    let mut e0 = evaluation("compile_failed", None);
    e0.compile_log = Some("error: expected ';'".into());
    let id0 = store.record(&t0, Some(&e0)).await.unwrap().generation_id;

    // Another sample and another task in between must not leak in.
    store.record(&generation("r1", "relu", 0, 0), Some(&evaluation("passed", Some(2.0)))).await.unwrap();
    store.record(&generation("r1", "gelu", 1, 0), None).await.unwrap();

    let feedback = "It did not compile:\nerror: expected ';'";
    let diff = "--- turn 0\n+++ turn 1\n@@ -1 +1 @@\n-/* turn 0 */\n+/* turn 1 */\n";
    let mut t1 = generation("r1", "relu", 1, 1);
    t1.parent_id = Some(id0);
    t1.prompt = feedback.into();
    t1.feedback = Some(feedback.into());
    t1.code_diff = Some(diff.into());
    t1.messages_json = Some(r#"[{"role":"user","content":"again"}]"#.into());
    t1.cached = true;
    t1.cost_usd = Some(0.0);
    let mut e1 = evaluation("mismatch", None);
    e1.max_abs_err = Some(0.5);
    e1.failed_trial = Some("seed 3".into());
    let id1 = store.record(&t1, Some(&e1)).await.unwrap().generation_id;

    let mut t2 = generation("r1", "relu", 1, 2);
    t2.parent_id = Some(id1);
    t2.response = None;
    t2.extracted_code = None;
    t2.error = Some("http 500".into());
    let id2 = store.record(&t2, None).await.unwrap().generation_id;

    let turns = store.sample_turns("r1", "relu", 1).await.unwrap();
    let shape: Vec<(u32, i64, Option<i64>)> = turns.iter().map(|t| (t.turn, t.generation_id, t.parent_id)).collect();
    assert_eq!(shape, [(0, id0, None), (1, id1, Some(id0)), (2, id2, Some(id1))]);

    let [first, second, third] = &turns[..] else { unreachable!() };
    assert_eq!(first.messages_json.as_deref(), Some(messages0));
    assert_eq!((first.feedback.as_deref(), first.code_diff.as_deref()), (None, None));
    assert_eq!(
        (first.outcome.as_deref(), first.reason.as_deref()),
        (Some("compile_failed"), Some("compile_failed reason"))
    );
    assert_eq!(first.compile_log.as_deref(), Some("error: expected ';'"));
    assert_eq!(first.report_json.as_deref(), Some(r#"{"outcome":"compile_failed"}"#));
    assert_eq!((first.cost_usd, first.cached), (Some(0.01), false));
    assert_eq!(first.extracted_code.as_deref(), Some("/* turn 0 */"));

    assert_eq!((second.prompt.as_str(), second.feedback.as_deref()), (feedback, Some(feedback)));
    assert_eq!(second.code_diff.as_deref(), Some(diff));
    assert_eq!((second.outcome.as_deref(), second.max_abs_err), (Some("mismatch"), Some(0.5)));
    assert_eq!(second.failed_trial.as_deref(), Some("seed 3"));
    assert_eq!((second.cost_usd, second.cached), (Some(0.0), true));

    assert_eq!((third.outcome.as_deref(), third.error.as_deref()), (None, Some("http 500")));
    assert_eq!((third.response.as_deref(), third.report_json.as_deref()), (None, None));

    // Columns the turn view does not carry are still stored.
    assert_eq!(
        scalar(
            &location,
            &format!(
                "SELECT COUNT(*) FROM generations WHERE id = {id0} AND reasoning_tokens_source = 'usage' \
                 AND finish_reason = 'stop' AND attempts = 2 AND cached = 0"
            ),
        )
        .await,
        1
    );

    assert!(store.sample_turns("r1", "relu", 7).await.unwrap().is_empty());
    assert!(store.sample_turns("nope", "relu", 1).await.unwrap().is_empty());

    // A conversation that is not JSON is refused and nothing is written.
    let mut bad = generation("r1", "relu", 5, 0);
    bad.messages_json = Some("[{".into());
    let err = store.record(&bad, None).await.unwrap_err();
    assert!(matches!(err, ResultsError::Query { .. }), "{err}");
    assert!(store.sample_turns("r1", "relu", 5).await.unwrap().is_empty());
}

#[tokio::test]
async fn leaderboard_cost_adds_up_every_turn() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("k.db").to_str().unwrap()).await.unwrap();
    store.create_run(&new_run("r1", "m1")).await.unwrap();
    store.create_run(&new_run("r2", "m2")).await.unwrap();

    // m1: t1 sample 0 takes two turns (0.01 then 0.02), t1 sample 1 has no known cost, t2 costs 0.5.
    let mut turn0 = generation("r1", "t1", 0, 0);
    turn0.cost_usd = Some(0.01);
    let id0 = store.record(&turn0, Some(&evaluation("compile_failed", None))).await.unwrap().generation_id;
    let mut turn1 = generation("r1", "t1", 0, 1);
    turn1.parent_id = Some(id0);
    turn1.cost_usd = Some(0.02);
    store.record(&turn1, Some(&evaluation("passed", Some(2.0)))).await.unwrap();
    store.record(&generation("r1", "t1", 1, 0), Some(&evaluation("mismatch", None))).await.unwrap();
    let mut other = generation("r1", "t2", 0, 0);
    other.cost_usd = Some(0.5);
    store.record(&other, Some(&evaluation("passed", Some(1.5)))).await.unwrap();
    // m2: no cost known anywhere.
    store.record(&generation("r2", "t1", 0, 0), Some(&evaluation("passed", Some(1.1)))).await.unwrap();

    let by_task =
        store.leaderboard(&LeaderboardQuery { by: GroupBy::Task, run_id: None, platform: None }).await.unwrap();
    let t1_m1 = by_task.iter().find(|r| r.model == "m1" && r.group.as_deref() == Some("t1")).unwrap();
    assert!(close(t1_m1.cost_usd, 0.03), "{}", t1_m1.cost_usd);
    // The sample's last turn still decides: one passed (after a compile failure), one mismatch.
    assert_eq!((t1_m1.n_samples, t1_m1.outcomes["passed"], t1_m1.outcomes["mismatch"]), (2, 1, 1));
    assert_eq!(t1_m1.outcomes["compile_failed"], 0);
    assert_eq!(t1_m1.prompt_tokens, 300);

    let by_model =
        store.leaderboard(&LeaderboardQuery { by: GroupBy::Model, run_id: None, platform: None }).await.unwrap();
    let m1 = by_model.iter().find(|r| r.model == "m1").unwrap();
    let m2 = by_model.iter().find(|r| r.model == "m2").unwrap();
    assert!(close(m1.cost_usd, 0.53), "{}", m1.cost_usd);
    assert_eq!(m2.cost_usd, 0.0);

    let table = leaderboard_table(&by_model, GroupBy::Model);
    let cost = table.headers.iter().position(|h| h == "cost").unwrap();
    let cells: Vec<(&str, &str)> = table.rows.iter().map(|r| (r[0].as_str(), r[cost].as_str())).collect();
    assert!(cells.contains(&("m1", "$0.5300")), "{cells:?}");
    assert!(cells.contains(&("m2", "$0")), "{cells:?}");

    // JSON exports carry the number.
    let json = serde_json::to_value(m1).unwrap();
    assert!(close(json["cost_usd"].as_f64().unwrap(), 0.53));
}

#[tokio::test]
async fn run_progress_counts_samples_by_their_highest_turn() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("k.db").to_str().unwrap()).await.unwrap();
    store.create_run(&new_run("r1", "m")).await.unwrap();
    store.create_run(&new_run("r2", "m")).await.unwrap();

    let err = store.run_progress("ghost").await.unwrap_err();
    assert!(matches!(&err, ResultsError::RunNotFound { id } if id == "ghost"), "{err}");
    let empty = RunProgress {
        run_id: "r1".into(),
        samples_started: 0,
        samples_finished: 0,
        samples_passed: 0,
        generations: 0,
        cost_usd: 0.0,
    };
    assert_eq!(store.run_progress("r1").await.unwrap(), empty);

    // t1#0: compile_failed, then passed (finished, passed).
    let mut g = generation("r1", "t1", 0, 0);
    g.cost_usd = Some(0.25);
    let id = store.record(&g, Some(&evaluation("compile_failed", None))).await.unwrap().generation_id;
    let mut g = generation("r1", "t1", 0, 1);
    g.parent_id = Some(id);
    g.cost_usd = Some(0.5);
    store.record(&g, Some(&evaluation("passed", Some(1.2)))).await.unwrap();
    // t1#1: passed, then a turn recorded without an evaluation yet (not finished).
    let id = store.record(&generation("r1", "t1", 1, 0), Some(&evaluation("passed", Some(1.0)))).await.unwrap();
    let mut g = generation("r1", "t1", 1, 1);
    g.parent_id = Some(id.generation_id);
    store.record(&g, None).await.unwrap();
    // t2#0: generation error (finished, not passed).
    let mut g = generation("r1", "t2", 0, 0);
    g.error = Some("http 429".into());
    store.record(&g, None).await.unwrap();
    // Another run does not count.
    store.record(&generation("r2", "t1", 0, 0), Some(&evaluation("passed", None))).await.unwrap();

    let progress = store.run_progress("r1").await.unwrap();
    assert_eq!(
        progress,
        RunProgress {
            run_id: "r1".into(),
            samples_started: 3,
            samples_finished: 2,
            samples_passed: 1,
            generations: 5,
            cost_usd: 0.75,
        }
    );
}
