//! Writing: a checked row settled (an error, a duplicate, or valid and written).
use super::*;

impl<'a> Importer<'a> {
    /// Decides a parsed row: an error, a duplicate, or valid (checked by the record rules;
    /// importing, written).
    pub(super) fn settle(
        &mut self,
        read: &mut RowRead,
        parsed: Option<(RecordInput, Key, Hand)>,
    ) -> Result<RowStatus> {
        let Some((input, key, hand)) = parsed else {
            return Ok(RowStatus::Error);
        };
        let seen = self
            .carry
            .seen
            .get(&(key.date, key.unit.clone(), key.title.clone()))
            .is_some_and(|sessions| sessions.iter().any(|(v, t)| key.same_session(v, t)));
        if seen {
            return Ok(RowStatus::Duplicate);
        }
        let print = fingerprint(&input);
        let recorded = self.recorded(&key)?;
        match self.earlier(&key, recorded.as_deref(), read.row, &print)? {
            Earlier::New if recorded.is_none() => {}
            Earlier::New | Earlier::Same => return Ok(RowStatus::Duplicate),
            Earlier::Changed(before) => {
                let status = self.correct(read, &before, input, &print)?;
                self.carry
                    .seen
                    .entry((key.date, key.unit, key.title))
                    .or_default()
                    .push((key.venue, key.time));
                return Ok(status.unwrap_or(RowStatus::Duplicate));
            }
        }
        // The record rules decide what is wrong with a row. Previewing they run alone, reading
        // only; importing, the batch runs them before it writes anything — so an error with no
        // row changed is the row's, and anything else (the database failing part-way) stops the
        // import: all or nothing.
        let mut new_id = None;
        let checked = match &mut self.mode {
            Mode::Preview => record::check_input(self.conn, &input),
            Mode::Import(batch) => {
                let conn = self.conn;
                written(conn, read.row, "写入", || batch.create(conn, &input))?.map(|id| {
                    new_id = Some(id);
                })
            }
        };
        if let Err(e) = checked {
            self.refused(read, &e);
            return Ok(RowStatus::Error);
        }
        if self.mode.importing() {
            self.out.imported += 1;
            self.out.sources.push(Source {
                record_id: new_id,
                sheet: self.out.sheet.clone(),
                row: read.row,
                fingerprint: print,
            });
        }
        self.stock_warnings(read, &key.unit, &hand)?;
        self.carry
            .seen
            .entry((key.date, key.unit, key.title))
            .or_default()
            .push((key.venue, key.time));
        Ok(RowStatus::Valid)
    }

    /// The record of this activity (date, unit, name, and place and time where both give
    /// them), if it is already recorded. The village's records of the month are read once
    /// (a query a row was a twentieth of an import); those this import writes are not
    /// needed there (its own rows are found as duplicates before), and a correction makes
    /// them read again.
    pub(super) fn recorded(&mut self, key: &Key) -> Result<Option<String>> {
        let month = (key.unit.clone(), key.date.format("%Y-%m").to_string());
        if !self.carry.recorded.contains_key(&month) {
            let mut stmt = self.conn.prepare_cached(
                "SELECT date, title, venue, start_time, id FROM record
                 WHERE unit_id = ?1 AND date BETWEEN ?2 AND ?3",
            )?;
            let first = format!("{}-01", month.1);
            let last = format!("{}-31", month.1);
            let rows = stmt
                .query_map(rusqlite::params![key.unit, first, last], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        title_key(&r.get::<_, String>(1)?),
                        name_key(&r.get::<_, String>(2)?),
                        r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                        r.get::<_, String>(4)?,
                    ))
                })?
                .filter_map(|r| match r {
                    // A day the app cannot read matches no row.
                    Ok((day, title, venue, start, id)) => day
                        .parse::<NaiveDate>()
                        .ok()
                        .map(|d| Ok((d, title, venue, start, id))),
                    Err(e) => Some(Err(e)),
                })
                .collect::<rusqlite::Result<Vec<RecordedRow>>>()?;
            // A sheet goes through its months more or less in order: a few dozen kept are
            // enough, and the memory stays small however many years the town has.
            if self.carry.recorded.len() >= RECORDED_MONTHS {
                self.carry.recorded.clear();
            }
            self.carry.recorded.insert(month.clone(), rows);
        }
        Ok(self.carry.recorded[&month]
            .iter()
            .find(|(day, title, venue, start, _)| {
                *day == key.date && *title == key.title && key.same_session(venue, start)
            })
            .map(|(.., id)| id.clone()))
    }

    /// Warns (once per material and store) where the hand-outs so far leave a store below zero.
    pub(super) fn stock_warnings(
        &mut self,
        read: &mut RowRead,
        unit_id: &str,
        hand: &Hand,
    ) -> Result<()> {
        let store = self
            .lookups
            .stores
            .get(unit_id)
            .or(self.lookups.town_store.as_ref())
            .cloned();
        for (m, q, f) in hand {
            let key = (m.id.clone(), store.clone().unwrap_or_default());
            let (balance, warned) = match self.carry.stock.get(&key) {
                Some(b) => *b,
                None => match &store {
                    // Importing too, the ledger is as before the import: the batch adds
                    // its hand-outs to the balances at the end.
                    Some(s) => (inventory::store_balance(self.conn, &m.id, s)?, false),
                    None => (0, false),
                },
            };
            let after = balance - q;
            let warn = after < 0 && !warned;
            self.carry.stock.insert(key, (after, warned || warn));
            if warn {
                let zh = format!(
                    "“{}”的库存不够：发放后库存为 {after}{}（仍会导入，库存记为负数）",
                    m.name, m.unit
                );
                let said = Said::new(Problem::StockShort, zh)
                    .with("name", m.name.as_str())
                    .with("after", after)
                    .with("unit", m.unit.as_str());
                self.warn(read, *f, said);
            }
        }
        Ok(())
    }
}

/// The (village, month) lists of records [`Importer::recorded`] keeps at most.
const RECORDED_MONTHS: usize = 64;

/// Runs a row's write (`what`: 写入, 更正) in the import's transaction. An error that changed
/// nothing is the row's (`Ok(Err)`: the row is refused, the import goes on); anything else —
/// the database failing part-way — stops the whole import: all or nothing.
pub(super) fn written<T>(
    conn: &Connection,
    row: u32,
    what: &str,
    write: impl FnOnce() -> Result<T>,
) -> Result<Result<T>> {
    let before = conn.total_changes();
    match write() {
        Ok(v) => Ok(Ok(v)),
        Err(e)
            if conn.total_changes() == before
                && !matches!(e.code, ErrorCode::Database | ErrorCode::Io) =>
        {
            Ok(Err(e))
        }
        Err(e) => Err(AppError {
            message: format!("第{row}行{what}失败，没有导入任何记录：{}", e.message),
            ..e
        }),
    }
}

impl Importer<'_> {
    /// A row the record rules refused: the error on the column of the field it names.
    pub(super) fn refused(&mut self, read: &mut RowRead, e: &AppError) {
        let f = e
            .field
            .as_deref()
            .and_then(Field::of_record_field)
            .unwrap_or(Field::Title);
        self.error(read, f, Said::refused(e));
    }
}

/// A row's hand-outs: material, quantity, and the column it was named in.
pub(super) type Hand = Vec<(Material, i64, Field)>;
