//! The 年度普法工作计划表 as an Excel workbook: sheet 1 "年度计划" (one row per activity of the
//! year, by date, with a totals row), sheet 2 "活动专项" (the year's campaigns and how many
//! villages each reaches), sheet 3 "普法节点" (the year's 普法 nodes).
//!
//! Printed on A4 landscape, one page wide, the header row repeated on every page; fonts are
//! 宋体 (body) and 黑体 (titles), which Excel and WPS have on Chinese Windows and LibreOffice
//! maps to Noto CJK. Row heights are estimated from the text, so wrapped cells show in full
//! in every program (Excel does not grow rows for wrapped text written by another program).

use super::ics::materials_text;
use super::{full_date_cn, iso_date, month_day_cn, range_cn, weekday_cn, xlsx_error, Exported};
use crate::activity::{self, Activity, ActivityFilter};
use crate::campaign::{self, ArchiveFilter, CampaignFilter};
use crate::domain::ActivityStatus;
use crate::error::Result;
use crate::keydates::{self, rule::check_year};
use chrono::NaiveDate;
use rusqlite::Connection;
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::collections::HashMap;
use std::path::Path;

pub const PLAN_SHEET: &str = "年度计划";
pub const CAMPAIGN_SHEET: &str = "活动专项";
pub const NODE_SHEET: &str = "普法节点";

/// The columns of the plan sheet and their widths (in Excel's character units).
pub const PLAN_COLUMNS: &[(&str, f64)] = &[
    ("序号", 5.0),
    ("日期", 17.0),
    ("时间", 13.0),
    ("活动专项", 18.0),
    ("活动名称", 22.0),
    ("村/单位", 12.0),
    ("场所", 12.0),
    ("活动形式", 11.0),
    ("宣传对象", 12.0),
    ("法律法规", 14.0),
    ("负责人", 8.0),
    ("协办单位", 11.0),
    ("计划发放资料", 16.0),
    ("预计人数", 9.0),
    ("状态", 9.0),
];

const CAMPAIGN_COLUMNS: &[(&str, f64)] = &[
    ("序号", 5.0),
    ("名称", 28.0),
    ("类型", 9.0),
    ("起止日期", 16.0),
    ("普法节点", 24.0),
    ("宣传对象", 18.0),
    ("法律/主题", 22.0),
    ("牵头单位", 14.0),
    ("活动数", 8.0),
    ("覆盖村（社区）/学校", 12.0),
];

const NODE_COLUMNS: &[(&str, f64)] = &[
    ("序号", 5.0),
    ("名称", 22.0),
    ("日期", 17.0),
    ("规则", 24.0),
    ("法律", 24.0),
    ("对象", 18.0),
    ("主题", 26.0),
    ("文号", 14.0),
];

/// Columns centred rather than left-aligned (short values).
const CENTERED: &[&str] = &[
    "序号",
    "日期",
    "时间",
    "负责人",
    "预计人数",
    "状态",
    "类型",
    "起止日期",
    "活动数",
    "覆盖村（社区）/学校",
];

/// Writes the plan table of `year` to `path`. `count` is the number of activity rows.
pub fn export(conn: &Connection, path: &Path, year: i32) -> Result<Exported> {
    export_on(conn, path, year, chrono::Local::now().date_naive())
}

/// As [`export`], with the date printed as 制表日期.
pub fn export_on(conn: &Connection, path: &Path, year: i32, made: NaiveDate) -> Result<Exported> {
    let (mut workbook, count) = build(conn, year, made)?;
    super::save_xlsx(path, &mut workbook)?;
    Ok(Exported {
        path: path.display().to_string(),
        count,
    })
}

/// One cell of a table.
enum Cell {
    Text(String),
    Number(f64),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

struct Formats {
    title: Format,
    subtitle: Format,
    header: Format,
    text: Format,
    centered: Format,
    total: Format,
}

impl Formats {
    fn new() -> Formats {
        let body = Format::new()
            .set_font_name("宋体")
            .set_font_charset(134)
            .set_font_size(10.5)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        let bordered = body.clone().set_border(FormatBorder::Thin);
        Formats {
            title: Format::new()
                .set_font_name("黑体")
                .set_font_charset(134)
                .set_font_size(18)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: body.clone().set_align(FormatAlign::Right),
            header: bordered
                .clone()
                .set_font_name("黑体")
                .set_font_size(11)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xD9D9D9)),
            text: bordered.clone().set_align(FormatAlign::Left),
            centered: bordered.clone().set_align(FormatAlign::Center),
            total: bordered
                .set_font_name("黑体")
                .set_font_size(11)
                .set_bold()
                .set_align(FormatAlign::Left),
        }
    }
}

/// Width of a character in Excel's column units (the width of a digit of the default font,
/// 7 px): 宋体 10.5 pt draws ASCII at 7 px, and CJK, full-width forms and the punctuation
/// Chinese text shares with Latin (“ ” ‘ ’ · — …) at 14 px.
fn char_width(c: char) -> f64 {
    let wide = (c as u32) >= 0x2E80 || matches!(c, '“' | '”' | '‘' | '’' | '·' | '—' | '…');
    if wide {
        2.0
    } else {
        1.0
    }
}

/// Lines a wrapped cell needs in a column of `width`, filling lines as Excel does (a column
/// of width w is 7w + 5 px, less the cell's padding).
fn lines_needed(text: &str, width: f64) -> usize {
    let room = width - 0.3;
    text.split('\n')
        .map(|line| {
            let (mut lines, mut used) = (1, 0.0);
            for w in line.chars().map(char_width) {
                if used + w > room && used > 0.0 {
                    lines += 1;
                    used = 0.0;
                }
                used += w;
            }
            lines
        })
        .sum()
}

/// Points per wrapped line (Noto CJK, LibreOffice's stand-in for 宋体, needs about 15 pt at
/// 10.5 pt; 宋体 itself 13.5 pt), and the padding of a row.
const LINE_HEIGHT: f64 = 15.0;
const ROW_PADDING: f64 = 4.0;

/// The title row, the subtitle row and the header row, the column widths and the page set-up
/// common to every sheet; returns the first data row.
fn start_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    name: &str,
    title: &str,
    subtitle: &str,
    columns: &[(&str, f64)],
) -> Result<u32, XlsxError> {
    let last = (columns.len() - 1) as u16;
    ws.set_name(name)?;
    ws.merge_range(0, 0, 0, last, title, &f.title)?;
    ws.set_row_height(0, 32)?;
    ws.merge_range(1, 0, 1, last, subtitle, &f.subtitle)?;
    ws.set_row_height(1, 20)?;
    for (i, (header, width)) in columns.iter().enumerate() {
        ws.set_column_width(i as u16, *width)?;
        ws.write_string_with_format(2, i as u16, *header, &f.header)?;
    }
    // Headers are 11 pt: a little wider than the body text.
    let header_lines = columns
        .iter()
        .map(|(h, w)| lines_needed(h, *w * 10.5 / 11.0))
        .max()
        .unwrap_or(1);
    ws.set_row_height(2, header_lines as f64 * LINE_HEIGHT + ROW_PADDING + 2.0)?;
    ws.set_freeze_panes(3, 0)?;
    ws.set_repeat_rows(2, 2)?;
    ws.set_paper_size(9) // A4
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.4, 0.4, 0.55, 0.6, 0.3, 0.3)
        .set_footer("&C第 &P 页，共 &N 页");
    Ok(3)
}

/// Writes the data rows from `row`; returns the row after the last.
fn write_rows(
    ws: &mut Worksheet,
    f: &Formats,
    columns: &[(&str, f64)],
    mut row: u32,
    rows: Vec<Vec<Cell>>,
) -> Result<u32, XlsxError> {
    for cells in rows {
        let mut lines = 1;
        for (i, cell) in cells.into_iter().enumerate() {
            let (header, width) = columns[i];
            let format = if CENTERED.contains(&header) {
                &f.centered
            } else {
                &f.text
            };
            let col = i as u16;
            match cell {
                Cell::Text(s) if s.is_empty() => {
                    ws.write_blank(row, col, format)?;
                }
                Cell::Text(s) => {
                    lines = lines.max(lines_needed(&s, width));
                    ws.write_string_with_format(row, col, &s, format)?;
                }
                Cell::Number(n) => {
                    ws.write_number_with_format(row, col, n, &f.centered)?;
                }
            }
        }
        ws.set_row_height(row, lines as f64 * LINE_HEIGHT + ROW_PADDING)?;
        row += 1;
    }
    Ok(row)
}

/// "12月1日（周二）".
fn day_cn(d: NaiveDate) -> String {
    format!("{}（{}）", month_day_cn(d), weekday_cn(d))
}

fn time_cn(a: &Activity) -> String {
    match (&a.start_time, &a.end_time) {
        (Some(s), Some(e)) => format!("{s}—{e}"),
        (Some(s), None) => s.clone(),
        _ => "全天".to_string(),
    }
}

fn joined<T>(items: &[T], label: impl Fn(&T) -> &str) -> String {
    items.iter().map(label).collect::<Vec<_>>().join("、")
}

/// Whether an activity counts in the totals (cancelled and postponed ones do not).
fn counts(a: &Activity) -> bool {
    !matches!(
        a.status,
        ActivityStatus::Cancelled | ActivityStatus::Postponed
    )
}

/// The workbook and the number of activity rows.
fn build(conn: &Connection, year: i32, made: NaiveDate) -> Result<(Workbook, u32)> {
    check_year(year)?;
    let town = crate::town::get_town(conn)?
        .map(|t| t.name)
        .unwrap_or_default();
    let activities = activity::list(
        conn,
        &ActivityFilter {
            from: Some(format!("{year:04}-01-01")),
            to: Some(format!("{year:04}-12-31")),
            ..Default::default()
        },
    )?;
    let all_campaigns = campaign::list(
        conn,
        &CampaignFilter {
            status: ArchiveFilter::All,
            ..Default::default()
        },
    )?;
    let campaign_names: HashMap<&str, &str> = all_campaigns
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let year_campaigns = campaign::list(
        conn,
        &CampaignFilter {
            year: Some(year),
            status: ArchiveFilter::All,
            ..Default::default()
        },
    )?;
    let nodes = keydates::for_year(conn, year)?;
    let node_names: HashMap<String, String> = keydates::national_nodes()
        .iter()
        .map(|n| (n.code.clone(), n.name.clone()))
        .chain(
            keydates::local_nodes(conn)?
                .into_iter()
                .map(|n| (n.code, n.name)),
        )
        .collect();

    let f = Formats::new();
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("{town}{year}年普法工作计划表"))
            .set_author("普法活动规划与台账"),
    );
    let made_text = format!("制表日期：{}", full_date_cn(made));

    // Sheet 1: the plan.
    let ws = workbook.add_worksheet();
    let first = start_sheet(
        ws,
        &f,
        PLAN_SHEET,
        &format!("{town}{year}年普法工作计划表"),
        &made_text,
        PLAN_COLUMNS,
    )
    .map_err(xlsx_error)?;
    let rows: Vec<Vec<Cell>> = activities
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let date = iso_date(&a.date)
                .map(day_cn)
                .unwrap_or_else(|| a.date.clone());
            let campaigns: Vec<&str> = a
                .campaign_ids
                .iter()
                .filter_map(|id| campaign_names.get(id.as_str()).copied())
                .collect();
            let venue = if a.venue.is_empty() {
                a.venue_type
                    .map(|v| v.label().to_string())
                    .unwrap_or_default()
            } else {
                a.venue.clone()
            };
            let status = if a.status_reason.is_empty() {
                a.status.label().to_string()
            } else {
                format!("{}（{}）", a.status.label(), a.status_reason)
            };
            vec![
                Cell::Number((i + 1) as f64),
                date.into(),
                time_cn(a).into(),
                campaigns.join("、").into(),
                a.title.as_str().into(),
                a.unit_name.clone().unwrap_or_default().into(),
                venue.into(),
                joined(&a.formats, |x| x.label()).into(),
                joined(&a.audiences, |x| x.label()).into(),
                a.laws.join("、").into(),
                a.lead_person_name.clone().unwrap_or_default().into(),
                a.partners.join("、").into(),
                materials_text(a).into(),
                match a.expected_audience {
                    Some(n) => Cell::Number(n as f64),
                    None => "".into(),
                },
                status.into(),
            ]
        })
        .collect();
    let count = rows.len() as u32;
    let row = write_rows(ws, &f, PLAN_COLUMNS, first, rows).map_err(xlsx_error)?;
    let held: Vec<&Activity> = activities.iter().filter(|a| counts(a)).collect();
    let audience: u64 = held
        .iter()
        .filter_map(|a| a.expected_audience)
        .map(u64::from)
        .sum();
    let mut total = format!("合计：活动 {} 场，预计受众 {audience} 人次", held.len());
    let left_out = activities.len() - held.len();
    if left_out > 0 {
        total.push_str(&format!("（已取消、已延期的 {left_out} 场未计入）"));
    }
    let last_col = (PLAN_COLUMNS.len() - 1) as u16;
    ws.merge_range(row, 0, row, last_col, &total, &f.total)
        .and_then(|ws| ws.set_row_height(row, LINE_HEIGHT + ROW_PADDING + 4.0))
        .map_err(xlsx_error)?;
    ws.set_active(true);

    // Sheet 2: the campaigns of the year.
    let ws = workbook.add_worksheet();
    let first = start_sheet(
        ws,
        &f,
        CAMPAIGN_SHEET,
        &format!("{town}{year}年普法活动专项"),
        &made_text,
        CAMPAIGN_COLUMNS,
    )
    .map_err(xlsx_error)?;
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(year_campaigns.len());
    for (i, c) in year_campaigns.iter().enumerate() {
        let coverage = crate::conflicts::coverage(conn, &c.id)?;
        let activities: u32 = conn.query_row(
            "SELECT count(*) FROM activity_campaign ac JOIN activity a ON a.id = ac.activity_id
             WHERE ac.campaign_id = ?1 AND a.status NOT IN ('cancelled', 'postponed')",
            [&c.id],
            |r| r.get(0),
        )?;
        let dates = match (iso_date(&c.start_date), iso_date(&c.end_date)) {
            (Some(s), Some(e)) => range_cn(s, e, year),
            _ => format!("{}—{}", c.start_date, c.end_date),
        };
        let nodes: Vec<&str> = c
            .nodes
            .iter()
            .map(|code| node_names.get(code).map_or(code.as_str(), String::as_str))
            .collect();
        rows.push(vec![
            Cell::Number((i + 1) as f64),
            c.name.as_str().into(),
            c.kind.label().into(),
            dates.into(),
            nodes.join("、").into(),
            joined(&c.audiences, |x| x.label()).into(),
            c.themes.join("、").into(),
            c.lead_unit.as_str().into(),
            Cell::Number(activities as f64),
            match coverage.scope {
                crate::conflicts::CoverageScope::Villages => {
                    format!("{}/{}", coverage.covered.len(), coverage.total)
                }
                crate::conflicts::CoverageScope::Schools => {
                    format!("{}/{}所学校", coverage.covered.len(), coverage.total)
                }
            }
            .into(),
        ]);
    }
    write_rows(ws, &f, CAMPAIGN_COLUMNS, first, rows).map_err(xlsx_error)?;

    // Sheet 3: the 普法 nodes of the year.
    let ws = workbook.add_worksheet();
    let first = start_sheet(
        ws,
        &f,
        NODE_SHEET,
        &format!("{year}年普法节点"),
        &made_text,
        NODE_COLUMNS,
    )
    .map_err(xlsx_error)?;
    let rows: Vec<Vec<Cell>> = nodes
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let mut dates = match (iso_date(&k.start), iso_date(&k.end)) {
                (Some(s), Some(e)) if s == e => day_cn(s),
                (Some(s), Some(e)) => range_cn(s, e, year),
                _ => format!("{}—{}", k.start, k.end),
            };
            if k.source == keydates::DateSource::Provisional {
                dates.push_str("（待公布）");
            }
            let theme = match k.theme_line() {
                Some(t) if t.confirmed => t.text,
                Some(t) => format!("（沿用{}年，待确认）{}", t.year, t.text),
                None => String::new(),
            };
            vec![
                Cell::Number((i + 1) as f64),
                k.name.as_str().into(),
                dates.into(),
                k.rule.as_str().into(),
                k.laws.join("、").into(),
                joined(&k.audiences, |x| x.label()).into(),
                theme.into(),
                k.doc_number.as_str().into(),
            ]
        })
        .collect();
    write_rows(ws, &f, NODE_COLUMNS, first, rows).map_err(xlsx_error)?;

    Ok((workbook, count))
}

#[cfg(test)]
mod tests;
