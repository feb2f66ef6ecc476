use super::*;
use crate::exchange::{template, COLUMNS};
use crate::record::{RecordFilter, ReviewStatus};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::io::Write;
use std::path::PathBuf;

/// A value to write into a test workbook.
#[derive(Debug, Clone)]
enum V {
    S(String),
    N(f64),
    /// A real date cell.
    D(u16, u8, u8),
    /// A time-of-day cell (fraction of a day).
    T(f64),
    /// A formula whose cached value is this error (#REF! …).
    E(String),
    Blank,
}

fn s(x: &str) -> V {
    V::S(x.to_string())
}

/// Writes `rows` (the first is sheet row 1) to an .xlsx with rust_xlsxwriter; `merge` lists
/// areas (first row, first col, last row, last col, text) to merge.
fn write_xlsx(path: &Path, sheet: &str, rows: &[Vec<V>], merge: &[(u32, u16, u32, u16, &str)]) {
    write_book(path, &[(sheet, rows, merge)]);
}

/// A merged area: first row, first col, last row, last col, the text shown.
type Merge<'a> = (u32, u16, u32, u16, &'a str);

/// A sheet to write: name, rows, merged areas.
type SheetSpec<'a> = (&'a str, &'a [Vec<V>], &'a [Merge<'a>]);

/// Writes a workbook of several sheets.
fn write_book(path: &Path, sheets: &[SheetSpec]) {
    let mut wb = Workbook::new();
    for (sheet, rows, merge) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*sheet).unwrap();
        write_sheet(ws, rows, merge);
    }
    wb.save(path).unwrap();
}

fn write_sheet(ws: &mut rust_xlsxwriter::Worksheet, rows: &[Vec<V>], merge: &[Merge]) {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("hh:mm");
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match v {
                V::S(t) => {
                    ws.write(r, c, t.as_str()).unwrap();
                }
                V::N(n) => {
                    ws.write(r, c, *n).unwrap();
                }
                V::D(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                }
                V::T(f) => {
                    ws.write_with_format(r, c, *f, &time).unwrap();
                }
                V::E(e) => {
                    let f = rust_xlsxwriter::Formula::new("=Sheet9!A1").set_result(e.as_str());
                    ws.write_formula(r, c, f).unwrap();
                }
                V::Blank => {}
            }
        }
    }
    for (r0, c0, r1, c1, text) in merge {
        ws.merge_range(*r0, *c0, *r1, *c1, text, &Format::new())
            .unwrap();
    }
}

/// The template's header row and one row per entry, each given as (header, value) pairs.
fn template_rows(rows: &[Vec<(&str, V)>]) -> Vec<Vec<V>> {
    let mut out = vec![COLUMNS.iter().map(|c| s(c.header)).collect::<Vec<_>>()];
    for row in rows {
        let mut line = vec![V::Blank; COLUMNS.len()];
        for (h, v) in row {
            let i = COLUMNS
                .iter()
                .position(|c| c.header == *h)
                .unwrap_or_else(|| panic!("no column {h}"));
            line[i] = v.clone();
        }
        out.push(line);
    }
    out
}

/// A row given as (header, value) pairs.
type Row = Vec<(&'static str, V)>;

/// A complete, valid row of the template.
fn good(date: V, unit: &str, title: &str) -> Row {
    vec![
        ("日期", date),
        ("开始时间", s("9:00")),
        ("结束时间", s("11:30")),
        ("村/社区", s(unit)),
        ("地点", s("村委会院坝")),
        ("活动名称", s(title)),
        ("活动形式", s("集中宣传、有奖问答")),
        ("宣传对象", s("村(居)民、青少年学生")),
        ("法律法规", s("宪法、民法典")),
        ("主讲人", s("王明（律师）")),
        ("参加人数", V::N(80.0)),
        ("受众人次", s("200余")),
        ("咨询人次", V::N(15.0)),
        ("横幅（条）", V::N(2.0)),
        ("展板（块）", V::N(6.0)),
        ("发放资料1", s("宪法读本")),
        ("数量1", V::N(20.0)),
        ("发放资料2", s("民法典宣传手册")),
        ("数量2", s("50份")),
        ("活动简述", s("设点宣传宪法，律师解答咨询。")),
        ("记录人", s("张三")),
    ]
}

/// The demo town in a database file, and a folder for workbooks.
struct Town {
    dir: tempfile::TempDir,
    db: Db,
}

impl Town {
    fn new() -> Town {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open_dir(&dir.path().join("data")).unwrap();
        crate::demo::load(
            &mut db,
            &crate::demo::DemoInput {
                seed: Some(5),
                year: Some(2024),
                scale: None,
            },
        )
        .unwrap();
        Town { dir, db }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The database file's bytes, everything checkpointed into it.
    fn bytes(&self) -> Vec<u8> {
        self.db
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        std::fs::read(self.dir.path().join("data").join(crate::db::DB_FILE)).unwrap()
    }

    fn preview(&self, path: &Path) -> Result<ImportPreview> {
        preview(&self.db.conn, path, &ImportAsked::default(), &mut |_, _| {
            true
        })
    }

    fn import(&mut self, path: &Path) -> Result<ImportReport> {
        import(&mut self.db, path, &ImportAsked::default(), &mut |_, _| {
            true
        })
    }

    fn records_on(&self, from: &str, to: &str) -> Vec<record::Record> {
        record::list(
            &self.db.conn,
            &RecordFilter {
                from: Some(from.into()),
                to: Some(to.into()),
                ..Default::default()
            },
        )
        .unwrap()
    }
}

/// 主讲人 written without a role: the role the town's list of people gives the name (the
/// first of namesakes), else 其他.
#[test]
fn a_speaker_without_a_role_takes_the_role_of_the_town_list() {
    let mut town = Town::new();
    for (name, role) in [("李法言", "lawyer"), ("李法言", "other")] {
        crate::person::create(
            &mut town.db,
            &crate::person::PersonInput {
                name: name.into(),
                role: role.into(),
                phone: None,
                unit_id: None,
                notes: None,
            },
        )
        .unwrap();
    }
    let mut row = good(V::D(2024, 5, 6), "安静村", "主讲人的身份");
    for (h, v) in row.iter_mut() {
        if *h == "主讲人" {
            *v = s("李法言、 陌生人");
        }
    }
    let path = town.file("主讲人.xlsx");
    write_xlsx(&path, DATA_SHEET, &template_rows(&[row]), &[]);
    let r = town.import(&path).unwrap();
    assert_eq!((r.imported, r.error_rows), (1, 0), "{:?}", r.errors);
    let rec = town
        .records_on("2024-05-06", "2024-05-06")
        .into_iter()
        .find(|r| r.title == "主讲人的身份")
        .expect("imported");
    assert_eq!(
        rec.speakers,
        [
            Speaker {
                name: "李法言".into(),
                role: PersonRole::Lawyer
            },
            Speaker {
                name: "陌生人".into(),
                role: PersonRole::Other
            }
        ]
    );
}

#[test]
fn the_template_round_trips_and_a_second_import_adds_nothing() {
    let mut town = Town::new();
    let template_path = town.file("活动登记表.xlsx");
    template::write(&town.db.conn, &template_path).unwrap();
    // Filled in under the template's own header row, as read back from the template.
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&template_path).unwrap();
    let range = wb.worksheet_range(DATA_SHEET).unwrap();
    let header: Vec<V> = (0..range.width())
        .map(|c| s(&range.get((0, c)).unwrap().to_string()))
        .collect();
    let mut rows = template_rows(&[
        good(V::D(2024, 3, 15), "安静村", "2024年消费者权益日普法宣传"),
        good(s("2024年3月16日"), "石院村", "民法典进村宣讲"),
        good(s("2024/3/17"), "双龙社区", "反诈骗宣传进社区"),
    ]);
    rows[0] = header;
    let path = town.file("填好的.xlsx");
    write_xlsx(&path, DATA_SHEET, &rows, &[]);

    let before = town.bytes();
    let p = town.preview(&path).unwrap();
    assert_eq!(town.bytes(), before, "a preview writes nothing");
    assert_eq!(
        (p.valid, p.duplicates, p.error_rows),
        (3, 0, 0),
        "{:?}",
        p.errors
    );
    assert!(p.errors.is_empty());
    assert_eq!((p.sheet.as_str(), p.header_row), (DATA_SHEET, 1));
    assert!(p.ignored_columns.is_empty(), "{:?}", p.ignored_columns);
    let statuses: Vec<_> = p.rows.iter().map(|r| (r.row, r.status)).collect();
    assert_eq!(
        statuses,
        [
            (2, RowStatus::Valid),
            (3, RowStatus::Valid),
            (4, RowStatus::Valid)
        ]
    );
    assert_eq!(p.rows[0].date, "2024-03-15");
    assert_eq!(p.rows[0].unit, "安静村");
    assert_eq!(
        (p.rows[0].participants, p.rows[0].reach),
        (Some(80), Some(200))
    );
    // "200余" is read as 200 and said so, row by row.
    let approx: Vec<&RowError> = p
        .warnings
        .iter()
        .filter(|w| w.message.contains("按200计（约数）"))
        .collect();
    assert_eq!(approx.len(), 3, "{:?}", p.warnings);
    assert_eq!(approx[0].column, "受众人次");
    assert_eq!(approx[0].message, "第2行“受众人次”：“200余”按200计（约数）");

    let r = town.import(&path).unwrap();
    assert_eq!(
        (r.valid, r.imported, r.duplicates, r.error_rows),
        (3, 3, 0, 0)
    );
    let records = town.records_on("2024-03-15", "2024-03-17");
    let rec = records
        .iter()
        .find(|r| r.title == "2024年消费者权益日普法宣传")
        .expect("imported");
    assert_eq!(rec.date, "2024-03-15");
    assert_eq!(
        (rec.start_time.as_deref(), rec.end_time.as_deref()),
        (Some("09:00"), Some("11:30"))
    );
    assert_eq!(rec.unit_name.as_deref(), Some("安静村"));
    assert_eq!(rec.venue, "村委会院坝");
    assert_eq!(
        rec.formats,
        [ActivityFormat::StreetCampaign, ActivityFormat::Quiz]
    );
    assert_eq!(rec.audiences, [Audience::Residents, Audience::Students]);
    assert_eq!(rec.laws, ["宪法", "民法典"]);
    assert_eq!(
        rec.speakers,
        [Speaker {
            name: "王明".into(),
            role: PersonRole::Lawyer
        }]
    );
    assert_eq!(
        (
            rec.participants,
            rec.reach,
            rec.counts.consultations,
            rec.counts.banners,
            rec.counts.boards
        ),
        (80, 200, 15, 2, 6)
    );
    let materials: Vec<(&str, i64, &str)> = rec
        .materials
        .iter()
        .map(|m| (m.material_name.as_str(), m.quantity, m.unit.as_str()))
        .collect();
    assert_eq!(
        materials,
        [("宪法读本", 20, "册"), ("民法典宣传手册", 50, "份")]
    );
    assert_eq!(
        rec.narrative,
        "设点宣传宪法，律师解答咨询。（受众人次原填“200余”）"
    );
    assert_eq!(rec.recorder, "张三");
    assert_eq!(
        rec.review_status,
        ReviewStatus::Approved,
        "the coordinator's own"
    );
    let audit: i64 = town
        .db
        .conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity = 'record' AND entity_id = 'import'
             AND summary LIKE '%导入活动记录 3 条（填好的.xlsx）'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audit, 1);

    // The same file again: nothing new.
    let count = |town: &Town| -> i64 {
        town.db
            .conn
            .query_row("SELECT count(*) FROM record", [], |r| r.get(0))
            .unwrap()
    };
    let n = count(&town);
    let again = town.preview(&path).unwrap();
    assert_eq!((again.valid, again.duplicates), (0, 3));
    assert!(again.rows.iter().all(|r| r.status == RowStatus::Duplicate));
    let r = town.import(&path).unwrap();
    assert_eq!((r.valid, r.imported, r.duplicates), (0, 0, 3));
    assert_eq!(count(&town), n);
}

#[test]
fn the_downloaded_template_itself_imports_nothing() {
    let town = Town::new();
    let path = town.file("模板.xlsx");
    template::write(&town.db.conn, &path).unwrap();
    let p = town.preview(&path).unwrap();
    assert_eq!((p.valid, p.duplicates, p.error_rows), (0, 0, 0));
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert_eq!(p.warnings[0].message, "第2行是填写示例，已跳过");
}

#[test]
fn a_hand_kept_sheet_is_read_like_a_person_reads_it() {
    let mut town = Town::new();
    let header = [
        "序号",
        "活动日期",
        "村（社区）",
        "活动名称 ",
        "形式",
        "普法对象",
        "参与人数",
        "受众",
        "咨询",
        "横幅(条)",
        "资料",
        "数量",
        "资料",
        "数量",
        "简况",
        "填报人",
        "开始时间",
    ];
    let line = |cells: [V; 17]| cells.to_vec();
    let blank = || V::Blank;
    let rows = vec![
        // A merged title, a blank row, then the header.
        vec![s("双龙镇2024年普法活动登记表")],
        vec![],
        header.iter().map(|h| s(h)).collect(),
        line([
            V::N(1.0),
            s("2024年3月15日"),
            s("安静"),
            s("3·15 消费者权益日宣传"),
            s("有奖问答、法治讲座"),
            s("村民，学生"),
            s("２００"),
            s("200余"),
            s("约20"),
            V::N(1.0),
            s("宪法读本"),
            s("20册"),
            blank(),
            blank(),
            s("在村委会设点。"),
            s(" 张三 "),
            V::T(0.375),
        ]),
        line([
            V::N(2.0),
            s("2024.3.16"),
            s("石院村"),
            s(" 法治\n讲座 "),
            s("lecture;quiz"),
            s("elderly"),
            s("1,200"),
            s("1200人次"),
            blank(),
            blank(),
            s("民法典宣传手册"),
            s("3000余份"),
            s("宪法（宣誓本）"),
            V::N(2.0),
            blank(),
            s("张三"),
            s("下午2点半"),
        ]),
        line([
            V::N(3.0),
            V::D(2024, 3, 17),
            s("双龙社区"),
            s("院坝会"),
            s("院坝会 / 赶集日普法"),
            blank(),
            s("200多"),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            s("张三"),
            s("9:00-11:00"),
        ]),
        line([
            V::N(4.0),
            V::N(45_372.0),
            blank(),
            s("普法讲座"),
            s("street_campaign"),
            blank(),
            s("1200人"),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            s("张三"),
            blank(),
        ]),
        line([
            V::N(5.0),
            s("２０２４－０３－２２ 09:00:00"),
            s("龙飞村委会"),
            s("宪法晨读"),
            s("宪法晨读"),
            blank(),
            s("30人"),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            s("张三"),
            blank(),
        ]),
        line([
            s("合计"),
            blank(),
            blank(),
            s("5 场"),
            blank(),
            blank(),
            V::N(1710.0),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
        ]),
    ];
    let path = town.file("手工台账.xlsx");
    // 双龙社区 is merged down over the fourth activity (rows 6–7).
    write_xlsx(
        &path,
        "Sheet1",
        &rows,
        &[
            (0, 0, 0, 16, "双龙镇2024年普法活动登记表"),
            (5, 2, 6, 2, "双龙社区"),
        ],
    );
    let p = town.preview(&path).unwrap();
    assert_eq!(p.header_row, 3);
    assert_eq!(p.errors, [], "{:#?}", p.errors);
    assert_eq!((p.valid, p.duplicates, p.error_rows), (5, 0, 0));
    assert_eq!(p.ignored_columns, ["序号"]);
    let said = |needle: &str| p.warnings.iter().any(|w| w.message.contains(needle));
    assert!(
        said("第4行“受众”：“200余”按200计（约数）"),
        "{:#?}",
        p.warnings
    );
    assert!(said("第4行“咨询”：“约20”按20计（约数）"));
    assert!(said("第5行“数量”：“3000余份”按3000计（约数）"));
    assert!(said("第6行“参与人数”：“200多”按200计（约数）"));
    assert!(said("第9行是合计行，已跳过"));

    let r = town.import(&path).unwrap();
    assert_eq!(r.imported, 5, "{:#?}", r.errors);
    let records = town.records_on("2024-03-15", "2024-03-22");
    let get = |title: &str| {
        records
            .iter()
            .find(|r| r.title == title)
            .unwrap_or_else(|| {
                panic!(
                    "{title} in {:?}",
                    records.iter().map(|r| &r.title).collect::<Vec<_>>()
                )
            })
    };
    let a = get("3·15 消费者权益日宣传");
    assert_eq!(
        (a.date.as_str(), a.unit_name.as_deref()),
        ("2024-03-15", Some("安静村"))
    );
    assert_eq!(a.formats, [ActivityFormat::Quiz, ActivityFormat::Lecture]);
    assert_eq!(a.audiences, [Audience::Residents, Audience::Students]);
    assert_eq!(
        (
            a.participants,
            a.reach,
            a.counts.consultations,
            a.counts.banners
        ),
        (200, 200, 20, 1)
    );
    assert_eq!(a.start_time.as_deref(), Some("09:00"));
    assert_eq!(a.recorder, "张三");
    assert_eq!(
        a.narrative,
        "在村委会设点。（受众原填“200余”；咨询原填“约20”）"
    );
    let b = get("法治 讲座");
    assert_eq!(b.date, "2024-03-16");
    assert_eq!(b.formats, [ActivityFormat::Lecture, ActivityFormat::Quiz]);
    assert_eq!(b.audiences, [Audience::Elderly]);
    assert_eq!((b.participants, b.reach), (1200, 1200));
    assert_eq!(b.start_time.as_deref(), Some("14:30"));
    let materials: Vec<(&str, i64)> = b
        .materials
        .iter()
        .map(|m| (m.material_name.as_str(), m.quantity))
        .collect();
    assert_eq!(materials, [("民法典宣传手册", 3000), ("宪法（宣誓本）", 2)]);
    let c = get("院坝会");
    assert_eq!(
        (c.date.as_str(), c.unit_name.as_deref()),
        ("2024-03-17", Some("双龙社区"))
    );
    assert_eq!(
        c.formats,
        [
            ActivityFormat::CourtyardMeeting,
            ActivityFormat::StreetCampaign
        ]
    );
    assert_eq!(
        (c.start_time.as_deref(), c.end_time.as_deref()),
        (Some("09:00"), Some("11:00"))
    );
    let d = get("普法讲座");
    assert_eq!(
        (d.date.as_str(), d.unit_name.as_deref()),
        ("2024-03-21", Some("双龙社区")),
        "an Excel serial, and the merged village"
    );
    assert_eq!(d.participants, 1200);
    let e = get("宪法晨读");
    assert_eq!(
        (e.date.as_str(), e.unit_name.as_deref()),
        ("2024-03-22", Some("龙飞村"))
    );
    assert_eq!(e.formats, [ActivityFormat::MorningReading]);
}

#[test]
fn repeated_rows_of_one_file_are_duplicates_however_spaced() {
    let mut town = Town::new();
    let path = town.file("重复.xlsx");
    let rows = template_rows(&[
        good(s("2024-04-01"), "安静村", "宪法宣传进村"),
        good(s("2024年4月1日"), "安静", " 宪法 宣传进村 "),
        good(s("2024-04-01"), "石院村", "宪法宣传进村"),
    ]);
    write_xlsx(&path, "Sheet1", &rows, &[]);
    let p = town.preview(&path).unwrap();
    assert_eq!((p.valid, p.duplicates), (2, 1));
    assert_eq!(p.rows[1].status, RowStatus::Duplicate);
    let r = town.import(&path).unwrap();
    assert_eq!((r.imported, r.duplicates), (2, 1));
}

/// Each bad row alone in a file: the error names its row and column, and neither the preview
/// nor the import changes a byte of the database.
#[test]
fn bad_rows_are_named_by_row_and_column_and_change_nothing() {
    let mut town = Town::new();
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    let with = |changes: &[(&'static str, V)]| {
        let mut row = good(s("2024-05-10"), "安静村", "民法典宣传");
        for (h, v) in changes {
            match row.iter_mut().find(|(g, _)| g == h) {
                Some(slot) => slot.1 = v.clone(),
                None => row.push((h, v.clone())),
            }
        }
        row
    };
    // (case, row, column, what the message says, its code for the UI)
    let cases: Vec<(&str, Row, &str, &str, Problem)> = vec![
        (
            "bad date",
            with(&[("日期", s("2024-13-45"))]),
            "日期",
            "第2行“日期”：“2024-13-45”不是有效的日期，请写成 2024-03-15 或 2024年3月15日",
            Problem::DateInvalid,
        ),
        (
            "no year",
            with(&[("日期", s("3月15日"))]),
            "日期",
            "没有写年份",
            Problem::DateNoYear,
        ),
        (
            "missing date",
            with(&[("日期", V::Blank)]),
            "日期",
            "第2行“日期”：请填写活动日期",
            Problem::DateMissing,
        ),
        (
            "future date",
            with(&[("日期", s(&tomorrow))]),
            "日期",
            "在今天之后",
            Problem::Refused,
        ),
        (
            "negative count",
            with(&[("参加人数", V::N(-5.0))]),
            "参加人数",
            "第2行“参加人数”：不能为负数",
            Problem::Negative,
        ),
        (
            "negative text count",
            with(&[("咨询人次", s("-3人次"))]),
            "咨询人次",
            "不能为负数",
            Problem::Negative,
        ),
        (
            "fraction",
            with(&[("参加人数", V::N(12.5))]),
            "参加人数",
            "应为整数",
            Problem::NotWhole,
        ),
        (
            "not a number",
            with(&[("受众人次", s("很多"))]),
            "受众人次",
            "应填写数字（填写的是“很多”）",
            Problem::NotANumber,
        ),
        (
            "missing participants",
            with(&[("参加人数", V::Blank)]),
            "参加人数",
            "请填写参加人数",
            Problem::ParticipantsMissing,
        ),
        (
            "unknown village",
            with(&[("村/社区", s("不存在村"))]),
            "村/社区",
            "第2行“村/社区”：本镇没有“不存在村”这个村/社区或单位。本镇的有：双龙社区、安静村",
            Problem::VillageUnknown,
        ),
        (
            "missing title",
            with(&[("活动名称", V::Blank)]),
            "活动名称",
            "第2行“活动名称”：请填写活动名称",
            Problem::TitleMissing,
        ),
        (
            "missing format",
            with(&[("活动形式", V::Blank)]),
            "活动形式",
            "请填写活动形式",
            Problem::FormatMissing,
        ),
        (
            "bad time",
            with(&[("开始时间", s("25:00"))]),
            "开始时间",
            "“25:00”不是有效的时间",
            Problem::TimeInvalid,
        ),
        (
            "end before start",
            with(&[("开始时间", s("10:00")), ("结束时间", s("9:00"))]),
            "结束时间",
            "早于开始时间",
            Problem::Refused,
        ),
        (
            "unknown material",
            with(&[("发放资料1", s("不存在的资料"))]),
            "发放资料1",
            "“宣传资料”目录中没有“不存在的资料”",
            Problem::MaterialUnknown,
        ),
        (
            "quantity without material",
            with(&[("发放资料2", V::Blank)]),
            "数量2",
            "填写了数量，但没有填写发放的资料",
            Problem::QuantityWithoutMaterial,
        ),
        (
            "material without quantity",
            with(&[("数量1", V::Blank)]),
            "数量1",
            "请填写“宪法读本”的发放数量",
            Problem::QuantityMissing,
        ),
        (
            "long title",
            with(&[("活动名称", s(&"宣".repeat(101)))]),
            "活动名称",
            "第2行“活动名称”太长（101字，最多100字）",
            Problem::TooLong,
        ),
        (
            "text in a count",
            with(&[("横幅（条）", s("见附件"))]),
            "横幅（条）",
            "应填写数字",
            Problem::NotANumber,
        ),
        (
            "an error value pasted as text",
            with(&[("横幅（条）", s("#N/A"))]),
            "横幅（条）",
            "第2行“横幅（条）”（N2单元格）是公式错误 #N/A",
            Problem::FormulaError,
        ),
    ];
    let before = town.bytes();
    for (name, row, column, message, code) in cases {
        let path = town.file(&format!("{name}.xlsx"));
        write_xlsx(&path, "Sheet1", &template_rows(&[row]), &[]);
        let p = town.preview(&path).unwrap();
        assert_eq!((p.valid, p.error_rows), (0, 1), "{name}: {:?}", p.errors);
        let e = p
            .errors
            .iter()
            .find(|e| e.column == column)
            .unwrap_or_else(|| panic!("{name}: no error in {column}: {:?}", p.errors));
        assert_eq!(e.row, 2, "{name}");
        assert!(
            e.message.contains(message),
            "{name}: {} does not say {message}",
            e.message
        );
        assert_eq!(e.code, code, "{name}");
        // The specifics the UI words them with.
        let param = |k: &str| e.params.get(k).cloned().unwrap_or_default();
        match name {
            "not a number" => assert_eq!(param("shown"), "很多"),
            "long title" => assert_eq!((param("length"), param("max")), (101.into(), 100.into())),
            "unknown village" => assert_eq!(
                (param("written"), param("total")),
                ("不存在村".into(), 30.into())
            ),
            "end before start" => assert_eq!(param("field"), "end_time"),
            "an error value pasted as text" => assert_eq!(
                (param("cell"), param("value")),
                ("N2".into(), "#N/A".into())
            ),
            _ => {}
        }
        assert_eq!(p.rows[0].status, RowStatus::Error);
        let r = town.import(&path).unwrap();
        assert_eq!((r.imported, r.error_rows), (0, 1), "{name}");
        assert_eq!(
            r.errors, p.errors,
            "{name}: the import says what the preview said"
        );
        assert!(town.bytes() == before, "{name}: the database changed");
    }
}

#[test]
fn a_five_megabyte_cell_is_refused_by_its_length() {
    let mut town = Town::new();
    let path = town.file("长.xlsx");
    let huge = "字".repeat(5_000_000);
    let mut row = good(s("2024-05-10"), "安静村", "民法典宣传");
    row.retain(|(h, _)| *h != "活动简述");
    let cells: Vec<(usize, String)> = template_rows(&[row])[1]
        .iter()
        .enumerate()
        .filter_map(|(c, v)| match v {
            V::S(t) => Some((c, t.clone())),
            V::N(n) => Some((c, n.to_string())),
            _ => None,
        })
        .collect();
    let narrative = COLUMNS.iter().position(|c| c.header == "活动简述").unwrap();
    let mut data: Vec<(usize, String)> = cells;
    data.push((narrative, huge));
    let header: Vec<(usize, String)> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.header.to_string()))
        .collect();
    raw_xlsx(&path, &sheet_xml(&[header, data]));
    let before = town.bytes();
    let p = town.preview(&path).unwrap();
    assert_eq!(
        p.errors,
        [RowError {
            sheet: "Sheet1".into(),
            row: 2,
            column: "活动简述".into(),
            message: "第2行“活动简述”太长（5000000字，最多300字）".into(),
            code: Problem::TooLong,
            params: serde_json::json!({"length": 5_000_000, "max": 300})
                .as_object()
                .unwrap()
                .clone(),
        }]
    );
    let r = town.import(&path).unwrap();
    assert_eq!(r.imported, 0);
    assert!(town.bytes() == before);
}

/// A sheet of inline-string cells: (column, text) per row, the first row being sheet row 1.
fn sheet_xml(rows: &[Vec<(usize, String)>]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        xml += &format!("<row r=\"{}\">", r + 1);
        for (c, text) in row {
            xml += &format!(
                "<c r=\"{}{}\" t=\"inlineStr\"><is><t>{text}</t></is></c>",
                column_name(*c),
                r + 1
            );
        }
        xml += "</row>";
    }
    xml + "</sheetData></worksheet>"
}

fn column_name(c: usize) -> String {
    let mut n = c + 1;
    let mut out = Vec::new();
    while n > 0 {
        out.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

/// A minimal .xlsx around one sheet's XML, written part by part with the zip crate.
fn raw_xlsx(path: &Path, sheet: &str) {
    raw_zip(
        path,
        &[
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
            ("xl/worksheets/sheet1.xml", sheet),
        ],
    );
}

fn raw_zip(path: &Path, parts: &[(&str, &str)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// Refused whole, saying `needle`, with the `reason` the UI words it by in English.
fn refused(town: &mut Town, path: &Path, needle: &str, reason: &str) {
    let before = town.bytes();
    for e in [
        town.preview(path).unwrap_err(),
        town.import(path).unwrap_err(),
    ] {
        assert_eq!(e.code, ErrorCode::FileRejected, "{}", e.message);
        assert_eq!(e.field.as_deref(), Some("path"));
        assert!(
            e.message.contains(needle),
            "{} does not say {needle}",
            e.message
        );
        assert_eq!(e.params.get("reason"), Some(&reason.into()), "{needle}");
    }
    assert!(town.bytes() == before, "the database changed");
}

#[test]
fn files_that_are_not_activity_sheets_are_refused_whole() {
    let mut town = Town::new();
    // Not an Excel file at all.
    let csv = town.file("台账.xlsx");
    std::fs::write(&csv, "日期,村/社区,活动名称\n2024-03-15,安静村,宪法宣传\n").unwrap();
    refused(&mut town, &csv, "不是 Excel 表格文件", "not_excel");
    let empty = town.file("空.xlsx");
    std::fs::write(&empty, b"").unwrap();
    refused(&mut town, &empty, "文件是空的", "empty_file");
    // A zip that is not a workbook (a Word file, say).
    let docx = town.file("报告.xlsx");
    raw_zip(&docx, &[("word/document.xml", "<w:document/>")]);
    refused(&mut town, &docx, "不是 Excel 表格文件", "not_excel");

    // Cut off half-way (a download that did not finish).
    let whole = town.file("完整.xlsx");
    write_xlsx(
        &whole,
        "Sheet1",
        &template_rows(&[good(s("2024-05-10"), "安静村", "民法典宣传")]),
        &[],
    );
    let bytes = std::fs::read(&whole).unwrap();
    let cut = town.file("截断.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    refused(&mut town, &cut, "已损坏或不完整", "xlsx_damaged");
    // The same bytes with a damaged middle: the zip directory is whole, the data is not.
    let mut garbled = bytes.clone();
    for b in &mut garbled[200..bytes.len() / 2] {
        *b ^= 0x5A;
    }
    let bad = town.file("损坏.xlsx");
    std::fs::write(&bad, &garbled).unwrap();
    refused(&mut town, &bad, "已损坏或不完整", "xlsx_damaged");

    // No header anywhere near the top; a header without the required columns.
    let no_header = town.file("无表头.xlsx");
    write_xlsx(
        &no_header,
        "Sheet1",
        &[vec![s("今天天气很好")], vec![s("2024-03-15"), s("安静村")]],
        &[],
    );
    refused(
        &mut town,
        &no_header,
        "没有找到活动登记表的表头",
        "no_header",
    );
    let partial = town.file("缺列.xlsx");
    write_xlsx(
        &partial,
        "Sheet1",
        &[
            vec![s("日期"), s("村/社区"), s("活动名称"), s("备注")],
            vec![s("2024-03-15"), s("安静村"), s("宪法宣传")],
        ],
        &[],
    );
    refused(
        &mut town,
        &partial,
        "“Sheet1”表第1行的表头缺少必填的列：“参加人数”",
        "header_incomplete",
    );
    // The specifics the UI words them with in English.
    let e = town.preview(&partial).unwrap_err();
    let params: Vec<_> = ["sheet", "row", "missing"]
        .iter()
        .map(|k| e.params[*k].clone())
        .collect();
    assert_eq!(
        params,
        [serde_json::json!("Sheet1"), 1.into(), "“参加人数”".into()]
    );
    assert_eq!(town.preview(&csv).unwrap_err().params["file"], "台账.xlsx");
    assert_eq!(town.preview(&cut).unwrap_err().params["file"], "截断.xlsx");

    let missing = town.file("没有这个文件.xlsx");
    let e = town.preview(&missing).unwrap_err();
    assert_eq!(e.code, ErrorCode::Io);
    assert!(e.message.contains("文件不存在"), "{}", e.message);
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    let mut town = Town::new();
    // 150 MB of one repeated row: a few hundred KB packed.
    let row = "<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>";
    let body = row.repeat(150 * 1024 * 1024 / row.len());
    let bomb = town.file("炸弹.xlsx");
    raw_xlsx(&bomb, &body);
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 * 1024 * 1024);
    refused(
        &mut town,
        &bomb,
        "文件解压后超过 100 MB",
        "unpacked_too_large",
    );

    // The same, its sizes lowered in the zip's directory and local headers: the real size
    // is what counts.
    let mut bytes = std::fs::read(&bomb).unwrap();
    let real = (body.len() as u32).to_le_bytes();
    let mut patched = 0;
    let mut i = 0;
    while i + 4 <= bytes.len() {
        if bytes[i..i + 4] == real {
            bytes[i..i + 4].copy_from_slice(&1000u32.to_le_bytes());
            patched += 1;
        }
        i += 1;
    }
    assert!(patched >= 1);
    let liar = town.file("谎报.xlsx");
    std::fs::write(&liar, &bytes).unwrap();
    let before = town.bytes();
    let e = town.preview(&liar).unwrap_err();
    assert_eq!(e.code, ErrorCode::FileRejected, "{}", e.message);
    assert!(town.import(&liar).is_err());
    assert!(town.bytes() == before);
}

#[test]
fn more_than_the_row_limit_is_refused_without_reading_a_million_rows() {
    let mut town = Town::new();
    // A million rows of one short cell each (60 MB of sheet XML, under the unpacked limit).
    let mut xml = String::with_capacity(70 * 1024 * 1024);
    xml.push_str(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">"#,
    );
    for (c, h) in ["日期", "村/社区", "活动名称", "活动形式", "参加人数"]
        .iter()
        .enumerate()
    {
        xml += &format!(
            "<c r=\"{}1\" t=\"inlineStr\"><is><t>{h}</t></is></c>",
            column_name(c)
        );
    }
    xml.push_str("</row>");
    for r in 2..=1_000_001 {
        xml += &format!("<row r=\"{r}\"><c r=\"C{r}\" t=\"inlineStr\"><is><t>x</t></is></c></row>");
    }
    xml.push_str("</sheetData></worksheet>");
    let path = town.file("一百万行.xlsx");
    raw_xlsx(&path, &xml);
    drop(xml);
    let mut furthest = 0;
    let e = preview(
        &town.db.conn,
        &path,
        &ImportAsked::default(),
        &mut |done, _| {
            furthest = done;
            true
        },
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::FileRejected);
    assert_eq!(e.message, "一次最多导入 20000 行，请分成几个文件");
    assert_eq!(furthest, MAX_ROWS as u64, "stopped at the limit");
    refused(&mut town, &path, "一次最多导入 20000 行", "too_many_rows");
}

#[test]
fn cancelling_keeps_nothing() {
    let mut town = Town::new();
    let rows: Vec<Vec<(&str, V)>> = (0..450)
        .map(|i| {
            let mut r = good(s("2024-06-01"), "安静村", "");
            r.retain(|(h, _)| !h.starts_with("发放资料") && !h.starts_with("数量"));
            r.push(("活动名称", s(&format!("院坝会第{i}场"))));
            r
        })
        .collect();
    let path = town.file("很多.xlsx");
    write_xlsx(&path, "Sheet1", &template_rows(&rows), &[]);
    let before = town.bytes();
    let mut calls = Vec::new();
    let e = import(
        &mut town.db,
        &path,
        &ImportAsked::default(),
        &mut |done, total| {
            calls.push((done, total));
            done < 300
        },
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert_eq!(e.message, "已取消导入，没有导入任何记录");
    assert_eq!(
        calls.first(),
        Some(&(0, 450)),
        "the total from the sheet's size"
    );
    assert_eq!(calls.last(), Some(&(300, 450)));
    assert!(town.bytes() == before, "nothing kept");
    let e = preview(
        &town.db.conn,
        &path,
        &ImportAsked::default(),
        &mut |done, _| done < 100,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    // Not cancelled, it all goes in, telling the progress to the end.
    let mut last = (0, 0);
    let r = import(&mut town.db, &path, &ImportAsked::default(), &mut |d, t| {
        last = (d, t);
        true
    })
    .unwrap();
    assert_eq!(r.imported, 450);
    assert_eq!(last, (450, 450));
}

#[test]
fn hand_outs_beyond_the_stock_are_imported_with_a_warning() {
    let mut town = Town::new();
    let mut row = good(s("2024-07-01"), "安静村", "大型宣传");
    for (h, v) in row.iter_mut() {
        if *h == "数量1" {
            *v = V::N(100_000.0);
        }
    }
    let path = town.file("库存.xlsx");
    write_xlsx(&path, "Sheet1", &template_rows(&[row]), &[]);
    let p = town.preview(&path).unwrap();
    assert_eq!(p.valid, 1);
    let w = p
        .warnings
        .iter()
        .find(|w| w.message.contains("库存不够"))
        .unwrap_or_else(|| panic!("a stock warning in {:#?}", p.warnings));
    assert_eq!((w.row, w.column.as_str()), (2, "发放资料1"));
    let r = town.import(&path).unwrap();
    assert_eq!(r.imported, 1);
    assert_eq!(
        r.warnings
            .iter()
            .filter(|w| w.message.contains("库存不够"))
            .count(),
        1
    );
}

/// Converts `file` with LibreOffice into `format` (xls, xlsx) in `out`; None when LibreOffice
/// is not installed here or does not finish.
fn libreoffice(file: &Path, format: &str, out: &Path) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("soffice").is_file()));
    if !on_path {
        return None;
    }
    let profile = out.join("lo-profile");
    let mut child = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(out)
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let started = std::time::Instant::now();
    while child.try_wait().ok()?.is_none() {
        if started.elapsed() > std::time::Duration::from_secs(180) {
            let _ = child.kill();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let converted = out.join(file.with_extension(format).file_name()?);
    converted.is_file().then_some(converted)
}

/// The same sheet saved by another program: LibreOffice as .xls (Excel 97–2003, what old WPS
/// and Excel versions save) and as its own .xlsx. Skipped where LibreOffice is not installed.
#[test]
fn sheets_saved_as_xls_or_by_another_program_are_read_alike() {
    let mut town = Town::new();
    let path = town.file("活动.xlsx");
    let rows = template_rows(&[
        good(V::D(2024, 8, 1), "安静村", "防汛安全与法治宣传"),
        good(s("2024年8月2日"), "石院村", "民法典进院坝"),
    ]);
    write_xlsx(&path, DATA_SHEET, &rows, &[]);
    for format in ["xls", "xlsx"] {
        let out = town.file(&format!("lo-{format}"));
        std::fs::create_dir_all(&out).unwrap();
        let Some(converted) = libreoffice(&path, format, &out) else {
            eprintln!("SKIPPED the {format} check: soffice (LibreOffice) is not on PATH");
            return;
        };
        let p = town.preview(&converted).unwrap();
        assert_eq!((p.valid, p.error_rows), (2, 0), "{format}: {:?}", p.errors);
        assert_eq!(p.rows[0].date, "2024-08-01", "{format}");
        assert_eq!(p.rows[1].unit, "石院村", "{format}");
    }
    let xls = town.file("lo-xls").join("活动.xls");
    let r = town.import(&xls).unwrap();
    assert_eq!(r.imported, 2);
    let rec = town.records_on("2024-08-01", "2024-08-01");
    let rec = rec
        .iter()
        .find(|r| r.title == "防汛安全与法治宣传")
        .unwrap();
    assert_eq!((rec.participants, rec.reach), (80, 200));
    assert_eq!(rec.materials.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// The cell parsers, one form at a time, then fuzzed.

fn t(x: &str) -> Cell {
    Cell::Text(x.to_string())
}

#[test]
fn dates_in_every_form_a_cadre_writes() {
    let d = |y, m, day| Ok(Some(NaiveDate::from_ymd_opt(y, m, day).unwrap()));
    for (cell, want) in [
        (t("2024-03-15"), d(2024, 3, 15)),
        (t("2024-3-5"), d(2024, 3, 5)),
        (t("2024/3/15"), d(2024, 3, 15)),
        (t("2024.3.15"), d(2024, 3, 15)),
        (t("2024年3月15日"), d(2024, 3, 15)),
        (t(" 2024 年 3 月 15 日 "), d(2024, 3, 15)),
        (t("２０２４年３月１５日"), d(2024, 3, 15)),
        (t("２０２４．３．１５"), d(2024, 3, 15)),
        (t("2024-03-15T00:00:00"), d(2024, 3, 15)),
        (t("2024-03-15 09:30"), d(2024, 3, 15)),
        (t("2024年3月15日（星期五）"), d(2024, 3, 15)),
        (t("2024-03-15周五"), d(2024, 3, 15)),
        (t("20240315"), d(2024, 3, 15)),
        (t("2024年3月15日上午"), d(2024, 3, 15)),
        (t("2024年3月15日上午9时"), d(2024, 3, 15)),
        (t("2024年3月15日 9:30—11:00"), d(2024, 3, 15)),
        (t("2024年3月14日—15日"), d(2024, 3, 14)),
        (t("2024年3月14日-3月16日"), d(2024, 3, 14)),
        (t("45366"), d(2024, 3, 15)),
        (Cell::Number(45366.0), d(2024, 3, 15)),
        (Cell::Number(45366.75), d(2024, 3, 15)),
        (Cell::Number(20240315.0), d(2024, 3, 15)),
        (
            Cell::DateTime {
                date: NaiveDate::from_ymd_opt(2024, 3, 15),
                hour: 0,
                minute: 0,
            },
            d(2024, 3, 15),
        ),
        (Cell::Empty, Ok(None)),
    ] {
        assert_eq!(parse_date(&cell), want, "{cell:?}");
    }
    for bad in [
        t("2024-13-45"),
        t("2024-02-30"),
        t("去年三月"),
        t("15/03/2024"),
        Cell::Number(-1.0),
        Cell::Number(2024.0),
        Cell::Bool(true),
        Cell::DateTime {
            date: None,
            hour: 9,
            minute: 0,
        },
    ] {
        let e = parse_date(&bad).unwrap_err();
        assert!(e.zh.contains("不是有效的日期"), "{bad:?}: {e}");
    }
    assert!(parse_date(&t("3月15日"))
        .unwrap_err()
        .zh
        .contains("没有写年份"));
}

#[test]
fn counts_in_every_form_a_cadre_writes() {
    let exact = |n| {
        Ok(Some(Count {
            value: n,
            approx: None,
        }))
    };
    let approx = |n, w: &str| {
        Ok(Some(Count {
            value: n,
            approx: Some(w.to_string()),
        }))
    };
    for (cell, want) in [
        (Cell::Number(80.0), exact(80)),
        (t("80"), exact(80)),
        (t(" 80 "), exact(80)),
        (t("１２００"), exact(1200)),
        (t("1,200"), exact(1200)),
        (t("1，200"), exact(1200)),
        (t("1200人"), exact(1200)),
        (t("1200人次"), exact(1200)),
        (t("50份"), exact(50)),
        (t("共50册"), exact(50)),
        (t("200余"), approx(200, "200余")),
        (t("200余人次"), approx(200, "200余人次")),
        (t("200多"), approx(200, "200多")),
        (t("约200"), approx(200, "约200")),
        (t("近200人"), approx(200, "近200人")),
        (t("200人左右"), approx(200, "200人左右")),
        (t("3000余份"), approx(3000, "3000余份")),
        (t("1.2万"), exact(12000)),
        (t("1.2万人次"), exact(12000)),
        (t("约1.5万"), approx(15000, "约1.5万")),
        (t("2万余份"), approx(20000, "2万余份")),
        (t("0"), exact(0)),
        (t("无"), Ok(None)),
        (t("/"), Ok(None)),
        (Cell::Empty, Ok(None)),
    ] {
        assert_eq!(parse_count(&cell), want, "{cell:?}");
    }
    for (bad, says) in [
        (t("-5"), "不能为负数"),
        (Cell::Number(-5.0), "不能为负数"),
        (Cell::Number(12.5), "应为整数"),
        (t("12.5人"), "应为整数"),
        (t("很多"), "应填写数字"),
        (t("两百"), "应填写数字"),
        (t("200人200"), "应填写数字"),
        (Cell::Number(f64::NAN), "应填写数字"),
        (Cell::Number(2e6), "过大"),
        (Cell::Error("#DIV/0!".into()), "应填写数字"),
    ] {
        let e = parse_count(&bad).unwrap_err();
        assert!(e.zh.contains(says), "{bad:?}: {e}");
    }
}

#[test]
fn times_in_every_form_a_cadre_writes() {
    for (cell, want) in [
        (t("9:00"), "09:00"),
        (t("09:30"), "09:30"),
        (t("9：30"), "09:30"),
        (t("09:30:00"), "09:30"),
        (t("9点"), "09:00"),
        (t("9点半"), "09:30"),
        (t("9时30分"), "09:30"),
        (t("下午2点"), "14:00"),
        (t("下午2:30"), "14:30"),
        (t("0930"), "09:30"),
        (Cell::Number(0.375), "09:00"),
        (Cell::Number(9.0), "09:00"),
        (Cell::Number(930.0), "09:30"),
        (
            Cell::DateTime {
                date: None,
                hour: 14,
                minute: 5,
            },
            "14:05",
        ),
    ] {
        assert_eq!(parse_time(&cell), Ok(Some(want.to_string())), "{cell:?}");
    }
    for bad in [
        t("25:00"),
        t("9:60"),
        t("上午"),
        t("九点"),
        t("1:2:3:4"),
        Cell::Number(-1.0),
    ] {
        assert!(parse_time(&bad).is_err(), "{bad:?}");
    }
    assert_eq!(
        time_range(&t("9:00-11:30")),
        Some(("09:00".into(), "11:30".into()))
    );
    assert_eq!(
        time_range(&t("14:00至16:00")),
        Some(("14:00".into(), "16:00".into()))
    );
}

#[test]
fn units_formats_and_audiences_are_matched_by_name_code_or_a_common_word() {
    let db = crate::testing::town(&["安静村", "双龙村", "双龙社区"], &["双龙镇中心小学"]);
    let lookups = Lookups::load(&db.conn).unwrap();
    let name = |s: &str| lookups.unit(s).map(|u| u.name.clone());
    assert_eq!(name("安静村"), Ok("安静村".into()));
    assert_eq!(name(" 安 静 村 "), Ok("安静村".into()));
    assert_eq!(name("安静"), Ok("安静村".into()));
    assert_eq!(name("安静村委会"), Ok("安静村".into()));
    assert_eq!(name("双龙镇中心小学"), Ok("双龙镇中心小学".into()));
    let e = name("双龙").unwrap_err();
    assert!(e.zh.contains("可能是双龙村或双龙社区"), "{e}");
    assert!(name("不存在").unwrap_err().zh.contains("本镇的有：安静村"));

    let format = |s: &str| {
        match_word(
            s,
            ActivityFormat::ALL,
            ActivityFormat::code,
            ActivityFormat::label,
            FORMAT_WORDS,
        )
    };
    assert_eq!(format("集中宣传"), Some(ActivityFormat::StreetCampaign));
    assert_eq!(
        format("street_campaign"),
        Some(ActivityFormat::StreetCampaign)
    );
    assert_eq!(format("集中宣传活动"), Some(ActivityFormat::StreetCampaign));
    assert_eq!(format("讲座"), Some(ActivityFormat::Lecture));
    assert_eq!(format("法律咨询服务"), Some(ActivityFormat::Consultation));
    assert_eq!(format("跳舞"), None);
    let audience = |s: &str| {
        match_word(
            s,
            Audience::ALL,
            Audience::code,
            Audience::label,
            AUDIENCE_WORDS,
        )
    };
    assert_eq!(audience("村（居）民"), Some(Audience::Residents));
    assert_eq!(audience("村民"), Some(Audience::Residents));
    assert_eq!(audience("农民工朋友"), Some(Audience::MigrantWorkers));
    assert_eq!(
        list_items("集中宣传、有奖问答，lecture;quiz\n院坝会 / 其他"),
        ["集中宣传", "有奖问答", "lecture", "quiz", "院坝会", "其他"]
    );
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    const INTERESTING: &[&str] = &[
        "2024-13-45",
        "2024年3月15日",
        "２０２４．３．１５",
        "2024-03-15 09:00:00",
        "200余",
        "约200",
        "-5",
        "1,200",
        "１２００人次",
        "安静",
        "安静村",
        "不存在村",
        "集中宣传、有奖问答",
        "lecture",
        "宪法读本",
        "9:30",
        "25:00",
        "下午2点",
        "9:00-11:00",
        "合计",
        "（示例",
        "0",
        "1e9",
        "NaN",
        "王明（律师）",
        "、、",
        "(",
        "年月日",
        "周",
        "点半",
    ];

    fn cell() -> impl Strategy<Value = Cell> {
        prop_oneof![
            Just(Cell::Empty),
            "\\PC{0,14}".prop_map(Cell::Text),
            prop::sample::select(INTERESTING).prop_map(|s| Cell::Text(s.to_string())),
            any::<f64>().prop_map(Cell::Number),
            (-10.0f64..100_000.0).prop_map(Cell::Number),
            (1990i32..2100, 1u32..13, 1u32..29, 0u8..24, 0u8..60).prop_map(|(y, m, d, h, mi)| {
                Cell::DateTime {
                    date: NaiveDate::from_ymd_opt(y, m, d),
                    hour: h,
                    minute: mi,
                }
            }),
            any::<bool>().prop_map(Cell::Bool),
            Just(Cell::Error("#N/A".into())),
        ]
    }

    #[test]
    fn cell_parsers_never_panic_and_stay_in_range() {
        let mut runner = TestRunner::new(Config {
            cases: 2000,
            ..Config::default()
        });
        runner
            .run(&cell(), |c| {
                if let Ok(Some(d)) = parse_date(&c) {
                    prop_assert!((1900..=2200).contains(&chrono::Datelike::year(&d)));
                }
                if let Ok(Some(n)) = parse_count(&c) {
                    prop_assert!((0..=MAX_COUNT).contains(&n.value));
                }
                if let Ok(Some(t)) = parse_time(&c) {
                    prop_assert!(validate::time("start_time", &t).as_deref() == Ok(t.as_str()));
                }
                let _ = time_range(&c);
                let _ = Header::from_row(&SheetRow {
                    index: 0,
                    cells: vec![(0, c)],
                });
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn random_grids_never_panic_and_every_problem_names_its_row_and_column() {
        let db = crate::testing::town(&["安静村", "石院村"], &[]);
        let lookups = Lookups::load(&db.conn).unwrap();
        let grid = (
            0u32..4,
            prop::collection::vec(prop::collection::vec(cell(), 0..COLUMNS.len() + 2), 0..24),
        );
        let mut runner = TestRunner::new(Config {
            cases: 256,
            ..Config::default()
        });
        runner
            .run(&grid, |(header_at, rows)| {
                // Random rows above the header, the template's header, random rows below.
                let mut cells: Vec<(u32, u32, Cell)> = Vec::new();
                for (r, row) in rows.iter().enumerate() {
                    let r = if (r as u32) < header_at {
                        r as u32
                    } else {
                        r as u32 + 1
                    };
                    for (c, v) in row.iter().enumerate() {
                        cells.push((r, c as u32, v.clone()));
                    }
                }
                for (c, col) in COLUMNS.iter().enumerate() {
                    cells.push((header_at, c as u32, Cell::Text(col.header.into())));
                }
                cells.sort_by_key(|(r, c, _)| (*r, *c));
                let mut it = cells.into_iter();
                let mut source = CellRows::new(move || Ok(it.next()), 0);
                let merged = [Dimensions {
                    start: (header_at + 1, 3),
                    end: (header_at + 3, 3),
                }];
                let result = process(
                    &db.conn,
                    &lookups,
                    &mut source,
                    "Sheet1",
                    &merged,
                    Mode::Preview,
                    &mut Carry::default(),
                    &mut |_, _| true,
                );
                let out = match result {
                    Ok(SheetResult::Done(out, _)) => out,
                    Ok(_) => return Err(TestCaseError::fail("the header was not found")),
                    Err(e) => return Err(TestCaseError::fail(format!("{e:?}"))),
                };
                for e in out.errors.iter().chain(&out.warnings) {
                    prop_assert!(e.row > header_at + 1, "{e:?}");
                    prop_assert!(!e.column.is_empty(), "{e:?}");
                    let prefix = format!("第{}行", e.row);
                    prop_assert!(e.message.starts_with(&prefix), "{e:?}");
                }
                let error_rows: HashSet<u32> = out.errors.iter().map(|e| e.row).collect();
                // A continuation row's own errors name it, the activity above counting as the
                // error row.
                let named = error_rows.len() as u32;
                prop_assert!(
                    out.error_rows <= named && named <= out.error_rows + out.continued,
                    "{:#?}",
                    out.errors
                );
                prop_assert!(out.valid + out.duplicates + out.error_rows <= rows.len() as u32);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn a_list_of_materials_in_one_cell_is_read_as_the_ledger_writes_it() {
    assert_eq!(
        listed_materials("农民工维权手册32册、宪法读本5本"),
        Some(vec![("农民工维权手册".into(), 32), ("宪法读本".into(), 5)])
    );
    assert_eq!(
        listed_materials("反诈折页 100 份"),
        Some(vec![("反诈折页".into(), 100)])
    );
    assert_eq!(
        listed_materials("宪法读本５册，法律明白纸１２０张"),
        Some(vec![("宪法读本".into(), 5), ("法律明白纸".into(), 120)])
    );
    assert_eq!(listed_materials("宪法读本"), None, "no number");
    assert_eq!(listed_materials("32册"), None, "no name");
    assert_eq!(listed_materials("宪法读本5大箱子"), None, "not a unit");
}

/// Cells of `rows` rows, two cells each, then (when `fail_at` is set) a damaged file there.
fn counted_cells(
    rows: u32,
    fail_at: Option<u32>,
) -> impl FnMut() -> Result<Option<(u32, u32, Cell)>> + Send {
    let mut next = 0u32;
    move || {
        let (r, c) = (next / 2, next % 2);
        next += 1;
        if Some(r) == fail_at {
            return Err(damaged());
        }
        Ok((r < rows).then_some((r, c, Cell::Number(r as f64))))
    }
}

#[test]
fn rows_read_ahead_arrive_in_order_with_the_readers_error_last() {
    let read = |rows: u32, fail_at: Option<u32>| {
        read_ahead(CellRows::new(counted_cells(rows, fail_at), rows), |src| {
            let mut seen = Vec::new();
            loop {
                match src.next_row() {
                    Ok(Some(row)) => {
                        assert_eq!(row.cells.len(), 2, "both cells of row {}", row.index);
                        seen.push(row.index);
                    }
                    Ok(None) => return Ok((seen, None)),
                    Err(e) => return Ok((seen, Some(e.message))),
                }
            }
        })
        .unwrap()
    };
    // More rows than several batches, and not a whole number of them.
    let (seen, error) = read(1_000, None);
    assert_eq!(seen, (0..1_000).collect::<Vec<_>>());
    assert_eq!(error, None);
    // An empty sheet.
    assert_eq!(read(0, None), (vec![], None));
    // A damaged file: every row known whole before the damage (the last one read might have
    // had more cells), then its message.
    let (seen, error) = read(1_000, Some(700));
    assert_eq!(seen, (0..699).collect::<Vec<_>>());
    assert!(error.unwrap().contains("文件已损坏"));
}

#[test]
fn a_consumer_that_stops_early_stops_the_reader() {
    // A sheet without end: only the consumer stopping ends the reading thread.
    let endless = CellRows::new(counted_cells(u32::MAX, None), 0);
    let first: Result<Vec<u32>> = read_ahead(endless, |src| {
        let mut seen = Vec::new();
        while let Some(row) = src.next_row()? {
            seen.push(row.index);
            if seen.len() == 3 {
                return Err(rejected("too_many_rows", "一次最多导入"));
            }
        }
        Ok(seen)
    });
    assert!(first.unwrap_err().message.contains("一次最多导入"));
}

#[test]
fn a_volunteers_column_is_imported_and_checked_like_every_count() {
    let mut town = Town::new();
    let mut header: Vec<V> = COLUMNS.iter().map(|c| s(c.header)).collect();
    header.push(s("法律明白人、普法志愿者"));
    let mut row = template_rows(&[good(s("2024-05-10"), "安静村", "法律明白人宣讲")])
        .pop()
        .unwrap();
    row.push(s("12人次"));
    let path = town.file("志愿者.xlsx");
    write_xlsx(&path, "活动登记", &[header.clone(), row], &[]);
    town.import(&path).unwrap();
    let got = town.records_on("2024-05-10", "2024-05-10");
    let got = got.iter().find(|r| r.title == "法律明白人宣讲").unwrap();
    assert_eq!(got.counts.volunteers, 12);

    // A negative one names the row and the column, and nothing is imported.
    let mut bad = template_rows(&[good(s("2024-05-11"), "安静村", "志愿者为负")])
        .pop()
        .unwrap();
    bad.push(V::N(-3.0));
    let path = town.file("志愿者为负.xlsx");
    write_xlsx(&path, "活动登记", &[header, bad], &[]);
    let preview = town.preview(&path).unwrap();
    let text = format!("{preview:?}");
    assert!(text.contains("不能为负数"), "{text}");
    let _ = town.import(&path);
    assert!(!town
        .records_on("2024-05-11", "2024-05-11")
        .iter()
        .any(|r| r.title == "志愿者为负"));
}

mod mapper;
mod no_silent_loss;
mod reimport;
mod two_rows;

#[test]
fn times_and_day_ranges_written_after_the_date() {
    let time = |a: &str, b: Option<&str>| Some(DateTail::Time(Some(a.into()), b.map(Into::into)));
    for (tail, want) in [
        ("上午", time("09:00", Some("12:00"))),
        ("下午", time("14:30", Some("17:30"))),
        ("晚上", time("19:30", Some("21:30"))),
        ("全天", Some(DateTail::Time(None, None))),
        ("上午9时", time("09:00", None)),
        ("下午2点半", time("14:30", None)),
        ("9时", time("09:00", None)),
        ("9:30—11:00", time("09:30", Some("11:00"))),
        ("9:30-11:00", time("09:30", Some("11:00"))),
        ("—15日", Some(DateTail::Through(15))),
        ("-3月16日", Some(DateTail::Through(16))),
        ("至15日", Some(DateTail::Through(15))),
        ("（星期五）", None),
        ("很早", None),
        ("—32日", None),
    ] {
        assert_eq!(date_tail(tail), want, "{tail}");
    }
    let mut town = Town::new();
    let rows = template_rows(&[
        {
            let mut r = good(s("2024年3月15日上午9时"), "安静村", "上午场");
            r.retain(|(h, _)| *h != "开始时间" && *h != "结束时间");
            r
        },
        {
            let mut r = good(s("2024年3月14日—15日"), "石院村", "两天的活动");
            r.retain(|(h, _)| *h != "开始时间" && *h != "结束时间");
            r
        },
    ]);
    let path = town.file("日期后的时间.xlsx");
    write_xlsx(&path, "Sheet1", &rows, &[]);
    let p = town.preview(&path).unwrap();
    assert_eq!((p.valid, p.error_rows), (2, 0), "{:#?}", p.errors);
    assert!(p
        .warnings
        .iter()
        .any(|w| w.row == 3 && w.message.contains("跨了几天，按开始的14日记录（到15日）")));
    town.import(&path).unwrap();
    let r = town.records_on("2024-03-15", "2024-03-15");
    let r = r.iter().find(|r| r.title == "上午场").unwrap();
    assert_eq!(r.start_time.as_deref(), Some("09:00"));
    assert_eq!(r.end_time, None);
    assert_eq!(
        town.records_on("2024-03-14", "2024-03-14")
            .iter()
            .filter(|r| r.title == "两天的活动")
            .count(),
        1
    );
}
