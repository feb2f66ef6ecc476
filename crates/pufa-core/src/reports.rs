//! Leaders' numbers: the dashboard of a period and scope (town, a village, a campaign) —
//! 场次, 人次, consultations, materials, plan completion, month by month and broken down by
//! campaign, node, village, audience, format and law. Only approved records count unless
//! pending ones are asked for ([`basis`]); every output — the 台账 workbook and CSV, the
//! 透视表, the Word reports — counts through the same scope, so they give the same numbers.

pub mod basis;
pub mod wording;

pub use basis::{Basis, StatusCounts};
pub use wording::approx;

use crate::error::Result;
use crate::validate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct SummaryFilter {
    pub from: String,
    pub to: String,
    /// A village / unit (id or name).
    #[serde(default)]
    pub village: Option<String>,
    #[serde(default)]
    pub campaign_id: Option<String>,
    /// Count records still waiting for review (shown as such).
    #[serde(default)]
    pub include_pending: bool,
    /// A working list's statuses instead (the 台账 listing pending, returned or all records);
    /// unset, the basis is approved records, with the pending ones when `include_pending`.
    #[serde(default)]
    #[ts(optional)]
    pub basis: Option<Basis>,
    /// Words in the title, the narrative or the village's name (the 台账's search).
    #[serde(default)]
    #[ts(optional)]
    pub search: Option<String>,
}

impl SummaryFilter {
    /// The basis the filter asks for.
    pub fn basis(&self) -> Basis {
        self.basis.unwrap_or(Basis::counted(self.include_pending))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MaterialTotal {
    pub name: String,
    pub unit: String,
    #[ts(type = "number")]
    pub quantity: i64,
}

/// The quantity handed out in one unit (份, 册 …): quantities of different units are never
/// added together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UnitTotal {
    pub unit: String,
    /// What the materials of this unit are, for sentences: 宣传资料 (份), 法治读本 (本) …
    pub label: String,
    /// Distinct materials (种).
    #[ts(type = "number")]
    pub kinds: i64,
    #[ts(type = "number")]
    pub quantity: i64,
}

/// A village whose records in the period are not approved (yet): 待审核 or 已退回, never
/// "尚未开展".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VillageInReview {
    pub name: String,
    #[ts(type = "number")]
    pub pending: i64,
    #[ts(type = "number")]
    pub returned: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Breakdown {
    /// The code or id grouped by ("2026-05", a campaign id, "residents" …).
    pub key: String,
    /// What a reader sees (a month, a campaign name, 村(居)民 …).
    pub label: String,
    #[ts(type = "number")]
    pub activities: i64,
    #[ts(type = "number")]
    pub participants: i64,
    #[ts(type = "number")]
    pub reach: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Summary {
    pub from: String,
    pub to: String,
    pub include_pending: bool,
    /// Which records count.
    pub basis: Basis,
    /// "统计口径：已审核通过的活动记录（另有待审核 3 场未计入）" — stated on every output.
    pub basis_line: String,
    /// Records of the period and scope by review status, counted or not.
    pub statuses: StatusCounts,
    /// 场次: held records counted.
    #[ts(type = "number")]
    pub activities: i64,
    /// Of those, still pending review (0 unless included).
    #[ts(type = "number")]
    pub pending: i64,
    /// Of those, sent back (0 unless a working list of returned or all records).
    #[ts(type = "number")]
    pub returned: i64,
    #[ts(type = "number")]
    pub participants: i64,
    #[ts(type = "number")]
    pub reach: i64,
    /// 咨询人次, 横幅 … (see [`crate::record_fields::COUNTS`]), summed.
    #[serde(flatten)]
    pub counts: crate::record_fields::RecordCounts,
    pub materials: Vec<MaterialTotal>,
    /// The same quantities by unit, largest first.
    pub material_units: Vec<UnitTotal>,
    /// Planned activities in the period (not cancelled) and how many were held.
    #[ts(type = "number")]
    pub planned: i64,
    #[ts(type = "number")]
    pub planned_held: i64,
    pub by_month: Vec<Breakdown>,
    pub by_campaign: Vec<Breakdown>,
    pub by_node: Vec<Breakdown>,
    pub by_village: Vec<Breakdown>,
    pub by_audience: Vec<Breakdown>,
    pub by_format: Vec<Breakdown>,
    pub by_law: Vec<Breakdown>,
    /// Villages / communities with no record at all in the period (尚未开展).
    pub villages_without: Vec<String>,
    /// Villages / communities with records, none of them counted: waiting for review or
    /// sent back.
    pub villages_in_review: Vec<VillageInReview>,
    /// The sentence reports quote: "全年开展普法活动X场次，受众X人次，发放宣传资料X份".
    pub headline: String,
}

/// The checked filter: ISO dates, a unit id, the statuses that count.
struct Scope {
    from: String,
    to: String,
    unit: Option<String>,
    campaign: Option<String>,
    basis: Basis,
    search: Option<String>,
}

fn scope(conn: &Connection, f: &SummaryFilter) -> Result<Scope> {
    let from = validate::date("start_date", &f.from)?;
    let to = validate::date("end_date", &f.to)?;
    validate::date_range(from, to)?;
    let unit = match f
        .village
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(v) => Some(crate::unit::resolve(conn, v, "unit_id")?.id),
        None => None,
    };
    let campaign = match f
        .campaign_id
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(c) => Some(crate::campaign::get(conn, c)?.id),
        None => None,
    };
    let search = f
        .search
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string);
    Ok(Scope {
        from: from.to_string(),
        to: to.to_string(),
        unit,
        campaign,
        basis: f.basis(),
        search,
    })
}

/// The scope's records, by every condition but the review status (`?1` … `?5` are the
/// scope's from, to, unit, campaign and search).
fn in_scope() -> String {
    format!(
        "r.date >= ?1 AND r.date <= ?2
         AND (?3 IS NULL OR r.unit_id = ?3)
         AND (?4 IS NULL OR EXISTS (SELECT 1 FROM record_campaign c
                                    WHERE c.record_id = r.id AND c.campaign_id = ?4))
         AND (?5 IS NULL OR {})",
        crate::record_fields::search_sql("?5")
    )
}

/// The records that count, as a CTE every query starts from (parameters as [`in_scope`]).
fn counted_cte(basis: Basis) -> String {
    format!(
        "WITH counted AS (SELECT r.* FROM record r WHERE {} AND {})",
        in_scope(),
        basis.sql("r.review_status")
    )
}

/// The scope's records by review status, counted or not.
fn status_counts(conn: &Connection, s: &Scope) -> Result<StatusCounts> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.review_status, count(*) FROM record r WHERE {} GROUP BY r.review_status",
        in_scope()
    ))?;
    let mut out = StatusCounts::default();
    let mut rows = stmt.query(&s.params()[..])?;
    while let Some(r) = rows.next()? {
        out.add(&r.get::<_, String>(0)?, r.get(1)?);
    }
    Ok(out)
}

impl Scope {
    fn params(&self) -> [&dyn rusqlite::ToSql; 5] {
        [
            &self.from,
            &self.to,
            &self.unit,
            &self.campaign,
            &self.search,
        ]
    }
}

/// The dashboard of a period and scope.
///
/// Whole months of a town or village come from the running tallies (reports::tally): a few
/// rows per month and key instead of every record. The days of a month cut by the period, and
/// a campaign's records (which the tallies do not split by), are counted from the records
/// themselves. Tests hold both ways equal to one plain SQL query per number.
pub fn summary(conn: &Connection, f: &SummaryFilter) -> Result<Summary> {
    Ok(summary_with_topics(conn, f)?.0)
}

/// The summary and the records counted by 专项 key ("campaign ids|first node", see
/// reports::tally): each record once, for the Word report's table by 专项.
pub(crate) fn summary_with_topics(
    conn: &Connection,
    f: &SummaryFilter,
) -> Result<(Summary, Vec<Breakdown>)> {
    let s = scope(conn, f)?;
    let mut acc = Acc::default();
    // The tallies are kept by month, village and status: a campaign's records or a search
    // are counted from the records.
    if s.campaign.is_some() || s.search.is_some() {
        acc.scan(conn, &s, &s.from, &s.to)?;
        acc.scan_planned(conn, &s, &s.from, &s.to)?;
    } else {
        let (months, edges) = split_months(&s.from, &s.to);
        if let Some((first, last)) = months {
            acc.read_tallies(conn, &s, &first, &last)?;
        }
        for (from, to) in edges {
            acc.scan(conn, &s, &from, &to)?;
            acc.scan_planned(conn, &s, &from, &to)?;
        }
    }
    acc.untallied = untallied_counts(conn, &s)?;
    let topics = std::mem::take(&mut acc.by_topic).breakdown(str::to_string);
    Ok((acc.finish(conn, s)?, topics))
}

/// A first and a last (dates or months), both included.
type DateSpan = (String, String);

/// The whole months inside [from, to] (as YYYY-MM, first and last) and the days before and
/// after them. Dates are checked ISO dates.
fn split_months(from: &str, to: &str) -> (Option<DateSpan>, Vec<DateSpan>) {
    use chrono::{Datelike, NaiveDate};
    let parse = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("a checked date");
    let (a, b) = (parse(from), parse(to));
    let month_start = |d: NaiveDate| d.with_day(1).expect("day 1");
    let next_month = |d: NaiveDate| {
        let first = month_start(d);
        if first.month() == 12 {
            NaiveDate::from_ymd_opt(first.year() + 1, 1, 1).expect("a date")
        } else {
            first.with_month(first.month() + 1).expect("a date")
        }
    };
    let full_from = if a.day() == 1 { a } else { next_month(a) };
    // The first day after the last whole month.
    let full_until = if next_month(b) == b.succ_opt().expect("a date") {
        b.succ_opt().expect("a date")
    } else {
        month_start(b)
    };
    if full_from >= full_until {
        return (None, vec![(from.to_string(), to.to_string())]);
    }
    let mut edges = Vec::new();
    if a < full_from {
        edges.push((
            from.to_string(),
            full_from.pred_opt().expect("a date").to_string(),
        ));
    }
    if full_until <= b {
        edges.push((full_until.to_string(), to.to_string()));
    }
    let last = full_until.pred_opt().expect("a date");
    (
        Some((
            full_from.format("%Y-%m").to_string(),
            last.format("%Y-%m").to_string(),
        )),
        edges,
    )
}

// The counting of a summary (`counting`) and the groups, names and phrases its outputs show
// (`groups`).
mod counting;
mod groups;
pub(crate) use counting::*;
pub use groups::*;

pub mod pivot;
pub(crate) mod tally;

#[cfg(test)]
mod tests;
