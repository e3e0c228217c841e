-- Zalo: the numbered choices last offered in each chat (so "1", "2" still work after a restart)
-- and each member's chosen channel for reminders (/kenh).

CREATE TABLE offered_choices (
    channel     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    -- JSON list of [label, payload], in the order they were numbered.
    options     TEXT NOT NULL,
    offered_at  TEXT NOT NULL,
    PRIMARY KEY (channel, chat_id)
);

CREATE TABLE channel_prefs (
    member_id   INTEGER PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
