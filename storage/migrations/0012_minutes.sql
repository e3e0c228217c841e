-- The meeting's paperwork: the roster category a minutes book counts by, the agenda and
-- documents sent ahead (versioned like meeting changes), and what the secretary adds to the
-- minutes and the resolution (chair, minute-taker, conclusions, the vote).

-- NULL follows `status` (official -> full, probationary -> probationary); 'exempt' marks a
-- member exempt from Party activity ("miễn công tác và sinh hoạt đảng").
ALTER TABLE members ADD COLUMN category TEXT
    CHECK (category IS NULL OR category IN ('full', 'probationary', 'exempt'));

-- One row per meeting whose agenda or documents were set here. `version` is bumped by every
-- change; `sent_version` is the version last queued to the members (0: not sent yet). Outbox
-- keys carry the version, so a change after sending goes out once more, once.
CREATE TABLE meeting_papers (
    meeting_id    INTEGER PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL DEFAULT 1,
    sent_version  INTEGER NOT NULL DEFAULT 0,
    updated_at    TEXT NOT NULL
);

-- Documents for members to read before the meeting, stored under their SHA-256 beside the
-- bulletin files (a Telegram file id is kept per checksum, a Zalo link names it).
CREATE TABLE meeting_documents (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    file_name   TEXT NOT NULL,
    path        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('pdf', 'docx')),
    added_by    INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (meeting_id, sha256)
);

-- What the secretary typed for the minutes and the resolution; everything else is read from
-- the meeting, the attendance, the check-ins and the tasks each time a draft is made.
CREATE TABLE meeting_minutes (
    meeting_id    INTEGER PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
    chair_id      INTEGER REFERENCES members(id) ON DELETE SET NULL,
    clerk_id      INTEGER REFERENCES members(id) ON DELETE SET NULL,
    conclusions   TEXT NOT NULL DEFAULT '',
    vote_for      INTEGER,
    vote_against  INTEGER,
    vote_abstain  INTEGER,
    -- Committee members assigned to the cell (meeting_observers) who attended, as a JSON list.
    guest_ids     TEXT NOT NULL DEFAULT '[]',
    updated_by    INTEGER REFERENCES members(id) ON DELETE SET NULL,
    updated_at    TEXT NOT NULL
);
