-- Planned activities, the nodes a campaign serves, recurrence series, plan templates,
-- remembered "ignore" decisions on conflicts.

ALTER TABLE campaign ADD COLUMN nodes TEXT NOT NULL DEFAULT '[]';  -- JSON array of node codes

CREATE TABLE activity_series (
    id         TEXT PRIMARY KEY,
    rule       TEXT NOT NULL,          -- JSON Recurrence
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE activity (
    id                TEXT PRIMARY KEY,
    title             TEXT NOT NULL,
    date              TEXT NOT NULL,     -- ISO date
    start_time        TEXT,              -- HH:MM, NULL = all day
    end_time          TEXT,
    unit_id           TEXT REFERENCES unit (id) ON DELETE SET NULL,
    venue_type        TEXT,
    venue             TEXT NOT NULL DEFAULT '',
    formats           TEXT NOT NULL DEFAULT '[]',
    audiences         TEXT NOT NULL DEFAULT '[]',
    laws              TEXT NOT NULL DEFAULT '[]',
    nodes             TEXT NOT NULL DEFAULT '[]',
    lead_person_id    TEXT REFERENCES person (id) ON DELETE SET NULL,
    partners          TEXT NOT NULL DEFAULT '[]',
    materials         TEXT NOT NULL DEFAULT '[]',  -- JSON [{item, quantity, unit}]
    expected_audience INTEGER CHECK (expected_audience IS NULL OR expected_audience >= 0),
    status            TEXT NOT NULL DEFAULT 'planned'
                      CHECK (status IN ('planned', 'held', 'cancelled', 'postponed')),
    status_reason     TEXT NOT NULL DEFAULT '',
    series_id         TEXT REFERENCES activity_series (id) ON DELETE SET NULL,
    series_exception  INTEGER NOT NULL DEFAULT 0 CHECK (series_exception IN (0, 1)),
    notes             TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (start_time IS NULL OR end_time IS NULL OR end_time >= start_time)
) STRICT;
CREATE INDEX activity_date ON activity (date, start_time);
CREATE INDEX activity_unit_date ON activity (unit_id, date);
CREATE INDEX activity_person_date ON activity (lead_person_id, date);
CREATE INDEX activity_series_date ON activity (series_id, date);

CREATE TABLE activity_campaign (
    activity_id TEXT NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    campaign_id TEXT NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, campaign_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX activity_campaign_campaign ON activity_campaign (campaign_id, activity_id);

CREATE TABLE plan_template (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    body       TEXT NOT NULL,          -- JSON PlanTemplate
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE conflict_ignore (
    kind       TEXT NOT NULL,
    a          TEXT NOT NULL,
    b          TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (kind, a, b)
) STRICT, WITHOUT ROWID;
