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
    pub laws: Vec<String>,
    pub audiences: Vec<Audience>,
    pub lead_agency: String,
    /// This year's theme, published or entered; empty when not known yet.
    pub theme: String,
    /// When `theme` is empty: the latest earlier year's theme, offered as a draft to confirm.
    pub theme_draft: String,
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
    doc_number: String,
    published: bool,
}

/// The themes of earlier years: node code → (year, theme), the latest year kept.
type EarlierThemes = HashMap<String, (i32, String)>;

fn keep_latest(themes: &mut EarlierThemes, code: &str, year: i32, theme: &str) {
    if theme.is_empty() {
        return;
    }
    let e = themes
        .entry(code.to_string())
        .or_insert((year, theme.to_string()));
    if year >= e.0 {
        *e = (year, theme.to_string());
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
                (
                    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(rule_start),
                    NaiveDate::parse_from_str(e, "%Y-%m-%d").unwrap_or(rule_end),
                    source,
                )
            }
            _ if node.announced => (rule_start, rule_end, DateSource::Provisional),
            _ => (rule_start, rule_end, DateSource::Rule),
        };
        let theme = ov.map(|o| o.theme.clone()).unwrap_or_default();
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
            laws: node.laws.clone(),
            audiences: node.audiences.clone(),
            lead_agency: node.lead_agency.clone(),
            theme,
            theme_draft: draft.as_ref().map(|d| d.1.clone()).unwrap_or_default(),
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
        keep_latest(&mut out, &o.node, o.year, o.theme.as_deref().unwrap_or(""));
    }
    out
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
        keep_latest(&mut earlier, &code, y, &theme);
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

/// Confirms a node's year as shown: a provisional (待公布) date becomes the coordinator's, and
/// last year's theme offered as a draft becomes this year's theme.
pub fn confirm(db: &mut Db, code: &str, year: i32) -> Result<KeyDate> {
    let k = for_year(&db.conn, year)?
        .into_iter()
        .find(|k| k.code == code)
        .ok_or_else(|| {
            AppError::field(
                ErrorCode::NotFound,
                "node_code",
                format!("{year} 年没有普法节点“{}”", validate::clip(code)),
            )
        })?;
    let dates = (k.source == DateSource::Provisional).then(|| (k.start.clone(), k.end.clone()));
    let theme = if k.theme.is_empty() {
        k.theme_draft.clone()
    } else {
        k.theme.clone()
    };
    set_override(
        db,
        &OverrideInput {
            node_code: k.code.clone(),
            year,
            start_date: dates.as_ref().map(|d| d.0.clone()),
            end_date: dates.map(|d| d.1),
            theme: Some(theme),
            doc_number: Some(k.doc_number.clone()),
        },
    )
}

/// What a coordinator enters for a node in a year; empty fields keep the default.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct OverrideInput {
    pub node_code: String,
    pub year: i32,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub doc_number: Option<String>,
}

fn find_node(conn: &Connection, code: &str) -> Result<KeyDateNode> {
    if let Some(n) = national_nodes().iter().find(|n| n.code == code) {
        return Ok(n.clone());
    }
    local_nodes(conn)?
        .into_iter()
        .find(|n| n.code == code)
        .ok_or_else(|| AppError::not_found("普法节点", code))
}

/// Sets (or replaces) the coordinator's dates / theme / document number of a node for a year.
pub fn set_override(db: &mut Db, input: &OverrideInput) -> Result<KeyDate> {
    check_year(input.year)?;
    let node = find_node(&db.conn, &input.node_code)?;
    let has = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let dates = match (has(&input.start_date), has(&input.end_date)) {
        (false, false) => None,
        (true, true) => {
            let s = validate::date("start_date", input.start_date.as_deref().unwrap_or(""))?;
            let e = validate::date("end_date", input.end_date.as_deref().unwrap_or(""))?;
            validate::date_range(s, e)?;
            Some((iso(s), iso(e)))
        }
        (false, true) => {
            return Err(AppError::field(
                ErrorCode::Required,
                "start_date",
                "请同时填写开始日期",
            ))
        }
        (true, false) => {
            return Err(AppError::field(
                ErrorCode::Required,
                "end_date",
                "请同时填写结束日期",
            ))
        }
    };
    let theme = validate::optional_line("theme", input.theme.as_deref(), 200)?;
    let doc_number = validate::optional_line("doc_number", input.doc_number.as_deref(), 100)?;
    let year = input.year;
    db.with_tx(|tx| {
        let now = now();
        let (start, end) = dates.clone().unzip();
        tx.execute(
            "INSERT INTO keydate_override
                 (id, node_code, year, start_date, end_date, theme, doc_number, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
             ON CONFLICT (node_code, year) DO UPDATE SET
                 start_date = excluded.start_date, end_date = excluded.end_date,
                 theme = excluded.theme, doc_number = excluded.doc_number,
                 updated_at = excluded.updated_at",
            params![new_id(), node.code, year, start, end, theme, doc_number, now],
        )?;
        let summary = format!("设置{year}年“{}”的日期/主题/文号", node.name);
        let after = serde_json::json!({
            "start_date": dates.as_ref().map(|d| d.0.clone()),
            "end_date": dates.as_ref().map(|d| d.1.clone()),
            "theme": theme,
            "doc_number": doc_number,
        });
        crate::audit::log(tx, "keydate_override", &format!("{}:{year}", node.code), "update", &summary, None::<&()>, Some(&after))?;
        if let Some(k) = for_year(tx, year)?.into_iter().find(|k| k.code == node.code) {
            crate::plan::theme_into_campaigns(tx, &k)?;
        }
        Ok(())
    })?;
    for_year(&db.conn, year)?
        .into_iter()
        .find(|k| k.code == node.code)
        .ok_or_else(|| {
            let message = match (node.since, node.until) {
                (Some(s), _) if year < s => {
                    format!("“{}”自 {s} 年起才有，{year} 年没有这个节点", node.name)
                }
                (_, Some(u)) => format!("“{}”只到 {u} 年，{year} 年没有这个节点", node.name),
                _ => format!("{year} 年没有“{}”这个节点", node.name),
            };
            AppError::field(ErrorCode::InvalidValue, "year", message)
        })
}

/// Removes the coordinator's entry: the node goes back to its rule (or published dates).
pub fn clear_override(db: &mut Db, node_code: &str, year: i32) -> Result<()> {
    check_year(year)?;
    db.with_tx(|tx| {
        tx.execute(
            "DELETE FROM keydate_override WHERE node_code = ?1 AND year = ?2",
            params![node_code, year],
        )?;
        let summary = format!("恢复{year}年节点“{node_code}”的默认日期");
        crate::audit::note(
            tx,
            "keydate_override",
            &format!("{node_code}:{year}"),
            "delete",
            &summary,
        )?;
        Ok(())
    })
}

/// A local node as the coordinator enters it.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct LocalNodeInput {
    pub name: String,
    pub start: DateRule,
    #[serde(default)]
    pub end: Option<DateRule>,
    #[serde(default)]
    pub days: Option<u32>,
    #[serde(default)]
    pub announced: bool,
    #[serde(default)]
    pub window: Window,
    #[serde(default)]
    pub laws: Vec<String>,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub lead_agency: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredRule {
    start: DateRule,
    end: Option<DateRule>,
    #[serde(default)]
    days: Option<u32>,
}

fn local_node_from(id: String, input: &LocalNodeInput) -> Result<KeyDateNode> {
    let name = validate::name("name", &input.name, 100)?;
    if input.days.is_some_and(|d| d == 0 || d > 366) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "days",
            "天数应为 1—366",
        ));
    }
    if input.end.is_some() && input.days.is_some() {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "days",
            "结束规则和天数只能填一个",
        ));
    }
    if input.window.before > 366 || input.window.after > 366 {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "window",
            "集中宣传期前后各不超过366天",
        ));
    }
    let audiences = input
        .audiences
        .iter()
        .map(|a| Audience::parse("audiences", a))
        .collect::<Result<Vec<_>>>()?;
    let laws = input
        .laws
        .iter()
        .map(|l| validate::name("themes", l, 100))
        .collect::<Result<Vec<_>>>()?;
    let node = KeyDateNode {
        code: id,
        name,
        start: input.start.clone(),
        end: input.end.clone(),
        days: input.days,
        announced: input.announced,
        since: None,
        until: None,
        standard: false,
        window: input.window,
        laws,
        audiences,
        lead_agency: validate::optional_line("lead_unit", input.lead_agency.as_deref(), 100)?,
        note: validate::notes("notes", input.note.as_deref(), 2000)?,
        local: true,
    };
    node.check_every_year()?;
    Ok(node)
}

fn save_local(tx: &rusqlite::Transaction, node: &KeyDateNode, insert: bool) -> Result<()> {
    let rule = serde_json::to_string(&StoredRule {
        start: node.start.clone(),
        end: node.end.clone(),
        days: node.days,
    })
    .expect("rules serialise");
    let laws = serde_json::to_string(&node.laws).expect("strings serialise");
    let audiences = serde_json::to_string(&node.audiences).expect("codes serialise");
    let now = now();
    let sql = if insert {
        "INSERT INTO keydate_node (id, name, rule, announced, window_before, window_after, laws,
             audiences, lead_agency, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)"
    } else {
        "UPDATE keydate_node SET name = ?2, rule = ?3, announced = ?4, window_before = ?5,
             window_after = ?6, laws = ?7, audiences = ?8, lead_agency = ?9, note = ?10,
             updated_at = ?11
         WHERE id = ?1"
    };
    let changed = tx
        .execute(
            sql,
            params![
                node.code,
                node.name,
                rule,
                node.announced,
                node.window.before,
                node.window.after,
                laws,
                audiences,
                node.lead_agency,
                node.note,
                now
            ],
        )
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => AppError::field(
                ErrorCode::Duplicate,
                "name",
                format!("已有名为“{}”的本地节点", node.name),
            ),
            _ => e.into(),
        })?;
    if changed == 0 {
        return Err(AppError::not_found("本地节点", &node.code));
    }
    Ok(())
}

fn check_not_national(name: &str) -> Result<()> {
    if national_nodes().iter().any(|n| n.name == name) {
        return Err(AppError::field(
            ErrorCode::Duplicate,
            "name",
            format!("“{name}”是国家节点，请直接修改该节点当年的日期"),
        ));
    }
    Ok(())
}

pub fn create_local(db: &mut Db, input: &LocalNodeInput) -> Result<KeyDateNode> {
    let node = local_node_from(new_id(), input)?;
    check_not_national(&node.name)?;
    db.with_tx(|tx| {
        save_local(tx, &node, true)?;
        crate::audit::changed(tx, "keydate_node", &node.code, "create", None, Some(&node))
    })?;
    Ok(node)
}

pub fn update_local(db: &mut Db, id: &str, input: &LocalNodeInput) -> Result<KeyDateNode> {
    let node = local_node_from(id.to_string(), input)?;
    check_not_national(&node.name)?;
    db.with_tx(|tx| {
        let before = local_nodes(tx)?.into_iter().find(|n| n.code == id);
        save_local(tx, &node, false)?;
        crate::audit::changed(
            tx,
            "keydate_node",
            id,
            "update",
            before.as_ref(),
            Some(&node),
        )
    })?;
    Ok(node)
}

pub fn delete_local(db: &mut Db, id: &str) -> Result<()> {
    db.with_tx(|tx| {
        let before = local_nodes(tx)?.into_iter().find(|n| n.code == id);
        let n = tx.execute("DELETE FROM keydate_node WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(AppError::not_found("本地节点", id));
        }
        crate::audit::changed(tx, "keydate_node", id, "delete", before.as_ref(), None)?;
        tx.execute("DELETE FROM keydate_override WHERE node_code = ?1", [id])?;
        Ok(())
    })
}

/// Every local node, by name.
pub fn local_nodes(conn: &Connection) -> Result<Vec<KeyDateNode>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, rule, announced, window_before, window_after, laws, audiences,
                lead_agency, note
         FROM keydate_node ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| {
        let rule: String = r.get(2)?;
        let laws: String = r.get(6)?;
        let audiences: String = r.get(7)?;
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            rule,
            r.get::<_, bool>(3)?,
            Window {
                before: r.get(4)?,
                after: r.get(5)?,
            },
            laws,
            audiences,
            r.get::<_, String>(8)?,
            r.get::<_, String>(9)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, rule, announced, window, laws, audiences, lead_agency, note) = row?;
        let bad = |what: &str| {
            AppError::new(
                ErrorCode::Database,
                format!("本地节点“{name}”的{what}已损坏"),
            )
        };
        let rule: StoredRule = serde_json::from_str(&rule).map_err(|_| bad("规则"))?;
        out.push(KeyDateNode {
            code: id,
            name: name.clone(),
            start: rule.start,
            end: rule.end,
            days: rule.days,
            announced,
            since: None,
            until: None,
            standard: false,
            window,
            laws: serde_json::from_str(&laws).map_err(|_| bad("法律"))?,
            audiences: serde_json::from_str(&audiences).map_err(|_| bad("宣传对象"))?,
            lead_agency,
            note,
            local: true,
        });
    }
    Ok(out)
}

/// Whether a node code names a node (national or local) — used by other modules.
pub fn node_exists(conn: &Connection, code: &str) -> Result<bool> {
    if national_nodes().iter().any(|n| n.code == code) {
        return Ok(true);
    }
    Ok(conn
        .prepare_cached("SELECT 1 FROM keydate_node WHERE id = ?1")?
        .query_row([code], |_| Ok(()))
        .optional()?
        .is_some())
}

#[cfg(test)]
mod tests;
