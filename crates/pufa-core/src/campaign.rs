//! Campaigns: a national node (12·4 宪法宣传周, 4·15 …), a targeted campaign (农民工, 青少年) or
//! a local one, with its window, audiences, laws/themes and lead unit.

use crate::audit;
use crate::db::{json_column, parsed_column, Db};
use crate::domain::{Audience, CampaignKind};
use crate::error::{AppError, ErrorCode, Result};
use crate::town::require_town;
use crate::{new_id, now, validate};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Campaign {
    pub id: String,
    pub name: String,
    pub kind: CampaignKind,
    /// ISO dates (2026-12-01).
    pub start_date: String,
    pub end_date: String,
    pub audiences: Vec<Audience>,
    /// Laws and themes (宪法, 民法典, 国家安全法 …).
    pub themes: Vec<String>,
    pub lead_unit: String,
    pub notes: String,
    /// The 普法 nodes this campaign serves (codes from the key-date catalogue or local nodes).
    pub nodes: Vec<String>,
    /// Records of this campaign lock after this date (报送截止日期).
    pub report_deadline: Option<String>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct CampaignInput {
    pub name: String,
    pub kind: String,
    pub start_date: String,
    pub end_date: String,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub lead_unit: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub nodes: Vec<String>,
    #[serde(default)]
    pub report_deadline: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ArchiveFilter {
    #[default]
    Active,
    Archived,
    All,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct CampaignFilter {
    /// Matches name, themes, lead unit and notes.
    #[serde(default)]
    pub search: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    /// Campaigns whose window touches this year.
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub audience: Option<String>,
    #[serde(default)]
    pub status: ArchiveFilter,
}

const COLUMNS: &str = "id, name, kind, start_date, end_date, audiences, themes, lead_unit, notes,
                       archived, created_at, updated_at, nodes, report_deadline";

fn from_row(r: &Row) -> rusqlite::Result<Campaign> {
    Ok(Campaign {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: parsed_column(r, 2, "活动计划", |s| CampaignKind::parse("kind", s))?,
        start_date: r.get(3)?,
        end_date: r.get(4)?,
        audiences: json_column(r, 5, "活动计划")?,
        themes: json_column(r, 6, "活动计划")?,
        lead_unit: r.get(7)?,
        notes: r.get(8)?,
        archived: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
        nodes: json_column(r, 12, "活动计划")?,
        report_deadline: r.get(13)?,
    })
}

pub fn list(conn: &Connection, filter: &CampaignFilter) -> Result<Vec<Campaign>> {
    let kind = match filter.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(CampaignKind::parse("kind", k)?.code()),
        None => None,
    };
    let audience = match filter.audience.as_deref().filter(|a| !a.is_empty()) {
        Some(a) => Some(format!("\"{}\"", Audience::parse("audiences", a)?.code())),
        None => None,
    };
    let (from, to) = match filter.year {
        Some(y) => (Some(format!("{y:04}-01-01")), Some(format!("{y:04}-12-31"))),
        None => (None, None),
    };
    let search = filter.search.as_deref().map(str::trim).unwrap_or("");
    let archived: Option<bool> = match filter.status {
        ArchiveFilter::Active => Some(false),
        ArchiveFilter::Archived => Some(true),
        ArchiveFilter::All => None,
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM campaign
         WHERE (?1 IS NULL OR kind = ?1)
           AND (?2 IS NULL OR instr(audiences, ?2) > 0)
           AND (?3 IS NULL OR end_date >= ?3) AND (?4 IS NULL OR start_date <= ?4)
           AND (?5 = '' OR instr(name, ?5) > 0 OR instr(themes, ?5) > 0
                OR instr(lead_unit, ?5) > 0 OR instr(notes, ?5) > 0)
           AND (?6 IS NULL OR archived = ?6)
         ORDER BY start_date, end_date, name"
    ))?;
    let rows = stmt.query_map(
        params![kind, audience, from, to, search, archived],
        from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Campaign> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM campaign WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| AppError::not_found("活动专项", id))
}

pub(crate) struct Checked {
    name: String,
    kind: CampaignKind,
    start: String,
    end: String,
    audiences: String,
    themes: String,
    lead_unit: String,
    notes: String,
    nodes: String,
    report_deadline: Option<String>,
}

pub(crate) fn check(conn: &Connection, input: &CampaignInput) -> Result<Checked> {
    let name = validate::name("name", &input.name, 100)?;
    let kind = CampaignKind::parse("kind", &input.kind)?;
    let start = validate::date("start_date", &input.start_date)?;
    let end = validate::date("end_date", &input.end_date)?;
    validate::date_range(start, end)?;
    let audiences = validate::code_list(&input.audiences, |a| Audience::parse("audiences", a))?;
    let themes = validate::text_list("themes", &input.themes, 50, 30)?;
    let mut nodes: Vec<&str> = Vec::new();
    for code in &input.nodes {
        if !crate::keydates::node_exists(conn, code)? {
            return Err(AppError::field(
                ErrorCode::NotFound,
                "nodes",
                format!("普法节点“{}”不存在", validate::clip(code)),
            ));
        }
        if !nodes.contains(&code.as_str()) {
            nodes.push(code);
        }
    }
    let report_deadline = match input.report_deadline.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => Some(validate::date("report_deadline", d)?.to_string()),
        _ => None,
    };
    Ok(Checked {
        report_deadline,
        nodes: serde_json::to_string(&nodes).expect("strings serialize"),
        name,
        kind,
        start: start.to_string(),
        end: end.to_string(),
        audiences: serde_json::to_string(&audiences).expect("codes serialize"),
        themes: serde_json::to_string(&themes).expect("strings serialize"),
        lead_unit: validate::optional_line("lead_unit", input.lead_unit.as_deref(), 50)?,
        notes: validate::notes("notes", input.notes.as_deref(), 2000)?,
    })
}

/// A campaign row from a package or a backup: exactly what [`check`] makes of its fields.
pub(crate) fn check_stored(conn: &Connection, s: &crate::stored::Stored) -> Result<()> {
    let c = check(
        conn,
        &CampaignInput {
            name: s.text("name")?.to_string(),
            kind: s.text("kind")?.to_string(),
            start_date: s.text("start_date")?.to_string(),
            end_date: s.text("end_date")?.to_string(),
            audiences: s.list("audiences")?,
            themes: s.list("themes")?,
            lead_unit: Some(s.text("lead_unit")?.to_string()),
            notes: Some(s.text("notes")?.to_string()),
            nodes: s.nodes("nodes", |c| crate::keydates::node_exists(conn, c))?,
            report_deadline: s.opt_text("report_deadline")?.map(str::to_string),
        },
    )?;
    s.same("name", c.name)?;
    s.same("kind", c.kind.code())?;
    s.same("start_date", c.start)?;
    s.same("end_date", c.end)?;
    s.same("audiences", c.audiences)?;
    s.same("themes", c.themes)?;
    s.same("lead_unit", c.lead_unit)?;
    s.same("notes", c.notes)?;
    s.same("report_deadline", c.report_deadline)?;
    s.flag("archived")?;
    Ok(())
}

pub(crate) fn insert(conn: &Connection, c: &Checked) -> Result<String> {
    let id = new_id();
    let ts = now();
    conn.execute(
        &format!(
            "INSERT INTO campaign ({COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?10, ?11, ?12)"
        ),
        params![
            id,
            c.name,
            c.kind.code(),
            c.start,
            c.end,
            c.audiences,
            c.themes,
            c.lead_unit,
            c.notes,
            ts,
            c.nodes,
            c.report_deadline
        ],
    )?;
    audit::changed(
        conn,
        "campaign",
        &id,
        "create",
        None,
        Some(&get(conn, &id)?),
    )?;
    Ok(id)
}

pub fn create(db: &mut Db, input: &CampaignInput) -> Result<Campaign> {
    let c = check(&db.conn, input)?;
    let id = db.with_tx(|tx| {
        require_town(tx)?;
        insert(tx, &c)
    })?;
    get(&db.conn, &id)
}

pub fn update(db: &mut Db, id: &str, input: &CampaignInput) -> Result<Campaign> {
    let c = check(&db.conn, input)?;
    db.with_tx(|tx| {
        let before = get(tx, id)?;
        tx.execute(
            "UPDATE campaign SET name = ?2, kind = ?3, start_date = ?4, end_date = ?5, audiences = ?6,
                    themes = ?7, lead_unit = ?8, notes = ?9, updated_at = ?10, nodes = ?11,
                    report_deadline = ?12
             WHERE id = ?1",
            params![
                id, c.name, c.kind.code(), c.start, c.end, c.audiences, c.themes, c.lead_unit,
                c.notes, now(), c.nodes, c.report_deadline
            ],
        )?;
        audit::changed(tx, "campaign", id, "update", Some(&before), Some(&get(tx, id)?))?;
        Ok(())
    })?;
    get(&db.conn, id)
}

/// Changes a campaign's dates and notes inside the caller's transaction — a plan widening it
/// to the days its activities were moved to, a node's theme flowing into its description;
/// audited, nothing written when nothing changes.
pub(crate) fn revise(
    conn: &Connection,
    id: &str,
    start: &str,
    end: &str,
    notes: &str,
) -> Result<()> {
    let before = get(conn, id)?;
    if before.start_date == start && before.end_date == end && before.notes == notes {
        return Ok(());
    }
    let notes = validate::notes("notes", Some(notes), 2000)?;
    conn.execute(
        "UPDATE campaign SET start_date = ?2, end_date = ?3, notes = ?4, updated_at = ?5
         WHERE id = ?1",
        params![id, start, end, notes, now()],
    )?;
    audit::changed(
        conn,
        "campaign",
        id,
        "update",
        Some(&before),
        Some(&get(conn, id)?),
    )
}

pub fn set_archived(db: &mut Db, id: &str, archived: bool) -> Result<Campaign> {
    audit::set_archived(db, "campaign", id, archived, get)
}

pub fn delete(db: &mut Db, id: &str) -> Result<()> {
    audit::delete(db, "campaign", id, get)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::town::{setup, SetupInput};

    fn db() -> Db {
        let mut db = Db::open_in_memory().unwrap();
        setup(
            &mut db,
            &SetupInput {
                town: "双龙镇".into(),
                villages: vec!["安静村".into()],
                ..Default::default()
            },
        )
        .unwrap();
        db
    }

    fn input(name: &str, start: &str, end: &str) -> CampaignInput {
        CampaignInput {
            name: name.into(),
            kind: "national".into(),
            start_date: start.into(),
            end_date: end.into(),
            audiences: vec!["residents".into(), "青少年学生".into()],
            themes: vec!["宪法、民法典".into()],
            lead_unit: Some("双龙镇司法所".into()),
            notes: None,
            nodes: vec![],
            report_deadline: None,
        }
    }

    #[test]
    fn create_edit_archive_delete() {
        let mut db = db();
        let c = create(
            &mut db,
            &input("2026年宪法宣传周", "2026-12-01", "2026年12月7日"),
        )
        .unwrap();
        assert_eq!(c.end_date, "2026-12-07");
        assert_eq!(c.audiences, [Audience::Residents, Audience::Students]);
        assert_eq!(c.themes, ["宪法", "民法典"]);
        let c2 = update(
            &mut db,
            &c.id,
            &input("2026年“12·4”宪法宣传周", "2026-11-30", "2026-12-07"),
        )
        .unwrap();
        assert_eq!(c2.start_date, "2026-11-30");
        assert!(c2.updated_at >= c.updated_at);
        set_archived(&mut db, &c.id, true).unwrap();
        assert!(list(&db.conn, &CampaignFilter::default())
            .unwrap()
            .is_empty());
        let archived = CampaignFilter {
            status: ArchiveFilter::Archived,
            ..Default::default()
        };
        assert_eq!(list(&db.conn, &archived).unwrap().len(), 1);
        delete(&mut db, &c.id).unwrap();
        assert_eq!(get(&db.conn, &c.id).unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn filters() {
        let mut db = db();
        create(&mut db, &input("宪法宣传周", "2026-12-01", "2026-12-07")).unwrap();
        let mut migrant = input("根治欠薪冬季专项行动", "2026-11-15", "2027-02-10");
        migrant.kind = "targeted".into();
        migrant.audiences = vec!["migrant_workers".into()];
        create(&mut db, &migrant).unwrap();
        let by = |f: CampaignFilter| -> Vec<String> {
            list(&db.conn, &f)
                .unwrap()
                .into_iter()
                .map(|c| c.name)
                .collect()
        };
        assert_eq!(
            by(CampaignFilter {
                year: Some(2027),
                ..Default::default()
            }),
            ["根治欠薪冬季专项行动"]
        );
        assert_eq!(
            by(CampaignFilter {
                kind: Some("national".into()),
                ..Default::default()
            }),
            ["宪法宣传周"]
        );
        assert_eq!(
            by(CampaignFilter {
                audience: Some("农民工".into()),
                ..Default::default()
            })
            .len(),
            1
        );
        assert_eq!(
            by(CampaignFilter {
                search: Some("欠薪".into()),
                ..Default::default()
            })
            .len(),
            1
        );
        assert_eq!(
            by(CampaignFilter {
                search: Some("宪法".into()),
                ..Default::default()
            })
            .len(),
            2
        );
    }

    #[test]
    fn bad_campaigns_write_nothing() {
        let mut db = db();
        let cases = [
            (
                input("周", "2026-12-07", "2026-12-01"),
                ErrorCode::DateOrder,
                "end_date",
            ),
            (
                input("周", "2026-02-30", "2026-12-01"),
                ErrorCode::InvalidDate,
                "start_date",
            ),
            (
                input(" ", "2026-12-01", "2026-12-07"),
                ErrorCode::Required,
                "name",
            ),
            (
                input(&"长".repeat(10_000), "2026-12-01", "2026-12-07"),
                ErrorCode::TooLong,
                "name",
            ),
            (
                input("宪法\u{0}周", "2026-12-01", "2026-12-07"),
                ErrorCode::ControlChars,
                "name",
            ),
            (
                CampaignInput {
                    kind: "galactic".into(),
                    ..input("周", "2026-12-01", "2026-12-07")
                },
                ErrorCode::InvalidValue,
                "kind",
            ),
            (
                CampaignInput {
                    audiences: vec!["aliens".into()],
                    ..input("周", "2026-12-01", "2026-12-07")
                },
                ErrorCode::InvalidValue,
                "audiences",
            ),
        ];
        for (case, code, field) in cases {
            let e = create(&mut db, &case).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                (code, Some(field)),
                "{}",
                e.message
            );
        }
        let n: i64 = db
            .conn
            .query_row("SELECT count(*) FROM campaign", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}
