-- Standing leave: a member the secretary put on leave or excused from Party activity for a span
-- of months. A check-in round whose period falls inside the span treats the member as excused
-- (no prompt, no nudge, not counted as silent), as a per-round entry in checkin_excused would.
-- Periods are local calendar months 'YYYY-MM'; last_period NULL = until further notice.
-- No reason is stored: the span is all the feature needs (a reason may be medical).
CREATE TABLE member_leave (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    unit_id       INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    first_period  TEXT NOT NULL,
    last_period   TEXT,
    set_by        INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    -- Set when the secretary ended the leave early (or replaced it with a new one); last_period
    -- then becomes the month before the one it was ended in.
    ended_at      TEXT
);
CREATE INDEX member_leave_unit ON member_leave(unit_id, first_period);
CREATE INDEX member_leave_member ON member_leave(member_id);
