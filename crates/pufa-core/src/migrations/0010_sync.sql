-- Exchange between laptops (village ⇄ town → county): the hybrid logical clock, deletions
-- kept as tombstones, what was last exported, and conflicts kept for the user to decide.
-- The `hlc`, `base_hlc` and `sync_seq` columns of the exchanged tables and the triggers that
-- stamp them are added by sync::migrate, which runs this file first. Written so that it can
-- run again over itself (tests rebuild older databases by lowering user_version).

-- One row. `ms`/`counter` = the last HLC handed out (never goes backwards, also past clocks
-- seen in imported packages); `seq` numbers local changes and arrivals, so "changed since the
-- last export" is `sync_seq > last_seq`; `applying` = 1 while an import writes (its rows
-- keep the versions they arrive with instead of being stamped as local edits).
CREATE TABLE IF NOT EXISTS sync_clock (
    one      INTEGER PRIMARY KEY CHECK (one = 1),
    ms       INTEGER NOT NULL,
    counter  INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    applying INTEGER NOT NULL DEFAULT 0 CHECK (applying IN (0, 1))
) STRICT;
INSERT OR IGNORE INTO sync_clock (one, ms, counter, seq, applying) VALUES (1, 0, 0, 0, 0);

-- A deleted row: its version at deletion (`hlc`) and the version last exchanged (`base_hlc`).
CREATE TABLE IF NOT EXISTS sync_tombstone (
    entity   TEXT NOT NULL,
    id       TEXT NOT NULL,
    hlc      TEXT NOT NULL,
    base_hlc TEXT,
    sync_seq INTEGER NOT NULL,
    PRIMARY KEY (entity, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sync_tombstone_seq ON sync_tombstone (sync_seq);

-- The last package exported per scope ('*' = the whole town, else the village's unit id).
CREATE TABLE IF NOT EXISTS sync_peer (
    scope       TEXT PRIMARY KEY,
    last_seq    INTEGER NOT NULL,
    package_id  TEXT NOT NULL,
    exported_at TEXT NOT NULL
) STRICT;

-- Both versions of a row changed on two sides since they last exchanged it. The winner (the
-- greater HLC) is applied; the other is kept here until the user chooses. A NULL json is a
-- deletion.
CREATE TABLE IF NOT EXISTS sync_conflict (
    id            TEXT PRIMARY KEY,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    local_json    TEXT,
    incoming_json TEXT,
    winner        TEXT NOT NULL CHECK (winner IN ('local', 'incoming')),
    created_at    TEXT NOT NULL,
    resolved_at   TEXT,
    kept          TEXT CHECK (kept IN ('local', 'incoming'))
) STRICT;
CREATE INDEX IF NOT EXISTS sync_conflict_open ON sync_conflict (resolved_at, created_at);
