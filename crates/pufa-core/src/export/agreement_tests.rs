//! One truth for every number: for any period, scope (town, a village, a campaign) and basis
//! (approved, with pending), the 统计 (`summary`), the 台账 screen's totals, the 透视表, every
//! sheet of the 台账 workbook (read back with calamine), the CSV and the numbers of both Word
//! reports give the same 场次, 参加人数, 受众人次 and 咨询人次 — and no output adds quantities of
//! different units.

use crate::db::Db;
use crate::record::{self, PageRequest, RecordFilter};
use crate::reports::pivot::{pivot, Dim, Measure, PivotRequest};
use crate::reports::{self, Basis, Summary, SummaryFilter};
use calamine::{open_workbook, Data, Reader, Xlsx};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeMap;
use std::path::Path;

/// The four numbers every output states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Figures {
    activities: i64,
    participants: i64,
    reach: i64,
    consultations: i64,
}

impl Figures {
    fn of(s: &Summary) -> Figures {
        Figures {
            activities: s.activities,
            participants: s.participants,
            reach: s.reach,
            consultations: s.counts.consultations,
        }
    }
}

fn demo() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    crate::demo::load_town(&mut db, 5, 2026);
    db
}

fn text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        _ => String::new(),
    }
}

fn number(cell: Option<&Data>) -> i64 {
    match cell {
        Some(Data::Float(f)) => *f as i64,
        Some(Data::Int(i)) => *i,
        None | Some(Data::Empty) => 0,
        other => panic!("not a number: {other:?}"),
    }
}

/// A sheet's rows as cells, and the row holding the column headings (its first cell 序号).
fn sheet(wb: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> (Vec<Vec<Data>>, usize) {
    let range = wb.worksheet_range(name).unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let head = rows
        .iter()
        .position(|r| text(r.first()) == "序号")
        .unwrap_or_else(|| panic!("{name}: no heading row"));
    (rows, head)
}

/// The column of a heading in the heading row (a narrow column's unit is on a line of its own).
fn column(rows: &[Vec<Data>], head: usize, heading: &str) -> Option<usize> {
    rows[head]
        .iter()
        .position(|c| text(Some(c)).replace('\n', "") == heading)
}

/// What a 台账 workbook says: the detail sheet's rows and 合计, each totals sheet's 合计, the
/// materials by unit.
#[derive(Debug)]
struct Workbook {
    detail_rows: i64,
    detail_sums: Figures,
    detail_total: Figures,
    /// (sheet, 场次, 参加人数, 受众人次) of each totals sheet's 合计 row.
    sheet_totals: Vec<(String, [i64; 3])>,
    materials: BTreeMap<String, i64>,
}

fn read_workbook(path: &Path) -> Workbook {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let (rows, head) = sheet(&mut wb, "活动台账");
    let cols = ["参加人数（人）", "受众人次", "咨询人次"].map(|h| column(&rows, head, h));
    let total_at = rows
        .iter()
        .position(|r| text(r.first()) == "合计")
        .expect("a 合计 row");
    let figures = |r: &[Data]| {
        let v = cols.map(|c| c.map_or(0, |c| number(r.get(c))));
        Figures {
            activities: 0,
            participants: v[0],
            reach: v[1],
            consultations: v[2],
        }
    };
    let mut sums = Figures::default();
    for r in &rows[head + 1..total_at] {
        let f = figures(r);
        sums.activities += 1;
        sums.participants += f.participants;
        sums.reach += f.reach;
        sums.consultations += f.consultations;
    }
    let mut detail_total = figures(&rows[total_at]);
    let name_col = column(&rows, head, "活动名称").unwrap();
    let count_text = text(rows[total_at].get(name_col));
    detail_total.activities = count_text
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("合计 says {count_text}"));

    let mut sheet_totals = Vec::new();
    for name in ["按普法节点", "按活动专项", "按村（社区）"] {
        let (rows, head) = sheet(&mut wb, name);
        let c = ["场次", "参加人数（人）", "受众人次"].map(|h| column(&rows, head, h).unwrap());
        let total = rows
            .iter()
            .find(|r| text(r.first()).starts_with("合计"))
            .unwrap_or_else(|| panic!("{name}: no 合计"));
        if name == "按村（社区）" {
            // One record in one row: the rows add up to the 合计.
            let at = rows.iter().position(|r| std::ptr::eq(r, total)).unwrap();
            for (i, col) in c.iter().enumerate() {
                let sum: i64 = rows[head + 1..at].iter().map(|r| number(r.get(*col))).sum();
                assert_eq!(sum, number(total.get(*col)), "{name} column {i}");
            }
        } else {
            assert_eq!(text(total.first()), "合计（去重）", "{name}");
        }
        sheet_totals.push((name.to_string(), c.map(|col| number(total.get(col)))));
    }
    let (rows, head) = sheet(&mut wb, "资料发放");
    let mut materials = BTreeMap::new();
    let mut per_unit: BTreeMap<String, i64> = BTreeMap::new();
    for r in &rows[head + 1..] {
        let label = text(r.first());
        let unit = text(r.get(2));
        if label.starts_with("合计") {
            materials.insert(unit, number(r.get(3)));
        } else if !unit.is_empty() {
            *per_unit.entry(unit).or_default() += number(r.get(3));
        }
    }
    // Each unit's 合计 is the sum of that unit's materials: never a total across units.
    assert_eq!(materials, per_unit);
    Workbook {
        detail_rows: sums.activities,
        detail_sums: sums,
        detail_total,
        sheet_totals,
        materials,
    }
}

/// The CSV: its rows before 合计, their sums, the 合计 row, and the 统计口径 line at the end.
fn read_csv(path: &Path) -> (i64, Figures, Figures, String) {
    let bytes = std::fs::read(path).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(&bytes[3..]);
    let headers = r.headers().unwrap().clone();
    let col = |h: &str| headers.iter().position(|x| x == h).unwrap();
    let cols = [col("参加人数（人）"), col("受众人次"), col("咨询人次")];
    let mut sums = Figures::default();
    let mut total = Figures::default();
    let mut basis = String::new();
    let mut seen_total = false;
    for rec in r.records() {
        let rec = rec.unwrap();
        let n = |i: usize| rec.get(i).unwrap_or("").parse::<i64>().unwrap_or(0);
        if rec.get(0) == Some("合计") {
            seen_total = true;
            total = Figures {
                activities: rec[col("活动名称")]
                    .split(' ')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap(),
                participants: n(cols[0]),
                reach: n(cols[1]),
                consultations: n(cols[2]),
            };
        } else if seen_total {
            basis = rec[0].to_string();
        } else {
            sums.activities += 1;
            sums.participants += n(cols[0]);
            sums.reach += n(cols[1]);
            sums.consultations += n(cols[2]);
        }
    }
    (sums.activities, sums, total, basis)
}

/// The paragraphs and table rows of a .docx, as text.
fn docx_text(path: &Path) -> (String, Vec<Vec<String>>) {
    let xml = crate::testing::zip_entries(path)
        .into_iter()
        .find(|(n, _)| n == "word/document.xml")
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .unwrap();
    // The text runs of a piece of XML.
    fn runs(xml: &str) -> String {
        let mut out = String::new();
        let mut rest = xml;
        while let Some(i) = rest.find("<w:t") {
            rest = &rest[i..];
            let Some(open_end) = rest.find('>') else {
                break;
            };
            if rest[..open_end].ends_with('/') {
                rest = &rest[open_end + 1..];
                continue;
            }
            // <w:tbl…>, <w:tc…>, <w:tr…> also start with "<w:t": only runs hold text.
            let tag = &rest[..open_end];
            let body = &rest[open_end + 1..];
            if tag != "<w:t" && !tag.starts_with("<w:t ") {
                rest = body;
                continue;
            }
            let Some(close) = body.find("</w:t>") else {
                break;
            };
            out.push_str(&body[..close]);
            rest = &body[close..];
        }
        out
    }
    let mut rows = Vec::new();
    let mut rest = xml.as_str();
    while let Some(i) = rest.find("<w:tr") {
        let end = rest[i..].find("</w:tr>").unwrap() + i;
        let row = &rest[i..end];
        rows.push(
            row.split("</w:tc>")
                .map(runs)
                .filter(|c| !c.is_empty())
                .collect(),
        );
        rest = &rest[end..];
    }
    (runs(&xml), rows)
}

/// The 合计 rows of a document's tables: [场次, 参加人数, 受众人次] where they hold them.
fn docx_totals(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    rows.iter()
        .filter(|r| r.first().is_some_and(|c| c.starts_with("合计")))
        .cloned()
        .collect()
}

fn filters(db: &Db, from: &str, to: &str, scope: u8, pick: usize, basis: Basis) -> SummaryFilter {
    let (village, campaign_id) = match scope {
        1 => {
            let v = crate::unit::list(
                &db.conn,
                &crate::unit::UnitFilter {
                    kind: Some("village".into()),
                    ..Default::default()
                },
            )
            .unwrap();
            (Some(v[pick % v.len()].id.clone()), None)
        }
        2 => {
            let c = crate::campaign::list(&db.conn, &Default::default()).unwrap();
            assert!(!c.is_empty());
            (None, Some(c[pick % c.len()].id.clone()))
        }
        _ => (None, None),
    };
    SummaryFilter {
        from: from.into(),
        to: to.into(),
        village,
        campaign_id,
        include_pending: basis.takes("pending"),
        basis: Some(basis),
        search: None,
    }
}

/// Every output of one period, scope and basis: the same four numbers.
fn agree(db: &Db, f: &SummaryFilter, dir: &Path) {
    let s = reports::summary(&db.conn, f).unwrap();
    let want = Figures::of(&s);
    let basis = f.basis();
    let what = format!(
        "{} {}..{} {:?}/{:?}",
        basis.code(),
        f.from,
        f.to,
        f.village,
        f.campaign_id
    );

    // The 台账 screen's totals.
    let rf = RecordFilter {
        from: Some(f.from.clone()),
        to: Some(f.to.clone()),
        unit_id: f.village.clone(),
        campaign_id: f.campaign_id.clone(),
        review_status: Some(basis.code().into()),
        search: None,
        recorder: None,
    };
    let page = record::page(
        &db.conn,
        &rf,
        &PageRequest {
            limit: 1,
            with_totals: true,
            ..Default::default()
        },
    )
    .unwrap()
    .totals
    .unwrap();
    assert_eq!(
        Figures {
            activities: page.count,
            participants: page.participants,
            reach: page.reach,
            consultations: page.counts.consultations
        },
        want,
        "台账 screen, {what}"
    );

    // The 透视表: the grand total of each measure, whatever the rows (a node is multi-valued).
    for (measure, expected) in [
        (Measure::Activities, want.activities),
        (Measure::Participants, want.participants),
        (Measure::Reach, want.reach),
        (Measure::Consultations, want.consultations),
    ] {
        for (rows, cols) in [(Dim::Village, None), (Dim::Node, Some(Dim::Month))] {
            let t = pivot(
                &db.conn,
                &PivotRequest {
                    filter: f.clone(),
                    rows,
                    cols,
                    measure,
                },
            )
            .unwrap();
            assert_eq!(
                t.total,
                Some(expected),
                "pivot {measure:?} by {rows:?}, {what}"
            );
            if rows == Dim::Village {
                // One record in one village: the rows add up to the total.
                let sum: i64 = t.row_totals.iter().map(|v| v.unwrap()).sum();
                assert_eq!(sum, expected, "pivot rows, {what}");
            }
        }
    }

    // The workbook, every sheet.
    let xlsx = dir.join("台账.xlsx");
    let out = super::ledger::export_xlsx(&db.conn, &xlsx, &rf).unwrap();
    let wb = read_workbook(&xlsx);
    assert_eq!(out.count as i64, want.activities, "{what}");
    assert_eq!(wb.detail_rows, want.activities, "detail rows, {what}");
    let mut sums = wb.detail_sums;
    sums.activities = wb.detail_rows;
    assert_eq!(sums, want, "detail rows' sums, {what}");
    assert_eq!(wb.detail_total, want, "detail 合计, {what}");
    for (name, [a, p, r]) in &wb.sheet_totals {
        assert_eq!(
            (*a, *p, *r),
            (want.activities, want.participants, want.reach),
            "{name}, {what}"
        );
    }
    let units: BTreeMap<String, i64> = s
        .material_units
        .iter()
        .map(|u| (u.unit.clone(), u.quantity))
        .collect();
    assert_eq!(wb.materials, units, "资料发放, {what}");

    // The CSV.
    let csv = dir.join("台账.csv");
    super::ledger::export_csv(&db.conn, &csv, &rf).unwrap();
    let (rows, sums, total, line) = read_csv(&csv);
    assert_eq!(rows, want.activities, "csv rows, {what}");
    let mut sums = sums;
    sums.activities = rows;
    assert_eq!(sums, want, "csv sums, {what}");
    assert_eq!(total, want, "csv 合计, {what}");
    assert_eq!(line, s.basis_line, "csv basis line, {what}");
    assert!(line.starts_with("统计口径："), "{line}");
}

#[test]
fn every_output_gives_the_same_numbers_for_any_period_scope_and_basis() {
    let db = demo();
    let dir = tempfile::tempdir().unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 32,
        failure_persistence: None,
        ..Config::default()
    });
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    runner
        .run(
            &(
                0u32..365,
                0u32..400,
                0u8..3,
                0usize..40,
                any::<bool>(),
                any::<bool>(),
            ),
            |(first, days, scope, pick, pending, whole_year)| {
                let (from, to) = if whole_year {
                    ("2026-01-01".to_string(), "2026-12-31".to_string())
                } else {
                    let a = start + chrono::Days::new(first.into());
                    (
                        a.to_string(),
                        (a + chrono::Days::new(days.into())).to_string(),
                    )
                };
                let f = filters(&db, &from, &to, scope, pick, Basis::counted(pending));
                agree(&db, &f, dir.path());
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn the_word_reports_state_the_same_numbers() {
    let db = demo();
    let dir = tempfile::tempdir().unwrap();
    for pending in [false, true] {
        let basis = Basis::counted(pending);
        // The annual report of the year.
        let f = filters(&db, "2026-01-01", "2026-12-31", 0, 0, basis);
        let s = reports::summary(&db.conn, &f).unwrap();
        let path = dir.path().join("总结.docx");
        let out = super::report_docx::export_annual(&db.conn, &path, 2026, pending).unwrap();
        assert_eq!(out.activities, s.activities);
        assert_eq!(out.basis_line, s.basis_line);
        let (body, rows) = docx_text(&path);
        assert!(
            body.contains(&format!("共开展各类普法活动{}场次", s.activities)),
            "{body}"
        );
        assert!(
            body.contains(&format!("受教育群众{}人次", reports::approx(s.reach))),
            "{body}"
        );
        assert!(
            body.contains(&format!(
                "现场解答法律咨询{}人次",
                reports::approx(s.counts.consultations)
            )),
            "{body}"
        );
        assert!(body.contains(&s.basis_line), "the note states the basis");
        let totals = docx_totals(&rows);
        let want = [
            s.activities.to_string(),
            s.participants.to_string(),
            s.reach.to_string(),
        ];
        // 按活动专项 and 按村（社区）: each record in one row, the 合计 is the total.
        for t in &totals[..2] {
            assert_eq!(t[1..4], want, "{t:?}");
        }
        // The materials: a 合计 per unit.
        let units: BTreeMap<String, String> = totals[2..]
            .iter()
            .map(|t| (t[1].clone(), t[2].clone()))
            .collect();
        let want_units: BTreeMap<String, String> = s
            .material_units
            .iter()
            .map(|u| (u.unit.clone(), u.quantity.to_string()))
            .collect();
        assert_eq!(units, want_units);

        // Every campaign's report.
        for c in crate::campaign::list(&db.conn, &Default::default()).unwrap() {
            let f = SummaryFilter {
                campaign_id: Some(c.id.clone()),
                ..filters(&db, record::ALL_FROM, record::ALL_TO, 0, 0, basis)
            };
            let s = reports::summary(&db.conn, &f).unwrap();
            let path = dir.path().join("专项.docx");
            let out = super::report_docx::export_campaign(&db.conn, &path, &c.id, pending).unwrap();
            assert_eq!(out.activities, s.activities, "{}", c.name);
            let (body, rows) = docx_text(&path);
            if s.activities > 0 {
                assert!(
                    body.contains(&format!("共开展各类普法活动{}场次", s.activities)),
                    "{}: {body}",
                    c.name
                );
            }
            let totals = docx_totals(&rows);
            // 按村（社区）, then the detail table's 合计 ("N场次", 参加人数, 受众人次).
            assert_eq!(
                totals[0][1..4],
                [
                    s.activities.to_string(),
                    s.participants.to_string(),
                    s.reach.to_string()
                ],
                "{}",
                c.name
            );
            assert_eq!(
                totals[1],
                [
                    "合计".to_string(),
                    format!("{}场次", s.activities),
                    s.participants.to_string(),
                    s.reach.to_string()
                ],
                "{}",
                c.name
            );
        }
    }
}

#[test]
fn an_empty_period_gives_zeros_everywhere() {
    let db = demo();
    let dir = tempfile::tempdir().unwrap();
    let f = filters(&db, "2031-01-01", "2031-03-31", 0, 0, Basis::Approved);
    let s = reports::summary(&db.conn, &f).unwrap();
    assert_eq!(Figures::of(&s), Figures::default());
    agree(&db, &f, dir.path());
}

/// Two approved records with hand-outs in 份 and 册.
fn two_units() -> Db {
    use crate::inventory::{create_material, receive, MaterialInput, ReceiptInput};
    use crate::record::{MaterialLineInput, RecordInput};
    use crate::town::{setup, SetupInput, UserInput};
    let mut db = Db::open_in_memory().unwrap();
    setup(
        &mut db,
        &SetupInput {
            town: "双龙镇".into(),
            villages: vec!["安静村\n石院村".into()],
            user: Some(UserInput {
                name: "李明".into(),
                role: "coordinator".into(),
                village: None,
            }),
            ..Default::default()
        },
    )
    .unwrap();
    for (name, category, unit) in [("宪法宣传折页", "折页", "份"), ("宪法读本", "读本", "册")]
    {
        create_material(
            &mut db,
            &MaterialInput {
                name: name.into(),
                category: Some(category.into()),
                unit: unit.into(),
                ..Default::default()
            },
        )
        .unwrap();
        receive(
            &mut db,
            &ReceiptInput {
                material: name.into(),
                quantity: 1000,
                date: "2026-11-01".into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    for (village, leaflets, books) in [("安静村", 200.0, 50.0), ("石院村", 300.0, 0.0)] {
        let line = |name: &str, unit: &str, quantity: f64| MaterialLineInput {
            material_id: Some(name.into()),
            material_name: None,
            quantity,
            unit: Some(unit.into()),
        };
        let mut materials = vec![line("宪法宣传折页", "份", leaflets)];
        if books > 0.0 {
            materials.push(line("宪法读本", "册", books));
        }
        let r = record::create(
            &mut db,
            &RecordInput {
                title: format!("{village}宪法宣传"),
                date: "2026-12-04".into(),
                unit_id: Some(village.into()),
                formats: vec!["集中宣传".into()],
                participants: 60.0,
                recorder: "李明".into(),
                materials,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(r.review_status, record::ReviewStatus::Approved);
    }
    db
}

#[test]
fn no_output_adds_quantities_of_different_units() {
    let db = two_units();
    let dir = tempfile::tempdir().unwrap();
    let f = filters(&db, "2026-01-01", "2026-12-31", 0, 0, Basis::Approved);
    let s = reports::summary(&db.conn, &f).unwrap();
    let units: Vec<(&str, i64)> = s
        .material_units
        .iter()
        .map(|u| (u.unit.as_str(), u.quantity))
        .collect();
    assert_eq!(units, [("份", 500), ("册", 50)]);
    // The headline: "发放宣传折页500份、法治读本50册", never "550份".
    assert!(s.headline.contains("宣传折页500份"), "{}", s.headline);
    assert!(s.headline.contains("法治读本50册"), "{}", s.headline);
    assert!(!s.headline.contains("550"), "{}", s.headline);

    // The workbook: a 合计 per unit (read_workbook checks each against its materials).
    let xlsx = dir.path().join("台账.xlsx");
    super::ledger::export_xlsx(&db.conn, &xlsx, &RecordFilter::default()).unwrap();
    let wb = read_workbook(&xlsx);
    assert_eq!(
        wb.materials,
        BTreeMap::from([("份".to_string(), 500), ("册".to_string(), 50)])
    );
    // The detail sheet's 合计 of 发放资料 lists the units apart.
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let (rows, head) = sheet(&mut book, "活动台账");
    let col = column(&rows, head, "发放资料").unwrap();
    let total = rows.iter().find(|r| text(r.first()) == "合计").unwrap();
    assert_eq!(text(total.get(col)), "500份、50册");

    // The 透视表: quantity by village is split by unit; a total across units is left empty.
    let req = |rows, cols| PivotRequest {
        filter: f.clone(),
        rows,
        cols,
        measure: Measure::Quantity,
    };
    let t = pivot(&db.conn, &req(Dim::Village, None)).unwrap();
    assert_eq!(t.cols, Some(Dim::Unit), "split by unit");
    assert_eq!(t.total, None);
    // 安静村 handed out 份 and 册: no total; 石院村 only 份.
    assert_eq!(t.row_totals, [None, Some(300)]);
    let labels: Vec<&str> = t.col_labels.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels.len(), 2);
    assert!(t.col_totals.iter().all(Option::is_some));
    let e = pivot(&db.conn, &req(Dim::Village, Some(Dim::Month))).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("cols"));
    assert!(e.message.contains("不同计量单位"), "{}", e.message);
    let t = pivot(&db.conn, &req(Dim::Material, Some(Dim::Village))).unwrap();
    assert!(
        t.row_totals.iter().all(Option::is_some),
        "a material's row is one unit"
    );
    assert_eq!(
        t.col_totals,
        [None, Some(300)],
        "安静村's column has two units"
    );
    assert_eq!(t.total, None);

    // The Word report: each unit on its own.
    let path = dir.path().join("总结.docx");
    super::report_docx::export_annual(&db.conn, &path, 2026, false).unwrap();
    let (body, rows) = docx_text(&path);
    assert!(body.contains("宪法宣传折页500份"), "{body}");
    assert!(body.contains("宪法读本50册"), "{body}");
    assert!(!body.contains("550"), "{body}");
    let totals = docx_totals(&rows);
    assert!(totals.iter().any(|t| t[1..] == ["份", "500"]), "{totals:?}");
    assert!(totals.iter().any(|t| t[1..] == ["册", "50"]), "{totals:?}");
}
