//! The 透视表 as Excel, exactly as the screen shows it: a title row (period, scope, measure and
//! grouping), the header row, one row per heading with its cells, a 合计 column and a 合计 row.
//! The house style of the 台账 workbook: 黑体 headers on grey, 宋体 body, thin borders, frozen
//! header and first column.

use super::{xlsx_error, Exported};
use crate::error::Result;
use crate::reports::pivot::{pivot, PivotRequest, PivotTable};
use rusqlite::Connection;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use std::path::Path;

/// The heading of the first column: "村/单位＼月份" (rows＼columns), or the row dimension.
pub fn corner(t: &PivotTable) -> String {
    match t.cols {
        Some(c) => format!("{}＼{}", t.rows.label(), c.label()),
        None => t.rows.label().to_string(),
    }
}

/// A total as shown: the number, or "—" for a quantity over several units (never added).
pub fn total_text(v: Option<i64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| v.to_string())
}

/// The heading of the totals column: 合计, or the measure's own name when it is the only one.
pub fn total_heading(t: &PivotTable) -> &'static str {
    if t.cols.is_some() {
        "合计"
    } else {
        t.measure.short()
    }
}

/// Display width of a text in Excel columns (a Chinese character is two).
fn width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
        .sum()
}

/// Writes the table to an .xlsx workbook; `count` is the number of rows (without 合计).
pub fn write(t: &PivotTable, path: &Path) -> Result<Exported> {
    let mut workbook = Workbook::new();
    let title = Format::new()
        .set_bold()
        .set_font_name("黑体")
        .set_font_size(14)
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter);
    let head = super::header_format();
    let body = Format::new()
        .set_font_name("宋体")
        .set_border(FormatBorder::Thin);
    let number = body.clone().set_align(FormatAlign::Right);
    let total = body.clone().set_bold().set_background_color("#F2F2F2");
    let total_number = total.clone().set_align(FormatAlign::Right);

    let sheet = workbook.add_worksheet();
    sheet.set_name("透视表").map_err(xlsx_error)?;
    let last_col = t.col_labels.len() as u16 + 1;
    sheet
        .merge_range(0, 0, 0, last_col, &t.title, &title)
        .map_err(xlsx_error)?;
    sheet.set_row_height(0, 28).map_err(xlsx_error)?;

    let corner = corner(t);
    let first_width = t
        .row_labels
        .iter()
        .map(|l| width(&l.label))
        .chain([width(&corner), width("合计")])
        .fold(8.0, f64::max)
        .min(40.0)
        + 2.0;
    sheet.set_column_width(0, first_width).map_err(xlsx_error)?;
    sheet
        .write_with_format(1, 0, corner.as_str(), &head)
        .map_err(xlsx_error)?;
    for (c, l) in t.col_labels.iter().enumerate() {
        let col = c as u16 + 1;
        sheet
            .write_with_format(1, col, l.label.as_str(), &head)
            .map_err(xlsx_error)?;
        sheet
            .set_column_width(col, width(&l.label).clamp(8.0, 24.0) + 2.0)
            .map_err(xlsx_error)?;
    }
    sheet
        .write_with_format(1, last_col, total_heading(t), &head)
        .map_err(xlsx_error)?;
    sheet.set_column_width(last_col, 10.0).map_err(xlsx_error)?;

    for (r, l) in t.row_labels.iter().enumerate() {
        let row = r as u32 + 2;
        sheet
            .write_with_format(row, 0, l.label.as_str(), &body)
            .map_err(xlsx_error)?;
        for (c, v) in t.cells[r].iter().enumerate() {
            sheet
                .write_with_format(row, c as u16 + 1, *v as f64, &number)
                .map_err(xlsx_error)?;
        }
        write_total(sheet, row, last_col, t.row_totals[r], &total_number)?;
    }
    let row = t.row_labels.len() as u32 + 2;
    sheet
        .write_with_format(row, 0, "合计", &total)
        .map_err(xlsx_error)?;
    for (c, v) in t.col_totals.iter().enumerate() {
        write_total(sheet, row, c as u16 + 1, *v, &total_number)?;
    }
    write_total(sheet, row, last_col, t.total, &total_number)?;
    let note_format = Format::new().set_font_name("宋体").set_text_wrap();
    for (i, line) in [t.basis_line.as_str(), t.note.as_str()]
        .into_iter()
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let r = row + 1 + i as u32;
        if last_col > 0 {
            sheet
                .merge_range(r, 0, r, last_col, line, &note_format)
                .map_err(xlsx_error)?;
        } else {
            sheet
                .write_with_format(r, 0, line, &note_format)
                .map_err(xlsx_error)?;
        }
        let columns = t.col_labels.len() as f64 * 10.0 + 20.0;
        let lines = (width(line) / columns).ceil().max(1.0);
        sheet.set_row_height(r, lines * 15.0).map_err(xlsx_error)?;
    }
    sheet.set_freeze_panes(2, 1).map_err(xlsx_error)?;
    sheet.set_repeat_rows(1, 1).map_err(xlsx_error)?;
    sheet
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_footer("&C第 &P 页，共 &N 页");
    if t.col_labels.len() > 6 {
        sheet.set_landscape();
    }

    super::save_xlsx(path, &mut workbook)?;
    Ok(Exported {
        path: path.display().to_string(),
        count: t.row_labels.len() as u32,
    })
}

/// A total cell: the number, or "—" when it would add quantities of several units.
fn write_total(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    v: Option<i64>,
    format: &Format,
) -> Result<()> {
    match v {
        Some(v) => sheet.write_with_format(row, col, v as f64, format),
        None => sheet.write_with_format(row, col, "—", format),
    }
    .map_err(xlsx_error)?;
    Ok(())
}

/// Computes the table of `request` and writes it to `path`.
pub fn export(conn: &Connection, path: &Path, request: &PivotRequest) -> Result<Exported> {
    let table = pivot(conn, request)?;
    write(&table, path)
}
