-- What the Excel import remembers (issue 16).
--
-- import_source: where each imported record came from (sheet and Excel row) and a fingerprint
-- of the row's values as imported. A later import of a corrected sheet finds the record again
-- (same activity, or same sheet and row with a reworded title) and, when the row's values
-- differ from what was imported, shows it as 已修改 (old → new) and updates the record. A
-- record edited in the app since is not reverted by re-importing the same, unchanged sheet:
-- the fingerprint is the sheet row's, not the record's. Local to this computer (not synced).
CREATE TABLE IF NOT EXISTS import_source (
    record_id   TEXT PRIMARY KEY REFERENCES record(id) ON DELETE CASCADE,
    sheet       TEXT NOT NULL,
    row         INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS import_source_place ON import_source (sheet, row);

-- import_layout: the column mapping a user confirmed in the preview, by layout (the header
-- row's normalised words, in order). The next workbook of the same layout is read with it.
-- `mapping` is JSON: {"<column's header as written>": "<field code or \"\" for not imported>"}.
CREATE TABLE IF NOT EXISTS import_layout (
    layout     TEXT PRIMARY KEY,
    mapping    TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
