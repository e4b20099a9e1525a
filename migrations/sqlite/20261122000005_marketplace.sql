-- The marketplace: creators' packs, reviews, payments and what they grant, creator
-- rewards, and the audit log.

CREATE TABLE packs (
    id                     BLOB PRIMARY KEY NOT NULL,
    creator_id             BLOB NOT NULL REFERENCES users (id),
    title                  TEXT NOT NULL,
    description            TEXT NOT NULL DEFAULT '',
    price_type             TEXT NOT NULL CHECK (price_type IN ('free', 'one_time', 'subscription')),
    -- In the currency's smallest unit (cents).
    price_cents            INTEGER NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
    currency               TEXT NOT NULL DEFAULT 'usd',
    subscription_interval  TEXT CHECK (subscription_interval IN ('monthly', 'annual')),
    cover_url              TEXT,
    tags                   TEXT NOT NULL DEFAULT '[]',
    status                 TEXT NOT NULL DEFAULT 'draft'
                           CHECK (status IN ('draft', 'published', 'archived')),
    -- Kept with each review, so listings need no aggregate.
    rating_sum             INTEGER NOT NULL DEFAULT 0,
    review_count           INTEGER NOT NULL DEFAULT 0,
    published_at           TEXT,
    archived_at            TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
) STRICT;
-- Full-text search over title and description (FTS5, Porter stemming), kept by triggers.
CREATE VIRTUAL TABLE packs_fts USING fts5(
    pack_id UNINDEXED, title, description, tokenize = 'porter unicode61'
);
CREATE TRIGGER packs_fts_insert AFTER INSERT ON packs BEGIN
    INSERT INTO packs_fts (pack_id, title, description)
    VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER packs_fts_update AFTER UPDATE OF title, description ON packs BEGIN
    UPDATE packs_fts SET title = new.title, description = new.description
    WHERE pack_id = new.id;
END;
CREATE TRIGGER packs_fts_delete AFTER DELETE ON packs BEGIN
    DELETE FROM packs_fts WHERE pack_id = old.id;
END;
CREATE INDEX packs_catalog_idx ON packs (status, published_at DESC);
CREATE INDEX packs_creator_idx ON packs (creator_id, created_at DESC);

-- The creator's own items a pack holds, in order.
CREATE TABLE pack_items (
    pack_id          BLOB NOT NULL REFERENCES packs (id),
    content_item_id  BLOB NOT NULL REFERENCES content_items (id),
    position         INTEGER NOT NULL,
    PRIMARY KEY (pack_id, content_item_id)
) STRICT;
CREATE INDEX pack_items_item_idx ON pack_items (content_item_id);

-- One review per buyer and pack.
CREATE TABLE pack_reviews (
    id          BLOB PRIMARY KEY NOT NULL,
    pack_id     BLOB NOT NULL REFERENCES packs (id),
    user_id     BLOB NOT NULL REFERENCES users (id),
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body        TEXT,
    created_at  TEXT NOT NULL,
    CONSTRAINT pack_reviews_once UNIQUE (pack_id, user_id)
) STRICT;
CREATE INDEX pack_reviews_pack_idx ON pack_reviews (pack_id, created_at DESC);

-- A checkout and what it became. A subscription's renewals are purchases of their own
-- (by invoice).
CREATE TABLE purchases (
    id                   BLOB PRIMARY KEY NOT NULL,
    user_id              BLOB NOT NULL REFERENCES users (id),
    kind                 TEXT NOT NULL CHECK (kind IN ('pack', 'credits')),
    pack_id              BLOB REFERENCES packs (id),
    credit_pack          TEXT,
    credits              INTEGER NOT NULL DEFAULT 0,
    -- Credits taken back by refunds (never more than were unspent at the time).
    credits_reversed     INTEGER NOT NULL DEFAULT 0,
    amount_cents         INTEGER NOT NULL,
    refunded_cents       INTEGER NOT NULL DEFAULT 0,
    currency             TEXT NOT NULL,
    provider             TEXT NOT NULL,
    mode                 TEXT NOT NULL CHECK (mode IN ('payment', 'subscription')),
    checkout_session_id  TEXT,
    invoice_id           TEXT,
    payment_intent_id    TEXT,
    subscription_id      TEXT,
    status               TEXT NOT NULL
                         CHECK (status IN ('pending', 'paid', 'refunded', 'cancelled', 'expired')),
    -- Where the checkout returns to.
    success_url          TEXT,
    cancel_url           TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    paid_at              TEXT,
    CONSTRAINT purchases_session_key UNIQUE (checkout_session_id),
    CONSTRAINT purchases_invoice_key UNIQUE (invoice_id)
) STRICT;
CREATE INDEX purchases_user_idx ON purchases (user_id, created_at DESC, id DESC);
CREATE INDEX purchases_intent_idx ON purchases (payment_intent_id);
CREATE INDEX purchases_pack_idx ON purchases (pack_id);

-- Access to a pack. One-time purchases never expire; a subscription's access lasts
-- to the end of the period paid for while it is active.
CREATE TABLE entitlements (
    id               BLOB PRIMARY KEY NOT NULL,
    user_id          BLOB NOT NULL REFERENCES users (id),
    pack_id          BLOB NOT NULL REFERENCES packs (id),
    purchase_id      BLOB REFERENCES purchases (id),
    subscription_id  TEXT,
    status           TEXT NOT NULL CHECK (status IN ('active', 'lapsed', 'revoked')),
    expires_at       TEXT,
    -- When the state applied last was true at the provider (older events are ignored).
    state_at         TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CONSTRAINT entitlements_once UNIQUE (user_id, pack_id)
) STRICT;
CREATE INDEX entitlements_pack_idx ON entitlements (pack_id);
CREATE INDEX entitlements_subscription_idx ON entitlements (subscription_id);

-- Every provider event received, by its id: an event is applied once.
CREATE TABLE payment_events (
    id           TEXT PRIMARY KEY NOT NULL,
    event_type   TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    payload      TEXT NOT NULL,
    received_at  TEXT NOT NULL
) STRICT;

-- The creators' share of sales; a refund writes a negative row. Earnings are sums.
CREATE TABLE creator_rewards (
    id            BLOB PRIMARY KEY NOT NULL,
    creator_id    BLOB NOT NULL REFERENCES users (id),
    purchase_id   BLOB NOT NULL REFERENCES purchases (id),
    pack_id       BLOB REFERENCES packs (id),
    kind          TEXT NOT NULL CHECK (kind IN ('sale', 'refund')),
    gross_cents   INTEGER NOT NULL,
    amount_cents  INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX creator_rewards_creator_idx ON creator_rewards (creator_id, created_at DESC, id DESC);

-- Sensitive actions: failed sign-ins, role changes, payments, refunds, deletions,
-- administrators' actions.
CREATE TABLE audit_log (
    id           BLOB PRIMARY KEY NOT NULL,
    actor_id     BLOB,
    actor_role   TEXT,
    action       TEXT NOT NULL,
    target_type  TEXT,
    target_id    TEXT,
    details      TEXT NOT NULL DEFAULT '{}',
    ip           TEXT,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_time_idx ON audit_log (created_at DESC, id DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, created_at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, created_at DESC);

CREATE INDEX users_created_idx ON users (created_at DESC, id DESC);
