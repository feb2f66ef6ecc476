use super::*;
use crate::export::fixture::plan;
use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use std::path::PathBuf;

fn made() -> NaiveDate {
    iso_date("2026-11-27").unwrap()
}

fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => panic!("unexpected cell ({row}, {col}): {other:?}"),
    }
}

fn row(range: &Range<Data>, r: u32, columns: usize) -> Vec<String> {
    (0..columns as u32).map(|c| text(range, r, c)).collect()
}

fn write_sample(dir: &Path) -> (crate::export::fixture::Plan, PathBuf, Exported) {
    let p = plan();
    let path = dir.join("双龙镇2027年普法工作计划表.xlsx");
    let out = export_on(&p.db.conn, &path, 2027, made()).unwrap();
    (p, path, out)
}

#[test]
fn the_plan_sheet_has_title_headers_one_row_per_activity_and_totals() {
    let dir = tempfile::tempdir().unwrap();
    let (p, path, out) = write_sample(dir.path());
    // 4 village activities, the lecture, the postponed and the cancelled one; not 2026's.
    assert_eq!(out.count, 7);
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), [PLAN_SHEET, CAMPAIGN_SHEET, NODE_SHEET]);
    let s = wb.worksheet_range(PLAN_SHEET).unwrap();
    assert_eq!(text(&s, 0, 0), "双龙镇2027年普法工作计划表");
    assert_eq!(text(&s, 1, 0), "制表日期：2026年11月27日");
    let headers: Vec<&str> = PLAN_COLUMNS.iter().map(|(h, _)| *h).collect();
    assert_eq!(
        headers,
        [
            "序号",
            "日期",
            "时间",
            "活动专项",
            "活动名称",
            "村/单位",
            "场所",
            "活动形式",
            "宣传对象",
            "法律法规",
            "负责人",
            "协办单位",
            "计划发放资料",
            "预计人数",
            "状态"
        ]
    );
    assert_eq!(row(&s, 2, headers.len()), headers);

    // Data rows 3..=9, by date, numbered; then the totals row and nothing after it.
    let titles: Vec<String> = (3..10).map(|r| text(&s, r, 4)).collect();
    let mut expected: Vec<(String, String)> = p
        .week
        .activities
        .iter()
        .chain([&p.lecture, &p.postponed, &p.cancelled])
        .map(|a| (a.date.clone(), a.title.clone()))
        .collect();
    expected.sort();
    assert_eq!(
        titles,
        expected.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>()
    );
    assert_eq!(
        (3..10).map(|r| text(&s, r, 0)).collect::<Vec<_>>(),
        ["1", "2", "3", "4", "5", "6", "7"]
    );
    assert_eq!(
        text(&s, 10, 0),
        "合计：活动 5 场，预计受众 320 人次（已取消、已延期的 2 场未计入）"
    );
    assert_eq!(s.end(), Some((10, 14)), "no stray cells");

    // The lecture row, cell by cell.
    let lecture = row(&s, 4, headers.len());
    assert_eq!(
        lecture,
        [
            "2",
            "5月20日（周四）",
            "全天",
            "",
            "“美好生活·民法典相伴”主题法治讲座暨以案释法",
            "安静村",
            "村委会二楼会议室",
            "法治讲座、以案释法",
            "村(居)民、老年人",
            "民法典、老年人权益保障法",
            "李四",
            "镇妇联、派出所",
            "民法典读本50册、宣传折页200份",
            "80",
            "计划中"
        ]
    );
    // A village row of the 宪法宣传周.
    let dec1 = (3..10)
        .find(|r| text(&s, *r, 1) == "12月1日（周三）")
        .expect("an activity on 2027-12-01, a Wednesday");
    let village = row(&s, dec1, headers.len());
    assert_eq!(village[2], "09:00—11:30");
    assert_eq!(village[3], "2027年“宪法宣传周”集中宣传活动");
    assert_eq!(village[6], "院坝");
    assert_eq!(village[12], "宪法读本30册、宪法宣传折页100份");
    assert_eq!(village[13], "60");
    // Cancelled and postponed rows say so, with the reason.
    assert_eq!(text(&s, 3, 14), "已取消（与镇人代会冲突）");
    assert_eq!(text(&s, 5, 14), "已延期（暴雨预警）");

    // Title, subtitle and totals span the table.
    let merged = wb.worksheet_merge_cells(PLAN_SHEET).unwrap().unwrap();
    for r in [0, 1, 10] {
        assert!(
            merged.iter().any(|m| m.start == (r, 0) && m.end == (r, 14)),
            "row {r} merged: {merged:?}"
        );
    }
}

#[test]
fn the_campaign_and_node_sheets_list_the_year() {
    let dir = tempfile::tempdir().unwrap();
    let (p, path, _) = write_sample(dir.path());
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();

    let s = wb.worksheet_range(CAMPAIGN_SHEET).unwrap();
    assert_eq!(text(&s, 0, 0), "双龙镇2027年普法活动专项");
    assert_eq!(
        row(&s, 2, 10),
        [
            "序号",
            "名称",
            "类型",
            "起止日期",
            "普法节点",
            "宣传对象",
            "法律/主题",
            "牵头单位",
            "活动数",
            "覆盖村（社区）/学校"
        ]
    );
    let c = row(&s, 3, 10);
    assert_eq!(c[1], p.week.campaign.name);
    assert_eq!(c[2], "国家节点");
    assert_eq!(c[3], "12月1日—12月7日");
    assert!(
        c[4].contains("宪法宣传周") && c[4].contains("12·4国家宪法日"),
        "{}",
        c[4]
    );
    assert_eq!(c[5], "村(居)民、村(社区)两委干部、青少年学生");
    assert_eq!(c[8], "4");
    assert_eq!(c[9], "4/4", "all four villages/communities reached");
    assert_eq!(s.end().map(|(r, _)| r), Some(3), "one campaign in 2027");

    let s = wb.worksheet_range(NODE_SHEET).unwrap();
    assert_eq!(text(&s, 0, 0), "2027年普法节点");
    assert_eq!(
        row(&s, 2, 8),
        ["序号", "名称", "日期", "规则", "法律", "对象", "主题", "文号"]
    );
    let nodes = keydates::for_year(&p.db.conn, 2027).unwrap();
    assert_eq!(s.end().map(|(r, _)| r), Some(2 + nodes.len() as u32));
    let day = (3..3 + nodes.len() as u32)
        .find(|r| text(&s, *r, 1) == "12·4国家宪法日")
        .expect("the constitution day");
    assert_eq!(text(&s, day, 2), "12月4日（周六）");
    assert!(text(&s, day, 4).contains("宪法"));
    let week = (3..3 + nodes.len() as u32)
        .find(|r| text(&s, *r, 1) == "宪法宣传周")
        .unwrap();
    assert_eq!(text(&s, week, 2), "12月1日—12月7日（待公布）");
    assert!(
        text(&s, week, 6).starts_with("（沿用2025年，待确认）"),
        "{}",
        text(&s, week, 6)
    );
}

#[test]
fn a_year_without_activities_still_has_its_table_and_bad_years_are_refused() {
    let p = plan();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2030.xlsx");
    let out = export_on(&p.db.conn, &path, 2030, made()).unwrap();
    assert_eq!(out.count, 0);
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let s = wb.worksheet_range(PLAN_SHEET).unwrap();
    assert_eq!(text(&s, 2, 0), "序号");
    assert_eq!(text(&s, 3, 0), "合计：活动 0 场，预计受众 0 人次");

    let e = export(&p.db.conn, &dir.path().join("1899.xlsx"), 1899).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("year"));
    assert!(!dir.path().join("1899.xlsx").exists());
}

#[test]
fn an_existing_plan_file_is_replaced_whole() {
    let p = plan();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.xlsx");
    std::fs::write(&path, "not a workbook").unwrap();
    export_on(&p.db.conn, &path, 2027, made()).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert!(wb.worksheet_range(PLAN_SHEET).is_ok());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn row_heights_grow_with_wrapped_text() {
    assert_eq!(lines_needed("全天", 12.0), 1);
    assert_eq!(lines_needed("09:00—11:30", 12.0), 2);
    assert_eq!(lines_needed("09:00—11:30", 13.0), 1);
    assert_eq!(lines_needed("12月12日（周六）", 17.0), 1);
    assert_eq!(lines_needed(&"宪".repeat(20), 12.0), 4);
    assert_eq!(lines_needed("一\n二\n三", 24.0), 3);
    assert_eq!("宪法 “Law”".chars().map(char_width).sum::<f64>(), 12.0);
    // Every column fits its header in at most two lines.
    for (h, w) in PLAN_COLUMNS {
        assert!(lines_needed(h, *w) <= 2, "{h}");
    }
}

/// Writes a sample to look at: `cargo test -p pufa-core write_sample_plan -- --ignored`,
/// then `soffice --headless --convert-to pdf --outdir /tmp/x /tmp/pufa-sample/*.xlsx`.
#[test]
#[ignore]
fn write_sample_plan() {
    let dir = std::env::var_os("PUFA_SAMPLE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("pufa-sample"));
    std::fs::create_dir_all(&dir).unwrap();
    let (p, path, _) = write_sample(&dir);
    crate::export::ics::export(&p.db.conn, &dir.join("双龙镇普法活动计划.ics"), None).unwrap();
    println!("{}", path.display());
    // The demo town: 21 villages and a year of campaigns, for a realistic page.
    let mut demo = crate::Db::open_in_memory().unwrap();
    crate::demo::load_town(&mut demo, 7, 2026);
    let path = dir.join("示例乡镇2026年普法工作计划表.xlsx");
    let out = export_on(&demo.conn, &path, 2026, made()).unwrap();
    println!("{} ({} rows)", path.display(), out.count);
}
