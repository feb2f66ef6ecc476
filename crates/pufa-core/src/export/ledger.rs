//! The 台账: one row per held record with every field and the materials handed out, as Excel
//! (with sheets of totals by node/campaign, by village with the "每村至少一次" check, and
//! materials) or as CSV with a UTF-8 BOM so Excel and WPS read the Chinese right. The detail
//! rows are streamed: memory does not grow with the number of records.

use super::{io_error, write_atomic, xlsx_error, Exported};
use crate::domain::{ActivityFormat, Audience};
use crate::error::{AppError, ErrorCode, Result};
use crate::record::{self, RecordFilter, ReviewStatus, Speaker};
use crate::reports::{self, Breakdown, SummaryFilter};
use chrono::Datelike;
use rusqlite::Connection;
use rust_xlsxwriter::{
    ConditionalFormatFormula, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet,
};
use std::io::Write;
use std::path::Path;

const HEADERS: &[(&str, f64)] = &[
    ("序号", 6.0),
    ("日期", 12.0),
    ("时间", 12.0),
    ("村/单位", 18.0),
    ("活动名称", 30.0),
    ("活动专项", 26.0),
    ("普法节点", 20.0),
    ("活动形式", 14.0),
    ("宣传对象", 16.0),
    ("法律法规", 22.0),
    ("主讲人", 16.0),
    ("协办单位", 16.0),
    ("参加人数", 9.0),
    ("受众人次", 9.0),
    ("咨询人次", 9.0),
    ("横幅（条）", 9.0),
    ("展板（块）", 9.0),
    ("宣传车（台）", 10.0),
    ("网络推送（条）", 11.0),
    ("浏览量", 9.0),
    ("调解纠纷（件）", 11.0),
    ("法律援助（件）", 11.0),
    ("发放资料", 30.0),
    ("活动简述", 40.0),
    ("记录人", 10.0),
    ("审核状态", 9.0),
];

/// Names of the 普法节点, national and local, looked up once per export.
struct NodeNames(std::collections::HashMap<String, String>);

impl NodeNames {
    fn load(conn: &Connection) -> Result<NodeNames> {
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
const LEDGER_SELECT: &str = "SELECT r.date, r.start_time, r.end_time, u.name, r.title,
        (SELECT group_concat(c.name, '、' ORDER BY c.id)
           FROM record_campaign rc JOIN campaign c ON c.id = rc.campaign_id
          WHERE rc.record_id = r.id),
        r.nodes, r.formats, r.audiences, r.laws, r.speakers, r.partners,
        r.participants, r.reach, r.consultations, r.banners, r.boards, r.vehicles,
        r.online_posts, r.online_views, r.disputes, r.legal_aid_cases,
        (SELECT group_concat(m.name || s.quantity || m.unit, '、')
           FROM stock_movement s JOIN material m ON m.id = s.material_id
          WHERE s.record_id = r.id AND s.kind = 'handout'),
        r.narrative, r.recorder, r.review_status
    FROM record r LEFT JOIN unit u ON u.id = r.unit_id";

/// A record as the cells of its 台账 row, made on the reading thread.
struct LedgerRow {
    date: String,
    /// 时间 … 协办单位, in HEADERS order.
    texts: [String; 10],
    numbers: [i64; 10],
    materials: String,
    narrative: String,
    recorder: String,
    status: &'static str,
}

impl LedgerRow {
    fn read(row: &rusqlite::Row, nodes: &NodeNames) -> rusqlite::Result<LedgerRow> {
        fn list<T: for<'de> serde::Deserialize<'de>>(
            row: &rusqlite::Row,
            i: usize,
        ) -> rusqlite::Result<Vec<T>> {
            let text: Option<String> = row.get(i)?;
            Ok(text
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default())
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
        let status: String = row.get(25)?;
        let mut numbers = [0i64; 10];
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
            materials: text(22)?,
            narrative: text(23)?,
            recorder: text(24)?,
            status: ReviewStatus::parse(&status).label(),
        })
    }
}

/// The counts after 参加人数 and 受众人次 (咨询, 横幅 … 法律援助) that apply to few
/// activities: a zero there is left blank in the workbook, as a hand-kept 台账 leaves it, so
/// the numbers that were there stand out (the 合计 row still sums them all).
const FIRST_OPTIONAL_COUNT: usize = 2;

fn period(filter: &RecordFilter) -> (String, String) {
    (
        filter.from.clone().unwrap_or_else(|| "2000-01-01".into()),
        filter.to.clone().unwrap_or_else(|| "2100-12-31".into()),
    )
}

/// 2026年12月4日, as the dates of a 台账 read.
const DATE_FORMAT: &str = "yyyy\"年\"m\"月\"d\"日\"";

/// Writes the 台账 workbook; `count` is the number of record rows.
pub fn export_xlsx(conn: &Connection, path: &Path, filter: &RecordFilter) -> Result<Exported> {
    let nodes = NodeNames::load(conn)?;
    let (from, to) = period(filter);
    let summary = reports::summary(
        conn,
        &SummaryFilter {
            from,
            to,
            village: filter.unit_id.clone(),
            campaign_id: filter.campaign_id.clone(),
            include_pending: filter.review_status.as_deref() != Some("approved"),
        },
    )?;
    let mut workbook = Workbook::new();
    let head = super::header_format();
    let body = Format::new()
        .set_font_name("宋体")
        .set_text_wrap()
        .set_border(FormatBorder::Thin);
    let total = body.clone().set_bold();

    let mut count = 0u32;
    {
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        sheet.set_name("活动台账").map_err(xlsx_error)?;
        // The record cells are written without a format and take their column's (font, wrap,
        // date), their borders come from one conditional format over the rows written: a
        // format per cell costs a hash of it per cell, a fifth of a 100,000-row export.
        let plain = Format::new().set_font_name("宋体").set_text_wrap();
        let plain_date = plain.clone().set_num_format(DATE_FORMAT);
        for (c, (h, w)) in HEADERS.iter().enumerate() {
            sheet
                .write_with_format(0, c as u16, *h, &head)
                .map_err(xlsx_error)?;
            sheet.set_column_width(c as u16, *w).map_err(xlsx_error)?;
            let column = if c == 1 { &plain_date } else { &plain };
            sheet
                .set_column_format(c as u16, column)
                .map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        sheet.set_landscape().set_paper_size(9);
        sheet.set_repeat_rows(0, 0).map_err(xlsx_error)?;
        let mut sums = [0i64; 10];
        let read = |row: &rusqlite::Row| LedgerRow::read(row, &nodes);
        record::for_each_read_ahead(conn, filter, LEDGER_SELECT, read, |r| {
            count += 1;
            let row = count;
            sheet.write(row, 0, count).map_err(xlsx_error)?;
            let d: chrono::NaiveDate = r.date.parse().expect("records hold ISO dates");
            let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                .map_err(xlsx_error)?;
            sheet.write_datetime(row, 1, &dt).map_err(xlsx_error)?;
            for (i, t) in r.texts.into_iter().enumerate() {
                sheet.write(row, 2 + i as u16, t).map_err(xlsx_error)?;
            }
            for (i, n) in r.numbers.into_iter().enumerate() {
                sums[i] += n;
                if n != 0 || i < FIRST_OPTIONAL_COUNT {
                    sheet
                        .write(row, 12 + i as u16, n as f64)
                        .map_err(xlsx_error)?;
                }
            }
            sheet.write(row, 22, r.materials).map_err(xlsx_error)?;
            sheet.write(row, 23, r.narrative).map_err(xlsx_error)?;
            sheet.write(row, 24, r.recorder).map_err(xlsx_error)?;
            sheet.write(row, 25, r.status).map_err(xlsx_error)?;
            Ok(())
        })?;
        let row = count + 1;
        sheet
            .write_with_format(row, 0, "合计", &total)
            .map_err(xlsx_error)?;
        sheet
            .write_with_format(row, 4, format!("{count} 场"), &total)
            .map_err(xlsx_error)?;
        for (i, n) in sums.iter().enumerate() {
            sheet
                .write_with_format(row, 12 + i as u16, *n as f64, &total)
                .map_err(xlsx_error)?;
        }
        let bordered = ConditionalFormatFormula::new()
            .set_rule("=TRUE")
            .set_format(Format::new().set_border(FormatBorder::Thin));
        let last_col = HEADERS.len() as u16 - 1;
        sheet
            .add_conditional_format(1, 0, row, last_col, &bordered)
            .map_err(xlsx_error)?;
    }
    let breakdown_sheet = |sheet: &mut Worksheet, title: &str, rows: &[Breakdown]| -> Result<()> {
        for (c, (h, w)) in [
            (title, 30.0),
            ("场次", 10.0),
            ("参加人数", 12.0),
            ("受众人次", 12.0),
        ]
        .iter()
        .enumerate()
        {
            sheet
                .write_with_format(0, c as u16, *h, &head)
                .map_err(xlsx_error)?;
            sheet.set_column_width(c as u16, *w).map_err(xlsx_error)?;
        }
        let mut sums = [0i64; 3];
        for (i, b) in rows.iter().enumerate() {
            let r = i as u32 + 1;
            sheet
                .write_with_format(r, 0, b.label.as_str(), &body)
                .map_err(xlsx_error)?;
            for (c, n) in [b.activities, b.participants, b.reach]
                .into_iter()
                .enumerate()
            {
                sums[c] += n;
                sheet
                    .write_with_format(r, 1 + c as u16, n as f64, &body)
                    .map_err(xlsx_error)?;
            }
        }
        let r = rows.len() as u32 + 1;
        sheet
            .write_with_format(r, 0, "合计", &total)
            .map_err(xlsx_error)?;
        for (c, n) in sums.iter().enumerate() {
            sheet
                .write_with_format(r, 1 + c as u16, *n as f64, &total)
                .map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        Ok(())
    };
    let s = workbook
        .add_worksheet()
        .set_name("按普法节点")
        .map_err(xlsx_error)?;
    breakdown_sheet(s, "普法节点", &summary.by_node)?;
    let s = workbook
        .add_worksheet()
        .set_name("按活动专项")
        .map_err(xlsx_error)?;
    breakdown_sheet(s, "活动专项", &summary.by_campaign)?;
    let s = workbook
        .add_worksheet()
        .set_name("按村（社区）")
        .map_err(xlsx_error)?;
    let mut villages = summary.by_village.clone();
    villages.extend(summary.villages_without.iter().map(|v| Breakdown {
        key: String::new(),
        label: format!("{v}（尚无活动）"),
        activities: 0,
        participants: 0,
        reach: 0,
    }));
    breakdown_sheet(s, "村/单位", &villages)?;
    let s = workbook
        .add_worksheet()
        .set_name("资料发放")
        .map_err(xlsx_error)?;
    for (c, (h, w)) in [("资料", 30.0), ("单位", 8.0), ("数量", 12.0)]
        .iter()
        .enumerate()
    {
        s.write_with_format(0, c as u16, *h, &head)
            .map_err(xlsx_error)?;
        s.set_column_width(c as u16, *w).map_err(xlsx_error)?;
    }
    for (i, m) in summary.materials.iter().enumerate() {
        let r = i as u32 + 1;
        s.write_with_format(r, 0, m.name.as_str(), &body)
            .map_err(xlsx_error)?;
        s.write_with_format(r, 1, m.unit.as_str(), &body)
            .map_err(xlsx_error)?;
        s.write_with_format(r, 2, m.quantity as f64, &body)
            .map_err(xlsx_error)?;
    }
    let r = summary.materials.len() as u32 + 1;
    s.write_with_format(r, 0, "合计", &total)
        .map_err(xlsx_error)?;
    let all: i64 = summary.materials.iter().map(|m| m.quantity).sum();
    s.write_with_format(r, 2, all as f64, &total)
        .map_err(xlsx_error)?;

    super::save_xlsx(path, &mut workbook)?;
    Ok(Exported {
        path: path.display().to_string(),
        count,
    })
}

/// The same rows as CSV, UTF-8 with a BOM and CRLF line ends, as Excel and WPS write CSV on
/// Windows (Notepad before Windows 10 shows LF-only files as one line).
pub fn export_csv(conn: &Connection, path: &Path, filter: &RecordFilter) -> Result<Exported> {
    let nodes = NodeNames::load(conn)?;
    let mut count = 0u32;
    write_atomic(path, |f| {
        let mut out = std::io::BufWriter::new(f);
        out.write_all(b"\xEF\xBB\xBF")
            .map_err(|e| io_error(path, &e))?;
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        let csv_err = |e: csv::Error| AppError::new(ErrorCode::Io, format!("写入 CSV 失败：{e}"));
        w.write_record(HEADERS.iter().map(|(h, _)| *h))
            .map_err(csv_err)?;
        let read = |row: &rusqlite::Row| LedgerRow::read(row, &nodes);
        record::for_each_read_ahead(conn, filter, LEDGER_SELECT, read, |r| {
            count += 1;
            let mut row = vec![count.to_string(), r.date];
            row.extend(r.texts);
            row.extend(r.numbers.iter().map(|n| n.to_string()));
            row.extend([r.materials, r.narrative, r.recorder, r.status.to_string()]);
            w.write_record(&row).map_err(csv_err)
        })?;
        w.flush().map_err(|e| io_error(path, &e))?;
        Ok(())
    })?;
    Ok(Exported {
        path: path.display().to_string(),
        count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use calamine::{open_workbook, Data, Reader, Xlsx};

    /// A record's counts in the 台账's column order (参加人数 … 法律援助).
    fn numbers(r: &record::Record) -> [i64; 10] {
        [
            r.participants,
            r.reach,
            r.consultations,
            r.banners,
            r.boards,
            r.vehicles,
            r.online_posts,
            r.online_views,
            r.disputes,
            r.legal_aid_cases,
        ]
    }

    fn demo() -> Db {
        let mut db = Db::open_in_memory().unwrap();
        crate::demo::load(
            &mut db,
            &crate::demo::DemoInput {
                seed: Some(2),
                year: Some(2026),
                scale: None,
            },
        )
        .unwrap();
        db
    }

    #[test]
    fn the_ledger_workbook_reads_back_cell_by_cell() {
        let db = demo();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("台账.xlsx");
        let filter = RecordFilter {
            from: Some("2026-01-01".into()),
            to: Some("2026-12-31".into()),
            ..Default::default()
        };
        let out = export_xlsx(&db.conn, &path, &filter).unwrap();
        let records = record::list(&db.conn, &filter).unwrap();
        assert_eq!(out.count as usize, records.len());
        let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(
            wb.sheet_names(),
            [
                "活动台账",
                "按普法节点",
                "按活动专项",
                "按村（社区）",
                "资料发放"
            ]
        );
        let detail = wb.worksheet_range("活动台账").unwrap();
        assert_eq!(detail.get((0, 4)), Some(&Data::String("活动名称".into())));
        assert_eq!(
            detail.get((1, 4)),
            Some(&Data::String(records[0].title.clone()))
        );
        assert!(
            matches!(detail.get((1, 1)), Some(Data::DateTime(_))),
            "dates are dates: {:?}",
            detail.get((1, 1))
        );
        assert_eq!(
            detail.get((1, 13)),
            Some(&Data::Float(records[0].reach as f64))
        );
        // Every row's 村/单位, 活动专项, 法律法规 and 发放资料 say what its record holds.
        let text = |row: usize, col: usize| match detail.get((row, col)) {
            Some(Data::String(s)) => s.clone(),
            None | Some(Data::Empty) => String::new(),
            other => panic!("row {row} col {col}: {other:?}"),
        };
        for (i, r) in records.iter().enumerate() {
            let campaigns: Vec<String> = r
                .campaign_ids
                .iter()
                .map(|c| crate::campaign::get(&db.conn, c).unwrap().name)
                .collect();
            let materials: Vec<String> = r
                .materials
                .iter()
                .map(|m| format!("{}{}{}", m.material_name, m.quantity, m.unit))
                .collect();
            assert_eq!(text(i + 1, 3), r.unit_name.clone().unwrap_or_default());
            assert_eq!(text(i + 1, 5), campaigns.join("、"), "row {}", i + 1);
            assert_eq!(text(i + 1, 9), r.laws.join("、"));
            assert_eq!(text(i + 1, 22), materials.join("、"), "row {}", i + 1);
        }
        assert!(records.iter().any(|r| r.materials.len() > 1));

        // An optional count (咨询 … 法律援助) is blank where it is zero, a number elsewhere;
        // 合计 sums it.
        let last = records.len() + 1;
        let optional = (FIRST_OPTIONAL_COUNT..10)
            .find(|&i| {
                records.iter().any(|r| numbers(r)[i] == 0)
                    && records.iter().any(|r| numbers(r)[i] > 0)
            })
            .expect("the demo has an optional count both zero and not");
        let col = 12 + optional;
        for (row, r) in records.iter().enumerate() {
            let n = numbers(r)[optional];
            let cell = detail.get((row + 1, col));
            if n == 0 {
                assert!(matches!(cell, None | Some(Data::Empty)), "{cell:?}");
            } else {
                assert_eq!(cell, Some(&Data::Float(n as f64)));
            }
        }
        let sum: i64 = records.iter().map(|r| numbers(r)[optional]).sum();
        assert_eq!(detail.get((last, col)), Some(&Data::Float(sum as f64)));
        assert_eq!(detail.get((last, 0)), Some(&Data::String("合计".into())));
        let reach: i64 = records.iter().map(|r| r.reach).sum();
        assert_eq!(detail.get((last, 13)), Some(&Data::Float(reach as f64)));
        let villages = wb.worksheet_range("按村（社区）").unwrap();
        let rows = villages.height();
        assert_eq!(
            villages.get((rows - 1, 0)),
            Some(&Data::String("合计".into()))
        );
        let materials = wb.worksheet_range("资料发放").unwrap();
        assert_eq!(materials.get((0, 0)), Some(&Data::String("资料".into())));
    }

    #[test]
    fn csv_starts_with_a_bom_and_an_empty_period_is_valid() {
        let db = demo();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("台账.csv");
        let out = export_csv(&db.conn, &path, &RecordFilter::default()).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.starts_with("序号,日期,时间,村/单位,活动名称"));
        assert_eq!(text.lines().count() as u32, out.count + 1);
        // Every row ends with CRLF (the line terminator only; a line break inside a quoted
        // cell stays as it was written).
        assert!(text.ends_with("\r\n"));
        assert_eq!(text.matches("\r\n").count() as u32, out.count + 1);
        assert_eq!(text.matches('\n').count() as u32, out.count + 1);
        let empty = RecordFilter {
            from: Some("2030-01-01".into()),
            to: Some("2030-01-31".into()),
            ..Default::default()
        };
        let e = export_xlsx(&db.conn, &dir.path().join("空.xlsx"), &empty).unwrap();
        assert_eq!(e.count, 0);
        let reversed = RecordFilter {
            from: Some("2026-12-01".into()),
            to: Some("2026-01-01".into()),
            ..Default::default()
        };
        let err = export_csv(&db.conn, &dir.path().join("坏.csv"), &reversed).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("end_date"));
        assert!(!dir.path().join("坏.csv").exists(), "no half file");
    }
}
