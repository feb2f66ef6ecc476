//! A corpus of messy 台账 workbooks, made by the code below as townships keep them — title and
//! 合计 rows, three wordings of the header, headers over two rows, reordered and unused columns, merged villages and
//! merged counts, continuation rows, second sheets with a 封面 and a 汇总, two sessions of one
//! day, formula errors, full-width digits, 发放资料（份） — each with the records and totals it
//! must give. The import must get at least 97% of the rows right and lose none silently: every
//! data row imported, shown as a duplicate, joined to the activity above, or an error naming
//! its row and column.

use pufa_core::db::Db;
use pufa_core::exchange::xlsx_import::{self, ImportAsked, ImportReport};
use pufa_core::record::{self, RecordFilter};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use std::collections::BTreeMap;
use std::path::Path;

/// What a sheet row holds, by meaning (the header's wording is the workbook's).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Col {
    No,
    Date,
    Unit,
    Venue,
    Title,
    Format,
    People,
    Material,
    Quantity,
    Recorder,
    Remark,
}

/// Three wordings townships use for the same columns.
fn header(wording: usize, c: Col) -> &'static str {
    let words: [&str; 3] = match c {
        Col::No => ["序号", "序号", "编号"],
        Col::Date => ["日期", "时间", "活动日期"],
        Col::Unit => ["村/社区", "村", "所属村(社区)"],
        Col::Venue => ["地点", "地点", "活动地点"],
        Col::Title => ["活动名称", "活动内容", "活动主题"],
        Col::Format => ["活动形式", "形式", "活动方式"],
        Col::People => ["参加人数", "人数", "参与人数"],
        Col::Material => ["发放资料", "资料名称", "宣传资料"],
        Col::Quantity => ["数量", "发放数量（份）", "份数"],
        Col::Recorder => ["记录人", "填表人", "登记人"],
        Col::Remark => ["备注", "备注", "其他"],
    };
    words[wording]
}

/// A cell to write.
#[derive(Clone, Debug)]
enum V {
    S(String),
    N(f64),
    D(u16, u8, u8),
    RefError,
    Blank,
}

/// One activity the workbook must give, and how its row is written.
#[derive(Clone, Debug)]
struct Activity {
    date: (u16, u8, u8),
    unit: &'static str,
    venue: String,
    title: String,
    people: i64,
    materials: Vec<(&'static str, i64)>,
}

/// What a written data row must become.
#[derive(Clone, Debug, PartialEq)]
enum Expect {
    /// This activity, recorded with these people and materials.
    Record(usize),
    Duplicate,
    /// An error of this row.
    Error,
    /// Joined to the activity above.
    Continued,
}

struct Sheet {
    name: String,
    rows: Vec<Vec<V>>,
    merges: Vec<(u32, u16, u32, u16, String)>,
    /// Excel row (1-based) → what it must become.
    expect: Vec<(u32, Expect)>,
}

struct Case {
    sheets: Vec<Sheet>,
    activities: Vec<Activity>,
}

const UNITS: [&str; 4] = ["安静村", "石院村", "双龙社区", "龙飞村"];
const FORMATS: [&str; 4] = ["集中宣传", "院坝会", "讲座", "有奖问答"];

fn date_cell(i: usize, (y, m, d): (u16, u8, u8), full_width: bool) -> V {
    match i % 4 {
        0 => V::D(y, m, d),
        1 => V::S(format!("{y}年{m}月{d}日")),
        2 => V::S(format!("{y}.{m}.{d}")),
        _ if full_width => V::S(
            format!("{y}-{m:02}-{d:02}")
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                    '-' => '－',
                    c => c,
                })
                .collect(),
        ),
        _ => V::S(format!("{y}/{m}/{d}")),
    }
}

/// Workbook `n` of the corpus: its features chosen by the bits and residues of `n`.
fn case(n: usize) -> Case {
    let wording = n % 3;
    let title_rows = n & 1 != 0;
    let merged_unit = n & 2 != 0;
    let continuation = n & 4 != 0;
    let joint = n & 8 != 0;
    let second_sheet = n & 16 != 0;
    let extra_columns = n.is_multiple_of(2);
    let formula_error = n % 4 == 1;
    let two_sessions = n % 5 == 2;
    // A header over two rows: 发放资料 merged over 种类 | 份数, the other headers merged down.
    let two_row_header = n % 4 == 3;
    let month = (n % 12) as u8 + 1;

    let mut activities: Vec<Activity> = (0..8)
        .map(|i| Activity {
            date: (2024, month, (i as u8) + 1 + (n / 12) as u8 * 9),
            unit: UNITS[(i + n) % 4],
            venue: format!("{}号会场", i + 1),
            title: format!("第{n}册普法活动{}", i + 1),
            people: 20 + (i as i64) * 7 + n as i64,
            materials: vec![("宪法读本", 5 + i as i64)],
        })
        .collect();
    if merged_unit {
        activities[1].unit = activities[0].unit;
    }
    if joint {
        // Two villages of one event: date and name alike, the people written once.
        activities[4].date = activities[3].date;
        activities[4].title = activities[3].title.clone();
        activities[4].materials.clear();
        activities[4].unit = if activities[3].unit == UNITS[0] {
            UNITS[1]
        } else {
            UNITS[0]
        };
    }
    if two_sessions {
        activities[6].date = activities[5].date;
        activities[6].unit = activities[5].unit;
        activities[6].title = activities[5].title.clone();
    }
    if continuation {
        activities[2].materials.push(("民法典宣传手册", 30));
    }

    let mut cols = vec![
        Col::Date,
        Col::Unit,
        Col::Venue,
        Col::Title,
        Col::Format,
        Col::People,
        Col::Material,
        Col::Quantity,
        Col::Recorder,
    ];
    if extra_columns {
        cols.insert(0, Col::No);
        cols.push(Col::Remark);
    }
    // Reordered: the name before the village in some books.
    if n % 3 == 1 {
        cols.retain(|c| *c != Col::Title);
        let at = cols.iter().position(|c| *c == Col::Date).unwrap() + 1;
        cols.insert(at, Col::Title);
    }
    let at = |c: Col| cols.iter().position(|x| *x == c).unwrap() as u16;

    let split = if second_sheet { 6 } else { 8 };
    let mut sheets = Vec::new();
    for (sheet_no, range) in [(0usize, 0..split), (1, split..8)] {
        if range.is_empty() {
            continue;
        }
        let mut rows: Vec<Vec<V>> = Vec::new();
        let mut merges = Vec::new();
        let mut expect = Vec::new();
        if title_rows {
            rows.push(vec![V::S(format!("双龙镇2024年{month}月普法活动台账"))]);
            merges.push((
                0,
                0,
                0,
                cols.len() as u16 - 1,
                format!("双龙镇2024年{month}月普法活动台账"),
            ));
        }
        rows.push(
            cols.iter()
                .map(|c| V::S(header(wording, *c).into()))
                .collect(),
        );
        if two_row_header {
            let h = rows.len() as u32 - 1;
            let (m, q) = (at(Col::Material), at(Col::Quantity));
            let top = rows.last_mut().unwrap();
            top[m as usize] = V::S("发放资料".into());
            top[q as usize] = V::Blank;
            let mut below = vec![V::Blank; cols.len()];
            below[m as usize] = V::S("种类".into());
            below[q as usize] = V::S("份数".into());
            rows.push(below);
            for (k, c) in cols.iter().enumerate() {
                if k as u16 != m && k as u16 != q {
                    merges.push((h, k as u16, h + 1, k as u16, header(wording, *c).into()));
                }
            }
            merges.push((h, m, h, q, "发放资料".into()));
        }
        let write = |rows: &mut Vec<Vec<V>>, a: &Activity, i: usize, title: V, people: V| {
            let mut line = vec![V::Blank; cols.len()];
            for (k, c) in cols.iter().enumerate() {
                line[k] = match c {
                    Col::No => V::N(i as f64 + 1.0),
                    Col::Date => date_cell(i + n, a.date, n % 7 == 3),
                    Col::Unit => V::S(a.unit.into()),
                    Col::Venue => V::S(a.venue.clone()),
                    Col::Title => title.clone(),
                    Col::Format => V::S(FORMATS[i % 4].into()),
                    Col::People => people.clone(),
                    Col::Material => a.materials.first().map_or(V::Blank, |m| V::S(m.0.into())),
                    Col::Quantity => a.materials.first().map_or(V::Blank, |m| V::N(m.1 as f64)),
                    Col::Recorder => V::S("张三".into()),
                    Col::Remark => V::S("已归档".into()),
                };
            }
            rows.push(line);
        };
        for i in range.clone() {
            let a = &activities[i];
            let excel_row = rows.len() as u32 + 1;
            let people = if i == 0 && n % 6 == 5 {
                // Full-width digits.
                V::S(
                    format!("{}", a.people)
                        .chars()
                        .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
                        .collect(),
                )
            } else {
                V::N(a.people as f64)
            };
            if formula_error && i == 7 {
                write(&mut rows, a, i, V::RefError, people);
                expect.push((excel_row, Expect::Error));
                continue;
            }
            if joint && i == 4 {
                write(&mut rows, a, i, V::S(a.title.clone()), V::Blank);
                let r0 = excel_row - 2;
                let people_col = at(Col::People);
                merges.push((
                    r0,
                    people_col,
                    r0 + 1,
                    people_col,
                    activities[3].people.to_string(),
                ));
                expect.push((excel_row, Expect::Record(i)));
                continue;
            }
            write(&mut rows, a, i, V::S(a.title.clone()), people);
            expect.push((excel_row, Expect::Record(i)));
            if merged_unit && i == 1 && sheet_no == 0 {
                let uc = at(Col::Unit);
                merges.push((excel_row - 2, uc, excel_row - 1, uc, a.unit.to_string()));
            }
            if continuation && i == 2 {
                let mut line = vec![V::Blank; cols.len()];
                line[at(Col::Material) as usize] = V::S("民法典宣传手册".into());
                line[at(Col::Quantity) as usize] = V::N(30.0);
                rows.push(line);
                expect.push((rows.len() as u32, Expect::Continued));
            }
        }
        if sheet_no == 1 {
            // A row of the first sheet again (补录 repeating what was sent): a duplicate.
            let a = activities[0].clone();
            write(
                &mut rows,
                &a,
                0,
                V::S(a.title.clone()),
                V::N(a.people as f64),
            );
            expect.push((rows.len() as u32, Expect::Duplicate));
        }
        if title_rows {
            let mut total = vec![V::Blank; cols.len()];
            total[0] = V::S("合计".into());
            total[at(Col::People) as usize] = V::N(999.0);
            rows.push(total);
        }
        sheets.push(Sheet {
            name: if sheet_no == 0 {
                "台账".into()
            } else {
                "补录".into()
            },
            rows,
            merges,
            expect,
        });
    }
    if second_sheet {
        sheets.insert(
            0,
            Sheet {
                name: "封面".into(),
                rows: vec![
                    vec![V::S("双龙镇普法台账".into())],
                    vec![V::S("司法所 编".into())],
                ],
                merges: vec![],
                expect: vec![],
            },
        );
        sheets.push(Sheet {
            name: "汇总".into(),
            rows: vec![
                vec![
                    V::S("村/社区".into()),
                    V::S("场次".into()),
                    V::S("参加人数".into()),
                ],
                vec![V::S("安静村".into()), V::N(3.0), V::N(150.0)],
            ],
            merges: vec![],
            expect: vec![],
        });
    }
    Case { sheets, activities }
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet) {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match v {
                V::S(t) => {
                    ws.write(r, c, t.as_str()).unwrap();
                }
                V::N(x) => {
                    ws.write(r, c, *x).unwrap();
                }
                V::D(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                }
                V::RefError => {
                    let f = rust_xlsxwriter::Formula::new("=#REF!A1").set_result("#REF!");
                    ws.write_formula(r, c, f).unwrap();
                }
                V::Blank => {}
            }
        }
    }
    for (r0, c0, r1, c1, text) in &sheet.merges {
        ws.merge_range(*r0, *c0, *r1, *c1, text, &Format::new())
            .unwrap();
    }
}

fn write_case(path: &Path, case: &Case) {
    let mut wb = Workbook::new();
    for sheet in &case.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name).unwrap();
        write_sheet(ws, sheet);
    }
    wb.save(path).unwrap();
}

/// (date, unit, title, venue) → (people, materials by name).
type Recorded = BTreeMap<(String, String, String, String), (i64, BTreeMap<String, i64>)>;

fn recorded(db: &Db) -> Recorded {
    record::list(
        &db.conn,
        &RecordFilter {
            from: Some("2024-01-01".into()),
            to: Some("2024-12-31".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .into_iter()
    .filter(|r| r.title.contains("册普法活动"))
    .map(|r| {
        let mut m = BTreeMap::new();
        for line in &r.materials {
            *m.entry(line.material_name.clone()).or_insert(0) += line.quantity;
        }
        (
            (r.date, r.unit_name.unwrap_or_default(), r.title, r.venue),
            (r.participants, m),
        )
    })
    .collect()
}

fn demo_town(dir: &Path) -> Db {
    let mut db = Db::open_dir(&dir.join("data")).unwrap();
    pufa_core::demo::load(
        &mut db,
        &pufa_core::demo::DemoInput {
            seed: Some(5),
            year: Some(2024),
            scale: None,
        },
    )
    .unwrap();
    db
}

/// Rows checked in one workbook: (rows, right, what was wrong, people expected and recorded).
#[derive(Default)]
struct Tally {
    books: u32,
    rows: u32,
    right: u32,
    wrong: Vec<String>,
    people_expected: i64,
    people_recorded: i64,
}

/// Imports workbook `n` from `path` and checks every row of it against what it must give.
fn check_book(db: &mut Db, n: usize, path: &Path, tally: &mut Tally) {
    let case = case(n);
    tally.books += 1;
    let before = recorded(db);
    let r: ImportReport = xlsx_import::import(db, path, &ImportAsked::default(), &mut |_, _| true)
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    let after = recorded(db);
    let written: u32 = case.sheets.iter().map(|s| s.expect.len() as u32).sum();
    // No silent loss: every data row is accounted for.
    assert_eq!(
        r.imported + r.duplicates + r.error_rows + r.continued,
        written,
        "{}: {r:#?}",
        path.display()
    );
    for e in &r.errors {
        assert!(
            !e.column.is_empty() && e.message.contains(&format!("第{}行", e.row)),
            "{}: {e:?}",
            path.display()
        );
    }
    assert_eq!(
        r.sheets.iter().filter(|s| s.skipped.is_none()).count(),
        case.sheets.iter().filter(|s| !s.expect.is_empty()).count(),
        "{}: {:?}",
        path.display(),
        r.sheets
    );
    let new: Recorded = after
        .into_iter()
        .filter(|(k, _)| !before.contains_key(k))
        .collect();
    let joint = n & 8 != 0;
    for sheet in &case.sheets {
        for (row, expect) in &sheet.expect {
            tally.rows += 1;
            let ok = match expect {
                Expect::Record(i) => {
                    let a = &case.activities[*i];
                    let key = (
                        format!("{}-{:02}-{:02}", a.date.0, a.date.1, a.date.2),
                        a.unit.to_string(),
                        a.title.clone(),
                        a.venue.clone(),
                    );
                    // The joint event's people are counted once, on its first row.
                    let people = if joint && *i == 4 { 0 } else { a.people };
                    tally.people_expected += people;
                    let materials: BTreeMap<String, i64> = a
                        .materials
                        .iter()
                        .map(|(m, q)| (m.to_string(), *q))
                        .collect();
                    match new.get(&key) {
                        Some((p, m)) => {
                            tally.people_recorded += p;
                            *p == people && *m == materials
                        }
                        None => false,
                    }
                }
                Expect::Error => r
                    .errors
                    .iter()
                    .any(|e| e.sheet == sheet.name && e.row == *row),
                Expect::Duplicate => r.duplicates > 0,
                Expect::Continued => r.continued > 0,
            };
            if ok {
                tally.right += 1;
            } else {
                tally.wrong.push(format!(
                    "{} “{}” row {row}: {expect:?}",
                    path.display(),
                    sheet.name
                ));
            }
        }
    }
}

fn report(what: &str, t: &Tally) -> f64 {
    let share = t.right as f64 / t.rows as f64;
    println!(
        "{what}: {} workbooks, {} data rows, {} right ({:.1}%), people {} of {}",
        t.books,
        t.rows,
        t.right,
        share * 100.0,
        t.people_recorded,
        t.people_expected
    );
    share
}

#[test]
fn the_corpus_of_messy_workbooks_imports_right_and_loses_nothing_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let mut db = demo_town(tmp.path());
    let mut tally = Tally::default();
    for n in 0..32 {
        let path = tmp.path().join(format!("台账{n:02}.xlsx"));
        write_case(&path, &case(n));
        check_book(&mut db, n, &path, &mut tally);
    }
    let share = report("import corpus", &tally);
    assert!(tally.books >= 30);
    assert!(
        share >= 0.97,
        "{:.1}% right; wrong: {:#?}",
        share * 100.0,
        tally.wrong
    );
}

/// The committed files under tests/import_corpus/: workbooks of the corpus saved by
/// LibreOffice as .xls (what old WPS and Excel 2003 keep), .ods and .xlsx (see
/// make-saved.sh there). Each file is named `台账NN-<how>.<ext>`: the workbook `case(NN)`.
#[test]
fn the_corpus_saved_by_other_programs_imports_alike() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import_corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("xls" | "ods" | "xlsx")
            )
        })
        .collect();
    files.sort();
    assert!(files.len() >= 4, "{files:?}");
    let mut tally = Tally::default();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let n: usize = name["台账".len()..]
            .split('-')
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or_else(|| panic!("{name}"));
        // A town of its own each: the same workbook saved several ways.
        let tmp = tempfile::tempdir().unwrap();
        let mut db = demo_town(tmp.path());
        check_book(&mut db, n, path, &mut tally);
    }
    let share = report("saved by other programs", &tally);
    assert!(
        share >= 0.97,
        "{:.1}% right; wrong: {:#?}",
        share * 100.0,
        tally.wrong
    );
}

/// Writes the workbooks make-saved.sh converts (run by it, with PUFA_CORPUS_OUT set).
#[test]
#[ignore]
fn write_corpus_sources() {
    let out = std::path::PathBuf::from(std::env::var("PUFA_CORPUS_OUT").unwrap());
    for n in [15, 21, 30, 31] {
        write_case(&out.join(format!("台账{n:02}.xlsx")), &case(n));
    }
}
