-- Trust boundaries (issue 15): the audit trail append-only, who made the packages this laptop
-- took, and why a conflict was kept. The `reason` column of `sync_conflict` is added by
-- sync::migrate_trust, which runs this file first; written so that it can run again over itself
-- (tests rebuild older databases by lowering user_version).

-- The audit trail (全过程留痕) only grows: no statement may change or remove a row of it, so a
-- trigger smuggled in with a database, or a mistake in our own code, cannot empty it. A restore
-- and a package import add their rows like every other change.
CREATE TRIGGER IF NOT EXISTS audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '操作记录只能追加，不能修改或删除');
END;
CREATE TRIGGER IF NOT EXISTS audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '操作记录只能追加，不能修改或删除');
END;

-- The laptops whose packages this one has taken and who each said it was: the town's laptop
-- ('town') or a village laptop ('village', with its village). A device speaks for the same
-- maker every time; a new device that claims the town's rights is taken only when the user
-- confirms it (the package a laptop starts from is its town's).
CREATE TABLE IF NOT EXISTS sync_device (
    device_id  TEXT PRIMARY KEY,
    maker      TEXT NOT NULL CHECK (maker IN ('town', 'village')),
    unit_id    TEXT,
    label      TEXT NOT NULL DEFAULT '',
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    CHECK ((maker = 'village') = (unit_id IS NOT NULL))
) STRICT;
