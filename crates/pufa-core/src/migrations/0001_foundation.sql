-- Foundation: town, units, people, user profiles, campaigns, settings.
-- Every record has a UUID and created/updated timestamps (RFC 3339, UTC) so that records can
-- later travel between laptops and merge.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE town (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    county     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE unit (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('village', 'community', 'school', 'enterprise', 'site')),
    name       TEXT NOT NULL UNIQUE,
    address    TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX unit_kind ON unit (kind, sort_order);

CREATE TABLE person (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    phone      TEXT NOT NULL DEFAULT '',
    unit_id    TEXT REFERENCES unit (id) ON DELETE SET NULL,
    notes      TEXT NOT NULL DEFAULT '',
    archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX person_unit ON person (unit_id);

CREATE TABLE user_profile (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('coordinator', 'village_cadre', 'leader')),
    unit_id    TEXT REFERENCES unit (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE campaign (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('national', 'targeted', 'local')),
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL CHECK (end_date >= start_date),
    audiences  TEXT NOT NULL DEFAULT '[]',  -- JSON array of audience codes
    themes     TEXT NOT NULL DEFAULT '[]',  -- JSON array of laws / themes
    lead_unit  TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX campaign_dates ON campaign (start_date, end_date);
