//! Who made a package, and what that maker may change. A package says it was made on the
//! town's laptop (the coordinator's: it may change anything of the town) or on a village
//! laptop (a cadre's: it adds and edits its own village's records, their hand-outs and
//! attachments, and marks its village's planned activities held — nothing of the town, the
//! units, other villages, people, materials, campaigns or templates, and no review decision).
//! A change outside the maker's rights is not applied: it is kept as a conflict for the
//! coordinator, with the reason.
//!
//! The claim is checked against the laptops this one has taken packages from (`sync_device`):
//! a device speaks for the same maker every time, and a device never seen before that claims
//! the town's rights is taken only when the user confirms it (the package a laptop starts from
//! is its town's). A package carries no signature, so this is what a laptop can know: which
//! device it is, and what that device said before.

use super::{label, text, Manifest, Row};
use crate::domain::UserRole;
use crate::error::{AppError, ErrorCode, Result};
use crate::validate::clip;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who made a package, as its manifest says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct ManifestMaker {
    /// "town" or "village".
    pub kind: String,
    #[serde(default)]
    pub village_id: Option<String>,
    #[serde(default)]
    pub village_name: Option<String>,
    /// The user of the laptop that made it.
    #[serde(default)]
    pub user: String,
}

/// The rights a package's maker has here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Maker {
    Town,
    Village { unit_id: String, name: String },
}

impl ManifestMaker {
    /// This laptop as a package's maker: a village cadre's laptop speaks for the cadre's
    /// village, any other (coordinator, leader, no user yet) for the town.
    pub fn of_this_laptop(conn: &Connection) -> Result<ManifestMaker> {
        let user = crate::town::current_user(conn)?;
        let name = user.as_ref().map(|u| u.name.clone()).unwrap_or_default();
        Ok(match user {
            Some(u) if u.role == UserRole::VillageCadre && u.unit_id.is_some() => ManifestMaker {
                kind: "village".into(),
                village_id: u.unit_id,
                village_name: u.unit_name,
                user: name,
            },
            _ => ManifestMaker {
                kind: "town".into(),
                village_id: None,
                village_name: None,
                user: name,
            },
        })
    }

    /// "双龙镇的电脑（张三）", "安静村的电脑（王五）", for messages and the report.
    pub fn label(&self, town: &str) -> String {
        let whose = match self.village_name.as_deref() {
            Some(v) if self.kind == "village" => v,
            _ => town,
        };
        if self.user.is_empty() {
            format!("{whose}的电脑")
        } else {
            format!("{whose}的电脑（{}）", self.user)
        }
    }
}

fn refused(file: &str, why: String) -> AppError {
    AppError::field(
        ErrorCode::FileRejected,
        "path",
        format!("“{file}”不能导入：{why}。数据未做任何改动"),
    )
    .with("reason", "not_package")
    .with("file", file)
    .with("why", why)
}

/// Checks who made the package against what this laptop knows of its device and returns the
/// maker's rights; remembers the device (in the import's transaction). `adopting`: this
/// laptop has no town yet and starts from the package; `trust_device`: the user confirmed that
/// a device not seen before is the town's laptop.
pub(super) fn admit(
    conn: &Connection,
    manifest: &Manifest,
    file: &str,
    adopting: bool,
    trust_device: bool,
) -> Result<Maker> {
    let Some(m) = &manifest.maker else {
        return Err(refused(
            file,
            "数据包由旧版本的普法台账导出，没有注明是哪台电脑（乡镇的还是哪个村的）制作的，\
             无法确定它可以修改什么；请对方升级程序后重新导出"
                .into(),
        ));
    };
    let device = manifest.device_id.as_str();
    let town = manifest.town.name.as_str();
    let maker = match (m.kind.as_str(), m.village_id.as_deref()) {
        ("town", None) => Maker::Town,
        ("village", Some(id)) if !adopting => {
            let unit: Option<(String, String)> = conn
                .prepare_cached("SELECT name, kind FROM unit WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            match unit {
                Some((name, kind)) if kind == "village" || kind == "community" => Maker::Village {
                    unit_id: id.to_string(),
                    name,
                },
                _ => {
                    return Err(refused(
                        file,
                        format!(
                            "数据包自称由“{}”的电脑制作，本机没有这个村/社区",
                            clip(m.village_name.as_deref().unwrap_or(id))
                        ),
                    ))
                }
            }
        }
        ("village", Some(_)) => {
            return Err(refused(
                file,
                "这是村里电脑导出的数据包；新电脑请先导入乡镇电脑导出的全镇数据包".into(),
            ))
        }
        _ => {
            return Err(refused(
                file,
                "清单中制作者的说明无效（应为乡镇的电脑或某个村的电脑）".into(),
            ))
        }
    };
    let own: Option<String> = crate::town::setting(conn, "device_id")?;
    if own.as_deref() == Some(device) {
        // This laptop's own package coming back (a copied data folder).
        return Ok(maker);
    }
    let known: Option<(String, Option<String>, String)> = conn
        .prepare_cached("SELECT maker, unit_id, label FROM sync_device WHERE device_id = ?1")?
        .query_row([device], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let said = m.label(town);
    let short = clip(device);
    match (&known, &maker) {
        // Same as before, or narrower than before (the town's laptop sending one village).
        (Some((k, _, _)), Maker::Town) if k == "town" => {}
        (Some((k, _, _)), Maker::Village { .. }) if k == "town" => {}
        (Some((k, Some(u), _)), Maker::Village { unit_id, .. }) if k == "village" && u == unit_id => {
        }
        (Some((k, Some(_), before)), Maker::Village { .. }) if k == "village" => {
            return Err(refused(
                file,
                format!("这台电脑（设备 {short}）以前以“{before}”的名义发来数据包，现在却自称“{said}”"),
            ))
        }
        (Some((_, _, before)), Maker::Town) if !trust_device => {
            return Err(AppError::field(
                ErrorCode::UnknownDevice,
                "path",
                format!(
                    "数据包“{file}”自称由“{said}”制作，可以修改全镇的数据；但这台电脑（设备 {short}）\
                     以前是以“{before}”的名义发来数据包的。只有确认它现在确实是乡镇的电脑时才能导入"
                ),
            ))
        }
        (None, Maker::Town) if !adopting && !trust_device => {
            return Err(AppError::field(
                ErrorCode::UnknownDevice,
                "path",
                format!(
                    "数据包“{file}”自称由“{said}”制作（设备 {short}），可以修改全镇的数据；本机以前\
                     没有收到过这台电脑的数据包。请确认它确实来自乡镇的电脑后再导入"
                ),
            ))
        }
        _ => {}
    }
    let (kind, unit) = match &maker {
        Maker::Town => ("town", None),
        Maker::Village { unit_id, .. } => ("village", Some(unit_id.as_str())),
    };
    let now = crate::now();
    if known.is_none() || matches!(maker, Maker::Town) {
        conn.prepare_cached(
            "INSERT INTO sync_device (device_id, maker, unit_id, label, first_seen, last_seen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (device_id) DO UPDATE SET maker = excluded.maker,
                 unit_id = excluded.unit_id, label = excluded.label, last_seen = excluded.last_seen",
        )?
        .execute(params![device, kind, unit, said, now])?;
    } else {
        conn.prepare_cached("UPDATE sync_device SET last_seen = ?2 WHERE device_id = ?1")?
            .execute(params![device, now])?;
    }
    Ok(maker)
}

fn unit_of(row: Option<&Row>) -> Option<&str> {
    row.and_then(|r| text(r, "unit_id"))
}

/// The village a record belongs to here (None: no such record).
fn record_unit(conn: &Connection, id: &str) -> Result<Option<Option<String>>> {
    Ok(conn
        .prepare_cached("SELECT unit_id FROM record WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The same row apart from versions and the time of the change.
fn same_apart_from(a: &Row, b: &Row, also: &[&str]) -> bool {
    let skip =
        |k: &str| ["hlc", "base_hlc", "sync_seq", "updated_at"].contains(&k) || also.contains(&k);
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| !skip(k))
        .all(|k| a.get(k).unwrap_or(&Value::Null) == b.get(k).unwrap_or(&Value::Null))
}

impl Maker {
    /// Why this maker may not make the change from `local` (None: a new row) to `incoming`
    /// (None: a deletion) of a `table` row; None when it may.
    pub fn refuses(
        &self,
        conn: &Connection,
        table: &str,
        local: Option<&Row>,
        incoming: Option<&Row>,
    ) -> Result<Option<String>> {
        let Maker::Village { unit_id, name } = self else {
            return Ok(None);
        };
        let mine = |u: Option<&str>| u == Some(unit_id.as_str());
        let why = match table {
            "record" => {
                if local.is_some() && !mine(unit_of(local))
                    || incoming.is_some() && !mine(unit_of(incoming))
                {
                    Some(format!("{name}的电脑不能修改其他村（单位）的活动记录"))
                } else if local.and_then(|l| text(l, "review_status")) == Some("approved") {
                    Some("已审核通过的活动记录只能由协调员重新打开后修改".to_string())
                } else if let Some(r) = incoming {
                    review_refused(local, r).or(handouts_refused(conn, r, unit_id, name)?)
                } else {
                    None
                }
            }
            "attachment" => {
                let mut others = false;
                for r in [local, incoming].into_iter().flatten() {
                    let record = text(r, "record_id").unwrap_or("");
                    if let Some(u) = record_unit(conn, record)? {
                        others |= !mine(u.as_deref());
                    }
                }
                others.then(|| format!("{name}的电脑不能修改其他村（单位）活动记录的附件"))
            }
            "activity" => {
                let own = (local.is_none() || mine(unit_of(local)))
                    && (incoming.is_none() || mine(unit_of(incoming)));
                // Recording a planned activity of the town's marks it held: that change only.
                let marked_held = match (local, incoming) {
                    (Some(l), Some(r)) => {
                        text(r, "status") == Some("held") && same_apart_from(l, r, &["status"])
                    }
                    _ => false,
                };
                (!own && !marked_held)
                    .then(|| format!("{name}的电脑不能修改镇里或其他村的活动计划"))
            }
            t => Some(format!("村里的电脑不能修改{}", label(t))),
        };
        Ok(why)
    }
}

/// A village may send a new record only as waiting for review, and change a review only by
/// resubmitting a returned record.
fn review_refused(local: Option<&Row>, incoming: &Row) -> Option<String> {
    let status = text(incoming, "review_status");
    let columns = [
        "review_status",
        "review_comment",
        "reviewed_by",
        "reviewed_at",
    ];
    let changed = |l: &Row| {
        columns
            .iter()
            .any(|c| l.get(*c).unwrap_or(&Value::Null) != incoming.get(*c).unwrap_or(&Value::Null))
    };
    let ok = match local {
        None => status == Some("pending"),
        Some(l) => {
            !changed(l)
                || (text(l, "review_status") == Some("returned") && status == Some("pending"))
        }
    };
    (!ok).then(|| {
        "村里的电脑不能审核活动记录（审核通过或退回只能由协调员在镇里的电脑上做）".to_string()
    })
}

/// A village's hand-outs come from its own store or the town's.
fn handouts_refused(
    conn: &Connection,
    incoming: &Row,
    unit_id: &str,
    name: &str,
) -> Result<Option<String>> {
    for h in incoming
        .get(crate::stored::HANDOUTS)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let store = h.get("from_store_id").and_then(Value::as_str).unwrap_or("");
        let owner: Option<Option<String>> = conn
            .prepare_cached("SELECT unit_id FROM store WHERE id = ?1")?
            .query_row([store], |r| r.get(0))
            .optional()?;
        match owner {
            Some(None) => {}
            Some(Some(u)) if u == unit_id => {}
            _ => return Ok(Some(format!("{name}的电脑不能从其他村的资料库发放资料"))),
        }
    }
    Ok(None)
}
