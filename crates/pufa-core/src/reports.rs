//! Leaders' numbers: the dashboard of a period and scope (town, a village, a campaign) —
//! 场次, 人次, consultations, materials, plan completion, month by month and broken down by
//! campaign, node, village, audience, format and law. Only approved records count unless
//! pending ones are asked for.

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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MaterialTotal {
    pub name: String,
    pub unit: String,
    #[ts(type = "number")]
    pub quantity: i64,
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
    /// 场次: held records counted.
    #[ts(type = "number")]
    pub activities: i64,
    /// Of those, still pending review (0 unless included).
    #[ts(type = "number")]
    pub pending: i64,
    #[ts(type = "number")]
    pub participants: i64,
    #[ts(type = "number")]
    pub reach: i64,
    #[ts(type = "number")]
    pub consultations: i64,
    #[ts(type = "number")]
    pub banners: i64,
    #[ts(type = "number")]
    pub boards: i64,
    #[ts(type = "number")]
    pub vehicles: i64,
    #[ts(type = "number")]
    pub online_posts: i64,
    #[ts(type = "number")]
    pub online_views: i64,
    #[ts(type = "number")]
    pub disputes: i64,
    #[ts(type = "number")]
    pub legal_aid_cases: i64,
    pub materials: Vec<MaterialTotal>,
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
    /// Villages / communities with no counted record in the period.
    pub villages_without: Vec<String>,
    /// The sentence reports quote: "全年开展普法活动X场次，受众X人次，发放资料X份".
    pub headline: String,
}

/// The checked filter: ISO dates, a unit id, the statuses that count.
struct Scope {
    from: String,
    to: String,
    unit: Option<String>,
    campaign: Option<String>,
    pending: bool,
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
    Ok(Scope {
        from: from.to_string(),
        to: to.to_string(),
        unit,
        campaign,
        pending: f.include_pending,
    })
}

/// The records that count, as a CTE every query starts from.
const COUNTED: &str = "WITH counted AS (
    SELECT r.* FROM record r
    WHERE r.date >= ?1 AND r.date <= ?2
      AND (?3 IS NULL OR r.unit_id = ?3)
      AND (?4 IS NULL OR EXISTS (SELECT 1 FROM record_campaign c
                                 WHERE c.record_id = r.id AND c.campaign_id = ?4))
      AND (r.review_status = 'approved' OR (?5 AND r.review_status = 'pending')))";

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
    if s.campaign.is_some() {
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
    activities: i64,
    pending: i64,
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
}

/// Which review statuses count: ?n approved only, or pending too.
const COUNTS: &str = "(r.review_status = 'approved' OR (?5 AND r.review_status = 'pending'))";

impl Acc {
    fn add_totals(&mut self, status: &str, activities: i64, sums: &[i64]) {
        self.activities += activities;
        if status == "pending" {
            self.pending += activities;
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
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT month, status, dim, key, {} FROM record_tally
             WHERE unit_id = ?1 AND month >= ?2 AND month <= ?3
               AND (status = 'approved' OR (?4 AND status = 'pending'))",
            tally::SUMS.join(", ")
        ))?;
        let mut rows = stmt.query(params![level, first, last, s.pending])?;
        while let Some(r) = rows.next()? {
            let (month, status, dim, key): (String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let mut v = [0i64; 12];
            for (i, x) in v.iter_mut().enumerate() {
                *x = r.get(4 + i)?;
            }
            let [activities, participants, reach, ..] = v;
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
        // A campaign's records are found through its links (CROSS JOIN keeps SQLite from
        // reading the whole year by date instead: 13,000 records of a county campaign took
        // 1.2 s that way), others by date.
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
             AND {COUNTS}"
        );
        let p = params![from, to, s.unit, s.campaign, s.pending];
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT substr(r.date, 1, 7), coalesce(r.unit_id, ''), r.review_status,
                    r.nodes, r.formats, r.audiences, r.laws,
                    (SELECT group_concat(rc.campaign_id) FROM record_campaign rc
                     WHERE rc.record_id = r.id),
                    r.participants, r.reach, r.consultations, r.banners, r.boards, r.vehicles,
                    r.online_posts, r.online_views, r.disputes, r.legal_aid_cases
             FROM {source} WHERE {filter}"
        ))?;
        let mut rows = stmt.query(p)?;
        while let Some(r) = rows.next()? {
            let mut v = [0i64; 10];
            for (i, x) in v.iter_mut().enumerate() {
                *x = r.get(8 + i)?;
            }
            let [participants, reach, ..] = v;
            self.add_totals(&r.get::<_, String>(2)?, 1, &v);
            self.by_month
                .add(&r.get::<_, String>(0)?, participants, reach);
            self.by_village
                .add(&r.get::<_, String>(1)?, participants, reach);
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
             WHERE {filter} GROUP BY h.material_id"
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
        let mut nodes: HashMap<String, String> = crate::keydates::national_nodes()
            .iter()
            .map(|n| (n.code.clone(), n.name.clone()))
            .collect();
        nodes.extend(names(conn, "SELECT id, name FROM keydate_node")?);
        let named = |map: &HashMap<String, String>, k: &str| {
            map.get(k).cloned().unwrap_or_else(|| k.to_string())
        };
        let by_village = self.by_village.breakdown(|k| named(&units, k));
        let mut villages_without: Vec<(i64, String)> = Vec::new();
        if s.unit.is_none() {
            let mut stmt = conn.prepare_cached(
                "SELECT id, name, sort_order FROM unit
                 WHERE kind IN ('village', 'community') AND archived = 0",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                if !by_village.iter().any(|b| b.key == id) {
                    villages_without.push((r.get(2)?, r.get(1)?));
                }
            }
            villages_without.sort();
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
        let count = |status: &str| self.planned.get(status).copied().unwrap_or(0);
        let [participants, reach, consultations, banners, boards, vehicles, online_posts, online_views, disputes, legal_aid_cases] =
            self.sums;
        let mut by_month = self.by_month.breakdown(|k| {
            let (y, m) = k.split_once('-').unwrap_or((k, ""));
            format!("{y}年{}月", m.trim_start_matches('0'))
        });
        by_month.sort_by(|a, b| a.key.cmp(&b.key));
        let mut summary = Summary {
            from: s.from,
            to: s.to,
            include_pending: s.pending,
            activities: self.activities,
            pending: self.pending,
            participants,
            reach,
            consultations,
            banners,
            boards,
            vehicles,
            online_posts,
            online_views,
            disputes,
            legal_aid_cases,
            materials: materials.into_iter().map(|(_, m)| m).collect(),
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
            headline: String::new(),
        };
        summary.headline = headline(&summary);
        Ok(summary)
    }
}

fn names(conn: &Connection, sql: &str) -> Result<HashMap<String, String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How reports write a large total: exact below 100 and for round numbers; "近5000" when
/// within 5 % below a round number; otherwise "3000余", floored to two significant digits.
pub fn approx(n: i64) -> String {
    if n < 100 {
        return n.to_string();
    }
    let digits = (n as f64).log10().floor() as u32;
    let m = 10i64.pow(digits);
    let next = (n / m + 1) * m;
    if n % m != 0 && (next - n) * 20 <= next {
        return format!("近{next}");
    }
    let m2 = m / 10;
    let down = n / m2 * m2;
    if down == n {
        n.to_string()
    } else {
        format!("{down}余")
    }
}

/// The year's sentence for the 法治政府建设情况报告.
pub fn headline(s: &Summary) -> String {
    let materials: i64 = s.materials.iter().map(|m| m.quantity).sum();
    let whole_year = s.from.get(4..) == Some("-01-01")
        && s.to.get(4..) == Some("-12-31")
        && s.from.get(..4) == s.to.get(..4);
    format!(
        "{}开展普法活动{}场次，受众{}人次，发放资料{}份",
        if whole_year { "全年" } else { "期间" },
        s.activities,
        approx(s.reach),
        approx(materials)
    )
}

pub mod pivot;
pub(crate) mod tally;

#[cfg(test)]
mod tests;
