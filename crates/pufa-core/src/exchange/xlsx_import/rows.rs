//! The rows walked: preview or import, one row at a time, with progress and cancel.
use super::*;

pub(super) enum Mode<'b> {
    Preview,
    /// Writing the valid rows through this batch.
    Import(&'b mut NewRecords),
}

impl Mode<'_> {
    pub(super) fn importing(&self) -> bool {
        matches!(self, Mode::Import(_))
    }

    /// The same mode for one more sheet.
    pub(super) fn reborrow(&mut self) -> Mode<'_> {
        match self {
            Mode::Preview => Mode::Preview,
            Mode::Import(batch) => Mode::Import(batch),
        }
    }
}

/// What a run found (and, importing, wrote).
#[derive(Default)]
pub(super) struct Outcome {
    pub(super) valid: u32,
    pub(super) imported: u32,
    pub(super) duplicates: u32,
    pub(super) error_rows: u32,
    pub(super) errors: Vec<RowError>,
    pub(super) warnings: Vec<RowError>,
    pub(super) rows: Vec<PreviewRow>,
    pub(super) sheet: String,
    pub(super) header_row: u32,
    pub(super) ignored_columns: Vec<String>,
}

/// Runs over the workbook's first sheet with a header.
pub(super) fn run(
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
pub(super) enum SheetResult {
    Done(Box<Outcome>),
    Incomplete(AppError),
    NotFound,
}

/// Finds the header of one sheet, then reads, checks and (importing) writes its rows.
pub(super) fn process(
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

pub(super) fn cancelled(importing: bool) -> AppError {
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
pub(super) type Key = (NaiveDate, String, String);

pub(super) struct Importer<'a> {
    pub(super) conn: &'a Connection,
    pub(super) lookups: &'a Lookups,
    pub(super) header: Header,
    /// Field by column.
    pub(super) fields: HashMap<u32, Field>,
    /// Merged areas below the header, by their first column: (first row, last row).
    pub(super) merged: HashMap<u32, Vec<(u32, u32)>>,
    /// The values of those areas' first cells, which count for every row they cover.
    pub(super) merged_values: HashMap<(u32, u32), Cell>,
    pub(super) mode: Mode<'a>,
    pub(super) seen: HashSet<Key>,
    /// Stock as the rows so far leave it, by (material, store), for the below-zero warning;
    /// true once warned.
    pub(super) stock: HashMap<(String, String), (i64, bool)>,
    pub(super) out: Outcome,
}

/// One row being read: its cells by field and what was found wrong or approximate.
pub(super) struct RowRead {
    pub(super) row: u32,
    pub(super) cells: HashMap<Field, Cell>,
    pub(super) errors: Vec<RowError>,
    pub(super) warnings: Vec<RowError>,
    /// Appended to the narrative: what was written where the value was taken loosely.
    pub(super) notes: Vec<String>,
}

impl RowRead {
    pub(super) fn cell(&self, f: Field) -> &Cell {
        self.cells.get(&f).unwrap_or(&EMPTY)
    }
}

impl<'a> Importer<'a> {
    pub(super) fn new(
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
    pub(super) fn column(&self, f: Field) -> String {
        self.header
            .columns
            .iter()
            .find(|(_, g, _)| *g == f)
            .map(|(_, _, h)| h.clone())
            .unwrap_or_else(|| f.header())
    }

    pub(super) fn problem(&self, row: u32, f: Field, message: &str) -> RowError {
        let column = self.column(f);
        RowError {
            row,
            message: format!("第{row}行“{column}”：{message}"),
            column,
        }
    }

    /// Reads one sheet row below the header; true when it is a data row (not blank, not the
    /// template's example, not a 合计 line).
    pub(super) fn row(&mut self, sheet_row: SheetRow) -> Result<bool> {
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

    pub(super) fn preview_row(&self, read: &RowRead, status: RowStatus) -> PreviewRow {
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

    pub(super) fn error(&self, read: &mut RowRead, f: Field, message: &str) {
        let e = self.problem(read.row, f, message);
        read.errors.push(e);
    }

    pub(super) fn warn(&self, read: &mut RowRead, f: Field, message: &str) {
        let e = self.problem(read.row, f, message);
        read.warnings.push(e);
    }

    /// A text cell on one line, refused beyond `max` characters.
    pub(super) fn line(&self, read: &mut RowRead, f: Field, max: usize) -> String {
        let text = one_line(&read.cell(f).as_text());
        self.within(read, f, text, max)
    }

    pub(super) fn within(&self, read: &mut RowRead, f: Field, text: String, max: usize) -> String {
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

    pub(super) fn count(&self, read: &mut RowRead, f: Field) -> Option<i64> {
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
}
