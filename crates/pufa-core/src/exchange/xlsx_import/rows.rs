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
    pub(super) updated: u32,
    pub(super) duplicates: u32,
    pub(super) error_rows: u32,
    pub(super) continued: u32,
    pub(super) errors: Vec<RowError>,
    pub(super) warnings: Vec<RowError>,
    pub(super) corrected: Vec<RowError>,
    pub(super) rows: Vec<PreviewRow>,
    pub(super) sheet: String,
    pub(super) header_row: u32,
    pub(super) ignored_columns: Vec<String>,
    pub(super) sheets: Vec<SheetSummary>,
    pub(super) asks: Vec<String>,
    /// Where each written (or corrected) record came from, in the order the batch writes
    /// the new ones.
    pub(super) sources: Vec<Source>,
    pub(super) columns: Vec<Column>,
}

impl Outcome {
    /// One sheet's outcome added to the workbook's.
    fn absorb(&mut self, mut sheet: Outcome, found: u32) {
        if self.sheet.is_empty() {
            self.sheet = sheet.sheet.clone();
            self.header_row = sheet.header_row;
        }
        self.sheets.push(SheetSummary {
            name: sheet.sheet.clone(),
            header_row: sheet.header_row,
            rows: found,
            valid: sheet.valid,
            updated: sheet.updated,
            duplicates: sheet.duplicates,
            error_rows: sheet.error_rows,
            continued: sheet.continued,
            skipped: None,
            skip_code: None,
            skip_params: Default::default(),
        });
        self.valid += sheet.valid;
        self.imported += sheet.imported;
        self.updated += sheet.updated;
        self.sources.append(&mut sheet.sources);
        self.columns.append(&mut sheet.columns);
        self.duplicates += sheet.duplicates;
        self.error_rows += sheet.error_rows;
        self.continued += sheet.continued;
        self.errors.append(&mut sheet.errors);
        self.warnings.append(&mut sheet.warnings);
        self.corrected.append(&mut sheet.corrected);
        let room = PREVIEW_ROWS.saturating_sub(self.rows.len());
        self.rows.extend(sheet.rows.into_iter().take(room));
        for a in sheet.asks {
            if !self.asks.contains(&a) {
                self.asks.push(a);
            }
        }
        for c in sheet.ignored_columns {
            if !self.ignored_columns.contains(&c) {
                self.ignored_columns.push(c);
            }
        }
    }

    fn skip(&mut self, name: &str, why: Said) {
        self.sheets.push(SheetSummary {
            name: name.to_string(),
            header_row: 0,
            rows: 0,
            valid: 0,
            updated: 0,
            duplicates: 0,
            error_rows: 0,
            continued: 0,
            skipped: Some(why.zh),
            skip_code: Some(why.code),
            skip_params: why.params,
        });
    }
}

/// What one sheet leaves to the next: the activities seen (a 补录 sheet repeating a row of the
/// first is a duplicate), the stock as the hand-outs so far leave it, the rows read.
#[derive(Default)]
pub(super) struct Carry {
    pub(super) seen: HashMap<(NaiveDate, String, String), Vec<(String, String)>>,
    /// Stock as the rows so far leave it, by (material, store), for the below-zero warning;
    /// true once warned.
    pub(super) stock: HashMap<(String, String), (i64, bool)>,
    pub(super) data_rows: u32,
    /// Records a row of this file was found to correct (no second row may claim them).
    pub(super) claimed: HashSet<String>,
    /// The records already there, read once per (village, month) for [`Importer::recorded`].
    pub(super) recorded: HashMap<(String, String), Vec<RecordedRow>>,
}

/// A record already there, as a row is compared with it: day, name key, place key, start
/// time, id.
pub(super) type RecordedRow = (NaiveDate, String, String, String, String);

/// Why a sheet without an activity header is not read, in the words of what it looks like.
fn skip_reason(sheet: &str, empty: bool, incomplete: Option<&Said>) -> Said {
    let name = fold(sheet);
    // The 台账 export's own tables are named 按村（社区）, 按活动专项 …: summaries too.
    let looks = if ["汇总", "统计", "合计", "总表"]
        .iter()
        .any(|w| name.contains(w))
        || name.starts_with('按')
    {
        Some((
            Problem::SheetSummary,
            "汇总表（汇总的数字不导入，以免重复计算）",
        ))
    } else if name.contains("封面") {
        Some((Problem::SheetCover, "封面"))
    } else if ["说明", "目录", "填表", "须知"]
        .iter()
        .any(|w| name.contains(w))
    {
        Some((Problem::SheetHelp, "说明"))
    } else {
        None
    };
    match (looks, incomplete, empty) {
        (Some((code, zh)), _, _) => Said::new(code, zh),
        (None, Some(said), _) => said.clone(),
        (None, None, true) => Said::new(Problem::SheetBlank, "空白工作表"),
        (None, None, false) => Said::new(
            Problem::SheetNoHeader,
            format!(
                "前{HEADER_SEARCH_ROWS}行中没有活动登记表的表头（“日期”“村/社区”“活动名称”等），\
                 不是活动登记表"
            ),
        )
        .with("rows", HEADER_SEARCH_ROWS),
    }
}

/// Runs over every sheet of the workbook with an activity header.
pub(super) fn run(
    conn: &Connection,
    book: &mut Book,
    mut mode: Mode,
    asked: &ImportAsked,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Outcome> {
    let mut lookups = Lookups::load(conn)?;
    lookups.asked = Asked::check(&lookups, asked)?;
    lookups.chosen = check_choices(&asked.columns)?;
    let mut incomplete = None;
    let mut total = Outcome::default();
    let mut carry = Carry::default();
    let sheets = book.sheet_list();
    for (sheet, why) in &sheets {
        if let Some(why) = why {
            total.skip(sheet, why.clone());
            continue;
        }
        let merged = book.merged(sheet);
        let found = book.with_rows(sheet, |rows| {
            process(
                conn,
                &lookups,
                rows,
                sheet,
                &merged,
                mode.reborrow(),
                &mut carry,
                progress,
            )
        })?;
        match found {
            SheetResult::Done(out, found) => total.absorb(*out, found),
            SheetResult::Incomplete(said) => {
                total.skip(sheet, skip_reason(sheet, false, Some(&said)));
                incomplete.get_or_insert(said);
            }
            SheetResult::NotFound { empty } => total.skip(sheet, skip_reason(sheet, empty, None)),
        }
    }
    let read = total.sheets.iter().filter(|s| s.skipped.is_none()).count();
    if read == 0 {
        let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
        return Err(incomplete.map(Said::rejected).unwrap_or_else(|| {
            rejected("no_header", format!(
                "没有找到活动登记表的表头：{}前{HEADER_SEARCH_ROWS}行中没有“日期”“村/社区”“活动名称”\
                 “活动形式”“参加人数”这样的列名。请使用“下载模板”得到的活动登记表填写",
                if names.is_empty() {
                    "文件里没有工作表；".to_string()
                } else {
                    format!("在“{}”表的", names.join("”“"))
                }
            ))
        }));
    }
    // Rows of several sheets: each message says which sheet it is on.
    if read > 1 {
        for e in total
            .errors
            .iter_mut()
            .chain(total.warnings.iter_mut())
            .chain(total.corrected.iter_mut())
        {
            e.message = format!("“{}”表{}", e.sheet, e.message);
        }
    }
    Ok(total)
}

/// A sheet's result: read through (with its data rows), its header incomplete, or no header.
pub(super) enum SheetResult {
    Done(Box<Outcome>, u32),
    Incomplete(Said),
    NotFound { empty: bool },
}

/// Finds the header of one sheet, then reads, checks and (importing) writes its rows.
#[allow(clippy::too_many_arguments)]
pub(super) fn process(
    conn: &Connection,
    lookups: &Lookups,
    rows: &mut dyn RowSource,
    sheet: &str,
    merged: &[Dimensions],
    mode: Mode,
    carry: &mut Carry,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<SheetResult> {
    let (header, first_row) = match find_header(rows, sheet)? {
        HeaderSearch::Found(h, first) => (h, first),
        HeaderSearch::Incomplete(e) => return Ok(SheetResult::Incomplete(e)),
        HeaderSearch::NotFound { empty } => return Ok(SheetResult::NotFound { empty }),
    };
    let (header, columns) = header.remap(conn, sheet, &lookups.chosen, mode.importing())?;
    // A required column mapped away in the mapper.
    let missing: Vec<String> = REQUIRED
        .iter()
        .filter(|f| !header.has(**f) && !ASKED.contains(f))
        .map(|f| format!("“{}”", f.header()))
        .collect();
    if !missing.is_empty() {
        let zh = format!(
            "“{sheet}”表没有列读作必填的{}：请在列的对应中选一列",
            missing.join("、")
        );
        let said = Said::new(Problem::RequiredUnmapped, zh)
            .with("sheet", sheet)
            .with("missing", missing.join("、"));
        return Ok(SheetResult::Incomplete(said));
    }
    // Over the limit, a sheet is refused before its rows are read: the size it declares.
    let declared = rows.last_row().saturating_sub(header.row);
    if carry.data_rows.saturating_add(declared) > MAX_ROWS + 100 {
        return Err(too_many_rows());
    }
    let expected = declared.min(MAX_ROWS) as u64;
    let importing = mode.importing();
    let mut importer = Importer::new(conn, lookups, header, merged, mode, carry);
    importer.out.sheet = sheet.to_string();
    importer.sourced_rows = sourced_rows(conn, sheet)?;
    importer.out.columns = columns;
    if !progress(0, expected) {
        return Err(cancelled(importing));
    }
    let mut data_rows: u32 = 0;
    let mut first_row = first_row;
    while let Some(row) = match first_row.take() {
        Some(r) => Some(r),
        None => rows.next_row()?,
    } {
        if importer.row(row)? {
            data_rows += 1;
            if importer.carry.data_rows + data_rows > MAX_ROWS {
                return Err(too_many_rows());
            }
            if data_rows.is_multiple_of(PROGRESS_EVERY)
                && !progress(data_rows as u64, expected.max(data_rows as u64))
            {
                return Err(cancelled(importing));
            }
        }
    }
    importer.flush()?;
    importer.carry.data_rows += data_rows;
    progress(data_rows as u64, data_rows as u64);
    let mut out = importer.out;
    for e in out
        .errors
        .iter_mut()
        .chain(out.warnings.iter_mut())
        .chain(out.corrected.iter_mut())
    {
        e.sheet = sheet.to_string();
    }
    for r in out.rows.iter_mut() {
        r.sheet = sheet.to_string();
    }
    Ok(SheetResult::Done(Box::new(out), data_rows))
}

fn too_many_rows() -> AppError {
    rejected(
        "too_many_rows",
        format!("一次最多导入 {MAX_ROWS} 行，请分成几个文件"),
    )
    .with("max", MAX_ROWS)
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

/// What makes an activity distinct: date, unit, name, place and start time (names and places
/// however spaced). Rows alike in the first three are one activity unless both give a place
/// or a time and these differ: a second session elsewhere or later that day is its own.
pub(super) struct Key {
    pub(super) date: NaiveDate,
    pub(super) unit: String,
    pub(super) title: String,
    pub(super) venue: String,
    pub(super) time: String,
}

impl Key {
    pub(super) fn same_session(&self, venue: &str, time: &str) -> bool {
        let alike = |a: &str, b: &str| a.is_empty() || b.is_empty() || a == b;
        alike(&self.venue, venue) && alike(&self.time, time)
    }
}

/// Which of a row's fields are counts: a merged count belongs to the first row of its merge.
pub(super) fn counted(f: Field) -> bool {
    matches!(
        f,
        Field::Participants
            | Field::Reach
            | Field::Count(_)
            | Field::Material(_)
            | Field::Quantity(_)
    )
}

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
    pub(super) carry: &'a mut Carry,
    /// The last activity row read, kept until the next one shows it has no continuation row.
    pub(super) pending: Option<RowRead>,
    /// What copies counted without a material's name ("发放资料（份）") are counted as; looked
    /// for (and, importing, added to the catalogue) at the first row that needs it.
    pub(super) generic: Option<Material>,
    pub(super) generic_said: bool,
    /// The rows of this sheet that an earlier import took records from ([`sourced_rows`]).
    pub(super) sourced_rows: HashSet<u32>,
    pub(super) out: Outcome,
}

/// One row being read: its cells by field and what was found wrong or approximate.
pub(super) struct RowRead {
    pub(super) row: u32,
    pub(super) cells: HashMap<Field, Cell>,
    /// The fields written in this row itself (not filled from a merged cell above).
    pub(super) own: HashSet<Field>,
    /// Counts left empty because a merged cell of an earlier row covers them: (field, row).
    pub(super) covered: Vec<(Field, u32)>,
    /// Fields whose cell is a formula error (already an error of the row).
    pub(super) bad: HashSet<Field>,
    pub(super) errors: Vec<RowError>,
    pub(super) warnings: Vec<RowError>,
    /// Appended to the narrative: what was written where the value was taken loosely.
    pub(super) notes: Vec<String>,
    /// A correction of a row imported before: what changed.
    pub(super) changes: Vec<Change>,
}

impl RowRead {
    pub(super) fn cell(&self, f: Field) -> &Cell {
        self.cells.get(&f).unwrap_or(&EMPTY)
    }

    /// A row with no date, name, village or people of its own, only materials, notes or
    /// counts: the rest of the activity above.
    fn continues(&self) -> bool {
        let own = |f: Field| self.own.contains(&f);
        !own(Field::Date)
            && !own(Field::Title)
            && !own(Field::Unit)
            && !own(Field::Participants)
            && self.own.iter().any(|f| {
                matches!(
                    f,
                    Field::Material(_)
                        | Field::Quantity(_)
                        | Field::Narrative
                        | Field::Count(_)
                        | Field::Laws
                        | Field::Speakers
                        | Field::Formats
                        | Field::Audiences
                )
            })
    }
}

impl<'a> Importer<'a> {
    pub(super) fn new(
        conn: &'a Connection,
        lookups: &'a Lookups,
        header: Header,
        merged: &[Dimensions],
        mode: Mode<'a>,
        carry: &'a mut Carry,
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
        let asks = ASKED
            .iter()
            .filter(|f| !header.has(**f))
            .map(|f| match f {
                Field::Unit => "village".to_string(),
                _ => "format".to_string(),
            })
            .collect();
        let out = Outcome {
            asks,
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
            carry,
            pending: None,
            generic: None,
            generic_said: false,
            sourced_rows: HashSet::new(),
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

    pub(super) fn problem(&self, row: u32, f: Field, said: Said) -> RowError {
        let column = self.column(f);
        let zh = format!("第{row}行“{column}”：{}", said.zh);
        Said { zh, ..said }.at(row, column)
    }

    /// A note of a whole row (a 合计 row, the example row …): the message as it is.
    pub(super) fn row_note(&self, row: u32, f: Field, said: Said) -> RowError {
        said.at(row, self.column(f))
    }

    /// The cell of a field in an Excel row, as Excel names it ("C5").
    pub(super) fn address(&self, f: Field, row: u32) -> String {
        let col = self
            .header
            .columns
            .iter()
            .find(|(_, g, _)| *g == f)
            .map_or(0, |(c, _, _)| *c);
        format!("{}{row}", column_letters(col))
    }

    /// Reads one sheet row below the header; true when it is a data row (not blank, not the
    /// template's example, not a 合计 line). The row is decided once the next one shows it
    /// has no continuation row (or at the end of the sheet: [`Importer::flush`]).
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
                // A part of a count (女 beside 男 under 参加人数) adds to it.
                if self.header.adds.contains(&c) {
                    if let Some(prev) = cells.get(f) {
                        match (parse_count(prev), parse_count(&v)) {
                            (Ok(Some(a)), Ok(Some(b))) => {
                                cells.insert(*f, Cell::Number((a.value + b.value) as f64));
                            }
                            (_, Ok(None)) => {}
                            // Not a number: the row's error says so.
                            _ => {
                                cells.insert(*f, v);
                            }
                        }
                        continue;
                    }
                }
                cells.insert(*f, v);
            }
        }
        let own: HashSet<Field> = cells.keys().copied().collect();
        // A merged cell's text (village, date, name) counts for every row it covers; a merged
        // count only for the first (a joint event's people are not counted twice).
        let mut covered = Vec::new();
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
                    if counted(*f) {
                        covered.push((*f, first + 1));
                    } else {
                        cells.insert(*f, v.clone());
                    }
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
            self.flush()?;
            let said = Said::new(Problem::TotalRow, format!("第{row}行是合计行，已跳过"));
            let note = self.row_note(row, Field::Title, said);
            self.out.warnings.push(note);
            return Ok(false);
        }
        let title = cells
            .get(&Field::Title)
            .map(|c| fold(&one_line(&c.as_text())))
            .unwrap_or_default();
        if title.starts_with(&fold(EXAMPLE_MARK)) {
            let said = Said::new(Problem::ExampleRow, format!("第{row}行是填写示例，已跳过"));
            let note = self.row_note(row, Field::Title, said);
            self.out.warnings.push(note);
            return Ok(false);
        }
        let mut read = RowRead {
            row,
            cells,
            own,
            covered,
            bad: HashSet::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            notes: Vec::new(),
            changes: Vec::new(),
        };
        self.formula_errors(&mut read);
        if read.continues() {
            if let Some(mut above) = self.pending.take() {
                self.continue_into(&mut above, read);
                self.pending = Some(above);
                self.out.continued += 1;
                return Ok(true);
            }
        }
        self.flush()?;
        self.pending = Some(read);
        Ok(true)
    }

    /// Decides the activity row kept by [`Importer::row`], if any.
    pub(super) fn flush(&mut self) -> Result<()> {
        let Some(mut read) = self.pending.take() else {
            return Ok(());
        };
        for (f, first) in read.covered.clone() {
            if read.cell(f) == &EMPTY {
                self.warn(
                    &mut read,
                    f,
                    Said::new(
                        Problem::MergedNumber,
                        format!("与第{first}行合并，数字只计入第{first}行（不重复计算）"),
                    )
                    .with("first", first),
                );
            }
        }
        self.generic_for(&mut read)?;
        let parsed = self.parse(&mut read)?;
        let status = self.settle(&mut read, parsed)?;
        if self.out.rows.len() < PREVIEW_ROWS {
            let preview = self.preview_row(&read, status);
            self.out.rows.push(preview);
        }
        match status {
            RowStatus::Valid => self.out.valid += 1,
            RowStatus::Updated => self.out.updated += 1,
            RowStatus::Duplicate => self.out.duplicates += 1,
            RowStatus::Error => self.out.error_rows += 1,
        }
        self.out.errors.append(&mut read.errors);
        self.out.warnings.append(&mut read.warnings);
        Ok(())
    }

    pub(super) fn preview_row(&self, read: &RowRead, status: RowStatus) -> PreviewRow {
        let text = |f: Field| validate::clip(&one_line(&read.cell(f).as_text()));
        let count = |f: Field| parse_count(read.cell(f)).ok().flatten().map(|c| c.value);
        PreviewRow {
            sheet: String::new(),
            row: read.row,
            date: match parse_date(read.cell(Field::Date)) {
                Ok(Some(d)) => d.to_string(),
                _ => text(Field::Date),
            },
            unit: match (&self.lookups.asked.village, self.header.has(Field::Unit)) {
                (Some((_, name)), false) => name.clone(),
                _ => match self
                    .lookups
                    .unit(&one_line(&read.cell(Field::Unit).as_text()))
                {
                    Ok(u) => u.name.clone(),
                    Err(_) => text(Field::Unit),
                },
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
            changes: read.changes.clone(),
        }
    }

    pub(super) fn error(&self, read: &mut RowRead, f: Field, said: Said) {
        // A formula error in the cell is the row's error already.
        if read.bad.contains(&f) {
            return;
        }
        let e = self.problem(read.row, f, said);
        read.errors.push(e);
    }

    pub(super) fn warn(&self, read: &mut RowRead, f: Field, said: Said) {
        let e = self.problem(read.row, f, said);
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
            let said = Said::new(
                Problem::TooLong,
                format!("第{}行“{column}”太长（{n}字，最多{max}字）", read.row),
            )
            .with("length", n)
            .with("max", max);
            let e = self.row_note(read.row, f, said);
            read.errors.push(e);
            return String::new();
        }
        text
    }

    pub(super) fn count(&self, read: &mut RowRead, f: Field) -> Option<i64> {
        match parse_count(read.cell(f)) {
            Ok(None) => None,
            Ok(Some(c)) => {
                if let Some(written) = c.approx {
                    self.warn(read, f, approximate(&written, c.value));
                    read.notes
                        .push(format!("{}原填“{written}”", self.column(f)));
                }
                Some(c.value)
            }
            Err(m) => {
                self.error(read, f, m);
                None
            }
        }
    }
}
