//! The SQLite store: opening, migrating, writing runs and samples, reading them back.
//!
//! This module is the only place that speaks SQL. Queries are checked at runtime (no
//! `DATABASE_URL` at build time); the schema lives in `migrations/` and is embedded in the binary.
//! The database runs in WAL mode with a busy timeout so that several harness processes (or several
//! `Store` handles) can write to one file at once.
//!
//! Besides results it keeps the response cache: complete provider responses by request key, so a
//! rerun or resume does not pay for the same request twice.

use std::collections::BTreeSet;
use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{FromRow, Sqlite, Transaction};

use crate::error::ResultsError;
use crate::metrics::{SampleOutcome, leaderboard_rows};
use crate::rows::{
    EvaluationRow, FlaggedRow, LeaderRow, LeaderboardQuery, NewEvaluation, NewGeneration, NewRun, RUN_STATUSES,
    RecordedIds, RunProgress, RunRow, TurnRow,
};

/// How long a writer waits for another writer's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Pause between two attempts to open a file that another connection is switching to WAL.
const CONNECT_RETRY_PAUSE: Duration = Duration::from_millis(20);

/// SQLite's primary result code for "database is locked".
const SQLITE_BUSY: i32 = 5;

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
        let pool = connect_pool(options, location).await?;
        if MIGRATOR.run(&pool).await.is_err() {
            // Two processes opening one file can both see a migration as pending; the loser fails
            // on "table already exists" or "duplicate column". Each migration is its own
            // transaction, so the other process may still be between two of them: the second pass
            // holds the write lock from listing the applied migrations to committing the rest, so
            // it cannot race, and a real fault fails again and is reported.
            let migrate_error = |cause| ResultsError::Migrate { location: location.to_owned(), cause };
            let mut tx =
                pool.begin_with("BEGIN IMMEDIATE").await.map_err(|e| migrate_error(MigrateError::Execute(e)))?;
            MIGRATOR.run(&mut *tx).await.map_err(migrate_error)?;
            tx.commit().await.map_err(|e| migrate_error(MigrateError::Execute(e)))?;
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

    /// Evaluations on which a defence fired, oldest first; `pending_only` keeps the suspicious
    /// ones nobody has reviewed yet.
    pub async fn flagged(&self, run_id: Option<&str>, pending_only: bool) -> Result<Vec<FlaggedRow>, ResultsError> {
        sqlx::query_as(
            "SELECT e.id, e.run_id, e.task_id, g.sample_idx, g.turn, e.outcome, e.hack_label, e.reason, e.speedup, \
             e.review, e.review_note FROM evaluations e JOIN generations g ON g.id = e.generation_id \
             WHERE e.hack_label IS NOT NULL AND (?1 IS NULL OR e.run_id = ?1) \
             AND (?2 = 0 OR (e.hack_label = 'suspicious' AND e.review IS NULL)) ORDER BY e.id",
        )
        .bind(run_id)
        .bind(i64::from(pending_only))
        .fetch_all(&self.pool)
        .await
        .map_err(ResultsError::query("listing flagged evaluations"))
    }

    /// Record a person's verdict on a `suspicious` evaluation: accepted speedups count in fast_p,
    /// rejected ones count as not passed.
    pub async fn review(&self, evaluation_id: i64, accept: bool, note: Option<&str>) -> Result<(), ResultsError> {
        let label: Option<Option<String>> = sqlx::query_scalar("SELECT hack_label FROM evaluations WHERE id = ?1")
            .bind(evaluation_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(ResultsError::query(format!("reading evaluation {evaluation_id}")))?;
        match label {
            None => {
                return Err(ResultsError::NotReviewable { id: evaluation_id, why: "is not in this database".into() });
            }
            Some(l) if l.as_deref() != Some("suspicious") => {
                return Err(ResultsError::NotReviewable {
                    id: evaluation_id,
                    why: format!(
                        "is not suspicious (its label is {}); only suspicious speedups wait for review",
                        l.as_deref().unwrap_or("none")
                    ),
                });
            }
            Some(_) => {}
        }
        sqlx::query(
            "UPDATE evaluations SET review = ?2, review_note = ?3, \
             reviewed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
        )
        .bind(evaluation_id)
        .bind(if accept { "accepted" } else { "rejected" })
        .bind(note)
        .execute(&self.pool)
        .await
        .map_err(ResultsError::query(format!("recording the review of evaluation {evaluation_id}")))?;
        Ok(())
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

    /// The turns of one sample, first turn first, each joined with its evaluation if it has one.
    /// Empty when nothing of that sample is recorded (or the run does not exist).
    pub async fn sample_turns(
        &self,
        run_id: &str,
        task_id: &str,
        sample_idx: u32,
    ) -> Result<Vec<TurnRow>, ResultsError> {
        let raw: Vec<TurnRowRaw> = sqlx::query_as(
            "SELECT g.id AS generation_id, g.turn, g.parent_id, g.prompt, g.response, g.extracted_code, \
             g.messages_json, g.feedback, g.code_diff, g.error, g.cost_usd, g.cached, \
             e.outcome, e.reason, e.speedup, e.max_abs_err, e.failed_trial, e.compile_log, e.report_json \
             FROM generations g LEFT JOIN evaluations e ON e.generation_id = g.id \
             WHERE g.run_id = ?1 AND g.task_id = ?2 AND g.sample_idx = ?3 \
             ORDER BY g.turn",
        )
        .bind(run_id)
        .bind(task_id)
        .bind(i64::from(sample_idx))
        .fetch_all(&self.pool)
        .await
        .map_err(ResultsError::query(format!("reading turns of run {run_id}, task {task_id}, sample {sample_idx}")))?;
        raw.into_iter().map(TurnRowRaw::into_row).collect()
    }

    /// How many samples of a run are started, finished and passed, and what the run has cost so
    /// far (see [`RunProgress`]). Fails with [`ResultsError::RunNotFound`] for an unknown run.
    pub async fn run_progress(&self, run_id: &str) -> Result<RunProgress, ResultsError> {
        // The UNIQUE (run_id, task_id, sample_idx, turn) index serves both the grouping and the
        // lookup of each sample's highest turn.
        let raw: ProgressRaw = sqlx::query_as(
            "WITH last AS ( \
                 SELECT task_id, sample_idx, MAX(turn) AS turn FROM generations \
                 WHERE run_id = ?1 GROUP BY task_id, sample_idx \
             ) \
             SELECT \
                 EXISTS (SELECT 1 FROM runs WHERE id = ?1) AS run_exists, \
                 (SELECT COUNT(*) FROM last) AS started, \
                 (SELECT COUNT(*) FROM last JOIN generations g ON g.run_id = ?1 AND g.task_id = last.task_id \
                      AND g.sample_idx = last.sample_idx AND g.turn = last.turn \
                  LEFT JOIN evaluations e ON e.generation_id = g.id \
                  WHERE e.id IS NOT NULL OR g.error IS NOT NULL) AS finished, \
                 (SELECT COUNT(*) FROM last JOIN generations g ON g.run_id = ?1 AND g.task_id = last.task_id \
                      AND g.sample_idx = last.sample_idx AND g.turn = last.turn \
                  JOIN evaluations e ON e.generation_id = g.id \
                  WHERE e.outcome = 'passed') AS passed, \
                 (SELECT COUNT(*) FROM generations WHERE run_id = ?1) AS generations, \
                 (SELECT TOTAL(cost_usd) FROM generations WHERE run_id = ?1) AS cost_usd",
        )
        .bind(run_id)
        .fetch_one(&self.pool)
        .await
        .map_err(ResultsError::query(format!("reading progress of run {run_id}")))?;
        if raw.run_exists == 0 {
            return Err(ResultsError::RunNotFound { id: run_id.to_owned() });
        }
        let what = |field: &str| format!("{field} of run {run_id}");
        Ok(RunProgress {
            run_id: run_id.to_owned(),
            samples_started: to_u32(raw.started, || what("started samples"))?,
            samples_finished: to_u32(raw.finished, || what("finished samples"))?,
            samples_passed: to_u32(raw.passed, || what("passed samples"))?,
            generations: to_u32(raw.generations, || what("generations"))?,
            cost_usd: raw.cost_usd,
        })
    }

    /// The cached response for a request key, if one was stored.
    pub async fn cache_get(&self, key: &str) -> Result<Option<String>, ResultsError> {
        sqlx::query_scalar("SELECT response_json FROM response_cache WHERE key = ?1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(ResultsError::query(format!("reading the response cache for key {key}")))
    }

    /// Caches a complete response under a request key. The first response stored for a key wins:
    /// a later put for the same key (from this or another process) is ignored without error.
    ///
    /// `response_json` must be a complete JSON document; an empty or unparsable one fails with
    /// [`ResultsError::InvalidCacheEntry`] and stores nothing, so a truncated answer is never
    /// replayed.
    pub async fn cache_put(&self, key: &str, provider: &str, response_json: &str) -> Result<(), ResultsError> {
        let reject = |detail: String| ResultsError::InvalidCacheEntry { key: key.to_owned(), detail };
        if response_json.trim().is_empty() {
            return Err(reject("the response is empty".to_owned()));
        }
        serde_json::from_str::<serde::de::IgnoredAny>(response_json)
            .map_err(|e| reject(format!("the response is not valid JSON ({e})")))?;
        sqlx::query("INSERT OR IGNORE INTO response_cache (key, provider, response_json) VALUES (?1, ?2, ?3)")
            .bind(key)
            .bind(provider)
            .bind(response_json)
            .execute(&self.pool)
            .await
            .map_err(ResultsError::query(format!("writing the response cache for key {key}")))?;
        Ok(())
    }

    /// Number of cached responses.
    pub async fn cache_len(&self) -> Result<u64, ResultsError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM response_cache")
            .fetch_one(&self.pool)
            .await
            .map_err(ResultsError::query("counting the response cache"))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Leaderboard computed from the raw rows (see [`leaderboard_rows`] for the definitions).
    ///
    /// Speedups are only comparable when measured the same way: a run whose timing method is an
    /// interpreter's (Pallas interpret mode on a CPU) is listed under its own platform label,
    /// `xla (interpret)`, never pooled with device timings of the same platform.
    pub async fn leaderboard(&self, q: &LeaderboardQuery) -> Result<Vec<LeaderRow>, ResultsError> {
        let raw: Vec<TurnRaw> = sqlx::query_as(
            "SELECT g.run_id, r.model, \
             CASE WHEN r.timing_method LIKE '%interpret%' THEN r.platform || ' (interpret)' ELSE r.platform END \
             AS platform, g.task_id, g.category, g.sample_idx, \
             g.error IS NOT NULL AS has_error, g.prompt_tokens, g.completion_tokens, g.reasoning_tokens, \
             g.cost_usd, e.outcome, e.speedup, e.hack_label, e.review \
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
        // every turn adds to its tokens and cost.
        let mut samples: Vec<SampleOutcome> = Vec::new();
        for turn in raw {
            let sample_idx =
                to_u32(turn.sample_idx, || format!("sample_idx of run {}, task {}", turn.run_id, turn.task_id))?;
            let tokens = (
                turn.prompt_tokens.unwrap_or(0),
                turn.completion_tokens.unwrap_or(0),
                turn.reasoning_tokens.unwrap_or(0),
            );
            let cost_usd = turn.cost_usd.unwrap_or(0.0);
            match samples.last_mut() {
                Some(s) if s.run_id == turn.run_id && s.task_id == turn.task_id && s.sample_idx == sample_idx => {
                    s.category = turn.category;
                    s.outcome = turn.outcome;
                    s.generation_error = turn.has_error != 0;
                    s.speedup = turn.speedup;
                    s.hack_label = turn.hack_label;
                    s.review = turn.review;
                    s.prompt_tokens += tokens.0;
                    s.completion_tokens += tokens.1;
                    s.reasoning_tokens += tokens.2;
                    s.cost_usd += cost_usd;
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
                    hack_label: turn.hack_label,
                    review: turn.review,
                    prompt_tokens: tokens.0,
                    completion_tokens: tokens.1,
                    reasoning_tokens: tokens.2,
                    cost_usd,
                }),
            }
        }
        Ok(leaderboard_rows(&samples, q.by))
    }
}

/// Opens the pool, waiting up to [`BUSY_TIMEOUT`] while another connection holds the file.
///
/// Switching a new file to WAL takes an exclusive lock that SQLite does not wait for (the busy
/// timeout does not apply), so another process opening the same new file at that moment makes
/// the connection fail with "database is locked"; that one is retried after a short pause.
async fn connect_pool(options: SqliteConnectOptions, location: &str) -> Result<SqlitePool, ResultsError> {
    let started = Instant::now();
    loop {
        match SqlitePoolOptions::new().max_connections(MAX_CONNECTIONS).connect_with(options.clone()).await {
            Ok(pool) => return Ok(pool),
            Err(cause) if is_busy(&cause) && started.elapsed() < BUSY_TIMEOUT => {
                tokio::time::sleep(CONNECT_RETRY_PAUSE).await;
            }
            Err(cause) => return Err(ResultsError::Open { location: location.to_owned(), cause }),
        }
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
         reasoning_tokens, latency_ms, error, messages_json, feedback, code_diff, cost_usd, \
         reasoning_tokens_source, finish_reason, attempts, cached) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, \
         ?21, ?22, ?23, ?24)",
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
    .bind(&g.messages_json)
    .bind(&g.feedback)
    .bind(&g.code_diff)
    .bind(g.cost_usd)
    .bind(&g.reasoning_tokens_source)
    .bind(&g.finish_reason)
    .bind(g.attempts)
    .bind(i64::from(g.cached))
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
         candidate_median_ns, baseline_median_ns, compile_ms, eval_wall_ms, report_json, hack_label) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
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
    .bind(&e.hack_label)
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

/// SQLITE_BUSY, in any of its extended forms (the primary code is the low byte).
fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| code & 0xff == SQLITE_BUSY)
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
    cost_usd: Option<f64>,
    outcome: Option<String>,
    speedup: Option<f64>,
    hack_label: Option<String>,
    review: Option<String>,
}

#[derive(FromRow)]
struct TurnRowRaw {
    generation_id: i64,
    turn: i64,
    parent_id: Option<i64>,
    prompt: String,
    response: Option<String>,
    extracted_code: Option<String>,
    messages_json: Option<String>,
    feedback: Option<String>,
    code_diff: Option<String>,
    error: Option<String>,
    cost_usd: Option<f64>,
    cached: Option<i64>,
    outcome: Option<String>,
    reason: Option<String>,
    speedup: Option<f64>,
    max_abs_err: Option<f64>,
    failed_trial: Option<String>,
    compile_log: Option<String>,
    report_json: Option<String>,
}

impl TurnRowRaw {
    fn into_row(self) -> Result<TurnRow, ResultsError> {
        let id = self.generation_id;
        Ok(TurnRow {
            generation_id: id,
            turn: to_u32(self.turn, || format!("generations.turn of generation {id}"))?,
            parent_id: self.parent_id,
            prompt: self.prompt,
            response: self.response,
            extracted_code: self.extracted_code,
            messages_json: self.messages_json,
            feedback: self.feedback,
            code_diff: self.code_diff,
            error: self.error,
            cost_usd: self.cost_usd,
            cached: self.cached.is_some_and(|c| c != 0),
            outcome: self.outcome,
            reason: self.reason,
            speedup: self.speedup,
            max_abs_err: self.max_abs_err,
            failed_trial: self.failed_trial,
            compile_log: self.compile_log,
            report_json: self.report_json,
        })
    }
}

#[derive(FromRow)]
struct ProgressRaw {
    run_exists: i64,
    started: i64,
    finished: i64,
    passed: i64,
    generations: i64,
    cost_usd: f64,
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
