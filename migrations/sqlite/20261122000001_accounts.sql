-- Accounts, refresh tokens and the credit ledger.
-- Ids are 16-byte UUID blobs, times RFC 3339 text in UTC, JSON is text.

CREATE TABLE users (
    id              BLOB PRIMARY KEY NOT NULL,
    email           TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL DEFAULT 'user'
                    CHECK (role IN ('user', 'creator', 'admin')),
    status          TEXT NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'suspended')),
    display_name    TEXT,
    preferences     TEXT NOT NULL DEFAULT '{}',
    -- Always the sum of this user's credit_transactions.amount.
    credit_balance  INTEGER NOT NULL DEFAULT 0 CHECK (credit_balance >= 0),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
) STRICT;

-- One row per issued refresh token; a family is one sign-in and its rotations.
CREATE TABLE refresh_tokens (
    id          BLOB PRIMARY KEY NOT NULL,
    user_id     BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   BLOB NOT NULL,
    token_hash  TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    revoked_at  TEXT,
    replaced_by BLOB,
    CONSTRAINT refresh_tokens_hash_key UNIQUE (token_hash)
) STRICT;
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id, expires_at);

CREATE TABLE credit_transactions (
    id                BLOB PRIMARY KEY NOT NULL,
    user_id           BLOB NOT NULL REFERENCES users (id),
    transaction_type  TEXT NOT NULL,
    amount            INTEGER NOT NULL,
    balance_after     INTEGER NOT NULL CHECK (balance_after >= 0),
    content_item_id   BLOB,
    content_type      TEXT,
    metadata          TEXT NOT NULL DEFAULT '{}',
    created_at        TEXT NOT NULL
) STRICT;
CREATE INDEX credit_transactions_user_idx
    ON credit_transactions (user_id, created_at DESC, id DESC);
