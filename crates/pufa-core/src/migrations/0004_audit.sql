-- The audit trail (全过程留痕): who changed what, when, before and after.

CREATE TABLE audit_log (
    id        TEXT PRIMARY KEY,
    at        TEXT NOT NULL,
    user_id   TEXT,
    user_name TEXT NOT NULL,
    entity    TEXT NOT NULL,   -- campaign, activity, person, unit, material, stock, record …
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,   -- create, update, delete, archive, approve, return, reopen …
    summary   TEXT NOT NULL DEFAULT '',
    changes   TEXT NOT NULL DEFAULT '{}'  -- JSON {field: [before, after]}
) STRICT;
CREATE INDEX audit_entity ON audit_log (entity, entity_id, at);
CREATE INDEX audit_at ON audit_log (at);
