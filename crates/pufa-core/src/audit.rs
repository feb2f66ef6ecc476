//! The audit trail (全过程留痕): every create, update, delete and review writes who (the local
//! user profile), when, and the before/after values of the changed fields — inside the same
//! transaction as the change, so a change never lands without its trace.

use crate::db::insert_rows;
use crate::domain::UserRole;
use crate::error::Result;
use crate::session::{current_user, UserProfile};
use crate::{new_id, now, validate};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// Fields that change on every write and say nothing a reader needs.
const NOISE: &[&str] = &["updated_at", "created_at"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    pub id: String,
    pub at: String,
    pub user_name: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub summary: String,
    /// {field: [before, after]}.
    #[ts(type = "Record<string, [unknown, unknown]>")]
    pub changes: Value,
}

/// The changed top-level fields between two JSON objects: {field: [before, after]}.
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Map<String, Value> {
    let mut out = Map::new();
    each_change(before, after, |k, x, y| {
        out.insert(k.to_string(), Value::Array(vec![x.clone(), y.clone()]));
    });
    out
}

/// Calls `f(field, before, after)` for each field that differs, by name, bookkeeping left out.
fn each_change(
    before: Option<&Value>,
    after: Option<&Value>,
    mut f: impl FnMut(&str, &Value, &Value),
) {
    let empty = Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        if NOISE.contains(&k.as_str()) {
            continue;
        }
        let (x, y) = (
            b.get(k).unwrap_or(&Value::Null),
            a.get(k).unwrap_or(&Value::Null),
        );
        if x != y {
            f(k, x, y);
        }
    }
}

/// [`diff`] as the JSON text an audit row keeps, written straight from the two bodies: no
/// copy of the changed values is made on the way (a batch of 10,000 records writes 35,000).
fn changes_text(before: Option<&Value>, after: Option<&Value>) -> String {
    let mut out = Vec::with_capacity(256);
    out.push(b'{');
    each_change(before, after, |k, x, y| {
        if out.len() > 1 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, k).expect("JSON writes to memory");
        out.extend_from_slice(b":[");
        serde_json::to_writer(&mut out, x).expect("JSON writes to memory");
        out.push(b',');
        serde_json::to_writer(&mut out, y).expect("JSON writes to memory");
        out.push(b']');
    });
    out.push(b'}');
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Writes one audit row. `before`/`after` are the record as JSON (None for create/delete).
pub fn log<T: Serialize, U: Serialize>(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
    action: &str,
    summary: &str,
    before: Option<&T>,
    after: Option<&U>,
) -> Result<()> {
    let before = before.map(|v| serde_json::to_value(v).expect("records serialise"));
    let after = after.map(|v| serde_json::to_value(v).expect("records serialise"));
    let user = current_user(conn)?;
    let row = row(
        user.as_ref(),
        entity,
        entity_id,
        action,
        summary,
        before.as_ref(),
        after.as_ref(),
    );
    insert_rows(conn, "audit_log", &COLUMNS, &[row])
}

/// The columns of an audit row, in the order [`row`] gives its values.
pub(crate) const COLUMNS: [&str; 9] = [
    "id",
    "at",
    "user_id",
    "user_name",
    "entity",
    "entity_id",
    "action",
    "summary",
    "changes",
];

/// An audit row's values, written now by `user` (None: 本机): a batch of writes (record::bulk)
/// makes its rows with this and inserts them together, reading the user only once.
pub(crate) fn row(
    user: Option<&UserProfile>,
    entity: &str,
    entity_id: &str,
    action: &str,
    summary: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Vec<SqlValue> {
    let text = |s: &str| SqlValue::Text(s.to_string());
    vec![
        SqlValue::Text(new_id()),
        SqlValue::Text(now()),
        user.map_or(SqlValue::Null, |u| text(&u.id)),
        text(user.map_or("本机", |u| u.name.as_str())),
        text(entity),
        text(entity_id),
        text(action),
        text(summary),
        SqlValue::Text(changes_text(before, after)),
    ]
}

/// The Chinese name of an audited entity ("campaign" → "活动专项").
pub fn entity_label(entity: &str) -> &'static str {
    match entity {
        "town" => "乡镇",
        "unit" => "村/单位",
        "person" => "人员",
        "user" => "使用人",
        "campaign" => "活动专项",
        "activity" => "活动",
        "keydate_override" => "普法节点日期",
        "keydate_node" => "本地普法节点",
        "template" => "活动模板",
        "holiday" => "节假日安排",
        "school_calendar" => "校历",
        "conflict" => "冲突提醒",
        "setting" => "设置",
        "material" => "宣传资料",
        "stock" => "库存",
        "record" => "活动记录",
        "sync" => "数据包",
        "backup" => "备份",
        _ => "记录",
    }
}

/// The Chinese name of an audited action ("approve" → "审核通过").
pub fn action_label(action: &str) -> &'static str {
    match action {
        "create" => "新建",
        "update" => "修改",
        "delete" => "删除",
        "archive" => "归档",
        "unarchive" => "恢复",
        "status" => "更改状态",
        "ignore" => "忽略",
        "unignore" => "取消忽略",
        "approve" => "审核通过",
        "return" => "退回",
        "submit" => "提交",
        "reopen" => "重新打开",
        "attach" => "添加附件",
        "detach" => "删除附件",
        "export" => "导出",
        "import" => "导入",
        "resolve" => "处理冲突",
        "restore" => "恢复备份",
        _ => "更改",
    }
}

/// Logs a change of a record with a generated summary ("修改活动专项“2026年宪法宣传周”").
/// `before` None = created; `after` None = deleted.
pub fn changed<T: Serialize>(
    conn: &Connection,
    entity: &str,
    id: &str,
    action: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let before = before.map(|v| serde_json::to_value(v).expect("records serialise"));
    let after = after.map(|v| serde_json::to_value(v).expect("records serialise"));
    let user = current_user(conn)?;
    let row = changed_row(
        user.as_ref(),
        entity,
        id,
        action,
        before.as_ref(),
        after.as_ref(),
    );
    insert_rows(conn, "audit_log", &COLUMNS, &[row])
}

/// The audit row of [`changed`], to be inserted later (see [`row`]).
pub(crate) fn changed_row(
    user: Option<&UserProfile>,
    entity: &str,
    id: &str,
    action: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Vec<SqlValue> {
    let name = after
        .or(before)
        .and_then(|b| b.get("name").or_else(|| b.get("title")))
        .and_then(Value::as_str)
        .unwrap_or("");
    let summary = if name.is_empty() {
        format!("{}{}", action_label(action), entity_label(entity))
    } else {
        format!("{}{}“{name}”", action_label(action), entity_label(entity))
    };
    row(user, entity, id, action, &summary, before, after)
}

/// A record's getter (campaign::get, person::get …) for the shared archive/delete helpers.
pub(crate) type Getter<T> = fn(&Connection, &str) -> Result<T>;

/// Archives (or restores) a row of `table` and logs it; `table` is always a literal.
pub(crate) fn set_archived<T: Serialize>(
    db: &mut crate::db::Db,
    table: &'static str,
    id: &str,
    archived: bool,
    get: Getter<T>,
) -> Result<T> {
    db.with_tx(|tx| {
        let before = get(tx, id)?;
        tx.execute(
            &format!("UPDATE {table} SET archived = ?2, updated_at = ?3 WHERE id = ?1"),
            params![id, archived, now()],
        )?;
        let action = if archived { "archive" } else { "unarchive" };
        changed(tx, table, id, action, Some(&before), Some(&get(tx, id)?))
    })?;
    get(&db.conn, id)
}

/// Deletes a row of `table` and logs what it was.
pub(crate) fn delete<T: Serialize>(
    db: &mut crate::db::Db,
    table: &'static str,
    id: &str,
    get: Getter<T>,
) -> Result<()> {
    db.with_tx(|tx| {
        let before = get(tx, id)?;
        tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?;
        changed(tx, table, id, "delete", Some(&before), None)
    })
}

/// Shorthand for a change with no record body (a decision, a setting).
pub fn note(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
    action: &str,
    summary: &str,
) -> Result<()> {
    log::<(), ()>(conn, entity, entity_id, action, summary, None, None)
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct AuditFilter {
    #[serde(default)]
    pub entity: Option<String>,
    #[serde(default)]
    pub entity_id: Option<String>,
    /// ISO date or date-time; entries at or after it.
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub limit: Option<u32>,
}

/// The trail, newest first (a record's history panel: entity + entity_id).
pub fn list(conn: &Connection, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let since = match f.since.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if s.len() > 10 => Some(s.to_string()),
        Some(s) => Some(validate::date("since", s)?.to_string()),
        None => None,
    };
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, user_name, entity, entity_id, action, summary, changes FROM audit_log
         WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2)
           AND (?3 IS NULL OR at >= ?3)
         ORDER BY at DESC, rowid DESC LIMIT ?4",
    )?;
    let rows = stmt.query_map(
        params![f.entity, f.entity_id, since, f.limit.unwrap_or(10_000)],
        |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                user_name: r.get(2)?,
                entity: r.get(3)?,
                entity_id: r.get(4)?,
                action: r.get(5)?,
                summary: r.get(6)?,
                changes: crate::db::json_column(r, 7, "操作记录")?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Streams the trail oldest first, each entry with the current role of the user profile that
/// made it (None when the change was made before a profile existed or the profile is gone).
/// `since` and `until` are instants in the stored form (UTC, RFC 3339): `since` <= at < `until`.
/// Memory does not grow with the length of the trail.
pub fn for_each(
    conn: &Connection,
    since: Option<&str>,
    until: Option<&str>,
    mut each: impl FnMut(AuditEntry, Option<UserRole>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.at, a.user_name, a.entity, a.entity_id, a.action, a.summary, a.changes,
                p.role
         FROM audit_log a LEFT JOIN user_profile p ON p.id = a.user_id
         WHERE (?1 IS NULL OR a.at >= ?1) AND (?2 IS NULL OR a.at < ?2)
         ORDER BY a.at, a.rowid",
    )?;
    let rows = stmt.query_map(params![since, until], |r| {
        let role = match r.get_ref(8)?.as_str_or_null()? {
            None => None,
            Some(_) => Some(crate::db::parsed_column(
                r,
                8,
                "操作记录的用户",
                |s| UserRole::parse("role", s),
            )?),
        };
        Ok((
            AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                user_name: r.get(2)?,
                entity: r.get(3)?,
                entity_id: r.get(4)?,
                action: r.get(5)?,
                summary: r.get(6)?,
                changes: crate::db::json_column(r, 7, "操作记录")?,
            },
            role,
        ))
    })?;
    for row in rows {
        let (entry, role) = row?;
        each(entry, role)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_keeps_only_changed_fields() {
        let before = json!({"name": "宪法周", "end_date": "2026-12-07", "updated_at": "x"});
        let after = json!({"name": "宪法周", "end_date": "2026-12-08", "updated_at": "y"});
        let d = diff(Some(&before), Some(&after));
        assert_eq!(
            Value::Object(d),
            json!({"end_date": ["2026-12-07", "2026-12-08"]})
        );
        let created = diff(None, Some(&after));
        assert_eq!(created.get("name"), Some(&json!([null, "宪法周"])));
        assert!(!created.contains_key("updated_at"));
    }

    #[test]
    fn the_changes_text_is_the_diff_as_json() {
        let before = json!({
            "title": "宪法进院坝", "formats": ["院坝会"], "quiz": null, "count": 3,
            "nested": {"b": 1, "a": "\"引号\"\n"}, "updated_at": "x", "gone": true
        });
        let after = json!({
            "title": "宪法进院坝", "formats": ["院坝会", "讲座"], "quiz": {"winners": 2},
            "count": 3.5, "nested": {"a": "\"引号\"\n", "b": 2}, "updated_at": "y", "new": ""
        });
        for (b, a) in [
            (None, Some(&after)),
            (Some(&before), None),
            (Some(&before), Some(&after)),
            (Some(&after), Some(&after)),
            (None, None),
        ] {
            assert_eq!(changes_text(b, a), Value::Object(diff(b, a)).to_string());
        }
    }
}
