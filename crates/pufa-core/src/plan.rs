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

/// Sets (or replaces) the coordinator's dates / theme / document number of a node for a year
/// ([`keydates::set_override_then`]); the theme reaches the year's campaigns of the node in
/// the same transaction.
pub fn set_override(db: &mut Db, input: &keydates::OverrideInput) -> Result<KeyDate> {
    keydates::set_override_then(db, input, theme_into_campaigns)
}

/// Confirms a node's year as shown ([`keydates::confirmation`]), its theme into the year's
/// campaigns.
pub fn confirm(db: &mut Db, code: &str, year: i32) -> Result<KeyDate> {
    let input = keydates::confirmation(&db.conn, code, year)?;
    set_override(db, &input)
}

/// The theme of a node's year flows into the description of its campaigns of that year
/// (called when the coordinator enters or confirms it).
fn theme_into_campaigns(tx: &Connection, k: &KeyDate) -> Result<()> {
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

// The plan along its seams: templates kept and checked (`templates`), a year generated from
// its nodes (`generate`), last year's plan copied (`copy_year`); applying a template above.
mod copy_year;
mod generate;
mod templates;
pub use copy_year::*;
pub use generate::*;
pub use templates::*;

#[cfg(test)]
mod tests;
