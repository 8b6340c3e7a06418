-- Initial schema: runs (provenance), generations (one LLM answer per run/task/sample/turn),
-- evaluations (one verdict per generation) and raw timing samples. Leaderboards are
-- computed from these rows by queries; no aggregate is ever stored.
-- Timestamps are RFC 3339 UTC text with milliseconds.

CREATE TABLE runs (
    id              TEXT PRIMARY KEY NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at     TEXT,
    status          TEXT NOT NULL DEFAULT 'running'
                    CHECK (status IN ('running', 'finished', 'interrupted')),
    model           TEXT NOT NULL,
    platform        TEXT NOT NULL,
    size            TEXT NOT NULL,
    samples         INTEGER NOT NULL CHECK (samples >= 0),
    -- u64 seed stored as the i64 with the same bits.
    seed            INTEGER NOT NULL,
    harness_version TEXT NOT NULL,
    git_rev         TEXT,
    device          TEXT NOT NULL,
    compiler        TEXT NOT NULL,
    compiler_flags  TEXT NOT NULL,
    timing_method   TEXT NOT NULL,
    config_json     TEXT NOT NULL
);

CREATE INDEX runs_model_platform ON runs (model, platform);

CREATE TABLE generations (
    id                INTEGER PRIMARY KEY,
    run_id            TEXT NOT NULL REFERENCES runs (id),
    task_id           TEXT NOT NULL,
    category          TEXT NOT NULL,
    sample_idx        INTEGER NOT NULL CHECK (sample_idx >= 0),
    turn              INTEGER NOT NULL CHECK (turn >= 0),
    parent_id         INTEGER REFERENCES generations (id),
    prompt            TEXT NOT NULL,
    response          TEXT,
    reasoning         TEXT,
    reasoning_source  TEXT,
    extracted_code    TEXT,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    reasoning_tokens  INTEGER,
    latency_ms        REAL,
    error             TEXT,
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- Also serves every lookup by run_id (leftmost column).
    UNIQUE (run_id, task_id, sample_idx, turn)
);

CREATE INDEX generations_parent ON generations (parent_id);

CREATE TABLE evaluations (
    id                  INTEGER PRIMARY KEY,
    generation_id       INTEGER NOT NULL UNIQUE REFERENCES generations (id),
    run_id              TEXT NOT NULL REFERENCES runs (id),
    task_id             TEXT NOT NULL,
    outcome             TEXT NOT NULL CHECK (outcome IN (
                            'extract_failed', 'static_rejected', 'compile_failed', 'runtime_error',
                            'timeout', 'crashed', 'mismatch', 'passed')),
    reason              TEXT,
    flags_json          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(flags_json)),
    compile_log         TEXT,
    worker_log          TEXT,
    max_abs_err         REAL,
    max_rel_err         REAL,
    first_bad_index     INTEGER,
    failed_trial        TEXT,
    speedup             REAL,
    candidate_median_ns REAL,
    baseline_median_ns  REAL,
    compile_ms          REAL,
    eval_wall_ms        REAL,
    report_json         TEXT NOT NULL,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX evaluations_run ON evaluations (run_id, task_id);

-- Raw paired A/B samples. Nullable because SQLite stores a NaN as NULL and one bad
-- sample must not make the whole evaluation unrecordable.
CREATE TABLE timing_samples (
    evaluation_id INTEGER NOT NULL REFERENCES evaluations (id),
    pair_idx      INTEGER NOT NULL,
    candidate_ns  REAL,
    baseline_ns   REAL,
    PRIMARY KEY (evaluation_id, pair_idx)
) WITHOUT ROWID;
