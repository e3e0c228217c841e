-- Meeting days: per-cell schedule overrides, meetings, answers, attendance, observers.
-- Times are UTC text like everywhere else; a regular meeting's `period` is its local 'YYYY-MM'.

CREATE TABLE meeting_rules (
    unit_id     INTEGER PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
    -- The cell's own rule in the syntax of [meetings] rule_* (NULL: the kind's default rule).
    rule        TEXT,
    place       TEXT,
    updated_at  TEXT NOT NULL
);

CREATE TABLE meetings (
    id             INTEGER PRIMARY KEY,
    unit_id        INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('regular', 'thematic')),
    period         TEXT,
    starts_at      TEXT NOT NULL,
    place          TEXT NOT NULL DEFAULT '',
    agenda         TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    -- Bumped on every change of time: reminder dedupe keys carry it, so a moved meeting gets
    -- fresh reminders while the old ones are withdrawn.
    version        INTEGER NOT NULL DEFAULT 1,
    attendance_at  TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX meetings_regular_period ON meetings(unit_id, period) WHERE kind = 'regular';
CREATE INDEX meetings_starts ON meetings(starts_at) WHERE status = 'scheduled';
CREATE INDEX meetings_unit ON meetings(unit_id, starts_at);

CREATE TABLE meeting_answers (
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    answer       TEXT NOT NULL CHECK (answer IN ('attend', 'excused')),
    reason       TEXT,
    answered_by  INTEGER REFERENCES members(id) ON DELETE SET NULL,
    answered_at  TEXT NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
);

CREATE TABLE attendance (
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('present', 'excused', 'absent')),
    recorded_by  INTEGER REFERENCES members(id) ON DELETE SET NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX attendance_member ON attendance(member_id, status);

-- A reminder round (one offset of one version of a meeting) that the planner has queued or,
-- when it fell due too long ago, skipped. Written in the same transaction as its outbox rows.
CREATE TABLE meeting_reminder_rounds (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    label       TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('queued', 'late', 'skipped')),
    at          TEXT NOT NULL,
    PRIMARY KEY (meeting_id, version, label)
);

-- Committee members assigned to attend a cell's meetings (they get its reminders too).
CREATE TABLE meeting_observers (
    unit_id    INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    PRIMARY KEY (unit_id, member_id)
);
