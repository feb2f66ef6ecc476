//! The whole audit trail (全过程留痕) as an Excel workbook: one sheet 操作记录 with a row per
//! changed field — who, when (a real Excel date-time in the computer's local time), what, the
//! action, and the value before and after in words (codes as their Chinese labels, ids as
//! names). An entry without field changes (a note, an attachment) is one row with its summary.
//!
//! Rows are streamed from the database into a constant-memory worksheet: memory does not grow
//! with the length of the trail. The lines are the trail's in words ([`crate::trail`]), as the
//! window's history panel shows them: bookkeeping fields are left out, a creation lists what was
//! entered and a deletion what was removed.

use super::{xlsx_error, Exported};
use crate::audit;
use crate::error::{AppError, ErrorCode, Result};
use crate::trail::{self, ChangeLine, LineValue, Names};
use crate::validate;
use chrono::{
    DateTime, Datelike, Days, Local, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Timelike,
    Utc,
};
use rusqlite::Connection;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use std::path::Path;

/// The sheet's name.
pub const SHEET: &str = "操作记录";

/// Column headers and widths (in characters).
const HEADERS: &[(&str, f64)] = &[
    ("时间", 19.0),
    ("操作人", 9.0),
    ("角色", 11.0),
    ("对象类型", 11.0),
    ("对象", 22.0),
    ("操作", 9.0),
    ("字段", 11.0),
    ("原值", 30.0),
    ("新值", 30.0),
    ("摘要", 32.0),
];
/// The columns whose text wraps: the object, the values and the summary.
const WRAPPED: [usize; 4] = [4, 7, 8, 9];
/// The height of one line of 11-point text, in points.
const LINE_HEIGHT: f64 = 15.0;
/// The tallest row Excel allows, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// Excel's last row (1,048,576 rows, the header included).
const MAX_ROWS: u32 = 1_048_575;
/// Excel refuses longer cell texts (32,767 characters).
const MAX_CELL: usize = 32_000;
/// The UTC instant (in the stored form) of a local day's midnight.
fn local_midnight(d: NaiveDate) -> String {
    let naive = d.and_hms_opt(0, 0, 0).expect("midnight exists");
    let utc = match Local.from_local_datetime(&naive).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => naive.and_utc(),
    };
    utc.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The optional period as stored instants: from the local midnight of `since` up to (not
/// including) the local midnight after `until`. Bad dates name `start_date` / `end_date`.
fn bounds(since: Option<&str>, until: Option<&str>) -> Result<(Option<String>, Option<String>)> {
    let day = |field: &str, v: Option<&str>| -> Result<Option<NaiveDate>> {
        v.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| validate::date(field, s))
            .transpose()
    };
    let from = day("start_date", since)?;
    let to = day("end_date", until)?;
    if let (Some(a), Some(b)) = (from, to) {
        validate::date_range(a, b)?;
    }
    Ok((
        from.map(local_midnight),
        to.and_then(|d| d.checked_add_days(Days::new(1)))
            .map(local_midnight),
    ))
}

/// A stored instant in the computer's local time.
fn local_time(at: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(at)
        .ok()
        .map(|t| t.with_timezone(&Local).naive_local())
}

fn excel_time(t: NaiveDateTime) -> std::result::Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)?.and_hms(
        t.hour() as u16,
        t.minute() as u8,
        t.second(),
    )
}

/// How many lines a text takes in a wrapped column `width` characters wide: Chinese characters
/// are two units wide, others one. (Row heights are set from it: not every program grows a row
/// for wrapped text by itself.)
fn line_count(text: &str, width: f64) -> usize {
    let per_line = (width - 1.0).max(1.0);
    text.split('\n')
        .map(|seg| {
            let units: usize = seg.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
            ((units as f64 / per_line).ceil() as usize).max(1)
        })
        .sum()
}

/// A cell's text, clipped to what Excel accepts.
fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_CELL || s.chars().count() <= MAX_CELL {
        return s.into();
    }
    let mut t: String = s.chars().take(MAX_CELL).collect();
    t.push('…');
    t.into()
}

/// Writes the trail of the period (local dates, both optional and inclusive) to `path`;
/// `count` is the number of rows below the header.
pub fn export(
    conn: &Connection,
    path: &Path,
    since: Option<&str>,
    until: Option<&str>,
) -> Result<Exported> {
    let (from, to) = bounds(since, until)?;
    let names = Names::load(conn)?;
    let mut workbook = Workbook::new();
    let head = super::header_format();
    let body = Format::new()
        .set_font_name("宋体")
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let wrap = body.clone().set_text_wrap();
    let time = body
        .clone()
        .set_align(FormatAlign::Left)
        .set_num_format("yyyy-mm-dd hh:mm:ss");
    let formats: Vec<&Format> = (0..HEADERS.len())
        .map(|c| match c {
            0 => &time,
            c if WRAPPED.contains(&c) => &wrap,
            _ => &body,
        })
        .collect();

    let mut count = 0u32;
    {
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        sheet.set_name(SHEET).map_err(xlsx_error)?;
        for (c, (h, w)) in HEADERS.iter().enumerate() {
            sheet
                .write_with_format(0, c as u16, *h, &head)
                .map_err(xlsx_error)?;
            sheet.set_column_width(c as u16, *w).map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        sheet.set_landscape().set_paper_size(9);
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(0, 0).map_err(xlsx_error)?;
        sheet.set_footer("&C第 &P 页，共 &N 页");

        audit::for_each(conn, from.as_deref(), to.as_deref(), |e, role| {
            let who = [
                e.user_name.clone(),
                role.map(|r| r.label().to_string()).unwrap_or_default(),
                audit::entity_label(&e.entity).to_string(),
                trail::object_name(conn, &names, &e),
                audit::action_label(&e.action).to_string(),
            ];
            let at = local_time(&e.at);
            let mut lines = trail::lines_with(conn, &names, &e);
            if lines.is_empty() {
                lines.push(ChangeLine {
                    field: String::new(),
                    label: String::new(),
                    before: LineValue::blank(),
                    after: LineValue::blank(),
                });
            }
            for line in lines {
                if count >= MAX_ROWS {
                    return Err(AppError::field(
                        ErrorCode::InvalidValue,
                        "start_date",
                        format!(
                            "操作记录超过一个 Excel 工作表能容纳的 {MAX_ROWS} 行，请缩小日期范围分几次导出"
                        ),
                    ));
                }
                count += 1;
                let row = count;
                let texts = [
                    who[0].as_str(),
                    who[1].as_str(),
                    who[2].as_str(),
                    who[3].as_str(),
                    who[4].as_str(),
                    line.label.as_str(),
                    line.before.text.as_str(),
                    line.after.text.as_str(),
                    e.summary.as_str(),
                ];
                // texts[c - 1] is column c (column 0 is the time).
                let tallest = WRAPPED
                    .iter()
                    .map(|&c| line_count(texts[c - 1], HEADERS[c].1))
                    .max()
                    .unwrap_or(1);
                if tallest > 1 {
                    let height = (tallest as f64 * LINE_HEIGHT).min(MAX_ROW_HEIGHT);
                    sheet.set_row_height(row, height).map_err(xlsx_error)?;
                }
                match at.map(excel_time) {
                    Some(Ok(t)) => sheet.write_datetime_with_format(row, 0, &t, formats[0]),
                    _ => sheet.write_with_format(row, 0, e.at.as_str(), formats[0]),
                }
                .map_err(xlsx_error)?;
                for (i, t) in texts.into_iter().enumerate() {
                    let c = i + 1;
                    sheet
                        .write_with_format(row, c as u16, cell(t).as_ref(), formats[c])
                        .map_err(xlsx_error)?;
                }
            }
            Ok(())
        })?;
        sheet
            .autofilter(0, 0, count, HEADERS.len() as u16 - 1)
            .map_err(xlsx_error)?;
    }

    super::save_xlsx(path, &mut workbook)?;
    Ok(Exported {
        path: path.display().to_string(),
        count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::dispatch;
    use crate::audit::AuditFilter;
    use calamine::{open_workbook, Data, Reader, Xlsx};
    use serde_json::{json, Value};

    /// 双龙镇 with a coordinator, a campaign created and moved by a day, a person, a material
    /// with stock, and a record returned by the reviewer.
    fn town_with_changes() -> crate::db::Db {
        let mut db = crate::testing::town(&["安静村", "石院村"], &[]);
        let mut run = |raw: Value| dispatch(&mut db, raw).unwrap();
        run(json!({"cmd": "update_user", "args": {"name": "李明", "role": "coordinator"}}));
        let c = run(
            json!({"cmd": "campaign_create", "args": {"name": "宪法宣传周", "kind": "national",
            "start_date": "2026-12-01", "end_date": "2026-12-07", "audiences": ["residents"]}}),
        );
        run(
            json!({"cmd": "campaign_update", "args": {"id": c["id"], "input": {"name": "宪法宣传周",
            "kind": "national", "start_date": "2026-12-01", "end_date": "2026-12-08",
            "audiences": ["residents", "students"]}}}),
        );
        run(json!({"cmd": "person_create", "args": {"name": "王律师", "role": "lawyer"}}));
        run(json!({"cmd": "material_create", "args": {"name": "宪法读本", "unit": "册"}}));
        run(
            json!({"cmd": "stock_receive", "args": {"material": "宪法读本", "quantity": 100,
            "date": "2026-11-01"}}),
        );
        let rec = run(
            json!({"cmd": "record_create", "args": {"title": "宪法进院坝",
            "date": "2026-11-10", "unit_id": "安静村", "formats": ["courtyard_meeting"],
            "participants": 40, "recorder": "李明", "campaign_ids": [c["id"]]}}),
        );
        run(
            json!({"cmd": "record_review", "args": {"id": rec["id"], "action": "reopen",
            "comment": "人数有误"}}),
        );
        db
    }

    fn text(r: &calamine::Range<Data>, row: usize, col: usize) -> String {
        match r.get((row, col)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn the_trail_reads_back_one_row_per_changed_field() {
        let db = town_with_changes();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("操作记录.xlsx");
        let out = export(&db.conn, &path, None, None).unwrap();

        // Oldest first; every entry gives its lines, or one row when it has none.
        let mut entries = audit::list(&db.conn, &AuditFilter::default()).unwrap();
        entries.reverse();
        let per_entry: Vec<usize> = entries
            .iter()
            .map(|e| trail::lines(&db.conn, e).unwrap().len().max(1))
            .collect();
        let expected: usize = per_entry.iter().sum();
        assert_eq!(out.count as usize, expected);
        assert!(expected > entries.len(), "entries with several fields");

        let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(wb.sheet_names(), [SHEET]);
        let sheet = wb.worksheet_range(SHEET).unwrap();
        let headers: Vec<String> = (0..HEADERS.len()).map(|c| text(&sheet, 0, c)).collect();
        assert_eq!(
            headers,
            [
                "时间",
                "操作人",
                "角色",
                "对象类型",
                "对象",
                "操作",
                "字段",
                "原值",
                "新值",
                "摘要"
            ]
        );
        assert_eq!(sheet.height(), expected + 1);
        for r in 1..sheet.height() {
            assert!(
                matches!(sheet.get((r, 0)), Some(Data::DateTime(_))),
                "row {r}: time is a date-time: {:?}",
                sheet.get((r, 0))
            );
        }

        // The campaign's edit: one row per changed field, with the values in words.
        let rows: Vec<usize> = (1..sheet.height())
            .filter(|&r| text(&sheet, r, 3) == "活动专项" && text(&sheet, r, 5) == "修改")
            .collect();
        let fields: Vec<String> = rows.iter().map(|&r| text(&sheet, r, 6)).collect();
        assert_eq!(fields, ["结束日期", "宣传对象"]);
        let end = rows[0];
        assert_eq!(text(&sheet, end, 7), "2026年12月7日");
        assert_eq!(text(&sheet, end, 8), "2026年12月8日");
        assert_eq!(text(&sheet, rows[1], 7), "村(居)民");
        assert_eq!(text(&sheet, rows[1], 8), "村(居)民、青少年学生");
        assert_eq!(text(&sheet, end, 1), "李明");
        assert_eq!(text(&sheet, end, 2), "普法协调员");
        assert_eq!(text(&sheet, end, 4), "宪法宣传周");
        assert_eq!(text(&sheet, end, 9), "修改活动专项“宪法宣传周”");

        // The campaign edit's time is the entry's, in local time.
        let edit = entries
            .iter()
            .find(|e| e.entity == "campaign" && e.action == "update")
            .unwrap();
        let want = local_time(&edit.at).unwrap();
        let Some(Data::DateTime(got)) = sheet.get((end, 0)) else {
            unreachable!()
        };
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let serial = (want - epoch).num_milliseconds() as f64 / 86_400_000.0;
        assert!(
            (got.as_f64() - serial).abs() * 86_400.0 < 1.0,
            "{} vs {serial} ({want})",
            got.as_f64()
        );

        // The review: the reason and the new status, ids as names, codes as labels.
        let reopen: Vec<usize> = (1..sheet.height())
            .filter(|&r| text(&sheet, r, 5) == "重新打开")
            .collect();
        let pairs: Vec<(String, String, String)> = reopen
            .iter()
            .map(|&r| (text(&sheet, r, 6), text(&sheet, r, 7), text(&sheet, r, 8)))
            .collect();
        assert!(pairs.contains(&("审核状态".into(), "已通过".into(), "待审核".into())));
        assert!(pairs.contains(&("审核意见".into(), "录入即审核".into(), "人数有误".into())));
        let created = (1..sheet.height())
            .find(|&r| text(&sheet, r, 3) == "活动记录" && text(&sheet, r, 6) == "村/单位")
            .unwrap();
        assert_eq!(text(&sheet, created, 5), "新建");
        assert_eq!(text(&sheet, created, 7), "", "a creation has no before");
        assert_eq!(text(&sheet, created, 8), "安静村");
        let campaigns = (1..sheet.height())
            .find(|&r| text(&sheet, r, 3) == "活动记录" && text(&sheet, r, 6) == "所属专项")
            .unwrap();
        assert_eq!(text(&sheet, campaigns, 8), "宪法宣传周");
        // No bookkeeping fields.
        assert!((1..sheet.height())
            .all(|r| !["id", "updated_at", "unit_name"].contains(&text(&sheet, r, 6).as_str())));
    }

    #[test]
    fn a_period_keeps_its_days_and_bad_input_names_the_field() {
        let db = town_with_changes();
        let dir = tempfile::tempdir().unwrap();
        let today = Local::now().date_naive().to_string();
        let all = export(&db.conn, &dir.path().join("全部.xlsx"), None, None).unwrap();
        let period = export(
            &db.conn,
            &dir.path().join("今天.xlsx"),
            Some(&today),
            Some(&today),
        )
        .unwrap();
        assert_eq!(period.count, all.count, "everything happened today");
        let later = export(
            &db.conn,
            &dir.path().join("以后.xlsx"),
            Some("2099-01-01"),
            Some("2099年12月31日"),
        )
        .unwrap();
        assert_eq!(later.count, 0);
        let wb: Xlsx<_> = open_workbook(dir.path().join("以后.xlsx")).unwrap();
        assert_eq!(wb.sheet_names(), [SHEET]);

        let target = dir.path().join("坏.xlsx");
        let e = export(&db.conn, &target, Some("2026-13-01"), None).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidDate, Some("start_date"))
        );
        assert!(e.message.contains("不是有效日期"), "{}", e.message);
        let e = export(&db.conn, &target, None, Some("明天")).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("end_date"));
        let e = export(&db.conn, &target, Some("2026-12-01"), Some("2026-11-01")).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::DateOrder, Some("end_date"))
        );
        let e = export(&db.conn, &dir.path().join("没有/这里.xlsx"), None, None).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::Io, Some("path")));
        assert!(e.message.contains("不存在"), "{}", e.message);
        let e = export(&db.conn, dir.path(), None, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("path"));
        assert!(!target.exists(), "no half file");
    }

    #[test]
    fn cells_are_clipped_and_rows_sized() {
        assert_eq!(cell(&"长".repeat(40_000)).chars().count(), MAX_CELL + 1);
        assert_eq!(cell(&"长".repeat(20_000)).chars().count(), 20_000);
        assert_eq!(line_count("宪法宣传周", 11.0), 1);
        assert_eq!(line_count(&"宪".repeat(20), 11.0), 4);
        assert_eq!(line_count("一\n二", 30.0), 2);
    }
}
