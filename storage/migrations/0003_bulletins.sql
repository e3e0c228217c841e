-- The monthly bulletin ("Thông tin tư tưởng"): publications, who is in scope, reads, and the
-- platform file id of each stored file per bot (so a file is uploaded once).

CREATE TABLE bulletins (
    id                   INTEGER PRIMARY KEY,
    -- 'N/YYYY', shown as "Số N/YYYY"; one publication per issue number.
    issue                TEXT NOT NULL UNIQUE,
    title                TEXT NOT NULL,
    -- The PDF on disk under the data directory, named by its SHA-256.
    file_path            TEXT NOT NULL,
    file_name            TEXT NOT NULL,
    sha256               TEXT NOT NULL,
    size                 INTEGER NOT NULL,
    -- hamlet: hamlet/neighbourhood cells; cells: every cell; unit: a unit and everything under it.
    scope_kind           TEXT NOT NULL CHECK (scope_kind IN ('hamlet', 'cells', 'unit')),
    -- Root of the scope (NULL: the whole tree).
    scope_unit_id        INTEGER REFERENCES units(id),
    publisher_member_id  INTEGER REFERENCES members(id) ON DELETE SET NULL,
    -- Where the publisher's progress message goes (NULL when published from the CLI).
    progress_channel     TEXT,
    progress_chat_id     TEXT,
    progress_sent        INTEGER NOT NULL DEFAULT -1,
    progress_failed      INTEGER NOT NULL DEFAULT -1,
    send_at              TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    finished_at          TEXT
);
CREATE INDEX bulletins_unfinished ON bulletins(send_at) WHERE finished_at IS NULL;

CREATE TABLE bulletin_recipients (
    bulletin_id  INTEGER NOT NULL REFERENCES bulletins(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    read_at      TEXT,
    PRIMARY KEY (bulletin_id, member_id)
);
CREATE INDEX bulletin_recipients_unit ON bulletin_recipients(bulletin_id, unit_id);

CREATE TABLE platform_files (
    channel     TEXT NOT NULL,
    -- The bot account: a file id is only valid for the bot that got it.
    bot_key     TEXT NOT NULL,
    file_key    TEXT NOT NULL,
    file_id     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (channel, bot_key, file_key)
);
