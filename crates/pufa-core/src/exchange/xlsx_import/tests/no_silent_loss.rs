//! The cases that used to lose or double numbers without a word: every sheet read, merged
//! counts counted once, continuation rows joined, sessions told apart, formula errors named,
//! copies without a material's name, and the loose wordings of hand-kept sheets.
use super::*;

fn set(mut row: Row, header: &'static str, v: V) -> Row {
    match row.iter_mut().find(|(h, _)| *h == header) {
        Some(cell) => cell.1 = v,
        None => row.push((header, v)),
    }
    row
}

fn said<'a>(list: &'a [RowError], needle: &str) -> Option<&'a RowError> {
    list.iter().find(|e| e.message.contains(needle))
}

#[test]
fn every_sheet_is_read_and_the_skipped_ones_say_why() {
    let mut town = Town::new();
    let cover = vec![
        vec![s("双龙镇2024年普法活动台账")],
        vec![s("填报单位：司法所")],
    ];
    let main = template_rows(&[
        good(V::D(2024, 3, 15), "安静村", "消费者权益日普法宣传"),
        good(V::D(2024, 3, 16), "石院村", "民法典进村宣讲"),
    ]);
    let more = template_rows(&[
        good(V::D(2024, 3, 20), "双龙社区", "反诈骗宣传进社区"),
        // The first sheet's row again: a duplicate, not a second record.
        good(V::D(2024, 3, 15), "安静村", "消费者权益日普法宣传"),
        set(
            good(V::D(2024, 3, 21), "龙飞村", "宪法进农家"),
            "参加人数",
            s("很多"),
        ),
    ]);
    let summary = vec![
        vec![s("村/社区"), s("活动场次"), s("参加人数"), s("受众人次")],
        vec![s("安静村"), V::N(2.0), V::N(160.0), V::N(400.0)],
    ];
    let path = town.file("四张表.xlsx");
    write_book(
        &path,
        &[
            ("封面", &cover, &[]),
            ("补录", &more, &[]),
            ("汇总", &summary, &[]),
            ("空白", &[], &[]),
            (DATA_SHEET, &main, &[]),
            // The 台账 export's own summary tables.
            ("按村（社区）", &summary, &[]),
        ],
    );
    let p = town.preview(&path).unwrap();
    let sheets: Vec<(&str, u32, Option<&str>)> = p
        .sheets
        .iter()
        .map(|s| (s.name.as_str(), s.rows, s.skipped.as_deref()))
        .collect();
    assert_eq!(sheets.len(), 6, "{sheets:?}");
    assert!(sheets[5].2.unwrap().starts_with("汇总表"), "{sheets:?}");
    assert_eq!(
        sheets[0],
        (DATA_SHEET, 2, None),
        "the template's sheet first"
    );
    assert_eq!(sheets[1], ("封面", 0, Some("封面")));
    assert_eq!(sheets[2], ("补录", 3, None));
    assert!(sheets[3].2.unwrap().starts_with("汇总表"), "{sheets:?}");
    assert_eq!(sheets[4], ("空白", 0, Some("空白工作表")));
    // The same reasons as codes, for the UI's English.
    let codes: Vec<Option<Problem>> = p.sheets.iter().map(|s| s.skip_code).collect();
    assert_eq!(
        codes,
        [
            None,
            Some(Problem::SheetCover),
            None,
            Some(Problem::SheetSummary),
            Some(Problem::SheetBlank),
            Some(Problem::SheetSummary)
        ]
    );
    assert_eq!(
        (p.valid, p.duplicates, p.error_rows),
        (3, 1, 1),
        "{:#?}",
        p.errors
    );
    let e = said(&p.errors, "很多").unwrap();
    assert_eq!((e.sheet.as_str(), e.row), ("补录", 4));
    assert_eq!(
        (e.code, &e.params["shown"]),
        (Problem::NotANumber, &"很多".into())
    );
    assert!(
        e.message.starts_with("“补录”表第4行“参加人数”"),
        "{}",
        e.message
    );
    let dup = p
        .rows
        .iter()
        .find(|r| r.sheet == "补录" && r.row == 3)
        .unwrap();
    assert_eq!(dup.status, RowStatus::Duplicate);

    let r = town.import(&path).unwrap();
    assert_eq!((r.imported, r.duplicates, r.error_rows), (3, 1, 1));
    assert_eq!(r.sheets.len(), 6);
    let titles: Vec<String> = town
        .records_on("2024-03-15", "2024-03-21")
        .into_iter()
        .filter(|r| r.recorder == "张三")
        .map(|r| r.title)
        .collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(titles.contains(&"反诈骗宣传进社区".to_string()));
}

/// A hand-kept sheet's header: 日期 | 村/社区 | 活动名称 | 活动形式 | 参加人数 | 发放资料 | 数量 |
/// 记录人.
fn hand_header() -> Vec<V> {
    [
        "日期",
        "村/社区",
        "活动名称",
        "活动形式",
        "参加人数",
        "发放资料",
        "数量",
        "记录人",
    ]
    .iter()
    .map(|h| s(h))
    .collect()
}

#[test]
fn a_merged_count_is_counted_once_and_merged_text_on_every_row() {
    let mut town = Town::new();
    // A joint event of two villages: date, name, format and people merged over rows 2–3.
    let rows = vec![
        hand_header(),
        vec![
            V::Blank,
            s("安静村"),
            V::Blank,
            V::Blank,
            V::Blank,
            V::Blank,
            V::Blank,
            s("张三"),
        ],
        vec![
            V::Blank,
            s("石院村"),
            V::Blank,
            V::Blank,
            V::Blank,
            V::Blank,
            V::Blank,
            s("张三"),
        ],
    ];
    let path = town.file("联合活动.xlsx");
    write_xlsx(
        &path,
        "Sheet1",
        &rows,
        &[
            (1, 0, 2, 0, "2024-04-15"),
            (1, 2, 2, 2, "全民国家安全教育日联合宣传"),
            (1, 3, 2, 3, "集中宣传"),
            (1, 4, 2, 4, "120"),
        ],
    );
    let p = town.preview(&path).unwrap();
    assert_eq!((p.valid, p.error_rows), (2, 0), "{:#?}", p.errors);
    let w = said(&p.warnings, "与第2行合并").expect("the preview says so");
    assert_eq!(
        (w.code, &w.params["first"]),
        (Problem::MergedNumber, &2.into())
    );
    assert_eq!((w.row, w.column.as_str()), (3, "参加人数"));
    town.import(&path).unwrap();
    let records = town.records_on("2024-04-15", "2024-04-15");
    let people = |unit: &str| {
        records
            .iter()
            .find(|r| r.unit_name.as_deref() == Some(unit))
            .map(|r| (r.title.as_str(), r.participants))
            .unwrap()
    };
    assert_eq!(people("安静村"), ("全民国家安全教育日联合宣传", 120));
    assert_eq!(people("石院村"), ("全民国家安全教育日联合宣传", 0));
    let joint = records
        .iter()
        .filter(|r| r.title == "全民国家安全教育日联合宣传");
    assert_eq!(joint.map(|r| r.participants).sum::<i64>(), 120);
}

#[test]
fn continuation_rows_belong_to_the_activity_above() {
    let mut town = Town::new();
    let rows = vec![
        hand_header(),
        vec![
            s("2024-05-10"),
            s("安静村"),
            s("民法典宣传月启动"),
            s("集中宣传"),
            V::N(100.0),
            s("宪法读本"),
            V::N(20.0),
            s("张三"),
        ],
        // Only a second material: the same activity's.
        vec![
            V::Blank,
            V::Blank,
            V::Blank,
            V::Blank,
            V::Blank,
            s("民法典宣传手册"),
            s("50份"),
        ],
        // Date, village, name and format merged over rows 4–5; the second adds a material.
        vec![
            V::Blank,
            V::Blank,
            V::Blank,
            V::Blank,
            V::N(60.0),
            s("宪法读本"),
            V::N(5.0),
            s("张三"),
        ],
        vec![
            V::Blank,
            V::Blank,
            V::Blank,
            V::Blank,
            V::Blank,
            s("民法典宣传手册"),
            V::N(7.0),
        ],
    ];
    let path = town.file("续行.xlsx");
    write_xlsx(
        &path,
        "Sheet1",
        &rows,
        &[
            (3, 0, 4, 0, "2024-05-11"),
            (3, 1, 4, 1, "石院村"),
            (3, 2, 4, 2, "民法典进院坝"),
            (3, 3, 4, 3, "院坝会"),
        ],
    );
    let p = town.preview(&path).unwrap();
    assert_eq!(
        (p.valid, p.duplicates, p.error_rows, p.continued),
        (2, 0, 0, 2),
        "{:#?}",
        p.errors
    );
    let cont = said(&p.warnings, "第3行没有日期和活动名称，是第2行活动的续行").unwrap();
    assert_eq!(
        (cont.code, &cont.params["first"]),
        (Problem::Continued, &2.into())
    );
    assert_eq!(p.sheets[0].rows, 4);
    town.import(&path).unwrap();
    let hand = |date: &str| {
        let r = town
            .records_on(date, date)
            .into_iter()
            .find(|r| r.recorder == "张三")
            .unwrap();
        let mut m: Vec<(String, i64)> = r
            .materials
            .iter()
            .map(|m| (m.material_name.clone(), m.quantity))
            .collect();
        m.sort();
        m
    };
    assert_eq!(
        hand("2024-05-10"),
        [
            ("宪法读本".to_string(), 20),
            ("民法典宣传手册".to_string(), 50)
        ]
    );
    assert_eq!(
        hand("2024-05-11"),
        [
            ("宪法读本".to_string(), 5),
            ("民法典宣传手册".to_string(), 7)
        ]
    );
}

#[test]
fn two_sessions_of_a_day_are_told_apart_by_place_and_time() {
    let mut town = Town::new();
    let at = |venue: &str, time: &str| {
        set(
            set(
                good(V::D(2024, 6, 1), "安静村", "反诈骗宣传"),
                "地点",
                s(venue),
            ),
            "开始时间",
            s(time),
        )
    };
    let at = |venue: &str, time: &str| set(at(venue, time), "结束时间", V::Blank);
    let path = town.file("两场.xlsx");
    let rows = template_rows(&[
        at("村委会", "9:00"),
        at("文化广场", "9:00"),
        at("村委会", "14:00"),
        at(" 村委会 ", "09:00"),
    ]);
    write_xlsx(&path, "Sheet1", &rows, &[]);
    let p = town.preview(&path).unwrap();
    assert_eq!(
        (p.valid, p.duplicates, p.error_rows),
        (3, 1, 0),
        "{:#?}",
        p.errors
    );
    assert_eq!(p.rows[3].status, RowStatus::Duplicate);
    let r = town.import(&path).unwrap();
    assert_eq!(r.imported, 3);
    // Imported again: each session is found as recorded.
    let p = town.preview(&path).unwrap();
    assert_eq!((p.valid, p.duplicates), (0, 4));
}

#[test]
fn a_formula_error_is_an_error_naming_its_cell() {
    let mut town = Town::new();
    let rows = template_rows(&[
        set(
            good(V::D(2024, 3, 15), "安静村", "x"),
            "活动名称",
            V::E("#REF!".into()),
        ),
        set(
            good(V::D(2024, 3, 16), "安静村", "宪法宣传"),
            "参加人数",
            V::E("#DIV/0!".into()),
        ),
        good(V::D(2024, 3, 17), "安静村", "民法典宣传"),
    ]);
    let path = town.file("公式错误.xlsx");
    write_xlsx(&path, "Sheet1", &rows, &[]);
    let p = town.preview(&path).unwrap();
    assert_eq!((p.valid, p.error_rows), (1, 2), "{:#?}", p.errors);
    let title: Vec<&str> = p
        .errors
        .iter()
        .filter(|e| e.row == 2)
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(
        title,
        ["第2行“活动名称”（F2单元格）是公式错误 #REF!（公式引用的单元格已被删除），请在 Excel 中改正后再导入"]
    );
    let people = said(&p.errors, "K3单元格").unwrap();
    assert!(people.message.contains("#DIV/0!"), "{}", people.message);
    let r = town.import(&path).unwrap();
    assert_eq!(r.imported, 1);
    assert!(town
        .records_on("2024-03-15", "2024-03-17")
        .iter()
        .all(|r| r.title != "#REF!"));
}

/// The hand-outs of the record 张三 recorded on `date`: (material, quantity, unit), sorted.
fn hand(town: &Town, date: &str) -> Vec<(String, i64, String)> {
    let r = town
        .records_on(date, date)
        .into_iter()
        .find(|r| r.recorder == "张三")
        .unwrap();
    let mut m: Vec<(String, i64, String)> = r
        .materials
        .iter()
        .map(|m| (m.material_name.clone(), m.quantity, m.unit.clone()))
        .collect();
    m.sort();
    m
}

#[test]
fn copies_handed_out_without_a_material_name_are_kept() {
    let mut town = Town::new();
    let header = [
        "日期",
        "村/社区",
        "活动名称",
        "活动形式",
        "参加人数",
        "发放资料（份）",
        "记录人",
    ];
    let rows = vec![
        header.iter().map(|h| s(h)).collect::<Vec<_>>(),
        vec![
            s("2024-07-01"),
            s("安静村"),
            s("七一普法"),
            s("集中宣传"),
            V::N(50.0),
            V::N(200.0),
            s("张三"),
        ],
        vec![
            s("2024-07-02"),
            s("石院村"),
            s("普法赶集"),
            s("集中宣传"),
            V::N(40.0),
            s("宪法读本5册、宪法宣传折页100份"),
            s("张三"),
        ],
    ];
    let path = town.file("份数.xlsx");
    write_xlsx(&path, "Sheet1", &rows, &[]);
    let p = town.preview(&path).unwrap();
    assert_eq!((p.valid, p.error_rows), (2, 0), "{:#?}", p.errors);
    assert!(p.ignored_columns.is_empty(), "{:?}", p.ignored_columns);
    let w = said(
        &p.warnings,
        "份数记为“宣传资料”（导入时在“宣传资料”目录中新增这一项）",
    )
    .unwrap();
    assert_eq!((w.row, w.column.as_str()), (2, "发放资料（份）"));
    town.import(&path).unwrap();
    assert_eq!(
        hand(&town, "2024-07-01"),
        [("宣传资料".to_string(), 200, "份".to_string())]
    );
    assert_eq!(
        hand(&town, "2024-07-02"),
        [
            ("宪法宣传折页".to_string(), 100, "份".to_string()),
            ("宪法读本".to_string(), 5, "册".to_string())
        ]
    );

    // Beside a column naming the material, 发放数量（份） is its quantity.
    let header = [
        "日期",
        "村/社区",
        "活动名称",
        "活动形式",
        "参加人数",
        "资料名称",
        "发放数量（份）",
        "记录人",
    ];
    let rows = vec![
        header.iter().map(|h| s(h)).collect::<Vec<_>>(),
        vec![
            s("2024-07-03"),
            s("安静村"),
            s("宪法宣传"),
            s("集中宣传"),
            V::N(30.0),
            s("宪法宣传折页"),
            V::N(80.0),
            s("张三"),
        ],
    ];
    let path = town.file("资料名称.xlsx");
    write_xlsx(&path, "Sheet1", &rows, &[]);
    town.import(&path).unwrap();
    assert_eq!(
        hand(&town, "2024-07-03"),
        [("宪法宣传折页".to_string(), 80, "份".to_string())]
    );
}

/// Copies without a name beside a named material: the row's first quantity has its name, the
/// second column only copies. Both are kept (the copies were dropped when the row's first
/// filled quantity had a name).
#[test]
fn copies_without_a_name_beside_a_named_material_are_kept() {
    let mut town = Town::new();
    let header = [
        "日期",
        "村/社区",
        "活动名称",
        "活动形式",
        "参加人数",
        "资料名称",
        "数量",
        "发放资料（份）",
        "记录人",
    ];
    let rows = vec![
        header.iter().map(|h| s(h)).collect::<Vec<_>>(),
        vec![
            s("2024-08-01"),
            s("安静村"),
            s("八一普法"),
            s("集中宣传"),
            V::N(50.0),
            s("宪法读本"),
            V::N(5.0),
            V::N(120.0),
            s("张三"),
        ],
    ];
    let path = town.file("两种资料.xlsx");
    write_xlsx(&path, "Sheet1", &rows, &[]);
    let p = town.preview(&path).unwrap();
    assert_eq!((p.valid, p.error_rows), (1, 0), "{:#?}", p.errors);
    assert!(p.ignored_columns.is_empty(), "{:?}", p.ignored_columns);
    assert!(
        said(&p.warnings, "份数记为“宣传资料”").is_some(),
        "{:#?}",
        p.warnings
    );
    town.import(&path).unwrap();
    assert_eq!(
        hand(&town, "2024-08-01"),
        [
            ("宣传资料".to_string(), 120, "份".to_string()),
            ("宪法读本".to_string(), 5, "册".to_string())
        ]
    );
}

#[test]
fn the_wordings_of_hand_kept_sheets_are_understood() {
    let mut town = Town::new();
    let header = [
        "序号",
        "时间",
        "地点",
        "活动内容",
        "参加人员",
        "人数",
        "村",
        "形式",
        "记录人",
        "备注",
    ];
    let rows = vec![
        header.iter().map(|h| s(h)).collect::<Vec<_>>(),
        vec![
            V::N(1.0),
            s("2024年8月1日"),
            s("村委会"),
            s("八一普法进军营"),
            s("村民"),
            V::N(45.0),
            s("安静村"),
            s("讲座"),
            s("张三"),
            s("已归档"),
        ],
    ];
    let path = town.file("手工.xlsx");
    write_xlsx(&path, "Sheet1", &rows, &[]);
    let p = town.preview(&path).unwrap();
    assert_eq!((p.valid, p.error_rows), (1, 0), "{:#?}", p.errors);
    assert_eq!(p.ignored_columns, ["序号", "备注"]);
    town.import(&path).unwrap();
    let r = town
        .records_on("2024-08-01", "2024-08-01")
        .into_iter()
        .find(|r| r.recorder == "张三")
        .unwrap();
    assert_eq!((r.title.as_str(), r.participants), ("八一普法进军营", 45));
    assert_eq!(r.audiences, [Audience::Residents]);

    // 日期 and 时间 side by side: 时间 is the time of day, a range setting both ends.
    let header = [
        "日期",
        "时间",
        "村/社区",
        "活动主题",
        "活动形式",
        "受众人数",
        "参加人数",
        "记录人",
    ];
    let rows = vec![
        header.iter().map(|h| s(h)).collect::<Vec<_>>(),
        vec![
            s("2024-08-02"),
            s("9:30—11:00"),
            s("石院村"),
            s("防溺水安全教育"),
            s("讲座"),
            V::N(300.0),
            V::N(120.0),
            s("张三"),
        ],
    ];
    let path = town.file("时间.xlsx");
    write_xlsx(&path, "Sheet1", &rows, &[]);
    let p = town.preview(&path).unwrap();
    assert_eq!((p.valid, p.error_rows), (1, 0), "{:#?}", p.errors);
    town.import(&path).unwrap();
    let r = town
        .records_on("2024-08-02", "2024-08-02")
        .into_iter()
        .find(|r| r.recorder == "张三")
        .unwrap();
    assert_eq!(
        (
            r.start_time.as_deref(),
            r.end_time.as_deref(),
            r.reach,
            r.participants
        ),
        (Some("09:30"), Some("11:00"), 300, 120)
    );
}

#[test]
fn a_village_or_format_missing_from_the_whole_sheet_is_asked_once() {
    let mut town = Town::new();
    let header = ["日期", "活动名称", "参加人数", "记录人"];
    let rows = vec![
        header.iter().map(|h| s(h)).collect::<Vec<_>>(),
        vec![s("2024-09-01"), s("开学第一课"), V::N(200.0), s("张三")],
        vec![s("2024-09-02"), s("防欺凌讲座"), V::N(150.0), s("张三")],
    ];
    let path = town.file("学校.xlsx");
    write_xlsx(&path, "Sheet1", &rows, &[]);
    // Not refused: the preview asks for the two values.
    let p = town.preview(&path).unwrap();
    assert_eq!(p.asks, ["village", "format"]);
    assert_eq!((p.valid, p.error_rows), (0, 2));
    let asked = said(&p.errors, "这张表没有“村/社区”列").unwrap();
    assert_eq!(asked.code, Problem::NoVillageColumn);
    let asked = ImportAsked {
        village: Some("安静".into()),
        format: Some("讲座".into()),
        ..Default::default()
    };
    let p = preview(&town.db.conn, &path, &asked, &mut |_, _| true).unwrap();
    assert_eq!((p.valid, p.error_rows), (2, 0), "{:#?}", p.errors);
    assert_eq!(p.rows[0].unit, "安静村");
    let wrong = ImportAsked {
        village: Some("不存在村".into()),
        ..Default::default()
    };
    let e = preview(&town.db.conn, &path, &wrong, &mut |_, _| true).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("village"));
    let r = import(&mut town.db, &path, &asked, &mut |_, _| true).unwrap();
    assert_eq!(r.imported, 2);
    let rec = town
        .records_on("2024-09-01", "2024-09-01")
        .into_iter()
        .find(|r| r.recorder == "张三")
        .unwrap();
    assert_eq!(rec.unit_name.as_deref(), Some("安静村"));
    assert_eq!(rec.formats, [ActivityFormat::Lecture]);
}

/// The backup before an import is made beside it and kept only when the import changes data:
/// a sheet of errors or of rows already there leaves the backups as they were (no file, no
/// temporary one); a sheet that adds rows leaves one more, holding the data as it was.
#[test]
fn the_backup_before_an_import_is_kept_only_when_data_changes() {
    let mut town = Town::new();
    let data_dir = town.db.data_dir.clone().unwrap();
    let folder = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(data_dir.join(crate::backup::BACKUPS_DIR))
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    let records = |town: &Town| -> i64 {
        town.db
            .conn
            .query_row("SELECT count(*) FROM record", [], |r| r.get(0))
            .unwrap()
    };
    let before = folder();
    let header = [
        "日期",
        "村/社区",
        "活动名称",
        "活动形式",
        "参加人数",
        "记录人",
    ];
    let row = |date: &str, people: V| {
        vec![
            s(date),
            s("安静村"),
            s("备份之前"),
            s("集中宣传"),
            people,
            s("张三"),
        ]
    };
    let sheet = |name: &str, rows: Vec<Vec<V>>| {
        let mut all = vec![header.iter().map(|h| s(h)).collect::<Vec<_>>()];
        all.extend(rows);
        let path = town.file(name);
        write_xlsx(&path, "Sheet1", &all, &[]);
        path
    };
    let errors = sheet("错误.xlsx", vec![row("2024-13-40", s("很多"))]);
    let good = sheet("正确.xlsx", vec![row("2024-09-09", V::N(30.0))]);
    let r = town.import(&errors).unwrap();
    assert_eq!((r.imported, r.error_rows), (0, 1));
    assert_eq!(folder(), before, "nothing changed, no backup");
    let had = records(&town);
    let r = town.import(&good).unwrap();
    assert_eq!(r.imported, 1);
    let made = crate::backup::list(&data_dir).unwrap();
    assert_eq!(folder().len(), before.len() + 1, "{:?}", folder());
    assert_eq!(made[0].kind, crate::backup::BackupKind::BeforeImport);
    assert_eq!(made[0].records, had, "the data as it was before the import");
    assert_eq!(records(&town), had + 1);
    // The same sheet again adds nothing: no backup either.
    let r = town.import(&good).unwrap();
    assert_eq!((r.imported, r.duplicates), (0, 1));
    assert_eq!(folder().len(), before.len() + 1, "{:?}", folder());
}
