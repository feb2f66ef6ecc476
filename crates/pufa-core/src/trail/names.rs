//! The names of the things the trail's values refer to by id or code.

use crate::cn_date::{full_date_cn, iso_date};
use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;

/// Names of the things an entry's values refer to by id or code, looked up once per listing
/// (planned activities, of which there may be very many, one at a time).
pub(crate) struct Names {
    pub(crate) units: HashMap<String, String>,
    pub(crate) people: HashMap<String, String>,
    pub(crate) campaigns: HashMap<String, String>,
    pub(crate) materials: HashMap<String, String>,
    pub(crate) nodes: HashMap<String, String>,
}

impl Names {
    pub(crate) fn load(conn: &Connection) -> Result<Names> {
        let pairs = |sql: &str| -> Result<HashMap<String, String>> {
            let mut stmt = conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let mut nodes: HashMap<String, String> = crate::keydates::national_nodes()
            .iter()
            .map(|n| (n.code.clone(), n.name.clone()))
            .collect();
        for n in crate::keydates::local_nodes(conn)? {
            nodes.insert(n.code, n.name);
        }
        let mut names = Names {
            units: pairs("SELECT id, name FROM unit")?,
            people: pairs("SELECT id, name FROM person")?,
            campaigns: pairs("SELECT id, name FROM campaign")?,
            materials: pairs("SELECT id, name FROM material")?,
            nodes,
        };
        // Deleted units, people and campaigns keep their names in the trail.
        let mut stmt = conn.prepare(
            "SELECT entity, entity_id, summary FROM audit_log
             WHERE action = 'delete' AND entity IN ('unit', 'person', 'campaign')",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (entity, id, summary) = row?;
            let map = match entity.as_str() {
                "unit" => &mut names.units,
                "person" => &mut names.people,
                _ => &mut names.campaigns,
            };
            if let Some(name) = super::quoted(&summary) {
                map.entry(id).or_insert_with(|| name.to_string());
            }
        }
        Ok(names)
    }

    /// The last name the trail gave an entity (a deleted template, a node by its code).
    pub(crate) fn from_trail(conn: &Connection, entity: &str, id: &str) -> Option<String> {
        conn.prepare_cached(
            "SELECT summary FROM audit_log WHERE entity = ?1 AND entity_id = ?2
               AND summary LIKE '%“%”%' ORDER BY at DESC, rowid DESC LIMIT 1",
        )
        .and_then(|mut s| {
            s.query_row([entity, id], |r| r.get::<_, String>(0))
                .optional()
        })
        .ok()
        .flatten()
        .and_then(|s| super::quoted(&s).map(str::to_string))
    }

    /// A planned activity as "title（2026年11月10日）".
    pub(crate) fn activity(conn: &Connection, id: &str) -> Option<String> {
        let row: Option<(String, String)> = conn
            .prepare_cached("SELECT title, date FROM activity WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .ok()
            .flatten();
        row.map(|(title, date)| match iso_date(&date) {
            Some(d) => format!("{title}（{}）", full_date_cn(d)),
            None => title,
        })
    }
}
