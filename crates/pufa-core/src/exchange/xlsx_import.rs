//! Import of activity records from an Excel workbook: the 活动登记表 template, or a sheet a
//! cadre kept by hand. `preview` reads and checks every row and writes nothing; `import` writes
//! the valid, new rows in one transaction (all or nothing).
//!
//! Read the way a person reads it: the header may sit under a title row, headers and values are
//! matched loosely (full-width digits, "2024年3月15日", "200余", "安静" for 安静村), merged cells
//! count for every row they cover. Every problem names the Excel row and the column's header.
//! Before calamine parses anything the file is checked: an Excel file at all, its zip whole,
//! at most 100 MB unpacked (a zip bomb is refused), at most [`MAX_ROWS`] rows, read as a stream.

use super::{
    field_of_header, fold, fold_char, Field, DATA_SHEET, EXAMPLE_MARK, HELP_SHEET, MAX_MATERIALS,
    MAX_ROWS, OPTIONS_SHEET, REQUIRED,
};
use crate::db::Db;
use crate::domain::{ActivityFormat, Audience, PersonRole};
use crate::error::{AppError, ErrorCode, Result};
use crate::inventory::{self, Material};
use crate::record::bulk::NewRecords;
use crate::record::{self, MaterialLineInput, RecordInput, Speaker, MAX_COUNT};
use crate::town::{current_user, require_town};
use crate::{audit, validate};
use calamine::{Data, DataRef, Dimensions, ExcelDateTime, Reader, SheetType};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use ts_rs::TS;

/// One problem of one row: the Excel row number as the user sees it (1-based), the header of
/// the column as the sheet writes it, and a message that names both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RowError {
    /// The sheet the row is on (its name, as the workbook gives it).
    pub sheet: String,
    pub row: u32,
    pub column: String,
    /// In Chinese, with the row and the column (what the CLI prints).
    pub message: String,
    /// What it is, for the UI to say in the user's language with `params`.
    pub code: Problem,
    /// The specifics of the message by name (`shown`, `max` …); left out when empty.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    #[ts(
        optional,
        as = "Option<std::collections::HashMap<String, serde_json::Value>>"
    )]
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// What becomes of a row: imported (`valid`), a correction of a row imported before
/// (`updated`, 已修改), already there (`duplicate`), or not (`error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ImportRowStatus")]
pub enum RowStatus {
    Valid,
    Updated,
    Duplicate,
    Error,
}

/// A data row as the preview table shows it: the values as read (or as written, when they
/// could not be read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PreviewRow {
    pub sheet: String,
    pub row: u32,
    /// ISO date, or the cell's text when it is not a date.
    pub date: String,
    /// The unit's name, or the cell's text when no unit matches.
    pub unit: String,
    pub title: String,
    #[ts(type = "number | null")]
    pub participants: Option<i64>,
    #[ts(type = "number | null")]
    pub reach: Option<i64>,
    pub status: RowStatus,
    /// `updated`: what changed since the earlier import, old → new.
    pub changes: Vec<Change>,
}

/// What an import would do. `valid`, `duplicates` and `error_rows` count the data rows by
/// status (blank rows, the template's example row and 合计 rows are not data rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    /// Rows that would be imported: no error and not yet recorded.
    pub valid: u32,
    /// Rows imported before from this sheet that now say something else (已修改): the
    /// records are updated.
    pub updated: u32,
    /// Rows whose date, village and activity name are already recorded (or repeat an earlier
    /// row of the file).
    pub duplicates: u32,
    /// Rows with at least one error; each error is listed in `errors`.
    pub error_rows: u32,
    pub errors: Vec<RowError>,
    /// Read, but not as written: "200余" taken as 200, a format not in the list …
    pub warnings: Vec<RowError>,
    /// The rows of `updated`, each change old → new ("第3行已修改：参加人数：80 → 95").
    pub corrected: Vec<RowError>,
    /// The first 200 data rows.
    pub rows: Vec<PreviewRow>,
    /// The sheet read and the Excel row of its header.
    pub sheet: String,
    pub header_row: u32,
    /// Headers of columns that are not imported (序号, 审核状态 …), of every sheet read.
    pub ignored_columns: Vec<String>,
    /// Every sheet of the workbook: read (with the rows found) or skipped, and why.
    pub sheets: Vec<SheetSummary>,
    /// Continuation rows (no date and name, only materials or notes) joined to the activity
    /// above; they are not counted as rows of their own.
    pub continued: u32,
    /// What a sheet has no column for and is asked once for the whole file: "village",
    /// "format" (see [`ImportAsked`]).
    pub asks: Vec<String>,
    /// Every column of every sheet read, with the field it is read as (the mapper).
    pub columns: Vec<Column>,
    /// What a column can be read as (the mapper's drop-down).
    pub field_options: Vec<FieldOption>,
}

/// One sheet of a workbook as the import saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SheetSummary {
    pub name: String,
    /// The Excel row of its header; 0 when the sheet was skipped.
    pub header_row: u32,
    /// Data rows found (continuation rows included), and how they were decided.
    pub rows: u32,
    pub valid: u32,
    pub updated: u32,
    pub duplicates: u32,
    pub error_rows: u32,
    pub continued: u32,
    /// Why the sheet was not read (封面, 说明, 汇总表, no header …), in Chinese; `None`: read.
    pub skipped: Option<String>,
    /// The same for the UI to word: its code and specifics.
    pub skip_code: Option<Problem>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    #[ts(
        optional,
        as = "Option<std::collections::HashMap<String, serde_json::Value>>"
    )]
    pub skip_params: serde_json::Map<String, serde_json::Value>,
}

/// What an import did: `imported` rows written (all `valid` ones), `duplicates` and error rows
/// left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub valid: u32,
    pub imported: u32,
    /// Records corrected from rows imported before (已修改).
    pub updated: u32,
    pub duplicates: u32,
    pub error_rows: u32,
    pub errors: Vec<RowError>,
    pub warnings: Vec<RowError>,
    pub corrected: Vec<RowError>,
    pub ignored_columns: Vec<String>,
    pub sheets: Vec<SheetSummary>,
    pub continued: u32,
}

/// Values for the whole workbook where a sheet has no column for them: the village (or unit)
/// and the format of every activity on it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportAsked {
    #[serde(default)]
    pub village: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    /// Columns whose field the user fixed in the preview's mapper (or `--map 列名=字段`).
    #[serde(default)]
    pub columns: Vec<ColumnChoice>,
}

/// How many data rows the preview lists.
pub const PREVIEW_ROWS: usize = 200;
/// The most a workbook may unpack to; an activity sheet of 20,000 rows is a few MB.
const MAX_UNPACKED: u64 = 100 * 1024 * 1024;
const MAX_ZIP_ENTRIES: usize = 10_000;
/// Cells right of this column are not read (no header lies that far out).
const MAX_COLS: u32 = 256;
/// The header is looked for in this many non-blank rows at the top of a sheet.
const HEADER_SEARCH_ROWS: u32 = 10;
/// What copies handed out without a material's name are recorded as ("发放资料（份）" 200).
const GENERIC_MATERIAL: &str = "宣传资料";
/// Progress is reported every this many rows.
const PROGRESS_EVERY: u32 = 100;

/// "农民工维权手册32册、宪法读本5本" → [(农民工维权手册, 32), (宪法读本, 5)]: each item a name,
/// a number and at most two characters of unit. None when an item is not written that way.
fn listed_materials(text: &str) -> Option<Vec<(String, i64)>> {
    let mut out = Vec::new();
    // Full-width digits (宪法读本５册) read as half-width ones.
    let text = fold(text);
    for item in text
        .split(['、', '，', ',', '；', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let chars: Vec<char> = item.chars().collect();
        let mut end = chars.len();
        while end > 0 && !chars[end - 1].is_ascii_digit() {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && chars[start - 1].is_ascii_digit() {
            start -= 1;
        }
        let name: String = chars[..start].iter().collect();
        let number: String = chars[start..end].iter().collect();
        if start == end || chars.len() - end > 2 || name.trim().is_empty() {
            return None;
        }
        out.push((name.trim().to_string(), number.parse().ok()?));
    }
    (!out.is_empty()).then_some(out)
}

/// A problem of the whole file, with the file's name in front (the cadre may have picked the
/// wrong one of several sheets sent over WeChat).
fn naming_the_file(path: &Path, mut e: AppError) -> AppError {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !name.is_empty() && !e.message.contains(&name) {
        e.message = format!("“{name}”：{}", e.message);
    }
    if !name.is_empty() && e.code == ErrorCode::FileRejected {
        let name = validate::clip(&name);
        e.params.entry("file").or_insert(name.into());
    }
    e
}

/// Reads and checks the workbook at `path` without writing anything. `progress(done, total)`
/// is told how many rows are checked; when it returns false the preview stops
/// ([`ErrorCode::Cancelled`]).
pub fn preview(
    conn: &Connection,
    path: &Path,
    asked: &ImportAsked,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportPreview> {
    require_town(conn)?;
    let mut book = Book::open(path).map_err(|e| naming_the_file(path, e))?;
    let out = run(conn, &mut book, Mode::Preview, asked, progress)?;
    Ok(ImportPreview {
        valid: out.valid,
        updated: out.updated,
        duplicates: out.duplicates,
        error_rows: out.error_rows,
        errors: out.errors,
        warnings: out.warnings,
        corrected: out.corrected,
        rows: out.rows,
        sheet: out.sheet,
        header_row: out.header_row,
        ignored_columns: out.ignored_columns,
        sheets: out.sheets,
        continued: out.continued,
        asks: out.asks,
        columns: out.columns,
        field_options: field_options(),
    })
}

/// Imports the workbook at `path`: every valid row that is not yet recorded becomes a record,
/// all in one transaction; rows with errors are left out (the preview listed them). Cancelled
/// (`progress` returned false) or failed, nothing is kept.
pub fn import(
    db: &mut Db,
    path: &Path,
    asked: &ImportAsked,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportReport> {
    require_town(&db.conn)?;
    // The file is checked and opened before the transaction starts.
    let mut book = Book::open(path).map_err(|e| naming_the_file(path, e))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let backup = crate::backup::ImportBackup::begin(db.data_dir.as_deref())?;
    // Thousands of rows: the bulk transaction settings (see Db::with_bulk_tx).
    let out = db.with_bulk_tx(|tx| {
        // The valid rows are checked as they are read and written a chunk at a time.
        let mut batch = NewRecords::start(tx)?;
        let out = run(tx, &mut book, Mode::Import(&mut batch), asked, progress)?;
        // Every row read and checked, some written: the data as it was is kept before the
        // commit (the backup begun beside the import reads the last committed state through a
        // connection of its own, which this transaction's uncommitted chunks do not touch).
        if let (true, Some(backup)) = (out.imported + out.updated > 0, backup) {
            backup.keep()?;
        }
        batch.write(tx).map_err(|e| AppError {
            message: format!("写入失败，没有导入任何记录：{}", e.message),
            ..e
        })?;
        remember(tx, &out.sources)?;
        if out.updated > 0 {
            audit::note(
                tx,
                "record",
                "import",
                "update",
                &format!(
                    "从 Excel 导入更正活动记录 {} 条（{}）",
                    out.updated,
                    validate::clip(&file_name)
                ),
            )?;
        }
        if out.imported > 0 {
            audit::note(
                tx,
                "record",
                "import",
                "create",
                &format!(
                    "从 Excel 导入活动记录 {} 条（{}）",
                    out.imported,
                    validate::clip(&file_name)
                ),
            )?;
        }
        Ok(out)
    })?;
    Ok(ImportReport {
        valid: out.valid,
        imported: out.imported,
        updated: out.updated,
        duplicates: out.duplicates,
        error_rows: out.error_rows,
        errors: out.errors,
        warnings: out.warnings,
        corrected: out.corrected,
        ignored_columns: out.ignored_columns,
        sheets: out.sheets,
        continued: out.continued,
    })
}

// The import, along its seams: the file opened and read as rows (`reading`), cells read as
// values (`cells`), the header and names mapped to columns and rows of the database
// (`mapping`), the rows walked (`rows`) with what a row carries beyond its cells (`row_parts`),
// each row checked (`checks`) and written (`writing`).
mod cells;
mod checks;
mod corrections;
mod layout;
mod mapping;
mod reading;
mod row_parts;
mod rows;
mod said;
mod writing;

pub(crate) use cells::*;
#[allow(unused_imports)]
use checks::*;
pub use corrections::Change;
use corrections::*;
use layout::*;
pub use layout::{field_options, Column, ColumnChoice, FieldOption};
use mapping::*;
pub(crate) use reading::*;
use rows::*;
use said::approximate;
pub use said::Problem;
pub(crate) use said::Said;
use writing::*;

#[cfg(test)]
mod tests;
