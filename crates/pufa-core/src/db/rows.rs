//! Rows inserted many to a statement: `INSERT INTO t (…) VALUES (…), (…), …`. Each statement
//! costs SQLite a fixed amount besides its rows (a statement journal, a cursor on the table and
//! each index), which for 10,000 records with their hand-outs and audit rows is most of the
//! time an import takes when each row is a statement of its own.

use crate::error::Result;
use rusqlite::types::Value;
use rusqlite::Connection;

/// Rows to a statement. More saves little (and its SQL text grows); fewer costs statements.
const ROWS_PER_STATEMENT: usize = 64;

/// Inserts `rows` into `table`, each with a value for every one of `columns`, in order.
pub(crate) fn insert_rows(
    conn: &Connection,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Value>],
) -> Result<()> {
    let mut rest = rows;
    while !rest.is_empty() {
        // Statements of 64, 32, 16 … 1 rows: a few shapes a table stay in the statement cache,
        // where one for every remainder (a batch written in chunks leaves all sorts) pushed
        // each other out and were parsed again and again.
        let n = ROWS_PER_STATEMENT.min(1 << rest.len().ilog2());
        let (chunk, after) = rest.split_at(n);
        debug_assert!(chunk.iter().all(|r| r.len() == columns.len()));
        let sql = insert_sql(table, columns, chunk.len());
        conn.prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(chunk.iter().flatten()))?;
        rest = after;
    }
    Ok(())
}

fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns.len()].join(", "));
    format!(
        "INSERT INTO {table} ({}) VALUES {}",
        columns.join(", "),
        vec![row; rows].join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_land_in_order_across_statements() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER, s TEXT)")
            .unwrap();
        let rows: Vec<Vec<Value>> = (0..150)
            .map(|n| vec![Value::Integer(n), Value::Text(format!("第{n}行"))])
            .collect();
        insert_rows(&conn, "t", &["n", "s"], &rows).unwrap();
        let got: Vec<(i64, String)> = conn
            .prepare("SELECT n, s FROM t ORDER BY rowid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(got.len(), 150);
        assert!(got
            .iter()
            .enumerate()
            .all(|(i, (n, s))| *n == i as i64 && *s == format!("第{i}行")));
    }
}
