-- Key dates: a coordinator's per-year overrides of national nodes, and local nodes.

CREATE TABLE keydate_override (
    id         TEXT PRIMARY KEY,
    node_code  TEXT NOT NULL,
    year       INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    start_date TEXT,
    end_date   TEXT,
    theme      TEXT NOT NULL DEFAULT '',
    doc_number TEXT NOT NULL DEFAULT '',   -- the higher-level plan's 文号
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (node_code, year),
    CHECK ((start_date IS NULL) = (end_date IS NULL)),
    CHECK (end_date IS NULL OR end_date >= start_date)
) STRICT;

CREATE TABLE keydate_node (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    rule          TEXT NOT NULL,            -- JSON: {"start": DateRule, "end": DateRule?}
    announced     INTEGER NOT NULL DEFAULT 0 CHECK (announced IN (0, 1)),
    window_before INTEGER NOT NULL DEFAULT 0 CHECK (window_before BETWEEN 0 AND 366),
    window_after  INTEGER NOT NULL DEFAULT 0 CHECK (window_after BETWEEN 0 AND 366),
    laws          TEXT NOT NULL DEFAULT '[]',
    audiences     TEXT NOT NULL DEFAULT '[]',
    lead_agency   TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
