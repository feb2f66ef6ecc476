//! Leaders' numbers: the dashboard of a period and scope (town, a village, a campaign) —
//! 场次, 人次, consultations, materials, plan completion, month by month and broken down by
//! campaign, node, village, audience, format and law. Only approved records count unless
//! pending ones are asked for.

use crate::error::Result;
use crate::validate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
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

fn breakdown(
    conn: &Connection,
    s: &Scope,
    key_sql: &str,
    label: impl Fn(&str) -> String,
) -> Result<Vec<Breakdown>> {
    let sql = format!(
        "{COUNTED}
         SELECT k, count(*), sum(participants), sum(reach) FROM ({key_sql})
         GROUP BY k ORDER BY count(*) DESC, k"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![s.from, s.to, s.unit, s.campaign, s.pending], |r| {
        Ok((
            r.get::<_, Option<String>>(0)?.unwrap_or_default(),
            r.get::<_, i64>(1)?,
            r.get::<_, Option<i64>>(2)?.unwrap_or(0),
            r.get::<_, Option<i64>>(3)?.unwrap_or(0),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (key, activities, participants, reach) = row?;
        out.push(Breakdown {
            label: label(&key),
            key,
            activities,
            participants,
            reach,
        });
    }
    Ok(out)
}

fn names(conn: &Connection, sql: &str) -> Result<std::collections::HashMap<String, String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The dashboard of a period and scope.
pub fn summary(conn: &Connection, f: &SummaryFilter) -> Result<Summary> {
    let s = scope(conn, f)?;
    let p = params![s.from, s.to, s.unit, s.campaign, s.pending];
    let totals: [i64; 12] = conn.query_row(
        &format!(
            "{COUNTED}
             SELECT count(*), coalesce(sum(review_status = 'pending'), 0),
                    coalesce(sum(participants), 0), coalesce(sum(reach), 0),
                    coalesce(sum(consultations), 0), coalesce(sum(banners), 0),
                    coalesce(sum(boards), 0), coalesce(sum(vehicles), 0),
                    coalesce(sum(online_posts), 0), coalesce(sum(online_views), 0),
                    coalesce(sum(disputes), 0), coalesce(sum(legal_aid_cases), 0)
             FROM counted"
        ),
        p,
        |r| {
            let mut t = [0i64; 12];
            for (i, v) in t.iter_mut().enumerate() {
                *v = r.get(i)?;
            }
            Ok(t)
        },
    )?;
    let mut stmt = conn.prepare_cached(&format!(
        "{COUNTED}
         SELECT m.name, m.unit, sum(s.quantity) FROM stock_movement s
         JOIN counted ON counted.id = s.record_id JOIN material m ON m.id = s.material_id
         WHERE s.kind = 'handout' GROUP BY m.id ORDER BY m.category, m.name"
    ))?;
    let materials = stmt
        .query_map(params![s.from, s.to, s.unit, s.campaign, s.pending], |r| {
            Ok(MaterialTotal {
                name: r.get(0)?,
                unit: r.get(1)?,
                quantity: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (planned, planned_held): (i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(a.status = 'held'), 0) FROM activity a
         WHERE a.date >= ?1 AND a.date <= ?2 AND a.status <> 'cancelled'
           AND (?3 IS NULL OR a.unit_id = ?3)
           AND (?4 IS NULL OR EXISTS (SELECT 1 FROM activity_campaign c
                                      WHERE c.activity_id = a.id AND c.campaign_id = ?4))",
        params![s.from, s.to, s.unit, s.campaign],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;

    let campaigns = names(conn, "SELECT id, name FROM campaign")?;
    let units = names(conn, "SELECT id, name FROM unit")?;
    let mut nodes: std::collections::HashMap<String, String> = crate::keydates::national_nodes()
        .iter()
        .map(|n| (n.code.clone(), n.name.clone()))
        .collect();
    nodes.extend(names(conn, "SELECT id, name FROM keydate_node")?);
    let same = |k: &str| k.to_string();
    let month_label = |k: &str| {
        let (y, m) = k.split_once('-').unwrap_or((k, ""));
        format!("{y}年{}月", m.trim_start_matches('0'))
    };
    let json_key = |column: &str| {
        format!("SELECT j.value AS k, counted.* FROM counted, json_each(counted.{column}) j")
    };
    let audience_label = |k: &str| {
        crate::domain::Audience::parse("a", k)
            .map(|a| a.label().to_string())
            .unwrap_or(k.into())
    };
    let format_label = |k: &str| {
        crate::domain::ActivityFormat::parse("f", k)
            .map(|a| a.label().to_string())
            .unwrap_or(k.into())
    };
    let village_level = names(
        conn,
        "SELECT id, name FROM unit WHERE kind IN ('village', 'community') AND archived = 0",
    )?;
    let by_village = breakdown(conn, &s, "SELECT unit_id AS k, * FROM counted", |k| {
        units.get(k).cloned().unwrap_or_else(|| k.to_string())
    })?;
    let mut villages_without: Vec<(i64, String)> = Vec::new();
    if s.unit.is_none() {
        let order = names(conn, "SELECT id, printf('%08d', sort_order) FROM unit")?;
        for (id, name) in &village_level {
            if !by_village.iter().any(|b| &b.key == id) {
                let o = order.get(id).and_then(|o| o.parse().ok()).unwrap_or(0);
                villages_without.push((o, name.clone()));
            }
        }
        villages_without.sort();
    }
    let mut summary = Summary {
        from: s.from.clone(),
        to: s.to.clone(),
        include_pending: s.pending,
        activities: totals[0],
        pending: totals[1],
        participants: totals[2],
        reach: totals[3],
        consultations: totals[4],
        banners: totals[5],
        boards: totals[6],
        vehicles: totals[7],
        online_posts: totals[8],
        online_views: totals[9],
        disputes: totals[10],
        legal_aid_cases: totals[11],
        materials,
        planned,
        planned_held,
        by_month: {
            let mut m = breakdown(
                conn,
                &s,
                "SELECT substr(date, 1, 7) AS k, * FROM counted",
                month_label,
            )?;
            m.sort_by(|a, b| a.key.cmp(&b.key));
            m
        },
        by_campaign: breakdown(
            conn,
            &s,
            "SELECT c.campaign_id AS k, counted.* FROM counted
             JOIN record_campaign c ON c.record_id = counted.id",
            |k| campaigns.get(k).cloned().unwrap_or_else(|| k.to_string()),
        )?,
        by_node: breakdown(conn, &s, &json_key("nodes"), |k| {
            nodes.get(k).cloned().unwrap_or_else(|| k.to_string())
        })?,
        by_village,
        by_audience: breakdown(conn, &s, &json_key("audiences"), audience_label)?,
        by_format: breakdown(conn, &s, &json_key("formats"), format_label)?,
        by_law: breakdown(conn, &s, &json_key("laws"), same)?,
        villages_without: villages_without.into_iter().map(|(_, n)| n).collect(),
        headline: String::new(),
    };
    summary.headline = headline(&summary);
    Ok(summary)
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

#[cfg(test)]
mod tests;
