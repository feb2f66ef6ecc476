//! The audit trail in words (全过程留痕 for people): an entry's {field: [before, after]} as lines
//! with the field's label and both values in words — codes as their labels, ids as names,
//! bookkeeping left out, in the form's order. Computed here once for the window's history panel
//! and 操作留痕 screen, the sync conflict dialog and the Excel export (`export::audit_xlsx`).
//!
//! Each value comes as its Chinese text and as [`Words`]: the parts (codes, names, a date) the
//! window puts into words in the chosen language, so the English window says the same thing.

mod conflict;
mod names;
mod words;

pub use conflict::conflict_lines;
pub(crate) use names::Names;
pub use words::{AudienceCount, LineValue, SpeakerWords, Words};

use crate::audit::{self, AuditEntry, AuditFilter};
use crate::error::Result;
use crate::validate;
use rusqlite::Connection;
use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

/// A value that was not there, as the history panel shows it.
pub const EMPTY: &str = "（空）";

/// Fields a reader does not need: the entry already says who and when, ids are shown as names.
const HIDDEN: &[&str] = &[
    "id",
    "created_at",
    "updated_at",
    "unit_name",
    "lead_person_name",
    "reviewed_at",
    "reviewed_by",
    "record_id",
    "material_id",
    "series_id",
    "sha256",
    "stored",
    "thumbnail",
    "mime",
    "device_id",
    // A local node's code is its record id; `local` is always true for it.
    "code",
    "local",
];

/// The order fields are listed in (the form's order); other fields follow by name.
const ORDER: &[&str] = &[
    "title",
    "name",
    "date",
    "start_date",
    "end_date",
    "start_time",
    "end_time",
    "unit_id",
    "formats",
    "participants",
    "recorder",
    "review_status",
    "review_comment",
    "reach",
    "reach_by_audience",
    // The record's optional counts (record::COUNTS) rank here, see `rank`.
    "venue_type",
    "venue",
    "audiences",
    "laws",
    "campaign_ids",
    "nodes",
    "speakers",
    "partners",
    "materials",
    "quiz",
    "narrative",
    "activity_id",
];

/// One changed field in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ChangeLine {
    /// The stored field name (the window's key for its label in English).
    pub field: String,
    /// The field's Chinese label.
    pub label: String,
    /// Empty (text "") in a creation.
    pub before: LineValue,
    /// Empty (text "") in a deletion.
    pub after: LineValue,
}

/// An audit entry with its lines, as the window lists the trail.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AuditView {
    #[serde(flatten)]
    pub entry: AuditEntry,
    pub lines: Vec<ChangeLine>,
}

/// The trail (as [`audit::list`] filters it), each entry with its lines.
pub fn list(conn: &Connection, f: &AuditFilter) -> Result<Vec<AuditView>> {
    let entries = audit::list(conn, f)?;
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let names = Names::load(conn)?;
    Ok(entries
        .into_iter()
        .map(|entry| AuditView {
            lines: lines_with(conn, &names, &entry),
            entry,
        })
        .collect())
}

/// The label of a changed field, as the history panel shows it (zh-CN `auditFields`, then the
/// field names of the forms), else the raw name.
pub fn field_label(field: &str) -> String {
    let own = match field {
        "unit_id" => "村/单位",
        "partners" => "联合单位",
        "materials" => "发放资料",
        "activity_id" => "计划活动",
        "venue" => "具体地点",
        "laws" => "宣传法律",
        "campaign_ids" => "所属专项",
        "low_stock" => "预警数量",
        "balance" => "库存",
        "archived" => "已归档",
        "from_store" => "调出",
        "to_store" => "调入",
        "note" => "备注",
        "below_zero" => "超发",
        "material_name" => "资料",
        "file_name" => "文件名",
        "size" => "大小",
        "expected_audience" => "预计受众",
        "address" => "地址",
        "locale" => "界面语言",
        "days" => "持续天数",
        "until" => "截止日期",
        "announced" => "已公布",
        "lead_agency" => "牵头部门",
        "window_before" => "提前宣传天数",
        "window_after" => "延后宣传天数",
        "description" => "说明",
        "builtin" => "内置",
        "sort_order" => "排序",
        "activity" => "活动安排",
        "campaign_kind" => "专项类型",
        "unit_kinds" => "适用单位类型",
        _ => "",
    };
    if !own.is_empty() {
        return own.to_string();
    }
    match validate::label(field) {
        "字段" => field.to_string(),
        l => l.to_string(),
    }
}

/// The first name in “…” of a summary.
pub(crate) fn quoted(summary: &str) -> Option<&str> {
    let (_, rest) = summary.split_once('“')?;
    let (name, _) = rest.split_once('”')?;
    Some(name).filter(|n| !n.is_empty())
}

pub(crate) fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Number(_) | Value::Bool(true) => false,
    }
}

fn rank(field: &str) -> usize {
    // Room after 分对象人次 for the optional counts, in their table order.
    let counts = crate::record::N_COUNTS;
    let after = ORDER
        .iter()
        .position(|f| *f == "reach_by_audience")
        .expect("listed")
        + 1;
    if let Some(i) = crate::record::COUNTS.iter().position(|c| c.column == field) {
        return after + i;
    }
    match ORDER.iter().position(|f| *f == field) {
        Some(i) if i >= after => i + counts,
        Some(i) => i,
        None => ORDER.len() + counts,
    }
}

/// The lines of one entry, as the history panel lists them: an edit lists every changed field,
/// a creation what was entered (non-empty values; counts of 0 are "not counted"), a deletion
/// what was removed. Attachments and notes have none (their summary says it all).
pub(crate) fn lines_with(conn: &Connection, names: &Names, e: &AuditEntry) -> Vec<ChangeLine> {
    if e.action == "attach" || e.action == "detach" {
        return Vec::new();
    }
    let empty = Map::new();
    let changes = e.changes.as_object().unwrap_or(&empty);
    let created = e.action == "create";
    let deleted = e.action == "delete";
    let mut out: Vec<ChangeLine> = Vec::new();
    for (field, pair) in changes {
        let Some([before, after]) = pair.as_array().map(Vec::as_slice) else {
            continue;
        };
        if HIDDEN.contains(&field.as_str()) {
            continue;
        }
        // Counts of 0 are "not counted": not news in a creation or a deletion.
        if (created && (is_empty(after) || after.as_i64() == Some(0)))
            || (deleted && (is_empty(before) || before.as_i64() == Some(0)))
        {
            continue;
        }
        let value = |v: &Value| words::value(conn, names, &e.entity, field, v);
        let (b, a) = (
            if created {
                LineValue::blank()
            } else {
                value(before)
            },
            if deleted {
                LineValue::blank()
            } else {
                value(after)
            },
        );
        // null → "" reads the same: nothing changed for a reader.
        if !created && !deleted && a.text == b.text {
            continue;
        }
        out.push(ChangeLine {
            field: field.clone(),
            label: field_label(field),
            before: b,
            after: a,
        });
    }
    sort(&mut out);
    out
}

fn sort(lines: &mut [ChangeLine]) {
    lines.sort_by(|a, b| {
        rank(&a.field)
            .cmp(&rank(&b.field))
            .then_with(|| a.field.cmp(&b.field))
    });
}

/// The lines of one entry (what the export writes a row for).
pub fn lines(conn: &Connection, e: &AuditEntry) -> Result<Vec<ChangeLine>> {
    Ok(lines_with(conn, &Names::load(conn)?, e))
}

/// What the entry is about: the name in its summary (“…”), else a name or title among its
/// changes, else the name an earlier entry gave it, else its id — in words where the id is a
/// code (a key date, a conflict, a setting, a year of holidays).
pub(crate) fn object_name(conn: &Connection, names: &Names, e: &AuditEntry) -> String {
    let node = |code: &str| names.nodes.get(code).cloned();
    if let Some(name) = quoted(&e.summary) {
        return node(name).unwrap_or_else(|| name.to_string());
    }
    for key in ["name", "title", "material_name", "file_name"] {
        if let Some(pair) = e.changes.get(key).and_then(Value::as_array) {
            if let Some(n) = pair
                .iter()
                .rev()
                .filter_map(Value::as_str)
                .find(|n| !n.is_empty())
            {
                return n.to_string();
            }
        }
    }
    let id = e.entity_id.as_str();
    match e.entity.as_str() {
        "conflict" => conflict_label(id.split(':').next().unwrap_or(id)).to_string(),
        "setting" => field_label(id),
        "town" => conn
            .query_row("SELECT name FROM town LIMIT 1", [], |r| {
                r.get::<_, String>(0)
            })
            .unwrap_or_else(|_| id.to_string()),
        "holiday" if id.len() == 4 && id.parse::<u16>().is_ok() => format!("{id}年"),
        "keydate_override" | "keydate_node" => node(id.split(':').next().unwrap_or(id))
            .or_else(|| Names::from_trail(conn, &e.entity, id))
            .unwrap_or_else(|| id.to_string()),
        _ => Names::from_trail(conn, &e.entity, id).unwrap_or_else(|| id.to_string()),
    }
}

/// A conflict kind in words (as the window's 冲突提醒 list names them).
fn conflict_label(code: &str) -> &str {
    match code {
        "person_double" => "负责人时间冲突",
        "venue_double" => "场所重复",
        "village_half_day" => "同村同半天两场",
        "outside_campaign" => "超出专项时间",
        "holiday" => "节假日",
        other => other,
    }
}

#[cfg(test)]
mod tests;
