//! Column mapping: the header row found and its columns recognised; units, materials and
//! speakers looked up by the names a sheet gives them.
use super::*;

#[derive(Debug, Clone)]
pub(super) struct Header {
    /// 0-based row.
    pub(super) row: u32,
    /// (column, field, header as written).
    pub(super) columns: Vec<(u32, Field, String)>,
    pub(super) ignored: Vec<String>,
    /// Every written header cell: (column, header as written), in column order.
    pub(super) cells: Vec<(u32, String)>,
    /// Columns whose number is added to their field's (参加人数 over 男 | 女: the two summed).
    pub(super) adds: Vec<u32>,
}

/// Required fields a sheet may lack as a column: one value for the whole sheet is asked
/// instead (the preview's field, the CLI's `--village` / `--format`).
pub(super) const ASKED: &[Field] = &[Field::Unit, Field::Formats];

pub(super) enum HeaderSearch {
    /// The header, and the row read after it to see whether the header went on (a data row
    /// to be read first).
    Found(Header, Option<SheetRow>),
    /// A header row without some required columns.
    Incomplete(Said),
    /// No header; `empty`: not a cell written in the rows looked at.
    NotFound { empty: bool },
}

impl Header {
    pub(super) fn from_row(row: &SheetRow) -> Header {
        let mut cells: Vec<&(u32, Cell)> = row.cells.iter().collect();
        cells.sort_by_key(|(c, _)| *c);
        let mut columns: Vec<(u32, Field, String)> = Vec::new();
        let mut ignored = Vec::new();
        let mut last_material: Option<u8> = None;
        let mut written = Vec::new();
        for (col, cell) in cells {
            let text = one_line(&cell.as_text());
            if text.is_empty() {
                continue;
            }
            written.push((*col, text.clone()));
            let field = match field_of_header(&text) {
                // "资料 | 数量 | 资料 | 数量" without numbers: numbered in order.
                Some(Field::Material(0)) => {
                    Some(Field::Material(last_material.map_or(1, |n| n + 1)))
                }
                Some(Field::Quantity(0)) => {
                    let n = last_material.unwrap_or(1);
                    let has = |f: Field| columns.iter().any(|(_, g, _)| *g == f);
                    // Its material's copies counted already ("资料名称 | 数量 | 发放资料（份）"):
                    // copies without a name, in a pair of their own.
                    let free = (n + 1..=MAX_MATERIALS)
                        .find(|k| !has(Field::Quantity(*k)) && !has(Field::Material(*k)))
                        .filter(|_| has(Field::Quantity(n)));
                    if free.is_some() {
                        last_material = free;
                    }
                    Some(Field::Quantity(free.unwrap_or(n)))
                }
                f => f,
            };
            match field {
                Some(f @ (Field::Material(n) | Field::Quantity(n)))
                    if n > MAX_MATERIALS || columns.iter().any(|(_, g, _)| *g == f) =>
                {
                    ignored.push(text)
                }
                Some(f) if columns.iter().any(|(_, g, _)| *g == f) => {
                    match second_meaning(&mut columns, f, &text) {
                        Some(g) => columns.push((*col, g, text)),
                        None => ignored.push(text),
                    }
                }
                Some(f) => {
                    if let Field::Material(n) = f {
                        last_material = Some(n);
                    }
                    columns.push((*col, f, text));
                }
                None => ignored.push(text),
            }
        }
        // 活动内容 names the activity where no other column does.
        if !columns.iter().any(|(_, f, _)| *f == Field::Title) {
            if let Some(c) = columns
                .iter_mut()
                .find(|(_, f, t)| *f == Field::Narrative && header_key(t) == "活动内容")
            {
                c.1 = Field::Title;
            }
        }
        Header {
            row: row.index,
            columns,
            ignored,
            cells: written,
            adds: Vec::new(),
        }
    }

    pub(super) fn has(&self, f: Field) -> bool {
        self.columns.iter().any(|(_, g, _)| *g == f)
    }
}

/// Headers whose meaning depends on their neighbours: a second column for `f` where one of
/// the pair is a looser word — 时间 beside 日期 is the time of day, 参加人员 beside 人数 says
/// who took part. Returns the field of the new column (moving the earlier one if it was the
/// looser word); `None`: a true repeat.
pub(super) fn second_meaning(
    columns: &mut [(u32, Field, String)],
    f: Field,
    text: &str,
) -> Option<Field> {
    const LOOSE: &[(Field, &[&str], Field)] = &[
        (
            Field::Date,
            &["时间", "活动时间", "开展时间", "举办时间"],
            Field::StartTime,
        ),
        (
            Field::Participants,
            &["参加人员", "参加对象"],
            Field::Audiences,
        ),
    ];
    let (_, words, other) = LOOSE.iter().find(|(g, _, _)| *g == f)?;
    if columns.iter().any(|(_, g, _)| g == other) {
        return None;
    }
    if words.contains(&header_key(text).as_str()) {
        return Some(*other);
    }
    let earlier = columns.iter_mut().find(|(_, g, _)| *g == f)?;
    if words.contains(&header_key(&earlier.2).as_str()) {
        earlier.1 = *other;
        return Some(f);
    }
    None
}

pub(super) fn header_key(text: &str) -> String {
    name_key(text)
        .trim_start_matches(['*', '※', '★'])
        .to_string()
}

/// Looks for the header in the first non-blank rows: the first row naming at least three
/// known columns. The rows above it (a title, a date line) are passed over.
pub(super) fn find_header(rows: &mut dyn RowSource, sheet: &str) -> Result<HeaderSearch> {
    let mut seen = 0;
    let mut empty = true;
    let mut peeked: Option<SheetRow> = None;
    loop {
        let row = match peeked.take() {
            Some(r) => r,
            None => match rows.next_row()? {
                Some(r) => r,
                None => break,
            },
        };
        // Blank rows are passed over, but not a whole sheet of them.
        if row.index >= 100 {
            break;
        }
        if row.cells.is_empty() {
            continue;
        }
        empty = false;
        let mut header = Header::from_row(&row);
        if !header.columns.is_empty() {
            // A header over two rows (参加人数 over 男 | 女, 发放资料 over 种类 | 份数)?
            peeked = rows.next_row()?;
            if let Some(next) = peeked.as_ref().filter(|n| n.index == row.index + 1) {
                if sub_header(next) {
                    let two = Header::from_two_rows(&row, next);
                    let complete =
                        |h: &Header| REQUIRED.iter().all(|f| h.has(*f) || ASKED.contains(f));
                    if two.columns.len() > header.columns.len()
                        || (complete(&two) && !complete(&header))
                    {
                        header = two;
                        peeked = None;
                    }
                }
            }
        }
        if header.columns.len() >= 3 {
            // 村/社区 and 活动形式 missing from a whole sheet are asked once instead.
            let missing: Vec<String> = REQUIRED
                .iter()
                .filter(|f| !header.has(**f) && !ASKED.contains(f))
                .map(|f| format!("“{}”", f.header()))
                .collect();
            if missing.is_empty() {
                return Ok(HeaderSearch::Found(header, peeked));
            }
            let zh = format!(
                "“{sheet}”表第{}行的表头缺少必填的列：{}。请使用“下载模板”得到的活动登记表，\
                 或在表头补上这些列",
                header.row + 1,
                missing.join("、")
            );
            let said = Said::new(Problem::HeaderIncomplete, zh)
                .with("sheet", sheet)
                .with("row", header.row + 1)
                .with("missing", missing.join("、"));
            return Ok(HeaderSearch::Incomplete(said));
        }
        seen += 1;
        if seen >= HEADER_SEARCH_ROWS {
            break;
        }
    }
    Ok(HeaderSearch::NotFound { empty })
}

/// A row that can be the second row of a header: short words only, no date or number.
fn sub_header(row: &SheetRow) -> bool {
    !row.cells.is_empty()
        && row.cells.iter().all(|(_, c)| match c {
            Cell::Empty => true,
            Cell::Text(t) => {
                let t = one_line(t);
                t.chars().count() <= 8
                    && !matches!(parse_date(c), Ok(Some(_)))
                    && !t
                        .chars()
                        .any(|ch| fold(&ch.to_string()).chars().all(|d| d.is_ascii_digit()))
            }
            _ => false,
        })
}

/// Words under 参加人数 that are its total, and the parts that add up to it.
const TOTAL_WORDS: &[&str] = &["合计", "小计", "总计", "总数", "共计", "人数", "人次"];
const PART_WORDS: &[&str] = &[
    "男", "女", "男性", "女性", "成人", "儿童", "学生", "群众", "干部",
];
/// Words under 发放资料 that name the material, and that count its copies.
const NAME_WORDS: &[&str] = &["名称", "种类", "资料名称", "品种", "品名", "内容"];
const COPY_WORDS: &[&str] = &["份数", "数量", "份", "册", "本", "册数", "本数"];

impl Header {
    /// A header over two rows: each column named by its words in both (the top one merged
    /// over several columns counts for each of them; a header merged down two rows has nothing
    /// below it). Under 参加人数 (or 受众人次): a 合计 column is the count; without one the parts
    /// (男 | 女 …) are added up. Under 发放资料: 种类/名称 is the material, 份数/数量 its copies.
    pub(super) fn from_two_rows(top: &SheetRow, bottom: &SheetRow) -> Header {
        let text_of = |row: &SheetRow| -> HashMap<u32, String> {
            row.cells
                .iter()
                .map(|(c, v)| (*c, one_line(&v.as_text())))
                .filter(|(_, t)| !t.is_empty())
                .collect()
        };
        let (tops, bottoms) = (text_of(top), text_of(bottom));
        let mut cols: Vec<u32> = tops.keys().chain(bottoms.keys()).copied().collect();
        cols.sort_unstable();
        cols.dedup();
        // The top word over each column: its own, or (a merged cell) the one to its left
        // while the columns between all have words below.
        let mut over: HashMap<u32, String> = HashMap::new();
        let mut group: Option<String> = None;
        let mut last = None;
        for &c in &cols {
            let contiguous = last.is_some_and(|l: u32| l + 1 == c);
            match tops.get(&c) {
                Some(t) => group = Some(t.clone()),
                None if !(contiguous && bottoms.contains_key(&c)) => group = None,
                None => {}
            }
            if let Some(g) = &group {
                over.insert(c, g.clone());
            }
            if !bottoms.contains_key(&c) && tops.contains_key(&c) {
                // Merged down two rows: no group to its right.
                group = None;
                over.insert(c, tops[&c].clone());
            }
            last = Some(c);
        }
        let word = |t: &str| name_key(t);
        let counted =
            |t: &str| matches!(field_of_header(t), Some(Field::Participants | Field::Reach));
        let handed = |t: &str| {
            matches!(
                field_of_header(t),
                Some(Field::Material(_) | Field::Quantity(_))
            ) || matches!(
                word(t).as_str(),
                "发放资料" | "宣传资料" | "资料" | "资料发放"
            )
        };
        // A group with a total column: its parts are not counted again.
        let has_total = |g: &str| {
            cols.iter().any(|c| {
                over.get(c).is_some_and(|o| o == g)
                    && bottoms
                        .get(c)
                        .is_some_and(|b| TOTAL_WORDS.contains(&word(b).as_str()))
            })
        };
        let mut cells = Vec::new();
        let mut parts: Vec<(u32, String)> = Vec::new();
        for &c in &cols {
            let (t, b) = (over.get(&c), bottoms.get(&c));
            let text = match (t, b) {
                (Some(t), None) => t.clone(),
                (None, Some(b)) => b.clone(),
                (None, None) => continue,
                (Some(t), Some(b)) => {
                    let bw = word(b);
                    if counted(t) && TOTAL_WORDS.contains(&bw.as_str()) {
                        t.clone()
                    } else if counted(t) && PART_WORDS.contains(&bw.as_str()) {
                        if has_total(t) || parts.iter().any(|(_, g)| g != t) {
                            // Not read (the total is): a name no header word matches.
                            format!("{t}-{b}")
                        } else {
                            parts.push((c, t.clone()));
                            format!("{t}（{b}）")
                        }
                    } else if handed(t) && NAME_WORDS.contains(&bw.as_str()) {
                        "发放资料".to_string()
                    } else if handed(t) && COPY_WORDS.contains(&bw.as_str()) {
                        "数量".to_string()
                    } else if field_of_header(b).is_some() {
                        b.clone()
                    } else {
                        format!("{t}{b}")
                    }
                }
            };
            cells.push((c, Cell::Text(text)));
        }
        // The parts of a count without a total: the first reads as the count, the others
        // are added to it.
        let first_part = parts.first().map(|(c, g)| (*c, g.clone()));
        if let Some((first, g)) = &first_part {
            for (c, t) in cells.iter_mut() {
                if c == first {
                    *t = Cell::Text(g.clone());
                }
            }
        }
        let mut header = Header::from_row(&SheetRow {
            index: bottom.index,
            cells: cells.clone(),
        });
        if let Some((first, _)) = first_part {
            let field = header
                .columns
                .iter()
                .find(|(c, _, _)| *c == first)
                .map(|(_, f, _)| *f);
            if let Some(f) = field {
                for (c, _) in parts.iter().skip(1) {
                    let text = cells
                        .iter()
                        .find(|(x, _)| x == c)
                        .map(|(_, t)| t.as_text())
                        .unwrap_or_default();
                    header.ignored.retain(|i| *i != text);
                    header.columns.retain(|(x, _, _)| x != c);
                    header.columns.push((*c, f, text));
                    header.adds.push(*c);
                }
                header.columns.sort_by_key(|(c, _, _)| *c);
            }
        }
        header
    }
}

// ---------------------------------------------------------------------------------------------
// Looking up units, materials, speakers

pub(super) struct Unit {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) archived: bool,
}

pub(super) struct Lookups {
    pub(super) units: Vec<Unit>,
    pub(super) unit_by_key: HashMap<String, usize>,
    pub(super) unit_by_short: HashMap<String, Vec<usize>>,
    pub(super) materials: HashMap<String, Material>,
    /// The town's people by name: the role of a 主讲人 written without one (the first of
    /// namesakes).
    pub(super) roles: HashMap<String, String>,
    /// The user of this computer: the 记录人 of rows that name none.
    pub(super) recorder: Option<String>,
    /// The user of this computer is the coordinator (a corrected re-import may change an
    /// approved record: see `corrections`).
    pub(super) coordinator: bool,
    /// Village stores by unit id, and the town's: where hand-outs are taken from.
    pub(super) stores: HashMap<String, String>,
    pub(super) town_store: Option<String>,
    /// The values asked once for sheets without their column, checked.
    pub(super) asked: Asked,
    /// The columns' fields the user chose (by header key; None: not imported).
    pub(super) chosen: Vec<(String, Option<Field>)>,
}

/// [`ImportAsked`] checked: the village a name in the town's list, the format one of the list.
#[derive(Default)]
pub(super) struct Asked {
    pub(super) village: Option<(String, String)>,
    pub(super) format: Option<String>,
}

impl Asked {
    pub(super) fn check(lookups: &Lookups, asked: &ImportAsked) -> Result<Asked> {
        let given = |v: &Option<String>| v.as_deref().map(one_line).filter(|v| !v.is_empty());
        let village = match given(&asked.village) {
            Some(v) => {
                let u = lookups
                    .unit(&v)
                    .map_err(|m| AppError::field(ErrorCode::InvalidValue, "village", m.zh))?;
                Some((u.id.clone(), u.name.clone()))
            }
            None => None,
        };
        let format = match given(&asked.format) {
            Some(f) => {
                for item in list_items(&f) {
                    if match_word(
                        &item,
                        ActivityFormat::ALL,
                        ActivityFormat::code,
                        ActivityFormat::label,
                        FORMAT_WORDS,
                    )
                    .is_none()
                    {
                        return Err(AppError::field(
                            ErrorCode::InvalidValue,
                            "format",
                            format!("“{}”不是活动形式列表中的一项", validate::clip(&item)),
                        ));
                    }
                }
                Some(f)
            }
            None => None,
        };
        Ok(Asked { village, format })
    }
}

impl Lookups {
    pub(super) fn load(conn: &Connection) -> Result<Lookups> {
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
        let mut roles = HashMap::new();
        let mut stmt = conn.prepare("SELECT name, role FROM person ORDER BY rowid")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            roles.entry(r.get(0)?).or_insert(r.get(1)?);
        }
        Ok(Lookups {
            units,
            unit_by_key,
            unit_by_short,
            materials,
            roles,
            recorder: current_user(conn)?.map(|u| u.name),
            coordinator: crate::record::is_coordinator(conn)?,
            stores,
            town_store,
            asked: Asked::default(),
            chosen: Vec::new(),
        })
    }

    pub(super) fn unit(&self, text: &str) -> std::result::Result<&Unit, Said> {
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
                let written = validate::clip(text);
                let zh = format!("“{written}”可能是{}，请写全称", names.join("或"));
                Err(Said::new(Problem::VillageAmbiguous, zh)
                    .with("written", written)
                    .with("names", names.join("、")))
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
                let written = validate::clip(text);
                let zh = format!(
                    "本镇没有“{written}”这个村/社区或单位。本镇的有：{}{more}",
                    shown.join("、")
                );
                Err(Said::new(Problem::VillageUnknown, zh)
                    .with("written", written)
                    .with("known", shown.join("、"))
                    .with("total", known.len()))
            }
        }
    }
}
