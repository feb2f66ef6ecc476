//! The plan as an iCalendar file (RFC 5545) for phone and desktop calendars: campaigns as
//! all-day (multi-day) events, activities with their date and times in Asia/Shanghai.
//!
//! UIDs are stable (`activity-{id}@pufa-planner`, `campaign-{id}@pufa-planner`) and DTSTAMP,
//! LAST-MODIFIED and SEQUENCE come from the record's `updated_at`, so importing the file again
//! updates the events instead of duplicating them, and exporting an unchanged plan twice gives
//! the same bytes. The format itself is written by the `icalendar` crate.

use super::{iso_date, write_atomic, Exported};
use crate::activity::{self, Activity, ActivityFilter};
use crate::campaign::{self, ArchiveFilter, Campaign, CampaignFilter};
use crate::domain::ActivityStatus;
use crate::error::{AppError, ErrorCode, Result};
use crate::keydates;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use icalendar::{
    Calendar, CalendarComponent, CalendarDateTime, Component, Event, EventLike, EventStatus,
};
use rusqlite::Connection;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// The time zone of every timed activity.
pub const TZID: &str = "Asia/Shanghai";

/// Asia/Shanghai has been UTC+8 without daylight saving since 1991. Written with explicit
/// DTSTAMP/UID because the `icalendar` crate adds them (with the current time and a random id)
/// to every component that lacks them; fixed values keep the file reproducible.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r
TZID:Asia/Shanghai\r
X-LIC-LOCATION:Asia/Shanghai\r
DTSTAMP:19910915T000000Z\r
UID:timezone-asia-shanghai@pufa-planner\r
BEGIN:STANDARD\r
DTSTART:19910915T020000\r
TZOFFSETFROM:+0800\r
TZOFFSETTO:+0800\r
TZNAME:CST\r
DTSTAMP:19910915T000000Z\r
UID:timezone-asia-shanghai-standard@pufa-planner\r
END:STANDARD\r
END:VTIMEZONE\r
";

pub fn activity_uid(id: &str) -> String {
    format!("activity-{id}@pufa-planner")
}

pub fn campaign_uid(id: &str) -> String {
    format!("campaign-{id}@pufa-planner")
}

/// Writes the whole plan (every campaign and every activity that is not cancelled), or one
/// campaign and its activities, to `path`. `count` is the number of events written.
pub fn export(conn: &Connection, path: &Path, campaign_id: Option<&str>) -> Result<Exported> {
    let (calendar, count) = build(conn, campaign_id)?;
    let text = calendar.to_string();
    write_atomic(path, |f| {
        f.write_all(text.as_bytes())
            .map_err(|e| super::io_error(path, &e))
    })?;
    Ok(Exported {
        path: path.display().to_string(),
        count,
    })
}

/// The calendar and the number of events in it.
pub fn build(conn: &Connection, campaign_id: Option<&str>) -> Result<(Calendar, u32)> {
    let town = crate::town::get_town(conn)?
        .map(|t| t.name)
        .unwrap_or_default();
    let (name, campaigns, activities) = match campaign_id.map(str::trim) {
        Some(id) if !id.is_empty() => {
            let c = campaign::get(conn, id).map_err(|e| AppError {
                field: Some("campaign_id".into()),
                ..e
            })?;
            let acts = activity::list(
                conn,
                &ActivityFilter {
                    campaign_id: Some(c.id.clone()),
                    ..Default::default()
                },
            )?;
            (format!("{town}普法活动计划·{}", c.name), vec![c], acts)
        }
        _ => {
            let all = campaign::list(
                conn,
                &CampaignFilter {
                    status: ArchiveFilter::All,
                    ..Default::default()
                },
            )?;
            let acts = activity::list(conn, &ActivityFilter::default())?;
            (format!("{town}普法活动计划"), all, acts)
        }
    };
    // Names of every campaign an activity links to (also those outside a one-campaign export).
    let campaign_names: HashMap<String, String> = if campaign_id.is_some() {
        campaign::list(
            conn,
            &CampaignFilter {
                status: ArchiveFilter::All,
                ..Default::default()
            },
        )?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect()
    } else {
        campaigns
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect()
    };
    let node_names = node_names(conn)?;

    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Pufa Planner//普法活动规划与台账//ZH"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .name(&name)
        .timezone(TZID);
    let tz: CalendarComponent = VTIMEZONE
        .parse()
        .map_err(|e| AppError::new(ErrorCode::Io, format!("时区定义无效：{e}")))?;
    cal.push(tz);
    let mut count = 0u32;
    for c in &campaigns {
        if let Some(e) = campaign_event(c, &node_names) {
            cal.push(e);
            count += 1;
        }
    }
    for a in activities
        .iter()
        .filter(|a| a.status != ActivityStatus::Cancelled)
    {
        if let Some(e) = activity_event(a, &campaign_names) {
            cal.push(e);
            count += 1;
        }
    }
    Ok((cal.done(), count))
}

/// Names of the national and local nodes, by code.
fn node_names(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut out: HashMap<String, String> = keydates::national_nodes()
        .iter()
        .map(|n| (n.code.clone(), n.name.clone()))
        .collect();
    out.extend(
        keydates::local_nodes(conn)?
            .into_iter()
            .map(|n| (n.code, n.name)),
    );
    Ok(out)
}

fn utc(ts: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(ts)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// SEQUENCE from `updated_at`: seconds since 2020, so every later edit has a higher number.
fn sequence(updated: DateTime<Utc>) -> u32 {
    let base = Utc
        .with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
        .single()
        .expect("valid date");
    (updated - base).num_seconds().clamp(0, i32::MAX as i64) as u32
}

/// UID, DTSTAMP, LAST-MODIFIED, CREATED and SEQUENCE.
fn stamp(e: &mut Event, uid: &str, created_at: &str, updated_at: &str) {
    let updated = utc(updated_at);
    e.uid(uid)
        .timestamp(updated)
        .last_modified(updated)
        .created(utc(created_at))
        .sequence(sequence(updated));
}

/// "标签：值" lines, skipping the empty ones.
fn lines(items: &[(&str, String)]) -> String {
    items
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}：{v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn campaign_event(c: &Campaign, node_names: &HashMap<String, String>) -> Option<Event> {
    let start = iso_date(&c.start_date)?;
    let end = iso_date(&c.end_date)?;
    let nodes: Vec<&str> = c
        .nodes
        .iter()
        .map(|code| node_names.get(code).map_or(code.as_str(), String::as_str))
        .collect();
    let mut e = Event::new();
    stamp(&mut e, &campaign_uid(&c.id), &c.created_at, &c.updated_at);
    e.summary(&c.name)
        .starts(start)
        // DTEND of an all-day event is exclusive: the day after the last day.
        .ends(end + Duration::days(1))
        .description(&campaign_description(c, &nodes))
        .status(EventStatus::Confirmed)
        .categories(["活动专项"])
        .add_property("TRANSP", "TRANSPARENT");
    Some(e)
}

fn campaign_description(c: &Campaign, nodes: &[&str]) -> String {
    lines(&[
        ("类型", c.kind.label().to_string()),
        ("普法节点", nodes.join("、")),
        (
            "宣传对象",
            c.audiences
                .iter()
                .map(|a| a.label())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ("法律/主题", c.themes.join("、")),
        ("牵头单位", c.lead_unit.clone()),
        ("备注", c.notes.clone()),
    ])
}

/// "宪法读本30册、宪法宣传折页100份".
pub(crate) fn materials_text(a: &Activity) -> String {
    a.materials
        .iter()
        .map(|m| format!("{}{}{}", m.item, m.quantity, m.unit))
        .collect::<Vec<_>>()
        .join("、")
}

/// The description of an activity: its campaigns, formats, audiences, laws, lead, partners,
/// planned materials, expected audience, status (when not planned) and notes.
pub fn activity_description(a: &Activity, campaign_names: &HashMap<String, String>) -> String {
    let campaigns: Vec<&str> = a
        .campaign_ids
        .iter()
        .filter_map(|id| campaign_names.get(id).map(String::as_str))
        .collect();
    let status = match a.status {
        ActivityStatus::Planned => String::new(),
        s if a.status_reason.is_empty() => s.label().to_string(),
        s => format!("{}（{}）", s.label(), a.status_reason),
    };
    lines(&[
        ("活动专项", campaigns.join("、")),
        (
            "形式",
            a.formats
                .iter()
                .map(|f| f.label())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        (
            "对象",
            a.audiences
                .iter()
                .map(|x| x.label())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ("法律法规", a.laws.join("、")),
        ("负责人", a.lead_person_name.clone().unwrap_or_default()),
        ("协办单位", a.partners.join("、")),
        ("计划资料", materials_text(a)),
        (
            "预计人数",
            a.expected_audience
                .map(|n| format!("{n}人"))
                .unwrap_or_default(),
        ),
        ("状态", status),
        ("备注", a.notes.clone()),
    ])
}

/// "安静村 村委会院坝".
pub(crate) fn location(a: &Activity) -> String {
    let venue = if a.venue.is_empty() {
        a.venue_type
            .map(|v| v.label().to_string())
            .unwrap_or_default()
    } else {
        a.venue.clone()
    };
    [a.unit_name.clone().unwrap_or_default(), venue]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn at(date: NaiveDate, time: &str) -> Option<CalendarDateTime> {
    let t = NaiveTime::parse_from_str(time, "%H:%M").ok()?;
    Some(CalendarDateTime::WithTimezone {
        date_time: date.and_time(t),
        tzid: TZID.to_string(),
    })
}

fn activity_event(a: &Activity, campaign_names: &HashMap<String, String>) -> Option<Event> {
    let date = iso_date(&a.date)?;
    let mut e = Event::new();
    stamp(&mut e, &activity_uid(&a.id), &a.created_at, &a.updated_at);
    e.summary(&a.title);
    match a.start_time.as_deref().and_then(|s| at(date, s)) {
        Some(start) => {
            e.starts(start);
            // Without an end time the event is a point in time (RFC 5545 §3.6.1).
            if let Some(end) = a.end_time.as_deref().and_then(|s| at(date, s)) {
                e.ends(end);
            }
        }
        None => {
            e.starts(date).ends(date + Duration::days(1));
        }
    }
    let place = location(a);
    if !place.is_empty() {
        e.location(&place);
    }
    let description = activity_description(a, campaign_names);
    if !description.is_empty() {
        e.description(&description);
    }
    e.status(match a.status {
        ActivityStatus::Postponed => EventStatus::Tentative,
        _ => EventStatus::Confirmed,
    })
    .categories(["普法活动"]);
    Some(e)
}

#[cfg(test)]
mod tests;
