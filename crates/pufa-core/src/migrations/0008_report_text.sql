-- The parts of a Word report only people can write (主要做法, 存在的问题, 下一步工作打算) and
-- who issues it, saved with the report they belong to: kind 'annual' (scope = the year) or
-- 'campaign' (scope = the campaign id). `year` finds last year's text to start from.
CREATE TABLE report_text (
    kind       TEXT NOT NULL CHECK (kind IN ('annual', 'campaign')),
    scope      TEXT NOT NULL,
    year       INTEGER NOT NULL,
    practices  TEXT NOT NULL DEFAULT '',
    problems   TEXT NOT NULL DEFAULT '',
    plans      TEXT NOT NULL DEFAULT '',
    issuer     TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, scope)
) STRICT, WITHOUT ROWID;
CREATE INDEX report_text_year ON report_text (kind, year);
