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
    /// 咨询人次, 横幅 … (see [`crate::record::COUNTS`]), summed.
    #[serde(flatten)]
    pub counts: crate::record::RecordCounts,
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
        crate::record::search_sql("?5")
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

/// Where the records of a scope are read from and which ones (`?1`–`?5`: from, to, village,
/// campaign, search): a campaign's through its links (CROSS JOIN keeps SQLite from reading the
/// whole year by date instead: 13,000 records of a county campaign took 1.2 s that way), others
/// by date.
fn records_of(s: &Scope) -> (&'static str, String) {
    let (source, campaign) = if s.campaign.is_some() {
        (
            "record_campaign c CROSS JOIN record r ON r.id = c.record_id",
            "c.campaign_id = ?4",
        )
    } else {
        ("record r", "?4 IS NULL")
    };
    let filter = format!(
        "r.date >= ?1 AND r.date <= ?2 AND (?3 IS NULL OR r.unit_id = ?3) AND {campaign}
         AND (?5 IS NULL OR {})",
        crate::record::search_sql("?5")
    );
    (source, filter)
}

/// The record counts the running tallies do not keep (added to the record after them, e.g.
/// 志愿者人次), summed from the records of the whole scope on its basis: the same records as
/// every other number.
fn untallied_counts(conn: &Connection, s: &Scope) -> Result<HashMap<&'static str, i64>> {
    let columns: Vec<&'static str> = crate::record::COUNTS
        .iter()
        .map(|c| c.column)
        .filter(|c| !tally::record_sums().contains(c))
        .collect();
    if columns.is_empty() {
        return Ok(HashMap::new());
    }
    let (source, filter) = records_of(s);
    let sums: Vec<String> = columns
        .iter()
        .map(|c| format!("coalesce(sum(r.{c}), 0)"))
        .collect();
    let sql = format!(
        "SELECT {} FROM {source} WHERE {filter} AND {}",
        sums.join(", "),
        s.basis.sql("r.review_status")
    );
    let p = params![s.from, s.to, s.unit, s.campaign, s.search];
    let values = conn.prepare_cached(&sql)?.query_row(p, |r| {
        (0..columns.len())
            .map(|i| r.get::<_, i64>(i))
            .collect::<rusqlite::Result<Vec<_>>>()
    })?;
    Ok(columns.into_iter().zip(values).collect())
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

/// Counts by key: activities, participants, reach.
#[derive(Debug, Default)]
pub(crate) struct Counter(HashMap<String, [i64; 3]>);

impl Counter {
    /// One record more under `key`.
    pub(crate) fn add(&mut self, key: &str, participants: i64, reach: i64) {
        self.add_sums(key, 1, participants, reach);
    }

    pub(crate) fn add_sums(&mut self, key: &str, activities: i64, participants: i64, reach: i64) {
        let e = self.0.entry(key.to_string()).or_default();
        e[0] += activities;
        e[1] += participants;
        e[2] += reach;
    }

    /// Most activities first, then by key; keys left with nothing (a tally emptied by edits)
    /// are not listed.
    pub(crate) fn breakdown(self, label: impl Fn(&str) -> String) -> Vec<Breakdown> {
        let mut out: Vec<Breakdown> = self
            .0
            .into_iter()
            .filter(|(_, [activities, ..])| *activities != 0)
            .map(|(key, [activities, participants, reach])| Breakdown {
                label: label(&key),
                key,
                activities,
                participants,
                reach,
            })
            .collect();
        out.sort_by(|a, b| (-a.activities, &a.key).cmp(&(-b.activities, &b.key)));
        out
    }
}

/// The codes of a JSON array column.
pub(crate) fn codes(json: &str) -> Vec<String> {
    serde_json::from_str::<Vec<serde_json::Value>>(json)
        .unwrap_or_default()
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        })
        .collect()
}

/// The numbers of a summary while they are being counted.
#[derive(Default)]
struct Acc {
    /// Every record of the scope by status, counted or not.
    statuses: StatusCounts,
    /// The same for each village.
    village_statuses: HashMap<String, StatusCounts>,
    activities: i64,
    pending: i64,
    returned: i64,
    /// participants, reach, consultations, banners, boards, vehicles, online posts and views,
    /// disputes, legal-aid cases.
    sums: [i64; 10],
    by_month: Counter,
    by_campaign: Counter,
    by_node: Counter,
    by_village: Counter,
    by_audience: Counter,
    by_format: Counter,
    by_law: Counter,
    /// By 专项 key (campaign ids|first node).
    by_topic: Counter,
    /// Quantity handed out by material id.
    materials: HashMap<String, i64>,
    /// Planned activities by status.
    planned: HashMap<String, i64>,
    /// The counts the tallies do not keep, by column (see [`untallied_counts`]).
    untallied: HashMap<&'static str, i64>,
}

impl Acc {
    fn add_totals(&mut self, status: &str, activities: i64, sums: &[i64]) {
        self.activities += activities;
        match status {
            "pending" => self.pending += activities,
            "returned" => self.returned += activities,
            _ => {}
        }
        for (total, v) in self.sums.iter_mut().zip(sums) {
            *total += v;
        }
    }

    /// Whole months [first, last] from the tallies of the town or the village.
    fn read_tallies(
        &mut self,
        conn: &Connection,
        s: &Scope,
        first: &str,
        last: &str,
    ) -> Result<()> {
        let level = s.unit.as_deref().unwrap_or("*");
        // Every status of the totals and of the villages (to tell 待审核 from 尚未开展), the
        // counted ones of the rest.
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT month, status, dim, key, {} FROM record_tally
             WHERE unit_id = ?1 AND month >= ?2 AND month <= ?3
               AND (dim IN ('all', 'village') OR {})",
            tally::SUMS.join(", "),
            s.basis.sql("status")
        ))?;
        let mut rows = stmt.query(params![level, first, last])?;
        while let Some(r) = rows.next()? {
            let (month, status, dim, key): (String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let mut v = [0i64; 12];
            for (i, x) in v.iter_mut().enumerate() {
                *x = r.get(4 + i)?;
            }
            let [activities, participants, reach, ..] = v;
            match dim.as_str() {
                "all" => {
                    self.statuses.add(&status, activities);
                    if level != "*" {
                        self.village_statuses
                            .entry(level.to_string())
                            .or_default()
                            .add(&status, activities);
                    }
                }
                "village" => self
                    .village_statuses
                    .entry(key.clone())
                    .or_default()
                    .add(&status, activities),
                _ => {}
            }
            if !s.basis.takes(&status) {
                continue;
            }
            let counter = match dim.as_str() {
                "all" => {
                    self.add_totals(&status, activities, &v[1..11]);
                    self.by_month
                        .add_sums(&month, activities, participants, reach);
                    if level != "*" {
                        self.by_village
                            .add_sums(level, activities, participants, reach);
                    }
                    continue;
                }
                "material" => {
                    *self.materials.entry(key).or_default() += v[11];
                    continue;
                }
                "village" => &mut self.by_village,
                "campaign" => &mut self.by_campaign,
                "node" => &mut self.by_node,
                "audience" => &mut self.by_audience,
                "format" => &mut self.by_format,
                "law" => &mut self.by_law,
                "topic" => &mut self.by_topic,
                _ => continue,
            };
            counter.add_sums(&key, activities, participants, reach);
        }
        drop(rows);
        let mut stmt = conn.prepare_cached(
            "SELECT status, sum(n) FROM activity_tally
             WHERE unit_id = ?1 AND month >= ?2 AND month <= ?3 GROUP BY status",
        )?;
        let mut rows = stmt.query(params![level, first, last])?;
        while let Some(r) = rows.next()? {
            *self.planned.entry(r.get(0)?).or_default() += r.get::<_, i64>(1)?;
        }
        Ok(())
    }

    /// The records of [from, to] in the scope, one by one.
    fn scan(&mut self, conn: &Connection, s: &Scope, from: &str, to: &str) -> Result<()> {
        // Every status is read (to count what the basis leaves out); only the basis's count.
        let (source, filter) = records_of(s);
        let p = params![from, to, s.unit, s.campaign, s.search];
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT substr(r.date, 1, 7), coalesce(r.unit_id, ''), r.review_status,
                    r.nodes, r.formats, r.audiences, r.laws,
                    (SELECT group_concat(rc.campaign_id) FROM record_campaign rc
                     WHERE rc.record_id = r.id),
                    {sums}
             FROM {source} WHERE {filter}",
            sums = tally::record_sums()
                .iter()
                .map(|c| format!("r.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        let mut rows = stmt.query(p)?;
        while let Some(r) = rows.next()? {
            let mut v = [0i64; 10];
            for (i, x) in v.iter_mut().enumerate() {
                *x = r.get(8 + i)?;
            }
            let [participants, reach, ..] = v;
            let status: String = r.get(2)?;
            let village: String = r.get(1)?;
            self.statuses.add(&status, 1);
            self.village_statuses
                .entry(village.clone())
                .or_default()
                .add(&status, 1);
            if !s.basis.takes(&status) {
                continue;
            }
            self.add_totals(&status, 1, &v);
            self.by_month
                .add(&r.get::<_, String>(0)?, participants, reach);
            self.by_village.add(&village, participants, reach);
            for (i, counter) in [
                &mut self.by_node,
                &mut self.by_format,
                &mut self.by_audience,
                &mut self.by_law,
            ]
            .into_iter()
            .enumerate()
            {
                for code in codes(&r.get::<_, String>(3 + i)?) {
                    counter.add(&code, participants, reach);
                }
            }
            let mut campaigns: Vec<String> = r
                .get::<_, Option<String>>(7)?
                .map(|ids| ids.split(',').map(str::to_string).collect())
                .unwrap_or_default();
            for id in &campaigns {
                self.by_campaign.add(id, participants, reach);
            }
            campaigns.sort();
            let first_node = codes(&r.get::<_, String>(3)?).into_iter().next();
            let topic = format!("{}|{}", campaigns.join(","), first_node.unwrap_or_default());
            self.by_topic.add(&topic, participants, reach);
        }
        drop(rows);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT h.material_id, sum(h.quantity) FROM {source}
             JOIN stock_movement h ON h.record_id = r.id AND h.kind = 'handout'
             WHERE {filter} AND {} GROUP BY h.material_id",
            s.basis.sql("r.review_status")
        ))?;
        let mut rows = stmt.query(p)?;
        while let Some(r) = rows.next()? {
            *self.materials.entry(r.get(0)?).or_default() += r.get::<_, i64>(1)?;
        }
        Ok(())
    }

    /// Planned activities of [from, to] in the scope.
    fn scan_planned(&mut self, conn: &Connection, s: &Scope, from: &str, to: &str) -> Result<()> {
        let (source, campaign) = if s.campaign.is_some() {
            (
                "activity_campaign c CROSS JOIN activity a ON a.id = c.activity_id",
                "c.campaign_id = ?4",
            )
        } else {
            ("activity a", "?4 IS NULL")
        };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT a.status, count(*) FROM {source}
             WHERE a.date >= ?1 AND a.date <= ?2 AND (?3 IS NULL OR a.unit_id = ?3) AND {campaign}
             GROUP BY a.status"
        ))?;
        let mut rows = stmt.query(params![from, to, s.unit, s.campaign])?;
        while let Some(r) = rows.next()? {
            *self.planned.entry(r.get(0)?).or_default() += r.get::<_, i64>(1)?;
        }
        Ok(())
    }

    /// Names on the keys, the villages not reached, the headline.
    fn finish(self, conn: &Connection, s: Scope) -> Result<Summary> {
        let campaigns = names(conn, "SELECT id, name FROM campaign")?;
        let units = names(conn, "SELECT id, name FROM unit")?;
        let nodes = node_names(conn)?;
        let named = |map: &HashMap<String, String>, k: &str| {
            map.get(k).cloned().unwrap_or_else(|| k.to_string())
        };
        let by_village = self.by_village.breakdown(|k| {
            if k.is_empty() {
                NO_UNIT.to_string()
            } else {
                named(&units, k)
            }
        });
        let mut villages_without: Vec<(i64, String)> = Vec::new();
        let mut villages_in_review: Vec<(i64, VillageInReview)> = Vec::new();
        if s.unit.is_none() {
            let mut stmt = conn.prepare_cached(
                "SELECT id, name, sort_order FROM unit
                 WHERE kind IN ('village', 'community') AND archived = 0",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                if by_village.iter().any(|b| b.key == id) {
                    continue;
                }
                let held = self.village_statuses.get(&id).copied().unwrap_or_default();
                let (order, name): (i64, String) = (r.get(2)?, r.get(1)?);
                if held.pending + held.returned + held.approved == 0 {
                    villages_without.push((order, name));
                } else {
                    villages_in_review.push((
                        order,
                        VillageInReview {
                            name,
                            pending: held.pending,
                            returned: held.returned,
                        },
                    ));
                }
            }
            villages_without.sort();
            villages_in_review.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
        }
        let mut materials: Vec<(String, MaterialTotal)> = Vec::new();
        let mut stmt =
            conn.prepare_cached("SELECT category, name, unit FROM material WHERE id = ?1")?;
        for (id, quantity) in self.materials {
            if quantity == 0 {
                continue;
            }
            let (category, name, unit): (String, String, String) =
                stmt.query_row([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            materials.push((
                category,
                MaterialTotal {
                    name,
                    unit,
                    quantity,
                },
            ));
        }
        materials.sort_by(|a, b| (&a.0, &a.1.name).cmp(&(&b.0, &b.1.name)));
        let material_units = unit_totals(&materials);
        let count = |status: &str| self.planned.get(status).copied().unwrap_or(0);
        let [participants, reach, ..] = self.sums;
        // The tallies' sums after participants and reach, by column name.
        let counts = crate::record::RecordCounts::from_values(std::array::from_fn(|i| {
            let column = crate::record::COUNTS[i].column;
            tally::SUMS[1..11]
                .iter()
                .position(|c| *c == column)
                .map_or_else(
                    || self.untallied.get(column).copied().unwrap_or(0),
                    |j| self.sums[j],
                )
        }));
        let mut by_month = self.by_month.breakdown(|k| {
            let (y, m) = k.split_once('-').unwrap_or((k, ""));
            format!("{y}年{}月", m.trim_start_matches('0'))
        });
        by_month.sort_by(|a, b| a.key.cmp(&b.key));
        let mut summary = Summary {
            from: s.from,
            to: s.to,
            include_pending: s.basis.takes("pending"),
            basis: s.basis,
            basis_line: basis::statement(s.basis, &self.statuses),
            statuses: self.statuses,
            activities: self.activities,
            pending: self.pending,
            returned: self.returned,
            participants,
            reach,
            counts,
            materials: materials.into_iter().map(|(_, m)| m).collect(),
            material_units,
            planned: count("planned") + count("held") + count("postponed"),
            planned_held: count("held"),
            by_month,
            by_campaign: self.by_campaign.breakdown(|k| named(&campaigns, k)),
            by_node: self.by_node.breakdown(|k| named(&nodes, k)),
            by_village,
            by_audience: self.by_audience.breakdown(|k| {
                crate::domain::Audience::parse("a", k)
                    .map(|a| a.label().to_string())
                    .unwrap_or(k.into())
            }),
            by_format: self.by_format.breakdown(|k| {
                crate::domain::ActivityFormat::parse("f", k)
                    .map(|a| a.label().to_string())
                    .unwrap_or(k.into())
            }),
            by_law: self.by_law.breakdown(str::to_string),
            villages_without: villages_without.into_iter().map(|(_, n)| n).collect(),
            villages_in_review: villages_in_review.into_iter().map(|(_, v)| v).collect(),
            headline: String::new(),
        };
        summary.headline = headline(&summary);
        Ok(summary)
    }
}

/// 普法节点 grouped by the activities they share: two nodes are in one group when an activity
/// names both (12·4 国家宪法日 and 宪法宣传周), so each activity is in one group at most and
/// the groups never add up to more than the 场次.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct NodeGroup {
    pub codes: Vec<String>,
    /// The nodes' names, the one with most activities first.
    pub labels: Vec<String>,
    /// Every activity of the group names every node of it ("12·4国家宪法日暨宪法宣传周").
    pub same_records: bool,
    #[ts(type = "number")]
    pub activities: i64,
}

/// The counted records' nodes, grouped ([`NodeGroup`]), most activities first.
pub fn node_groups(conn: &Connection, f: &SummaryFilter) -> Result<Vec<NodeGroup>> {
    let s = scope(conn, f)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.nodes FROM record r WHERE {} AND {} AND r.nodes <> '[]'",
        in_scope(),
        s.basis.sql("r.review_status")
    ))?;
    // Union-find over node codes; each record's node list joins its codes.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut parent: Vec<usize> = Vec::new();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut sets: HashMap<Vec<String>, i64> = HashMap::new();
    let mut rows = stmt.query(&s.params()[..])?;
    while let Some(r) = rows.next()? {
        let mut codes = codes(&r.get::<_, String>(0)?);
        codes.sort();
        codes.dedup();
        if codes.is_empty() {
            continue;
        }
        let ids: Vec<usize> = codes
            .iter()
            .map(|c| {
                let next = parent.len();
                let i = *index.entry(c.clone()).or_insert(next);
                if i == next {
                    parent.push(i);
                }
                i
            })
            .collect();
        for w in ids.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            parent[a] = b;
        }
        *sets.entry(codes).or_default() += 1;
    }
    drop(rows);
    let names = node_names(conn)?;
    // Per group: its record sets and how often each node is named.
    let mut groups: HashMap<usize, (i64, HashMap<String, i64>, usize)> = HashMap::new();
    for (codes, n) in &sets {
        let g = root(&mut parent, index[&codes[0]]);
        let e = groups.entry(g).or_default();
        e.0 += n;
        e.2 += 1;
        for c in codes {
            *e.1.entry(c.clone()).or_default() += n;
        }
    }
    let mut out: Vec<NodeGroup> = groups
        .into_values()
        .map(|(activities, per_node, distinct_sets)| {
            let mut nodes: Vec<(String, i64)> = per_node.into_iter().collect();
            nodes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            NodeGroup {
                labels: nodes
                    .iter()
                    .map(|(c, _)| names.get(c).cloned().unwrap_or_else(|| c.clone()))
                    .collect(),
                codes: nodes.into_iter().map(|(c, _)| c).collect(),
                same_records: distinct_sets == 1,
                activities,
            }
        })
        .collect();
    out.sort_by(|a, b| b.activities.cmp(&a.activities).then(a.codes.cmp(&b.codes)));
    Ok(out)
}

/// The row of records kept without a village or unit.
pub const NO_UNIT: &str = "（未填村/单位）";

fn names(conn: &Connection, sql: &str) -> Result<HashMap<String, String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The names of the 普法节点 by code, national and the town's own.
pub(crate) fn node_names(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut nodes: HashMap<String, String> = crate::keydates::national_nodes()
        .iter()
        .map(|n| (n.code.clone(), n.name.clone()))
        .collect();
    nodes.extend(names(conn, "SELECT id, name FROM keydate_node")?);
    Ok(nodes)
}

/// What the materials of a unit are called in a sentence: their shared category when they all
/// have one ("读本" → 法治读本), else what that unit usually counts.
fn unit_label(unit: &str, categories: &[&str]) -> String {
    let shared = categories
        .first()
        .filter(|c| !c.is_empty() && categories.iter().all(|x| x == *c));
    if let Some(c) = shared {
        return match *c {
            "读本" => "法治读本".to_string(),
            "手册" => "宣传手册".to_string(),
            "折页" => "宣传折页".to_string(),
            "奖品" => "奖品".to_string(),
            other => other.to_string(),
        };
    }
    match unit {
        "份" | "张" => "宣传资料",
        "册" | "本" | "套" => "宣传册及读本",
        "条" => "宣传条幅",
        "块" => "宣传展板",
        _ => "宣传品",
    }
    .to_string()
}

/// The quantities by unit, largest first; (category, material) pairs in.
fn unit_totals(materials: &[(String, MaterialTotal)]) -> Vec<UnitTotal> {
    let mut by: Vec<(String, Vec<&str>, i64, i64)> = Vec::new();
    for (category, m) in materials {
        match by.iter_mut().find(|u| u.0 == m.unit) {
            Some(u) => {
                u.1.push(category);
                u.2 += 1;
                u.3 += m.quantity;
            }
            None => by.push((m.unit.clone(), vec![category], 1, m.quantity)),
        }
    }
    let mut out: Vec<UnitTotal> = by
        .into_iter()
        .map(|(unit, categories, kinds, quantity)| UnitTotal {
            label: unit_label(&unit, &categories),
            unit,
            kinds,
            quantity,
        })
        .collect();
    out.sort_by(|a, b| b.quantity.cmp(&a.quantity).then(a.unit.cmp(&b.unit)));
    out
}

/// "宣传资料5200余份、法治读本250余册": the quantities by unit, each rounded as reports write.
pub fn materials_phrase(units: &[UnitTotal]) -> String {
    units
        .iter()
        .filter(|u| u.quantity > 0)
        .map(|u| format!("{}{}{}", u.label, approx(u.quantity), u.unit))
        .collect::<Vec<_>>()
        .join("、")
}

/// The year's sentence for the 法治政府建设情况报告:
/// "全年开展普法活动81场次，受众9800余人次，发放宣传资料5200余份、法治读本250余册".
pub fn headline(s: &Summary) -> String {
    let whole_year = s.from.get(4..) == Some("-01-01")
        && s.to.get(4..) == Some("-12-31")
        && s.from.get(..4) == s.to.get(..4);
    let mut t = format!(
        "{}开展普法活动{}场次，受众{}人次",
        if whole_year { "全年" } else { "期间" },
        s.activities,
        approx(s.reach),
    );
    let materials = materials_phrase(&s.material_units);
    if !materials.is_empty() {
        t.push_str(&format!("，发放{materials}"));
    }
    t
}

pub mod pivot;
pub(crate) mod tally;

#[cfg(test)]
mod tests;
