//! A sync conflict in words: the fields in which the two versions of a row differ, each with its
//! label and both values as the trail words them, the exchange's bookkeeping left out.

use super::{lines_with, ChangeLine, LineValue, Names, Words};
use crate::audit::AuditEntry;
use crate::error::Result;
use rusqlite::Connection;
use serde_json::{Map, Value};

/// Clocks and timestamps of the exchange: not what a person compares.
const BOOKKEEPING: &[&str] = &[
    "hlc",
    "base_hlc",
    "created_at",
    "updated_at",
    "reviewed_at",
    "device_id",
    "_deleted",
];

/// A row as exported, with the names the forms use: campaign links as `campaign_ids`,
/// hand-outs as `materials` named, lists kept as JSON text in their columns read.
fn comparable(row: &Value, names: &Names) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(row) = row.as_object() else {
        return out;
    };
    for (key, value) in row {
        if BOOKKEEPING.contains(&key.as_str()) {
            continue;
        }
        match key.as_str() {
            "_campaigns" => {
                out.insert("campaign_ids".into(), value.clone());
            }
            "_handouts" => {
                let items = value.as_array().map(Vec::as_slice).unwrap_or_default();
                let materials = items
                    .iter()
                    .map(|h| {
                        let name = h["material_id"]
                            .as_str()
                            .and_then(|id| names.materials.get(id))
                            .cloned()
                            .unwrap_or_default();
                        serde_json::json!({"material_name": name, "quantity": h["quantity"]})
                    })
                    .collect();
                out.insert("materials".into(), Value::Array(materials));
            }
            _ => {
                let parsed = match value {
                    Value::String(s) if s.starts_with(['[', '{']) => {
                        serde_json::from_str(s).unwrap_or_else(|_| value.clone())
                    }
                    _ => value.clone(),
                };
                out.insert(key.clone(), parsed);
            }
        }
    }
    out
}

fn filled(v: &Value) -> bool {
    !(v.is_null() || v.as_str() == Some("") || v.as_array().is_some_and(Vec::is_empty))
}

/// The lines in which this laptop's version (`before`) and the incoming one (`after`) of a row
/// of `entity` differ. A deletion against an edit lists the filled-in fields of the kept row
/// against "deleted".
pub fn conflict_lines(
    conn: &Connection,
    entity: &str,
    local: &Value,
    incoming: &Value,
    local_deleted: bool,
    incoming_deleted: bool,
) -> Result<Vec<ChangeLine>> {
    let names = Names::load(conn)?;
    let (l, i) = (comparable(local, &names), comparable(incoming, &names));
    let mut changes = Map::new();
    let mut keys: Vec<&String> = l.keys().chain(i.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let (a, b) = (
            l.get(key).unwrap_or(&Value::Null),
            i.get(key).unwrap_or(&Value::Null),
        );
        let pair = if local_deleted {
            filled(b).then(|| [Value::Null, b.clone()])
        } else if incoming_deleted {
            filled(a).then(|| [a.clone(), Value::Null])
        } else {
            (a != b).then(|| [a.clone(), b.clone()])
        };
        if let Some(p) = pair {
            changes.insert(key.clone(), Value::Array(p.to_vec()));
        }
    }
    let entry = AuditEntry {
        id: String::new(),
        at: String::new(),
        user_name: String::new(),
        entity: entity.to_string(),
        entity_id: String::new(),
        action: "update".into(),
        summary: String::new(),
        changes: Value::Object(changes),
    };
    let deleted = || LineValue {
        text: "（已删除）".into(),
        words: Words::Deleted,
    };
    let mut lines = lines_with(conn, &names, &entry);
    for line in &mut lines {
        if local_deleted {
            line.before = deleted();
        }
        if incoming_deleted {
            line.after = deleted();
        }
    }
    Ok(lines)
}
