-- Ids are 16-byte UUID blobs, times RFC 3339 text in UTC, JSON is text.
-- Generated content, the credit holds that pay for it, durable generation jobs,
-- finished conversations and crisis alerts.

CREATE TABLE content_items (
    id                BLOB PRIMARY KEY NOT NULL,
    user_id           BLOB NOT NULL REFERENCES users (id),
    content_type      TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('generating', 'ready', 'failed')),
    title             TEXT,
    content_text      TEXT,
    -- Sections, pause marks and the like: what the audio stage needs.
    structure         TEXT NOT NULL DEFAULT '{}',
    -- The slots it was made from (the return loop starts from them).
    context           TEXT NOT NULL DEFAULT '{}',
    tags              TEXT NOT NULL DEFAULT '[]',
    depth             TEXT,
    duration_seconds  INTEGER,
    version           INTEGER NOT NULL DEFAULT 1,
    parent_id         BLOB REFERENCES content_items (id),
    session_id        BLOB,
    cost              INTEGER NOT NULL,
    voice_id          TEXT,
    audio_url         TEXT,
    audio_duration    INTEGER,
    metadata          TEXT NOT NULL DEFAULT '{}',
    play_count        INTEGER NOT NULL DEFAULT 0,
    last_played_at    TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    deleted_at        TEXT
) STRICT;
CREATE INDEX content_items_user_idx ON content_items (user_id, created_at DESC);
-- Items still being made: what the sweep for abandoned jobs looks at.
CREATE INDEX content_items_generating_idx ON content_items (created_at) WHERE status = 'generating';

-- Credits set aside for a generation: available = balance - open holds.
CREATE TABLE credit_holds (
    id               BLOB PRIMARY KEY NOT NULL,
    user_id          BLOB NOT NULL REFERENCES users (id),
    amount           INTEGER NOT NULL CHECK (amount > 0),
    -- One hold per confirmation (session and attempt): a repeated confirm finds it.
    hold_key         TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('open', 'captured', 'released')),
    content_item_id  BLOB NOT NULL REFERENCES content_items (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CONSTRAINT credit_holds_key UNIQUE (hold_key)
) STRICT;
CREATE INDEX credit_holds_open_idx ON credit_holds (user_id) WHERE status = 'open';

CREATE TABLE generation_jobs (
    id                BLOB PRIMARY KEY NOT NULL,
    content_item_id   BLOB NOT NULL REFERENCES content_items (id),
    user_id           BLOB NOT NULL REFERENCES users (id),
    hold_id           BLOB NOT NULL REFERENCES credit_holds (id),
    session_id        BLOB,
    -- The next stage to run: text, then capture.
    stage             TEXT NOT NULL CHECK (stage IN ('text', 'capture', 'done')),
    status            TEXT NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    lease_owner       TEXT,
    lease_expires_at  TEXT,
    last_error        TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CONSTRAINT generation_jobs_item_key UNIQUE (content_item_id)
) STRICT;
CREATE INDEX generation_jobs_claim_idx ON generation_jobs (status, lease_expires_at);

CREATE TABLE conversations (
    id                    BLOB PRIMARY KEY NOT NULL,
    user_id               BLOB NOT NULL REFERENCES users (id),
    session_id            BLOB NOT NULL,
    content_type          TEXT NOT NULL,
    messages              TEXT NOT NULL,
    state                 TEXT NOT NULL,
    final_state           TEXT NOT NULL,
    resulting_content_id  BLOB REFERENCES content_items (id),
    created_at            TEXT NOT NULL,
    completed_at          TEXT NOT NULL,
    CONSTRAINT conversations_session_key UNIQUE (session_id)
) STRICT;
CREATE INDEX conversations_user_idx ON conversations (user_id, created_at DESC);

CREATE TABLE crisis_alerts (
    id                BLOB PRIMARY KEY NOT NULL,
    user_id           BLOB NOT NULL REFERENCES users (id),
    session_id        BLOB,
    severity          TEXT NOT NULL,
    trigger_type      TEXT NOT NULL,
    detected_signals  TEXT NOT NULL,
    -- The message that raised it, shortened.
    context           TEXT,
    status            TEXT NOT NULL DEFAULT 'pending',
    resources_shown   INTEGER NOT NULL DEFAULT 1,
    reviewed_by       BLOB REFERENCES users (id),
    reviewed_at       TEXT,
    resolution_notes  TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX crisis_alerts_status_idx ON crisis_alerts (status, created_at DESC);
CREATE INDEX crisis_alerts_user_idx ON crisis_alerts (user_id, created_at DESC);
