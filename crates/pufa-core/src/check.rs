//! `check`: is the database sound? SQLite's own integrity and foreign-key checks plus the
//! domain's invariants.

use crate::db::{Db, SCHEMA_VERSION};
use crate::error::Result;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckReport {
    pub ok: bool,
    pub problems: Vec<String>,
    pub schema_version: i32,
    pub towns: u32,
    pub units: u32,
    pub people: u32,
    pub campaigns: u32,
    pub activities: u32,
}

/// Rows reported at most (a database with thousands of bad rows says so with the first few).
const MAX_ROW_PROBLEMS: usize = 20;

pub fn run(db: &Db) -> Result<CheckReport> {
    let conn = &db.conn;
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let row = row?;
        if row != "ok" {
            problems.push(format!("数据库完整性：{row}"));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(2)?)))? {
        let (table, parent) = row?;
        problems.push(format!("表 {table} 有记录指向不存在的 {parent}"));
    }
    let count = |sql: &str| -> Result<u32> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    let towns = count("SELECT count(*) FROM town")?;
    if towns > 1 {
        problems.push(format!("应只有一个乡镇，实际有 {towns} 个"));
    }
    let bad_dates = count("SELECT count(*) FROM campaign WHERE end_date < start_date")?;
    if bad_dates > 0 {
        problems.push(format!("{bad_dates} 个活动专项的结束日期早于开始日期"));
    }
    let bad_times = count(
        "SELECT count(*) FROM activity WHERE start_time IS NOT NULL AND end_time < start_time",
    )?;
    if bad_times > 0 {
        problems.push(format!("{bad_times} 场活动的结束时间早于开始时间"));
    }
    let bad_dates = count(
        "SELECT count(*) FROM activity WHERE date NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'",
    )?;
    if bad_dates > 0 {
        problems.push(format!("{bad_dates} 场活动的日期格式不正确"));
    }
    let version = db.schema_version()?;
    if version != SCHEMA_VERSION {
        problems.push(format!("结构版本 {version} 与程序 {SCHEMA_VERSION} 不一致"));
    }
    // Exactly the schema our migrations make: a trigger added behind the app's back (one that
    // empties the audit trail, say) is a problem, not a detail.
    let schema = crate::db::schema_of(conn)?;
    if let Some(why) = crate::db::schema_difference(&schema, &crate::db::schema_at(version)?) {
        problems.push(format!("数据库结构：{why}"));
    }
    // Every row as the checks of typed input see it (the first few problems).
    crate::inbound::check_all(conn, &mut |_, _| true, &mut |what, e| {
        problems.push(format!("{what}：{}", e.message));
        problems.len() < MAX_ROW_PROBLEMS
    })?;
    Ok(CheckReport {
        ok: problems.is_empty(),
        problems,
        schema_version: version as i32,
        towns,
        units: count("SELECT count(*) FROM unit")?,
        people: count("SELECT count(*) FROM person")?,
        campaigns: count("SELECT count(*) FROM campaign")?,
        activities: count("SELECT count(*) FROM activity")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_broken_invariants() {
        let db = Db::open_in_memory().unwrap();
        assert!(run(&db).unwrap().ok);
        // Bypass validation the way a bad import or a hand edit could.
        db.conn
            .execute_batch("PRAGMA ignore_check_constraints = ON;")
            .unwrap();
        db.conn
            .execute(
                "INSERT INTO campaign (id, name, kind, start_date, end_date, created_at, updated_at)
                 VALUES ('x', 'x', 'local', '2026-12-07', '2026-12-01', '', '')",
                [],
            )
            .unwrap();
        assert_problem(&db, "结束日期早于开始日期");
    }

    /// `check` fails with a problem that says `what`.
    fn assert_problem(db: &Db, what: &str) {
        let r = run(db).unwrap();
        assert!(!r.ok);
        assert!(
            r.problems.iter().any(|p| p.contains(what)),
            "{what}: {:?}",
            r.problems
        );
    }

    #[test]
    fn a_trigger_added_behind_the_apps_back_is_a_problem() {
        let db = Db::open_in_memory().unwrap();
        db.conn
            .execute_batch(
                "CREATE TRIGGER wipe AFTER INSERT ON record BEGIN DELETE FROM audit_log; END;",
            )
            .unwrap();
        assert_problem(&db, "触发器“wipe”是多出来的");
    }

    #[test]
    fn a_row_no_typed_entry_could_make_is_a_problem() {
        let mut db = crate::testing::town(&["安静村"], &[]);
        crate::record::create(
            &mut db,
            &crate::record::RecordInput {
                title: "宪法进院坝".into(),
                date: "2026-03-05".into(),
                unit_id: Some("安静村".into()),
                formats: vec!["lecture".into()],
                participants: 30.0,
                recorder: "王".into(),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(run(&db).unwrap().ok, "{:?}", run(&db).unwrap().problems);
        db.conn
            .execute("UPDATE record SET date = '2026-02-30'", [])
            .unwrap();
        assert_problem(&db, "活动记录“宪法进院坝”");
        assert_problem(&db, "日期“2026-02-30”不是有效日期");
    }
}
