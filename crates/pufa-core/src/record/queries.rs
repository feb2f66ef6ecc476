//! Reading records: one by id, the filters of the 台账 and its outputs, pages with totals.

use super::fields::{self, search_sql, COUNTS, N_COUNTS};
use super::*;
use crate::reports::StatusCounts;
use crate::validate;
use rusqlite::{OptionalExtension, Row};
use serde::de::DeserializeOwned;

/// The SELECT of a full record: every column of [`fields::columns`] by its name, the village's
/// name, the campaign links and the hand-outs (`r` a record, `u` its unit).
pub(crate) fn select() -> &'static str {
    static SELECT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SELECT.get_or_init(|| {
        let mut cols: Vec<String> = fields::columns()
            .iter()
            .map(|c| format!("r.{0} AS {0}", c.name))
            .collect();
        cols.push("u.name AS unit_name".into());
        cols.push(
            "(SELECT json_group_array(campaign_id) FROM record_campaign c
               WHERE c.record_id = r.id) AS campaign_ids"
                .into(),
        );
        cols.push(
            "(SELECT json_group_array(json_object('material_id', s.material_id,
                     'material_name', m.name, 'quantity', s.quantity, 'unit', m.unit))
                FROM stock_movement s JOIN material m ON m.id = s.material_id
               WHERE s.record_id = r.id AND s.kind = 'handout') AS materials"
                .into(),
        );
        format!(
            "SELECT {} FROM record r LEFT JOIN unit u ON u.id = r.unit_id",
            cols.join(", ")
        )
    })
}

/// A row of [`select`] as a record, read by column name. The row itself always maps (hence the
/// outer `Ok`); a JSON column that does not parse or an unknown stored value is an error naming
/// the record, never a default.
pub(super) fn from_row(r: &Row) -> rusqlite::Result<Result<Record>> {
    Ok(read_row(r))
}

fn read_row(r: &Row) -> Result<Record> {
    let id: String = r.get("id")?;
    let title: String = r.get("title")?;
    let unreadable = |column: &str, why: String| {
        AppError::field(
            ErrorCode::InvalidValue,
            column,
            format!(
                "活动记录“{}”（{}）的{}无法读取：{why}",
                validate::clip(&title),
                validate::clip(&id),
                fields::label(column).unwrap_or(column)
            ),
        )
    };
    let json = |column: &str| -> Result<Option<serde_json::Value>> {
        let text: Option<String> = r.get(column)?;
        text.map(|t| serde_json::from_str(&t).map_err(|e| unreadable(column, e.to_string())))
            .transpose()
    };
    fn typed<T: DeserializeOwned>(
        v: Option<serde_json::Value>,
        column: &str,
        unreadable: &dyn Fn(&str, String) -> AppError,
    ) -> Result<Option<T>> {
        v.map(|v| serde_json::from_value(v).map_err(|e| unreadable(column, e.to_string())))
            .transpose()
    }
    let list = |column: &str| -> Result<serde_json::Value> {
        json(column)?.ok_or_else(|| unreadable(column, "为空".into()))
    };
    macro_rules! from_json {
        ($column:literal) => {
            typed(Some(list($column)?), $column, &unreadable)?.expect("given")
        };
    }
    let venue_type = r
        .get::<_, Option<String>>("venue_type")?
        .map(|v| {
            VenueType::parse("venue_type", &v).map_err(|e| unreadable("venue_type", e.message))
        })
        .transpose()?;
    let status: String = r.get("review_status")?;
    let mut counts = [0i64; N_COUNTS];
    for (value, field) in counts.iter_mut().zip(COUNTS) {
        *value = r.get(field.column)?;
    }
    let mut campaign_ids: Vec<String> = from_json!("campaign_ids");
    campaign_ids.sort();
    Ok(Record {
        activity_id: r.get("activity_id")?,
        date: r.get("date")?,
        start_time: r.get("start_time")?,
        end_time: r.get("end_time")?,
        unit_id: r.get("unit_id")?,
        unit_name: r.get("unit_name")?,
        venue_type,
        venue: r.get("venue")?,
        formats: from_json!("formats"),
        audiences: from_json!("audiences"),
        laws: from_json!("laws"),
        campaign_ids,
        nodes: from_json!("nodes"),
        speakers: from_json!("speakers"),
        partners: from_json!("partners"),
        participants: r.get("participants")?,
        reach: r.get("reach")?,
        reach_by_audience: from_json!("reach_by_audience"),
        counts: RecordCounts::from_values(counts),
        narrative: r.get("narrative")?,
        materials: from_json!("materials"),
        quiz: typed(json("quiz")?, "quiz", &unreadable)?,
        recorder: r.get("recorder")?,
        review_status: ReviewStatus::parse_stored(
            &status,
            &format!("“{}”（{id}）", validate::clip(&title)),
        )?,
        review_comment: r.get("review_comment")?,
        reviewed_by: r.get("reviewed_by")?,
        reviewed_at: r.get("reviewed_at")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
        id,
        title,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Record> {
    // Cached: a save reads the record back four times, and preparing this statement costs more
    // than running it.
    conn.prepare_cached(&format!("{} WHERE r.id = ?1", select()))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| AppError::not_found("活动记录", id))?
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct RecordFilter {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub campaign_id: Option<String>,
    /// The statuses listed: approved | with_pending | pending | returned | all (see
    /// [`crate::reports::Basis`]). Unset, a list shows every status, while an output (台账
    /// workbook, CSV, photos) takes the counting basis, approved records.
    #[serde(default)]
    pub review_status: Option<String>,
    #[serde(default)]
    pub search: Option<String>,
    /// Only the records this person entered (记录人, as saved): a cadre's 我的记录.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub recorder: Option<String>,
}

impl RecordFilter {
    /// The statuses an output (a file or a report) of this filter holds: as asked, else the
    /// counting basis (approved records).
    pub fn output_basis(&self) -> Result<crate::reports::Basis> {
        match self.review_status.as_deref().map(str::trim) {
            None | Some("") => Ok(crate::reports::Basis::Approved),
            Some(s) => crate::reports::Basis::parse("review_status", s),
        }
    }

    /// The same filter with the statuses spelled out (an output's, see [`Self::output_basis`]).
    pub fn with_basis(&self, basis: crate::reports::Basis) -> RecordFilter {
        RecordFilter {
            review_status: Some(basis.code().to_string()),
            ..self.clone()
        }
    }

    /// The same filter with its village and campaign as ids (the command line names a village
    /// by its name): an unknown one is an error naming the field, never an empty 台账.
    pub fn resolved(&self, conn: &Connection) -> Result<RecordFilter> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Ok(RecordFilter {
            unit_id: given(&self.unit_id)
                .map(|v| crate::unit::resolve(conn, &v, "unit_id").map(|u| u.id))
                .transpose()?,
            campaign_id: given(&self.campaign_id)
                .map(|c| crate::campaign::get(conn, &c).map(|c| c.id))
                .transpose()?,
            ..self.clone()
        })
    }

    /// The summary of the same records: period, village, campaign, statuses and search. The
    /// summary does not count by 记录人: a filter naming one is refused rather than summed
    /// over everyone's records.
    pub fn summary_filter(&self) -> Result<crate::reports::SummaryFilter> {
        if self
            .recorder
            .as_deref()
            .is_some_and(|r| !r.trim().is_empty())
        {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "recorder",
                "统计和导出按全村（全部记录人）计算，请先选“全村”",
            ));
        }
        let basis = self.output_basis()?;
        Ok(crate::reports::SummaryFilter {
            from: self.from.clone().unwrap_or_else(|| ALL_FROM.into()),
            to: self.to.clone().unwrap_or_else(|| ALL_TO.into()),
            village: self.unit_id.clone(),
            campaign_id: self.campaign_id.clone(),
            include_pending: basis.takes("pending"),
            basis: Some(basis),
            search: self.search.clone(),
        })
    }
}

/// The widest period, for filters without dates.
pub const ALL_FROM: &str = "1900-01-01";
pub const ALL_TO: &str = "2200-12-31";

pub fn list(conn: &Connection, f: &RecordFilter) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    for_each(conn, f, |r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}

/// A [`RecordFilter`] as SQL (`r` a record, `u` its unit): only the conditions it sets, so
/// SQLite can pick the index that fits (by date, by village, by review status) — a condition
/// written as `?n IS NULL OR …` makes it read every record of a county instead.
pub(super) struct FilterSql {
    sql: String,
    params: Vec<String>,
}

pub(super) fn filter_sql(f: &RecordFilter) -> Result<FilterSql> {
    let opt = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let date = |field: &str, v: &Option<String>| -> Result<Option<String>> {
        opt(v)
            .map(|s| validate::date(field, &s).map(|d| d.to_string()))
            .transpose()
    };
    let from = date("start_date", &f.from)?;
    let to = date("end_date", &f.to)?;
    if let (Some(a), Some(b)) = (&from, &to) {
        validate::date_range(a.parse().expect("ISO"), b.parse().expect("ISO"))?;
    }
    let mut out = FilterSql {
        sql: String::from("1"),
        params: Vec::new(),
    };
    let mut add = |value: Option<String>, condition: &str| {
        if let Some(v) = value {
            out.params.push(v);
            let n = format!("?{}", out.params.len());
            out.sql += " AND ";
            out.sql += &condition.replace("?", &n);
        }
    };
    add(from, "r.date >= ?");
    add(to, "r.date <= ?");
    add(opt(&f.unit_id), "r.unit_id = ?");
    add(
        opt(&f.campaign_id),
        "EXISTS (SELECT 1 FROM record_campaign c WHERE c.record_id = r.id AND c.campaign_id = ?)",
    );
    let status = opt(&f.review_status)
        .map(|s| crate::reports::Basis::parse("review_status", &s).map(|b| (s, b)))
        .transpose()?;
    if let Some((code, b)) = &status {
        // One status: an equality SQLite can use the review index for.
        if b.statuses().len() == 1 {
            add(Some(code.clone()), "r.review_status = ?");
        }
    }
    add(opt(&f.search), &search_sql("?"));
    add(opt(&f.recorder), "r.recorder = ?");
    if let Some((_, b)) = status {
        if b.statuses().len() > 1 && b != crate::reports::Basis::All {
            out.sql += " AND ";
            out.sql += &b.sql("r.review_status");
        }
    }
    Ok(out)
}

/// Streams the records of a filter one at a time (exports of 100,000 rows stay small).
pub fn for_each(
    conn: &Connection,
    f: &RecordFilter,
    each: impl FnMut(Record) -> Result<()>,
) -> Result<()> {
    let mut each = each;
    for_each_row(conn, f, select(), from_row, |r| each(r?))
}

/// The records of a filter in date order, each read by `select` (columns of `record r LEFT
/// JOIN unit u ON u.id = r.unit_id`, the filter's WHERE and the order are added) and `map`:
/// an export reads only the columns it writes.
pub(crate) fn for_each_row<T>(
    conn: &Connection,
    f: &RecordFilter,
    select: &str,
    map: impl FnMut(&Row) -> rusqlite::Result<T>,
    mut each: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    let w = filter_sql(f)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{select} WHERE {} ORDER BY r.date, r.start_time, u.sort_order, r.title",
        w.sql
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(&w.params), map)?;
    for row in rows {
        each(row?)?;
    }
    Ok(())
}

/// [`for_each_row`] with the reading on a second thread and connection, a few hundred records
/// ahead: a 100,000-row export then writes its sheet while SQLite reads the next records
/// instead of taking turns (on a database file; in memory it reads in turn). `map` runs on the
/// reading thread too, so what turns a record into a row (names looked up, text joined) does
/// not hold up the writer.
pub(crate) fn for_each_read_ahead<T: Send>(
    conn: &Connection,
    f: &RecordFilter,
    select: &str,
    map: impl FnMut(&Row) -> rusqlite::Result<T> + Send,
    mut each: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    let Some(path) = conn.path().filter(|p| !p.is_empty()).map(str::to_string) else {
        return for_each_row(conn, f, select, map, each);
    };
    // Checked here, so a bad filter is refused before the thread starts.
    filter_sql(f)?;
    crate::read_ahead::read_ahead(
        move |sink| {
            let reader = Connection::open_with_flags(
                &path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            reader.busy_timeout(std::time::Duration::from_secs(5))?;
            for_each_row(&reader, f, select, map, |r| sink.push(r))
        },
        // The reader went away before the end (it panicked; the scope carries that on).
        || AppError::new(ErrorCode::Cancelled, "已停止"),
        |records| {
            while let Some(r) = records.next_item()? {
                each(r)?;
            }
            Ok(())
        },
    )
}

/// The totals of every record a filter selects (not only of the page shown).
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RecordTotals {
    #[ts(type = "number")]
    pub count: i64,
    /// Villages and other units with at least one record.
    #[ts(type = "number")]
    pub units: i64,
    #[ts(type = "number")]
    pub participants: i64,
    #[ts(type = "number")]
    pub reach: i64,
    /// 咨询人次, 横幅 … 志愿者人次, summed.
    #[serde(flatten)]
    pub counts: RecordCounts,
    #[ts(type = "number")]
    pub pending: i64,
    #[ts(type = "number")]
    pub returned: i64,
    #[ts(type = "number")]
    pub approved: i64,
}

/// One page of the 台账, newest first, with the totals of all it selects.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RecordPage {
    pub rows: Vec<Record>,
    /// Asked for with `with_totals` (the 台账 shows them; the 审核 tabs do not).
    pub totals: Option<RecordTotals>,
}

/// Which page: rows `offset..offset + limit`, newest first unless `oldest_first` (the 审核
/// queue: first come, first reviewed); the totals of everything selected `with_totals`.
#[derive(Debug, Clone, Copy, Default, Deserialize, TS)]
#[ts(export)]
pub struct PageRequest {
    #[serde(default)]
    pub offset: u32,
    pub limit: u32,
    #[serde(default)]
    pub with_totals: bool,
    #[serde(default)]
    pub oldest_first: bool,
}

/// The most rows a page may hold: a table of more is no longer quick to show.
pub const MAX_PAGE: u32 = 500;

/// A page of the records a filter selects, newest first: a county's year (100,000 records)
/// is shown 50 at a time instead of all at once.
pub fn page(conn: &Connection, f: &RecordFilter, p: &PageRequest) -> Result<RecordPage> {
    let PageRequest {
        offset,
        limit,
        with_totals,
        oldest_first,
    } = *p;
    if limit == 0 || limit > MAX_PAGE {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "limit",
            format!("每页条数须在1—{MAX_PAGE}之间"),
        ));
    }
    let w = filter_sql(f)?;
    let totals = if with_totals {
        Some(
            conn.prepare_cached(&format!(
                "SELECT count(*), count(DISTINCT r.unit_id),
                        coalesce(sum(r.participants), 0), coalesce(sum(r.reach), 0),
                        coalesce(sum(r.review_status = 'pending'), 0),
                        coalesce(sum(r.review_status = 'returned'), 0),
                        coalesce(sum(r.review_status = 'approved'), 0), {}
                 FROM record r LEFT JOIN unit u ON u.id = r.unit_id WHERE {}",
                COUNTS
                    .iter()
                    .map(|c| format!("coalesce(sum(r.{}), 0)", c.column))
                    .collect::<Vec<_>>()
                    .join(", "),
                w.sql
            ))?
            .query_row(rusqlite::params_from_iter(&w.params), |r| {
                let mut counts = [0i64; N_COUNTS];
                for (i, value) in counts.iter_mut().enumerate() {
                    *value = r.get(7 + i)?;
                }
                Ok(RecordTotals {
                    count: r.get(0)?,
                    units: r.get(1)?,
                    participants: r.get(2)?,
                    reach: r.get(3)?,
                    pending: r.get(4)?,
                    returned: r.get(5)?,
                    approved: r.get(6)?,
                    counts: RecordCounts::from_values(counts),
                })
            })?,
        )
    } else {
        None
    };
    // The page's ids first (narrow rows, sorted and cut), then those records in full: the
    // materials and campaigns of a record are read for the rows shown, not for every match.
    let n = w.params.len();
    let order = if oldest_first {
        "r.date, r.start_time, u.sort_order, r.title, r.id"
    } else {
        "r.date DESC, r.start_time DESC, u.sort_order, r.title, r.id"
    };
    let mut stmt = conn.prepare_cached(&format!(
        "WITH page AS (
             SELECT r.id, row_number() OVER (ORDER BY {order}) AS n
             FROM record r LEFT JOIN unit u ON u.id = r.unit_id WHERE {}
             ORDER BY {order} LIMIT ?{} OFFSET ?{})
         {select} JOIN page ON page.id = r.id ORDER BY page.n",
        w.sql,
        n + 1,
        n + 2,
        select = select()
    ))?;
    let mut args = w.params;
    args.push(limit.to_string());
    args.push(offset.to_string());
    let rows = stmt
        .query_map(rusqlite::params_from_iter(&args), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    Ok(RecordPage { rows, totals })
}

/// How many records (of a village, or all) have each review status: the review tabs' counts.
pub fn status_counts(conn: &Connection, unit_id: Option<&str>) -> Result<StatusCounts> {
    let mut stmt = conn.prepare_cached(if unit_id.is_some() {
        "SELECT review_status, count(*) FROM record WHERE unit_id = ?1 GROUP BY review_status"
    } else {
        "SELECT review_status, count(*) FROM record WHERE ?1 IS NULL GROUP BY review_status"
    })?;
    let mut out = StatusCounts::default();
    let mut rows = stmt.query([unit_id])?;
    while let Some(r) = rows.next()? {
        let n: i64 = r.get(1)?;
        match r.get::<_, String>(0)?.as_str() {
            "pending" => out.pending = n,
            "returned" => out.returned = n,
            _ => out.approved = n,
        }
    }
    Ok(out)
}
