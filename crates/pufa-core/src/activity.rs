//! Planned activities: what is to be held, where, when, for whom, by whom, with what
//! materials; linked to the campaigns and 普法 nodes it serves. Recurring activities are
//! stored as one row per occurrence (so the calendar is a plain date-range query), tied by
//! a series; a single occurrence can be edited or cancelled on its own.

use crate::audit;
use crate::db::Db;
use crate::domain::{ActivityFormat, ActivityStatus, Audience, VenueType};
use crate::error::{AppError, ErrorCode, Result};
use crate::keydates::rule::LAST_YEAR;
use crate::town::require_town;
use crate::{new_id, now, validate};
use chrono::{Datelike, Duration, Months, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Materials planned for hand-out: "宪法读本 200 册".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlannedMaterial {
    pub item: String,
    pub quantity: u32,
    /// 份, 册, 本, 张, 个, 件, 条, 块.
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Activity {
    pub id: String,
    pub title: String,
    /// ISO date.
    pub date: String,
    /// "09:00"; None = all day.
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub venue_type: Option<VenueType>,
    pub venue: String,
    pub formats: Vec<ActivityFormat>,
    pub audiences: Vec<Audience>,
    pub laws: Vec<String>,
    pub campaign_ids: Vec<String>,
    pub nodes: Vec<String>,
    pub lead_person_id: Option<String>,
    pub lead_person_name: Option<String>,
    pub partners: Vec<String>,
    pub materials: Vec<PlannedMaterial>,
    pub expected_audience: Option<u32>,
    pub status: ActivityStatus,
    pub status_reason: String,
    pub series_id: Option<String>,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
}

/// How an activity repeats. Occurrences stop at `until` or after `count`, never past 2100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Recurrence {
    pub freq: RecurrenceFreq,
    /// Every `interval` weeks / months (default 1).
    #[serde(default)]
    pub interval: Option<u32>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub count: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RecurrenceFreq {
    /// Same weekday.
    Weekly,
    /// Same day of the month (months without that day are skipped).
    MonthlyDay,
    /// Same n-th weekday of the month (第二个星期二); a 5th weekday means "the last".
    MonthlyNthWeekday,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct ActivityInput {
    pub title: String,
    pub date: String,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub end_time: Option<String>,
    /// A unit id or name.
    #[serde(default)]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub venue_type: Option<String>,
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default)]
    pub formats: Vec<String>,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub laws: Vec<String>,
    #[serde(default)]
    pub campaign_ids: Vec<String>,
    #[serde(default)]
    pub nodes: Vec<String>,
    #[serde(default)]
    pub lead_person_id: Option<String>,
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub materials: Vec<PlannedMaterial>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub expected_audience: Option<i64>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct ActivityFilter {
    /// Inclusive ISO dates.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub campaign_id: Option<String>,
    #[serde(default)]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub person_id: Option<String>,
    #[serde(default)]
    pub audience: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub search: Option<String>,
}

/// Which occurrences an edit or delete applies to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SeriesScope {
    #[default]
    This,
    /// This occurrence and every later one of its series.
    Following,
}

const SELECT: &str = "SELECT a.id, a.title, a.date, a.start_time, a.end_time, a.unit_id, u.name,
        a.venue_type, a.venue, a.formats, a.audiences, a.laws,
        (SELECT json_group_array(campaign_id) FROM activity_campaign c WHERE c.activity_id = a.id),
        a.nodes, a.lead_person_id, p.name, a.partners, a.materials, a.expected_audience,
        a.status, a.status_reason, a.series_id, a.notes, a.created_at, a.updated_at
    FROM activity a
    LEFT JOIN unit u ON u.id = a.unit_id
    LEFT JOIN person p ON p.id = a.lead_person_id";

fn json<T: for<'de> Deserialize<'de> + Default>(r: &Row, i: usize) -> rusqlite::Result<T> {
    let text = r.get_ref(i)?.as_str()?;
    Ok(serde_json::from_str(text).unwrap_or_default())
}

fn from_row(r: &Row) -> rusqlite::Result<Activity> {
    let venue_type: Option<String> = r.get(7)?;
    let status: String = r.get(19)?;
    let mut campaign_ids: Vec<String> = json(r, 12)?;
    campaign_ids.sort();
    Ok(Activity {
        id: r.get(0)?,
        title: r.get(1)?,
        date: r.get(2)?,
        start_time: r.get(3)?,
        end_time: r.get(4)?,
        unit_id: r.get(5)?,
        unit_name: r.get(6)?,
        venue_type: venue_type.and_then(|v| VenueType::parse("venue_type", &v).ok()),
        venue: r.get(8)?,
        formats: json(r, 9)?,
        audiences: json(r, 10)?,
        laws: json(r, 11)?,
        campaign_ids,
        nodes: json(r, 13)?,
        lead_person_id: r.get(14)?,
        lead_person_name: r.get(15)?,
        partners: json(r, 16)?,
        materials: json(r, 17)?,
        expected_audience: r.get(18)?,
        status: ActivityStatus::parse("status", &status).unwrap_or(ActivityStatus::Planned),
        status_reason: r.get(20)?,
        series_id: r.get(21)?,
        notes: r.get(22)?,
        created_at: r.get(23)?,
        updated_at: r.get(24)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Activity> {
    conn.query_row(&format!("{SELECT} WHERE a.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| AppError::not_found("活动", id))
}

/// The filter's values checked and in the order of `FILTER_WHERE`'s parameters.
fn filter_params(filter: &ActivityFilter) -> Result<[Option<String>; 9]> {
    let date = |field: &str, v: &Option<String>| -> Result<Option<String>> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Ok(Some(validate::date(field, s)?.to_string())),
            None => Ok(None),
        }
    };
    let text = |v: &Option<String>| non_empty(v.as_deref()).map(str::to_string);
    let quoted = |code: &str| format!("\"{code}\"");
    let audience = match text(&filter.audience) {
        Some(a) => Some(quoted(Audience::parse("audiences", &a)?.code())),
        None => None,
    };
    let format = match text(&filter.format) {
        Some(f) => Some(quoted(ActivityFormat::parse("formats", &f)?.code())),
        None => None,
    };
    let status = match text(&filter.status) {
        Some(s) => Some(ActivityStatus::parse("status", &s)?.code().to_string()),
        None => None,
    };
    Ok([
        date("start_date", &filter.from)?,
        date("end_date", &filter.to)?,
        text(&filter.campaign_id),
        text(&filter.unit_id),
        text(&filter.person_id),
        audience,
        format,
        status,
        Some(text(&filter.search).unwrap_or_default()),
    ])
}

/// The filter of `list` and `calendar` (`a` = activity, `u` = its unit). The date range is
/// written so that SQLite uses the date index.
const FILTER_WHERE: &str = "
    WHERE a.date >= coalesce(?1, '') AND a.date <= coalesce(?2, '9999-12-31')
      AND (?3 IS NULL OR EXISTS (SELECT 1 FROM activity_campaign c
                                 WHERE c.activity_id = a.id AND c.campaign_id = ?3))
      AND (?4 IS NULL OR a.unit_id = ?4)
      AND (?5 IS NULL OR a.lead_person_id = ?5)
      AND (?6 IS NULL OR instr(a.audiences, ?6) > 0)
      AND (?7 IS NULL OR instr(a.formats, ?7) > 0)
      AND (?8 IS NULL OR a.status = ?8)
      AND (?9 = '' OR instr(a.title, ?9) > 0 OR instr(a.venue, ?9) > 0
           OR instr(a.laws, ?9) > 0 OR instr(coalesce(u.name, ''), ?9) > 0)
    ORDER BY a.date, a.start_time IS NOT NULL, a.start_time, u.sort_order, a.title";

pub fn list(conn: &Connection, filter: &ActivityFilter) -> Result<Vec<Activity>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} {FILTER_WHERE}"))?;
    let rows = stmt.query_map(filter_params(filter)?, from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the calendar grid draws of an activity; the editor loads the whole one by id.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CalendarItem {
    pub id: String,
    pub title: String,
    pub date: String,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub status: ActivityStatus,
    pub series_id: Option<String>,
}

/// The calendar's query: the same filter and order as `list`, but only the columns of the
/// `activity_calendar` index, so a month is read from the index alone.
pub fn calendar(conn: &Connection, filter: &ActivityFilter) -> Result<Vec<CalendarItem>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.id, a.title, a.date, a.start_time, a.end_time, a.unit_id, u.name, a.status,
                a.series_id
         FROM activity a LEFT JOIN unit u ON u.id = a.unit_id {FILTER_WHERE}"
    ))?;
    let rows = stmt.query_map(filter_params(filter)?, |r| {
        let status: String = r.get(7)?;
        Ok(CalendarItem {
            id: r.get(0)?,
            title: r.get(1)?,
            date: r.get(2)?,
            start_time: r.get(3)?,
            end_time: r.get(4)?,
            unit_id: r.get(5)?,
            unit_name: r.get(6)?,
            status: ActivityStatus::parse("status", &status).unwrap_or(ActivityStatus::Planned),
            series_id: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An input after validation, ready to write.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub title: String,
    pub date: NaiveDate,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub unit_id: Option<String>,
    pub venue_type: Option<&'static str>,
    pub venue: String,
    pub formats: String,
    pub audiences: String,
    pub laws: String,
    pub campaign_ids: Vec<String>,
    pub nodes: String,
    pub lead_person_id: Option<String>,
    pub partners: String,
    pub materials: String,
    pub expected_audience: Option<u32>,
    pub notes: String,
}

fn non_empty(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

pub(crate) fn check(conn: &Connection, input: &ActivityInput) -> Result<Checked> {
    let title = validate::name("title", &input.title, 100)?;
    let date = validate::date("date", &input.date)?;
    let start_time = non_empty(input.start_time.as_deref())
        .map(|t| validate::time("start_time", t))
        .transpose()?;
    let end_time = non_empty(input.end_time.as_deref())
        .map(|t| validate::time("end_time", t))
        .transpose()?;
    match (&start_time, &end_time) {
        (None, Some(_)) => {
            return Err(AppError::field(
                ErrorCode::Required,
                "start_time",
                "填写了结束时间，请同时填写开始时间",
            ))
        }
        (Some(s), Some(e)) if e < s => {
            return Err(AppError::field(
                ErrorCode::DateOrder,
                "end_time",
                format!("结束时间（{e}）早于开始时间（{s}）"),
            ))
        }
        _ => {}
    }
    let unit_id = match non_empty(input.unit_id.as_deref()) {
        Some(u) => Some(crate::unit::resolve(conn, u, "unit_id")?.id),
        None => None,
    };
    let venue_type = non_empty(input.venue_type.as_deref())
        .map(|v| VenueType::parse("venue_type", v).map(|v| v.code()))
        .transpose()?;
    let formats = validate::code_list(&input.formats, |f| ActivityFormat::parse("formats", f))?;
    let audiences = validate::code_list(&input.audiences, |a| Audience::parse("audiences", a))?;
    let laws = validate::text_list("laws", &input.laws, 50, 30)?;
    let partners = validate::text_list("partners", &input.partners, 50, 20)?;
    let mut campaign_ids: Vec<String> = Vec::new();
    for id in input
        .campaign_ids
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
    {
        let found: Option<String> = conn
            .prepare_cached("SELECT id FROM campaign WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let Some(found) = found else {
            return Err(AppError::field(
                ErrorCode::NotFound,
                "campaign_ids",
                format!("活动专项“{}”不存在", validate::clip(id)),
            ));
        };
        if !campaign_ids.contains(&found) {
            campaign_ids.push(found);
        }
    }
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
    let lead_person_id = match non_empty(input.lead_person_id.as_deref()) {
        Some(p) => Some(resolve_person(conn, p)?),
        None => None,
    };
    let mut materials = Vec::with_capacity(input.materials.len());
    for m in &input.materials {
        let item = validate::name("materials", &m.item, 50)?;
        let unit = validate::name("materials", &m.unit, 4)?;
        if m.quantity > 1_000_000 {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "materials",
                format!("“{item}”数量 {} 过大", m.quantity),
            ));
        }
        materials.push(PlannedMaterial {
            item,
            quantity: m.quantity,
            unit,
        });
    }
    if materials.len() > 50 {
        return Err(AppError::field(
            ErrorCode::TooLong,
            "materials",
            "计划发放资料最多50项",
        ));
    }
    let expected_audience = match input.expected_audience {
        None => None,
        Some(n) if (0..=1_000_000).contains(&n) => Some(n as u32),
        Some(n) => {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "expected_audience",
                format!("预计受众人数 {n} 无效，应为 0—1000000"),
            ))
        }
    };
    Ok(Checked {
        title,
        date,
        start_time,
        end_time,
        unit_id,
        venue_type,
        venue: validate::optional_line("venue", input.venue.as_deref(), 100)?,
        formats: to_json(&formats),
        audiences: to_json(&audiences),
        laws: to_json(&laws),
        campaign_ids,
        nodes: to_json(&nodes),
        lead_person_id,
        partners: to_json(&partners),
        materials: to_json(&materials),
        expected_audience,
        notes: validate::notes("notes", input.notes.as_deref(), 2000)?,
    })
}

/// An activity row from a package or a backup: exactly what [`check`] makes of its fields,
/// with a status and series as the app writes them.
pub(crate) fn check_stored(conn: &Connection, s: &crate::stored::Stored) -> Result<()> {
    let mut input = stored_input(conn, s)?;
    input.lead_person_id = s.opt_text("lead_person_id")?.map(str::to_string);
    input.materials = s.json("materials")?;
    input.expected_audience = s.opt_int("expected_audience")?;
    input.notes = Some(s.text("notes")?.to_string());
    let c = check(conn, &input)?;
    s.same("title", c.title)?;
    s.same("date", c.date.to_string())?;
    s.same("start_time", c.start_time)?;
    s.same("end_time", c.end_time)?;
    s.same("unit_id", c.unit_id)?;
    s.same("venue_type", c.venue_type)?;
    s.same("venue", c.venue)?;
    s.same("formats", c.formats)?;
    s.same("audiences", c.audiences)?;
    s.same("laws", c.laws)?;
    s.same("lead_person_id", c.lead_person_id)?;
    s.same("partners", c.partners)?;
    s.same("materials", c.materials)?;
    s.same("expected_audience", c.expected_audience)?;
    s.same("notes", c.notes)?;
    // The links as the package and the backup carry them: sorted, each once.
    let mut links = c.campaign_ids;
    links.sort();
    s.same(crate::stored::CAMPAIGNS, links)?;
    ActivityStatus::parse("status", s.text("status")?)?;
    s.same(
        "status_reason",
        validate::notes("status_reason", Some(s.text("status_reason")?), 300)?,
    )?;
    s.opt_text("series_id")?;
    s.flag("series_exception")?;
    Ok(())
}

/// The fields a planned activity and a held record share, read from a stored row of either
/// as the input they would have been saved from (the planned-only fields left empty).
pub(crate) fn stored_input(conn: &Connection, s: &crate::stored::Stored) -> Result<ActivityInput> {
    Ok(ActivityInput {
        title: s.text("title")?.to_string(),
        date: s.text("date")?.to_string(),
        start_time: s.opt_text("start_time")?.map(str::to_string),
        end_time: s.opt_text("end_time")?.map(str::to_string),
        unit_id: s.opt_text("unit_id")?.map(str::to_string),
        venue_type: s.opt_text("venue_type")?.map(str::to_string),
        venue: Some(s.text("venue")?.to_string()),
        formats: s.list("formats")?,
        audiences: s.list("audiences")?,
        laws: s.list("laws")?,
        campaign_ids: s.strings(crate::stored::CAMPAIGNS)?,
        nodes: s.nodes(conn, "nodes")?,
        partners: s.list("partners")?,
        ..Default::default()
    })
}

/// A recurrence series from a package or a backup: a rule this version reads and writes back
/// the same.
pub(crate) fn check_stored_series(s: &crate::stored::Stored) -> Result<()> {
    let rule: Recurrence = s.json("rule")?;
    s.same(
        "rule",
        serde_json::to_string(&rule).expect("rules serialise"),
    )?;
    Ok(())
}

/// JSON text of a list column.
fn to_json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data serialises")
}

fn resolve_person(conn: &Connection, id_or_name: &str) -> Result<String> {
    let hits: Vec<String> = conn
        .prepare_cached("SELECT id FROM person WHERE id = ?1 OR (name = ?1 AND archived = 0)")?
        .query_map([id_or_name], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match hits.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(AppError::field(
            ErrorCode::NotFound,
            "lead_person_id",
            format!("找不到人员“{}”", validate::clip(id_or_name)),
        )),
        _ => Err(AppError::field(
            ErrorCode::Duplicate,
            "lead_person_id",
            format!(
                "有多位名叫“{}”的人员，请从列表中选择",
                validate::clip(id_or_name)
            ),
        )),
    }
}

pub(crate) fn insert(
    tx: &Transaction,
    c: &Checked,
    date: NaiveDate,
    series_id: Option<&str>,
) -> Result<String> {
    let id = new_id();
    let ts = now();
    tx.execute(
        "INSERT INTO activity (id, title, date, start_time, end_time, unit_id, venue_type, venue,
             formats, audiences, laws, nodes, lead_person_id, partners, materials,
             expected_audience, status, status_reason, series_id, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
             'planned', '', ?17, ?18, ?19, ?19)",
        params![
            id,
            c.title,
            date.to_string(),
            c.start_time,
            c.end_time,
            c.unit_id,
            c.venue_type,
            c.venue,
            c.formats,
            c.audiences,
            c.laws,
            c.nodes,
            c.lead_person_id,
            c.partners,
            c.materials,
            c.expected_audience,
            series_id,
            c.notes,
            ts
        ],
    )?;
    link_campaigns(tx, &id, &c.campaign_ids)?;
    audit::changed(tx, "activity", &id, "create", None, Some(&get(tx, &id)?))?;
    Ok(id)
}

fn link_campaigns(tx: &Transaction, id: &str, campaign_ids: &[String]) -> Result<()> {
    tx.execute("DELETE FROM activity_campaign WHERE activity_id = ?1", [id])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO activity_campaign (activity_id, campaign_id) VALUES (?1, ?2)",
    )?;
    for c in campaign_ids {
        stmt.execute(params![id, c])?;
    }
    Ok(())
}

/// Creates one activity, or a series when `recurrence` is given; returns the first.
pub fn create(
    db: &mut Db,
    input: &ActivityInput,
    recurrence: Option<&Recurrence>,
) -> Result<Vec<Activity>> {
    let c = check(&db.conn, input)?;
    let dates = match recurrence {
        Some(r) => expand(c.date, r)?,
        None => vec![c.date],
    };
    let ids = db.with_tx(|tx| {
        require_town(tx)?;
        let series_id = match recurrence {
            Some(r) => {
                let id = new_id();
                let ts = now();
                tx.execute(
                    "INSERT INTO activity_series (id, rule, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?3)",
                    params![id, serde_json::to_string(r).expect("rule serialises"), ts],
                )?;
                Some(id)
            }
            None => None,
        };
        dates
            .iter()
            .map(|d| insert(tx, &c, *d, series_id.as_deref()))
            .collect::<Result<Vec<_>>>()
    })?;
    ids.iter().map(|id| get(&db.conn, id)).collect()
}

/// Updates one occurrence, or — with `Following` — this and every later one of its series
/// (each keeps its own date; the date change is applied as a shift).
pub fn update(
    db: &mut Db,
    id: &str,
    input: &ActivityInput,
    scope: SeriesScope,
) -> Result<Activity> {
    let c = check(&db.conn, input)?;
    db.with_tx(|tx| {
        let current = get(tx, id)?;
        let targets: Vec<(String, NaiveDate)> = match (&current.series_id, scope) {
            (Some(series), SeriesScope::Following) => tx
                .prepare_cached(
                    "SELECT id, date FROM activity WHERE series_id = ?1 AND date >= ?2
                     ORDER BY date",
                )?
                .query_map(params![series, current.date], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .map(|r| {
                    let (id, d) = r?;
                    Ok((id, d.parse().unwrap_or(c.date)))
                })
                .collect::<Result<_>>()?,
            _ => vec![(id.to_string(), current.date.parse().unwrap_or(c.date))],
        };
        let current_date: NaiveDate = current.date.parse().unwrap_or(c.date);
        let shift = c.date - current_date;
        for (target, date) in &targets {
            write_update(tx, target, &c, *date + shift, scope == SeriesScope::This)?;
        }
        Ok(())
    })?;
    get(&db.conn, id)
}

fn write_update(
    tx: &Transaction,
    id: &str,
    c: &Checked,
    date: NaiveDate,
    exception: bool,
) -> Result<()> {
    let before = get(tx, id)?;
    tx.execute(
        "UPDATE activity SET title = ?2, date = ?3, start_time = ?4, end_time = ?5, unit_id = ?6,
             venue_type = ?7, venue = ?8, formats = ?9, audiences = ?10, laws = ?11, nodes = ?12,
             lead_person_id = ?13, partners = ?14, materials = ?15, expected_audience = ?16,
             notes = ?17, updated_at = ?18,
             series_exception = series_exception OR (?19 AND series_id IS NOT NULL)
         WHERE id = ?1",
        params![
            id,
            c.title,
            date.to_string(),
            c.start_time,
            c.end_time,
            c.unit_id,
            c.venue_type,
            c.venue,
            c.formats,
            c.audiences,
            c.laws,
            c.nodes,
            c.lead_person_id,
            c.partners,
            c.materials,
            c.expected_audience,
            c.notes,
            now(),
            exception
        ],
    )?;
    link_campaigns(tx, id, &c.campaign_ids)?;
    audit::changed(
        tx,
        "activity",
        id,
        "update",
        Some(&before),
        Some(&get(tx, id)?),
    )
}

/// Moves an activity to another day and/or time (drag and drop on the calendar).
pub fn reschedule(
    db: &mut Db,
    id: &str,
    date: &str,
    start_time: Option<&str>,
    end_time: Option<&str>,
) -> Result<Activity> {
    let current = get(&db.conn, id)?;
    let input = ActivityInput {
        date: date.to_string(),
        start_time: start_time.map(str::to_string),
        end_time: end_time.map(str::to_string),
        ..input_from(&current)
    };
    update(db, id, &input, SeriesScope::This)
}

/// The input that would recreate `a` (used to edit one field, copy a plan, apply undo).
pub fn input_from(a: &Activity) -> ActivityInput {
    ActivityInput {
        title: a.title.clone(),
        date: a.date.clone(),
        start_time: a.start_time.clone(),
        end_time: a.end_time.clone(),
        unit_id: a.unit_id.clone(),
        venue_type: a.venue_type.map(|v| v.code().to_string()),
        venue: Some(a.venue.clone()),
        formats: a.formats.iter().map(|f| f.code().to_string()).collect(),
        audiences: a.audiences.iter().map(|x| x.code().to_string()).collect(),
        laws: a.laws.clone(),
        campaign_ids: a.campaign_ids.clone(),
        nodes: a.nodes.clone(),
        lead_person_id: a.lead_person_id.clone(),
        partners: a.partners.clone(),
        materials: a.materials.clone(),
        expected_audience: a.expected_audience.map(i64::from),
        notes: Some(a.notes.clone()),
    }
}

/// Marks an activity cancelled or postponed (with a reason), or back to planned.
pub fn set_status(db: &mut Db, id: &str, status: &str, reason: Option<&str>) -> Result<Activity> {
    let status = ActivityStatus::parse("status", status)?;
    let reason = validate::notes("status_reason", reason, 300)?;
    if matches!(
        status,
        ActivityStatus::Cancelled | ActivityStatus::Postponed
    ) && reason.is_empty()
    {
        return Err(AppError::field(
            ErrorCode::Required,
            "status_reason",
            format!("标记为“{}”时请填写原因", status.label()),
        ));
    }
    db.with_tx(|tx| {
        let before = get(tx, id)?;
        tx.execute(
            "UPDATE activity SET status = ?2, status_reason = ?3, updated_at = ?4,
                 series_exception = CASE WHEN series_id IS NULL THEN 0 ELSE 1 END
             WHERE id = ?1",
            params![id, status.code(), reason, now()],
        )?;
        audit::changed(
            tx,
            "activity",
            id,
            "status",
            Some(&before),
            Some(&get(tx, id)?),
        )?;
        Ok(())
    })?;
    get(&db.conn, id)
}

/// Deletes one occurrence, or this and the later ones of its series. Returns the ids deleted.
pub fn delete(db: &mut Db, id: &str, scope: SeriesScope) -> Result<Vec<String>> {
    db.with_tx(|tx| {
        let current = get(tx, id)?;
        let ids: Vec<String> = match (&current.series_id, scope) {
            (Some(series), SeriesScope::Following) => tx
                .prepare_cached("SELECT id FROM activity WHERE series_id = ?1 AND date >= ?2")?
                .query_map(params![series, current.date], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
            _ => vec![id.to_string()],
        };
        for i in &ids {
            let before = get(tx, i)?;
            tx.execute("DELETE FROM activity WHERE id = ?1", [i])?;
            audit::changed(tx, "activity", i, "delete", Some(&before), None)?;
        }
        Ok(ids)
    })
}

/// The dates of a recurrence starting on `first` (which is the first occurrence).
pub fn expand(first: NaiveDate, r: &Recurrence) -> Result<Vec<NaiveDate>> {
    const MAX_OCCURRENCES: u32 = 1000;
    let last_allowed = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).expect("valid date");
    let interval = r.interval.unwrap_or(1);
    if !(1..=52).contains(&interval) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "interval",
            format!("重复间隔 {interval} 无效，应为 1—52"),
        ));
    }
    let until = match non_empty(r.until.as_deref()) {
        Some(u) => {
            let u = validate::date("until", u)?;
            if u < first {
                return Err(AppError::field(
                    ErrorCode::DateOrder,
                    "until",
                    format!("重复截止日期（{u}）早于第一次活动（{first}）"),
                ));
            }
            if u > last_allowed {
                return Err(AppError::field(
                    ErrorCode::InvalidValue,
                    "until",
                    format!("重复截止日期（{u}）超出 {LAST_YEAR} 年，请改早一些"),
                ));
            }
            Some(u)
        }
        None => None,
    };
    let count = match (until, r.count) {
        (None, None) => {
            return Err(AppError::field(
                ErrorCode::Required,
                "until",
                "重复活动没有结束：请填写截止日期或重复次数",
            ))
        }
        (_, Some(0)) => {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "count",
                "重复次数至少为1",
            ))
        }
        (_, Some(n)) if n > MAX_OCCURRENCES => {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "count",
                format!("重复次数 {n} 过多，最多 {MAX_OCCURRENCES} 次"),
            ))
        }
        (_, n) => n.unwrap_or(MAX_OCCURRENCES),
    };
    let nth = (first.day() - 1) / 7 + 1;
    let mut out = Vec::new();
    let mut step: u32 = 0;
    while (out.len() as u32) < count {
        let candidate = match r.freq {
            RecurrenceFreq::Weekly => Some(first + Duration::weeks((step * interval) as i64)),
            RecurrenceFreq::MonthlyDay => first
                .with_day(1)
                .and_then(|d| d.checked_add_months(Months::new(step * interval)))
                .and_then(|d| d.with_day(first.day())),
            RecurrenceFreq::MonthlyNthWeekday => first
                .with_day(1)
                .and_then(|d| d.checked_add_months(Months::new(step * interval)))
                .and_then(|m| {
                    let wd = first.weekday();
                    NaiveDate::from_weekday_of_month_opt(m.year(), m.month(), wd, nth as u8)
                        .or_else(|| {
                            // A 5th weekday that a month lacks becomes that month's last one.
                            NaiveDate::from_weekday_of_month_opt(m.year(), m.month(), wd, 4)
                        })
                }),
        };
        step += 1;
        let Some(d) = candidate else {
            if step > 12 * 100 + 1 {
                break;
            }
            continue;
        };
        if until.is_some_and(|u| d > u) {
            break;
        }
        if d > last_allowed {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                if r.count.is_some() { "count" } else { "until" },
                format!("重复活动会排到 {LAST_YEAR} 年以后，请减少次数或提前截止日期"),
            ));
        }
        out.push(d);
        if until.is_some() && r.count.is_none() && out.len() as u32 >= MAX_OCCURRENCES {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "until",
                format!("重复活动超过 {MAX_OCCURRENCES} 次，请提前截止日期"),
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
