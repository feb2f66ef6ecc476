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
    field_of_header, fold, Field, DATA_SHEET, EXAMPLE_MARK, HELP_SHEET, MAX_MATERIALS, MAX_ROWS,
    OPTIONS_SHEET, REQUIRED,
};
use crate::db::Db;
use crate::domain::{ActivityFormat, Audience, PersonRole};
use crate::error::{AppError, ErrorCode, Result};
use crate::inventory::{self, Material};
use crate::record::bulk::NewRecords;
use crate::record::{self, MaterialLineInput, RecordInput, Speaker, MAX_COUNT};
use crate::town::{current_user, require_town};
use crate::{audit, validate};
use calamine::{Data, DataRef, Dimensions, ExcelDateTime, Reader, SheetType, SheetVisible};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
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
    pub row: u32,
    pub column: String,
    pub message: String,
}

/// What becomes of a row: imported (`valid`), already there (`duplicate`), or not (`error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ImportRowStatus")]
pub enum RowStatus {
    Valid,
    Duplicate,
    Error,
}

/// A data row as the preview table shows it: the values as read (or as written, when they
/// could not be read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PreviewRow {
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
}

/// What an import would do. `valid`, `duplicates` and `error_rows` count the data rows by
/// status (blank rows, the template's example row and 合计 rows are not data rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    /// Rows that would be imported: no error and not yet recorded.
    pub valid: u32,
    /// Rows whose date, village and activity name are already recorded (or repeat an earlier
    /// row of the file).
    pub duplicates: u32,
    /// Rows with at least one error; each error is listed in `errors`.
    pub error_rows: u32,
    pub errors: Vec<RowError>,
    /// Read, but not as written: "200余" taken as 200, a format not in the list …
    pub warnings: Vec<RowError>,
    /// The first 200 data rows.
    pub rows: Vec<PreviewRow>,
    /// The sheet read and the Excel row of its header.
    pub sheet: String,
    pub header_row: u32,
    /// Headers of columns that are not imported (序号, 审核状态 …).
    pub ignored_columns: Vec<String>,
}

/// What an import did: `imported` rows written (all `valid` ones), `duplicates` and error rows
/// left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub valid: u32,
    pub imported: u32,
    pub duplicates: u32,
    pub error_rows: u32,
    pub errors: Vec<RowError>,
    pub warnings: Vec<RowError>,
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
    e
}

/// Reads and checks the workbook at `path` without writing anything. `progress(done, total)`
/// is told how many rows are checked; when it returns false the preview stops
/// ([`ErrorCode::Cancelled`]).
pub fn preview(
    conn: &Connection,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportPreview> {
    require_town(conn)?;
    let mut book = Book::open(path).map_err(|e| naming_the_file(path, e))?;
    let out = run(conn, &mut book, Mode::Preview, progress)?;
    Ok(ImportPreview {
        valid: out.valid,
        duplicates: out.duplicates,
        error_rows: out.error_rows,
        errors: out.errors,
        warnings: out.warnings,
        rows: out.rows,
        sheet: out.sheet,
        header_row: out.header_row,
        ignored_columns: out.ignored_columns,
    })
}

/// Imports the workbook at `path`: every valid row that is not yet recorded becomes a record,
/// all in one transaction; rows with errors are left out (the preview listed them). Cancelled
/// (`progress` returned false) or failed, nothing is kept.
pub fn import(
    db: &mut Db,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportReport> {
    require_town(&db.conn)?;
    // The file is checked and opened before the transaction starts.
    let mut book = Book::open(path).map_err(|e| naming_the_file(path, e))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let data_dir = db.data_dir.clone();
    // Thousands of rows: the bulk transaction settings (see Db::with_bulk_tx).
    let out = db.with_bulk_tx(|tx| {
        // The valid rows are checked as they are read and written together at the end.
        let mut batch = NewRecords::start(tx)?;
        let out = run(tx, &mut book, Mode::Import(&mut batch), progress)?;
        // Every row read and checked, some to be written: the data as it was is kept first.
        if let (true, Some(dir)) = (out.imported > 0, &data_dir) {
            crate::backup::before_import(dir)?;
        }
        batch.write(tx).map_err(|e| AppError {
            message: format!("写入失败，没有导入任何记录：{}", e.message),
            ..e
        })?;
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
        duplicates: out.duplicates,
        error_rows: out.error_rows,
        errors: out.errors,
        warnings: out.warnings,
    })
}

// ---------------------------------------------------------------------------------------------
// The file

fn rejected(message: impl Into<String>) -> AppError {
    AppError::field(ErrorCode::FileRejected, "path", message)
}

fn damaged() -> AppError {
    rejected(
        "文件已损坏或不完整（可能没有下载完，或保存时出了错），无法读取。\
         请在 Excel 或 WPS 中打开它，“另存为” .xlsx 文件后再导入",
    )
}

fn password() -> AppError {
    rejected("文件设置了打开密码，无法读取。请在 Excel 或 WPS 中取消密码、保存后再导入")
}

fn not_excel(path: &Path) -> AppError {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    rejected(format!(
        "“{}”不是 Excel 表格文件（.xlsx 或 .xls）。如果是 CSV 或 Word 文件，\
         请用 Excel 或 WPS 打开后“另存为” .xlsx 再导入",
        validate::clip(&name)
    ))
}

fn too_big() -> AppError {
    rejected(format!(
        "文件解压后超过 {} MB，不像是一份活动登记表，已拒绝导入；请检查是否选错了文件",
        MAX_UNPACKED / 1024 / 1024
    ))
}

/// What kind of workbook a zip holds, by the parts it has.
#[derive(Debug, PartialEq)]
enum ZipKind {
    Xlsx,
    Xlsb,
    Ods,
    Other,
}

/// Checks a zip before calamine opens it: its central directory readable, its declared sizes
/// within [`MAX_UNPACKED`] — and the real ones too, inflated and counted, since the declared
/// sizes are whatever the file says.
fn check_zip(path: &Path) -> Result<ZipKind> {
    let file = File::open(path).map_err(|e| open_error(path, &e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|_| damaged())?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(too_big());
    }
    let mut declared: u64 = 0;
    let mut names = HashSet::new();
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|_| damaged())?;
        declared = declared.saturating_add(entry.size());
        names.insert(entry.name().map_err(|_| damaged())?.to_string());
    }
    if declared > MAX_UNPACKED {
        return Err(too_big());
    }
    let mut budget = MAX_UNPACKED;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| damaged())?;
        let read = std::io::copy(&mut (&mut entry).take(budget + 1), &mut std::io::sink())
            .map_err(|_| damaged())?;
        if read > budget {
            return Err(too_big());
        }
        budget -= read;
    }
    Ok(if names.contains("xl/workbook.xml") {
        ZipKind::Xlsx
    } else if names.contains("xl/workbook.bin") {
        ZipKind::Xlsb
    } else if names.contains("content.xml") {
        ZipKind::Ods
    } else {
        ZipKind::Other
    })
}

fn open_error(path: &Path, e: &std::io::Error) -> AppError {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".to_string(),
        std::io::ErrorKind::PermissionDenied => {
            "没有权限读取（如果文件正在其他程序中打开，请先关闭它）".to_string()
        }
        _ => e.to_string(),
    };
    AppError::field(
        ErrorCode::Io,
        "path",
        format!("无法读取“{}”：{why}", path.display()),
    )
}

type FileReader = BufReader<File>;

/// An opened workbook of any format calamine reads.
enum Book {
    Xlsx(calamine::Xlsx<FileReader>),
    Xls(calamine::Xls<FileReader>),
    Xlsb(calamine::Xlsb<FileReader>),
    Ods(calamine::Ods<FileReader>),
}

impl Book {
    fn open(path: &Path) -> Result<Book> {
        let mut file = File::open(path).map_err(|e| open_error(path, &e))?;
        if file.metadata().map_err(|e| open_error(path, &e))?.is_dir() {
            return Err(not_excel(path));
        }
        let mut magic = [0u8; 8];
        let n = read_up_to(&mut file, &mut magic).map_err(|e| open_error(path, &e))?;
        let reader = || -> Result<FileReader> {
            Ok(BufReader::new(
                File::open(path).map_err(|e| open_error(path, &e))?,
            ))
        };
        if n >= 4 && magic[..4] == *b"PK\x03\x04" {
            return match check_zip(path)? {
                ZipKind::Xlsx => {
                    calamine::Xlsx::new(reader()?)
                        .map(Book::Xlsx)
                        .map_err(|e| match e {
                            calamine::XlsxError::Password => password(),
                            _ => damaged(),
                        })
                }
                ZipKind::Xlsb => calamine::Xlsb::new(reader()?)
                    .map(Book::Xlsb)
                    .map_err(|_| damaged()),
                ZipKind::Ods => calamine::Ods::new(reader()?)
                    .map(Book::Ods)
                    .map_err(|e| match e {
                        calamine::OdsError::Password => password(),
                        _ => damaged(),
                    }),
                ZipKind::Other => Err(not_excel(path)),
            };
        }
        // An .xls, or an encrypted .xlsx: both are OLE compound files.
        if n == 8 && magic == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
            if file.metadata().map_err(|e| open_error(path, &e))?.len() > MAX_UNPACKED {
                return Err(too_big());
            }
            return match calamine::Xls::new(reader()?) {
                Ok(xls) => Ok(Book::Xls(xls)),
                Err(calamine::XlsError::Password) => Err(password()),
                Err(_) => match calamine::Xlsx::new(reader()?) {
                    Err(calamine::XlsxError::Password) => Err(password()),
                    _ => Err(damaged()),
                },
            };
        }
        if n == 0 {
            return Err(rejected("文件是空的（0 字节），请检查是否选错了文件"));
        }
        Err(not_excel(path))
    }

    /// The sheets to look in, in order: the template's 活动登记 first, then the other visible
    /// worksheets (not the template's 填写说明 and 选项).
    fn candidates(&self) -> Vec<String> {
        let sheets = match self {
            Book::Xlsx(b) => b.sheets_metadata().to_vec(),
            Book::Xls(b) => b.sheets_metadata().to_vec(),
            Book::Xlsb(b) => b.sheets_metadata().to_vec(),
            Book::Ods(b) => b.sheets_metadata().to_vec(),
        };
        let mut names: Vec<String> = sheets
            .into_iter()
            .filter(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet)
            .map(|s| s.name)
            .filter(|n| n != HELP_SHEET && n != OPTIONS_SHEET)
            .collect();
        if let Some(i) = names.iter().position(|n| n == DATA_SHEET) {
            let data = names.remove(i);
            names.insert(0, data);
        }
        names
    }

    /// The merged areas of a sheet (empty when the format does not tell).
    fn merged(&mut self, sheet: &str) -> Vec<Dimensions> {
        match self {
            Book::Xlsx(b) => b
                .worksheet_merge_cells(sheet)
                .and_then(|r| r.ok())
                .unwrap_or_default(),
            Book::Xls(b) => b.worksheet_merge_cells(sheet).unwrap_or_default(),
            Book::Xlsb(_) | Book::Ods(_) => Vec::new(),
        }
    }

    /// Runs `f` over the rows of a sheet: an .xlsx streamed cell by cell (a huge sheet is not
    /// loaded into memory), the older formats from calamine's range.
    fn with_rows<T>(
        &mut self,
        sheet: &str,
        f: impl FnOnce(&mut dyn RowSource) -> Result<T>,
    ) -> Result<T> {
        match self {
            Book::Xlsx(b) => {
                let mut cells = b.worksheet_cells_reader(sheet).map_err(|_| damaged())?;
                let last = cells.dimensions().end.0;
                let rows = CellRows::new(
                    move || match cells.next_cell() {
                        Ok(Some(c)) => {
                            let (r, col) = c.get_position();
                            Ok(Some((r, col, Cell::from_data_ref(c.get_value()))))
                        }
                        Ok(None) => Ok(None),
                        Err(_) => Err(damaged()),
                    },
                    last,
                );
                read_ahead(rows, f)
            }
            Book::Xls(b) => range_rows(b.worksheet_range(sheet).map_err(|_| damaged())?, f),
            Book::Xlsb(b) => range_rows(b.worksheet_range(sheet).map_err(|_| damaged())?, f),
            Book::Ods(b) => range_rows(b.worksheet_range(sheet).map_err(|_| damaged())?, f),
        }
    }
}

/// Rows a batch the reading thread hands over: large enough that passing them costs nothing,
/// small enough that a stopped import has not read far ahead.
const READ_AHEAD_BATCH: usize = 256;

/// Runs `f` over `source`'s rows while a second thread reads them: unzipping and parsing the
/// sheet's XML is a fifth of an import's time, and the other core is idle while this one checks
/// and writes the records. When `f` stops early (an error, cancelled, too many rows) the reader
/// stops at its next batch.
fn read_ahead<T>(
    mut source: impl RowSource + Send,
    f: impl FnOnce(&mut dyn RowSource) -> Result<T>,
) -> Result<T> {
    let last_row = source.last_row();
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel(4);
        scope.spawn(move || loop {
            let mut batch = Vec::with_capacity(READ_AHEAD_BATCH);
            let end = loop {
                match source.next_row() {
                    Ok(Some(row)) => {
                        batch.push(row);
                        if batch.len() == READ_AHEAD_BATCH {
                            break None;
                        }
                    }
                    Ok(None) => break Some(Ok(())),
                    Err(e) => break Some(Err(e)),
                }
            };
            // A failed send: the consumer has stopped reading.
            if !batch.is_empty() && sender.send(Ok(batch)).is_err() {
                return;
            }
            match end {
                None => {}
                Some(Ok(())) => {
                    // An empty batch: the end of the sheet.
                    let _ = sender.send(Ok(Vec::new()));
                    return;
                }
                Some(Err(e)) => {
                    let _ = sender.send(Err(e));
                    return;
                }
            }
        });
        let mut rows = ReceivedRows {
            receiver,
            batch: Vec::new().into_iter(),
            done: false,
            last_row,
        };
        f(&mut rows)
        // `rows` is dropped here, before the scope waits for the reader: its next send fails.
    })
}

/// The rows the reading thread of [`read_ahead`] sends, in order.
struct ReceivedRows {
    receiver: std::sync::mpsc::Receiver<Result<Vec<SheetRow>>>,
    batch: std::vec::IntoIter<SheetRow>,
    /// The end of the sheet was received.
    done: bool,
    last_row: u32,
}

impl RowSource for ReceivedRows {
    fn next_row(&mut self) -> Result<Option<SheetRow>> {
        loop {
            if let Some(row) = self.batch.next() {
                return Ok(Some(row));
            }
            if self.done {
                return Ok(None);
            }
            match self.receiver.recv() {
                Ok(Ok(batch)) if batch.is_empty() => {
                    self.done = true;
                    return Ok(None);
                }
                Ok(batch) => self.batch = batch?.into_iter(),
                // The reader stopped before the end of the sheet (it panicked): not a sheet
                // read through.
                Err(_) => return Err(damaged()),
            }
        }
    }

    fn last_row(&self) -> u32 {
        self.last_row
    }
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn range_rows<T>(
    range: calamine::Range<Data>,
    f: impl FnOnce(&mut dyn RowSource) -> Result<T>,
) -> Result<T> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let last = range.end().map(|e| e.0).unwrap_or(0);
    let cells: Vec<(u32, u32, Cell)> = range
        .used_cells()
        .map(|(r, c, d)| (r0 + r as u32, c0 + c as u32, Cell::from_data(d)))
        .collect();
    drop(range);
    let mut cells = cells.into_iter();
    let mut rows = CellRows::new(move || Ok(cells.next()), last);
    f(&mut rows)
}

// ---------------------------------------------------------------------------------------------
// Cells and rows

/// A cell as the import reads it, whatever the file format.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A date/time cell: its date (none for a time of day alone) and time.
    DateTime {
        date: Option<NaiveDate>,
        hour: u8,
        minute: u8,
    },
    Bool(bool),
    Error(String),
}

const EMPTY: Cell = Cell::Empty;

impl Cell {
    fn text(s: &str) -> Cell {
        if s.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_string())
        }
    }

    fn datetime(dt: &ExcelDateTime) -> Cell {
        let v = dt.as_f64();
        // calamine converts serials in Excel's range only.
        if !(0.0..2_958_466.0).contains(&v) {
            return Cell::Number(v);
        }
        let (y, m, d, hour, minute, _, _) = dt.to_ymd_hms_milli();
        let date = if v < 1.0 || dt.is_duration() {
            None
        } else {
            NaiveDate::from_ymd_opt(y.into(), m.into(), d.into())
        };
        Cell::DateTime { date, hour, minute }
    }

    fn from_data_ref(d: &DataRef) -> Cell {
        match d {
            DataRef::Int(i) => Cell::Number(*i as f64),
            DataRef::Float(f) => Cell::Number(*f),
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::text(s),
            DataRef::SharedString(s) => Cell::text(s),
            DataRef::Bool(b) => Cell::Bool(*b),
            DataRef::DateTime(dt) => Cell::datetime(dt),
            DataRef::Error(e) => Cell::Error(e.to_string()),
            DataRef::Empty => Cell::Empty,
        }
    }

    fn from_data(d: &Data) -> Cell {
        match d {
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Float(f) => Cell::Number(*f),
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::text(s),
            Data::Bool(b) => Cell::Bool(*b),
            Data::DateTime(dt) => Cell::datetime(dt),
            Data::Error(e) => Cell::Error(e.to_string()),
            Data::Empty => Cell::Empty,
        }
    }

    /// The cell as a person reads it.
    fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::DateTime {
                date: Some(d),
                hour: 0,
                minute: 0,
            } => d.to_string(),
            Cell::DateTime {
                date: Some(d),
                hour,
                minute,
            } => format!("{d} {hour:02}:{minute:02}"),
            Cell::DateTime {
                date: None,
                hour,
                minute,
            } => format!("{hour:02}:{minute:02}"),
            Cell::Bool(true) => "是".into(),
            Cell::Bool(false) => "否".into(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// One row of a sheet: its 0-based index and its non-empty cells by 0-based column.
pub(crate) struct SheetRow {
    pub index: u32,
    pub cells: Vec<(u32, Cell)>,
}

/// A sheet read row by row.
pub(crate) trait RowSource {
    /// The next row that has any cell (possibly all empty ones), in sheet order.
    fn next_row(&mut self) -> Result<Option<SheetRow>>;
    /// The last row index the sheet declares (for the progress total; 0 when unknown).
    fn last_row(&self) -> u32;
}

/// Rows from a stream of cells in row order (calamine's cell reader, or a list in tests).
pub(crate) struct CellRows<F> {
    next: F,
    pending: Option<(u32, u32, Cell)>,
    /// The stream ended: calamine's reader must not be asked again (it would read on to the
    /// end of the file and report it truncated).
    done: bool,
    last_row: u32,
}

impl<F: FnMut() -> Result<Option<(u32, u32, Cell)>>> CellRows<F> {
    pub(crate) fn new(next: F, last_row: u32) -> Self {
        CellRows {
            next,
            pending: None,
            done: false,
            last_row,
        }
    }
}

impl<F: FnMut() -> Result<Option<(u32, u32, Cell)>>> RowSource for CellRows<F> {
    fn next_row(&mut self) -> Result<Option<SheetRow>> {
        let mut current: Option<SheetRow> = None;
        loop {
            let next = match self.pending.take() {
                Some(c) => Some(c),
                None if self.done => None,
                None => (self.next)()?,
            };
            let Some((r, c, v)) = next else {
                self.done = true;
                return Ok(current);
            };
            let row = match &mut current {
                Some(row) if row.index != r => {
                    self.pending = Some((r, c, v));
                    return Ok(current);
                }
                Some(row) => row,
                None => current.insert(SheetRow {
                    index: r,
                    cells: Vec::new(),
                }),
            };
            if c < MAX_COLS && v != Cell::Empty {
                row.cells.push((c, v));
            }
        }
    }

    fn last_row(&self) -> u32 {
        self.last_row
    }
}

// ---------------------------------------------------------------------------------------------
// Cell parsers: a value, or a message (without row and column, which the caller adds).

/// A count as written: its value and, for "200余" / "约200", the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Count {
    pub value: i64,
    pub approx: Option<String>,
}

/// A date: a date cell, an Excel serial number, or text in the usual Chinese forms. `None` for
/// an empty cell.
pub(crate) fn parse_date(cell: &Cell) -> std::result::Result<Option<NaiveDate>, String> {
    let bad = |shown: &str| {
        format!(
            "“{}”不是有效的日期，请写成 2024-03-15 或 2024年3月15日",
            validate::clip(shown)
        )
    };
    match cell {
        Cell::Empty => Ok(None),
        Cell::DateTime { date: Some(d), .. } => Ok(Some(*d)),
        Cell::Number(n) => serial_date(*n)
            .or_else(|| ymd_number(*n))
            .map(Some)
            .ok_or_else(|| bad(&cell.as_text())),
        Cell::Text(s) => {
            let t = fold(s);
            // A time after the date is dropped: "2024-03-15 09:00", "2024-03-15T09:00:00".
            let t = match t.find(':') {
                Some(i) => match t[..i].rfind([' ', 'T']) {
                    Some(j) => t[..j].to_string(),
                    None => t.clone(),
                },
                None => t.clone(),
            };
            let mut t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            // A weekday after it: "2024年3月15日(星期五)", "2024-03-15周五".
            if t.ends_with(')') {
                if let Some(i) = t.rfind('(') {
                    t.truncate(i);
                }
            }
            for w in ["星期", "周", "礼拜"] {
                if let Some(i) = t.rfind(w) {
                    if t[i + w.len()..].chars().count() == 1 {
                        t.truncate(i);
                    }
                }
            }
            if let Some(d) = validate::parse_date(&t) {
                return Ok(Some(d));
            }
            if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
                if let Some(d) = t.parse::<f64>().ok().and_then(ymd_number) {
                    return Ok(Some(d));
                }
            }
            // A serial number kept as text (copied from another program).
            if t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit()) {
                if let Some(d) = t.parse::<f64>().ok().and_then(serial_date) {
                    return Ok(Some(d));
                }
            }
            let no_year = t.contains('月') && !t.contains('年');
            if no_year {
                return Err(format!(
                    "“{}”没有写年份，请写成 2024年3月15日 这样的完整日期",
                    validate::clip(s.trim())
                ));
            }
            Err(bad(s.trim()))
        }
        _ => Err(bad(&cell.as_text())),
    }
}

/// An Excel date serial (1900 system) of the years 2000–2100; other numbers are not dates here.
fn serial_date(n: f64) -> Option<NaiveDate> {
    if !(36_526.0..73_051.0).contains(&n) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_days(chrono::Days::new(n.floor() as u64))
}

/// 20240315 typed as a number.
fn ymd_number(n: f64) -> Option<NaiveDate> {
    if n.fract() != 0.0 || !(19_000_101.0..=22_001_231.0).contains(&n) {
        return None;
    }
    let n = n as u32;
    NaiveDate::from_ymd_opt((n / 10_000) as i32, n / 100 % 100, n % 100)
}

/// A time of day as "HH:MM": a time cell, a fraction of a day, or text ("9:30", "9点半",
/// "下午2点", "0930"). `None` for an empty cell.
pub(crate) fn parse_time(cell: &Cell) -> std::result::Result<Option<String>, String> {
    let bad = |shown: &str| {
        format!(
            "“{}”不是有效的时间，请写成 09:30 这样的时间",
            validate::clip(shown)
        )
    };
    match cell {
        Cell::Empty => Ok(None),
        Cell::DateTime { hour, minute, .. } => Ok(Some(format!("{hour:02}:{minute:02}"))),
        Cell::Number(n) if (0.0..1.0).contains(n) => {
            let minutes = ((n * 1440.0).round() as u32).min(1439);
            Ok(Some(format!("{:02}:{:02}", minutes / 60, minutes % 60)))
        }
        Cell::Number(n) if n.fract() == 0.0 && (0.0..24.0).contains(n) => {
            Ok(Some(format!("{:02}:00", *n as u32)))
        }
        Cell::Number(n) if n.fract() == 0.0 && (100.0..2400.0).contains(n) => {
            let n = *n as u32;
            time_text(&format!("{:02}:{:02}", n / 100, n % 100))
                .map(Some)
                .ok_or_else(|| bad(&n.to_string()))
        }
        Cell::Text(s) => time_text(s).map(Some).ok_or_else(|| bad(s.trim())),
        _ => Err(bad(&cell.as_text())),
    }
}

fn time_text(s: &str) -> Option<String> {
    let mut t: String = fold(s).chars().filter(|c| !c.is_whitespace()).collect();
    let mut afternoon = false;
    for (word, pm) in [
        ("上午", false),
        ("早上", false),
        ("早晨", false),
        ("中午", true),
        ("下午", true),
        ("晚上", true),
    ] {
        if let Some(rest) = t.strip_prefix(word) {
            afternoon = pm;
            t = rest.to_string();
            break;
        }
    }
    let t = t
        .replace('时', "点")
        .replace("点半", ":30")
        .replace('点', ":");
    let t = t.trim_end_matches('分').trim_end_matches(':');
    let digits = |x: &str| (1..=2).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit());
    let (h, m) = if let Some((h, rest)) = t.split_once(':') {
        // Seconds are dropped: "09:30:00".
        let mut parts = rest.split(':');
        let m = parts.next().unwrap_or("");
        match (parts.next(), parts.next()) {
            (None, _) => {}
            (Some(sec), None) if digits(sec) => {}
            _ => return None,
        }
        (h, m)
    } else if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        (&t[..2], &t[2..])
    } else {
        (t, "0")
    };
    if !digits(h) || !digits(m) {
        return None;
    }
    let h: u32 = h.parse().ok().filter(|h| *h < 24)?;
    let m: u32 = m.parse().ok().filter(|m| *m < 60)?;
    let h = if afternoon && h < 12 { h + 12 } else { h };
    Some(format!("{h:02}:{m:02}"))
}

/// A start and an end time written in one cell: "9:00-11:30", "9:00至11:30".
fn time_range(cell: &Cell) -> Option<(String, String)> {
    let Cell::Text(s) = cell else { return None };
    let t = fold(s);
    let (a, b) = t.split_once(['-', '—', '~', '～', '至', '到'])?;
    Some((time_text(a)?, time_text(b)?))
}

/// Prefixes and suffixes of a count written by hand: the approximate ones make a warning.
const APPROX_PREFIXES: &[&str] = &["大约", "将近", "约", "近", "逾", "超过"];
const EXACT_PREFIXES: &[&str] = &["共计", "合计", "共", "计"];
const APPROX_SUFFIXES: &[&str] = &["余", "多", "左右", "以上", "+"];
const UNIT_SUFFIXES: &[&str] = &[
    "人次", "人", "名", "次", "场", "个", "件", "条", "块", "份", "册", "本", "张", "套", "盒",
    "袋", "瓶", "台", "幅", "户", "处",
];
/// What a cadre writes for none.
const NONE_WORDS: &[&str] = &["无", "没有", "/", "-", "--", "—", "——"];

/// A count (people, items): a number cell, or text like "1,200", "1200人次", "200余", "约200".
/// `None` for an empty cell.
pub(crate) fn parse_count(cell: &Cell) -> std::result::Result<Option<Count>, String> {
    let written = cell.as_text();
    let not_a_number = || format!("应填写数字（填写的是“{}”）", validate::clip(written.trim()));
    let (value, approx) = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(n) => (*n, false),
        Cell::Text(s) => {
            let t: String = fold(s)
                .chars()
                .filter(|c| !c.is_whitespace() && *c != ',')
                .collect();
            if NONE_WORDS.contains(&t.as_str()) {
                return Ok(None);
            }
            let mut approx = false;
            let mut rest = t.as_str();
            for p in APPROX_PREFIXES {
                if let Some(r) = rest.strip_prefix(p) {
                    rest = r;
                    approx = true;
                    break;
                }
            }
            for p in EXACT_PREFIXES {
                if let Some(r) = rest.strip_prefix(p) {
                    rest = r;
                    break;
                }
            }
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .unwrap_or(rest.len());
            let (number, mut suffix) = rest.split_at(end);
            'strip: while !suffix.is_empty() {
                for s in APPROX_SUFFIXES {
                    if let Some(r) = suffix.strip_prefix(s) {
                        suffix = r;
                        approx = true;
                        continue 'strip;
                    }
                }
                for s in UNIT_SUFFIXES {
                    if let Some(r) = suffix.strip_prefix(s) {
                        suffix = r;
                        continue 'strip;
                    }
                }
                return Err(not_a_number());
            }
            match number.parse::<f64>() {
                Ok(n) => (n, approx),
                Err(_) => return Err(not_a_number()),
            }
        }
        _ => return Err(not_a_number()),
    };
    if !value.is_finite() {
        return Err(not_a_number());
    }
    if value < 0.0 {
        return Err("不能为负数".into());
    }
    if value.fract() != 0.0 {
        return Err(format!(
            "应为整数（填写的是“{}”）",
            validate::clip(&written)
        ));
    }
    if value > MAX_COUNT as f64 {
        return Err(format!(
            "{} 过大，请核对（最多 {MAX_COUNT}）",
            validate::clip(&written)
        ));
    }
    Ok(Some(Count {
        value: value as i64,
        approx: approx.then(|| written.trim().to_string()),
    }))
}

/// Text on one line: runs of spaces, tabs and line breaks become one space; other control
/// characters (invisible) are dropped.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

/// Free text keeping its line breaks.
fn lines(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .trim()
        .to_string()
}

/// The same activity name, however spaced: the key duplicates are found by.
fn title_key(title: &str) -> String {
    fold(title).chars().filter(|c| !c.is_whitespace()).collect()
}

/// A name to look up: folded, without spaces.
fn name_key(s: &str) -> String {
    fold(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '《' | '》' | '<' | '>'))
        .collect()
}

/// A village's name without 村/社区/居委会, so "安静" finds 安静村.
fn short_unit_name(key: &str) -> &str {
    for suffix in [
        "村民委员会",
        "居民委员会",
        "村委会",
        "居委会",
        "村委",
        "社区",
        "村",
    ] {
        if let Some(s) = key.strip_suffix(suffix) {
            if !s.is_empty() {
                return s;
            }
        }
    }
    key
}

/// Items of a list cell: "集中宣传、有奖问答", "a,b;c", one per line, "a/b", "a b".
fn list_items(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | ';' | '/' | '|'))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

const FORMAT_WORDS: &[(&str, ActivityFormat)] = &[
    ("讲座", ActivityFormat::Lecture),
    ("专题讲座", ActivityFormat::Lecture),
    ("法治课", ActivityFormat::LawClass),
    ("开学第一课", ActivityFormat::LawClass),
    ("法治第一课", ActivityFormat::LawClass),
    ("主题班会", ActivityFormat::LawClass),
    ("宣传", ActivityFormat::StreetCampaign),
    ("设摊", ActivityFormat::StreetCampaign),
    ("摆摊", ActivityFormat::StreetCampaign),
    ("设摊咨询", ActivityFormat::StreetCampaign),
    ("赶集", ActivityFormat::StreetCampaign),
    ("赶集日普法", ActivityFormat::StreetCampaign),
    ("院坝", ActivityFormat::CourtyardMeeting),
    ("院落会", ActivityFormat::CourtyardMeeting),
    ("屋场会", ActivityFormat::CourtyardMeeting),
    ("案例", ActivityFormat::CaseExplained),
    ("巡回审判", ActivityFormat::CaseExplained),
    ("问答", ActivityFormat::Quiz),
    ("知识竞赛", ActivityFormat::Quiz),
    ("有奖竞答", ActivityFormat::Quiz),
    ("咨询", ActivityFormat::Consultation),
    ("入户", ActivityFormat::DoorToDoor),
    ("进村入户", ActivityFormat::DoorToDoor),
    ("送法下乡", ActivityFormat::DoorToDoor),
    ("送法上门", ActivityFormat::DoorToDoor),
    ("文艺", ActivityFormat::Performance),
    ("演出", ActivityFormat::Performance),
    ("晨读", ActivityFormat::MorningReading),
    ("宪法宣誓", ActivityFormat::MorningReading),
    ("线上", ActivityFormat::Online),
    ("网络", ActivityFormat::Online),
    ("新媒体", ActivityFormat::Online),
    ("公众号", ActivityFormat::Online),
    ("微信", ActivityFormat::Online),
    ("抖音", ActivityFormat::Online),
    ("直播", ActivityFormat::Online),
];

const AUDIENCE_WORDS: &[(&str, Audience)] = &[
    ("村民", Audience::Residents),
    ("居民", Audience::Residents),
    ("群众", Audience::Residents),
    ("村居民", Audience::Residents),
    ("学生", Audience::Students),
    ("青少年", Audience::Students),
    ("中小学生", Audience::Students),
    ("未成年人", Audience::Students),
    ("教师", Audience::TeachersParents),
    ("家长", Audience::TeachersParents),
    ("村干部", Audience::VillageCommittee),
    ("两委干部", Audience::VillageCommittee),
    ("村两委", Audience::VillageCommittee),
    ("公职人员", Audience::CivilServants),
    ("机关干部", Audience::CivilServants),
    ("外出务工人员", Audience::MigrantWorkers),
    ("务工人员", Audience::MigrantWorkers),
    ("企业", Audience::Business),
    ("个体工商户", Audience::Business),
    ("老人", Audience::Elderly),
    ("社区矫正", Audience::Corrections),
    ("安置帮教", Audience::Corrections),
];

/// One item of a vocabulary: its code or label, a common word for it, or the one label it is
/// part of (or that is part of it). `None`: not recognised.
fn match_word<T: Copy + PartialEq>(
    item: &str,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    words: &[(&str, T)],
) -> Option<T> {
    if let Some(v) = all.iter().copied().find(|v| code(*v) == item) {
        return Some(v);
    }
    let key = name_key(item);
    if let Some(v) = all.iter().copied().find(|v| name_key(label(*v)) == key) {
        return Some(v);
    }
    if let Some((_, v)) = words.iter().find(|(w, _)| *w == key) {
        return Some(*v);
    }
    if key.chars().count() < 2 {
        return None;
    }
    let mut found = all.iter().copied().filter(|v| {
        let l = name_key(label(*v));
        l.contains(&key) || key.contains(&l)
    });
    match (found.next(), found.next()) {
        (Some(v), None) => Some(v),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The header

#[derive(Debug, Clone)]
struct Header {
    /// 0-based row.
    row: u32,
    /// (column, field, header as written).
    columns: Vec<(u32, Field, String)>,
    ignored: Vec<String>,
}

enum HeaderSearch {
    Found(Header),
    /// A header row without some required columns.
    Incomplete(AppError),
    NotFound,
}

impl Header {
    fn from_row(row: &SheetRow) -> Header {
        let mut cells: Vec<&(u32, Cell)> = row.cells.iter().collect();
        cells.sort_by_key(|(c, _)| *c);
        let mut columns: Vec<(u32, Field, String)> = Vec::new();
        let mut ignored = Vec::new();
        let mut last_material: Option<u8> = None;
        for (col, cell) in cells {
            let text = one_line(&cell.as_text());
            if text.is_empty() {
                continue;
            }
            let field = match field_of_header(&text) {
                // "资料 | 数量 | 资料 | 数量" without numbers: numbered in order.
                Some(Field::Material(0)) => {
                    Some(Field::Material(last_material.map_or(1, |n| n + 1)))
                }
                Some(Field::Quantity(0)) => Some(Field::Quantity(last_material.unwrap_or(1))),
                f => f,
            };
            match field {
                Some(f @ (Field::Material(n) | Field::Quantity(n)))
                    if n > MAX_MATERIALS || columns.iter().any(|(_, g, _)| *g == f) =>
                {
                    ignored.push(text)
                }
                Some(f) if columns.iter().any(|(_, g, _)| *g == f) => ignored.push(text),
                Some(f) => {
                    if let Field::Material(n) = f {
                        last_material = Some(n);
                    }
                    columns.push((*col, f, text));
                }
                None => ignored.push(text),
            }
        }
        Header {
            row: row.index,
            columns,
            ignored,
        }
    }

    fn has(&self, f: Field) -> bool {
        self.columns.iter().any(|(_, g, _)| *g == f)
    }
}

/// Looks for the header in the first non-blank rows: the first row naming at least three
/// known columns. The rows above it (a title, a date line) are passed over.
fn find_header(rows: &mut dyn RowSource, sheet: &str) -> Result<HeaderSearch> {
    let mut seen = 0;
    while let Some(row) = rows.next_row()? {
        // Blank rows are passed over, but not a whole sheet of them.
        if row.index >= 100 {
            break;
        }
        if row.cells.is_empty() {
            continue;
        }
        let header = Header::from_row(&row);
        if header.columns.len() >= 3 {
            let missing: Vec<String> = REQUIRED
                .iter()
                .filter(|f| !header.has(**f))
                .map(|f| format!("“{}”", f.header()))
                .collect();
            if missing.is_empty() {
                return Ok(HeaderSearch::Found(header));
            }
            return Ok(HeaderSearch::Incomplete(rejected(format!(
                "“{sheet}”表第{}行的表头缺少必填的列：{}。请使用“下载模板”得到的活动登记表，\
                 或在表头补上这些列",
                row.index + 1,
                missing.join("、")
            ))));
        }
        seen += 1;
        if seen >= HEADER_SEARCH_ROWS {
            break;
        }
    }
    Ok(HeaderSearch::NotFound)
}

// ---------------------------------------------------------------------------------------------
// Looking up units, materials, speakers

struct Unit {
    id: String,
    name: String,
    archived: bool,
}

struct Lookups {
    units: Vec<Unit>,
    unit_by_key: HashMap<String, usize>,
    unit_by_short: HashMap<String, Vec<usize>>,
    materials: HashMap<String, Material>,
    /// The user of this computer: the 记录人 of rows that name none.
    recorder: Option<String>,
    /// Village stores by unit id, and the town's: where hand-outs are taken from.
    stores: HashMap<String, String>,
    town_store: Option<String>,
}

impl Lookups {
    fn load(conn: &Connection) -> Result<Lookups> {
        let units: Vec<Unit> = crate::unit::list(
            conn,
            &crate::unit::UnitFilter {
                include_archived: true,
                ..Default::default()
            },
        )?
        .into_iter()
        .map(|u| Unit {
            id: u.id,
            name: u.name,
            archived: u.archived,
        })
        .collect();
        let mut unit_by_key = HashMap::new();
        let mut unit_by_short: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            let key = name_key(&u.name);
            unit_by_short
                .entry(short_unit_name(&key).to_string())
                .or_default()
                .push(i);
            unit_by_key.insert(key, i);
        }
        let materials = inventory::materials(conn, true)?
            .into_iter()
            .map(|m| (name_key(&m.name), m))
            .collect();
        let mut stores = HashMap::new();
        let mut town_store = None;
        let mut stmt = conn.prepare("SELECT id, unit_id FROM store")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            match r.get::<_, Option<String>>(1)? {
                Some(unit) => {
                    stores.insert(unit, id);
                }
                None => town_store = Some(id),
            }
        }
        Ok(Lookups {
            units,
            unit_by_key,
            unit_by_short,
            materials,
            recorder: current_user(conn)?.map(|u| u.name),
            stores,
            town_store,
        })
    }

    fn unit(&self, text: &str) -> std::result::Result<&Unit, String> {
        let key = name_key(text);
        if let Some(&i) = self.unit_by_key.get(&key) {
            return Ok(&self.units[i]);
        }
        match self
            .unit_by_short
            .get(short_unit_name(&key))
            .map(Vec::as_slice)
        {
            Some([i]) => Ok(&self.units[*i]),
            Some(many) if many.len() > 1 => {
                let names: Vec<&str> = many.iter().map(|i| self.units[*i].name.as_str()).collect();
                Err(format!(
                    "“{}”可能是{}，请写全称",
                    validate::clip(text),
                    names.join("或")
                ))
            }
            _ => {
                let known: Vec<&str> = self
                    .units
                    .iter()
                    .filter(|u| !u.archived)
                    .map(|u| u.name.as_str())
                    .collect();
                let shown: Vec<&str> = known.iter().copied().take(8).collect();
                let more = if known.len() > shown.len() {
                    format!("……（共{}个，可从下拉列表选择）", known.len())
                } else {
                    String::new()
                };
                Err(format!(
                    "本镇没有“{}”这个村/社区或单位。本镇的有：{}{more}",
                    validate::clip(text),
                    shown.join("、")
                ))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The rows

enum Mode<'b> {
    Preview,
    /// Writing the valid rows through this batch.
    Import(&'b mut NewRecords),
}

impl Mode<'_> {
    fn importing(&self) -> bool {
        matches!(self, Mode::Import(_))
    }

    /// The same mode for one more sheet.
    fn reborrow(&mut self) -> Mode<'_> {
        match self {
            Mode::Preview => Mode::Preview,
            Mode::Import(batch) => Mode::Import(batch),
        }
    }
}

/// What a run found (and, importing, wrote).
#[derive(Default)]
struct Outcome {
    valid: u32,
    imported: u32,
    duplicates: u32,
    error_rows: u32,
    errors: Vec<RowError>,
    warnings: Vec<RowError>,
    rows: Vec<PreviewRow>,
    sheet: String,
    header_row: u32,
    ignored_columns: Vec<String>,
}

/// Runs over the workbook's first sheet with a header.
fn run(
    conn: &Connection,
    book: &mut Book,
    mut mode: Mode,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Outcome> {
    let lookups = Lookups::load(conn)?;
    let mut incomplete = None;
    let sheets = book.candidates();
    for sheet in &sheets {
        let merged = book.merged(sheet);
        let found = book.with_rows(sheet, |rows| {
            process(
                conn,
                &lookups,
                rows,
                sheet,
                &merged,
                mode.reborrow(),
                progress,
            )
        })?;
        match found {
            SheetResult::Done(out) => return Ok(*out),
            SheetResult::Incomplete(e) => {
                incomplete.get_or_insert(e);
            }
            SheetResult::NotFound => {}
        }
    }
    Err(incomplete.unwrap_or_else(|| {
        rejected(format!(
            "没有找到活动登记表的表头：{}前{HEADER_SEARCH_ROWS}行中没有“日期”“村/社区”“活动名称”\
             “活动形式”“参加人数”这样的列名。请使用“下载模板”得到的活动登记表填写",
            if sheets.is_empty() {
                "文件里没有工作表；".to_string()
            } else {
                format!("在“{}”表的", sheets.join("”“"))
            }
        ))
    }))
}

/// A sheet's result: read through, its header incomplete, or no header at all.
enum SheetResult {
    Done(Box<Outcome>),
    Incomplete(AppError),
    NotFound,
}

/// Finds the header of one sheet, then reads, checks and (importing) writes its rows.
fn process(
    conn: &Connection,
    lookups: &Lookups,
    rows: &mut dyn RowSource,
    sheet: &str,
    merged: &[Dimensions],
    mode: Mode,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<SheetResult> {
    let header = match find_header(rows, sheet)? {
        HeaderSearch::Found(h) => h,
        HeaderSearch::Incomplete(e) => return Ok(SheetResult::Incomplete(e)),
        HeaderSearch::NotFound => return Ok(SheetResult::NotFound),
    };
    let expected = rows.last_row().saturating_sub(header.row).min(MAX_ROWS) as u64;
    let importing = mode.importing();
    let mut importer = Importer::new(conn, lookups, header, merged, mode);
    importer.out.sheet = sheet.to_string();
    if !progress(0, expected) {
        return Err(cancelled(importing));
    }
    let mut data_rows: u32 = 0;
    while let Some(row) = rows.next_row()? {
        if importer.row(row)? {
            data_rows += 1;
            if data_rows > MAX_ROWS {
                return Err(rejected(format!(
                    "一次最多导入 {MAX_ROWS} 行，请分成几个文件"
                )));
            }
            if data_rows.is_multiple_of(PROGRESS_EVERY)
                && !progress(data_rows as u64, expected.max(data_rows as u64))
            {
                return Err(cancelled(importing));
            }
        }
    }
    progress(data_rows as u64, data_rows as u64);
    Ok(SheetResult::Done(Box::new(importer.out)))
}

fn cancelled(importing: bool) -> AppError {
    AppError::new(
        ErrorCode::Cancelled,
        if importing {
            "已取消导入，没有导入任何记录"
        } else {
            "已取消检查"
        },
    )
}

/// Duplicates are found by date, unit and activity name (spacing aside).
type Key = (NaiveDate, String, String);

struct Importer<'a> {
    conn: &'a Connection,
    lookups: &'a Lookups,
    header: Header,
    /// Field by column.
    fields: HashMap<u32, Field>,
    /// Merged areas below the header, by their first column: (first row, last row).
    merged: HashMap<u32, Vec<(u32, u32)>>,
    /// The values of those areas' first cells, which count for every row they cover.
    merged_values: HashMap<(u32, u32), Cell>,
    mode: Mode<'a>,
    seen: HashSet<Key>,
    /// Stock as the rows so far leave it, by (material, store), for the below-zero warning;
    /// true once warned.
    stock: HashMap<(String, String), (i64, bool)>,
    out: Outcome,
}

/// One row being read: its cells by field and what was found wrong or approximate.
struct RowRead {
    row: u32,
    cells: HashMap<Field, Cell>,
    errors: Vec<RowError>,
    warnings: Vec<RowError>,
    /// Appended to the narrative: what was written where the value was taken loosely.
    notes: Vec<String>,
}

impl RowRead {
    fn cell(&self, f: Field) -> &Cell {
        self.cells.get(&f).unwrap_or(&EMPTY)
    }
}

impl<'a> Importer<'a> {
    fn new(
        conn: &'a Connection,
        lookups: &'a Lookups,
        header: Header,
        merged: &[Dimensions],
        mode: Mode<'a>,
    ) -> Importer<'a> {
        let fields = header.columns.iter().map(|(c, f, _)| (*c, *f)).collect();
        let mut by_column: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
        for d in merged.iter().take(50_000) {
            if d.start.0 > header.row && d.end.0 > d.start.0 {
                by_column
                    .entry(d.start.1)
                    .or_default()
                    .push((d.start.0, d.end.0));
            }
        }
        let out = Outcome {
            header_row: header.row + 1,
            ignored_columns: header.ignored.clone(),
            ..Default::default()
        };
        Importer {
            conn,
            lookups,
            header,
            fields,
            merged: by_column,
            merged_values: HashMap::new(),
            mode,
            seen: HashSet::new(),
            stock: HashMap::new(),
            out,
        }
    }

    /// The header of a field's column as the sheet writes it (the template's when absent).
    fn column(&self, f: Field) -> String {
        self.header
            .columns
            .iter()
            .find(|(_, g, _)| *g == f)
            .map(|(_, _, h)| h.clone())
            .unwrap_or_else(|| f.header())
    }

    fn problem(&self, row: u32, f: Field, message: &str) -> RowError {
        let column = self.column(f);
        RowError {
            row,
            message: format!("第{row}行“{column}”：{message}"),
            column,
        }
    }

    /// Reads one sheet row below the header; true when it is a data row (not blank, not the
    /// template's example, not a 合计 line).
    fn row(&mut self, sheet_row: SheetRow) -> Result<bool> {
        let row = sheet_row.index + 1;
        let mut cells: HashMap<Field, Cell> = HashMap::new();
        let mut first_text = None;
        let mut sorted = sheet_row.cells;
        sorted.sort_by_key(|(c, _)| *c);
        for (c, v) in sorted {
            if first_text.is_none() {
                first_text = Some(name_key(&v.as_text()));
            }
            let starts_area = self
                .merged
                .get(&c)
                .is_some_and(|areas| areas.iter().any(|(first, _)| *first == sheet_row.index));
            if starts_area {
                self.merged_values.insert((sheet_row.index, c), v.clone());
            }
            if let Some(f) = self.fields.get(&c) {
                cells.insert(*f, v);
            }
        }
        // A merged cell's value counts for every row it covers.
        for (c, areas) in &self.merged {
            let Some(f) = self.fields.get(c) else {
                continue;
            };
            if cells.contains_key(f) {
                continue;
            }
            if let Some((first, _)) = areas
                .iter()
                .find(|(first, last)| *first < sheet_row.index && sheet_row.index <= *last)
            {
                if let Some(v) = self.merged_values.get(&(*first, *c)) {
                    cells.insert(*f, v.clone());
                }
            }
        }
        // Nothing but a 记录人 filled down ahead: not an activity yet.
        if cells.keys().all(|f| *f == Field::Recorder) {
            return Ok(false);
        }
        if matches!(
            first_text.as_deref(),
            Some("合计" | "总计" | "小计" | "共计")
        ) {
            self.out.warnings.push(RowError {
                row,
                column: self.column(Field::Title),
                message: format!("第{row}行是合计行，已跳过"),
            });
            return Ok(false);
        }
        let title = cells
            .get(&Field::Title)
            .map(|c| fold(&one_line(&c.as_text())))
            .unwrap_or_default();
        if title.starts_with(&fold(EXAMPLE_MARK)) {
            self.out.warnings.push(RowError {
                row,
                column: self.column(Field::Title),
                message: format!("第{row}行是填写示例，已跳过"),
            });
            return Ok(false);
        }
        let mut read = RowRead {
            row,
            cells,
            errors: Vec::new(),
            warnings: Vec::new(),
            notes: Vec::new(),
        };
        let parsed = self.parse(&mut read)?;
        let status = self.settle(&mut read, parsed)?;
        if self.out.rows.len() < PREVIEW_ROWS {
            let preview = self.preview_row(&read, status);
            self.out.rows.push(preview);
        }
        match status {
            RowStatus::Valid => self.out.valid += 1,
            RowStatus::Duplicate => self.out.duplicates += 1,
            RowStatus::Error => self.out.error_rows += 1,
        }
        self.out.errors.append(&mut read.errors);
        self.out.warnings.append(&mut read.warnings);
        Ok(true)
    }

    fn preview_row(&self, read: &RowRead, status: RowStatus) -> PreviewRow {
        let text = |f: Field| validate::clip(&one_line(&read.cell(f).as_text()));
        let count = |f: Field| parse_count(read.cell(f)).ok().flatten().map(|c| c.value);
        PreviewRow {
            row: read.row,
            date: match parse_date(read.cell(Field::Date)) {
                Ok(Some(d)) => d.to_string(),
                _ => text(Field::Date),
            },
            unit: match self
                .lookups
                .unit(&one_line(&read.cell(Field::Unit).as_text()))
            {
                Ok(u) => u.name.clone(),
                Err(_) => text(Field::Unit),
            },
            title: {
                let t = one_line(&read.cell(Field::Title).as_text());
                if t.chars().count() > 100 {
                    validate::clip(&t)
                } else {
                    t
                }
            },
            participants: count(Field::Participants),
            reach: match (count(Field::Reach), count(Field::Participants)) {
                (Some(r), Some(p)) => Some(r.max(p)),
                (r, p) => r.or(p),
            },
            status,
        }
    }

    fn error(&self, read: &mut RowRead, f: Field, message: &str) {
        let e = self.problem(read.row, f, message);
        read.errors.push(e);
    }

    fn warn(&self, read: &mut RowRead, f: Field, message: &str) {
        let e = self.problem(read.row, f, message);
        read.warnings.push(e);
    }

    /// A text cell on one line, refused beyond `max` characters.
    fn line(&self, read: &mut RowRead, f: Field, max: usize) -> String {
        let text = one_line(&read.cell(f).as_text());
        self.within(read, f, text, max)
    }

    fn within(&self, read: &mut RowRead, f: Field, text: String, max: usize) -> String {
        let n = text.chars().count();
        if n > max {
            let column = self.column(f);
            read.errors.push(RowError {
                row: read.row,
                message: format!("第{}行“{column}”太长（{n}字，最多{max}字）", read.row),
                column,
            });
            return String::new();
        }
        text
    }

    fn count(&self, read: &mut RowRead, f: Field) -> Option<i64> {
        match parse_count(read.cell(f)) {
            Ok(None) => None,
            Ok(Some(c)) => {
                if let Some(written) = c.approx {
                    self.warn(read, f, &format!("“{written}”按{}计（约数）", c.value));
                    read.notes
                        .push(format!("{}原填“{written}”", self.column(f)));
                }
                Some(c.value)
            }
            Err(m) => {
                self.error(read, f, &m);
                None
            }
        }
    }

    /// Turns a row's cells into a record input, noting every problem; `None` when a value is
    /// missing or unreadable.
    fn parse(&self, read: &mut RowRead) -> Result<Option<(RecordInput, Key, Hand)>> {
        let date = match parse_date(read.cell(Field::Date)) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                self.error(read, Field::Date, "请填写活动日期");
                None
            }
            Err(m) => {
                self.error(read, Field::Date, &m);
                None
            }
        };
        let (mut start_time, mut end_time) = (None, None);
        match (
            time_range(read.cell(Field::StartTime)),
            read.cell(Field::EndTime),
        ) {
            (Some((a, b)), Cell::Empty) => {
                start_time = Some(a);
                end_time = Some(b);
            }
            _ => {
                for (f, slot) in [
                    (Field::StartTime, &mut start_time),
                    (Field::EndTime, &mut end_time),
                ] {
                    match parse_time(read.cell(f)) {
                        Ok(t) => *slot = t,
                        Err(m) => self.error(read, f, &m),
                    }
                }
            }
        }
        let unit_text = one_line(&read.cell(Field::Unit).as_text());
        let unit = if unit_text.is_empty() {
            self.error(read, Field::Unit, "请填写村/社区");
            None
        } else {
            match self.lookups.unit(&unit_text) {
                Ok(u) => Some(u.id.clone()),
                Err(m) => {
                    self.error(read, Field::Unit, &m);
                    None
                }
            }
        };
        let venue = self.line(read, Field::Venue, 100);
        let title = self.line(read, Field::Title, 100);
        if title.is_empty()
            && read
                .errors
                .iter()
                .all(|e| e.column != self.column(Field::Title))
        {
            self.error(read, Field::Title, "请填写活动名称");
        }
        let formats = self.vocabulary(
            read,
            Field::Formats,
            ActivityFormat::ALL,
            ActivityFormat::code,
            ActivityFormat::label,
            FORMAT_WORDS,
            ActivityFormat::Other,
        );
        if formats.is_empty() && read.cell(Field::Formats) == &EMPTY {
            self.error(read, Field::Formats, "请填写活动形式（可从下拉列表选择）");
        }
        let audiences = self.vocabulary(
            read,
            Field::Audiences,
            Audience::ALL,
            Audience::code,
            Audience::label,
            AUDIENCE_WORDS,
            Audience::Other,
        );
        let laws_text = read.cell(Field::Laws).as_text();
        let laws: Vec<String> = validate::split_list(&laws_text)
            .iter()
            .map(|l| one_line(l))
            .collect();
        let speakers = self.speakers(read)?;
        let participants = self.count(read, Field::Participants);
        if participants.is_none() && read.cell(Field::Participants) == &EMPTY {
            self.error(read, Field::Participants, "请填写参加人数");
        }
        let reach = self.count(read, Field::Reach);
        let mut counts = [None; crate::record::N_COUNTS];
        for (v, f) in counts.iter_mut().zip(crate::record::COUNTS) {
            *v = self.count(read, Field::Count(f.column)).map(|n| n as f64);
        }
        let hand = self.materials(read);
        let narrative_text = lines(&read.cell(Field::Narrative).as_text());
        let mut narrative = self.within(read, Field::Narrative, narrative_text, 300);
        let mut recorder = self.line(read, Field::Recorder, 30);
        if recorder.is_empty() && read.cell(Field::Recorder) == &EMPTY {
            match &self.lookups.recorder {
                Some(name) => recorder = name.clone(),
                None => self.error(read, Field::Recorder, "请填写记录人"),
            }
        }
        if !read.errors.is_empty() {
            return Ok(None);
        }
        let (Some(date), Some(unit_id), Some(participants)) = (date, unit, participants) else {
            return Ok(None);
        };
        if !read.notes.is_empty() {
            // Kept only when it fits; the warnings say the same.
            let note = format!("（{}）", read.notes.join("；"));
            if narrative.chars().count() + note.chars().count() <= 300 {
                narrative.push_str(&note);
            }
        }
        let key = (date, unit_id.clone(), title_key(&title));
        let input = RecordInput {
            title,
            date: date.to_string(),
            start_time,
            end_time,
            unit_id: Some(unit_id),
            venue: Some(venue),
            formats: formats.iter().map(|f| f.code().to_string()).collect(),
            audiences: audiences.iter().map(|a| a.code().to_string()).collect(),
            laws,
            speakers,
            participants: participants as f64,
            reach: reach.map(|r| r as f64),
            counts: crate::record::RecordCountsInput::from_values(counts),
            narrative: Some(narrative),
            materials: hand
                .iter()
                .map(|(m, q, _)| MaterialLineInput {
                    material_id: Some(m.id.clone()),
                    material_name: None,
                    quantity: *q as f64,
                    unit: Some(m.unit.clone()),
                })
                .collect(),
            recorder,
            // Past hand-outs often predate the stock ledger: imported as given, and the
            // preview warns where a store goes below zero.
            confirm_below_zero: true,
            ..Default::default()
        };
        Ok(Some((input, key, hand)))
    }

    #[allow(clippy::too_many_arguments)]
    fn vocabulary<T: Copy + PartialEq>(
        &self,
        read: &mut RowRead,
        f: Field,
        all: &[T],
        code: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
        words: &[(&str, T)],
        other: T,
    ) -> Vec<T> {
        let text = read.cell(f).as_text();
        let mut out: Vec<T> = Vec::new();
        let mut unknown = Vec::new();
        for item in list_items(&text) {
            let v = match match_word(&item, all, code, label, words) {
                Some(v) => v,
                None => {
                    unknown.push(validate::clip(&item));
                    other
                }
            };
            if !out.contains(&v) {
                out.push(v);
            }
        }
        if !unknown.is_empty() {
            let written = unknown.join("、");
            self.warn(
                read,
                f,
                &format!("“{written}”不在列表中，按“{}”计", label(other)),
            );
            read.notes
                .push(format!("{}原填“{written}”", self.column(f)));
        }
        out
    }

    /// 主讲人: "王明（律师）、李华"; the role in brackets, else the person's role in the town's
    /// list, else 其他.
    fn speakers(&self, read: &mut RowRead) -> Result<Vec<Speaker>> {
        let text = read.cell(Field::Speakers).as_text();
        let mut out = Vec::new();
        for item in validate::split_list(&text) {
            let item = one_line(&item);
            let folded = fold(&item);
            let bracketed = folded
                .strip_suffix(')')
                .and_then(|s| s.rsplit_once('('))
                .and_then(|(name, role)| {
                    PersonRole::parse("speakers", role)
                        .ok()
                        .map(|r| (name.trim().to_string(), r))
                });
            let (name, role) = match bracketed {
                Some((name, role)) if !name.is_empty() => (name, role),
                _ => {
                    let role: Option<String> = self
                        .conn
                        .prepare_cached("SELECT role FROM person WHERE name = ?1 LIMIT 1")?
                        .query_row([&item], |r| r.get(0))
                        .optional()?;
                    let role = role
                        .and_then(|r| PersonRole::parse("speakers", &r).ok())
                        .unwrap_or(PersonRole::Other);
                    (item, role)
                }
            };
            let name = self.within(read, Field::Speakers, name, 30);
            if !name.is_empty() {
                out.push(Speaker { name, role });
            }
        }
        Ok(out)
    }

    /// The 发放资料/数量 pairs: catalogue materials and positive quantities.
    fn materials(&self, read: &mut RowRead) -> Hand {
        let mut out: Hand = Vec::new();
        for n in 1..=MAX_MATERIALS {
            let (mf, qf) = (Field::Material(n), Field::Quantity(n));
            let name = one_line(&read.cell(mf).as_text());
            let quantity = match parse_count(read.cell(qf)) {
                Ok(q) => q,
                Err(m) => {
                    self.error(read, qf, &m);
                    continue;
                }
            };
            if name.is_empty() {
                if quantity.is_some_and(|q| q.value > 0) {
                    self.error(read, qf, "填写了数量，但没有填写发放的资料");
                }
                continue;
            }
            // A whole list in one cell, as the 台账 writes it ("宪法读本5册、反诈折页100份"),
            // read when every name in it is in the catalogue.
            if quantity.is_none() && !self.lookups.materials.contains_key(&name_key(&name)) {
                let listed = listed_materials(&name).and_then(|items| {
                    items
                        .into_iter()
                        .map(|(item, q)| {
                            let m = self.lookups.materials.get(&name_key(&item))?;
                            Some((m.clone(), q))
                        })
                        .collect::<Option<Vec<_>>>()
                });
                if let Some(items) = listed {
                    for (m, q) in items.into_iter().filter(|(_, q)| *q > 0) {
                        match out.iter_mut().find(|(x, _, _)| x.id == m.id) {
                            Some((_, total, _)) => *total += q,
                            None => out.push((m, q, mf)),
                        }
                    }
                    continue;
                }
            }
            let Some(m) = self.lookups.materials.get(&name_key(&name)) else {
                self.error(
                    read,
                    mf,
                    &format!(
                        "“宣传资料”目录中没有“{}”，请先在“宣传资料”中添加，或从下拉列表选择",
                        validate::clip(&name)
                    ),
                );
                continue;
            };
            let Some(q) = quantity else {
                self.error(read, qf, &format!("请填写“{}”的发放数量", m.name));
                continue;
            };
            if let Some(written) = &q.approx {
                self.warn(read, qf, &format!("“{written}”按{}计（约数）", q.value));
                read.notes.push(format!("{}数量原填“{written}”", m.name));
            }
            if q.value == 0 {
                continue;
            }
            match out.iter_mut().find(|(x, _, _)| x.id == m.id) {
                Some((_, total, _)) => *total += q.value,
                None => out.push((m.clone(), q.value, mf)),
            }
        }
        out
    }

    /// Decides a parsed row: an error, a duplicate, or valid (checked by the record rules;
    /// importing, written).
    fn settle(
        &mut self,
        read: &mut RowRead,
        parsed: Option<(RecordInput, Key, Hand)>,
    ) -> Result<RowStatus> {
        let Some((input, key, hand)) = parsed else {
            return Ok(RowStatus::Error);
        };
        if self.seen.contains(&key) || self.recorded(&key)? {
            return Ok(RowStatus::Duplicate);
        }
        // The record rules decide what is wrong with a row. Previewing they run alone, reading
        // only; importing, the batch runs them before it writes anything — so an error with no
        // row changed is the row's, and anything else (the database failing part-way) stops the
        // import: all or nothing.
        let checked = match &mut self.mode {
            Mode::Preview => record::check_input(self.conn, &input),
            Mode::Import(batch) => {
                let before = self.conn.total_changes();
                match batch.create(self.conn, &input) {
                    Ok(_) => Ok(()),
                    Err(e)
                        if self.conn.total_changes() == before
                            && !matches!(e.code, ErrorCode::Database | ErrorCode::Io) =>
                    {
                        Err(e)
                    }
                    Err(e) => {
                        return Err(AppError {
                            message: format!(
                                "第{}行写入失败，没有导入任何记录：{}",
                                read.row, e.message
                            ),
                            ..e
                        })
                    }
                }
            }
        };
        if let Err(e) = checked {
            let f = e
                .field
                .as_deref()
                .and_then(Field::of_record_field)
                .unwrap_or(Field::Title);
            self.error(read, f, &e.message);
            return Ok(RowStatus::Error);
        }
        if self.mode.importing() {
            self.out.imported += 1;
        }
        self.stock_warnings(read, &key.1, &hand)?;
        self.seen.insert(key);
        Ok(RowStatus::Valid)
    }

    /// Whether a record of this date, unit and name is already there.
    fn recorded(&self, key: &Key) -> Result<bool> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT title FROM record WHERE unit_id = ?1 AND date = ?2")?;
        let mut rows = stmt.query(rusqlite::params![key.1, key.0.to_string()])?;
        while let Some(r) = rows.next()? {
            if title_key(&r.get::<_, String>(0)?) == key.2 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Warns (once per material and store) where the hand-outs so far leave a store below zero.
    fn stock_warnings(&mut self, read: &mut RowRead, unit_id: &str, hand: &Hand) -> Result<()> {
        let store = self
            .lookups
            .stores
            .get(unit_id)
            .or(self.lookups.town_store.as_ref())
            .cloned();
        for (m, q, f) in hand {
            let key = (m.id.clone(), store.clone().unwrap_or_default());
            let (balance, warned) = match self.stock.get(&key) {
                Some(b) => *b,
                None => match &store {
                    // Importing too, the ledger is as before the import: the batch writes
                    // the hand-outs at the end.
                    Some(s) => (inventory::store_balance(self.conn, &m.id, s)?, false),
                    None => (0, false),
                },
            };
            let after = balance - q;
            let warn = after < 0 && !warned;
            self.stock.insert(key, (after, warned || warn));
            if warn {
                self.warn(
                    read,
                    *f,
                    &format!(
                        "“{}”的库存不够：发放后库存为 {after}{}（仍会导入，库存记为负数）",
                        m.name, m.unit
                    ),
                );
            }
        }
        Ok(())
    }
}

/// A row's hand-outs: material, quantity, and the column it was named in.
type Hand = Vec<(Material, i64, Field)>;

#[cfg(test)]
mod tests;
