-- Held activity records (台账), the materials ledger, attachments, form drafts.

ALTER TABLE campaign ADD COLUMN report_deadline TEXT;  -- records of the campaign lock after it

CREATE TABLE material (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    category    TEXT NOT NULL DEFAULT '',
    unit        TEXT NOT NULL,            -- 份 册 本 张 个 件 条 块
    low_stock   INTEGER NOT NULL DEFAULT 0 CHECK (low_stock >= 0),
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- The town store has unit_id NULL; a village store belongs to its village.
CREATE TABLE store (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    unit_id    TEXT UNIQUE REFERENCES unit (id) ON DELETE RESTRICT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE record (
    id                TEXT PRIMARY KEY,
    activity_id       TEXT REFERENCES activity (id) ON DELETE SET NULL,
    title             TEXT NOT NULL,
    date              TEXT NOT NULL,
    start_time        TEXT,
    end_time          TEXT,
    unit_id           TEXT REFERENCES unit (id) ON DELETE RESTRICT,
    venue_type        TEXT,
    venue             TEXT NOT NULL DEFAULT '',
    formats           TEXT NOT NULL DEFAULT '[]',
    audiences         TEXT NOT NULL DEFAULT '[]',
    laws              TEXT NOT NULL DEFAULT '[]',
    nodes             TEXT NOT NULL DEFAULT '[]',
    speakers          TEXT NOT NULL DEFAULT '[]',   -- [{name, role}]
    partners          TEXT NOT NULL DEFAULT '[]',
    participants      INTEGER NOT NULL CHECK (participants >= 0),
    reach             INTEGER NOT NULL DEFAULT 0 CHECK (reach >= 0),
    reach_by_audience TEXT NOT NULL DEFAULT '{}',
    consultations     INTEGER NOT NULL DEFAULT 0 CHECK (consultations >= 0),
    banners           INTEGER NOT NULL DEFAULT 0 CHECK (banners >= 0),
    boards            INTEGER NOT NULL DEFAULT 0 CHECK (boards >= 0),
    vehicles          INTEGER NOT NULL DEFAULT 0 CHECK (vehicles >= 0),
    online_posts      INTEGER NOT NULL DEFAULT 0 CHECK (online_posts >= 0),
    online_views      INTEGER NOT NULL DEFAULT 0 CHECK (online_views >= 0),
    disputes          INTEGER NOT NULL DEFAULT 0 CHECK (disputes >= 0),
    legal_aid_cases   INTEGER NOT NULL DEFAULT 0 CHECK (legal_aid_cases >= 0),
    narrative         TEXT NOT NULL DEFAULT '',
    quiz              TEXT,                          -- JSON {questions, participants, winners}
    recorder          TEXT NOT NULL,
    review_status     TEXT NOT NULL DEFAULT 'pending'
                      CHECK (review_status IN ('pending', 'returned', 'approved')),
    review_comment    TEXT NOT NULL DEFAULT '',
    reviewed_by       TEXT,
    reviewed_at       TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX record_date ON record (date);
CREATE INDEX record_unit_date ON record (unit_id, date);
CREATE INDEX record_activity ON record (activity_id);
CREATE INDEX record_review ON record (review_status, date);

CREATE TABLE record_campaign (
    record_id   TEXT NOT NULL REFERENCES record (id) ON DELETE CASCADE,
    campaign_id TEXT NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    PRIMARY KEY (record_id, campaign_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX record_campaign_campaign ON record_campaign (campaign_id, record_id);

-- Every stock change: a receipt (入库, to_store only), a hand-out (出库, from_store only,
-- tied to a record line) or a transfer (both stores).
CREATE TABLE stock_movement (
    id            TEXT PRIMARY KEY,
    material_id   TEXT NOT NULL REFERENCES material (id) ON DELETE RESTRICT,
    kind          TEXT NOT NULL CHECK (kind IN ('receipt', 'handout', 'transfer')),
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    from_store_id TEXT REFERENCES store (id) ON DELETE RESTRICT,
    to_store_id   TEXT REFERENCES store (id) ON DELETE RESTRICT,
    date          TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT '',
    record_id     TEXT REFERENCES record (id) ON DELETE CASCADE,
    below_zero    INTEGER NOT NULL DEFAULT 0 CHECK (below_zero IN (0, 1)),  -- confirmed overdraw
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK ((kind = 'receipt' AND from_store_id IS NULL AND to_store_id IS NOT NULL)
        OR (kind = 'handout' AND from_store_id IS NOT NULL AND to_store_id IS NULL)
        OR (kind = 'transfer' AND from_store_id IS NOT NULL AND to_store_id IS NOT NULL
            AND from_store_id <> to_store_id))
) STRICT;
CREATE INDEX stock_material_from ON stock_movement (material_id, from_store_id);
CREATE INDEX stock_material_to ON stock_movement (material_id, to_store_id);
CREATE INDEX stock_record ON stock_movement (record_id);

CREATE TABLE attachment (
    id         TEXT PRIMARY KEY,
    record_id  TEXT NOT NULL REFERENCES record (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('photo', 'sign_in', 'plan', 'other')),
    file_name  TEXT NOT NULL,        -- the name the user gave, for display only
    sha256     TEXT NOT NULL,
    size       INTEGER NOT NULL,
    mime       TEXT NOT NULL,
    stored     TEXT NOT NULL,        -- path under the data folder, from the hash only
    thumbnail  TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX attachment_record ON attachment (record_id);
CREATE INDEX attachment_sha ON attachment (sha256);

CREATE TABLE draft (
    key        TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
