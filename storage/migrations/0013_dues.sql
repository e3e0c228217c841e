-- Party dues (đảng phí): the amount each member owes a month, payments with their history,
-- months excused with a reason, per-cell settings, and the planner's run markers.
-- Money is integer đồng. Periods are local calendar months 'YYYY-MM'. No salary is stored: the
-- amount due is what the cell decided (1% of the insured salary, 0.5% of a pension, a fixed
-- amount per category...), entered as an amount.

-- The treasurer (thủ quỹ) is a role like the others: rebuild roles with the wider CHECK.
CREATE TABLE roles_0013 (
    member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'propaganda', 'committee', 'secretary',
                                              'deputy', 'treasurer')),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    source      TEXT NOT NULL CHECK (source IN ('roster', 'manual')),
    PRIMARY KEY (member_id, role, unit_id)
);
INSERT INTO roles_0013 (member_id, role, unit_id, source)
    SELECT member_id, role, unit_id, source FROM roles;
DROP TABLE roles;
ALTER TABLE roles_0013 RENAME TO roles;
CREATE INDEX roles_unit ON roles(unit_id, role);

-- The amount due from `from_period` on; the latest row at or before a month applies to it.
CREATE TABLE dues_amounts (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    from_period  TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount >= 0),
    -- The [dues] category it came from, if any (its amount is copied: a later change of the
    -- configuration does not rewrite the book).
    category     TEXT,
    source       TEXT NOT NULL CHECK (source IN ('roster', 'chat')),
    set_by       INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX dues_amounts_member ON dues_amounts(member_id, from_period, id);

-- One current row per member and month; a correction or a withdrawal stamps replaced_at on
-- the old row (kept as history) and, for a correction, inserts the new one.
CREATE TABLE dues_payments (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    -- The cell it was paid to.
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    period       TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    method       TEXT NOT NULL CHECK (method IN ('cash', 'portal', 'bank')),
    -- Local date of the payment 'YYYY-MM-DD'.
    paid_on      TEXT NOT NULL,
    -- Rows recorded together (several months at once) share the batch: the first row's id.
    batch        INTEGER,
    recorded_by  INTEGER REFERENCES members(id) ON DELETE SET NULL,
    recorded_at  TEXT NOT NULL,
    replaced_at  TEXT,
    replaced_by  INTEGER REFERENCES members(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX dues_payments_current ON dues_payments(member_id, period)
    WHERE replaced_at IS NULL;
CREATE INDEX dues_payments_period ON dues_payments(period, member_id);

-- A month the cell excused (hardship, miễn đóng...): not counted as unpaid.
CREATE TABLE dues_excused (
    member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    period      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    set_by      INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (member_id, period)
);

-- Per cell: the monthly reminder to members who have not paid (off unless turned on).
CREATE TABLE dues_settings (
    unit_id     INTEGER PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
    reminders   INTEGER NOT NULL DEFAULT 0,
    changed_by  INTEGER REFERENCES members(id) ON DELETE SET NULL,
    changed_at  TEXT NOT NULL
);

-- Statute warnings sent, one row per member, calendar year and level (2, 3): kept here because
-- outbox rows are pruned after [delivery] retention_days, and a level must never be sent twice.
CREATE TABLE dues_warnings (
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    year       INTEGER NOT NULL,
    level      INTEGER NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (member_id, year, level)
);

-- Planner runs done ('watch:2026-W49', 'remind:2026-12:<unit>'), so a tick does nothing twice.
CREATE TABLE dues_runs (
    run      TEXT PRIMARY KEY,
    done_at  TEXT NOT NULL
);
