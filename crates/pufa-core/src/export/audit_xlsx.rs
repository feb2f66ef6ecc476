//! The whole audit trail (全过程留痕) as an Excel workbook: one sheet 操作记录 with a row per
//! changed field — who, when (a real Excel date-time in the computer's local time), what, the
//! action, and the value before and after in words (codes as their Chinese labels, ids as
//! names). An entry without field changes (a note, an attachment) is one row with its summary.
//!
//! Rows are streamed from the database into a constant-memory worksheet: memory does not grow
//! with the length of the trail. The lines follow the history panel of the window
//! (`ui/src/lib/audit-view.ts`): bookkeeping fields are left out, a creation lists what was
//! entered and a deletion what was removed.

use super::{full_date_cn, iso_date, xlsx_error, Exported};
use crate::audit::{self, AuditEntry};
use crate::domain::{
    ActivityFormat, ActivityStatus, Audience, CampaignKind, PersonRole, UnitKind, UserRole,
    VenueType,
};
use crate::error::{AppError, ErrorCode, Result};
use crate::record::ReviewStatus;
use crate::validate;
use chrono::{
    DateTime, Datelike, Days, Local, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Timelike,
    Utc,
};
use rusqlite::{Connection, OptionalExtension};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

/// The sheet's name.
pub const SHEET: &str = "操作记录";

/// Column headers and widths (in characters).
const HEADERS: &[(&str, f64)] = &[
    ("时间", 19.0),
    ("操作人", 9.0),
    ("角色", 11.0),
    ("对象类型", 11.0),
    ("对象", 22.0),
    ("操作", 9.0),
    ("字段", 11.0),
    ("原值", 30.0),
    ("新值", 30.0),
    ("摘要", 32.0),
];
/// The columns whose text wraps: the object, the values and the summary.
const WRAPPED: [usize; 4] = [4, 7, 8, 9];
/// The height of one line of 11-point text, in points.
const LINE_HEIGHT: f64 = 15.0;
/// The tallest row Excel allows, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// Excel's last row (1,048,576 rows, the header included).
const MAX_ROWS: u32 = 1_048_575;
/// Excel refuses longer cell texts (32,767 characters).
const MAX_CELL: usize = 32_000;
/// A value that was not there, as the history panel shows it.
const EMPTY: &str = "（空）";

/// Fields a reader does not need: the entry already says who and when, ids are shown as names.
const HIDDEN: &[&str] = &[
    "id",
    "created_at",
    "updated_at",
    "unit_name",
    "lead_person_name",
    "reviewed_at",
    "reviewed_by",
    "record_id",
    "material_id",
    "series_id",
    "sha256",
    "stored",
    "thumbnail",
    "mime",
    "device_id",
    // A local node's code is its record id; `local` is always true for it.
    "code",
    "local",
];

/// The order fields are listed in (the form's order); other fields follow by name.
const ORDER: &[&str] = &[
    "title",
    "name",
    "date",
    "start_date",
    "end_date",
    "start_time",
    "end_time",
    "unit_id",
    "formats",
    "participants",
    "recorder",
    "review_status",
    "review_comment",
    "reach",
    "reach_by_audience",
    // The record's optional counts (record::COUNTS) rank here, see `rank`.
    "venue_type",
    "venue",
    "audiences",
    "laws",
    "campaign_ids",
    "nodes",
    "speakers",
    "partners",
    "materials",
    "quiz",
    "narrative",
    "activity_id",
];

/// One changed field in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub field: String,
    pub label: String,
    pub before: String,
    pub after: String,
}

/// The label of a changed field, as the history panel shows it (zh-CN `auditFields`, then the
/// field names of the forms), else the raw name.
pub fn field_label(field: &str) -> String {
    let own = match field {
        "unit_id" => "村/单位",
        "partners" => "联合单位",
        "materials" => "发放资料",
        "activity_id" => "计划活动",
        "venue" => "具体地点",
        "laws" => "宣传法律",
        "campaign_ids" => "所属专项",
        "low_stock" => "预警数量",
        "balance" => "库存",
        "archived" => "已归档",
        "from_store" => "调出",
        "to_store" => "调入",
        "note" => "备注",
        "below_zero" => "超发",
        "material_name" => "资料",
        "file_name" => "文件名",
        "size" => "大小",
        "expected_audience" => "预计受众",
        "address" => "地址",
        "locale" => "界面语言",
        "days" => "持续天数",
        "until" => "截止日期",
        "announced" => "已公布",
        "lead_agency" => "牵头部门",
        "window_before" => "提前宣传天数",
        "window_after" => "延后宣传天数",
        "description" => "说明",
        "builtin" => "内置",
        "sort_order" => "排序",
        "activity" => "活动安排",
        "campaign_kind" => "专项类型",
        "unit_kinds" => "适用单位类型",
        _ => "",
    };
    if !own.is_empty() {
        return own.to_string();
    }
    match validate::label(field) {
        "字段" => field.to_string(),
        l => l.to_string(),
    }
}

/// Names of the things an entry's values refer to by id or code, looked up once per export
/// (planned activities, of which there may be very many, one at a time).
struct Names {
    units: HashMap<String, String>,
    people: HashMap<String, String>,
    campaigns: HashMap<String, String>,
    nodes: HashMap<String, String>,
}

impl Names {
    fn load(conn: &Connection) -> Result<Names> {
        let pairs = |sql: &str| -> Result<HashMap<String, String>> {
            let mut stmt = conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let mut nodes: HashMap<String, String> = crate::keydates::national_nodes()
            .iter()
            .map(|n| (n.code.clone(), n.name.clone()))
            .collect();
        for n in crate::keydates::local_nodes(conn)? {
            nodes.insert(n.code, n.name);
        }
        let mut names = Names {
            units: pairs("SELECT id, name FROM unit")?,
            people: pairs("SELECT id, name FROM person")?,
            campaigns: pairs("SELECT id, name FROM campaign")?,
            nodes,
        };
        // Deleted units, people and campaigns keep their names in the trail.
        let mut stmt = conn.prepare(
            "SELECT entity, entity_id, summary FROM audit_log
             WHERE action = 'delete' AND entity IN ('unit', 'person', 'campaign')",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (entity, id, summary) = row?;
            let map = match entity.as_str() {
                "unit" => &mut names.units,
                "person" => &mut names.people,
                _ => &mut names.campaigns,
            };
            if let Some(name) = quoted(&summary) {
                map.entry(id).or_insert_with(|| name.to_string());
            }
        }
        Ok(names)
    }

    /// The last name the trail gave an entity (a deleted template, a node by its code).
    fn from_trail(conn: &Connection, entity: &str, id: &str) -> Option<String> {
        conn.prepare_cached(
            "SELECT summary FROM audit_log WHERE entity = ?1 AND entity_id = ?2
               AND summary LIKE '%“%”%' ORDER BY at DESC, rowid DESC LIMIT 1",
        )
        .and_then(|mut s| {
            s.query_row([entity, id], |r| r.get::<_, String>(0))
                .optional()
        })
        .ok()
        .flatten()
        .and_then(|s| quoted(&s).map(str::to_string))
    }

    fn activity(conn: &Connection, id: &str) -> Option<String> {
        let row: Option<(String, String)> = conn
            .prepare_cached("SELECT title, date FROM activity WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .ok()
            .flatten();
        row.map(|(title, date)| match iso_date(&date) {
            Some(d) => format!("{title}（{}）", full_date_cn(d)),
            None => title,
        })
    }
}

/// The Chinese label of an enum code, when `field` of `entity` holds one.
fn enum_label(entity: &str, field: &str, code: &str) -> Option<&'static str> {
    fn by<T: DeserializeOwned>(code: &str, label: fn(T) -> &'static str) -> Option<&'static str> {
        serde_json::from_value::<T>(Value::String(code.to_string()))
            .ok()
            .map(label)
    }
    match (field, entity) {
        ("formats", _) => by(code, ActivityFormat::label),
        ("audiences", _) => by(code, Audience::label),
        ("venue_type", _) => by(code, VenueType::label),
        ("review_status", _) => by(code, ReviewStatus::label),
        ("status", "activity") => by(code, ActivityStatus::label),
        ("role", "user") => by(code, UserRole::label),
        ("role", _) => by(code, PersonRole::label),
        ("kind", "unit") => by(code, UnitKind::label),
        ("kind", "campaign") | ("campaign_kind", _) => by(code, CampaignKind::label),
        ("unit_kinds", _) => by(code, UnitKind::label),
        ("kind", "stock") => match code {
            "receipt" => Some("入库"),
            "handout" => Some("发放"),
            "transfer" => Some("调拨"),
            _ => None,
        },
        _ => None,
    }
}

/// The first name in “…” of a summary.
fn quoted(summary: &str) -> Option<&str> {
    let (_, rest) = summary.split_once('“')?;
    let (name, _) = rest.split_once('”')?;
    Some(name).filter(|n| !n.is_empty())
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Number(_) | Value::Bool(true) => false,
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A list in words ("、"-separated); an empty list is "（空）".
fn joined(items: impl Iterator<Item = String>) -> String {
    let s = items.collect::<Vec<_>>().join("、");
    if s.is_empty() {
        EMPTY.to_string()
    } else {
        s
    }
}

/// One value in words, as the history panel shows it in Chinese.
fn value_text(conn: &Connection, names: &Names, entity: &str, field: &str, v: &Value) -> String {
    let name_of = |map: &HashMap<String, String>, id: &Value| {
        let id = plain(id);
        map.get(&id).cloned().unwrap_or(id)
    };
    match v {
        Value::Null => return EMPTY.to_string(),
        Value::String(s) if s.is_empty() => return EMPTY.to_string(),
        Value::Bool(b) => return if *b { "是" } else { "否" }.to_string(),
        _ => {}
    }
    let code = |c: &Value| {
        let c = plain(c);
        enum_label(entity, field, &c).map_or(c, str::to_string)
    };
    match (field, v) {
        (_, Value::String(s)) if enum_label(entity, field, s).is_some() => code(v),
        (_, Value::Array(a))
            if a.iter()
                .any(|c| enum_label(entity, field, &plain(c)).is_some()) =>
        {
            joined(a.iter().map(code))
        }
        ("unit_id", Value::String(_)) => name_of(&names.units, v),
        ("lead_person_id", Value::String(_)) => name_of(&names.people, v),
        ("activity_id", Value::String(id)) => {
            Names::activity(conn, id).unwrap_or_else(|| "已关联计划活动".to_string())
        }
        ("nodes", Value::Array(a)) => joined(a.iter().map(|c| name_of(&names.nodes, c))),
        ("campaign_ids", Value::Array(a)) => joined(a.iter().map(|c| name_of(&names.campaigns, c))),
        ("speakers", Value::Array(a)) => joined(a.iter().map(|s| {
            let role = plain(&s["role"]);
            let role = by_person_role(&role).map_or(role, str::to_string);
            format!("{}（{role}）", plain(&s["name"]))
        })),
        ("materials", Value::Array(a)) => joined(a.iter().map(|m| {
            let name = [&m["material_name"], &m["item"]]
                .into_iter()
                .map(plain)
                .find(|n| !n.is_empty())
                .unwrap_or_default();
            format!("{name} {}{}", plain(&m["quantity"]), plain(&m["unit"]))
                .trim()
                .to_string()
        })),
        ("reach_by_audience", Value::Object(o)) => joined(o.iter().map(|(a, n)| {
            let label = enum_label(entity, "audiences", a).unwrap_or(a);
            format!("{label} {}", plain(n))
        })),
        ("start" | "end", Value::Object(_)) => {
            match serde_json::from_value::<crate::keydates::rule::DateRule>(v.clone()) {
                Ok(rule) => rule.describe(),
                Err(_) => plain(v),
            }
        }
        ("market_days", Value::Object(_)) => {
            match serde_json::from_value::<crate::market::MarketCycle>(v.clone()) {
                Ok(cycle) => cycle.describe(),
                Err(_) => plain(v),
            }
        }
        ("window", Value::Object(w)) => format!(
            "提前 {} 天，延后 {} 天",
            plain(&w.get("before").cloned().unwrap_or_default()),
            plain(&w.get("after").cloned().unwrap_or_default())
        ),
        ("quiz", Value::Object(q)) => format!(
            "{} 题，{} 人答题，{} 人获奖",
            plain(&q.get("questions").cloned().unwrap_or_default()),
            plain(&q.get("participants").cloned().unwrap_or_default()),
            plain(&q.get("winners").cloned().unwrap_or_default())
        ),
        (_, Value::Array(a)) => joined(a.iter().map(plain)),
        // A nested body (a template's activity): its non-empty fields in words.
        (_, Value::Object(o)) => {
            let mut keys: Vec<&String> = o.keys().filter(|k| !is_empty(&o[*k])).collect();
            keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
            let parts = keys.into_iter().map(|k| {
                format!(
                    "{}：{}",
                    field_label(k),
                    value_text(conn, names, entity, k, &o[k])
                )
            });
            let s = parts.collect::<Vec<_>>().join("；");
            if s.is_empty() {
                EMPTY.to_string()
            } else {
                s
            }
        }
        (_, Value::String(s)) => match iso_date(s) {
            Some(d) if s.len() == 10 => full_date_cn(d),
            _ => s.clone(),
        },
        (_, other) => plain(other),
    }
}

fn by_person_role(code: &str) -> Option<&'static str> {
    enum_label("person", "role", code)
}

fn rank(field: &str) -> usize {
    // Room after 分对象人次 for the optional counts, in their table order.
    let counts = crate::record::N_COUNTS;
    let after = ORDER
        .iter()
        .position(|f| *f == "reach_by_audience")
        .expect("listed")
        + 1;
    if let Some(i) = crate::record::COUNTS.iter().position(|c| c.column == field) {
        return after + i;
    }
    match ORDER.iter().position(|f| *f == field) {
        Some(i) if i >= after => i + counts,
        Some(i) => i,
        None => ORDER.len() + counts,
    }
}

/// The lines of one entry, as the history panel lists them: an edit lists every changed field,
/// a creation what was entered (non-empty values; counts of 0 are "not counted"), a deletion
/// what was removed. Attachments and notes have none (their summary says it all).
fn lines_with(conn: &Connection, names: &Names, e: &AuditEntry) -> Vec<Line> {
    if e.action == "attach" || e.action == "detach" {
        return Vec::new();
    }
    let empty = Map::new();
    let changes = e.changes.as_object().unwrap_or(&empty);
    let mut out: Vec<Line> = Vec::new();
    for (field, pair) in changes {
        let Some([before, after]) = pair.as_array().map(Vec::as_slice) else {
            continue;
        };
        if HIDDEN.contains(&field.as_str()) {
            continue;
        }
        let created = e.action == "create";
        let deleted = e.action == "delete";
        // Counts of 0 are "not counted": not news in a creation or a deletion.
        if (created && (is_empty(after) || after.as_i64() == Some(0)))
            || (deleted && (is_empty(before) || before.as_i64() == Some(0)))
        {
            continue;
        }
        let text = |v: &Value| value_text(conn, names, &e.entity, field, v);
        let (b, a) = (
            if created { String::new() } else { text(before) },
            if deleted { String::new() } else { text(after) },
        );
        // null → "" reads the same: nothing changed for a reader.
        if !created && !deleted && a == b {
            continue;
        }
        out.push(Line {
            field: field.clone(),
            label: field_label(field),
            before: b,
            after: a,
        });
    }
    out.sort_by(|a, b| {
        rank(&a.field)
            .cmp(&rank(&b.field))
            .then_with(|| a.field.cmp(&b.field))
    });
    out
}

/// The lines of one entry (what the export writes a row for).
pub fn lines(conn: &Connection, e: &AuditEntry) -> Result<Vec<Line>> {
    Ok(lines_with(conn, &Names::load(conn)?, e))
}

/// What the entry is about: the name in its summary (“…”), else a name or title among its
/// changes, else the name an earlier entry gave it, else its id — in words where the id is a
/// code (a key date, a conflict, a setting, a year of holidays).
fn object_name(conn: &Connection, names: &Names, e: &AuditEntry) -> String {
    let node = |code: &str| names.nodes.get(code).cloned();
    if let Some(name) = quoted(&e.summary) {
        return node(name).unwrap_or_else(|| name.to_string());
    }
    for key in ["name", "title", "material_name", "file_name"] {
        if let Some(pair) = e.changes.get(key).and_then(Value::as_array) {
            if let Some(n) = pair
                .iter()
                .rev()
                .filter_map(Value::as_str)
                .find(|n| !n.is_empty())
            {
                return n.to_string();
            }
        }
    }
    let id = e.entity_id.as_str();
    match e.entity.as_str() {
        "conflict" => conflict_label(id.split(':').next().unwrap_or(id)).to_string(),
        "setting" => field_label(id),
        "town" => conn
            .query_row("SELECT name FROM town LIMIT 1", [], |r| {
                r.get::<_, String>(0)
            })
            .unwrap_or_else(|_| id.to_string()),
        "holiday" if id.len() == 4 && id.parse::<u16>().is_ok() => format!("{id}年"),
        "keydate_override" | "keydate_node" => node(id.split(':').next().unwrap_or(id))
            .or_else(|| Names::from_trail(conn, &e.entity, id))
            .unwrap_or_else(|| id.to_string()),
        _ => Names::from_trail(conn, &e.entity, id).unwrap_or_else(|| id.to_string()),
    }
}

/// A conflict kind in words (as the window's 冲突提醒 list names them).
fn conflict_label(code: &str) -> &str {
    match code {
        "person_double" => "负责人时间冲突",
        "venue_double" => "场所重复",
        "village_half_day" => "同村同半天两场",
        "outside_campaign" => "超出专项时间",
        "holiday" => "节假日",
        other => other,
    }
}

/// The UTC instant (in the stored form) of a local day's midnight.
fn local_midnight(d: NaiveDate) -> String {
    let naive = d.and_hms_opt(0, 0, 0).expect("midnight exists");
    let utc = match Local.from_local_datetime(&naive).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => naive.and_utc(),
    };
    utc.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The optional period as stored instants: from the local midnight of `since` up to (not
/// including) the local midnight after `until`. Bad dates name `start_date` / `end_date`.
fn bounds(since: Option<&str>, until: Option<&str>) -> Result<(Option<String>, Option<String>)> {
    let day = |field: &str, v: Option<&str>| -> Result<Option<NaiveDate>> {
        v.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| validate::date(field, s))
            .transpose()
    };
    let from = day("start_date", since)?;
    let to = day("end_date", until)?;
    if let (Some(a), Some(b)) = (from, to) {
        validate::date_range(a, b)?;
    }
    Ok((
        from.map(local_midnight),
        to.and_then(|d| d.checked_add_days(Days::new(1)))
            .map(local_midnight),
    ))
}

/// A stored instant in the computer's local time.
fn local_time(at: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(at)
        .ok()
        .map(|t| t.with_timezone(&Local).naive_local())
}

fn excel_time(t: NaiveDateTime) -> std::result::Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)?.and_hms(
        t.hour() as u16,
        t.minute() as u8,
        t.second(),
    )
}

/// How many lines a text takes in a wrapped column `width` characters wide: Chinese characters
/// are two units wide, others one. (Row heights are set from it: not every program grows a row
/// for wrapped text by itself.)
fn line_count(text: &str, width: f64) -> usize {
    let per_line = (width - 1.0).max(1.0);
    text.split('\n')
        .map(|seg| {
            let units: usize = seg.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
            ((units as f64 / per_line).ceil() as usize).max(1)
        })
        .sum()
}

/// A cell's text, clipped to what Excel accepts.
fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_CELL || s.chars().count() <= MAX_CELL {
        return s.into();
    }
    let mut t: String = s.chars().take(MAX_CELL).collect();
    t.push('…');
    t.into()
}

/// Writes the trail of the period (local dates, both optional and inclusive) to `path`;
/// `count` is the number of rows below the header.
pub fn export(
    conn: &Connection,
    path: &Path,
    since: Option<&str>,
    until: Option<&str>,
) -> Result<Exported> {
    let (from, to) = bounds(since, until)?;
    let names = Names::load(conn)?;
    let mut workbook = Workbook::new();
    let head = super::header_format();
    let body = Format::new()
        .set_font_name("宋体")
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let wrap = body.clone().set_text_wrap();
    let time = body
        .clone()
        .set_align(FormatAlign::Left)
        .set_num_format("yyyy-mm-dd hh:mm:ss");
    let formats: Vec<&Format> = (0..HEADERS.len())
        .map(|c| match c {
            0 => &time,
            c if WRAPPED.contains(&c) => &wrap,
            _ => &body,
        })
        .collect();

    let mut count = 0u32;
    {
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        sheet.set_name(SHEET).map_err(xlsx_error)?;
        for (c, (h, w)) in HEADERS.iter().enumerate() {
            sheet
                .write_with_format(0, c as u16, *h, &head)
                .map_err(xlsx_error)?;
            sheet.set_column_width(c as u16, *w).map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        sheet.set_landscape().set_paper_size(9);
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(0, 0).map_err(xlsx_error)?;
        sheet.set_footer("&C第 &P 页，共 &N 页");

        audit::for_each(conn, from.as_deref(), to.as_deref(), |e, role| {
            let who = [
                e.user_name.clone(),
                role.map(|r| r.label().to_string()).unwrap_or_default(),
                audit::entity_label(&e.entity).to_string(),
                object_name(conn, &names, &e),
                audit::action_label(&e.action).to_string(),
            ];
            let at = local_time(&e.at);
            let mut lines = lines_with(conn, &names, &e);
            if lines.is_empty() {
                lines.push(Line {
                    field: String::new(),
                    label: String::new(),
                    before: String::new(),
                    after: String::new(),
                });
            }
            for line in lines {
                if count >= MAX_ROWS {
                    return Err(AppError::field(
                        ErrorCode::InvalidValue,
                        "start_date",
                        format!(
                            "操作记录超过一个 Excel 工作表能容纳的 {MAX_ROWS} 行，请缩小日期范围分几次导出"
                        ),
                    ));
                }
                count += 1;
                let row = count;
                let texts = [
                    who[0].as_str(),
                    who[1].as_str(),
                    who[2].as_str(),
                    who[3].as_str(),
                    who[4].as_str(),
                    line.label.as_str(),
                    line.before.as_str(),
                    line.after.as_str(),
                    e.summary.as_str(),
                ];
                // texts[c - 1] is column c (column 0 is the time).
                let tallest = WRAPPED
                    .iter()
                    .map(|&c| line_count(texts[c - 1], HEADERS[c].1))
                    .max()
                    .unwrap_or(1);
                if tallest > 1 {
                    let height = (tallest as f64 * LINE_HEIGHT).min(MAX_ROW_HEIGHT);
                    sheet.set_row_height(row, height).map_err(xlsx_error)?;
                }
                match at.map(excel_time) {
                    Some(Ok(t)) => sheet.write_datetime_with_format(row, 0, &t, formats[0]),
                    _ => sheet.write_with_format(row, 0, e.at.as_str(), formats[0]),
                }
                .map_err(xlsx_error)?;
                for (i, t) in texts.into_iter().enumerate() {
                    let c = i + 1;
                    sheet
                        .write_with_format(row, c as u16, cell(t).as_ref(), formats[c])
                        .map_err(xlsx_error)?;
                }
            }
            Ok(())
        })?;
        sheet
            .autofilter(0, 0, count, HEADERS.len() as u16 - 1)
            .map_err(xlsx_error)?;
    }

    super::save_xlsx(path, &mut workbook)?;
    Ok(Exported {
        path: path.display().to_string(),
        count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::dispatch;
    use crate::audit::AuditFilter;
    use calamine::{open_workbook, Data, Reader, Xlsx};
    use serde_json::json;

    /// 双龙镇 with a coordinator, a campaign created and moved by a day, a person, a material
    /// with stock, and a record returned by the reviewer.
    fn town_with_changes() -> crate::db::Db {
        let mut db = crate::testing::town(&["安静村", "石院村"], &[]);
        let mut run = |raw: Value| dispatch(&mut db, raw).unwrap();
        run(json!({"cmd": "update_user", "args": {"name": "李明", "role": "coordinator"}}));
        let c = run(
            json!({"cmd": "campaign_create", "args": {"name": "宪法宣传周", "kind": "national",
            "start_date": "2026-12-01", "end_date": "2026-12-07", "audiences": ["residents"]}}),
        );
        run(
            json!({"cmd": "campaign_update", "args": {"id": c["id"], "input": {"name": "宪法宣传周",
            "kind": "national", "start_date": "2026-12-01", "end_date": "2026-12-08",
            "audiences": ["residents", "students"]}}}),
        );
        run(json!({"cmd": "person_create", "args": {"name": "王律师", "role": "lawyer"}}));
        run(json!({"cmd": "material_create", "args": {"name": "宪法读本", "unit": "册"}}));
        run(
            json!({"cmd": "stock_receive", "args": {"material": "宪法读本", "quantity": 100,
            "date": "2026-11-01"}}),
        );
        let rec = run(
            json!({"cmd": "record_create", "args": {"title": "宪法进院坝",
            "date": "2026-11-10", "unit_id": "安静村", "formats": ["courtyard_meeting"],
            "participants": 40, "recorder": "李明", "campaign_ids": [c["id"]]}}),
        );
        run(
            json!({"cmd": "record_review", "args": {"id": rec["id"], "action": "reopen",
            "comment": "人数有误"}}),
        );
        db
    }

    fn text(r: &calamine::Range<Data>, row: usize, col: usize) -> String {
        match r.get((row, col)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn the_trail_reads_back_one_row_per_changed_field() {
        let db = town_with_changes();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("操作记录.xlsx");
        let out = export(&db.conn, &path, None, None).unwrap();

        // Oldest first; every entry gives its lines, or one row when it has none.
        let mut entries = audit::list(&db.conn, &AuditFilter::default()).unwrap();
        entries.reverse();
        let per_entry: Vec<usize> = entries
            .iter()
            .map(|e| lines(&db.conn, e).unwrap().len().max(1))
            .collect();
        let expected: usize = per_entry.iter().sum();
        assert_eq!(out.count as usize, expected);
        assert!(expected > entries.len(), "entries with several fields");

        let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(wb.sheet_names(), [SHEET]);
        let sheet = wb.worksheet_range(SHEET).unwrap();
        let headers: Vec<String> = (0..HEADERS.len()).map(|c| text(&sheet, 0, c)).collect();
        assert_eq!(
            headers,
            [
                "时间",
                "操作人",
                "角色",
                "对象类型",
                "对象",
                "操作",
                "字段",
                "原值",
                "新值",
                "摘要"
            ]
        );
        assert_eq!(sheet.height(), expected + 1);
        for r in 1..sheet.height() {
            assert!(
                matches!(sheet.get((r, 0)), Some(Data::DateTime(_))),
                "row {r}: time is a date-time: {:?}",
                sheet.get((r, 0))
            );
        }

        // The campaign's edit: one row per changed field, with the values in words.
        let rows: Vec<usize> = (1..sheet.height())
            .filter(|&r| text(&sheet, r, 3) == "活动专项" && text(&sheet, r, 5) == "修改")
            .collect();
        let fields: Vec<String> = rows.iter().map(|&r| text(&sheet, r, 6)).collect();
        assert_eq!(fields, ["结束日期", "宣传对象"]);
        let end = rows[0];
        assert_eq!(text(&sheet, end, 7), "2026年12月7日");
        assert_eq!(text(&sheet, end, 8), "2026年12月8日");
        assert_eq!(text(&sheet, rows[1], 7), "村(居)民");
        assert_eq!(text(&sheet, rows[1], 8), "村(居)民、青少年学生");
        assert_eq!(text(&sheet, end, 1), "李明");
        assert_eq!(text(&sheet, end, 2), "普法协调员");
        assert_eq!(text(&sheet, end, 4), "宪法宣传周");
        assert_eq!(text(&sheet, end, 9), "修改活动专项“宪法宣传周”");

        // The campaign edit's time is the entry's, in local time.
        let edit = entries
            .iter()
            .find(|e| e.entity == "campaign" && e.action == "update")
            .unwrap();
        let want = local_time(&edit.at).unwrap();
        let Some(Data::DateTime(got)) = sheet.get((end, 0)) else {
            unreachable!()
        };
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let serial = (want - epoch).num_milliseconds() as f64 / 86_400_000.0;
        assert!(
            (got.as_f64() - serial).abs() * 86_400.0 < 1.0,
            "{} vs {serial} ({want})",
            got.as_f64()
        );

        // The review: the reason and the new status, ids as names, codes as labels.
        let reopen: Vec<usize> = (1..sheet.height())
            .filter(|&r| text(&sheet, r, 5) == "重新打开")
            .collect();
        let pairs: Vec<(String, String, String)> = reopen
            .iter()
            .map(|&r| (text(&sheet, r, 6), text(&sheet, r, 7), text(&sheet, r, 8)))
            .collect();
        assert!(pairs.contains(&("审核状态".into(), "已通过".into(), "待审核".into())));
        assert!(pairs.contains(&("审核意见".into(), "录入即审核".into(), "人数有误".into())));
        let created = (1..sheet.height())
            .find(|&r| text(&sheet, r, 3) == "活动记录" && text(&sheet, r, 6) == "村/单位")
            .unwrap();
        assert_eq!(text(&sheet, created, 5), "新建");
        assert_eq!(text(&sheet, created, 7), "", "a creation has no before");
        assert_eq!(text(&sheet, created, 8), "安静村");
        let campaigns = (1..sheet.height())
            .find(|&r| text(&sheet, r, 3) == "活动记录" && text(&sheet, r, 6) == "所属专项")
            .unwrap();
        assert_eq!(text(&sheet, campaigns, 8), "宪法宣传周");
        // No bookkeeping fields.
        assert!((1..sheet.height())
            .all(|r| !["id", "updated_at", "unit_name"].contains(&text(&sheet, r, 6).as_str())));
    }

    #[test]
    fn a_period_keeps_its_days_and_bad_input_names_the_field() {
        let db = town_with_changes();
        let dir = tempfile::tempdir().unwrap();
        let today = Local::now().date_naive().to_string();
        let all = export(&db.conn, &dir.path().join("全部.xlsx"), None, None).unwrap();
        let period = export(
            &db.conn,
            &dir.path().join("今天.xlsx"),
            Some(&today),
            Some(&today),
        )
        .unwrap();
        assert_eq!(period.count, all.count, "everything happened today");
        let later = export(
            &db.conn,
            &dir.path().join("以后.xlsx"),
            Some("2099-01-01"),
            Some("2099年12月31日"),
        )
        .unwrap();
        assert_eq!(later.count, 0);
        let wb: Xlsx<_> = open_workbook(dir.path().join("以后.xlsx")).unwrap();
        assert_eq!(wb.sheet_names(), [SHEET]);

        let target = dir.path().join("坏.xlsx");
        let e = export(&db.conn, &target, Some("2026-13-01"), None).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidDate, Some("start_date"))
        );
        assert!(e.message.contains("不是有效日期"), "{}", e.message);
        let e = export(&db.conn, &target, None, Some("明天")).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("end_date"));
        let e = export(&db.conn, &target, Some("2026-12-01"), Some("2026-11-01")).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::DateOrder, Some("end_date"))
        );
        let e = export(&db.conn, &dir.path().join("没有/这里.xlsx"), None, None).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::Io, Some("path")));
        assert!(e.message.contains("不存在"), "{}", e.message);
        let e = export(&db.conn, dir.path(), None, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("path"));
        assert!(!target.exists(), "no half file");
    }

    #[test]
    fn the_demo_trail_has_labels_for_every_field() {
        let mut db = crate::db::Db::open_in_memory().unwrap();
        crate::demo::load(
            &mut db,
            &crate::demo::DemoInput {
                seed: Some(2),
                year: Some(2026),
                scale: None,
            },
        )
        .unwrap();
        let names = Names::load(&db.conn).unwrap();
        let mut raw: Vec<String> = Vec::new();
        audit::for_each(&db.conn, None, None, |e, _| {
            for l in lines_with(&db.conn, &names, &e) {
                if l.label == l.field {
                    raw.push(format!("{}.{}", e.entity, l.field));
                }
            }
            assert_ne!(audit::entity_label(&e.entity), "记录", "{}", e.entity);
            assert_ne!(audit::action_label(&e.action), "更改", "{}", e.action);
            Ok(())
        })
        .unwrap();
        raw.sort();
        raw.dedup();
        assert!(raw.is_empty(), "fields without a Chinese label: {raw:?}");
    }

    #[test]
    fn deleted_things_keep_their_names() {
        let mut db = crate::testing::town(&["安静村"], &[]);
        let c = dispatch(
            &mut db,
            json!({"cmd": "campaign_create", "args": {"name": "民法典宣传月", "kind": "national",
                "start_date": "2026-05-01", "end_date": "2026-05-31"}}),
        )
        .unwrap();
        dispatch(
            &mut db,
            json!({"cmd": "campaign_delete", "args": {"id": c["id"]}}),
        )
        .unwrap();
        let names = Names::load(&db.conn).unwrap();
        assert_eq!(
            value_text(
                &db.conn,
                &names,
                "activity",
                "campaign_ids",
                &json!([c["id"]])
            ),
            "民法典宣传月"
        );
    }

    #[test]
    fn values_read_as_words() {
        let db = crate::testing::town(&["安静村"], &[]);
        let names = Names::load(&db.conn).unwrap();
        let v =
            |entity: &str, field: &str, v: Value| value_text(&db.conn, &names, entity, field, &v);
        assert_eq!(
            v("record", "formats", json!(["lecture", "quiz"])),
            "法治讲座、有奖问答"
        );
        assert_eq!(v("person", "role", json!("lawyer")), "律师");
        assert_eq!(v("user", "role", json!("leader")), "领导");
        assert_eq!(v("stock", "kind", json!("transfer")), "调拨");
        assert_eq!(v("activity", "status", json!("postponed")), "已延期");
        assert_eq!(v("campaign", "archived", json!(true)), "是");
        assert_eq!(
            v(
                "unit",
                "market_days",
                json!({"lunar": true, "digits": [1, 4, 7]})
            ),
            "农历逢一、四、七"
        );
        assert_eq!(v("record", "narrative", json!(null)), EMPTY);
        assert_eq!(v("record", "laws", json!([])), EMPTY);
        assert_eq!(v("record", "participants", json!(45)), "45");
        assert_eq!(
            v(
                "record",
                "speakers",
                json!([{"name": "王律师", "role": "lawyer"}])
            ),
            "王律师（律师）"
        );
        assert_eq!(
            v(
                "record",
                "materials",
                json!([{"material_name": "宪法读本", "quantity": 10, "unit": "册"}])
            ),
            "宪法读本 10册"
        );
        assert_eq!(
            v("record", "reach_by_audience", json!({"students": 30})),
            "青少年学生 30"
        );
        assert_eq!(
            v(
                "record",
                "quiz",
                json!({"questions": 10, "participants": 30, "winners": 5})
            ),
            "10 题，30 人答题，5 人获奖"
        );
        assert_eq!(v("record", "activity_id", json!("gone")), "已关联计划活动");
        assert_eq!(
            v(
                "template",
                "activity",
                json!({"title": "{unit}普法", "formats": ["lecture"],
                "laws": [], "start_time": "14:30"})
            ),
            "活动名称：{unit}普法；开始时间：14:30；活动形式：法治讲座"
        );
        assert_eq!(
            v(
                "keydate_node",
                "start",
                json!({"kind": "fixed", "month": 1, "day": 20})
            ),
            "1月20日"
        );
        assert_eq!(v("record", "unit_id", json!("gone")), "gone");
        assert_eq!(cell(&"长".repeat(40_000)).chars().count(), MAX_CELL + 1);
        assert_eq!(cell(&"长".repeat(20_000)).chars().count(), 20_000);
        assert_eq!(line_count("宪法宣传周", 11.0), 1);
        assert_eq!(line_count(&"宪".repeat(20), 11.0), 4);
        assert_eq!(line_count("一\n二", 30.0), 2);
    }
}
