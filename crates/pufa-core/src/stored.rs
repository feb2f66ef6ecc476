//! Rows that arrive whole instead of typed: a data package's rows and a backup's database. Each
//! goes through the same checks a typed entry gets — the service of its table (`record`,
//! `activity`, `unit` …) turns the row back into the input it would have been saved from, runs
//! its own check on it, and refuses the row unless it is exactly what that check would have
//! saved (a date written `2026/12/4`, a reach below the participants or a name with a hidden
//! character is not). One door's checks are every door's checks.
//!
//! A row is the JSON object of its columns as the package carries it: a record also holds its
//! campaign links (`_campaigns`) and hand-outs (`_handouts`), an activity its links.

use crate::error::{AppError, ErrorCode, Result};
use crate::validate::{self, clip};
use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::Connection;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub(crate) type Row = Map<String, Value>;

/// Keys of a row that are not columns: a record's or activity's campaign links, a record's
/// hand-outs.
pub(crate) const CAMPAIGNS: &str = "_campaigns";
pub(crate) const HANDOUTS: &str = "_handouts";

/// A column as JSON (BLOBs are never exchanged: None).
pub(crate) fn to_json(v: ValueRef) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(_) => Value::Null,
    }
}

/// The rows a statement yields, as JSON objects without the local `sync_seq`.
pub(crate) fn rows_of(
    stmt: &mut rusqlite::Statement,
    args: impl rusqlite::Params,
) -> Result<Vec<Row>> {
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let mut out = Vec::new();
    let mut rows = stmt.query(args)?;
    while let Some(r) = rows.next()? {
        out.push(row_of(&names, r)?);
    }
    Ok(out)
}

/// One result row as a JSON object without the local `sync_seq`.
pub(crate) fn row_of(names: &[String], r: &rusqlite::Row) -> Result<Row> {
    let mut row = Row::new();
    for (i, n) in names.iter().enumerate() {
        if n != "sync_seq" {
            row.insert(n.clone(), to_json(r.get_ref(i)?));
        }
    }
    Ok(row)
}

/// Adds a row's parts kept in other tables: campaign links (sorted) and hand-outs (by id).
pub(crate) fn add_children(conn: &Connection, table: &str, row: &mut Row) -> Result<()> {
    let Some(id) = row.get("id").and_then(Value::as_str).map(str::to_string) else {
        return Ok(());
    };
    let links = match table {
        "record" => "SELECT campaign_id FROM record_campaign WHERE record_id = ?1 ORDER BY 1",
        "activity" => "SELECT campaign_id FROM activity_campaign WHERE activity_id = ?1 ORDER BY 1",
        _ => return Ok(()),
    };
    let campaigns: Vec<Value> = conn
        .prepare_cached(links)?
        .query_map([&id], |r| r.get::<_, String>(0))?
        .map(|c| c.map(Value::from))
        .collect::<rusqlite::Result<_>>()?;
    row.insert(CAMPAIGNS.into(), Value::Array(campaigns));
    if table == "record" {
        let mut stmt = conn.prepare_cached(
            "SELECT * FROM stock_movement WHERE record_id = ?1 AND kind = 'handout' ORDER BY id",
        )?;
        let mut handouts = rows_of(&mut stmt, [&id])?;
        // Versioned as part of the record, not on their own.
        for h in &mut handouts {
            h.remove("hlc");
            h.remove("base_hlc");
        }
        row.insert(
            HANDOUTS.into(),
            Value::Array(handouts.into_iter().map(Value::Object).collect()),
        );
    }
    Ok(())
}

/// One local row with its parts, as a package carries it.
pub(crate) fn read_row(conn: &Connection, table: &str, id: &str) -> Result<Option<Row>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {table} WHERE id = ?1"))?;
    let Some(mut row) = rows_of(&mut stmt, [id])?.pop() else {
        return Ok(None);
    };
    add_children(conn, table, &mut row)?;
    Ok(Some(row))
}

/// A stored row, read column by column; every error names its column.
pub(crate) struct Stored<'a>(pub &'a Row);

fn wrong(field: &str, why: impl std::fmt::Display) -> AppError {
    AppError::field(
        ErrorCode::InvalidValue,
        field,
        format!("{}{why}", validate::label(field)),
    )
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => clip(s),
        Value::Null => "（空）".into(),
        other => clip(&other.to_string()),
    }
}

impl<'a> Stored<'a> {
    pub fn get(&self, column: &str) -> &'a Value {
        self.0.get(column).unwrap_or(&Value::Null)
    }

    /// A text column that must be there (it may be empty).
    pub fn text(&self, column: &str) -> Result<&'a str> {
        match self.get(column) {
            Value::String(s) => Ok(s),
            Value::Null => Err(AppError::field(
                ErrorCode::Required,
                column,
                format!("缺少{}", validate::label(column)),
            )),
            v => Err(wrong(column, format!("“{}”应为文字", shown(v)))),
        }
    }

    /// A text column that may be NULL.
    pub fn opt_text(&self, column: &str) -> Result<Option<&'a str>> {
        match self.get(column) {
            Value::Null => Ok(None),
            _ => self.text(column).map(Some),
        }
    }

    /// A whole number.
    pub fn int(&self, column: &str) -> Result<i64> {
        match self.get(column) {
            Value::Number(n) if n.is_i64() => Ok(n.as_i64().expect("checked")),
            Value::Null => Err(AppError::field(
                ErrorCode::Required,
                column,
                format!("缺少{}", validate::label(column)),
            )),
            v => Err(wrong(column, format!("“{}”应为整数", shown(v)))),
        }
    }

    pub fn opt_int(&self, column: &str) -> Result<Option<i64>> {
        match self.get(column) {
            Value::Null => Ok(None),
            _ => self.int(column).map(Some),
        }
    }

    /// A 0/1 flag.
    pub fn flag(&self, column: &str) -> Result<bool> {
        match self.int(column)? {
            0 => Ok(false),
            1 => Ok(true),
            n => Err(wrong(column, format!("“{n}”应为 0 或 1"))),
        }
    }

    /// A JSON text column decoded as `T`.
    pub fn json<T: DeserializeOwned>(&self, column: &str) -> Result<T> {
        let text = self.text(column)?;
        serde_json::from_str(text).map_err(|_| wrong(column, format!("“{}”格式不对", clip(text))))
    }

    /// A nullable JSON text column.
    pub fn opt_json<T: DeserializeOwned>(&self, column: &str) -> Result<Option<T>> {
        match self.opt_text(column)? {
            None => Ok(None),
            Some(_) => self.json(column).map(Some),
        }
    }

    /// A JSON text column holding a list of texts (formats, laws …).
    pub fn list(&self, column: &str) -> Result<Vec<String>> {
        self.json(column)
    }

    /// A key holding a JSON array of texts (the campaign links).
    pub fn strings(&self, key: &str) -> Result<Vec<String>> {
        match self.get(key) {
            Value::Null => Ok(Vec::new()),
            Value::Array(items) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    v => Err(wrong(key, format!("“{}”格式不对", shown(v)))),
                })
                .collect(),
            v => Err(wrong(key, format!("“{}”格式不对", shown(v)))),
        }
    }

    /// A key holding a JSON array of objects (the hand-outs).
    pub fn objects(&self, key: &str) -> Result<Vec<&'a Row>> {
        match self.get(key) {
            Value::Null => Ok(Vec::new()),
            Value::Array(items) => items
                .iter()
                .map(|v| {
                    v.as_object()
                        .ok_or_else(|| wrong(key, format!("“{}”格式不对", shown(v))))
                })
                .collect(),
            v => Err(wrong(key, format!("“{}”格式不对", shown(v)))),
        }
    }

    /// A time as the app writes it (RFC 3339, `created_at`, `reviewed_at` …).
    pub fn timestamp(&self, column: &str) -> Result<()> {
        let t = self.text(column)?;
        chrono::DateTime::parse_from_rfc3339(t)
            .map(|_| ())
            .map_err(|_| wrong(column, format!("“{}”不是有效的时间", clip(t))))
    }

    pub fn opt_timestamp(&self, column: &str) -> Result<()> {
        match self.get(column) {
            Value::Null => Ok(()),
            _ => self.timestamp(column),
        }
    }

    /// The column holds exactly what the service's check makes of it.
    pub fn same(&self, column: &str, checked: impl Into<Value>) -> Result<()> {
        let want: Value = checked.into();
        let got = self.get(column);
        let equal = match (got, &want) {
            // JSON numbers of one value compare equal whatever their type.
            (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
            (a, b) => a == b,
        };
        if equal {
            return Ok(());
        }
        Err(wrong(
            column,
            format!(
                "“{}”不是本程序保存的写法（核对后应为“{}”）",
                shown(got),
                shown(&want)
            ),
        ))
    }

    /// [`same`](Self::same) for a value as written to SQLite.
    pub fn same_sql(&self, column: &str, checked: &Sql) -> Result<()> {
        let want = match checked {
            Sql::Null => Value::Null,
            Sql::Integer(i) => Value::from(*i),
            Sql::Real(f) => Value::from(*f),
            Sql::Text(t) => Value::from(t.clone()),
            Sql::Blob(_) => Value::Null,
        };
        self.same(column, want)
    }

    /// The 普法 nodes of a row: the ones this laptop knows, for the service's check; a node it
    /// does not know must look like the id of the sending laptop's own local node (local nodes
    /// do not travel).
    /// `exists` tells whether this laptop knows a node (`keydates::node_exists`).
    pub fn nodes(
        &self,
        column: &str,
        exists: impl Fn(&str) -> Result<bool>,
    ) -> Result<Vec<String>> {
        let all = self.list(column)?;
        let mut known = Vec::new();
        for (i, code) in all.iter().enumerate() {
            if all[..i].contains(code) {
                return Err(wrong(column, format!("“{}”重复", clip(code))));
            }
            if exists(code)? {
                known.push(code.clone());
            } else if uuid::Uuid::parse_str(code).is_err() {
                return Err(AppError::field(
                    ErrorCode::NotFound,
                    column,
                    format!("普法节点“{}”不存在", clip(code)),
                ));
            }
        }
        Ok(known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: Value) -> Row {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn columns_are_read_strictly_and_named_in_errors() {
        let r = row(
            json!({"title": "宪法进院坝", "n": 3, "x": 1.5, "f": 2, "t": "2026-12-04T08:00:00.000Z"}),
        );
        let s = Stored(&r);
        assert_eq!(s.text("title").unwrap(), "宪法进院坝");
        assert_eq!(s.int("n").unwrap(), 3);
        let e = s.int("x").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("x"));
        assert_eq!(s.text("venue").unwrap_err().code, ErrorCode::Required);
        assert!(s.flag("f").is_err());
        assert!(s.timestamp("t").is_ok());
        assert!(s.timestamp("title").is_err());
        let e = s.same("title", "宪法进院坝（改）").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("title"));
        assert!(e.message.contains("活动名称"), "{}", e.message);
        assert!(s.same("n", 3.0).is_ok());
    }
}
