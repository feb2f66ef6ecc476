//! The 台账's columns, and its rows as read from the records.
use super::*;

/// What a column of the detail sheet shows.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Cell {
    Seq,
    Date,
    /// `LedgerRow::texts[i]`.
    Text(usize),
    /// `LedgerRow::numbers[i]`.
    Number(usize),
    Materials,
    Narrative,
    Recorder,
    Status,
}

/// The detail columns: heading (with its unit), width in the workbook, content.
pub(super) const FIXED_COLUMNS: &[(&str, f64, Cell)] = &[
    ("序号", 4.5, Cell::Seq),
    ("日期", 12.5, Cell::Date),
    ("时间", 6.5, Cell::Text(0)),
    ("村/单位", 9.0, Cell::Text(1)),
    ("活动名称", 18.0, Cell::Text(2)),
    ("活动专项", 13.0, Cell::Text(3)),
    ("普法节点", 11.0, Cell::Text(4)),
    ("活动形式", 9.0, Cell::Text(5)),
    ("宣传对象", 9.0, Cell::Text(6)),
    ("法律法规", 11.0, Cell::Text(7)),
    ("主讲人", 10.0, Cell::Text(8)),
    ("协办单位", 9.0, Cell::Text(9)),
    ("参加人数（人）", 6.5, Cell::Number(0)),
    ("受众人次", 6.5, Cell::Number(1)),
    // The optional counts (record::COUNTS) follow here, see `columns`.
    ("发放资料", 16.0, Cell::Materials),
    ("活动简述", 24.0, Cell::Narrative),
    ("记录人", 6.0, Cell::Recorder),
    ("审核状态", 6.0, Cell::Status),
];

/// How many numbers a row has: 参加人数, 受众人次 and the optional counts.
pub(super) const NUMBERS: usize = FIRST_OPTIONAL_COUNT + record::N_COUNTS;

/// Every detail column: the fixed ones with the optional counts after 受众人次, each headed as
/// the record's field table says.
pub(super) fn columns() -> Vec<(&'static str, f64, Cell)> {
    let mut out = Vec::with_capacity(FIXED_COLUMNS.len() + record::N_COUNTS);
    for c in FIXED_COLUMNS {
        out.push(*c);
        if c.2 == Cell::Number(FIRST_OPTIONAL_COUNT - 1) {
            out.extend(
                record::COUNTS
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.header, 5.5, Cell::Number(FIRST_OPTIONAL_COUNT + i))),
            );
        }
    }
    out
}

/// The headings of the CSV (every column, always).
pub fn csv_headers() -> Vec<&'static str> {
    columns().iter().map(|(h, ..)| *h).collect()
}

/// Names of the 普法节点, national and local, looked up once per export.
pub(super) struct NodeNames(std::collections::HashMap<String, String>);

impl NodeNames {
    pub(super) fn load(conn: &Connection) -> Result<NodeNames> {
        let mut nodes: std::collections::HashMap<String, String> =
            crate::keydates::national_nodes()
                .iter()
                .map(|n| (n.code.clone(), n.name.clone()))
                .collect();
        for n in crate::keydates::local_nodes(conn)? {
            nodes.insert(n.code, n.name);
        }
        Ok(NodeNames(nodes))
    }
}

/// The columns of a 台账 row: only what it shows, the campaigns' names and the hand-outs
/// already joined by SQLite (a full [`Record`] parses both from JSON first, a third of a
/// 100,000-row export's reading).
pub(super) fn ledger_select() -> &'static str {
    static SELECT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SELECT.get_or_init(|| {
        let counts: String = record::COUNTS
            .iter()
            .map(|c| format!(", r.{}", c.column))
            .collect();
        format!(
            "SELECT r.date, r.start_time, r.end_time, u.name, r.title,
                (SELECT group_concat(c.name, '、' ORDER BY c.id)
                   FROM record_campaign rc JOIN campaign c ON c.id = rc.campaign_id
                  WHERE rc.record_id = r.id),
                r.nodes, r.formats, r.audiences, r.laws, r.speakers, r.partners,
                r.participants, r.reach{counts},
                (SELECT group_concat(m.name || s.quantity || m.unit, '、')
                   FROM stock_movement s JOIN material m ON m.id = s.material_id
                  WHERE s.record_id = r.id AND s.kind = 'handout'),
                r.narrative, r.recorder, r.review_status
            FROM record r LEFT JOIN unit u ON u.id = r.unit_id"
        )
    })
}

/// A record as the cells of its 台账 row, made on the reading thread.
pub(super) struct LedgerRow {
    pub(super) date: String,
    /// 时间 … 协办单位, in HEADERS order.
    pub(super) texts: [String; 10],
    pub(super) numbers: [i64; NUMBERS],
    pub(super) materials: String,
    pub(super) narrative: String,
    pub(super) recorder: String,
    pub(super) status: &'static str,
}

impl LedgerRow {
    pub(super) fn read(row: &rusqlite::Row, nodes: &NodeNames) -> rusqlite::Result<LedgerRow> {
        fn list<T: for<'de> serde::Deserialize<'de>>(
            row: &rusqlite::Row,
            i: usize,
        ) -> rusqlite::Result<Vec<T>> {
            let text: Option<String> = row.get(i)?;
            let Some(text) = text else {
                return Ok(Vec::new());
            };
            // Unreadable is an error naming the record (its date and title), never an empty list.
            serde_json::from_str(&text).map_err(|_| {
                let date: String = row.get(0).unwrap_or_default();
                let title: String = row.get(4).unwrap_or_default();
                let column = row.as_ref().column_name(i).unwrap_or("?").to_string();
                rusqlite::Error::FromSqlConversionFailure(
                    i,
                    rusqlite::types::Type::Text,
                    format!(
                        "活动记录“{}”（{date}）的“{column}”存有无法识别的值“{}”",
                        crate::validate::clip(&title),
                        crate::validate::clip(&text)
                    )
                    .into(),
                )
            })
        }
        fn joined<T>(items: Vec<T>, show: impl Fn(T) -> String) -> String {
            items.into_iter().map(show).collect::<Vec<_>>().join("、")
        }
        let text = |i: usize| -> rusqlite::Result<String> {
            Ok(row.get::<_, Option<String>>(i)?.unwrap_or_default())
        };
        let start: Option<String> = row.get(1)?;
        let end: Option<String> = row.get(2)?;
        let time = match (start, end) {
            (Some(s), Some(e)) => format!("{s}—{e}"),
            (Some(s), None) => s,
            _ => String::new(),
        };
        let node_name = |n: String| nodes.0.get(&n).cloned().unwrap_or(n);
        // After the numbers: materials, narrative, recorder, status.
        let after = 12 + NUMBERS;
        let status: String = row.get(after + 3)?;
        let mut numbers = [0i64; NUMBERS];
        for (i, n) in numbers.iter_mut().enumerate() {
            *n = row.get(12 + i)?;
        }
        Ok(LedgerRow {
            date: row.get(0)?,
            texts: [
                time,
                text(3)?,
                text(4)?,
                text(5)?,
                joined(list(row, 6)?, node_name),
                joined(list::<ActivityFormat>(row, 7)?, |f| f.label().to_string()),
                joined(list::<Audience>(row, 8)?, |a| a.label().to_string()),
                list::<String>(row, 9)?.join("、"),
                joined(list::<Speaker>(row, 10)?, |s| {
                    format!("{}（{}）", s.name, s.role.label())
                }),
                list::<String>(row, 11)?.join("、"),
            ],
            numbers,
            materials: text(after)?,
            narrative: text(after + 1)?,
            recorder: text(after + 2)?,
            status: ReviewStatus::parse_stored(&status, &text(4)?)
                .map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        after + 3,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })?
                .label(),
        })
    }
}
