//! Conflicts in a plan — warnings, never blocks: the same person or venue booked twice at
//! overlapping times; a village with two activities in the same half-day; an activity
//! outside its campaign's window; an activity on a statutory holiday; a village or school
//! activity on a weekend (not a 调休 working day); a school activity in the school's winter
//! or summer break. Each says why (the holiday's name, the break's dates, a market day). A
//! coordinator may ignore a warning; the decision is remembered per pair.
//! Also coverage: the villages (or, for a school campaign, the schools) a campaign has not
//! reached yet.

use crate::activity::{self, Activity, ActivityFilter};
use crate::db::Db;
use crate::domain::{ActivityFormat, ActivityStatus, UnitKind};
use crate::error::{AppError, ErrorCode, Result};
use crate::market;
use crate::workdays::{weekday_name, DayOff, WorkCalendar};
use crate::{now, validate};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ConflictKind {
    PersonDouble,
    VenueDouble,
    VillageHalfDay,
    OutsideCampaign,
    Holiday,
    /// A village or school activity on a Saturday or Sunday that is no make-up working day.
    Weekend,
    /// A school activity in the school's winter or summer break.
    SchoolBreak,
}

impl ConflictKind {
    fn code(self) -> &'static str {
        match self {
            ConflictKind::PersonDouble => "person_double",
            ConflictKind::VenueDouble => "venue_double",
            ConflictKind::VillageHalfDay => "village_half_day",
            ConflictKind::OutsideCampaign => "outside_campaign",
            ConflictKind::Holiday => "holiday",
            ConflictKind::Weekend => "weekend",
            ConflictKind::SchoolBreak => "school_break",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Conflict {
    pub kind: ConflictKind,
    /// The pair the "ignore" decision is remembered for: two activity ids (sorted), an
    /// activity and a campaign, or an activity and a date.
    pub a: String,
    pub b: String,
    pub activity_id: String,
    pub activity_title: String,
    pub other_activity_id: Option<String>,
    pub other_title: Option<String>,
    pub campaign_id: Option<String>,
    pub date: String,
    /// The warning in Chinese.
    pub message: String,
    /// The warning's parts, for the window to word it in another language.
    pub params: ConflictParams,
    pub ignored: bool,
}

/// What a warning says besides the activities' titles and date (in [`Conflict`]): the UI
/// words it from these in English; `message` is the Chinese. Absent parts do not apply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConflictParams {
    /// The person in charge of both (person_double).
    pub person: Option<String>,
    /// The times of the activity and of the other one ("09:00—11:30"); None: all day.
    pub time: Option<String>,
    pub other_time: Option<String>,
    /// The village or unit (venue_double, village_half_day, weekend's market day).
    pub unit: Option<String>,
    pub venue: Option<String>,
    /// village_half_day: both in the afternoon rather than the morning.
    pub afternoon: bool,
    /// outside_campaign: the campaign's name and dates.
    pub campaign: Option<String>,
    pub campaign_start: Option<String>,
    pub campaign_end: Option<String>,
    /// holiday: the statutory holiday's name (春节 …).
    pub holiday: Option<String>,
    /// school_break: "winter" or "summer", its first and last day, whether estimated.
    pub school_break: Option<String>,
    pub break_start: Option<String>,
    pub break_end: Option<String>,
    pub break_estimated: bool,
    /// weekend: a school's (no lessons) rather than a village's (not a working day).
    pub school: bool,
    /// weekend on a market day: the cycle (lunar or solar month, days ending in these digits,
    /// 0 for 10th/20th/30th) and whether a street campaign can keep the day.
    pub market_lunar: Option<bool>,
    #[ts(type = "Array<number>")]
    pub market_digits: Vec<u8>,
    pub market_kept: bool,
}

/// Minutes since midnight of an activity's span; all-day = the whole day; no end = 2 hours.
fn span(a: &Activity) -> (u32, u32) {
    let minutes = |t: &str| {
        let (h, m) = t.split_once(':').unwrap_or(("0", "0"));
        h.parse::<u32>().unwrap_or(0) * 60 + m.parse::<u32>().unwrap_or(0)
    };
    match (&a.start_time, &a.end_time) {
        (None, _) => (0, 24 * 60),
        (Some(s), None) => (minutes(s), (minutes(s) + 120).min(24 * 60)),
        (Some(s), Some(e)) => {
            let (s, e) = (minutes(s), minutes(e));
            (s, e.max(s + 1))
        }
    }
}

fn overlaps(a: &Activity, b: &Activity) -> bool {
    let (s1, e1) = span(a);
    let (s2, e2) = span(b);
    s1 < e2 && s2 < e1
}

/// 上午 / 下午 halves an activity touches.
fn halves(a: &Activity) -> (bool, bool) {
    let (s, e) = span(a);
    (s < 12 * 60, e > 12 * 60)
}

fn counts(a: &Activity) -> bool {
    !matches!(
        a.status,
        ActivityStatus::Cancelled | ActivityStatus::Postponed
    )
}

fn when(a: &Activity) -> String {
    match (&a.start_time, &a.end_time) {
        (Some(s), Some(e)) => format!("{} {s}—{e}", a.date),
        (Some(s), None) => format!("{} {s}", a.date),
        _ => format!("{}（全天）", a.date),
    }
}

/// An activity's time of day for [`ConflictParams`]; None when all day.
fn time_of(a: &Activity) -> Option<String> {
    match (&a.start_time, &a.end_time) {
        (Some(s), Some(e)) => Some(format!("{s}—{e}")),
        (Some(s), None) => Some(s.clone()),
        _ => None,
    }
}

fn pair(
    kind: ConflictKind,
    a: &Activity,
    b: &Activity,
    message: String,
    params: ConflictParams,
) -> Conflict {
    let (x, y) = if a.id <= b.id { (a, b) } else { (b, a) };
    Conflict {
        kind,
        a: x.id.clone(),
        b: y.id.clone(),
        activity_id: a.id.clone(),
        activity_title: a.title.clone(),
        other_activity_id: Some(b.id.clone()),
        other_title: Some(b.title.clone()),
        campaign_id: None,
        date: a.date.clone(),
        message,
        params,
        ignored: false,
    }
}

/// Conflicts between two activities on the same day.
fn between(a: &Activity, b: &Activity, village_units: &HashSet<String>) -> Vec<Conflict> {
    let mut out = Vec::new();
    if a.id == b.id || a.date != b.date || !counts(a) || !counts(b) {
        return out;
    }
    if let (Some(p), Some(q)) = (&a.lead_person_id, &b.lead_person_id) {
        if p == q && overlaps(a, b) {
            let name = a.lead_person_name.as_deref().unwrap_or("同一负责人");
            out.push(pair(
                ConflictKind::PersonDouble,
                a,
                b,
                format!(
                    "{name}同时负责“{}”（{}）和“{}”（{}）",
                    a.title,
                    when(a),
                    b.title,
                    when(b)
                ),
                ConflictParams {
                    person: a.lead_person_name.clone(),
                    time: time_of(a),
                    other_time: time_of(b),
                    ..Default::default()
                },
            ));
        }
    }
    let same_unit = a.unit_id.is_some() && a.unit_id == b.unit_id;
    if same_unit && !a.venue.is_empty() && a.venue == b.venue && overlaps(a, b) {
        out.push(pair(
            ConflictKind::VenueDouble,
            a,
            b,
            format!(
                "{}“{}”同一时间安排了“{}”和“{}”",
                a.unit_name.as_deref().unwrap_or(""),
                a.venue,
                a.title,
                b.title
            ),
            ConflictParams {
                unit: a.unit_name.clone(),
                venue: Some(a.venue.clone()),
                ..Default::default()
            },
        ));
    }
    if same_unit
        && a.unit_id
            .as_ref()
            .is_some_and(|u| village_units.contains(u))
    {
        let (am1, pm1) = halves(a);
        let (am2, pm2) = halves(b);
        if (am1 && am2) || (pm1 && pm2) {
            let half = if am1 && am2 { "上午" } else { "下午" };
            out.push(pair(
                ConflictKind::VillageHalfDay,
                a,
                b,
                format!(
                    "{}在 {} {half}有两场活动：“{}”和“{}”",
                    a.unit_name.as_deref().unwrap_or(""),
                    a.date,
                    a.title,
                    b.title
                ),
                ConflictParams {
                    unit: a.unit_name.clone(),
                    afternoon: !(am1 && am2),
                    ..Default::default()
                },
            ));
        }
    }
    out
}

struct CampaignWindow {
    name: String,
    start: String,
    end: String,
}

/// What the checks need to know of a unit.
struct UnitInfo {
    kind: UnitKind,
    market: Option<market::MarketCycle>,
}

/// Conflicts of one activity with its campaigns and the calendar: a statutory holiday for
/// any activity; a school break for a school's; a weekend for a village's or a school's.
fn own(
    a: &Activity,
    campaigns: &HashMap<String, CampaignWindow>,
    calendar: &mut WorkCalendar,
    units: &HashMap<String, UnitInfo>,
) -> Result<Vec<Conflict>> {
    let mut out = Vec::new();
    if !counts(a) {
        return Ok(out);
    }
    let single =
        |kind, b: String, campaign_id: Option<String>, message: String, params: ConflictParams| {
            Conflict {
                kind,
                a: a.id.clone(),
                b,
                activity_id: a.id.clone(),
                activity_title: a.title.clone(),
                other_activity_id: None,
                other_title: None,
                campaign_id,
                date: a.date.clone(),
                message,
                params,
                ignored: false,
            }
        };
    for id in &a.campaign_ids {
        if let Some(c) = campaigns.get(id) {
            if a.date < c.start || a.date > c.end {
                out.push(single(
                    ConflictKind::OutsideCampaign,
                    id.clone(),
                    Some(id.clone()),
                    format!(
                        "“{}”（{}）不在活动专项“{}”的时间内（{} 至 {}）",
                        a.title, a.date, c.name, c.start, c.end
                    ),
                    ConflictParams {
                        campaign: Some(c.name.clone()),
                        campaign_start: Some(c.start.clone()),
                        campaign_end: Some(c.end.clone()),
                        ..Default::default()
                    },
                ));
            }
        }
    }
    let Ok(date) = a.date.parse::<NaiveDate>() else {
        return Ok(out);
    };
    let unit = a.unit_id.as_ref().and_then(|u| units.get(u));
    let school = unit.is_some_and(|u| u.kind == UnitKind::School);
    let weekdays_count = unit.is_some_and(|u| u.kind.is_village_level() || school);
    let day = weekday_name(date);
    let warning = match calendar.day_off(date, school)? {
        Some(DayOff::Holiday(name)) => Some((
            ConflictKind::Holiday,
            format!(
                "“{}”安排在 {}（{day}），是{name}假期（法定节假日）",
                a.title, a.date
            ),
            ConflictParams {
                holiday: Some(name),
                ..Default::default()
            },
        )),
        Some(DayOff::SchoolBreak(b)) => Some((
            ConflictKind::SchoolBreak,
            format!(
                "“{}”安排在 {}（{day}），学校放{}，学生不在校",
                a.title,
                a.date,
                b.describe()
            ),
            ConflictParams {
                school_break: Some(
                    if b.name == "暑假" {
                        "summer"
                    } else {
                        "winter"
                    }
                    .into(),
                ),
                break_start: Some(b.start.to_string()),
                break_end: Some(b.end.to_string()),
                break_estimated: b.estimated,
                ..Default::default()
            },
        )),
        Some(DayOff::Weekend(_)) if weekdays_count => {
            let street = a.formats.contains(&ActivityFormat::StreetCampaign);
            let market_day = unit
                .and_then(|u| u.market.as_ref())
                .filter(|m| m.is_market_day(date));
            let params = ConflictParams {
                school,
                unit: market_day.and(a.unit_name.clone()),
                market_lunar: market_day.map(|m| m.lunar),
                market_digits: market_day.map(|m| m.digits.clone()).unwrap_or_default(),
                market_kept: market_day.is_some() && street,
                ..Default::default()
            };
            let market = market_day
                .map(|m| {
                    format!(
                        "；当天是{}赶集日（{}）{}",
                        a.unit_name.as_deref().unwrap_or(""),
                        m.describe(),
                        if street {
                            "，集中宣传可保留"
                        } else {
                            ""
                        }
                    )
                })
                .unwrap_or_default();
            let who = if school {
                "学校不上课"
            } else {
                "不是工作日"
            };
            Some((
                ConflictKind::Weekend,
                format!(
                    "“{}”安排在 {}（{day}），是周末，{who}{market}",
                    a.title, a.date
                ),
                params,
            ))
        }
        _ => None,
    };
    if let Some((kind, message, params)) = warning {
        out.push(single(kind, a.date.clone(), None, message, params));
    }
    Ok(out)
}

fn unit_infos(conn: &Connection) -> Result<HashMap<String, UnitInfo>> {
    let mut stmt = conn.prepare_cached("SELECT id, kind, market_days FROM unit")?;
    let what = "村/社区或单位";
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            UnitInfo {
                kind: crate::db::parsed_column(r, 1, what, |s| UnitKind::parse("kind", s))?,
                market: crate::db::parsed_column(r, 2, what, |s| {
                    market::MarketCycle::parse("market_days", s)
                })?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn village_units(units: &HashMap<String, UnitInfo>) -> HashSet<String> {
    units
        .iter()
        .filter(|(_, u)| u.kind.is_village_level())
        .map(|(id, _)| id.clone())
        .collect()
}

fn campaign_windows(
    conn: &Connection,
    ids: &HashSet<&String>,
) -> Result<HashMap<String, CampaignWindow>> {
    let mut stmt =
        conn.prepare_cached("SELECT name, start_date, end_date FROM campaign WHERE id = ?1")?;
    let mut out = HashMap::new();
    for id in ids {
        let w = stmt.query_row([id], |r| {
            Ok(CampaignWindow {
                name: r.get(0)?,
                start: r.get(1)?,
                end: r.get(2)?,
            })
        });
        if let Ok(w) = w {
            out.insert((*id).clone(), w);
        }
    }
    Ok(out)
}

fn ignored_pairs(conn: &Connection) -> Result<HashSet<(String, String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT kind, a, b FROM conflict_ignore")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn mark_ignored(conflicts: &mut [Conflict], ignored: &HashSet<(String, String, String)>) {
    for c in conflicts {
        c.ignored = ignored.contains(&(c.kind.code().to_string(), c.a.clone(), c.b.clone()));
    }
}

/// The conflicts one activity has now (what the save dialog shows). Ignored ones are left out.
pub fn for_activity(conn: &Connection, id: &str) -> Result<Vec<Conflict>> {
    let a = activity::get(conn, id)?;
    let same_day = activity::list(
        conn,
        &ActivityFilter {
            from: Some(a.date.clone()),
            to: Some(a.date.clone()),
            ..Default::default()
        },
    )?;
    let units = unit_infos(conn)?;
    let villages = village_units(&units);
    let mut out: Vec<Conflict> = same_day
        .iter()
        .flat_map(|b| between(&a, b, &villages))
        .collect();
    let ids: HashSet<&String> = a.campaign_ids.iter().collect();
    let windows = campaign_windows(conn, &ids)?;
    let mut calendar = WorkCalendar::new(conn);
    out.extend(own(&a, &windows, &mut calendar, &units)?);
    mark_ignored(&mut out, &ignored_pairs(conn)?);
    out.retain(|c| !c.ignored);
    Ok(out)
}

/// Every conflict among the activities of a period (default: a year), ignored ones marked.
pub fn list(conn: &Connection, from: &str, to: &str) -> Result<Vec<Conflict>> {
    let all = activity::list(
        conn,
        &ActivityFilter {
            from: Some(from.to_string()),
            to: Some(to.to_string()),
            ..Default::default()
        },
    )?;
    let units = unit_infos(conn)?;
    let villages = village_units(&units);
    let ids: HashSet<&String> = all.iter().flat_map(|a| &a.campaign_ids).collect();
    let windows = campaign_windows(conn, &ids)?;
    let mut calendar = WorkCalendar::new(conn);
    let mut out = Vec::new();
    // Activities come sorted by date: compare each with the later ones of the same day.
    for (i, a) in all.iter().enumerate() {
        for b in all[i + 1..].iter().take_while(|b| b.date == a.date) {
            out.extend(between(a, b, &villages));
        }
        out.extend(own(a, &windows, &mut calendar, &units)?);
    }
    mark_ignored(&mut out, &ignored_pairs(conn)?);
    Ok(out)
}

/// The conflicts of a year (`conflicts --year Y`).
pub fn for_year(conn: &Connection, year: i32) -> Result<Vec<Conflict>> {
    crate::keydates::rule::check_year(year)?;
    list(
        conn,
        &format!("{year:04}-01-01"),
        &format!("{year:04}-12-31"),
    )
}

/// Remembers (or forgets) the coordinator's "ignore" for one warning.
pub fn set_ignored(db: &mut Db, kind: ConflictKind, a: &str, b: &str, ignored: bool) -> Result<()> {
    if a.trim().is_empty() || b.trim().is_empty() {
        return Err(AppError::field(
            ErrorCode::Required,
            "conflict",
            "缺少冲突的双方",
        ));
    }
    db.with_tx(|tx| {
        if ignored {
            tx.execute(
                "INSERT OR IGNORE INTO conflict_ignore (kind, a, b, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![kind.code(), a, b, now()],
            )?;
        } else {
            tx.execute(
                "DELETE FROM conflict_ignore WHERE kind = ?1 AND a = ?2 AND b = ?3",
                params![kind.code(), a, b],
            )?;
        }
        let action = if ignored { "ignore" } else { "unignore" };
        let summary = format!(
            "{}冲突提醒（{}）",
            if ignored { "忽略" } else { "取消忽略" },
            kind.code()
        );
        crate::audit::note(
            tx,
            "conflict",
            &format!("{}:{a}:{b}", kind.code()),
            action,
            &summary,
        )?;
        Ok(())
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CoverageUnit {
    pub unit_id: String,
    pub name: String,
    pub kind: UnitKind,
    /// Activities of the campaign in this unit (cancelled and postponed ones left out).
    pub activities: u32,
}

/// What a campaign's coverage is counted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CoverageScope {
    /// Villages and communities: "每个村（社区）至少一场".
    Villages,
    /// Schools: a campaign held only in schools (开学第一课, 宪法晨读 …).
    Schools,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Coverage {
    pub campaign_id: String,
    pub campaign_name: String,
    pub scope: CoverageScope,
    /// Villages and communities, or schools (not archived).
    pub total: u32,
    pub covered: Vec<CoverageUnit>,
    /// The units with no activity yet — "every village at least one session".
    pub missing: Vec<CoverageUnit>,
}

/// A school campaign is one whose activities are all in schools, or, with no activities yet,
/// one for students, teachers and parents only.
fn coverage_scope(
    conn: &Connection,
    campaign: &crate::campaign::Campaign,
) -> Result<CoverageScope> {
    let (schools, others): (u32, u32) = conn.prepare_cached(
        "SELECT count(*) FILTER (WHERE u.kind = 'school'), count(*) FILTER (WHERE u.kind <> 'school')
         FROM activity a
         JOIN activity_campaign ac ON ac.activity_id = a.id AND ac.campaign_id = ?1
         JOIN unit u ON u.id = a.unit_id
         WHERE a.status NOT IN ('cancelled', 'postponed')",
    )?
    .query_row([&campaign.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    use crate::domain::Audience;
    let students_only = !campaign.audiences.is_empty()
        && campaign
            .audiences
            .iter()
            .all(|a| matches!(a, Audience::Students | Audience::TeachersParents));
    let for_schools = (schools > 0 && others == 0) || (schools + others == 0 && students_only);
    Ok(if for_schools {
        CoverageScope::Schools
    } else {
        CoverageScope::Villages
    })
}

/// Which villages/communities — or, for a school campaign, which schools — a campaign has
/// reached with at least one activity.
pub fn coverage(conn: &Connection, campaign_id: &str) -> Result<Coverage> {
    let campaign = crate::campaign::get(conn, campaign_id)?;
    let scope = coverage_scope(conn, &campaign)?;
    let kinds = match scope {
        CoverageScope::Villages => "('village', 'community')",
        CoverageScope::Schools => "('school')",
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT u.id, u.name, u.kind,
                (SELECT count(*) FROM activity a
                 JOIN activity_campaign ac ON ac.activity_id = a.id AND ac.campaign_id = ?1
                 WHERE a.unit_id = u.id AND a.status NOT IN ('cancelled', 'postponed'))
         FROM unit u
         WHERE u.kind IN {kinds} AND u.archived = 0
         ORDER BY u.sort_order, u.name"
    ))?;
    let rows = stmt.query_map([campaign_id], |r| {
        Ok(CoverageUnit {
            unit_id: r.get(0)?,
            name: r.get(1)?,
            kind: crate::db::parsed_column(r, 2, "村/社区或单位", |s| {
                UnitKind::parse("kind", s)
            })?,
            activities: r.get(3)?,
        })
    })?;
    let units: Vec<CoverageUnit> = rows.collect::<rusqlite::Result<_>>()?;
    let total = units.len() as u32;
    let (covered, missing) = units.into_iter().partition(|u| u.activities > 0);
    Ok(Coverage {
        campaign_id: campaign.id,
        campaign_name: campaign.name,
        scope,
        total,
        covered,
        missing,
    })
}

/// Parses a conflict kind from the CLI or the window.
pub fn parse_kind(s: &str) -> Result<ConflictKind> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).map_err(|_| {
        AppError::field(
            ErrorCode::InvalidValue,
            "kind",
            format!("冲突类型“{}”无效", validate::clip(s)),
        )
    })
}

#[cfg(test)]
mod tests;
