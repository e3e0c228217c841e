-- What members send, stored before it is confirmed to the platform (the getUpdates offset moves,
-- the webhook is answered) and marked handled once answered. A crash loses nothing: unhandled rows
-- are handled after the restart. `update_key` is Telegram's update_id or Zalo's message id, so a
-- redelivered update is stored once. AUTOINCREMENT: ids never come back after pruning, so the
-- reader that hands rows on by "id > last" never misses one.
CREATE TABLE inbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    channel     TEXT NOT NULL,
    update_key  TEXT NOT NULL,
    chat_id     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    handled_at  TEXT,
    UNIQUE (channel, update_key)
);

CREATE INDEX inbox_pending ON inbox (channel, id) WHERE handled_at IS NULL;

-- Outbox rows sent or given up are pruned after `[delivery] retention_days`; what the status views
-- count per batch (a bulletin's, a notice's delivery) is kept here, added to the live rows' counts.
CREATE TABLE outbox_pruned (
    batch   TEXT NOT NULL,
    status  TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (batch, status)
);

-- A bulletin copy sent to a member, kept here when its outbox row is pruned: the year view counts
-- copies delivered and not (yet) read.
ALTER TABLE bulletin_recipients ADD COLUMN delivered INTEGER NOT NULL DEFAULT 0;
