-- Accounts, refresh tokens and the credit ledger.

CREATE TABLE users (
    id              UUID PRIMARY KEY,
    email           TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL DEFAULT 'user'
                    CHECK (role IN ('user', 'creator', 'admin')),
    status          TEXT NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'suspended')),
    display_name    TEXT,
    preferences     JSONB NOT NULL DEFAULT '{}'::jsonb,
    -- Always the sum of this user's credit_transactions.amount.
    credit_balance  BIGINT NOT NULL DEFAULT 0 CHECK (credit_balance >= 0),
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);

-- One row per issued refresh token; a family is one sign-in and its rotations.
CREATE TABLE refresh_tokens (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   UUID NOT NULL,
    token_hash  TEXT NOT NULL,
    issued_at   TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ,
    replaced_by UUID,
    CONSTRAINT refresh_tokens_hash_key UNIQUE (token_hash)
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id, expires_at);

CREATE TABLE credit_transactions (
    id                UUID PRIMARY KEY,
    user_id           UUID NOT NULL REFERENCES users (id),
    transaction_type  TEXT NOT NULL,
    amount            BIGINT NOT NULL,
    balance_after     BIGINT NOT NULL CHECK (balance_after >= 0),
    content_item_id   UUID,
    content_type      TEXT,
    metadata          JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_transactions_user_idx
    ON credit_transactions (user_id, created_at DESC, id DESC);
