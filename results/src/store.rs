//! The SQLite store: opening, migrating, writing runs and samples, reading them back.
//!
//! This module is the only place that speaks SQL. Queries are checked at runtime (no
//! `DATABASE_URL` at build time); the schema lives in `migrations/` and is embedded in the binary.
//! The database runs in WAL mode with a busy timeout so that several harness processes (or several
//! `Store` handles) can write to one file at once.

use std::collections::BTreeSet;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{FromRow, Sqlite, Transaction};

use crate::error::ResultsError;
use crate::metrics::{SampleOutcome, leaderboard_rows};
use crate::rows::{
    EvaluationRow, LeaderRow, LeaderboardQuery, NewEvaluation, NewGeneration, NewRun, RUN_STATUSES, RecordedIds, RunRow,
};

/// How long a writer waits for another writer's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections per handle: SQLite has one writer at a time, extra connections serve readers.
const MAX_CONNECTIONS: u32 = 4;

static MIGRATOR: Migrator = sqlx::migrate!();

/// A handle on the results database. Cheap to clone; clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    location: String,
}

impl Store {
    /// Opens (creating the file and its parent directories if missing) and migrates the database.
    ///
    /// `location` is a file path or a `sqlite://` / `sqlite:` URL (URL query parameters such as
    /// `?mode=ro` are honoured).
    pub async fn open(location: &str) -> Result<Store, ResultsError> {
        let (options, path) = connect_options(location)?;
        if let Some(dir) = path.as_deref().and_then(Path::parent)
            && !dir.as_os_str().is_empty()
        {
            tokio::fs::create_dir_all(dir).await.map_err(|cause| ResultsError::CreateDir {
                location: location.to_owned(),
                dir: dir.display().to_string(),
                cause,
            })?;
        }
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await
            .map_err(|cause| ResultsError::Open { location: location.to_owned(), cause })?;
        if MIGRATOR.run(&pool).await.is_err() {
            // Two processes opening a fresh file can both see the migration as pending; the loser
            // fails on "table already exists". A second pass sees it applied and succeeds, while a
            // real fault fails again and is reported.
            MIGRATOR
                .run(&pool)
                .await
                .map_err(|cause| ResultsError::Migrate { location: location.to_owned(), cause })?;
        }
        Ok(Store { pool, location: location.to_owned() })
    }

    /// The location this store was opened with, as given.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Closes every connection, checkpointing the WAL. Other clones become unusable.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Creates a run with status `running`; fails with [`ResultsError::RunExists`] if the id is taken.
    pub async fn create_run(&self, run: &NewRun) -> Result<(), ResultsError> {
        let result = sqlx::query(
            "INSERT INTO runs (id, model, platform, size, samples, seed, harness_version, git_rev, \
             device, compiler, compiler_flags, timing_method, config_json) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )
        .bind(&run.id)
        .bind(&run.model)
        .bind(&run.platform)
        .bind(&run.size)
        .bind(i64::from(run.samples))
        .bind(i64::from_ne_bytes(run.seed.to_ne_bytes()))
        .bind(&run.harness_version)
        .bind(&run.git_rev)
        .bind(&run.device)
        .bind(&run.compiler)
        .bind(&run.compiler_flags)
        .bind(&run.timing_method)
        .bind(&run.config_json)
        .execute(&self.pool)
        .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if is_unique_violation(&e) => Err(ResultsError::RunExists { id: run.id.clone() }),
            Err(cause) => Err(ResultsError::Query { action: format!("creating run {}", run.id), cause }),
        }
    }

    /// The run with this id, if any.
    pub async fn get_run(&self, id: &str) -> Result<Option<RunRow>, ResultsError> {
        let raw: Option<RunRaw> = sqlx::query_as(&format!("{RUN_SELECT} WHERE id = ?1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(ResultsError::query(format!("reading run {id}")))?;
        raw.map(RunRaw::into_row).transpose()
    }

    /// Every run, oldest first.
    pub async fn list_runs(&self) -> Result<Vec<RunRow>, ResultsError> {
        let raw: Vec<RunRaw> = sqlx::query_as(&format!("{RUN_SELECT} ORDER BY created_at, id"))
            .fetch_all(&self.pool)
            .await
            .map_err(ResultsError::query("listing runs"))?;
        raw.into_iter().map(RunRaw::into_row).collect()
    }

    /// Sets a run's status to `running`, `finished` or `interrupted`.
    ///
    /// `finished` and `interrupted` stamp `finished_at` with the time the run ended; `running`
    /// (a resumed run) clears it.
    pub async fn set_run_status(&self, id: &str, status: &str) -> Result<(), ResultsError> {
        if !RUN_STATUSES.contains(&status) {
            return Err(ResultsError::InvalidStatus { status: status.to_owned() });
        }
        let result = sqlx::query(
            "UPDATE runs SET status = ?2, finished_at = CASE ?2 WHEN 'running' THEN NULL \
             ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END WHERE id = ?1",
        )
        .bind(id)
        .bind(status)
        .execute(&self.pool)
        .await
        .map_err(ResultsError::query(format!("setting status of run {id} to {status}")))?;
        if result.rows_affected() == 0 {
            return Err(ResultsError::RunNotFound { id: id.to_owned() });
        }
        Ok(())
    }

    /// Inserts a generation and, if given, its evaluation and timing samples in one transaction:
    /// either every row is written or none is.
    ///
    /// The key (run, task, sample, turn) is written at most once; a second attempt fails with
    /// [`ResultsError::Duplicate`] and leaves the first untouched. A run id that does not exist
    /// fails with [`ResultsError::RunNotFound`].
    pub async fn record(&self, g: &NewGeneration, e: Option<&NewEvaluation>) -> Result<RecordedIds, ResultsError> {
        let action =
            || format!("recording run {}, task {}, sample {}, turn {}", g.run_id, g.task_id, g.sample_idx, g.turn);
        // IMMEDIATE takes the write lock up front, so a busy database is waited for (busy_timeout)
        // instead of failing halfway through the transaction.
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|cause| ResultsError::Query { action: action(), cause })?;
        match insert_all(&mut tx, g, e).await {
            Ok(ids) => {
                tx.commit().await.map_err(|cause| ResultsError::Query { action: action(), cause })?;
                Ok(ids)
            }
            Err(err) => {
                // Best effort: dropping the transaction rolls back too; the insert error is the news.
                let _ = tx.rollback().await;
                Err(match err {
                    InsertError::Generation(cause) if is_unique_violation(&cause) => ResultsError::Duplicate {
                        run_id: g.run_id.clone(),
                        task_id: g.task_id.clone(),
                        sample_idx: g.sample_idx,
                        turn: g.turn,
                    },
                    InsertError::Generation(cause) if is_foreign_key_violation(&cause) && g.parent_id.is_none() => {
                        ResultsError::RunNotFound { id: g.run_id.clone() }
                    }
                    InsertError::Generation(cause) => ResultsError::Query { action: action(), cause },
                    InsertError::Evaluation(cause) => {
                        ResultsError::Query { action: format!("{} (evaluation; nothing was written)", action()), cause }
                    }
                })
            }
        }
    }

    /// Keys `(task_id, sample_idx, turn)` that already have a generation row in this run; resume
    /// skips them.
    pub async fn finished_keys(&self, run_id: &str) -> Result<BTreeSet<(String, u32, u32)>, ResultsError> {
        let raw: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT task_id, sample_idx, turn FROM generations WHERE run_id = ?1")
                .bind(run_id)
                .fetch_all(&self.pool)
                .await
                .map_err(ResultsError::query(format!("reading finished keys of run {run_id}")))?;
        raw.into_iter()
            .map(|(task_id, sample_idx, turn)| {
                let what = |field: &str| format!("generations.{field} of run {run_id}, task {task_id}");
                let sample_idx = to_u32(sample_idx, || what("sample_idx"))?;
                let turn = to_u32(turn, || what("turn"))?;
                Ok((task_id, sample_idx, turn))
            })
            .collect()
    }

    /// Evaluations joined with their generation and run, for one run or all; ordered by run
    /// creation, then task, sample and turn.
    pub async fn evaluations(&self, run_id: Option<&str>) -> Result<Vec<EvaluationRow>, ResultsError> {
        let raw: Vec<EvaluationRaw> = sqlx::query_as(
            "SELECT e.id, e.generation_id, e.run_id, r.model, r.platform, g.task_id, g.category, \
             g.sample_idx, g.turn, e.outcome, e.reason, e.flags_json, e.max_abs_err, e.max_rel_err, \
             e.first_bad_index, e.failed_trial, e.speedup, e.candidate_median_ns, e.baseline_median_ns, \
             e.compile_ms, e.eval_wall_ms, g.prompt_tokens, g.completion_tokens, g.reasoning_tokens, \
             e.created_at \
             FROM evaluations e JOIN generations g ON g.id = e.generation_id JOIN runs r ON r.id = e.run_id \
             WHERE ?1 IS NULL OR e.run_id = ?1 \
             ORDER BY r.created_at, e.run_id, g.task_id, g.sample_idx, g.turn",
        )
        .bind(run_id)
        .fetch_all(&self.pool)
        .await
        .map_err(ResultsError::query(match run_id {
            Some(id) => format!("reading evaluations of run {id}"),
            None => "reading evaluations".to_owned(),
        }))?;
        raw.into_iter().map(EvaluationRaw::into_row).collect()
    }

    /// Raw timing pairs `(candidate_ns, baseline_ns)` of an evaluation, in measurement order.
    /// A sample stored as NULL (SQLite's NaN) comes back as NaN.
    pub async fn timing_samples(&self, evaluation_id: i64) -> Result<Vec<(f64, f64)>, ResultsError> {
        let raw: Vec<(Option<f64>, Option<f64>)> = sqlx::query_as(
            "SELECT candidate_ns, baseline_ns FROM timing_samples WHERE evaluation_id = ?1 ORDER BY pair_idx",
        )
        .bind(evaluation_id)
        .fetch_all(&self.pool)
        .await
        .map_err(ResultsError::query(format!("reading timing samples of evaluation {evaluation_id}")))?;
        Ok(raw.into_iter().map(|(c, b)| (c.unwrap_or(f64::NAN), b.unwrap_or(f64::NAN))).collect())
    }

    /// Leaderboard computed from the raw rows (see [`leaderboard_rows`] for the definitions).
    pub async fn leaderboard(&self, q: &LeaderboardQuery) -> Result<Vec<LeaderRow>, ResultsError> {
        let raw: Vec<TurnRaw> = sqlx::query_as(
            "SELECT g.run_id, r.model, r.platform, g.task_id, g.category, g.sample_idx, \
             g.error IS NOT NULL AS has_error, g.prompt_tokens, g.completion_tokens, g.reasoning_tokens, \
             e.outcome, e.speedup \
             FROM generations g JOIN runs r ON r.id = g.run_id \
             LEFT JOIN evaluations e ON e.generation_id = g.id \
             WHERE (?1 IS NULL OR g.run_id = ?1) AND (?2 IS NULL OR r.platform = ?2) \
             ORDER BY g.run_id, g.task_id, g.sample_idx, g.turn",
        )
        .bind(&q.run_id)
        .bind(&q.platform)
        .fetch_all(&self.pool)
        .await
        .map_err(ResultsError::query("reading rows for the leaderboard"))?;

        // Rows arrive ordered by sample then turn: the last turn of a sample decides its outcome,
        // every turn adds to its tokens.
        let mut samples: Vec<SampleOutcome> = Vec::new();
        for turn in raw {
            let sample_idx =
                to_u32(turn.sample_idx, || format!("sample_idx of run {}, task {}", turn.run_id, turn.task_id))?;
            let tokens = (
                turn.prompt_tokens.unwrap_or(0),
                turn.completion_tokens.unwrap_or(0),
                turn.reasoning_tokens.unwrap_or(0),
            );
            match samples.last_mut() {
                Some(s) if s.run_id == turn.run_id && s.task_id == turn.task_id && s.sample_idx == sample_idx => {
                    s.category = turn.category;
                    s.outcome = turn.outcome;
                    s.generation_error = turn.has_error != 0;
                    s.speedup = turn.speedup;
                    s.prompt_tokens += tokens.0;
                    s.completion_tokens += tokens.1;
                    s.reasoning_tokens += tokens.2;
                }
                _ => samples.push(SampleOutcome {
                    run_id: turn.run_id,
                    model: turn.model,
                    platform: turn.platform,
                    task_id: turn.task_id,
                    category: turn.category,
                    sample_idx,
                    outcome: turn.outcome,
                    generation_error: turn.has_error != 0,
                    speedup: turn.speedup,
                    prompt_tokens: tokens.0,
                    completion_tokens: tokens.1,
                    reasoning_tokens: tokens.2,
                }),
            }
        }
        Ok(leaderboard_rows(&samples, q.by))
    }
}

/// Splits `location` into connect options and, for a file, its path (for creating parents).
fn connect_options(location: &str) -> Result<(SqliteConnectOptions, Option<std::path::PathBuf>), ResultsError> {
    let Some(rest) = location.strip_prefix("sqlite:") else {
        return Ok((SqliteConnectOptions::new().filename(location), Some(location.into())));
    };
    let options = SqliteConnectOptions::from_str(location)
        .map_err(|cause| ResultsError::Open { location: location.to_owned(), cause })?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let file = rest.split_once('?').map_or(rest, |(file, _)| file);
    let path = (!file.is_empty() && file != ":memory:").then(|| file.into());
    Ok((options, path))
}

enum InsertError {
    Generation(sqlx::Error),
    Evaluation(sqlx::Error),
}

async fn insert_all(
    tx: &mut Transaction<'static, Sqlite>,
    g: &NewGeneration,
    e: Option<&NewEvaluation>,
) -> Result<RecordedIds, InsertError> {
    let generation_id = sqlx::query(
        "INSERT INTO generations (run_id, task_id, category, sample_idx, turn, parent_id, prompt, \
         response, reasoning, reasoning_source, extracted_code, prompt_tokens, completion_tokens, \
         reasoning_tokens, latency_ms, error) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )
    .bind(&g.run_id)
    .bind(&g.task_id)
    .bind(&g.category)
    .bind(i64::from(g.sample_idx))
    .bind(i64::from(g.turn))
    .bind(g.parent_id)
    .bind(&g.prompt)
    .bind(&g.response)
    .bind(&g.reasoning)
    .bind(&g.reasoning_source)
    .bind(&g.extracted_code)
    .bind(g.prompt_tokens)
    .bind(g.completion_tokens)
    .bind(g.reasoning_tokens)
    .bind(g.latency_ms)
    .bind(&g.error)
    .execute(&mut **tx)
    .await
    .map_err(InsertError::Generation)?
    .last_insert_rowid();

    let Some(e) = e else {
        return Ok(RecordedIds { generation_id, evaluation_id: None });
    };
    let flags_json = serde_json::Value::from(e.flags.clone()).to_string();
    let evaluation_id = sqlx::query(
        "INSERT INTO evaluations (generation_id, run_id, task_id, outcome, reason, flags_json, \
         compile_log, worker_log, max_abs_err, max_rel_err, first_bad_index, failed_trial, speedup, \
         candidate_median_ns, baseline_median_ns, compile_ms, eval_wall_ms, report_json) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )
    .bind(generation_id)
    .bind(&g.run_id)
    .bind(&g.task_id)
    .bind(&e.outcome)
    .bind(&e.reason)
    .bind(flags_json)
    .bind(&e.compile_log)
    .bind(&e.worker_log)
    .bind(e.max_abs_err)
    .bind(e.max_rel_err)
    .bind(e.first_bad_index)
    .bind(&e.failed_trial)
    .bind(e.speedup)
    .bind(e.candidate_median_ns)
    .bind(e.baseline_median_ns)
    .bind(e.compile_ms)
    .bind(e.eval_wall_ms)
    .bind(&e.report_json)
    .execute(&mut **tx)
    .await
    .map_err(InsertError::Evaluation)?
    .last_insert_rowid();

    for (pair_idx, (candidate_ns, baseline_ns)) in e.samples.iter().enumerate() {
        sqlx::query(
            "INSERT INTO timing_samples (evaluation_id, pair_idx, candidate_ns, baseline_ns) \
             VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(evaluation_id)
        .bind(i64::try_from(pair_idx).unwrap_or(i64::MAX))
        .bind(candidate_ns)
        .bind(baseline_ns)
        .execute(&mut **tx)
        .await
        .map_err(InsertError::Evaluation)?;
    }
    Ok(RecordedIds { generation_id, evaluation_id: Some(evaluation_id) })
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.is_unique_violation())
}

fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.is_foreign_key_violation())
}

fn to_u32(value: i64, what: impl FnOnce() -> String) -> Result<u32, ResultsError> {
    u32::try_from(value).map_err(|_| ResultsError::Corrupt {
        what: what(),
        detail: format!("{value} is not a valid unsigned 32-bit count"),
    })
}

const RUN_SELECT: &str = "SELECT id, created_at, finished_at, status, model, platform, size, samples, seed, \
     harness_version, git_rev, device, compiler, compiler_flags, timing_method, config_json FROM runs";

#[derive(FromRow)]
struct RunRaw {
    id: String,
    created_at: String,
    finished_at: Option<String>,
    status: String,
    model: String,
    platform: String,
    size: String,
    samples: i64,
    seed: i64,
    harness_version: String,
    git_rev: Option<String>,
    device: String,
    compiler: String,
    compiler_flags: String,
    timing_method: String,
    config_json: String,
}

impl RunRaw {
    fn into_row(self) -> Result<RunRow, ResultsError> {
        Ok(RunRow {
            created_at: self.created_at,
            finished_at: self.finished_at,
            status: self.status,
            run: NewRun {
                samples: to_u32(self.samples, || format!("runs.samples of run {}", self.id))?,
                seed: u64::from_ne_bytes(self.seed.to_ne_bytes()),
                id: self.id,
                model: self.model,
                platform: self.platform,
                size: self.size,
                harness_version: self.harness_version,
                git_rev: self.git_rev,
                device: self.device,
                compiler: self.compiler,
                compiler_flags: self.compiler_flags,
                timing_method: self.timing_method,
                config_json: self.config_json,
            },
        })
    }
}

#[derive(FromRow)]
struct EvaluationRaw {
    id: i64,
    generation_id: i64,
    run_id: String,
    model: String,
    platform: String,
    task_id: String,
    category: String,
    sample_idx: i64,
    turn: i64,
    outcome: String,
    reason: Option<String>,
    flags_json: String,
    max_abs_err: Option<f64>,
    max_rel_err: Option<f64>,
    first_bad_index: Option<i64>,
    failed_trial: Option<String>,
    speedup: Option<f64>,
    candidate_median_ns: Option<f64>,
    baseline_median_ns: Option<f64>,
    compile_ms: Option<f64>,
    eval_wall_ms: Option<f64>,
    prompt_tokens: Option<i64>,
    completion_tokens: Option<i64>,
    reasoning_tokens: Option<i64>,
    created_at: String,
}

impl EvaluationRaw {
    fn into_row(self) -> Result<EvaluationRow, ResultsError> {
        let id = self.id;
        let flags: Vec<String> = serde_json::from_str(&self.flags_json).map_err(|e| ResultsError::Corrupt {
            what: format!("evaluations.flags_json of evaluation {id}"),
            detail: format!("{e} (expected a JSON array of strings)"),
        })?;
        Ok(EvaluationRow {
            id,
            generation_id: self.generation_id,
            sample_idx: to_u32(self.sample_idx, || format!("sample_idx of evaluation {id}"))?,
            turn: to_u32(self.turn, || format!("turn of evaluation {id}"))?,
            run_id: self.run_id,
            model: self.model,
            platform: self.platform,
            task_id: self.task_id,
            category: self.category,
            outcome: self.outcome,
            reason: self.reason,
            flags,
            max_abs_err: self.max_abs_err,
            max_rel_err: self.max_rel_err,
            first_bad_index: self.first_bad_index,
            failed_trial: self.failed_trial,
            speedup: self.speedup,
            candidate_median_ns: self.candidate_median_ns,
            baseline_median_ns: self.baseline_median_ns,
            compile_ms: self.compile_ms,
            eval_wall_ms: self.eval_wall_ms,
            prompt_tokens: self.prompt_tokens,
            completion_tokens: self.completion_tokens,
            reasoning_tokens: self.reasoning_tokens,
            created_at: self.created_at,
        })
    }
}

#[derive(FromRow)]
struct TurnRaw {
    run_id: String,
    model: String,
    platform: String,
    task_id: String,
    category: String,
    sample_idx: i64,
    has_error: i64,
    prompt_tokens: Option<i64>,
    completion_tokens: Option<i64>,
    reasoning_tokens: Option<i64>,
    outcome: Option<String>,
    speedup: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_resolve_to_files() {
        let path = |loc: &str| connect_options(loc).unwrap().1.map(|p| p.display().to_string());
        assert_eq!(path("results/k.db").as_deref(), Some("results/k.db"));
        assert_eq!(path("sqlite://results/k.db").as_deref(), Some("results/k.db"));
        assert_eq!(path("sqlite:///tmp/k.db?mode=rwc").as_deref(), Some("/tmp/k.db"));
        assert_eq!(path("sqlite:k.db").as_deref(), Some("k.db"));
        assert_eq!(path("sqlite::memory:"), None);
    }
}
