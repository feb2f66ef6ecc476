//! The 台账: one row per held record with every field and the materials handed out, as Excel
//! (with sheets of totals by node, campaign and village with the "每村至少一次" check, and the
//! materials by unit) or as CSV with a UTF-8 BOM so Excel and WPS read the Chinese right. The
//! detail rows are streamed: memory does not grow with the number of records.
//!
//! Every number is the 统计's: the rows are the records of the same scope and basis
//! ([`RecordFilter::summary_filter`]), the totals sheets read [`reports::summary`] of that
//! scope, and each file states its basis (统计口径). The workbook prints as a county expects:
//! a title, the basis and the date it was made, A4 landscape one page wide with the header
//! repeated, rows tall enough for their wrapped text, and page numbers.

use super::{full_date_cn, io_error, write_atomic, xlsx_error, Exported};
use crate::domain::{ActivityFormat, Audience};
use crate::error::{AppError, ErrorCode, Result};
use crate::record::{self, RecordFilter, ReviewStatus, Speaker};
use crate::reports::{self, basis, Breakdown, Summary};
use chrono::Datelike;
use rusqlite::Connection;
use rust_xlsxwriter::{
    ConditionalFormatFormula, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
use std::io::Write;
use std::path::Path;

/// Writes the 台账 workbook; `count` is the number of record rows.
pub fn export_xlsx(conn: &Connection, path: &Path, filter: &RecordFilter) -> Result<Exported> {
    let nodes = NodeNames::load(conn)?;
    let (rows_filter, summary) = scope(conn, filter)?;
    let columns = shown_columns(&summary);
    let f = Formats::new();
    let made = made_line(conn)?;
    let mut workbook = Workbook::new();

    let mut count = 0u32;
    {
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        sheet.set_name("活动台账").map_err(xlsx_error)?;
        let head_row = sheet_top(
            sheet,
            &f,
            columns.len() as u16,
            &title(conn, &summary, filter, "普法活动台账")?,
            [&summary.basis_line, &made],
        )?;
        // The record cells are written without a format and take their column's (font, wrap,
        // date), their borders come from one conditional format over the rows written: a
        // format per cell costs a hash of it per cell, a fifth of a 100,000-row export.
        let plain = Format::new()
            .set_font_name("宋体")
            .set_font_size(FONT_SIZE)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let plain_number = plain.clone().set_align(FormatAlign::Center);
        let plain_date = plain_number.clone().set_num_format(DATE_FORMAT);
        // A narrow column's unit goes on a line of its own: "横幅\n（条）", not "横幅（\n条）".
        let headings: Vec<String> = columns
            .iter()
            .map(|(h, w, _)| {
                if *w < 8.0 {
                    h.replacen('（', "\n（", 1)
                } else {
                    h.to_string()
                }
            })
            .collect();
        let head_lines = headings
            .iter()
            .zip(&columns)
            .map(|(h, (_, w, _))| lines(h, *w))
            .max()
            .unwrap_or(1);
        sheet
            .set_row_height(head_row, f64::from(head_lines) * 13.5 + 4.0)
            .map_err(xlsx_error)?;
        for (c, (_, w, cell)) in columns.iter().enumerate() {
            sheet
                .write_with_format(head_row, c as u16, &headings[c], &f.head)
                .map_err(xlsx_error)?;
            sheet.set_column_width(c as u16, *w).map_err(xlsx_error)?;
            let format = match cell {
                Cell::Date => &plain_date,
                Cell::Seq | Cell::Number(_) | Cell::Status | Cell::Recorder => &plain_number,
                _ => &plain,
            };
            sheet
                .set_column_format(c as u16, format)
                .map_err(xlsx_error)?;
        }
        print_setup(sheet, head_row, true)?;
        let mut sums = [0i64; NUMBERS];
        let read = |row: &rusqlite::Row| LedgerRow::read(row, &nodes);
        record::for_each_read_ahead(conn, &rows_filter, ledger_select(), read, |r| {
            count += 1;
            let row = head_row + count;
            let height = row_height(columns.iter().filter_map(|(_, w, cell)| {
                let text = match cell {
                    Cell::Text(i) => r.texts[*i].as_str(),
                    Cell::Materials => r.materials.as_str(),
                    Cell::Narrative => r.narrative.as_str(),
                    Cell::Recorder => r.recorder.as_str(),
                    _ => return None,
                };
                Some((text, *w))
            }));
            sheet.set_row_height(row, height).map_err(xlsx_error)?;
            for (i, n) in r.numbers.iter().enumerate() {
                sums[i] += n;
            }
            for (c, (_, _, cell)) in columns.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Seq => sheet.write(row, c, count),
                    Cell::Date => {
                        let d: chrono::NaiveDate = r.date.parse().expect("records hold ISO dates");
                        let dt = ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )
                        .map_err(xlsx_error)?;
                        sheet.write_datetime(row, c, &dt)
                    }
                    Cell::Text(i) => sheet.write(row, c, r.texts[*i].as_str()),
                    Cell::Number(i) => {
                        let n = r.numbers[*i];
                        if n == 0 && *i >= FIRST_OPTIONAL_COUNT {
                            continue;
                        }
                        sheet.write(row, c, n as f64)
                    }
                    Cell::Materials => sheet.write(row, c, r.materials.as_str()),
                    Cell::Narrative => sheet.write(row, c, r.narrative.as_str()),
                    Cell::Recorder => sheet.write(row, c, r.recorder.as_str()),
                    Cell::Status => sheet.write(row, c, r.status),
                }
                .map_err(xlsx_error)?;
            }
            Ok(())
        })?;
        let row = head_row + count + 1;
        let name_col = columns
            .iter()
            .position(|(_, _, c)| *c == Cell::Text(2))
            .unwrap_or(0) as u16;
        sheet
            .write_with_format(row, 0, "合计", &f.total)
            .map_err(xlsx_error)?;
        for (c, (_, _, cell)) in columns.iter().enumerate() {
            let c = c as u16;
            if let Cell::Number(i) = cell {
                sheet
                    .write_with_format(row, c, sums[*i] as f64, &f.total_number)
                    .map_err(xlsx_error)?;
            } else if c == name_col {
                let mut text = format!("{count} 场");
                if let Some(split) = basis::split(summary.basis, &summary_counts(&summary)) {
                    text.push_str(&format!("（{split}）"));
                }
                sheet
                    .write_with_format(row, c, text, &f.total)
                    .map_err(xlsx_error)?;
            } else if c > 0 {
                sheet.write_blank(row, c, &f.total).map_err(xlsx_error)?;
            }
        }
        let materials = materials_by_unit(&summary);
        if !materials.is_empty() {
            if let Some(c) = columns.iter().position(|(_, _, c)| *c == Cell::Materials) {
                let height = row_height([(materials.as_str(), columns[c].1)]);
                sheet.set_row_height(row, height).map_err(xlsx_error)?;
                sheet
                    .write_with_format(row, c as u16, materials, &f.total)
                    .map_err(xlsx_error)?;
            }
        }
        let bordered = ConditionalFormatFormula::new()
            .set_rule("=TRUE")
            .set_format(Format::new().set_border(FormatBorder::Thin));
        let last_col = columns.len() as u16 - 1;
        if count > 0 {
            sheet
                .add_conditional_format(head_row + 1, 0, head_row + count, last_col, &bordered)
                .map_err(xlsx_error)?;
        }
    }

    let lines_of = [summary.basis_line.as_str(), made.as_str()];
    let multi = |dim: &str| {
        format!("注：一场活动可关联多个{dim}，各行相加可能大于合计；合计（去重）按活动计算，与“活动台账”的合计相同。")
    };
    // Breakdowns where one activity can be in several rows: 合计（去重）.
    for (name, dim, rows) in [
        ("按普法节点", "普法节点", &summary.by_node),
        ("按活动专项", "活动专项", &summary.by_campaign),
    ] {
        let sheet = workbook
            .add_worksheet()
            .set_name(name)
            .map_err(xlsx_error)?;
        breakdown_sheet(
            sheet,
            &f,
            &title(conn, &summary, filter, &format!("普法活动统计（{name}）"))?,
            lines_of,
            dim,
            rows,
            Total::Distinct(&summary, multi(dim)),
        )?;
    }
    let sheet = workbook
        .add_worksheet()
        .set_name("按村（社区）")
        .map_err(xlsx_error)?;
    let mut villages = summary.by_village.clone();
    villages.extend(summary.villages_in_review.iter().map(|v| Breakdown {
        key: String::new(),
        label: format!(
            "{}（{}，不计入统计）",
            v.name,
            [("待审核", v.pending), ("已退回", v.returned)]
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(w, n)| format!("{w} {n} 场"))
                .collect::<Vec<_>>()
                .join("、")
        ),
        activities: 0,
        participants: 0,
        reach: 0,
    }));
    villages.extend(summary.villages_without.iter().map(|v| Breakdown {
        key: String::new(),
        label: format!("{v}（尚未开展）"),
        activities: 0,
        participants: 0,
        reach: 0,
    }));
    breakdown_sheet(
        sheet,
        &f,
        &title(conn, &summary, filter, "普法活动统计（按村、社区）")?,
        lines_of,
        "村（社区）/单位",
        &villages,
        Total::Sum,
    )?;
    let sheet = workbook
        .add_worksheet()
        .set_name("资料发放")
        .map_err(xlsx_error)?;
    materials_sheet(
        sheet,
        &f,
        &title(conn, &summary, filter, "宣传资料发放统计")?,
        lines_of,
        &summary,
    )?;

    super::save_xlsx(path, &mut workbook)?;
    Ok(Exported {
        path: path.display().to_string(),
        count,
    })
}

// The 台账 along its seams: its columns and rows as read from the records (`rows`), the
// sheet's layout and print set-up (`layout`), the breakdown and materials sheets (`sheets`),
// and the CSV (`csv_file`).
mod csv_file;
mod layout;
mod rows;
mod sheets;
pub use csv_file::*;
use layout::*;
pub use rows::*;
use sheets::*;

#[cfg(test)]
mod tests;
