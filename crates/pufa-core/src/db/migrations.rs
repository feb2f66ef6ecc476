//! The migrations that are code, frozen: each does what it did when its version was released
//! and never changes, so a change to today's tallies, sync triggers or tables cannot change
//! what an old migration does (that change is a new migration). The SQL their code generated
//! then is kept as text beside the other migrations (`migrations/0009_tallies_code.sql`,
//! `migrations/0010_sync_triggers.sql`).

use crate::error::Result;
use rusqlite::Connection;

/// Migration 0009: the tallies' tables, their triggers, and the tallies of the rows already
/// there.
pub(super) fn tallies_0009(conn: &Connection) -> Result<()> {
    conn.execute_batch(include_str!("../migrations/0009_tallies.sql"))?;
    conn.execute_batch(include_str!("../migrations/0009_tallies_code.sql"))?;
    Ok(())
}

/// The exchanged tables as migration 0010 gave them their sync columns.
const SYNC_TABLES_0010: [&str; 11] = [
    "town",
    "unit",
    "person",
    "material",
    "store",
    "stock_movement",
    "campaign",
    "activity_series",
    "activity",
    "record",
    "attachment",
];

/// Migration 0010: the sync tables, the columns of every exchanged table, the triggers.
pub(super) fn sync_0010(conn: &Connection) -> Result<()> {
    conn.execute_batch(include_str!("../migrations/0010_sync.sql"))?;
    for t in SYNC_TABLES_0010 {
        let has: i64 = conn.query_row(
            &format!("SELECT count(*) FROM pragma_table_info('{t}') WHERE name = 'hlc'"),
            [],
            |r| r.get(0),
        )?;
        if has == 0 {
            conn.execute_batch(&format!(
                "ALTER TABLE {t} ADD COLUMN hlc TEXT;
                 ALTER TABLE {t} ADD COLUMN base_hlc TEXT;
                 ALTER TABLE {t} ADD COLUMN sync_seq INTEGER NOT NULL DEFAULT 0;"
            ))?;
        }
    }
    conn.execute_batch(
        "CREATE INDEX IF NOT EXISTS record_sync_seq ON record (sync_seq);
         CREATE INDEX IF NOT EXISTS activity_sync_seq ON activity (sync_seq);",
    )?;
    conn.execute_batch(include_str!("../migrations/0010_sync_triggers.sql"))?;
    Ok(())
}

/// Migration 0012: the audit trail append-only, the devices packages came from, and why a
/// conflict was kept (`sync_conflict.reason`: NULL for an edit on both sides, else what the
/// package's maker may not change).
pub(super) fn trust_0012(conn: &Connection) -> Result<()> {
    conn.execute_batch(include_str!("../migrations/0012_trust.sql"))?;
    let has: i64 = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('sync_conflict') WHERE name = 'reason'",
        [],
        |r| r.get(0),
    )?;
    if has == 0 {
        conn.execute_batch("ALTER TABLE sync_conflict ADD COLUMN reason TEXT;")?;
    }
    Ok(())
}

/// Migration 0013: the market days column. Run only when the column is missing, so that a
/// database rebuilt from an older version (tests lower `user_version`) migrates again.
pub(super) fn calendar_0013(conn: &Connection) -> Result<()> {
    let has: i64 = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('unit') WHERE name = 'market_days'",
        [],
        |r| r.get(0),
    )?;
    if has == 0 {
        conn.execute_batch(include_str!("../migrations/0013_calendar.sql"))?;
    }
    Ok(())
}

/// Migration 0014: the 志愿者人次 column of a record (`volunteers`, 0 when not given). Run only
/// when the column is missing, like 0013. The tallies of 0009 do not keep it, so no trigger
/// changes.
pub(super) fn volunteers_0014(conn: &Connection) -> Result<()> {
    let has: i64 = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('record') WHERE name = 'volunteers'",
        [],
        |r| r.get(0),
    )?;
    if has == 0 {
        conn.execute_batch(include_str!("../migrations/0014_volunteers.sql"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{database_at, migrate, schema_at, schema_of, SCHEMA_VERSION};
    use rusqlite::Connection;

    /// Every row of the tallies, in order.
    fn tallies(conn: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        for t in ["record_tally", "activity_tally"] {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {t}")).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            r.get::<_, rusqlite::types::Value>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .unwrap();
            for r in rows {
                out.push(format!("{t}: {}", r.unwrap().join(" | ")));
            }
        }
        out.sort();
        out
    }

    /// A database a version-8 build left, with a village and two records, upgraded by the
    /// frozen migrations: the schema a new database gets, the tallies today's code counts, the
    /// sync columns and a version on every exchanged row.
    #[test]
    fn a_version_8_database_upgrades_as_it_did_when_released() {
        let mut conn = database_at(8);
        conn.execute_batch(
            "INSERT INTO unit (id, kind, name, created_at, updated_at)
                 VALUES ('u1', 'village', '安静村', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO record (id, title, date, unit_id, formats, audiences, laws, nodes,
                                 participants, reach, banners, recorder, review_status,
                                 created_at, updated_at)
                 VALUES ('r1', '宪法进院坝', '2026-12-04', 'u1', '[\"yuanba\"]', '[\"villagers\"]',
                         '[\"宪法\"]', '[]', 80, 120, 2, '李四', 'approved',
                         '2026-12-04T10:00:00Z', '2026-12-04T10:00:00Z'),
                        ('r2', '民法典讲座', '2026-05-20', 'u1', '[]', '[]', '[\"民法典\"]', '[]',
                         30, 30, 0, '李四', 'pending',
                         '2026-05-20T10:00:00Z', '2026-05-20T10:00:00Z');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        assert_eq!(
            schema_of(&conn).unwrap(),
            schema_at(SCHEMA_VERSION).unwrap()
        );
        let upgraded = tallies(&conn);
        assert!(
            upgraded.iter().any(|r| r.contains("Text(\"2026-12\")")),
            "the tallies count the records already there: {upgraded:?}"
        );
        // Counted again by today's code, the tallies are the same.
        crate::reports::tally::rebuild(&conn).unwrap();
        assert_eq!(tallies(&conn), upgraded);
        let unversioned: i64 = conn
            .query_row("SELECT count(*) FROM record WHERE hlc IS NULL", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(
            unversioned, 2,
            "0010 adds the columns; rows get a version when edited"
        );
        // An edit after the upgrade is versioned by the frozen triggers.
        conn.execute(
            "UPDATE record SET title = '宪法进院坝（改）' WHERE id = 'r1'",
            [],
        )
        .unwrap();
        let hlc: Option<String> = conn
            .query_row("SELECT hlc FROM record WHERE id = 'r1'", [], |r| r.get(0))
            .unwrap();
        assert!(hlc.is_some());
    }
}
