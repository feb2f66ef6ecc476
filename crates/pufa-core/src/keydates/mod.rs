//! 普法 key dates (普法节点): the national catalogue shipped in `data/keydates.json`, the
//! coordinator's per-year overrides and local nodes, and the dates of every node in a year.

pub mod rule;

use crate::db::Db;
use crate::domain::Audience;
use crate::error::{AppError, ErrorCode, Result};
use crate::school_calendar::{self, SchoolCalendar};
use crate::{new_id, now, validate};
use chrono::{Duration, NaiveDate};
use rule::{check_year, DateRule, SchoolCalendars, FIRST_YEAR, LAST_YEAR};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;
use ts_rs::TS;

/// The 集中宣传期 around a node's core dates, in days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Window {
    pub before: u32,
    pub after: u32,
}

/// A node and its rule: national (from the catalogue) or local (added by the coordinator).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyDateNode {
    /// Stable code: "constitution_week" for national nodes, the record id for local ones.
    pub code: String,
    pub name: String,
    pub start: DateRule,
    /// Range end; an end that falls before the start is taken in the next year.
    #[serde(default)]
    pub end: Option<DateRule>,
    /// Length in days when there is no end rule (a week from the 3rd Monday: 7).
    #[serde(default)]
    pub days: Option<u32>,
    /// Dates announced each year; the rule is only the default.
    #[serde(default)]
    pub announced: bool,
    /// First year the node exists (民法典宣传月 since 2021); absent before.
    #[serde(default)]
    pub since: Option<i32>,
    /// Last year the node existed (12·4 全国法制宣传日 until 2013, then 国家宪法日).
    #[serde(default)]
    pub until: Option<i32>,
    /// In the standard set a township plans each year (`plan generate` without nodes).
    #[serde(default)]
    pub standard: bool,
    #[serde(default)]
    pub window: Window,
    #[serde(default)]
    pub laws: Vec<String>,
    #[serde(default)]
    pub audiences: Vec<Audience>,
    #[serde(default)]
    pub lead_agency: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub local: bool,
}

/// A year's dates and theme for a node, built in or entered by the coordinator.
#[derive(Debug, Clone, Deserialize)]
struct BuiltinOverride {
    node: String,
    year: i32,
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    /// The theme in English, for the English window (exports keep the Chinese).
    #[serde(default)]
    theme_en: Option<String>,
    /// Where the dates or theme were published (kept for whoever checks the table).
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Catalogue {
    nodes: Vec<KeyDateNode>,
    overrides: Vec<BuiltinOverride>,
}

/// Where a year's dates came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DateSource {
    /// Computed from the rule.
    Rule,
    /// The published dates, shipped with the app (宪法宣传周 2018–2025).
    Published,
    /// Entered by the coordinator for this year.
    Override,
    /// Announced each year and not yet published for this year (待公布): the rule's date is
    /// provisional until the coordinator confirms or enters the published one.
    Provisional,
}

/// One node in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyDate {
    pub code: String,
    pub name: String,
    pub year: i32,
    /// ISO dates of the core day or range.
    pub start: String,
    pub end: String,
    /// The 集中宣传期 (equals start/end when the node has no window).
    pub window_start: String,
    pub window_end: String,
    /// The rule in Chinese: "9月第三个星期六", "12月1日至12月7日（每年公布，此为默认）".
    pub rule: String,
    /// F, NW, LW, M, LUN, ST or ANN (the domain reference's codes).
    pub rule_kind: String,
    /// The rule as data, for a description in another language than `rule`'s Chinese: the
    /// start, the end (or the length in days) and whether the dates are published each year.
    pub start_rule: DateRule,
    pub end_rule: Option<DateRule>,
    pub days: Option<u32>,
    pub announced: bool,
    pub laws: Vec<String>,
    pub audiences: Vec<Audience>,
    pub lead_agency: String,
    /// This year's theme, published or entered; empty when not known yet.
    pub theme: String,
    /// The published theme in English; empty for a theme the coordinator typed in.
    pub theme_en: String,
    /// When `theme` is empty: the latest earlier year's theme, offered as a draft to confirm.
    pub theme_draft: String,
    pub theme_draft_en: String,
    pub theme_draft_year: Option<i32>,
    pub doc_number: String,
    pub note: String,
    pub source: DateSource,
    pub local: bool,
    /// The first year the node exists, when known.
    pub since: Option<i32>,
    /// In the standard set of a township's year plan.
    pub standard: bool,
}

/// A node's theme in a year, as the reports quote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NodeTheme {
    pub text: String,
    /// The year the theme is of: `year` when confirmed, an earlier one for a draft.
    pub year: i32,
    /// Published or entered for this year; false for last year's theme offered as a draft.
    pub confirmed: bool,
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        serde_json::from_str(include_str!("../../data/keydates.json"))
            .expect("data/keydates.json is valid (checked by a unit test)")
    })
}

/// The national nodes shipped with the app.
pub fn national_nodes() -> &'static [KeyDateNode] {
    &catalogue().nodes
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl KeyDateNode {
    /// Whether the node exists in `year` (from `since`, up to `until`).
    pub fn exists_in(&self, year: i32) -> bool {
        self.since.is_none_or(|s| year >= s) && self.until.is_none_or(|u| year <= u)
    }

    /// The core dates in `year` by rule (school days from the estimated school calendar), or
    /// None when the node does not exist that year.
    pub fn dates_in(&self, year: i32) -> Result<Option<(NaiveDate, NaiveDate)>> {
        self.dates_with(year, &school_calendar::estimate)
    }

    /// `dates_in` with the county's school calendars.
    pub fn dates_with(
        &self,
        year: i32,
        schools: SchoolCalendars,
    ) -> Result<Option<(NaiveDate, NaiveDate)>> {
        check_year(year)?;
        if !self.exists_in(year) {
            return Ok(None);
        }
        let start = self.start.day_with(year, false, "start", schools)?;
        let end = match &self.end {
            None if matches!(self.start, DateRule::Month { .. } | DateRule::WeekOf { .. }) => {
                self.start.day_with(year, true, "start", schools)?
            }
            None => start + Duration::days(self.days.unwrap_or(1).max(1) as i64 - 1),
            Some(rule) => {
                let same_year = rule.day_with(year, true, "end", schools)?;
                if same_year >= start {
                    same_year
                } else {
                    rule.day_with(year + 1, true, "end", schools)?
                }
            }
        };
        Ok(Some((start, end)))
    }

    pub fn describe(&self) -> String {
        let mut text = self.start.describe();
        if let Some(end) = &self.end {
            if *end != self.start {
                text = format!("{text}至{}", end.describe());
            }
        } else if let Some(days) = self.days.filter(|d| *d > 1) {
            text = format!("{text}起{days}天");
        }
        // Both ends on the school calendar: say so once, at the end.
        if text.matches(rule::BY_SCHOOL_CALENDAR).count() > 1 {
            text = text.replacen(rule::BY_SCHOOL_CALENDAR, "", 1);
        }
        if self.announced {
            text.push_str("（每年公布，此为默认）");
        }
        text
    }

    fn rule_kind(&self) -> &'static str {
        if self.announced {
            "ANN"
        } else {
            self.start.kind_code()
        }
    }

    /// Checks the rule gives a date in every year the engine covers, so a plan never meets a
    /// year where the node silently vanishes (5th Monday of February, 2月30日).
    fn check_every_year(&self) -> Result<()> {
        self.start.validate("start")?;
        if let Some(end) = &self.end {
            end.validate("end")?;
        }
        for year in FIRST_YEAR..=LAST_YEAR {
            self.dates_in(year)?;
        }
        Ok(())
    }
}

/// A coordinator's entry for one node and year.
#[derive(Debug, Clone, Default)]
struct YearOverride {
    dates: Option<(String, String)>,
    theme: String,
    theme_en: String,
    doc_number: String,
    published: bool,
}

/// An earlier year's theme: the year, the theme and its English (empty when typed in).
type EarlierTheme = (i32, String, String);
/// The themes of earlier years: node code → the latest year's theme.
type EarlierThemes = HashMap<String, EarlierTheme>;

fn keep_latest(themes: &mut EarlierThemes, code: &str, year: i32, theme: &str, theme_en: &str) {
    if theme.is_empty() {
        return;
    }
    let latest = (year, theme.to_string(), theme_en.to_string());
    let e = themes.entry(code.to_string()).or_insert(latest.clone());
    if year >= e.0 {
        *e = latest;
    }
}

/// Every node's dates in `year`, sorted by start date; overrides from `overrides`, drafts of
/// the theme from `earlier`.
fn compute_year(
    nodes: &[KeyDateNode],
    overrides: &HashMap<&str, YearOverride>,
    earlier: &EarlierThemes,
    year: i32,
    schools: SchoolCalendars,
) -> Result<Vec<KeyDate>> {
    check_year(year)?;
    let mut out = Vec::with_capacity(nodes.len());
    for node in nodes {
        let Some((rule_start, rule_end)) = node.dates_with(year, schools)? else {
            continue;
        };
        let ov = overrides.get(node.code.as_str());
        let (start, end, source) = match ov {
            Some(YearOverride {
                dates: Some((s, e)),
                published,
                ..
            }) => {
                let source = if *published {
                    DateSource::Published
                } else {
                    DateSource::Override
                };
                // A stored date that cannot be read is an error naming the node, never its rule's.
                let stored = |d: &str| {
                    NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                        AppError::new(
                            ErrorCode::InvalidValue,
                            format!(
                                "{year}年“{}”存的日期“{}”无法识别",
                                node.name,
                                validate::clip(d)
                            ),
                        )
                    })
                };
                (stored(s)?, stored(e)?, source)
            }
            _ if node.announced => (rule_start, rule_end, DateSource::Provisional),
            _ => (rule_start, rule_end, DateSource::Rule),
        };
        let theme = ov.map(|o| o.theme.clone()).unwrap_or_default();
        let theme_en = ov.map(|o| o.theme_en.clone()).unwrap_or_default();
        let draft = earlier
            .get(&node.code)
            .filter(|_| theme.is_empty())
            .cloned();
        out.push(KeyDate {
            code: node.code.clone(),
            name: node.name.clone(),
            year,
            start: iso(start),
            end: iso(end),
            window_start: iso(start - Duration::days(node.window.before as i64)),
            window_end: iso(end + Duration::days(node.window.after as i64)),
            rule: node.describe(),
            rule_kind: node.rule_kind().to_string(),
            start_rule: node.start.clone(),
            end_rule: node.end.clone(),
            days: node.days,
            announced: node.announced,
            laws: node.laws.clone(),
            audiences: node.audiences.clone(),
            lead_agency: node.lead_agency.clone(),
            theme,
            theme_en,
            theme_draft: draft.as_ref().map(|d| d.1.clone()).unwrap_or_default(),
            theme_draft_en: draft.as_ref().map(|d| d.2.clone()).unwrap_or_default(),
            theme_draft_year: draft.map(|d| d.0),
            doc_number: ov.map(|o| o.doc_number.clone()).unwrap_or_default(),
            note: node.note.clone(),
            source,
            local: node.local,
            since: node.since,
            standard: node.standard,
        });
    }
    out.sort_by(|a, b| (&a.start, &a.end, &a.name).cmp(&(&b.start, &b.end, &b.name)));
    Ok(out)
}

/// The national nodes of `year` with only the published dates and themes and the estimated
/// school calendar (no database).
pub fn national_year(year: i32) -> Result<Vec<KeyDate>> {
    let overrides = builtin_overrides(year);
    let earlier = builtin_earlier_themes(year);
    compute_year(
        national_nodes(),
        &overrides,
        &earlier,
        year,
        &school_calendar::estimate,
    )
}

fn builtin_earlier_themes(year: i32) -> EarlierThemes {
    let mut out = EarlierThemes::new();
    for o in catalogue().overrides.iter().filter(|o| o.year < year) {
        keep_latest(
            &mut out,
            &o.node,
            o.year,
            o.theme.as_deref().unwrap_or(""),
            o.theme_en.as_deref().unwrap_or(""),
        );
    }
    out
}

/// The English of a published theme (the same words as a year of the catalogue: confirmed as
/// a draft or typed in again); empty for the coordinator's own words, shown as typed.
fn published_theme_en(theme: &str) -> &'static str {
    catalogue()
        .overrides
        .iter()
        .find(|o| o.theme.as_deref() == Some(theme))
        .and_then(|o| o.theme_en.as_deref())
        .unwrap_or("")
}

fn builtin_overrides(year: i32) -> HashMap<&'static str, YearOverride> {
    catalogue()
        .overrides
        .iter()
        .filter(|o| o.year == year)
        .map(|o| {
            let dates = o.start.clone().zip(o.end.clone());
            let entry = YearOverride {
                published: dates.is_some(),
                dates,
                theme: o.theme.clone().unwrap_or_default(),
                theme_en: o.theme_en.clone().unwrap_or_default(),
                doc_number: String::new(),
            };
            (o.node.as_str(), entry)
        })
        .collect()
}

/// Every node of `year` — national and local — with built-in and coordinator overrides.
pub fn for_year(conn: &Connection, year: i32) -> Result<Vec<KeyDate>> {
    check_year(year)?;
    let mut nodes = national_nodes().to_vec();
    nodes.extend(local_nodes(conn)?);
    let mut overrides: HashMap<&str, YearOverride> = builtin_overrides(year);
    let mut stmt = conn.prepare_cached(
        "SELECT node_code, start_date, end_date, theme, doc_number
         FROM keydate_override WHERE year = ?1",
    )?;
    let rows = stmt.query_map([year], |r| {
        let dates = r
            .get::<_, Option<String>>(1)?
            .zip(r.get::<_, Option<String>>(2)?);
        Ok((
            r.get::<_, String>(0)?,
            dates,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    for row in rows {
        let (code, dates, theme, doc_number) = row?;
        let Some(node) = nodes.iter().find(|n| n.code == code) else {
            continue;
        };
        let entry = overrides.entry(node.code.as_str()).or_default();
        if dates.is_some() {
            entry.dates = dates;
            entry.published = false;
        }
        // A coordinator's empty theme keeps the published one.
        if !theme.is_empty() {
            entry.theme_en = published_theme_en(&theme).to_string();
            entry.theme = theme;
        }
        entry.doc_number = doc_number;
    }
    let mut earlier = builtin_earlier_themes(year);
    let mut stmt = conn.prepare_cached(
        "SELECT node_code, year, theme FROM keydate_override WHERE year < ?1 AND theme <> ''",
    )?;
    let rows: Vec<(String, i32, String)> = stmt
        .query_map([year], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (code, y, theme) in rows {
        keep_latest(&mut earlier, &code, y, &theme, published_theme_en(&theme));
    }
    let calendars = school_calendars(conn, year)?;
    let schools = |y: i32| {
        calendars
            .get(&y)
            .cloned()
            .unwrap_or_else(|| school_calendar::estimate(y))
    };
    compute_year(&nodes, &overrides, &earlier, year, &schools)
}

/// The school calendars a year's rules may ask for (the year and the next).
fn school_calendars(conn: &Connection, year: i32) -> Result<HashMap<i32, SchoolCalendar>> {
    let mut out = HashMap::new();
    for y in [year, year + 1] {
        if (FIRST_YEAR..=LAST_YEAR).contains(&y) {
            out.insert(y, school_calendar::year(conn, y)?);
        }
    }
    Ok(out)
}

/// A node's theme in `year` — what reports and campaign descriptions quote: the published or
/// entered theme (`confirmed`), else the latest earlier year's as a draft; None when the node
/// has no theme yet or does not exist that year.
pub fn theme(conn: &Connection, code: &str, year: i32) -> Result<Option<NodeTheme>> {
    let Some(k) = for_year(conn, year)?.into_iter().find(|k| k.code == code) else {
        return Ok(None);
    };
    Ok(k.theme_line())
}

impl KeyDate {
    /// The theme as [`theme`] gives it.
    pub fn theme_line(&self) -> Option<NodeTheme> {
        if !self.theme.is_empty() {
            return Some(NodeTheme {
                text: self.theme.clone(),
                year: self.year,
                confirmed: true,
            });
        }
        self.theme_draft_year.map(|y| NodeTheme {
            text: self.theme_draft.clone(),
            year: y,
            confirmed: false,
        })
    }
}

// The key dates along their seams: the coordinator's overrides of a node's year
// (`overrides`) and the town's own local nodes (`local`).
mod local;
mod overrides;
pub use local::*;
pub use overrides::*;

#[cfg(test)]
mod tests;
