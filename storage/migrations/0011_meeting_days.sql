-- Meeting days as a secretary lives them (issue 14).

-- When the meeting took its present form (created, or last moved): a reminder whose time had
-- passed before then was not missed through downtime. NULL on older rows: created_at.
ALTER TABLE meetings ADD COLUMN version_at TEXT;

-- Why a member was excused, when Chibo knows it (standing leave: 'leave'); NULL otherwise.
ALTER TABLE attendance ADD COLUMN reason TEXT;

-- Sinh hoạt tạm thời: a member working away attends another cell's meetings for a span of
-- months. The host cell reminds them, takes their answers and counts them; the home cell shows
-- them as attached elsewhere and does not count them absent. Periods are local 'YYYY-MM';
-- last_period NULL = until further notice.
CREATE TABLE member_attachments (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    host_unit_id  INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    first_period  TEXT NOT NULL,
    last_period   TEXT,
    source        TEXT NOT NULL DEFAULT 'cli' CHECK (source IN ('roster', 'cli')),
    created_at    TEXT NOT NULL
);
CREATE INDEX member_attachments_host ON member_attachments(host_unit_id, first_period);
CREATE INDEX member_attachments_member ON member_attachments(member_id);
