-- Multi-turn conversations, call provenance and cost on generations, plus the response cache.
-- Every new generation column is nullable: rows written before this migration keep NULL there
-- (unknown), and a leaderboard counts a NULL cost as 0.

-- The whole conversation (JSON array of messages) sent for this turn; resume rebuilds the next
-- turn from it.
ALTER TABLE generations ADD COLUMN messages_json TEXT CHECK (json_valid(messages_json));
-- The feedback message that started this turn (turn > 0).
ALTER TABLE generations ADD COLUMN feedback TEXT;
-- Unified diff of the extracted code against the parent turn's.
ALTER TABLE generations ADD COLUMN code_diff TEXT;
-- What the request cost in US dollars, when the model's price is known (0 for a cache hit).
ALTER TABLE generations ADD COLUMN cost_usd REAL;
-- Where reasoning_tokens came from (a usage field, counted from the text, ...).
ALTER TABLE generations ADD COLUMN reasoning_tokens_source TEXT;
-- The provider's stop reason (stop, length, ...).
ALTER TABLE generations ADD COLUMN finish_reason TEXT;
-- HTTP attempts the request took, retries included.
ALTER TABLE generations ADD COLUMN attempts INTEGER CHECK (attempts >= 0);
-- 1 when the answer came from response_cache instead of the provider.
ALTER TABLE generations ADD COLUMN cached INTEGER CHECK (cached IN (0, 1));

-- Complete provider responses by request key (provider, model, messages, sampling, ...), so a
-- rerun or resume does not pay for the same request twice. The first complete response for a
-- key wins; later ones are ignored.
CREATE TABLE response_cache (
    key           TEXT PRIMARY KEY NOT NULL,
    provider      TEXT NOT NULL,
    response_json TEXT NOT NULL CHECK (response_json <> '' AND json_valid(response_json)),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
