//! 透视表: the leaders' own table of the counted records — rows and (optionally) columns chosen
//! among month, campaign, node, village, audience, format, law and material, one measure
//! (场次, 参加人数, 受众人次, 咨询人次 or the quantity of materials handed out), with the totals
//! of every row and column. The records that count are the dashboard's: the same period,
//! village, campaign and "approved only unless pending are included" (`reports::summary`).
//!
//! A record can hold several values of a dimension (two laws, three audiences, no node at
//! all): it then counts in each of its rows, and a record with no value goes into a
//! "（未填）" row. So the cells of a multi-valued dimension can add up to more than its total;
//! every total is therefore counted by its own query (records grouped on one dimension, or not
//! at all), never by summing cells — the grand total of 场次 is the number of distinct records.
//!
//! Quantities are never added across units (份 and 册): with materials of several units the
//! table is split by material or by unit (计量单位, chosen as the column when none is), and a
//! total over several units is left empty (`None`).

use super::{counted_cte, scope, Scope, SummaryFilter};
use crate::error::{AppError, ErrorCode, Result};
use crate::validate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// What a row or a column of the table stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Dim {
    Month,
    Campaign,
    Node,
    Village,
    Audience,
    Format,
    Law,
    Material,
    /// The unit of the materials handed out (份, 册 …).
    Unit,
}

/// What each cell counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Measure {
    /// 场次: records.
    Activities,
    /// 参加人数.
    Participants,
    /// 受众人次.
    Reach,
    /// 咨询人次.
    Consultations,
    /// Materials handed out (the hand-outs of the counted records; with no material dimension,
    /// all of them together).
    Quantity,
}

/// Accepts a code ("village"), the Chinese label ("村/单位") or a short form ("村").
fn parse_code<T: Copy>(
    field: &str,
    s: &str,
    all: &[T],
    names: impl Fn(T) -> (&'static str, &'static str, &'static [&'static str]),
) -> Result<T> {
    let s = s.trim();
    all.iter()
        .copied()
        .find(|v| {
            let (code, label, aliases) = names(*v);
            code.eq_ignore_ascii_case(s) || label == s || aliases.contains(&s)
        })
        .ok_or_else(|| {
            let allowed: Vec<String> = all
                .iter()
                .map(|v| {
                    let (code, label, _) = names(*v);
                    format!("{label}（{code}）")
                })
                .collect();
            AppError::field(
                ErrorCode::InvalidValue,
                field,
                format!(
                    "{}“{}”无效，可选：{}",
                    validate::label(field),
                    validate::clip(s),
                    allowed.join("、")
                ),
            )
        })
}

impl Dim {
    pub const ALL: &'static [Dim] = &[
        Dim::Month,
        Dim::Campaign,
        Dim::Node,
        Dim::Village,
        Dim::Audience,
        Dim::Format,
        Dim::Law,
        Dim::Material,
        Dim::Unit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Dim::Month => "month",
            Dim::Campaign => "campaign",
            Dim::Node => "node",
            Dim::Village => "village",
            Dim::Audience => "audience",
            Dim::Format => "format",
            Dim::Law => "law",
            Dim::Material => "material",
            Dim::Unit => "unit",
        }
    }

    /// The heading of the dimension's column in a table.
    pub fn label(self) -> &'static str {
        match self {
            Dim::Month => "月份",
            Dim::Campaign => "活动专项",
            Dim::Node => "普法节点",
            Dim::Village => "村/单位",
            Dim::Audience => "宣传对象",
            Dim::Format => "活动形式",
            Dim::Law => "法律法规",
            Dim::Material => "宣传资料",
            Dim::Unit => "计量单位",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Dim::Month => &["月", "按月"],
            Dim::Campaign => &["专项"],
            Dim::Node => &["节点"],
            Dim::Village => &["村", "村（社区）", "村/社区"],
            Dim::Audience => &["对象"],
            Dim::Format => &["形式"],
            Dim::Law => &["法律", "法规"],
            Dim::Material => &["资料"],
            Dim::Unit => &["单位"],
        }
    }

    /// Accepts the code, the Chinese label or a short form; `field` names the option in the
    /// error ("rows", "cols").
    pub fn parse(field: &str, s: &str) -> Result<Dim> {
        parse_code(field, s, Self::ALL, |d| (d.code(), d.label(), d.aliases()))
    }

    /// Whether one record can hold several values (or none) of this dimension.
    pub fn multi_valued(self) -> bool {
        !matches!(self, Dim::Month | Dim::Village)
    }

    /// Whether each value holds materials of one unit only.
    fn one_unit(self) -> bool {
        matches!(self, Dim::Material | Dim::Unit)
    }
}

impl Measure {
    pub const ALL: &'static [Measure] = &[
        Measure::Activities,
        Measure::Participants,
        Measure::Reach,
        Measure::Consultations,
        Measure::Quantity,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Measure::Activities => "activities",
            Measure::Participants => "participants",
            Measure::Reach => "reach",
            Measure::Consultations => "consultations",
            Measure::Quantity => "quantity",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Measure::Activities => "活动场次",
            Measure::Participants => "参加人数",
            Measure::Reach => "受众人次",
            Measure::Consultations => "咨询人次",
            Measure::Quantity => "资料发放数量",
        }
    }

    /// The short heading of a value column ("场次").
    pub fn short(self) -> &'static str {
        match self {
            Measure::Activities => "场次",
            Measure::Participants => "人数",
            Measure::Reach => "人次",
            Measure::Consultations => "咨询人次",
            Measure::Quantity => "数量",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Measure::Activities => &["场次", "场"],
            Measure::Participants => &["人数", "人"],
            Measure::Reach => &["人次", "受众"],
            Measure::Consultations => &["咨询"],
            Measure::Quantity => &["数量", "资料", "发放数量"],
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Measure> {
        parse_code(field, s, Self::ALL, |m| (m.code(), m.label(), m.aliases()))
    }

    /// The record column summed (records are the unit of every measure but quantity).
    fn value_sql(self) -> &'static str {
        match self {
            Measure::Activities => "1",
            Measure::Participants => "counted.participants",
            Measure::Reach => "counted.reach",
            Measure::Consultations => "counted.consultations",
            Measure::Quantity => "h.quantity",
        }
    }
}

/// What the 透视表 screen, `pivot` on the command line and the Excel export ask for.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct PivotRequest {
    /// The dashboard's filter: period, village, campaign, pending included or not.
    pub filter: SummaryFilter,
    pub rows: Dim,
    /// None: one value per row (the 合计 column only).
    #[serde(default)]
    pub cols: Option<Dim>,
    pub measure: Measure,
}

/// A row or column heading: the key grouped by and what a reader sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PivotLabel {
    /// "2026-05", a campaign / unit / material id, an audience code, a law, or "" for （未填）.
    pub key: String,
    pub label: String,
}

/// The table, exactly as shown and exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PivotTable {
    pub from: String,
    pub to: String,
    pub include_pending: bool,
    pub rows: Dim,
    pub cols: Option<Dim>,
    pub measure: Measure,
    /// Period, scope, measure and grouping in one line (the workbook's title row).
    pub title: String,
    pub row_labels: Vec<PivotLabel>,
    /// Empty without a column dimension.
    pub col_labels: Vec<PivotLabel>,
    /// `cells[row][col]`; rows are empty without a column dimension.
    #[ts(type = "Array<Array<number>>")]
    pub cells: Vec<Vec<i64>>,
    /// Each row's total, counted on its own: for 场次 a record with two values of the column
    /// dimension is one activity of its row, not two. None: a quantity over several units.
    #[ts(type = "Array<number | null>")]
    pub row_totals: Vec<Option<i64>>,
    #[ts(type = "Array<number | null>")]
    pub col_totals: Vec<Option<i64>>,
    /// The grand total: distinct records (or hand-outs), whatever the dimensions; None for a
    /// quantity over several units.
    #[ts(type = "number | null")]
    pub total: Option<i64>,
    /// 场次, 人, 人次 or the materials' unit ("份、册" when they differ: then each row or column
    /// is of one unit).
    pub measure_unit: String,
    /// Which records count, their statuses, and "统计口径：…" as every output states it.
    pub basis: super::Basis,
    pub statuses: super::StatusCounts,
    pub basis_line: String,
    /// Totals that are the distinct count although the rows (or columns) can hold one record
    /// several times: said under the table.
    pub note: String,
}

/// The row of records (or hand-outs) with no value of a dimension.
pub const UNFILLED: &str = "（未填）";

/// Months of the period are listed even when empty, up to this many; a longer period lists
/// only the months that have records.
const MAX_FILLED_MONTHS: usize = 60;

/// How a dimension reaches the counted records: a join (alias `alias`) and the key it groups by.
fn axis(dim: Dim, alias: &str, quantity: bool) -> (String, String) {
    let json = |column: &str| {
        (
            format!("LEFT JOIN json_each(counted.{column}) {alias}"),
            format!("{alias}.value"),
        )
    };
    match dim {
        Dim::Month => (String::new(), "substr(counted.date, 1, 7)".into()),
        Dim::Village => (String::new(), "counted.unit_id".into()),
        Dim::Campaign => (
            format!("LEFT JOIN record_campaign {alias} ON {alias}.record_id = counted.id"),
            format!("{alias}.campaign_id"),
        ),
        Dim::Node => json("nodes"),
        Dim::Audience => json("audiences"),
        Dim::Format => json("formats"),
        Dim::Law => json("laws"),
        // Counting hand-outs: each one is of one material.
        Dim::Material if quantity => (String::new(), "h.material_id".into()),
        Dim::Unit if quantity => (String::new(), "hm.unit".into()),
        Dim::Unit => (
            format!(
                "LEFT JOIN stock_movement {alias}
                 ON {alias}.record_id = counted.id AND {alias}.kind = 'handout'
                 LEFT JOIN material {alias}m ON {alias}m.id = {alias}.material_id"
            ),
            format!("{alias}m.unit"),
        ),
        Dim::Material => (
            format!(
                "LEFT JOIN stock_movement {alias}
                 ON {alias}.record_id = counted.id AND {alias}.kind = 'handout'"
            ),
            format!("{alias}.material_id"),
        ),
    }
}

/// A group's sum, or None when it adds quantities of several units.
type Sum = Option<i64>;

/// The measure summed per group of `dims` (none: the grand total), in one query. Each record
/// (each hand-out for quantity) counts once per group it falls in, whatever other joins give.
fn grouped(
    conn: &Connection,
    s: &Scope,
    measure: Measure,
    dims: &[Dim],
) -> Result<Vec<(Vec<String>, Sum)>> {
    let quantity = measure == Measure::Quantity;
    let (unit, base, unit_of) = if quantity {
        (
            "h.id",
            "JOIN stock_movement h ON h.record_id = counted.id AND h.kind = 'handout'
             JOIN material hm ON hm.id = h.material_id",
            "hm.unit",
        )
    } else {
        ("counted.id", "", "''")
    };
    let mut keys = String::new();
    let mut joins = String::new();
    let mut outer = String::new();
    let mut group = Vec::new();
    for (i, d) in dims.iter().enumerate() {
        let (join, key) = axis(*d, &format!("d{i}"), quantity);
        keys.push_str(&format!("{key} AS k{i}, "));
        joins.push_str(&join);
        joins.push('\n');
        outer.push_str(&format!("k{i}, "));
        group.push(format!("k{i}"));
    }
    let group_by = if group.is_empty() {
        String::new()
    } else {
        format!("GROUP BY {}", group.join(", "))
    };
    let sql = format!(
        "{cte}
         SELECT {outer}coalesce(sum(v), 0), count(DISTINCT un) FROM (
             SELECT DISTINCT {keys}{unit} AS u, {value} AS v, {unit_of} AS un
             FROM counted {base}
             {joins})
         {group_by}",
        cte = counted_cte(s.basis),
        value = measure.value_sql()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let n = dims.len();
    let rows = stmt.query_map(&s.params()[..], |r| {
        let mut k = Vec::with_capacity(n);
        for i in 0..n {
            k.push(r.get::<_, Option<String>>(i)?.unwrap_or_default());
        }
        let units: i64 = r.get(n + 1)?;
        Ok((k, (units <= 1).then_some(r.get::<_, i64>(n)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Names of what the keys stand for, looked up once.
struct Names {
    campaigns: HashMap<String, String>,
    nodes: HashMap<String, String>,
    /// Unit name and its place in lists (kind, then sort order).
    units: HashMap<String, (String, i64, i64)>,
    /// "宪法读本（册）".
    materials: HashMap<String, String>,
}

impl Names {
    fn load(conn: &Connection) -> Result<Names> {
        let mut nodes: HashMap<String, String> = crate::keydates::national_nodes()
            .iter()
            .map(|n| (n.code.clone(), n.name.clone()))
            .collect();
        nodes.extend(super::names(conn, "SELECT id, name FROM keydate_node")?);
        let mut stmt = conn.prepare_cached(
            "SELECT id, name, CASE kind WHEN 'village' THEN 0 WHEN 'community' THEN 0
                    WHEN 'school' THEN 1 WHEN 'enterprise' THEN 2 ELSE 3 END, sort_order
             FROM unit",
        )?;
        let units = stmt
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Names {
            campaigns: super::names(conn, "SELECT id, name FROM campaign")?,
            nodes,
            units,
            materials: super::names(
                conn,
                "SELECT id, name || '（' || unit || '）' FROM material",
            )?,
        })
    }

    fn label(&self, dim: Dim, key: &str) -> String {
        if key.is_empty() {
            return UNFILLED.into();
        }
        let known = |m: &HashMap<String, String>| m.get(key).cloned();
        match dim {
            Dim::Month => {
                let (y, m) = key.split_once('-').unwrap_or((key, ""));
                Some(format!("{y}年{}月", m.trim_start_matches('0')))
            }
            Dim::Campaign => known(&self.campaigns),
            Dim::Node => known(&self.nodes),
            Dim::Village => self.units.get(key).map(|u| u.0.clone()),
            Dim::Audience => crate::domain::Audience::parse("a", key)
                .ok()
                .map(|a| a.label().to_string()),
            Dim::Format => crate::domain::ActivityFormat::parse("f", key)
                .ok()
                .map(|f| f.label().to_string()),
            Dim::Law | Dim::Unit => None,
            Dim::Material => known(&self.materials),
        }
        .unwrap_or_else(|| key.to_string())
    }
}

/// The months from `from` to `to` ("2026-01" …), or None when there are too many to list.
fn months_of(from: &str, to: &str) -> Option<Vec<String>> {
    let ym = |s: &str| -> Option<(i32, u32)> {
        Some((s.get(..4)?.parse().ok()?, s.get(5..7)?.parse().ok()?))
    };
    let (mut y, mut m) = ym(from)?;
    let end = ym(to)?;
    let mut out = Vec::new();
    while (y, m) <= end {
        if out.len() >= MAX_FILLED_MONTHS {
            return None;
        }
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    Some(out)
}

/// The headings of one axis, in reading order: months chronologically (every month of the
/// period), villages by the unit list's order (every active village and community unless one
/// is chosen), the rest by their total, largest first; （未填） last.
fn headings(
    conn: &Connection,
    s: &Scope,
    dim: Dim,
    totals: &HashMap<String, Sum>,
    names: &Names,
) -> Result<Vec<PivotLabel>> {
    let mut keys: Vec<String> = totals.keys().cloned().collect();
    let mut add = |more: Vec<String>| {
        for k in more {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    };
    match dim {
        Dim::Month => add(months_of(&s.from, &s.to).unwrap_or_default()),
        Dim::Village if s.unit.is_none() => {
            let mut stmt = conn.prepare_cached(
                "SELECT id FROM unit WHERE kind IN ('village', 'community') AND archived = 0",
            )?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            add(ids);
        }
        _ => {}
    }
    let total = |k: &String| totals.get(k).copied().flatten().unwrap_or(0);
    match dim {
        Dim::Month => keys.sort(),
        Dim::Village => keys.sort_by_key(|k| {
            let (name, rank, order) = names.units.get(k).cloned().unwrap_or_default();
            (k.is_empty(), rank, order, name)
        }),
        _ => keys.sort_by_cached_key(|k| (k.is_empty(), -total(k), names.label(dim, k))),
    }
    Ok(keys
        .into_iter()
        .map(|key| PivotLabel {
            label: names.label(dim, &key),
            key,
        })
        .collect())
}

fn title(conn: &Connection, s: &Scope, req: &PivotRequest, unit: &str) -> Result<String> {
    let date = |d: &str| {
        crate::cn_date::iso_date(d)
            .map(crate::cn_date::full_date_cn)
            .unwrap_or_else(|| d.to_string())
    };
    let mut scope = match &s.unit {
        Some(id) => conn.query_row("SELECT name FROM unit WHERE id = ?1", [id], |r| r.get(0))?,
        None => "全镇".to_string(),
    };
    if let Some(c) = &s.campaign {
        let name: String =
            conn.query_row("SELECT name FROM campaign WHERE id = ?1", [c], |r| r.get(0))?;
        scope.push_str(&format!(" · {name}"));
    }
    let by = match req.cols {
        Some(c) => format!("按{}、{}", req.rows.label(), c.label()),
        None => format!("按{}", req.rows.label()),
    };
    Ok(format!(
        "{}至{}　{scope}　{}（{unit}），{by}（{}）",
        date(&s.from),
        date(&s.to),
        req.measure.label(),
        s.basis.words()
    ))
}

/// The unit of the measure; for quantity the materials' own unit when they share one.
fn measure_unit(conn: &Connection, s: &Scope, measure: Measure) -> Result<String> {
    Ok(match measure {
        Measure::Activities => "场次".into(),
        Measure::Participants => "人".into(),
        Measure::Reach | Measure::Consultations => "人次".into(),
        Measure::Quantity => handout_units(conn, s)?.join("、"),
    })
}

/// The units of the materials the scope's records handed out.
fn handout_units(conn: &Connection, s: &Scope) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{}
         SELECT DISTINCT m.unit FROM stock_movement h
         JOIN counted ON counted.id = h.record_id JOIN material m ON m.id = h.material_id
         WHERE h.kind = 'handout' ORDER BY m.unit",
        counted_cte(s.basis)
    ))?;
    let units = stmt
        .query_map(&s.params()[..], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(units)
}

/// The 透视表 of a period and scope. Cells come from one query grouped on both dimensions;
/// the row totals, column totals and grand total each from their own query (see the module
/// documentation: a record with two laws is in two law rows but is one 场次 of the total).
pub fn pivot(conn: &Connection, req: &PivotRequest) -> Result<PivotTable> {
    let s = scope(conn, &req.filter)?;
    let mut req = req.clone();
    if req.cols == Some(req.rows) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "cols",
            format!(
                "行和列不能都按“{}”分组，请为列另选一项或不选",
                req.rows.label()
            ),
        ));
    }
    // Quantities of several units are split by material or unit, never added together.
    let units = if req.measure == Measure::Quantity {
        handout_units(conn, &s)?
    } else {
        Vec::new()
    };
    let split = req.rows.one_unit() || req.cols.is_some_and(Dim::one_unit);
    if units.len() > 1 && !split {
        match req.cols {
            None => req.cols = Some(Dim::Unit),
            Some(_) => {
                return Err(AppError::field(
                    ErrorCode::InvalidValue,
                    "cols",
                    format!(
                        "发放的资料有不同计量单位（{}），数量不能相加：请把行或列之一选为“宣传资料”或“计量单位”",
                        units.join("、")
                    ),
                ))
            }
        }
    }
    let req = &req;
    let names = Names::load(conn)?;
    let by_one = |dim: Dim| -> Result<HashMap<String, Sum>> {
        Ok(grouped(conn, &s, req.measure, &[dim])?
            .into_iter()
            .map(|(mut k, v)| (k.remove(0), v))
            .collect())
    };
    let row_map = by_one(req.rows)?;
    let row_labels = headings(conn, &s, req.rows, &row_map, &names)?;
    let totals_of = |labels: &[PivotLabel], map: &HashMap<String, Sum>| -> Vec<Sum> {
        labels
            .iter()
            .map(|l| map.get(&l.key).copied().unwrap_or(Some(0)))
            .collect()
    };
    let row_totals = totals_of(&row_labels, &row_map);
    let total = grouped(conn, &s, req.measure, &[])?
        .first()
        .map(|(_, v)| *v)
        .unwrap_or(Some(0));

    let (col_labels, col_totals, cells) = match req.cols {
        None => (Vec::new(), Vec::new(), vec![Vec::new(); row_labels.len()]),
        Some(cols) => {
            let col_map = by_one(cols)?;
            let col_labels = headings(conn, &s, cols, &col_map, &names)?;
            let col_totals = totals_of(&col_labels, &col_map);
            let row_index: HashMap<&str, usize> = row_labels
                .iter()
                .enumerate()
                .map(|(i, l)| (l.key.as_str(), i))
                .collect();
            let col_index: HashMap<&str, usize> = col_labels
                .iter()
                .enumerate()
                .map(|(i, l)| (l.key.as_str(), i))
                .collect();
            let mut cells = vec![vec![0i64; col_labels.len()]; row_labels.len()];
            for (k, v) in grouped(conn, &s, req.measure, &[req.rows, cols])? {
                if let (Some(r), Some(c)) =
                    (row_index.get(k[0].as_str()), col_index.get(k[1].as_str()))
                {
                    // A cell is of one material or one unit (split above).
                    cells[*r][*c] = v.unwrap_or(0);
                }
            }
            (col_labels, col_totals, cells)
        }
    };
    let unit = measure_unit(conn, &s, req.measure)?;
    let statuses = super::status_counts(conn, &s)?;
    let mut note = Vec::new();
    for dim in std::iter::once(req.rows).chain(req.cols) {
        if dim.multi_valued() && req.measure != Measure::Quantity {
            note.push(format!(
                "一场活动可属于多个“{}”，各{}相加可能大于合计；合计按活动去重计算。",
                dim.label(),
                if dim == req.rows { "行" } else { "列" }
            ));
        }
    }
    if units.len() > 1 {
        note.push(format!(
            "资料的计量单位不同（{}），不同单位的数量不相加，跨单位的合计留空。",
            units.join("、")
        ));
    }
    Ok(PivotTable {
        title: title(conn, &s, req, &unit)?,
        basis_line: super::basis::statement(s.basis, &statuses),
        basis: s.basis,
        statuses,
        note: note.join(""),
        from: s.from.clone(),
        to: s.to.clone(),
        include_pending: s.basis.takes("pending"),
        rows: req.rows,
        cols: req.cols,
        measure: req.measure,
        row_labels,
        col_labels,
        cells,
        row_totals,
        col_totals,
        total,
        measure_unit: unit,
    })
}

#[cfg(test)]
mod tests;
