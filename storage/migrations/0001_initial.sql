-- Organisation tree, roster, accounts, invites, conversations, notices and the outbox.
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (fixed width, so they compare as strings).

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    -- committee | cell_hamlet | cell_neighbourhood | cell_agency | cell_enterprise | cell_other
    kind        TEXT NOT NULL,
    parent_id   INTEGER REFERENCES units(id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE members (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    full_name   TEXT NOT NULL,
    -- Folded name (no diacritics, lower case) for search and for the natural key.
    name_key    TEXT NOT NULL,
    birth_date  TEXT,
    card_no     TEXT UNIQUE,
    status      TEXT NOT NULL CHECK (status IN ('official', 'probationary')),
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX members_unit ON members(unit_id);
CREATE INDEX members_name_key ON members(name_key);
CREATE UNIQUE INDEX members_natural_key ON members(name_key, birth_date, unit_id) WHERE card_no IS NULL;

CREATE TABLE roles (
    member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'propaganda', 'committee', 'secretary', 'deputy')),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    -- 'roster' roles are replaced on re-import; 'manual' ones (chibo roles grant) are kept.
    source      TEXT NOT NULL CHECK (source IN ('roster', 'manual')),
    PRIMARY KEY (member_id, role, unit_id)
);
CREATE INDEX roles_unit ON roles(unit_id, role);

CREATE TABLE accounts (
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    member_id       INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    linked_at       TEXT NOT NULL,
    unreachable_at  TEXT,
    PRIMARY KEY (channel, user_id)
);
CREATE UNIQUE INDEX accounts_member_channel ON accounts(member_id, channel);

CREATE TABLE invites (
    code        TEXT PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    used_by     TEXT
);
CREATE INDEX invites_member ON invites(member_id);

CREATE TABLE link_attempts (
    channel       TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    failures      INTEGER NOT NULL,
    window_start  TEXT NOT NULL,
    locked_until  TEXT,
    PRIMARY KEY (channel, user_id)
);

CREATE TABLE conversations (
    channel     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    step        TEXT NOT NULL,
    data        TEXT NOT NULL DEFAULT '{}',
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (channel, user_id)
);

CREATE TABLE notices (
    id                INTEGER PRIMARY KEY,
    unit_id           INTEGER NOT NULL REFERENCES units(id),
    sender_member_id  INTEGER NOT NULL REFERENCES members(id),
    body              TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    recipients        INTEGER NOT NULL,
    reported_at       TEXT
);
CREATE INDEX notices_unreported ON notices(reported_at) WHERE reported_at IS NULL;

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    dedupe_key       TEXT NOT NULL UNIQUE,
    channel          TEXT NOT NULL,
    chat_id          TEXT NOT NULL,
    member_id        INTEGER REFERENCES members(id) ON DELETE SET NULL,
    -- Groups the rows of one broadcast, e.g. 'notice:12', for progress and reports.
    batch            TEXT,
    body             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    message_id       TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_batch ON outbox(batch, status);
