//! The column mapper: each column of a sheet read as a field, shown in the preview with a
//! drop-down to fix it; what the user chose is remembered per layout (the header row's words,
//! in order: `import_layout`, migration 0015) when the import is confirmed, and applied to the
//! next workbook of the same layout. The CLI's `--map 列名=字段` gives the same choices.
use super::*;

/// A column as the import reads it: the header as written and the field (`""`: not imported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, rename = "ImportColumn")]
pub struct Column {
    pub sheet: String,
    pub header: String,
    /// A field code of [`field_options`], or "" when the column is not imported.
    pub field: String,
    /// How the field was decided: "auto" (the header's words), "remembered" (the mapping
    /// confirmed for this layout before), "chosen" (this time).
    pub source: String,
}

/// A field a column can be mapped to, for the drop-down: its code and the template's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, rename = "ImportFieldOption")]
pub struct FieldOption {
    pub code: String,
    pub label: String,
}

/// A column's field as the user chose it: the column's header, and the field by code or by
/// a header word ("参加人数"); "" (or 不导入) for not imported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ImportColumnChoice")]
pub struct ColumnChoice {
    pub header: String,
    #[serde(default)]
    pub field: String,
}

/// A field's code, stable in the database and the UI.
pub(super) fn code(f: Field) -> String {
    match f {
        Field::Date => "date".into(),
        Field::StartTime => "start_time".into(),
        Field::EndTime => "end_time".into(),
        Field::Unit => "unit".into(),
        Field::Venue => "venue".into(),
        Field::Title => "title".into(),
        Field::Formats => "formats".into(),
        Field::Audiences => "audiences".into(),
        Field::Laws => "laws".into(),
        Field::Speakers => "speakers".into(),
        Field::Participants => "participants".into(),
        Field::Reach => "reach".into(),
        Field::Count(c) => c.into(),
        Field::Material(n) => format!("material{n}"),
        Field::Quantity(n) => format!("quantity{n}"),
        Field::Narrative => "narrative".into(),
        Field::Recorder => "recorder".into(),
    }
}

/// Every field a column can be: the template's columns, then more material pairs.
fn all_fields() -> Vec<Field> {
    let mut fields: Vec<Field> = super::super::COLUMNS.iter().map(|c| c.field).collect();
    for n in 1..=MAX_MATERIALS {
        for f in [Field::Material(n), Field::Quantity(n)] {
            if !fields.contains(&f) {
                fields.push(f);
            }
        }
    }
    fields
}

/// The drop-down's options, in the template's order.
pub fn field_options() -> Vec<FieldOption> {
    all_fields()
        .into_iter()
        .map(|f| FieldOption {
            code: code(f),
            label: match f {
                Field::Material(n) => format!("发放资料{n}"),
                Field::Quantity(n) => format!("数量{n}"),
                _ => f.header(),
            },
        })
        .collect()
}

/// The field a choice names: `Ok(None)` not imported; an unknown word is refused, naming it.
fn chosen_field(choice: &ColumnChoice) -> Result<Option<Field>> {
    let word = one_line(&choice.field);
    if word.is_empty() || matches!(word.as_str(), "不导入" | "无" | "-" | "none") {
        return Ok(None);
    }
    let all = field_options();
    if let Some(n) = all.iter().position(|o| o.code == word || o.label == word) {
        return Ok(Some(all_fields()[n]));
    }
    match field_of_header(&word) {
        Some(Field::Material(0)) => Ok(Some(Field::Material(1))),
        Some(Field::Quantity(0)) => Ok(Some(Field::Quantity(1))),
        Some(f) => Ok(Some(f)),
        None => Err(AppError::field(
            ErrorCode::InvalidValue,
            "columns",
            format!(
                "“{}”列要导入为“{word}”：没有这样的字段（可用：{}）",
                choice.header,
                all.iter()
                    .map(|o| o.label.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        )),
    }
}

/// The user's choices, checked: by the header's key, the field (None: not imported).
pub(super) fn check_choices(choices: &[ColumnChoice]) -> Result<Vec<(String, Option<Field>)>> {
    choices
        .iter()
        .map(|c| Ok((header_key(&c.header), chosen_field(c)?)))
        .collect()
}

/// A layout: the header row's words in order.
fn layout_key(header: &Header) -> String {
    header
        .cells
        .iter()
        .map(|(_, t)| header_key(t))
        .collect::<Vec<_>>()
        .join("|")
}

/// The mapping remembered for this layout: header key → field code ("" not imported).
fn remembered(conn: &Connection, layout: &str) -> Result<Vec<(String, String)>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT mapping FROM import_layout WHERE layout = ?1",
            [layout],
            |r| r.get(0),
        )
        .optional()?;
    Ok(json
        .and_then(|j| serde_json::from_str::<Vec<(String, String)>>(&j).ok())
        .unwrap_or_default())
}

impl Header {
    /// The header with the remembered and the chosen fields applied; the columns as the
    /// preview shows them. Importing, what was chosen is remembered for the layout.
    pub(super) fn remap(
        mut self,
        conn: &Connection,
        sheet: &str,
        chosen: &[(String, Option<Field>)],
        importing: bool,
    ) -> Result<(Header, Vec<Column>)> {
        let layout = layout_key(&self);
        let stored: Vec<(String, Option<Field>)> = remembered(conn, &layout)?
            .into_iter()
            .map(|(k, c)| {
                let f = chosen_field(&ColumnChoice {
                    header: k.clone(),
                    field: c,
                })
                .ok()
                .flatten();
                (k, f)
            })
            .collect();
        let mut sources: HashMap<u32, &str> = HashMap::new();
        let mut applied: Vec<(String, Option<Field>)> = Vec::new();
        for (col, text) in self.cells.clone() {
            let key = header_key(&text);
            let (choice, source) = match chosen.iter().find(|(k, _)| *k == key) {
                Some((_, f)) => (Some(*f), "chosen"),
                None => match stored.iter().find(|(k, _)| *k == key) {
                    Some((_, f)) => (Some(*f), "remembered"),
                    None => (None, "auto"),
                },
            };
            let Some(f) = choice else {
                continue;
            };
            applied.push((key, f));
            sources.insert(col, source);
            // The column's field replaced; another column that had the field gives it up.
            self.columns.retain(|(c, g, _)| *c != col && Some(*g) != f);
            self.ignored.retain(|t| *t != text);
            match f {
                Some(f) => self.columns.push((col, f, text)),
                None => self.ignored.push(text),
            }
        }
        // A column that lost its field to a chosen one is not imported.
        for (col, text) in &self.cells {
            if !self.columns.iter().any(|(c, _, _)| c == col) && !self.ignored.contains(text) {
                self.ignored.push(text.clone());
            }
        }
        self.columns.sort_by_key(|(c, _, _)| *c);
        if importing
            && chosen
                .iter()
                .any(|(k, _)| applied.iter().any(|(a, _)| a == k))
        {
            let mapping: Vec<(String, String)> = applied
                .iter()
                .map(|(k, f)| (k.clone(), f.map(code).unwrap_or_default()))
                .collect();
            conn.execute(
                "INSERT INTO import_layout (layout, mapping, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (layout) DO UPDATE SET mapping = ?2, updated_at = ?3",
                rusqlite::params![
                    layout,
                    serde_json::to_string(&mapping).unwrap_or_default(),
                    crate::now()
                ],
            )?;
        }
        let columns = self
            .cells
            .iter()
            .map(|(col, text)| Column {
                sheet: sheet.to_string(),
                header: text.clone(),
                field: self
                    .columns
                    .iter()
                    .find(|(c, _, _)| c == col)
                    .map(|(_, f, _)| code(*f))
                    .unwrap_or_default(),
                source: sources.get(col).copied().unwrap_or("auto").to_string(),
            })
            .collect();
        Ok((self, columns))
    }
}
