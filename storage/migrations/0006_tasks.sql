-- Tasks assigned to members and the monthly check-in rounds before each regular meeting.
-- Times are UTC text; a task's due date is a local calendar day 'YYYY-MM-DD'.

CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    due_on      TEXT,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'cancelled')),
    created_by  INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    closed_at   TEXT
);
CREATE INDEX tasks_unit ON tasks(unit_id, status);

CREATE TABLE task_assignees (
    task_id    INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, member_id)
);
CREATE INDEX task_assignees_member ON task_assignees(member_id);

-- One round per cell and month: it opens some days before the meeting and closes when the
-- meeting starts (the meeting's current start when it is linked, so a moved meeting moves it).
CREATE TABLE checkin_rounds (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    period      TEXT NOT NULL,
    meeting_id  INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    opens_at    TEXT NOT NULL,
    closes_at   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (unit_id, period)
);
CREATE INDEX checkin_rounds_closes ON checkin_rounds(closes_at);

-- Every answer is kept (history); the latest per (round, task, member) is the current one.
CREATE TABLE checkin_answers (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES checkin_rounds(id) ON DELETE CASCADE,
    task_id      INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('done', 'doing', 'todo', 'blocked')),
    note         TEXT,
    answered_at  TEXT NOT NULL
);
CREATE INDEX checkin_answers_round ON checkin_answers(round_id, member_id, task_id, id);
CREATE INDEX checkin_answers_task ON checkin_answers(task_id, member_id, id);

-- Steps of a round already taken (nudges per offset, the digest), so a tick never repeats one.
CREATE TABLE checkin_steps (
    round_id  INTEGER NOT NULL REFERENCES checkin_rounds(id) ON DELETE CASCADE,
    label     TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (round_id, label)
);

-- Members the secretary excused from reporting (on leave, excused from Party activity) for a
-- round: no prompt nudges, not counted as silent.
CREATE TABLE checkin_excused (
    round_id   INTEGER NOT NULL REFERENCES checkin_rounds(id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    by_member  INTEGER REFERENCES members(id) ON DELETE SET NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (round_id, member_id)
);
