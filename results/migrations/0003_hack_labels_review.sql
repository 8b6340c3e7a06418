-- Issue #5: every evaluation carries the defence that fired (a stable label, NULL for an honest
-- pass or a plain wrong answer), and suspicious speedups wait for a person's review before they
-- count in fast_p. Rows written before this migration have no label (NULL) and need no review.
ALTER TABLE evaluations ADD COLUMN hack_label TEXT;
-- 'accepted' (the speedup is real) or 'rejected' (a hack: counted as not passed); NULL = pending.
ALTER TABLE evaluations ADD COLUMN review TEXT CHECK (review IN ('accepted', 'rejected'));
ALTER TABLE evaluations ADD COLUMN review_note TEXT;
ALTER TABLE evaluations ADD COLUMN reviewed_at TEXT;
CREATE INDEX evaluations_hack_label ON evaluations (hack_label) WHERE hack_label IS NOT NULL;
