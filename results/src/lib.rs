//! SQLite store (sqlx), migrations, metrics and leaderboard queries.
//!
//! This crate is the only one that speaks SQL. It records what a run did, sample by sample, as
//! raw rows (runs, generations, evaluations, timing samples) and derives every summary from them
//! on demand: leaderboards are queries plus the pure functions in [`metrics`], never stored
//! aggregates. A bad candidate is a row with an `outcome`; [`ResultsError`] is for store faults.
//! It also holds the response cache (complete provider responses by request key) and reads a
//! sample's turns back for multi-turn resume and the diff viewer ([`Store::sample_turns`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), kernelsmith_results::ResultsError> {
//! use kernelsmith_results::{GroupBy, LeaderboardQuery, Store};
//! use kernelsmith_results::render::{Format, leaderboard_table, render};
//!
//! let store = Store::open("results/kernelsmith.db").await?;
//! let rows = store
//!     .leaderboard(&LeaderboardQuery { by: GroupBy::Model, run_id: None, platform: None })
//!     .await?;
//! let text = render(&leaderboard_table(&rows, GroupBy::Model), Format::Text);
//! # let _ = text;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod error;
pub mod metrics;
pub mod render;
mod rows;
mod store;

pub use error::ResultsError;
pub use metrics::{SampleOutcome, geomean, leaderboard_rows, pass_at_k};
pub use render::{Format, Table, flagged_table};
pub use rows::{
    EvaluationRow, FlaggedRow, GENERATION_ERROR, GroupBy, LeaderRow, LeaderboardQuery, NOT_COMPILED, NOT_EVALUATED,
    NewEvaluation, NewGeneration, NewRun, OUTCOMES, RUN_STATUSES, RecordedIds, RunProgress, RunRow, TurnRow,
};
pub use store::Store;
