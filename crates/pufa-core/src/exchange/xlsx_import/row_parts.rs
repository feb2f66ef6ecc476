//! What one sheet row may carry beyond its own cells: a formula error in a cell, the rest of
//! the activity above (a continuation row), copies handed out without a material's name.
use super::*;

impl Importer<'_> {
    /// The material copies without a name count as, found or (importing) made when `read`
    /// is the first row with such copies; the row is told once what they count as.
    pub(super) fn generic_for(&mut self, read: &mut RowRead) -> Result<()> {
        // A quantity column with no material column beside it, filled in this row.
        let Some(qf) = (1..=MAX_MATERIALS)
            .filter(|n| !self.header.has(Field::Material(*n)))
            .map(Field::Quantity)
            .find(|f| self.header.has(*f) && read.cell(*f) != &EMPTY)
        else {
            return Ok(());
        };
        if self.generic_said {
            return Ok(());
        }
        self.generic_said = true;
        let header = fold(&self.column(qf));
        let unit = header
            .strip_suffix(')')
            .and_then(|h| h.rsplit_once('('))
            .map(|(_, u)| u.trim_end_matches('数').to_string())
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "份".to_string());
        let name = if unit == "份" {
            GENERIC_MATERIAL.to_string()
        } else {
            format!("{GENERIC_MATERIAL}（{unit}）")
        };
        let known: Option<String> = self
            .conn
            .prepare_cached("SELECT id FROM material WHERE name = ?1")?
            .query_row([&name], |r| r.get(0))
            .optional()?;
        let id = match (known, self.mode.importing()) {
            (Some(id), _) => Some(id),
            (None, true) => Some(inventory::insert_material(
                self.conn,
                &inventory::MaterialInput {
                    name: name.clone(),
                    category: None,
                    unit: unit.clone(),
                    low_stock: None,
                },
            )?),
            (None, false) => None,
        };
        let made = match &id {
            Some(_) => "",
            None => "（导入时在“宣传资料”目录中新增这一项）",
        };
        let zh = format!("这一列只写了份数，没有写资料名称：份数记为“{name}”{made}");
        let said = Said::new(Problem::CopiesWithoutName, zh)
            .with("name", name.as_str())
            .with("made", id.is_none());
        self.warn(read, qf, said);
        self.generic = match id {
            Some(id) => Some(inventory::material(self.conn, &id)?),
            None => None,
        };
        Ok(())
    }

    /// A cell holding a formula error (#REF!, #VALUE! …) is an error of its row, naming the
    /// cell: its value is lost, not a text to import.
    pub(super) fn formula_errors(&self, read: &mut RowRead) {
        let mut found: Vec<(Field, String)> = read
            .cells
            .iter()
            .filter_map(|(f, c)| formula_error(c).map(|e| (*f, e)))
            .collect();
        found.sort_by_key(|(f, _)| self.column_index(*f));
        for (f, e) in found {
            let cell = self.address(f, read.row);
            let zh = format!(
                "第{}行“{}”（{cell}单元格）是公式错误 {e}（{}），请在 Excel 中改正后再导入",
                read.row,
                self.column(f),
                formula_error_meaning(&e)
            );
            let said = Said::new(Problem::FormulaError, zh)
                .with("cell", cell)
                .with("value", e.as_str());
            let err = self.row_note(read.row, f, said);
            read.errors.push(err);
            read.bad.insert(f);
            read.cells.insert(f, Cell::Empty);
        }
    }

    fn column_index(&self, f: Field) -> usize {
        self.header
            .columns
            .iter()
            .find(|(_, g, _)| *g == f)
            .map_or(0, |(c, _, _)| *c as usize)
    }

    /// A continuation row's materials, notes, counts and lists added to the activity above.
    pub(super) fn continue_into(&self, above: &mut RowRead, mut cont: RowRead) {
        for n in 1..=MAX_MATERIALS {
            let (mf, qf) = (Field::Material(n), Field::Quantity(n));
            if !cont.cells.contains_key(&mf) && !cont.cells.contains_key(&qf) {
                continue;
            }
            let free = (1..=MAX_MATERIALS).find(|k| {
                !above.cells.contains_key(&Field::Material(*k))
                    && !above.cells.contains_key(&Field::Quantity(*k))
            });
            let Some(k) = free else {
                let zh = format!("续行的资料放不下（一项活动最多 {MAX_MATERIALS} 种资料）");
                let said = Said::new(Problem::ContinuationFull, zh).with("max", MAX_MATERIALS);
                let e = self.problem(cont.row, mf, said);
                above.errors.push(e);
                continue;
            };
            for (from, to) in [(mf, Field::Material(k)), (qf, Field::Quantity(k))] {
                if let Some(v) = cont.cells.remove(&from) {
                    above.cells.insert(to, v);
                }
            }
        }
        for (f, v) in std::mem::take(&mut cont.cells) {
            let joined = match (above.cells.get(&f), f) {
                (None, _) => Some(v),
                (Some(a), Field::Narrative) => {
                    Some(Cell::Text(format!("{}\n{}", a.as_text(), v.as_text())))
                }
                (Some(a), Field::Laws | Field::Speakers | Field::Formats | Field::Audiences) => {
                    Some(Cell::Text(format!("{}、{}", a.as_text(), v.as_text())))
                }
                (Some(a), Field::Count(_) | Field::Reach) => {
                    match (parse_count(a), parse_count(&v)) {
                        (Ok(Some(x)), Ok(Some(y))) => {
                            Some(Cell::Number((x.value + y.value) as f64))
                        }
                        _ => {
                            let zh = "续行的数字读不出，未能并入上一行";
                            let said = Said::new(Problem::ContinuationUnreadable, zh);
                            let e = self.problem(cont.row, f, said);
                            above.errors.push(e);
                            None
                        }
                    }
                }
                (Some(a), _) if name_key(&a.as_text()) == name_key(&v.as_text()) => None,
                (Some(_), _) => {
                    let written = validate::clip(&v.as_text());
                    let zh = format!(
                        "续行的“{written}”与第{}行不同，按第{}行计",
                        above.row, above.row
                    );
                    let said = Said::new(Problem::ContinuationDiffers, zh)
                        .with("written", written)
                        .with("first", above.row);
                    let e = self.problem(cont.row, f, said);
                    above.warnings.push(e);
                    None
                }
            };
            if let Some(v) = joined {
                above.cells.insert(f, v);
            }
        }
        let zh = format!(
            "第{}行没有日期和活动名称，是第{}行活动的续行：资料和说明并入第{}行",
            cont.row, above.row, above.row
        );
        let said = Said::new(Problem::Continued, zh).with("first", above.row);
        let note = self.row_note(cont.row, Field::Title, said);
        above.warnings.push(note);
        above.errors.append(&mut cont.errors);
        above.bad.extend(cont.bad);
    }
}
