//! Opening the workbook and reading its sheet as rows: the file checked before calamine
//! parses it, streamed, a second thread reading ahead.
use super::*;

/// A workbook refused whole; `reason` tells the UI which of its texts says why in English.
pub(super) fn rejected(reason: &str, message: impl Into<String>) -> AppError {
    AppError::field(ErrorCode::FileRejected, "path", message).with("reason", reason)
}

pub(super) fn damaged() -> AppError {
    rejected(
        "xlsx_damaged",
        "文件已损坏或不完整（可能没有下载完，或保存时出了错），无法读取。\
         请在 Excel 或 WPS 中打开它，“另存为” .xlsx 文件后再导入",
    )
}

pub(super) fn password() -> AppError {
    rejected(
        "xlsx_password",
        "文件设置了打开密码，无法读取。请在 Excel 或 WPS 中取消密码、保存后再导入",
    )
}

pub(super) fn not_excel(path: &Path) -> AppError {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = validate::clip(&name);
    rejected(
        "not_excel",
        format!(
            "“{name}”不是 Excel 表格文件（.xlsx 或 .xls）。如果是 CSV 或 Word 文件，\
             请用 Excel 或 WPS 打开后“另存为” .xlsx 再导入"
        ),
    )
    .with("file", name)
}

pub(super) fn too_big() -> AppError {
    let max_mb = MAX_UNPACKED / 1024 / 1024;
    rejected(
        "unpacked_too_large",
        format!(
            "文件解压后超过 {max_mb} MB，不像是一份活动登记表，已拒绝导入；请检查是否选错了文件"
        ),
    )
    .with("max_mb", max_mb)
}

/// What kind of workbook a zip holds, by the parts it has.
#[derive(Debug, PartialEq)]
pub(super) enum ZipKind {
    Xlsx,
    Xlsb,
    Ods,
    Other,
}

/// Checks a zip before calamine opens it: its central directory readable, its declared sizes
/// within [`MAX_UNPACKED`] — and the real ones too, inflated and counted, since the declared
/// sizes are whatever the file says.
pub(super) fn check_zip(path: &Path) -> Result<ZipKind> {
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

pub(super) fn open_error(path: &Path, e: &std::io::Error) -> AppError {
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

pub(super) type FileReader = BufReader<File>;

/// An opened workbook of any format calamine reads.
pub(super) enum Book {
    Xlsx(calamine::Xlsx<FileReader>),
    Xls(calamine::Xls<FileReader>),
    Xlsb(calamine::Xlsb<FileReader>),
    Ods(calamine::Ods<FileReader>),
}

impl Book {
    pub(super) fn open(path: &Path) -> Result<Book> {
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
            return Err(rejected(
                "empty_file",
                "文件是空的（0 字节），请检查是否选错了文件",
            ));
        }
        Err(not_excel(path))
    }

    /// Every sheet of the workbook, in the order they are read: the template's 活动登记 first,
    /// then the others as the workbook lists them; each with the reason it is not read, if it
    /// is not (a chart, the template's 填写说明 and 选项).
    pub(super) fn sheet_list(&self) -> Vec<(String, Option<Said>)> {
        let sheets = match self {
            Book::Xlsx(b) => b.sheets_metadata().to_vec(),
            Book::Xls(b) => b.sheets_metadata().to_vec(),
            Book::Xlsb(b) => b.sheets_metadata().to_vec(),
            Book::Ods(b) => b.sheets_metadata().to_vec(),
        };
        let mut list: Vec<(String, Option<Said>)> = sheets
            .into_iter()
            .map(|s| {
                let why = if s.typ != SheetType::WorkSheet {
                    Some(Said::new(
                        Problem::SheetNotWorksheet,
                        "图表或宏表，不是工作表",
                    ))
                } else if s.name == HELP_SHEET {
                    Some(Said::new(Problem::TemplateHelp, "模板的填写说明"))
                } else if s.name == OPTIONS_SHEET {
                    Some(Said::new(Problem::TemplateOptions, "模板的下拉选项"))
                } else {
                    None
                };
                (s.name, why)
            })
            .collect();
        if let Some(i) = list.iter().position(|(n, _)| n == DATA_SHEET) {
            let data = list.remove(i);
            list.insert(0, data);
        }
        list
    }

    /// The merged areas of a sheet (empty when the format does not tell).
    pub(super) fn merged(&mut self, sheet: &str) -> Vec<Dimensions> {
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
    pub(super) fn with_rows<T>(
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

/// Runs `f` over `source`'s rows while a second thread reads them (the crate's
/// [`crate::read_ahead`] pipeline): unzipping and parsing the sheet's XML is a fifth of an
/// import's time, and the other core is idle while this one checks and writes the records. When
/// `f` stops early (an error, cancelled, too many rows) the reader stops at its next batch.
pub(super) fn read_ahead<T>(
    mut source: impl RowSource + Send,
    f: impl FnOnce(&mut dyn RowSource) -> Result<T>,
) -> Result<T> {
    let last_row = source.last_row();
    crate::read_ahead::read_ahead(
        move |sink| {
            while let Some(row) = source.next_row()? {
                sink.push(row)?;
            }
            Ok(())
        },
        // The reader stopped before the end of the sheet (it panicked): not a sheet read
        // through.
        damaged,
        |items| f(&mut ReceivedRows { items, last_row }),
    )
}

/// The rows the reading thread of [`read_ahead`] sends, in order.
pub(super) struct ReceivedRows<'i> {
    pub(super) items: &'i mut crate::read_ahead::Items<SheetRow>,
    pub(super) last_row: u32,
}

impl RowSource for ReceivedRows<'_> {
    fn next_row(&mut self) -> Result<Option<SheetRow>> {
        self.items.next_item()
    }

    fn last_row(&self) -> u32 {
        self.last_row
    }
}

pub(super) fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

pub(super) fn range_rows<T>(
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

pub(super) const EMPTY: Cell = Cell::Empty;

impl Cell {
    pub(super) fn text(s: &str) -> Cell {
        if s.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_string())
        }
    }

    pub(super) fn datetime(dt: &ExcelDateTime) -> Cell {
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

    pub(super) fn from_data_ref(d: &DataRef) -> Cell {
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

    pub(super) fn from_data(d: &Data) -> Cell {
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
    pub(super) fn as_text(&self) -> String {
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
    pub(super) next: F,
    pub(super) pending: Option<(u32, u32, Cell)>,
    /// The stream ended: calamine's reader must not be asked again (it would read on to the
    /// end of the file and report it truncated).
    pub(super) done: bool,
    pub(super) last_row: u32,
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
