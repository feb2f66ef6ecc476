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
        let r = run(&db).unwrap();
        assert!(!r.ok);
        assert!(
            r.problems[0].contains("结束日期早于开始日期"),
            "{:?}",
            r.problems
        );
    }
}
