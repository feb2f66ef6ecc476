//! The checks of rows that arrive whole (a data package's rows, a backup's database): each
//! row goes to the service of its table (`record`, `activity`, `unit` …), which turns it back
//! into the input it would have been saved from and runs its own check (see `stored`). Above
//! the services, so that `stored`, which they all use, needs none of them.

use crate::error::{AppError, ErrorCode, Result};
use crate::stored::{add_children, row_of, Row, Stored};
use crate::validate::clip;
use rusqlite::Connection;
use serde_json::Value;

/// Checks one row of `table` as its service checks a typed entry.
pub(crate) fn check(conn: &Connection, table: &str, row: &Row) -> Result<()> {
    let s = Stored(row);
    s.timestamp("created_at")?;
    if row.contains_key("updated_at") {
        s.timestamp("updated_at")?;
    }
    match table {
        "town" => crate::town::check_stored(&s),
        "unit" => crate::unit::check_stored(&s),
        "person" => crate::person::check_stored(conn, &s),
        "material" => crate::inventory::check_stored_material(&s),
        "store" => crate::inventory::check_stored_store(&s),
        "stock_movement" => crate::inventory::check_stored_movement(&s),
        "campaign" => crate::campaign::check_stored(conn, &s),
        "activity_series" => crate::activity::check_stored_series(&s),
        "activity" => crate::activity::check_stored(conn, &s),
        "record" => crate::record::check_stored(conn, &s),
        "attachment" => crate::attachment::check_stored(&s),
        _ => Err(AppError::new(
            ErrorCode::InvalidValue,
            format!("不认识的数据类型“{}”", clip(table)),
        )),
    }
}

/// Rows checked between two progress reports.
const ROWS_PER_REPORT: u64 = 2_000;

/// Every row of the exchanged tables of `conn` through [`check`] (a backup's before it is
/// restored, the `check` command's). `found(what, error)` hears of each row refused — `what`
/// names it: "活动记录“宪法进院坝”（编号）" — and returns whether to go on. `progress(done,
/// total)` in rows; false stops. Returns false when stopped by `progress`.
pub(crate) fn check_all(
    conn: &Connection,
    progress: &mut dyn FnMut(u64, u64) -> bool,
    found: &mut dyn FnMut(String, AppError) -> bool,
) -> Result<bool> {
    let mut total = 0u64;
    for t in crate::sync::TABLES {
        total += conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| {
            r.get::<_, i64>(0)
        })? as u64;
    }
    let mut done = 0u64;
    for t in crate::sync::TABLES {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {t} ORDER BY rowid"))?;
        let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            done += 1;
            if done.is_multiple_of(ROWS_PER_REPORT) && !progress(done, total) {
                return Ok(false);
            }
            let mut row = row_of(&names, r)?;
            // A hand-out is checked with its record.
            if t == "stock_movement" && row.get("kind").and_then(Value::as_str) == Some("handout") {
                continue;
            }
            add_children(conn, t, &mut row)?;
            if let Err(e) = check(conn, t, &row) {
                let title = ["title", "name", "file_name"]
                    .iter()
                    .find_map(|k| row.get(*k).and_then(Value::as_str))
                    .unwrap_or("");
                let id = row.get("id").and_then(Value::as_str).unwrap_or("?");
                let what = format!(
                    "{}“{}”（{}）",
                    crate::audit::entity_label(t),
                    clip(title),
                    clip(id)
                );
                if !found(what, e) {
                    return Ok(true);
                }
            }
        }
    }
    Ok(true)
}
