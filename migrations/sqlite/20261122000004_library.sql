-- The library: folders, practice events and share links; deleted accounts.

ALTER TABLE content_items ADD COLUMN folder TEXT;
-- The title lowercased by the application (full Unicode; SQLite's LOWER folds ASCII
-- only), for title search and sort.
ALTER TABLE content_items ADD COLUMN title_folded TEXT;
UPDATE content_items SET title_folded = LOWER(title);
-- Deleted items whose audio object is still to be removed (retried until it is).
CREATE INDEX content_items_purge_idx ON content_items (deleted_at)
    WHERE deleted_at IS NOT NULL AND audio_url IS NOT NULL;

-- One row per play; completed once. `content_type` is copied from the item so stats
-- per type need no join.
CREATE TABLE practice_events (
    id                BLOB PRIMARY KEY NOT NULL,
    user_id           BLOB NOT NULL REFERENCES users (id),
    content_item_id   BLOB NOT NULL REFERENCES content_items (id),
    content_type      TEXT NOT NULL,
    started_at        TEXT NOT NULL,
    completed_at      TEXT,
    duration_seconds  INTEGER CHECK (duration_seconds >= 0),
    metadata          TEXT NOT NULL DEFAULT '{}',
    created_at        TEXT NOT NULL
) STRICT;
CREATE INDEX practice_events_user_idx ON practice_events (user_id, started_at DESC, id DESC);
CREATE INDEX practice_events_item_idx ON practice_events (content_item_id, started_at DESC);

-- Share links: at most one active link per item; revoking stamps `revoked_at`.
CREATE TABLE content_shares (
    id               BLOB PRIMARY KEY NOT NULL,
    content_item_id  BLOB NOT NULL REFERENCES content_items (id),
    user_id          BLOB NOT NULL REFERENCES users (id),
    token            TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    revoked_at       TEXT,
    CONSTRAINT content_shares_token_key UNIQUE (token)
) STRICT;
CREATE UNIQUE INDEX content_shares_active_key ON content_shares (content_item_id)
    WHERE revoked_at IS NULL;

-- A deleted account keeps an anonymous row for the credit ledger that refers to it.
ALTER TABLE users ADD COLUMN deleted_at TEXT;
