-- Running tallies of held records and planned activities by month, kept by triggers (created
-- with this migration by reports::tally, which also fills them from the existing rows).
-- The dashboard of ten county years (1,000,000 activities) would otherwise read every record
-- of the period; with these it reads a few rows per month and key. The records remain the
-- truth: a test rebuilds the tallies from them and compares.
--
-- unit_id '*' is the whole town (or county) rolled up; '' a record without a village.
-- dim: 'all' (every sum), 'village' (key = unit id, on '*' rows only), 'campaign', 'node',
-- 'audience', 'format', 'law' (key = the code; 场次, 人, 人次 only), 'topic' (key = the
-- record's campaign ids and first node, see reports::tally::topic_key) and 'material'
-- (key = material id; quantity handed out only).

CREATE TABLE record_tally (
    unit_id         TEXT NOT NULL,
    month           TEXT NOT NULL,      -- YYYY-MM
    status          TEXT NOT NULL,      -- the records' review_status
    dim             TEXT NOT NULL,
    key             TEXT NOT NULL,
    activities      INTEGER NOT NULL,
    participants    INTEGER NOT NULL,
    reach           INTEGER NOT NULL,
    consultations   INTEGER NOT NULL,
    banners         INTEGER NOT NULL,
    boards          INTEGER NOT NULL,
    vehicles        INTEGER NOT NULL,
    online_posts    INTEGER NOT NULL,
    online_views    INTEGER NOT NULL,
    disputes        INTEGER NOT NULL,
    legal_aid_cases INTEGER NOT NULL,
    quantity        INTEGER NOT NULL,
    PRIMARY KEY (unit_id, month, status, dim, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE activity_tally (
    unit_id TEXT NOT NULL,
    month   TEXT NOT NULL,
    status  TEXT NOT NULL,              -- the activities' status
    n       INTEGER NOT NULL,
    PRIMARY KEY (unit_id, month, status)
) STRICT, WITHOUT ROWID;
