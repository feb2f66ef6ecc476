use super::*;
use crate::api::dispatch;
use crate::db::Db;
use crate::demo::{load, DemoInput};
use crate::reports::{summary, Breakdown, Summary};
use proptest::prelude::*;
use serde_json::json;

fn filter(from: &str, to: &str) -> SummaryFilter {
    SummaryFilter {
        from: from.into(),
        to: to.into(),
        ..Default::default()
    }
}

fn request(f: SummaryFilter, rows: Dim, cols: Option<Dim>, measure: Measure) -> PivotRequest {
    PivotRequest {
        filter: f,
        rows,
        cols,
        measure,
    }
}

/// A small town with four approved records whose laws, nodes and materials are known.
fn small_town() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    let mut run = |raw: serde_json::Value| dispatch(&mut db, raw).unwrap();
    run(
        json!({"cmd": "setup", "args": {"town": "双龙镇", "villages": ["安静村\n石院村\n长安村"],
        "user": {"name": "李明", "role": "coordinator"}}}),
    );
    run(json!({"cmd": "material_create", "args": {"name": "宪法读本", "unit": "册"}}));
    run(json!({"cmd": "material_create", "args": {"name": "明白纸", "unit": "份"}}));
    let record = |date: &str,
                  village: &str,
                  laws: &[&str],
                  nodes: &[&str],
                  materials: serde_json::Value,
                  n: i64| {
        json!({"cmd": "record_create", "args": {"title": "普法讲座", "date": date, "unit_id": village,
            "formats": ["lecture"], "laws": laws, "nodes": nodes, "participants": n, "reach": n * 2,
            "recorder": "李明", "materials": materials, "confirm_below_zero": true}})
    };
    run(record(
        "2026-03-05",
        "安静村",
        &["宪法", "民法典"],
        &["constitution_week"],
        json!([{"material_id": "宪法读本", "quantity": 10, "unit": "册"},
               {"material_id": "明白纸", "quantity": 50, "unit": "份"}]),
        40,
    ));
    run(record(
        "2026-03-20",
        "石院村",
        &["宪法"],
        &[],
        json!([]),
        30,
    ));
    run(record(
        "2026-05-08",
        "安静村",
        &[],
        &[],
        json!([{"material_id": "明白纸", "quantity": 20, "unit": "份"}]),
        25,
    ));
    run(record(
        "2026-05-09",
        "石院村",
        &["民法典"],
        &[],
        json!([]),
        10,
    ));
    db
}

/// Totals that are all numbers (no quantity over several units).
fn some(totals: &[Option<i64>]) -> Vec<i64> {
    totals.iter().map(|v| v.expect("a number")).collect()
}

fn keys(labels: &[PivotLabel]) -> Vec<&str> {
    labels.iter().map(|l| l.label.as_str()).collect()
}

#[test]
fn a_record_with_two_laws_is_in_both_rows_and_once_in_the_total() {
    let db = small_town();
    let year = || filter("2026-01-01", "2026-12-31");
    let t = pivot(
        &db.conn,
        &request(year(), Dim::Law, Some(Dim::Month), Measure::Activities),
    )
    .unwrap();
    assert_eq!(keys(&t.row_labels), ["宪法", "民法典", UNFILLED]);
    assert_eq!(some(&t.row_totals), [2, 2, 1]);
    // Every month of the period is a column, in order, even without records.
    assert_eq!(t.col_labels.len(), 12);
    assert_eq!(t.col_labels[0].key, "2026-01");
    assert_eq!(t.col_labels[2].label, "2026年3月");
    assert_eq!(t.col_totals[2], Some(2));
    assert_eq!(t.col_totals[4], Some(2));
    assert_eq!(t.cells[0][2], 2, "宪法 in March: both March records");
    assert_eq!(t.cells[1][2], 1);
    assert_eq!(t.cells[2][4], 1, "the May record with no law is （未填）");
    assert_eq!(t.total, Some(4), "four records, not five law rows");
    assert_eq!(some(&t.row_totals).iter().sum::<i64>(), 5);
    assert!(t.note.contains("合计按活动去重计算"), "{}", t.note);
    assert_eq!(t.measure_unit, "场次");
    assert!(
        t.title
            .starts_with("2026年1月1日至2026年12月31日　全镇　活动场次（场次），按法律法规、月份"),
        "{}",
        t.title
    );

    // Villages: in the unit list's order, those without records too.
    let v = pivot(
        &db.conn,
        &request(year(), Dim::Village, None, Measure::Participants),
    )
    .unwrap();
    assert_eq!(keys(&v.row_labels), ["安静村", "石院村", "长安村"]);
    assert_eq!(some(&v.row_totals), [65, 40, 0]);
    assert_eq!((v.total, v.measure_unit.as_str()), (Some(105), "人"));
    assert!(v.note.is_empty(), "one village per record: {}", v.note);
    assert!(v.col_labels.is_empty() && v.cells.iter().all(Vec::is_empty));

    // Quantity by material: a material's row is of one unit; a village's column holds 份 and
    // 册, which are never added together.
    let m = pivot(
        &db.conn,
        &request(year(), Dim::Material, Some(Dim::Village), Measure::Quantity),
    )
    .unwrap();
    assert_eq!(keys(&m.row_labels), ["明白纸（份）", "宪法读本（册）"]);
    assert_eq!(some(&m.row_totals), [70, 10]);
    assert_eq!(m.cells, [[70, 0, 0], [10, 0, 0]]);
    assert_eq!(m.col_totals, [None, Some(0), Some(0)]);
    assert_eq!((m.total, m.measure_unit.as_str()), (None, "份、册"));
    assert!(m.note.contains("不同单位的数量不相加"), "{}", m.note);
    // Without a material or unit dimension the quantities are split by unit.
    let q = pivot(
        &db.conn,
        &request(year(), Dim::Month, None, Measure::Quantity),
    )
    .unwrap();
    assert_eq!(q.cols, Some(Dim::Unit));
    assert_eq!(keys(&q.col_labels), ["份", "册"]);
    assert_eq!(q.col_totals, [Some(70), Some(10)]);
    assert_eq!(q.total, None);
    let e = pivot(
        &db.conn,
        &request(year(), Dim::Month, Some(Dim::Village), Measure::Quantity),
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("cols"));
    // Records by material: two hand out nothing.
    let r = pivot(
        &db.conn,
        &request(year(), Dim::Material, None, Measure::Activities),
    )
    .unwrap();
    assert_eq!(
        keys(&r.row_labels),
        ["明白纸（份）", "宪法读本（册）", UNFILLED]
    );
    assert_eq!((some(&r.row_totals), r.total), (vec![2, 1, 2], Some(4)));
    // Nodes: three records have none.
    let n = pivot(
        &db.conn,
        &request(year(), Dim::Node, Some(Dim::Law), Measure::Reach),
    )
    .unwrap();
    assert_eq!(n.row_labels[1].label, UNFILLED);
    assert_eq!(some(&n.row_totals), [80, 130]);
    assert_eq!(n.total, Some(210));
    // One village: only its records, and its name in the title.
    let one = pivot(
        &db.conn,
        &request(
            SummaryFilter {
                village: Some("石院村".into()),
                ..year()
            },
            Dim::Village,
            Some(Dim::Law),
            Measure::Activities,
        ),
    )
    .unwrap();
    assert_eq!(keys(&one.row_labels), ["石院村"]);
    assert_eq!(one.total, Some(2));
    assert!(one.title.contains("　石院村　"), "{}", one.title);
}

#[test]
fn bad_input_names_the_field_in_chinese() {
    let e = Dim::parse("rows", "weather").unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidValue, Some("rows"))
    );
    assert!(
        e.message
            .starts_with("行“weather”无效，可选：月份（month）"),
        "{}",
        e.message
    );
    assert_eq!(Dim::parse("cols", "村").unwrap(), Dim::Village);
    assert_eq!(Dim::parse("cols", "Law").unwrap(), Dim::Law);
    assert_eq!(Measure::parse("measure", "人次").unwrap(), Measure::Reach);
    let e = Measure::parse("measure", "温度").unwrap_err();
    assert!(e.message.starts_with("统计指标“温度”无效"), "{}", e.message);

    let db = small_town();
    let e = pivot(
        &db.conn,
        &request(
            filter("2026-12-01", "2026-01-01"),
            Dim::Village,
            None,
            Measure::Activities,
        ),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::DateOrder, Some("end_date"))
    );
    assert!(e.message.starts_with("结束日期"), "{}", e.message);
    let e = pivot(
        &db.conn,
        &request(
            filter("2026-01-01", "2026年13月1日"),
            Dim::Village,
            None,
            Measure::Activities,
        ),
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("end_date"));
    let e = pivot(
        &db.conn,
        &request(
            filter("2026-01-01", "2026-12-31"),
            Dim::Law,
            Some(Dim::Law),
            Measure::Activities,
        ),
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("cols"));
    assert!(e.message.contains("法律法规"), "{}", e.message);
    // Through the command layer an unknown dimension is a malformed request.
    let mut db = db;
    let e = dispatch(
        &mut db,
        json!({"cmd": "pivot", "args": {"filter": {"from": "2026-01-01", "to": "2026-12-31"},
               "rows": "weather", "measure": "activities"}}),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::BadRequest);
}

#[test]
fn the_workbook_reads_back_cell_by_cell() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let conn = rusqlite::Connection::open(DEMO.with(|d| d.clone())).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (cols, measure) in [
        (Some(Dim::Month), Measure::Activities),
        (None, Measure::Quantity),
    ] {
        let req = request(
            filter("2026-01-01", "2026-12-31"),
            Dim::Village,
            cols,
            measure,
        );
        let path = dir.path().join("透视表.xlsx");
        let out = crate::export::pivot_xlsx::export(&conn, &path, &req).unwrap();
        let t = pivot(&conn, &req).unwrap();
        assert_eq!(out.count as usize, t.row_labels.len());
        let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(wb.sheet_names(), ["透视表"]);
        let sheet = wb.worksheet_range("透视表").unwrap();
        let s = |r: usize, c: usize| sheet.get((r, c)).cloned();
        let text = |v: &str| Some(Data::String(v.into()));
        let num = |v: i64| Some(Data::Float(v as f64));
        let total = |v: Option<i64>| match v {
            Some(v) => num(v),
            None => text("—"),
        };
        let width = t.col_labels.len() + 2;
        assert_eq!(sheet.width(), width);
        let below = 1 + usize::from(!t.note.is_empty());
        assert_eq!(sheet.height(), t.row_labels.len() + 3 + below);
        assert_eq!(s(0, 0), text(&t.title));
        // Quantities of several units are split by unit when no column was chosen.
        let corner = match t.cols {
            Some(Dim::Month) => "村/单位＼月份",
            Some(Dim::Unit) => "村/单位＼计量单位",
            _ => "村/单位",
        };
        assert_eq!(s(1, 0), text(corner));
        for (c, l) in t.col_labels.iter().enumerate() {
            assert_eq!(s(1, c + 1), text(&l.label));
        }
        assert_eq!(
            s(1, width - 1),
            text(if t.cols.is_some() { "合计" } else { "数量" })
        );
        for (r, l) in t.row_labels.iter().enumerate() {
            assert_eq!(s(r + 2, 0), text(&l.label));
            for (c, v) in t.cells[r].iter().enumerate() {
                assert_eq!(s(r + 2, c + 1), num(*v), "row {r} col {c}");
            }
            assert_eq!(s(r + 2, width - 1), total(t.row_totals[r]));
        }
        let last = t.row_labels.len() + 2;
        assert_eq!(s(last, 0), text("合计"));
        for (c, v) in t.col_totals.iter().enumerate() {
            assert_eq!(s(last, c + 1), total(*v));
        }
        assert_eq!(s(last, width - 1), total(t.total));
        // Under the table: the basis, and the note on multi-valued rows or units.
        assert_eq!(s(last + 1, 0), text(&t.basis_line));
    }
    // A refused request writes nothing.
    let bad = dir.path().join("坏.xlsx");
    let req = request(
        filter("2026-12-01", "2026-01-01"),
        Dim::Village,
        None,
        Measure::Activities,
    );
    assert!(crate::export::pivot_xlsx::export(&conn, &bad, &req).is_err());
    assert!(!bad.exists());
}

/// The dashboard's breakdown of a dimension (materials have none).
fn breakdown(s: &Summary, dim: Dim) -> Option<&Vec<Breakdown>> {
    Some(match dim {
        Dim::Month => &s.by_month,
        Dim::Campaign => &s.by_campaign,
        Dim::Node => &s.by_node,
        Dim::Village => &s.by_village,
        Dim::Audience => &s.by_audience,
        Dim::Format => &s.by_format,
        Dim::Law => &s.by_law,
        Dim::Material | Dim::Unit => return None,
    })
}

fn of(b: &Breakdown, m: Measure) -> Option<i64> {
    match m {
        Measure::Activities => Some(b.activities),
        Measure::Participants => Some(b.participants),
        Measure::Reach => Some(b.reach),
        _ => None,
    }
}

/// The totals of one axis agree with the dashboard's breakdown of that dimension.
fn same_as_dashboard(
    s: &Summary,
    dim: Dim,
    measure: Measure,
    labels: &[PivotLabel],
    totals: &[Option<i64>],
) -> std::result::Result<(), TestCaseError> {
    let Some(list) = breakdown(s, dim) else {
        return Ok(());
    };
    if !matches!(
        measure,
        Measure::Activities | Measure::Participants | Measure::Reach
    ) {
        return Ok(()); // the dashboard breaks down 场次, 人数 and 人次 only
    }
    for (l, t) in labels.iter().zip(totals) {
        if l.key.is_empty() && dim.multi_valued() {
            continue; // （未填）: the dashboard leaves those records out of this breakdown
        }
        let want = list
            .iter()
            .find(|b| b.key == l.key)
            .and_then(|b| of(b, measure))
            .unwrap_or(0);
        prop_assert_eq!(*t, Some(want), "{:?} {:?} {}", dim, measure, l.label);
    }
    for b in list {
        prop_assert!(
            labels.iter().any(|l| l.key == b.key),
            "{:?} lost {}",
            dim,
            b.label
        );
    }
    Ok(())
}

fn dim() -> impl Strategy<Value = Dim> {
    prop::sample::select(Dim::ALL.to_vec())
}

fn measure() -> impl Strategy<Value = Measure> {
    prop::sample::select(Measure::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    /// On random periods and dimension pairs the pivot agrees with the dashboard.
    #[test]
    fn random_pivots_agree_with_the_dashboard(
        start in 0u32..330,
        len in 0u32..200,
        rows in dim(),
        cols in prop::option::of(dim()),
        measure in measure(),
        pending in any::<bool>(),
    ) {
        let cols = cols.filter(|c| *c != rows);
        let db = DEMO.with(|d| d.clone());
        let conn = rusqlite::Connection::open(&db).unwrap();
        let from = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(start as i64);
        let to = from + chrono::Duration::days(len as i64);
        let f = SummaryFilter { from: from.to_string(), to: to.to_string(), include_pending: pending, ..Default::default() };
        let s = summary(&conn, &f).unwrap();
        // Quantities of several units are split by material or unit, never added.
        let units: std::collections::BTreeSet<&str> = s.materials.iter().map(|m| m.unit.as_str()).collect();
        let mixed = measure == Measure::Quantity && units.len() > 1;
        let by_unit = |d: Dim| matches!(d, Dim::Material | Dim::Unit);
        let answer = pivot(&conn, &request(f, rows, cols, measure));
        if mixed && !by_unit(rows) && cols.is_some_and(|c| !by_unit(c)) {
            let e = answer.unwrap_err();
            prop_assert_eq!(e.field.as_deref(), Some("cols"));
            return Ok(());
        }
        let t = answer.unwrap();
        let cols = t.cols;

        // The grand total is the dashboard's, distinct records (or hand-outs) whatever the dims.
        let handed: i64 = s.materials.iter().map(|m| m.quantity).sum();
        let want = match measure {
            Measure::Activities => s.activities,
            Measure::Participants => s.participants,
            Measure::Reach => s.reach,
            Measure::Consultations => s.counts.consultations,
            Measure::Quantity => handed,
        };
        prop_assert_eq!(t.total, if mixed { None } else { Some(want) });

        // Shape.
        prop_assert_eq!(t.row_totals.len(), t.row_labels.len());
        prop_assert_eq!(t.cells.len(), t.row_labels.len());
        prop_assert!(t.cells.iter().all(|r| r.len() == t.col_labels.len()));
        prop_assert_eq!(t.col_totals.len(), t.col_labels.len());
        prop_assert!(t.cols.is_some() || t.col_labels.is_empty());

        // Each row (and column) total is the dashboard's breakdown of that dimension.
        same_as_dashboard(&s, rows, measure, &t.row_labels, &t.row_totals)?;
        if let Some(c) = cols {
            same_as_dashboard(&s, c, measure, &t.col_labels, &t.col_totals)?;
        }
        if mixed {
            // A total over one material or unit is a number; a row over several units none.
            if by_unit(rows) {
                prop_assert!(t.row_totals.iter().all(Option::is_some));
            }
            if let Some(c) = cols.filter(|c| by_unit(*c)) {
                prop_assert!(t.col_totals.iter().all(Option::is_some), "{:?}", c);
                for (r, row) in t.cells.iter().enumerate() {
                    match t.row_totals[r] {
                        Some(v) => prop_assert_eq!(v, row.iter().sum::<i64>()),
                        None => prop_assert!(row.iter().filter(|v| **v != 0).count() >= 2),
                    }
                }
            }
            return Ok(());
        }
        let row_totals = some(&t.row_totals);
        let col_totals = some(&t.col_totals);
        let total = want;

        // Single-valued dimensions (month, village; material when counting hand-outs) split
        // without overlap: their cells add up to the totals, and their totals to the grand total.
        let single = |d: Dim| !d.multi_valued() || (by_unit(d) && measure == Measure::Quantity);
        if single(rows) {
            prop_assert_eq!(row_totals.iter().sum::<i64>(), total);
        } else {
            prop_assert!(row_totals.iter().sum::<i64>() >= total);
        }
        if let Some(c) = cols {
            if single(c) {
                for (r, row) in t.cells.iter().enumerate() {
                    prop_assert_eq!(row.iter().sum::<i64>(), row_totals[r]);
                }
                prop_assert_eq!(col_totals.iter().sum::<i64>(), total);
            }
            if single(rows) {
                for (c, total) in col_totals.iter().enumerate() {
                    prop_assert_eq!(t.cells.iter().map(|r| r[c]).sum::<i64>(), *total);
                }
            }
            // A cell never exceeds its row's or its column's total.
            for (r, row) in t.cells.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    prop_assert!(*v <= row_totals[r] && *v <= col_totals[c]);
                }
            }
        }

        // Quantity by material is the dashboard's materials list.
        if measure == Measure::Quantity && rows == Dim::Material {
            let mut got: Vec<(String, i64)> = t.row_labels.iter().zip(&row_totals)
                .map(|(l, v)| (l.label.clone(), *v)).collect();
            got.sort();
            let mut want: Vec<(String, i64)> = s.materials.iter()
                .map(|m| (format!("{}（{}）", m.name, m.unit), m.quantity)).collect();
            want.sort();
            prop_assert_eq!(got, want);
        }
    }
}

thread_local! {
    /// One demo database file shared by the property cases.
    static DEMO: std::path::PathBuf = {
        let dir = tempfile::tempdir().unwrap().keep();
        let mut db = Db::open_dir(&dir).unwrap();
        load(&mut db, &DemoInput { seed: Some(5), year: Some(2026), ..Default::default() }).unwrap();
        dir.join(crate::db::DB_FILE)
    };
}
