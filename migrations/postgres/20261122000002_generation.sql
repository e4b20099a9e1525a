-- Generated content, the credit holds that pay for it, durable generation jobs,
-- finished conversations and crisis alerts.

CREATE TABLE content_items (
    id                UUID PRIMARY KEY,
    user_id           UUID NOT NULL REFERENCES users (id),
    content_type      TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('generating', 'ready', 'failed')),
    title             TEXT,
    content_text      TEXT,
    -- Sections, pause marks and the like: what the audio stage needs.
    structure         JSONB NOT NULL DEFAULT '{}'::jsonb,
    -- The slots it was made from (the return loop starts from them).
    context           JSONB NOT NULL DEFAULT '{}'::jsonb,
    tags              JSONB NOT NULL DEFAULT '[]'::jsonb,
    depth             TEXT,
    duration_seconds  BIGINT,
    version           BIGINT NOT NULL DEFAULT 1,
    parent_id         UUID REFERENCES content_items (id),
    session_id        UUID,
    cost              BIGINT NOT NULL,
    voice_id          TEXT,
    audio_url         TEXT,
    audio_duration    BIGINT,
    metadata          JSONB NOT NULL DEFAULT '{}'::jsonb,
    play_count        BIGINT NOT NULL DEFAULT 0,
    last_played_at    TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    deleted_at        TIMESTAMPTZ
);
CREATE INDEX content_items_user_idx ON content_items (user_id, created_at DESC);
-- Items still being made: what the sweep for abandoned jobs looks at.
CREATE INDEX content_items_generating_idx ON content_items (created_at) WHERE status = 'generating';

-- Credits set aside for a generation: available = balance - open holds.
CREATE TABLE credit_holds (
    id               UUID PRIMARY KEY,
    user_id          UUID NOT NULL REFERENCES users (id),
    amount           BIGINT NOT NULL CHECK (amount > 0),
    -- One hold per confirmation (session and attempt): a repeated confirm finds it.
    hold_key         TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('open', 'captured', 'released')),
    content_item_id  UUID NOT NULL REFERENCES content_items (id),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    CONSTRAINT credit_holds_key UNIQUE (hold_key)
);
CREATE INDEX credit_holds_open_idx ON credit_holds (user_id) WHERE status = 'open';

CREATE TABLE generation_jobs (
    id                UUID PRIMARY KEY,
    content_item_id   UUID NOT NULL REFERENCES content_items (id),
    user_id           UUID NOT NULL REFERENCES users (id),
    hold_id           UUID NOT NULL REFERENCES credit_holds (id),
    session_id        UUID,
    -- The next stage to run: text, then capture.
    stage             TEXT NOT NULL CHECK (stage IN ('text', 'capture', 'done')),
    status            TEXT NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
    attempts          BIGINT NOT NULL DEFAULT 0,
    lease_owner       TEXT,
    lease_expires_at  TIMESTAMPTZ,
    last_error        TEXT,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    CONSTRAINT generation_jobs_item_key UNIQUE (content_item_id)
);
CREATE INDEX generation_jobs_claim_idx ON generation_jobs (status, lease_expires_at);

CREATE TABLE conversations (
    id                    UUID PRIMARY KEY,
    user_id               UUID NOT NULL REFERENCES users (id),
    session_id            UUID NOT NULL,
    content_type          TEXT NOT NULL,
    messages              JSONB NOT NULL,
    state                 JSONB NOT NULL,
    final_state           TEXT NOT NULL,
    resulting_content_id  UUID REFERENCES content_items (id),
    created_at            TIMESTAMPTZ NOT NULL,
    completed_at          TIMESTAMPTZ NOT NULL,
    CONSTRAINT conversations_session_key UNIQUE (session_id)
);
CREATE INDEX conversations_user_idx ON conversations (user_id, created_at DESC);

CREATE TABLE crisis_alerts (
    id                UUID PRIMARY KEY,
    user_id           UUID NOT NULL REFERENCES users (id),
    session_id        UUID,
    severity          TEXT NOT NULL,
    trigger_type      TEXT NOT NULL,
    detected_signals  JSONB NOT NULL,
    -- The message that raised it, shortened.
    context           TEXT,
    status            TEXT NOT NULL DEFAULT 'pending',
    resources_shown   BOOLEAN NOT NULL DEFAULT TRUE,
    reviewed_by       UUID REFERENCES users (id),
    reviewed_at       TIMESTAMPTZ,
    resolution_notes  TEXT,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX crisis_alerts_status_idx ON crisis_alerts (status, created_at DESC);
CREATE INDEX crisis_alerts_user_idx ON crisis_alerts (user_id, created_at DESC);
