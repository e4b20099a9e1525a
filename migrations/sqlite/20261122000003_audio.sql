-- The audio stage of generation jobs (text -> audio -> capture), and the audio format
-- of an item. `audio_url` holds the object key; playback URLs are signed per request.
-- SQLite cannot change a CHECK constraint: the jobs table is rebuilt (nothing refers
-- to it).

CREATE TABLE generation_jobs_next (
    id                BLOB PRIMARY KEY NOT NULL,
    content_item_id   BLOB NOT NULL REFERENCES content_items (id),
    user_id           BLOB NOT NULL REFERENCES users (id),
    hold_id           BLOB NOT NULL REFERENCES credit_holds (id),
    session_id        BLOB,
    -- The next stage to run: text, audio, then capture.
    stage             TEXT NOT NULL CHECK (stage IN ('text', 'audio', 'capture', 'done')),
    status            TEXT NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    lease_owner       TEXT,
    lease_expires_at  TEXT,
    last_error        TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CONSTRAINT generation_jobs_item_key UNIQUE (content_item_id)
) STRICT;
INSERT INTO generation_jobs_next SELECT id, content_item_id, user_id, hold_id, session_id,
    stage, status, attempts, lease_owner, lease_expires_at, last_error, created_at, updated_at
    FROM generation_jobs;
DROP TABLE generation_jobs;
ALTER TABLE generation_jobs_next RENAME TO generation_jobs;
CREATE INDEX generation_jobs_claim_idx ON generation_jobs (status, lease_expires_at);

ALTER TABLE content_items ADD COLUMN audio_format TEXT;
