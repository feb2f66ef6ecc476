//! From nodes to a plan: "生成年度计划" (one campaign per ticked node), plan templates (a
//! campaign plus one planned activity per chosen village / school), and "copy last year's
//! plan" onto the new year's dates of the same nodes.

use crate::activity::{self, Activity, ActivityInput, PlannedMaterial};
use crate::campaign::{self, Campaign, CampaignInput};
use crate::conflicts::{self, Conflict};
use crate::db::Db;
use crate::domain::{CampaignKind, UnitKind};
use crate::error::{AppError, ErrorCode, Result};
use crate::holidays;
use crate::keydates::{self, rule::check_year, KeyDate};
use crate::town::require_town;
use crate::unit::{self, Unit, UnitFilter};
use crate::{new_id, now, validate};
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
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

/// Days of `from..=to` that are not days off, spread so `n` activities get even dates.
fn spread_dates(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    n: usize,
) -> Result<Vec<NaiveDate>> {
    let mut days_off: HashMap<i32, HashMap<String, String>> = HashMap::new();
    let mut days = Vec::new();
    let mut d = from;
    while d <= to {
        let off = match days_off.get(&d.year()) {
            Some(m) => m.contains_key(&d.to_string()),
            None => {
                let m = holidays::days_off(conn, d.year())?;
                let off = m.contains_key(&d.to_string());
                days_off.insert(d.year(), m);
                off
            }
        };
        if !off {
            days.push(d);
        }
        d += Duration::days(1);
    }
    if days.is_empty() {
        days.push(from);
    }
    Ok((0..n).map(|i| days[i * days.len() / n.max(1)]).collect())
}

/// Creates the template's campaign for `year` and one planned activity per unit, in one
/// transaction; returns what was created and the conflicts it raises.
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
    let (campaign_id, ids) = db.with_tx(|tx| {
        require_town(tx)?;
        apply_in(tx, &t, year, &units)
    })?;
    let activities = ids
        .iter()
        .map(|id| activity::get(&db.conn, id))
        .collect::<Result<Vec<_>>>()?;
    let mut found = Vec::new();
    for a in &activities {
        found.extend(conflicts::for_activity(&db.conn, &a.id)?);
    }
    Ok(PlanApplied {
        campaign: campaign::get(&db.conn, &campaign_id)?,
        activities,
        conflicts: found,
    })
}

/// The writes of a template application inside the caller's transaction (also used by the
/// demo town): the campaign id and the activity ids.
pub(crate) fn apply_in(
    tx: &Transaction,
    t: &PlanTemplate,
    year: i32,
    units: &[Unit],
) -> Result<(String, Vec<String>)> {
    let year_dates = keydates::for_year(tx, year)?;
    let (start, end) = nodes_span(&year_dates, &t.nodes, t.use_window).ok_or_else(|| {
        AppError::field(
            ErrorCode::InvalidValue,
            "year",
            format!("模板“{}”的普法节点在 {year} 年没有日期", t.name),
        )
    })?;
    let campaign_input = CampaignInput {
        name: t.campaign_name.replace("{year}", &year.to_string()),
        kind: t.campaign_kind.clone(),
        start_date: start.to_string(),
        end_date: end.to_string(),
        audiences: t.audiences.clone(),
        themes: t.themes.clone(),
        lead_unit: None,
        notes: Some(format!("由模板“{}”生成", t.name)),
        nodes: t.nodes.clone(),
        report_deadline: None,
    };
    let campaign_id = campaign::insert(tx, &campaign::check(tx, &campaign_input)?)?;
    let dates = spread_dates(tx, start, end, units.len())?;
    let ids = units
        .iter()
        .zip(&dates)
        .map(|(u, d)| {
            let input = activity_input(
                &t.activity,
                &u.name,
                &d.to_string(),
                std::slice::from_ref(&campaign_id),
                &t.nodes,
            );
            let checked = activity::check(
                tx,
                &ActivityInput {
                    unit_id: Some(u.id.clone()),
                    ..input
                },
            )?;
            activity::insert(tx, &checked, *d, None)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((campaign_id, ids))
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanGenerated {
    pub created: Vec<Campaign>,
    /// Nodes that already had a campaign that year (by name).
    pub skipped: Vec<String>,
}

const TARGETED_NODES: &[&str] = &[
    "migrant_winter_service",
    "spring_breeze",
    "wage_arrears_winter",
    "first_lesson_spring",
    "first_lesson_autumn",
];

fn campaign_for_node_exists(conn: &Connection, code: &str, year: i32) -> Result<bool> {
    let needle = format!("\"{code}\"");
    Ok(conn
        .query_row(
            "SELECT 1 FROM campaign WHERE instr(nodes, ?1) > 0
               AND start_date <= ?3 AND end_date >= ?2 LIMIT 1",
            params![
                needle,
                format!("{year:04}-01-01"),
                format!("{year:04}-12-31")
            ],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// "生成年度计划": one campaign per ticked node over its 集中宣传期 in `year`.
pub fn generate(db: &mut Db, year: i32, nodes: &[String]) -> Result<PlanGenerated> {
    check_year(year)?;
    if nodes.is_empty() {
        return Err(AppError::field(
            ErrorCode::Required,
            "nodes",
            "请勾选至少一个普法节点",
        ));
    }
    let year_dates = keydates::for_year(&db.conn, year)?;
    let mut inputs = Vec::new();
    let mut skipped = Vec::new();
    for code in nodes {
        let Some(k) = year_dates.iter().find(|k| &k.code == code) else {
            return Err(AppError::field(
                ErrorCode::NotFound,
                "nodes",
                format!("普法节点“{}”在 {year} 年不存在", validate::clip(code)),
            ));
        };
        if campaign_for_node_exists(&db.conn, code, year)? {
            skipped.push(k.name.clone());
            continue;
        }
        let kind = if TARGETED_NODES.contains(&code.as_str()) {
            CampaignKind::Targeted
        } else if k.local {
            CampaignKind::Local
        } else {
            CampaignKind::National
        };
        let name = if k.name.starts_with(&year.to_string()) {
            k.name.clone()
        } else {
            format!("{year}年{}", k.name)
        };
        let notes = [k.theme.as_str(), k.doc_number.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("；");
        inputs.push(CampaignInput {
            name,
            kind: kind.code().to_string(),
            start_date: k.window_start.clone(),
            end_date: k.window_end.clone(),
            audiences: k.audiences.iter().map(|a| a.code().to_string()).collect(),
            themes: k.laws.clone(),
            lead_unit: None,
            notes: Some(notes),
            nodes: vec![code.clone()],
            report_deadline: None,
        });
    }
    let checked = inputs
        .iter()
        .map(|i| campaign::check(&db.conn, i))
        .collect::<Result<Vec<_>>>()?;
    let ids = db.with_tx(|tx| {
        require_town(tx)?;
        checked
            .iter()
            .map(|c| campaign::insert(tx, c))
            .collect::<Result<Vec<_>>>()
    })?;
    Ok(PlanGenerated {
        created: ids
            .iter()
            .map(|id| campaign::get(&db.conn, id))
            .collect::<Result<_>>()?,
        skipped,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanCopied {
    pub campaigns: u32,
    pub activities: u32,
    /// Campaigns not copied because the new year already has one of that name.
    pub skipped: Vec<String>,
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

/// "复制上一年计划": every campaign starting in `from_year` and its activities, moved onto
/// `to_year`'s dates of the same nodes (or the same month and day when it serves no node).
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
    let rename = |name: &str| name.replace(&from_year.to_string(), &to_year.to_string());
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
        checked.push((c, acts));
    }
    let (campaigns, activities) = db.with_tx(|tx| {
        let mut n_activities = 0u32;
        for (c, acts) in &checked {
            let id = campaign::insert(tx, c)?;
            for (a, date) in acts {
                let a = activity::Checked {
                    campaign_ids: vec![id.clone()],
                    ..a.clone()
                };
                activity::insert(tx, &a, *date, None)?;
                n_activities += 1;
            }
        }
        Ok((checked.len() as u32, n_activities))
    })?;
    Ok(PlanCopied {
        campaigns,
        activities,
        skipped,
    })
}

#[cfg(test)]
mod tests;
