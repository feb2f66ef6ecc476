//! Planned activities: what is to be held, where, when, for whom, by whom, with what
//! materials; linked to the campaigns and 普法 nodes it serves. Recurring activities are
//! stored as one row per occurrence (so the calendar is a plain date-range query), tied by
//! a series; a single occurrence can be edited or cancelled on its own.

use crate::audit;
use crate::db::{json_column, parsed_column, Db};
use crate::domain::{ActivityFormat, ActivityStatus, Audience, VenueType};
use crate::error::{AppError, ErrorCode, Result};
use crate::lunar::LAST_YEAR;
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

/// The activity's own columns besides the form's ([`writes::FORM_COLUMNS`]): its id and date,
/// its status and series, its time stamps.
const OWN_COLUMNS: &[&str] = &[
    "id",
    "date",
    "status",
    "status_reason",
    "series_id",
    "created_at",
    "updated_at",
];

/// The SELECT of a full activity: every declared column by its name, the names of its village
/// and lead person, its campaign links (`a` the activity).
fn select() -> &'static str {
    static SELECT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SELECT.get_or_init(|| {
        let mut cols: Vec<String> = OWN_COLUMNS
            .iter()
            .chain(writes::FORM_COLUMNS)
            .map(|c| format!("a.{c} AS {c}"))
            .collect();
        cols.push("u.name AS unit_name".into());
        cols.push("p.name AS lead_person_name".into());
        cols.push(
            "(SELECT json_group_array(campaign_id) FROM activity_campaign c
               WHERE c.activity_id = a.id) AS campaign_ids"
                .into(),
        );
        format!(
            "SELECT {} FROM activity a
               LEFT JOIN unit u ON u.id = a.unit_id
               LEFT JOIN person p ON p.id = a.lead_person_id",
            cols.join(", ")
        )
    })
}

/// A JSON column of [`select`], by name.
fn json<T: for<'de> Deserialize<'de>>(r: &Row, column: &str) -> rusqlite::Result<T> {
    json_column(r, r.as_ref().column_index(column)?, "活动")
}

/// An activity's stored date: unreadable is an error naming the activity, never a guess.
fn stored_date(id: &str, date: &str) -> Result<NaiveDate> {
    date.parse().map_err(|_| {
        AppError::new(
            ErrorCode::InvalidValue,
            format!(
                "活动（编号 {}）的日期“{}”无法识别",
                crate::validate::clip(id),
                crate::validate::clip(date)
            ),
        )
    })
}

/// A row of [`select`] as an activity, read by column name.
fn from_row(r: &Row) -> rusqlite::Result<Activity> {
    let mut campaign_ids: Vec<String> = json(r, "campaign_ids")?;
    campaign_ids.sort();
    let at = |column: &str| r.as_ref().column_index(column);
    Ok(Activity {
        id: r.get("id")?,
        title: r.get("title")?,
        date: r.get("date")?,
        start_time: r.get("start_time")?,
        end_time: r.get("end_time")?,
        unit_id: r.get("unit_id")?,
        unit_name: r.get("unit_name")?,
        // No place type: NULL (or '' in rows of early versions).
        venue_type: match r.get_ref("venue_type")?.as_str_or_null()? {
            None | Some("") => None,
            Some(_) => Some(parsed_column(r, at("venue_type")?, "活动", |s| {
                VenueType::parse("venue_type", s)
            })?),
        },
        venue: r.get("venue")?,
        formats: json(r, "formats")?,
        audiences: json(r, "audiences")?,
        laws: json(r, "laws")?,
        campaign_ids,
        nodes: json(r, "nodes")?,
        lead_person_id: r.get("lead_person_id")?,
        lead_person_name: r.get("lead_person_name")?,
        partners: json(r, "partners")?,
        materials: json(r, "materials")?,
        expected_audience: r.get("expected_audience")?,
        status: parsed_column(r, at("status")?, "活动", |s| {
            ActivityStatus::parse("status", s)
        })?,
        status_reason: r.get("status_reason")?,
        series_id: r.get("series_id")?,
        notes: r.get("notes")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Activity> {
    conn.query_row(&format!("{} WHERE a.id = ?1", select()), [id], from_row)
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
    let mut stmt = conn.prepare_cached(&format!("{} {FILTER_WHERE}", select()))?;
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
        Ok(CalendarItem {
            id: r.get(0)?,
            title: r.get(1)?,
            date: r.get(2)?,
            start_time: r.get(3)?,
            end_time: r.get(4)?,
            unit_id: r.get(5)?,
            unit_name: r.get(6)?,
            status: parsed_column(r, 7, "活动", |s| ActivityStatus::parse("status", s))?,
            series_id: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// The activity along its seams: the checks of an input and of a stored row (`checks`), the
// writes (`writes`), and the dates of a recurrence (`recurrence`).
mod checks;
mod recurrence;
mod writes;
pub(crate) use checks::*;
pub use recurrence::*;
pub use writes::*;

#[cfg(test)]
mod tests;
