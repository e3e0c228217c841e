-- The committees' web dashboard: one-time sign-in links asked for in chat, and sessions.
-- Only SHA-256 digests of the link and session tokens are stored: a copy of the database
-- signs nobody in.

CREATE TABLE web_links (
    token_hash  TEXT PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    -- The app the link was asked from: the session lasts only while that account is linked.
    channel     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX web_links_member ON web_links(member_id);

CREATE TABLE web_sessions (
    token_hash  TEXT PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    -- Set by «Đăng xuất», or when a request finds the person without a role any more.
    ended_at    TEXT
);
CREATE INDEX web_sessions_member ON web_sessions(member_id);

-- Chart images handed to Zalo by URL (Zalo fetches them without a session): a random token
-- naming one unit's figures for one year, valid for a short time.
CREATE TABLE web_images (
    token_hash  TEXT PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    year        INTEGER NOT NULL,
    expires_at  TEXT NOT NULL
);
