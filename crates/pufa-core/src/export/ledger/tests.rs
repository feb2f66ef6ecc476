use super::*;
use crate::db::Db;
use crate::reports::Basis;
use calamine::{open_workbook, Data, Reader, Xlsx};

/// A record's counts in the 台账's column order (参加人数 … 法律援助).
fn numbers(r: &record::Record) -> Vec<i64> {
    let mut out = vec![r.participants, r.reach];
    out.extend(r.counts.values());
    out
}

fn demo() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    crate::demo::load_town(&mut db, 2, 2026);
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
    // An output's default is the counting basis: the approved records.
    let records = record::list(&db.conn, &filter.with_basis(Basis::Approved)).unwrap();
    let all = record::list(&db.conn, &filter).unwrap();
    assert!(
        records.len() < all.len(),
        "the demo has records not approved"
    );
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
    // A title, the basis and the date it was made, then the headings.
    assert_eq!(
        detail.get((0, 0)),
        Some(&Data::String("双龙镇2026年普法活动台账".into()))
    );
    let basis_line = match detail.get((1, 0)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("{other:?}"),
    };
    assert!(
        basis_line.starts_with("统计口径：已审核通过的活动记录（另有待审核"),
        "{basis_line}"
    );
    assert!(matches!(detail.get((2, 0)), Some(Data::String(s)) if s.contains("制表日期：")));
    let head = 3;
    let heading = |c: usize| match detail.get((head, c)) {
        Some(Data::String(s)) => s.replace('\n', ""),
        _ => String::new(),
    };
    let col = |h: &str| {
        (0..detail.width())
            .find(|c| heading(*c) == h)
            .unwrap_or_else(|| panic!("no column {h}"))
    };
    assert_eq!(detail.get((head, 0)), Some(&Data::String("序号".into())));
    let title = col("活动名称");
    assert_eq!(
        detail.get((head + 1, title)),
        Some(&Data::String(records[0].title.clone()))
    );
    assert!(
        matches!(detail.get((head + 1, col("日期"))), Some(Data::DateTime(_))),
        "dates are dates: {:?}",
        detail.get((head + 1, 1))
    );
    assert_eq!(
        detail.get((head + 1, col("受众人次"))),
        Some(&Data::Float(records[0].reach as f64))
    );
    // Approved records only: no 审核状态 column (the basis line says it).
    assert!((0..detail.width())
        .all(|c| detail.get((head, c)) != Some(&Data::String("审核状态".into()))));
    // Every row's 村/单位, 活动专项, 法律法规 and 发放资料 say what its record holds.
    let text = |row: usize, col: usize| match detail.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        None | Some(Data::Empty) => String::new(),
        other => panic!("row {row} col {col}: {other:?}"),
    };
    for (i, r) in records.iter().enumerate() {
        let row = head + 1 + i;
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
        assert_eq!(
            text(row, col("村/单位")),
            r.unit_name.clone().unwrap_or_default()
        );
        assert_eq!(
            text(row, col("活动专项")),
            campaigns.join("、"),
            "row {row}"
        );
        assert_eq!(text(row, col("法律法规")), r.laws.join("、"));
        assert_eq!(
            text(row, col("发放资料")),
            materials.join("、"),
            "row {row}"
        );
    }
    assert!(records.iter().any(|r| r.materials.len() > 1));

    // An optional count (咨询 … 法律援助) is blank where it is zero, a number elsewhere;
    // 合计 sums it. Columns no record uses are left out.
    let last = head + records.len() + 1;
    let headings: Vec<&str> = columns().iter().map(|(h, ..)| *h).collect();
    let optional = (FIRST_OPTIONAL_COUNT..NUMBERS)
        .find(|&i| {
            records.iter().any(|r| numbers(r)[i] == 0) && records.iter().any(|r| numbers(r)[i] > 0)
        })
        .expect("the demo has an optional count both zero and not");
    let c = col(headings[12 + optional]);
    for (i, r) in records.iter().enumerate() {
        let n = numbers(r)[optional];
        let cell = detail.get((head + 1 + i, c));
        if n == 0 {
            assert!(matches!(cell, None | Some(Data::Empty)), "{cell:?}");
        } else {
            assert_eq!(cell, Some(&Data::Float(n as f64)));
        }
    }
    for i in FIRST_OPTIONAL_COUNT..NUMBERS {
        let used = records.iter().any(|r| numbers(r)[i] != 0);
        let shown = (0..detail.width()).any(|x| heading(x) == headings[12 + i]);
        assert_eq!(used, shown, "{}", headings[12 + i]);
    }
    let sum: i64 = records.iter().map(|r| numbers(r)[optional]).sum();
    assert_eq!(detail.get((last, c)), Some(&Data::Float(sum as f64)));
    assert_eq!(detail.get((last, 0)), Some(&Data::String("合计".into())));
    let reach: i64 = records.iter().map(|r| r.reach).sum();
    assert_eq!(
        detail.get((last, col("受众人次"))),
        Some(&Data::Float(reach as f64))
    );
    assert_eq!(
        detail.get((last, title)),
        Some(&Data::String(format!("{} 场", records.len())))
    );
    let villages = wb.worksheet_range("按村（社区）").unwrap();
    let rows = villages.height();
    assert_eq!(
        villages.get((rows - 1, 0)),
        Some(&Data::String("合计".into()))
    );
    let materials = wb.worksheet_range("资料发放").unwrap();
    assert_eq!(
        materials.get((3, 1)),
        Some(&Data::String("资料名称".into()))
    );

    // A working list of every record says so, and its 合计 shows the split.
    let path = dir.path().join("全部.xlsx");
    let out = export_xlsx(&db.conn, &path, &filter.with_basis(Basis::All)).unwrap();
    assert_eq!(out.count as usize, all.len());
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let detail = wb.worksheet_range("活动台账").unwrap();
    assert!(
        matches!(detail.get((1, 0)), Some(Data::String(s)) if s.starts_with("统计口径：全部活动记录（其中待审核"))
    );
    let total = (0..detail.height())
        .find(|r| detail.get((*r, 0)) == Some(&Data::String("合计".into())))
        .unwrap();
    assert!(
        matches!(detail.get((total, title)), Some(Data::String(s)) if s.starts_with(&format!("{} 场（其中待审核", all.len())))
    );
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
    // The rows, then 合计 and the 统计口径.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len() as u32, out.count + 3);
    assert!(lines[lines.len() - 2].starts_with("合计,"));
    assert!(lines[lines.len() - 1].starts_with("统计口径："));
    // Every row ends with CRLF (the line terminator only; a line break inside a quoted
    // cell stays as it was written).
    assert!(text.ends_with("\r\n"));
    assert_eq!(text.matches("\r\n").count() as u32, out.count + 3);
    assert_eq!(text.matches('\n').count() as u32, out.count + 3);
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

#[test]
fn csv_cells_that_start_like_a_formula_are_text() {
    let mut db = crate::testing::town(&["安静村"], &[]);
    record::create(
        &mut db,
        &record::RecordInput {
            title: "=HYPERLINK(\"http://evil.example\",\"点我\")".into(),
            date: "2026-03-05".into(),
            unit_id: Some("安静村".into()),
            venue: Some("@SUM(1+1)".into()),
            formats: vec!["lecture".into()],
            participants: 40.0,
            narrative: Some("-2+3 群众".into()),
            recorder: "+李明".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.csv");
    // Not approved yet: the working list of every record.
    let all = RecordFilter::default().with_basis(Basis::All);
    export_csv(&db.conn, &path, &all).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let row = reader.records().next().unwrap().unwrap();
    let cells: Vec<&str> = row.iter().collect();
    for want in [
        "'=HYPERLINK(\"http://evil.example\",\"点我\")",
        "'-2+3 群众",
        "'+李明",
    ] {
        assert!(cells.contains(&want), "{want} in {cells:?}");
    }
    assert!(
        !cells.iter().any(|c| c.starts_with(['=', '+', '-', '@'])),
        "{cells:?}"
    );
}
