//! The one error type of this crate, for harness faults only.
//!
//! A bad candidate is data (an `outcome` string in a row), never an `Err`; `ResultsError` means the
//! store itself failed: the file cannot be opened, a query broke, a key was written twice. Every
//! message ends with what the user can do about it.
//!
//! Messages embed their cause (`{cause}`) instead of exposing it through `Error::source`, so that
//! the harness's `{:#}` chain prints each cause once and the hint stays last.

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResultsError {
    /// The directory that should hold the database file cannot be created.
    #[error(
        "cannot open database at {location}: cannot create directory {dir}: {cause} \
         (set --db or KERNELSMITH_DB to a writable path)"
    )]
    CreateDir {
        /// The location given to [`Store::open`](crate::Store::open).
        location: String,
        /// The directory that could not be created.
        dir: String,
        /// Why.
        cause: std::io::Error,
    },

    /// SQLite refused to open or configure the database.
    #[error("cannot open database at {location}: {cause} (set --db or KERNELSMITH_DB to a writable path)")]
    Open {
        /// The location given to [`Store::open`](crate::Store::open).
        location: String,
        /// Why.
        cause: sqlx::Error,
    },

    /// The embedded migrations could not be applied.
    #[error(
        "cannot apply migrations to database at {location}: {cause} \
         (a newer kernelsmith may have written this file; upgrade, or set --db or KERNELSMITH_DB to a fresh path)"
    )]
    Migrate {
        /// The location given to [`Store::open`](crate::Store::open).
        location: String,
        /// Why.
        cause: sqlx::migrate::MigrateError,
    },

    /// `create_run` was given an id that is already in the database.
    #[error("run {id} already exists in the database (pick another run id, or resume that run)")]
    RunExists {
        /// The run id.
        id: String,
    },

    /// A run id that the database does not hold.
    #[error("no run {id} in the database (check the run id against the runs the database lists)")]
    RunNotFound {
        /// The run id.
        id: String,
    },

    /// `review` was asked about an evaluation that does not exist or is not suspicious.
    #[error("evaluation {id} cannot be reviewed: it {why} (list pending ones with `kernelsmith review`)")]
    NotReviewable {
        /// The evaluation id asked for.
        id: i64,
        /// Why it cannot be reviewed.
        why: String,
    },

    /// `set_run_status` was given a status outside the allowed set.
    #[error("invalid run status {status:?} (expected \"running\", \"finished\" or \"interrupted\")")]
    InvalidStatus {
        /// The rejected status.
        status: String,
    },

    /// The generation key (run, task, sample, turn) was already recorded.
    #[error(
        "generation for run {run_id}, task {task_id}, sample {sample_idx}, turn {turn} is already recorded \
         (resume skips finished keys; use a new run id to evaluate it again)"
    )]
    Duplicate {
        /// Run id.
        run_id: String,
        /// Task id.
        task_id: String,
        /// Sample index.
        sample_idx: u32,
        /// Turn.
        turn: u32,
    },

    /// `cache_put` was given a response that is not a complete JSON document.
    #[error(
        "refusing to cache the response for key {key}: {detail} \
         (only complete responses are cached; this is a harness bug, the request is simply sent again)"
    )]
    InvalidCacheEntry {
        /// The cache key.
        key: String,
        /// What is wrong with the response.
        detail: String,
    },

    /// A query failed for a reason not covered above.
    #[error("database error while {action}: {cause}{}", hint(cause))]
    Query {
        /// What the store was doing, e.g. "listing runs".
        action: String,
        /// Why.
        cause: sqlx::Error,
    },

    /// A stored value cannot be turned back into its Rust type.
    #[error(
        "corrupt value in {what}: {detail} \
         (the database was probably edited by hand; restore it or set --db or KERNELSMITH_DB to a fresh path)"
    )]
    Corrupt {
        /// Where, e.g. "evaluations.flags_json of evaluation 3".
        what: String,
        /// What is wrong with it.
        detail: String,
    },

    /// A format name that [`Format`](crate::render::Format) does not know.
    #[error("unknown format {format:?} (expected text, markdown, csv or json)")]
    UnknownFormat {
        /// The rejected name.
        format: String,
    },
}

impl ResultsError {
    /// Wraps a query error with what the store was doing.
    pub(crate) fn query(action: impl Into<String>) -> impl FnOnce(sqlx::Error) -> ResultsError {
        let action = action.into();
        move |cause| ResultsError::Query { action, cause }
    }
}

/// What a person can do about the common SQLite failures (locked, full, read-only).
fn hint(cause: &sqlx::Error) -> &'static str {
    let code = cause.as_database_error().and_then(|d| d.code()).and_then(|c| c.parse::<i32>().ok()).unwrap_or(0);
    match code & 0xff {
        5 | 6 => {
            " (another process held a lock on this database for longer than the 5 s the harness waits; \
             let it finish or use another --db; finished work is saved and `--resume` continues)"
        }
        13 => " (the disk or the file-size limit is full; free space, then `--resume` the run: finished work is saved)",
        8 => " (the database or its folder is read-only; choose a writable --db)",
        10 => " (a disk I/O error: check free space and the file-size limit, then `--resume`)",
        14 => " (cannot open the database file: is its folder writable?)",
        _ => "",
    }
}
