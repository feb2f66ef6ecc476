//! From nodes to a plan: "生成年度计划" (the standard nodes of a township's year, or the ticked
//! ones, each a campaign with its activities), plan templates (a campaign plus one planned
//! activity per chosen village / school, placed on working days — see `placement`), and
//! "copy last year's plan" onto the new year's dates of the same nodes.

mod placement;

use crate::activity::{self, Activity, ActivityInput, PlannedMaterial};
use crate::campaign::{self, Campaign, CampaignInput};
use crate::conflicts::{self, Conflict};
use crate::db::Db;
use crate::domain::{CampaignKind, UnitKind};
use crate::error::{AppError, ErrorCode, Result};
use crate::keydates::{self, rule::check_year, KeyDate};
use crate::town::require_town;
use crate::unit::{self, Unit, UnitFilter};
use crate::{new_id, now, validate};
use chrono::{Datelike, Duration, NaiveDate};
use placement::slot;
pub(crate) use placement::Placer;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use ts_rs::TS;

/// The planned activity a template creates in each chosen unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityTemplate {
    /// "{unit}宪法宣传进村活动": {unit} becomes the village / school name.
    pub title: String,
    #[serde(default)]
    pub formats: Vec<String>,
    #[serde(default)]
    pub venue_type: Option<String>,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub laws: Vec<String>,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub end_time: Option<String>,
    #[serde(default)]
    pub expected_audience: Option<u32>,
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub materials: Vec<PlannedMaterial>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanTemplate {
    /// Built-in key ("constitution_week") or the id of a user's template.
    #[serde(default)]
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// "{year}年“宪法宣传周”集中宣传活动".
    pub campaign_name: String,
    pub campaign_kind: String,
    /// Nodes the campaign serves; its dates span their dates in the year.
    #[serde(default)]
    pub nodes: Vec<String>,
    /// Span the nodes' 集中宣传期 rather than their core dates.
    #[serde(default)]
    pub use_window: bool,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub audiences: Vec<String>,
    /// The units "all units" means.
    #[serde(default)]
    pub unit_kinds: Vec<UnitKind>,
    pub activity: ActivityTemplate,
    #[serde(default)]
    pub builtin: bool,
}

#[derive(Deserialize)]
struct BuiltinTemplates {
    templates: Vec<PlanTemplate>,
}

fn builtin_templates() -> &'static [PlanTemplate] {
    static TEMPLATES: OnceLock<Vec<PlanTemplate>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let parsed: BuiltinTemplates = serde_json::from_str(include_str!("../data/templates.json"))
            .expect("data/templates.json is valid (checked by a unit test)");
        parsed
            .templates
            .into_iter()
            .map(|t| PlanTemplate { builtin: true, ..t })
            .collect()
    })
}

/// Built-in templates first, then the user's, by name.
pub fn templates(conn: &Connection) -> Result<Vec<PlanTemplate>> {
    let mut out = builtin_templates().to_vec();
    let mut stmt = conn.prepare_cached("SELECT id, body FROM plan_template ORDER BY name")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, body) = row?;
        let t: PlanTemplate = serde_json::from_str(&body).map_err(|_| {
            AppError::new(
                ErrorCode::Database,
                format!("模板 {id} 已损坏，请删除后重建"),
            )
        })?;
        out.push(PlanTemplate {
            key: id,
            builtin: false,
            ..t
        });
    }
    Ok(out)
}

/// Finds a template by key or by name.
pub fn find_template(conn: &Connection, key_or_name: &str) -> Result<PlanTemplate> {
    let wanted = key_or_name.trim();
    templates(conn)?
        .into_iter()
        .find(|t| t.key == wanted || t.name == wanted)
        .ok_or_else(|| {
            AppError::field(
                ErrorCode::NotFound,
                "template",
                format!(
                    "找不到模板“{}”，可用 template list 查看",
                    validate::clip(wanted)
                ),
            )
        })
}

fn check_template(conn: &Connection, t: &PlanTemplate) -> Result<PlanTemplate> {
    let name = validate::name("name", &t.name, 50)?;
    let campaign_name = validate::name("campaign_name", &t.campaign_name, 100)?;
    CampaignKind::parse("kind", &t.campaign_kind)?;
    for code in &t.nodes {
        if !keydates::node_exists(conn, code)? {
            return Err(AppError::field(
                ErrorCode::NotFound,
                "nodes",
                format!("普法节点“{}”不存在", validate::clip(code)),
            ));
        }
    }
    // The activity part goes through the same checks as a hand-made activity.
    let probe = activity_input(&t.activity, "某村", "2027-01-01", &[], &[]);
    activity::check(
        conn,
        &ActivityInput {
            unit_id: None,
            ..probe
        },
    )?;
    Ok(PlanTemplate {
        name,
        campaign_name,
        description: validate::notes("notes", Some(&t.description), 500)?,
        themes: validate::text_list("themes", &t.themes, 50, 30)?,
        builtin: false,
        ..t.clone()
    })
}

/// Saves a user's template: new when `key` is empty or a built-in key, else replaces it.
pub fn save_template(db: &mut Db, t: &PlanTemplate) -> Result<PlanTemplate> {
    let checked = check_template(&db.conn, t)?;
    if builtin_templates().iter().any(|b| b.name == checked.name) {
        return Err(AppError::field(
            ErrorCode::Duplicate,
            "name",
            format!("“{}”是内置模板的名称，请换一个名称", checked.name),
        ));
    }
    let existing = !t.key.is_empty() && !builtin_templates().iter().any(|b| b.key == t.key);
    let id = if existing { t.key.clone() } else { new_id() };
    let body = serde_json::to_string(&checked).expect("template serialises");
    db.with_tx(|tx| {
        let ts = now();
        let changed = if existing {
            tx.execute(
                "UPDATE plan_template SET name = ?2, body = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, checked.name, body, ts],
            )
        } else {
            tx.execute(
                "INSERT INTO plan_template (id, name, body, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![id, checked.name, body, ts],
            )
        }
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => AppError::field(
                ErrorCode::Duplicate,
                "name",
                format!("已有名为“{}”的模板", checked.name),
            ),
            _ => e.into(),
        })?;
        if changed == 0 {
            return Err(AppError::not_found("模板", &id));
        }
        let action = if existing { "update" } else { "create" };
        crate::audit::changed(tx, "template", &id, action, None, Some(&checked))?;
        Ok(())
    })?;
    Ok(PlanTemplate { key: id, ..checked })
}

pub fn delete_template(db: &mut Db, key: &str) -> Result<()> {
    if builtin_templates().iter().any(|b| b.key == key) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "template",
            "内置模板不能删除",
        ));
    }
    db.with_tx(|tx| {
        if tx.execute("DELETE FROM plan_template WHERE id = ?1", [key])? == 0 {
            return Err(AppError::not_found("模板", key));
        }
        crate::audit::note(tx, "template", key, "delete", "删除活动模板")?;
        Ok(())
    })
}

fn activity_input(
    t: &ActivityTemplate,
    unit_name: &str,
    date: &str,
    campaign_ids: &[String],
    nodes: &[String],
) -> ActivityInput {
    ActivityInput {
        title: t.title.replace("{unit}", unit_name),
        date: date.to_string(),
        start_time: t.start_time.clone(),
        end_time: t.end_time.clone(),
        unit_id: Some(unit_name.to_string()),
        venue_type: t.venue_type.clone(),
        venue: None,
        formats: t.formats.clone(),
        audiences: t.audiences.clone(),
        laws: t.laws.clone(),
        campaign_ids: campaign_ids.to_vec(),
        nodes: nodes.to_vec(),
        lead_person_id: None,
        partners: t.partners.clone(),
        materials: t.materials.clone(),
        expected_audience: t.expected_audience.map(i64::from),
        notes: None,
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanApplied {
    pub campaign: Campaign,
    pub activities: Vec<Activity>,
    pub conflicts: Vec<Conflict>,
    /// The node already had a campaign that year: the activities were added to it.
    pub added_to_existing: bool,
    /// Units left out because they already have an activity of the campaign.
    pub skipped_units: Vec<String>,
    /// Activities moved off a weekend, a statutory holiday or a school break.
    pub moved: u32,
    /// Activities left on such a day, each with its reason (a weekend market day …).
    pub exceptions: Vec<String>,
}

fn parse(d: &str) -> NaiveDate {
    d.parse().expect("the engine writes ISO dates")
}

/// The span of the nodes' dates in `year` (core dates or 集中宣传期).
fn nodes_span(
    year_dates: &[KeyDate],
    nodes: &[String],
    use_window: bool,
) -> Option<(NaiveDate, NaiveDate)> {
    let mut span: Option<(NaiveDate, NaiveDate)> = None;
    for k in year_dates.iter().filter(|k| nodes.contains(&k.code)) {
        let (s, e) = if use_window {
            (parse(&k.window_start), parse(&k.window_end))
        } else {
            (parse(&k.start), parse(&k.end))
        };
        span = Some(match span {
            Some((a, b)) => (a.min(s), b.max(e)),
            None => (s, e),
        });
    }
    span
}

/// "2027年", or "2027—2028年度" for a campaign that runs into the next year (as official
/// documents name 根治欠薪冬季专项行动 and the like).
pub fn year_label(start: NaiveDate, end: NaiveDate) -> String {
    if end.year() > start.year() {
        format!("{}—{}年度", start.year(), end.year())
    } else {
        format!("{}年", start.year())
    }
}

/// The line of a campaign's description that carries its node's theme.
fn theme_line(k: &KeyDate) -> Option<String> {
    let t = k.theme_line()?;
    Some(if t.confirmed {
        format!("主题：{}", t.text)
    } else {
        format!("主题（沿用{}年，待确认）：{}", t.year, t.text)
    })
}

/// `notes` with its theme line replaced by `line` (or `line` put first).
fn with_theme_line(notes: &str, line: Option<&str>) -> String {
    let mut lines: Vec<&str> = notes
        .lines()
        .filter(|l| !l.starts_with("主题：") && !l.starts_with("主题（"))
        .collect();
    if let Some(line) = line {
        lines.insert(0, line);
    }
    lines.join("\n")
}

/// The theme of a node's year flows into the description of its campaigns of that year
/// (called when the coordinator enters or confirms it).
pub(crate) fn theme_into_campaigns(tx: &Connection, k: &KeyDate) -> Result<()> {
    let line = theme_line(k);
    for c in campaigns_of_node(tx, &k.code, k)? {
        let notes = with_theme_line(&c.notes, line.as_deref());
        campaign::revise(tx, &c.id, &c.start_date, &c.end_date, &notes)?;
    }
    Ok(())
}

/// The campaigns serving `code` first among their nodes whose days meet the node's core days
/// of that year: last winter's 根治欠薪 campaign, which runs into January, is not this
/// winter's.
fn campaigns_of_node(conn: &Connection, code: &str, k: &KeyDate) -> Result<Vec<Campaign>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM campaign
         WHERE json_extract(nodes, '$[0]') = ?1 AND start_date <= ?3 AND end_date >= ?2
         ORDER BY start_date, created_at",
    )?;
    let ids: Vec<String> = stmt
        .query_map(params![code, k.start, k.end], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter().map(|id| campaign::get(conn, id)).collect()
}

/// Units for a template: the ones named (ids or names), or all of the template's kinds
/// (villages when the town has none of them).
fn chosen_units(
    conn: &Connection,
    t: &PlanTemplate,
    names: &[String],
    all: bool,
) -> Result<Vec<Unit>> {
    if !names.is_empty() && all {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "units",
            "“指定村/单位”和“全部”只能选一个",
        ));
    }
    if !all {
        if names.is_empty() {
            return Err(AppError::field(
                ErrorCode::Required,
                "units",
                "请选择至少一个村/单位",
            ));
        }
        let mut out: Vec<Unit> = Vec::new();
        for n in names.iter().flat_map(|n| validate::split_list(n)) {
            let u = unit::resolve(conn, &n, "units")?;
            if !out.iter().any(|x| x.id == u.id) {
                out.push(u);
            }
        }
        return Ok(out);
    }
    let every = unit::list(conn, &UnitFilter::default())?;
    let of_kinds: Vec<Unit> = every
        .iter()
        .filter(|u| !u.archived && t.unit_kinds.contains(&u.kind))
        .cloned()
        .collect();
    if !of_kinds.is_empty() {
        return Ok(of_kinds);
    }
    let villages: Vec<Unit> = every
        .into_iter()
        .filter(|u| !u.archived && u.kind.is_village_level())
        .collect();
    if villages.is_empty() {
        return Err(AppError::field(
            ErrorCode::Required,
            "units",
            "本镇还没有村/单位，请先添加",
        ));
    }
    Ok(villages)
}

/// Creates the template's campaign for `year` — or, when the node already has one that year,
/// adds to it — with one planned activity per unit on a working day, in one transaction;
/// returns what was made and the conflicts it raises.
pub fn apply_template(
    db: &mut Db,
    template: &str,
    year: i32,
    unit_names: &[String],
    all_units: bool,
) -> Result<PlanApplied> {
    check_year(year)?;
    let t = find_template(&db.conn, template)?;
    let units = chosen_units(&db.conn, &t, unit_names, all_units)?;
    let applied = db.with_tx(|tx| {
        require_town(tx)?;
        let mut placer = Placer::new(tx);
        apply_in(tx, &t, year, &units, &mut placer)
    })?;
    let activities = applied
        .activity_ids
        .iter()
        .map(|id| activity::get(&db.conn, id))
        .collect::<Result<Vec<_>>>()?;
    let mut found = Vec::new();
    for a in &activities {
        found.extend(conflicts::for_activity(&db.conn, &a.id)?);
    }
    Ok(PlanApplied {
        campaign: campaign::get(&db.conn, &applied.campaign_id)?,
        activities,
        conflicts: found,
        added_to_existing: !applied.created,
        skipped_units: applied.skipped_units,
        moved: applied.moved,
        exceptions: applied.exceptions,
    })
}

/// What one template application wrote.
pub(crate) struct Applied {
    pub campaign_id: String,
    /// A new campaign (false: added to the node's campaign of that year).
    pub created: bool,
    pub activity_ids: Vec<String>,
    pub skipped_units: Vec<String>,
    pub moved: u32,
    pub exceptions: Vec<String>,
}

/// The writes of a template application inside the caller's transaction (also used by
/// `generate` and the demo town).
pub(crate) fn apply_in(
    tx: &Transaction,
    t: &PlanTemplate,
    year: i32,
    units: &[Unit],
    placer: &mut Placer,
) -> Result<Applied> {
    let year_dates = keydates::for_year(tx, year)?;
    let no_dates = || {
        AppError::field(
            ErrorCode::InvalidValue,
            "year",
            format!("模板“{}”的普法节点在 {year} 年没有日期", t.name),
        )
    };
    let (start, end) = nodes_span(&year_dates, &t.nodes, t.use_window).ok_or_else(no_dates)?;
    let primary = t
        .nodes
        .first()
        .and_then(|code| year_dates.iter().find(|k| &k.code == code));
    let existing = match primary {
        Some(k) => campaigns_of_node(tx, &k.code, k)?.into_iter().next(),
        None => None,
    };
    // Into an existing campaign: on its days (where they meet the template's), one activity
    // per unit that has none of it yet.
    let (from, to) = match &existing {
        Some(c) => {
            let (cs, ce) = (parse(&c.start_date), parse(&c.end_date));
            if start.max(cs) <= end.min(ce) {
                (start.max(cs), end.min(ce))
            } else {
                (cs, ce)
            }
        }
        None => (start, end),
    };
    let mut skipped_units = Vec::new();
    let mut todo: Vec<&Unit> = Vec::new();
    for u in units {
        let has = match &existing {
            Some(c) => tx
                .prepare_cached(
                    "SELECT 1 FROM activity a
                     JOIN activity_campaign ac ON ac.activity_id = a.id AND ac.campaign_id = ?1
                     WHERE a.unit_id = ?2 AND a.status NOT IN ('cancelled', 'postponed')",
                )?
                .query_row(params![c.id, u.id], |_| Ok(()))
                .optional()?
                .is_some(),
            None => false,
        };
        if has {
            skipped_units.push(u.name.clone());
        } else {
            todo.push(u);
        }
    }
    let street = t.activity.formats.iter().any(|f| f == "street_campaign");
    let mut placed = Vec::with_capacity(todo.len());
    for (i, u) in todo.iter().enumerate() {
        let p = placer.place(u, street, slot(from, to, i, todo.len()), from, to)?;
        placed.push(p);
    }
    let first = placed.iter().map(|p| p.date).min().unwrap_or(from);
    let last = placed.iter().map(|p| p.date).max().unwrap_or(to);
    let (campaign_id, created) = match &existing {
        Some(c) => {
            let s = parse(&c.start_date).min(first);
            let e = parse(&c.end_date).max(last);
            campaign::revise(tx, &c.id, &s.to_string(), &e.to_string(), &c.notes)?;
            (c.id.clone(), false)
        }
        None => {
            let (s, e) = (start.min(first), end.max(last));
            let name = t
                .campaign_name
                .replace("{span}", &year_label(s, e))
                .replace("{year}", &year.to_string());
            let notes = [
                primary.and_then(theme_line),
                Some(format!("由模板“{}”生成", t.name)),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
            let input = CampaignInput {
                name,
                kind: t.campaign_kind.clone(),
                start_date: s.to_string(),
                end_date: e.to_string(),
                audiences: t.audiences.clone(),
                themes: t.themes.clone(),
                lead_unit: None,
                notes: Some(notes),
                nodes: t.nodes.clone(),
                report_deadline: None,
            };
            (campaign::insert(tx, &campaign::check(tx, &input)?)?, true)
        }
    };
    let mut ids = Vec::with_capacity(todo.len());
    let mut moved = 0;
    let mut exceptions = Vec::new();
    for (u, p) in todo.iter().zip(&placed) {
        let mut input = activity_input(
            &t.activity,
            &u.name,
            &p.date.to_string(),
            std::slice::from_ref(&campaign_id),
            &t.nodes,
        );
        input.unit_id = Some(u.id.clone());
        if let Some(why) = &p.exception {
            input.notes = Some(format!("安排在非工作日：{why}"));
            exceptions.push(format!("{}：{why}", input.title));
        }
        moved += u32::from(p.moved);
        let checked = activity::check(tx, &input)?;
        ids.push(activity::insert(tx, &checked, p.date, None)?);
    }
    Ok(Applied {
        campaign_id,
        created,
        activity_ids: ids,
        skipped_units,
        moved,
        exceptions,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanGenerated {
    /// Campaigns made now.
    pub created: Vec<Campaign>,
    /// Campaigns the node already had that year, activities added for the units without one.
    pub extended: Vec<Campaign>,
    /// Nodes that already had a campaign that year with nothing to add (by name).
    pub skipped: Vec<String>,
    /// The standard set used because no nodes were given (names); empty otherwise.
    pub standard: Vec<String>,
    /// Last year's campaigns still running into this year (岁末年初, 根治欠薪 …).
    pub continuing: Vec<Campaign>,
    /// Planned activities made.
    pub placed: u32,
    /// Of them, moved off a weekend, a statutory holiday or a school break.
    pub moved: u32,
    /// Left on such a day on purpose or for want of a working day, each with its reason.
    pub exceptions: Vec<String>,
}

const TARGETED_NODES: &[&str] = &[
    "migrant_winter_service",
    "spring_breeze",
    "wage_arrears_winter",
    "first_lesson_spring",
    "first_lesson_autumn",
    "winter_break_safety",
    "summer_break_safety",
];

/// "生成年度计划": for each node (none given: the standard set a township plans each year)
/// the built-in template whose first node it is, applied to all of the template's units —
/// a campaign with its activities placed on working days — or, without a template, the
/// node's campaign over its 集中宣传期. A node that already has its campaign that year is
/// not made twice: its template adds to it the units it lacks.
pub fn generate(db: &mut Db, year: i32, nodes: &[String]) -> Result<PlanGenerated> {
    check_year(year)?;
    let year_dates = keydates::for_year(&db.conn, year)?;
    let standard = nodes.is_empty();
    let codes: Vec<String> = if standard {
        year_dates
            .iter()
            .filter(|k| k.standard)
            .map(|k| k.code.clone())
            .collect()
    } else {
        nodes.to_vec()
    };
    let mut wanted: Vec<&KeyDate> = Vec::with_capacity(codes.len());
    for code in &codes {
        let Some(k) = year_dates.iter().find(|k| &k.code == code) else {
            return Err(AppError::field(
                ErrorCode::NotFound,
                "nodes",
                format!("普法节点“{}”在 {year} 年不存在", validate::clip(code)),
            ));
        };
        if !wanted.iter().any(|w| w.code == k.code) {
            wanted.push(k);
        }
    }
    let mut out = PlanGenerated {
        created: Vec::new(),
        extended: Vec::new(),
        skipped: Vec::new(),
        standard: if standard {
            wanted.iter().map(|k| k.name.clone()).collect()
        } else {
            Vec::new()
        },
        continuing: Vec::new(),
        placed: 0,
        moved: 0,
        exceptions: Vec::new(),
    };
    let (created, extended) = db.with_tx(|tx| {
        require_town(tx)?;
        let mut placer = Placer::new(tx);
        let (mut created, mut extended) = (Vec::new(), Vec::new());
        for k in &wanted {
            let templates: Vec<&PlanTemplate> = builtin_templates()
                .iter()
                .filter(|t| t.nodes.first() == Some(&k.code))
                .collect();
            if templates.is_empty() {
                if campaigns_of_node(tx, &k.code, k)?.is_empty() {
                    created.push(campaign::insert(
                        tx,
                        &campaign::check(tx, &node_campaign(k, year))?,
                    )?);
                } else {
                    out.skipped.push(k.name.clone());
                }
                continue;
            }
            for t in templates {
                let units = chosen_units(tx, t, &[], true)?;
                let applied = apply_in(tx, t, year, &units, &mut placer)?;
                out.placed += applied.activity_ids.len() as u32;
                out.moved += applied.moved;
                out.exceptions.extend(applied.exceptions);
                if applied.created {
                    created.push(applied.campaign_id);
                } else if applied.activity_ids.is_empty() {
                    out.skipped.push(k.name.clone());
                } else {
                    extended.push(applied.campaign_id);
                }
            }
        }
        Ok((created, extended))
    })?;
    let get = |ids: Vec<String>| -> Result<Vec<Campaign>> {
        ids.iter().map(|id| campaign::get(&db.conn, id)).collect()
    };
    out.created = get(created)?;
    out.extended = get(extended)?;
    out.continuing = continuing(&db.conn, year)?;
    Ok(out)
}

/// The campaign of a node without a template: its 集中宣传期, its audiences and laws, its
/// theme in the description.
fn node_campaign(k: &KeyDate, year: i32) -> CampaignInput {
    let kind = if TARGETED_NODES.contains(&k.code.as_str()) {
        CampaignKind::Targeted
    } else if k.local {
        CampaignKind::Local
    } else {
        CampaignKind::National
    };
    let label = year_label(parse(&k.window_start), parse(&k.window_end));
    let name = if k.name.starts_with(&year.to_string()) {
        k.name.clone()
    } else {
        format!("{label}{}", k.name)
    };
    let doc = (!k.doc_number.is_empty()).then(|| format!("文号：{}", k.doc_number));
    let notes = [theme_line(k), doc]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    CampaignInput {
        name,
        kind: kind.code().to_string(),
        start_date: k.window_start.clone(),
        end_date: k.window_end.clone(),
        audiences: k.audiences.iter().map(|a| a.code().to_string()).collect(),
        themes: k.laws.clone(),
        lead_unit: None,
        notes: Some(notes),
        nodes: vec![k.code.clone()],
        report_deadline: None,
    }
}

/// The campaigns begun in an earlier year that are still running in `year`.
pub fn continuing(conn: &Connection, year: i32) -> Result<Vec<Campaign>> {
    Ok(campaign::list(
        conn,
        &campaign::CampaignFilter {
            year: Some(year),
            ..Default::default()
        },
    )?
    .into_iter()
    .filter(|c| c.start_date < format!("{year:04}-01-01"))
    .collect())
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanCopied {
    pub campaigns: u32,
    pub activities: u32,
    /// Campaigns not copied because the new year already has one of that name.
    pub skipped: Vec<String>,
    /// Copied activities that fell on a weekend, holiday or school break and were moved.
    pub moved: u32,
    /// Copied activities left on such a day, with the reason.
    pub exceptions: Vec<String>,
}

/// The same month and day a year later or earlier (2月29日 → 2月28日).
fn same_day_in(date: NaiveDate, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
        .expect("valid date")
}

/// How far a node moved between two years (start to start), if it exists in both.
fn node_shift(from: &[KeyDate], to: &[KeyDate], nodes: &[String]) -> Option<Duration> {
    let first = nodes.iter().find_map(|code| {
        let a = from.iter().find(|k| &k.code == code)?;
        let b = to.iter().find(|k| &k.code == code)?;
        Some(parse(&b.start) - parse(&a.start))
    })?;
    Some(first)
}

/// A name of `from_year` for `to_year`: "2026—2027年度…" → "2027—2028年度…", "2026年…" →
/// "2027年…".
fn rename_year(name: &str, from_year: i32, to_year: i32) -> String {
    let span = |y: i32| format!("{y}—{}", y + 1);
    let ascii = |y: i32| format!("{y}-{}", y + 1);
    name.replace(&span(from_year), "\u{0}")
        .replace(&ascii(from_year), "\u{0}")
        .replace(&from_year.to_string(), &to_year.to_string())
        .replace('\u{0}', &span(to_year))
}

/// "复制上一年计划": every campaign starting in `from_year` and its activities, moved onto
/// `to_year`'s dates of the same nodes (or the same month and day when it serves no node);
/// an activity that lands on a day off moves to the nearest working day.
pub fn copy_year(db: &mut Db, from_year: i32, to_year: i32) -> Result<PlanCopied> {
    check_year(from_year)?;
    check_year(to_year)?;
    if from_year == to_year {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "year",
            "请选择不同的年份",
        ));
    }
    let from_dates = keydates::for_year(&db.conn, from_year)?;
    let to_dates = keydates::for_year(&db.conn, to_year)?;
    let existing: Vec<String> = campaign::list(
        &db.conn,
        &campaign::CampaignFilter {
            year: Some(to_year),
            status: campaign::ArchiveFilter::All,
            ..Default::default()
        },
    )?
    .into_iter()
    .map(|c| c.name)
    .collect();
    let source: Vec<Campaign> = campaign::list(
        &db.conn,
        &campaign::CampaignFilter {
            year: Some(from_year),
            ..Default::default()
        },
    )?
    .into_iter()
    .filter(|c| c.start_date.starts_with(&format!("{from_year:04}-")))
    .collect();
    let rename = |name: &str| rename_year(name, from_year, to_year);
    let mut skipped = Vec::new();
    let mut plan: Vec<(CampaignInput, Vec<Activity>, Duration)> = Vec::new();
    for c in source {
        let new_name = rename(&c.name);
        if existing.contains(&new_name) {
            skipped.push(new_name);
            continue;
        }
        let start = parse(&c.start_date);
        let shift = node_shift(&from_dates, &to_dates, &c.nodes)
            .unwrap_or_else(|| same_day_in(start, to_year) - start);
        let activities = activity::list(
            &db.conn,
            &activity::ActivityFilter {
                campaign_id: Some(c.id.clone()),
                ..Default::default()
            },
        )?;
        let input = CampaignInput {
            name: new_name,
            kind: c.kind.code().to_string(),
            start_date: (start + shift).to_string(),
            end_date: (parse(&c.end_date) + shift).to_string(),
            audiences: c.audiences.iter().map(|a| a.code().to_string()).collect(),
            themes: c.themes.clone(),
            lead_unit: Some(c.lead_unit.clone()),
            notes: Some(c.notes.clone()),
            nodes: c.nodes.clone(),
            report_deadline: None,
        };
        plan.push((input, activities, shift));
    }
    let mut checked = Vec::with_capacity(plan.len());
    for (input, activities, shift) in &plan {
        let c = campaign::check(&db.conn, input)?;
        let acts = activities
            .iter()
            .map(|a| {
                let date = parse(&a.date) + *shift;
                let mut i = activity::input_from(a);
                i.title = rename(&i.title);
                i.date = date.to_string();
                // Links to other campaigns of the old year are not carried over.
                i.campaign_ids.clear();
                Ok((activity::check(&db.conn, &i)?, date))
            })
            .collect::<Result<Vec<_>>>()?;
        checked.push((c, input, acts));
    }
    let (campaigns, activities, moved, exceptions) = db.with_tx(|tx| {
        let mut placer = Placer::new(tx);
        let (mut n_activities, mut moved, mut exceptions) = (0u32, 0u32, Vec::new());
        for (c, input, acts) in &checked {
            let id = campaign::insert(tx, c)?;
            let (from, to) = (parse(&input.start_date), parse(&input.end_date));
            for (a, date) in acts {
                let mut date = *date;
                if let Some(u) = a.unit_id.as_deref().map(|u| unit::get(tx, u)).transpose()? {
                    let street = a.formats.contains("\"street_campaign\"");
                    let p = placer.place(&u, street, date, from.min(date), to.max(date))?;
                    moved += u32::from(p.moved);
                    if let Some(why) = p.exception {
                        exceptions.push(format!("{}：{why}", a.title));
                    }
                    date = p.date;
                }
                let a = activity::Checked {
                    campaign_ids: vec![id.clone()],
                    date,
                    ..a.clone()
                };
                activity::insert(tx, &a, date, None)?;
                n_activities += 1;
            }
        }
        Ok((checked.len() as u32, n_activities, moved, exceptions))
    })?;
    Ok(PlanCopied {
        campaigns,
        activities,
        skipped,
        moved,
        exceptions,
    })
}

#[cfg(test)]
mod tests;
