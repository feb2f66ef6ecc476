//! A corrected sheet imported again: the rows imported before that now say something else are
//! shown as 已修改 (old → new) and update their records; the same sheet again changes nothing.
use super::*;

fn set(mut row: Row, header: &'static str, v: V) -> Row {
    match row.iter_mut().find(|(h, _)| *h == header) {
        Some(cell) => cell.1 = v,
        None => row.push((header, v)),
    }
    row
}

fn sheet(town: &Town, name: &str, rows: &[Row]) -> PathBuf {
    let path = town.file(name);
    write_xlsx(&path, DATA_SHEET, &template_rows(rows), &[]);
    path
}

fn first_import() -> (Town, Vec<Row>) {
    let mut town = Town::new();
    let rows = vec![
        good(V::D(2023, 3, 15), "安静村", "宪法宣传进村"),
        good(V::D(2023, 3, 16), "石院村", "民法典进村宣讲"),
        good(V::D(2023, 3, 17), "龙飞村", "反诈骗宣传"),
    ];
    let path = sheet(&town, "三月台账.xlsx", &rows);
    let r = town.import(&path).unwrap();
    assert_eq!((r.imported, r.updated), (3, 0));
    (town, rows)
}

fn audit_lines(town: &Town, action: &str) -> i64 {
    town.db
        .conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity = 'record' AND action = ?1",
            [action],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_corrected_count_and_a_reworded_title_update_their_records() {
    let (mut town, mut rows) = first_import();
    // The same sheet again: nothing changed, three duplicates.
    let again = sheet(&town, "三月台账(1).xlsx", &rows);
    let p = town.preview(&again).unwrap();
    assert_eq!((p.valid, p.updated, p.duplicates), (0, 0, 3));

    // Corrected: row 2's people 80 → 95, row 3's title reworded.
    rows[0] = set(rows[0].clone(), "参加人数", V::N(95.0));
    rows[1] = set(rows[1].clone(), "活动名称", s("民法典进村入户宣讲"));
    let corrected = sheet(&town, "三月台账（改）.xlsx", &rows);
    let p = town.preview(&corrected).unwrap();
    assert_eq!(
        (p.valid, p.updated, p.duplicates, p.error_rows),
        (0, 2, 1, 0),
        "{:#?}",
        p.errors
    );
    let people = &p.rows[0];
    assert_eq!(people.status, RowStatus::Updated);
    assert_eq!(
        people.changes,
        vec![Change {
            column: "参加人数".into(),
            old: "80".into(),
            new: "95".into()
        }]
    );
    let title = &p.rows[1];
    assert_eq!(title.status, RowStatus::Updated);
    assert_eq!(title.changes[0].column, "活动名称");
    assert_eq!(
        (title.changes[0].old.as_str(), title.changes[0].new.as_str()),
        ("民法典进村宣讲", "民法典进村入户宣讲")
    );
    assert_eq!(p.corrected.len(), 2);
    assert_eq!(p.corrected[0].message, "第2行已修改：参加人数：80 → 95");
    assert_eq!(
        (p.corrected[0].code, &p.corrected[0].params["changes"]),
        (Problem::Corrected, &"参加人数：80 → 95".into())
    );
    assert_eq!(
        p.corrected[0].column, "参加人数",
        "filed under the column that changed"
    );

    let updates_before = audit_lines(&town, "update");
    let r = town.import(&corrected).unwrap();
    assert_eq!((r.imported, r.updated, r.duplicates), (0, 2, 1));
    let recs = town.records_on("2023-03-15", "2023-03-17");
    assert_eq!(recs.len(), 3, "no second record for the reworded title");
    let by_date = |d: &str| recs.iter().find(|r| r.date == d).unwrap();
    assert_eq!(by_date("2023-03-15").participants, 95);
    assert_eq!(by_date("2023-03-16").title, "民法典进村入户宣讲");
    // Audited: one update line per record (操作留痕), and the import's own line.
    assert_eq!(audit_lines(&town, "update"), updates_before + 3);
    // Materials not doubled: the hand-outs are the record's, replaced.
    assert_eq!(by_date("2023-03-15").materials.len(), 2);

    // The corrected sheet a second time: duplicates only.
    let p = town.preview(&corrected).unwrap();
    assert_eq!((p.valid, p.updated, p.duplicates), (0, 0, 3));
}

#[test]
fn an_edit_in_the_app_is_not_undone_by_the_same_sheet_and_app_records_are_never_changed() {
    let (town, rows) = first_import();
    let id = town.records_on("2023-03-15", "2023-03-15")[0].id.clone();
    // The coordinator fixes the count in the app (reopening the approved record first).
    town.db
        .conn
        .execute(
            "UPDATE record SET participants = 81, reach = 200 WHERE id = ?1",
            [&id],
        )
        .unwrap();
    let again = sheet(&town, "三月台账.xlsx", &rows);
    let p = town.preview(&again).unwrap();
    assert_eq!((p.updated, p.duplicates), (0, 3), "{:#?}", p.rows);

    // A record entered in the app (no import source) with other numbers: a duplicate.
    let other = vec![set(
        good(V::D(2023, 3, 15), "安静村", "宪法宣传进村"),
        "参加人数",
        V::N(99.0),
    )];
    town.db
        .conn
        .execute("DELETE FROM import_source WHERE record_id = ?1", [&id])
        .unwrap();
    let p = town.preview(&sheet(&town, "别的.xlsx", &other)).unwrap();
    assert_eq!((p.updated, p.duplicates), (0, 1));
}

#[test]
fn another_activity_on_the_same_row_is_not_taken_for_a_rewording() {
    let (mut town, mut rows) = first_import();
    // Row 2 now holds another activity of the same day and village (the one imported before
    // is gone from the sheet, so nothing tells which it was but its name and numbers).
    rows[0] = set(rows[0].clone(), "活动名称", s("扫黑除恶专项斗争宣传"));
    rows[0] = set(rows[0].clone(), "参加人数", V::N(40.0));
    let p = town.preview(&sheet(&town, "新.xlsx", &rows)).unwrap();
    assert_eq!((p.valid, p.updated, p.duplicates), (1, 0, 2));
    let r = town.import(&sheet(&town, "新.xlsx", &rows)).unwrap();
    assert_eq!(r.imported, 1);
    assert_eq!(town.records_on("2023-03-15", "2023-03-15").len(), 2);
}

#[test]
fn a_cadre_cannot_correct_an_approved_record_and_a_returned_one_goes_back_to_waiting() {
    let (mut town, mut rows) = first_import();
    // Imported by the coordinator: approved on entry.
    let recs = town.records_on("2023-03-15", "2023-03-16");
    assert!(recs
        .iter()
        .all(|r| r.review_status == record::ReviewStatus::Approved));
    // One returned to be fixed.
    let returned = recs
        .iter()
        .find(|r| r.date == "2023-03-16")
        .unwrap()
        .id
        .clone();
    town.db
        .conn
        .execute(
            "UPDATE record SET review_status = 'returned' WHERE id = ?1",
            [&returned],
        )
        .unwrap();
    // The 石院村 cadre imports the village's corrected sheet.
    town.db
        .conn
        .execute(
            "INSERT INTO user_profile (id, name, role, unit_id, created_at, updated_at)
             SELECT 'cadre', '李四', 'village_cadre', id, '2024-01-01', '2024-01-01'
             FROM unit WHERE name = '石院村'",
            [],
        )
        .unwrap();
    crate::town::switch_user(&mut town.db, "cadre").unwrap();
    rows[0] = set(rows[0].clone(), "参加人数", V::N(95.0));
    rows[1] = set(rows[1].clone(), "参加人数", V::N(70.0));
    let path = sheet(&town, "改.xlsx", &rows);
    let p = town.preview(&path).unwrap();
    assert_eq!((p.updated, p.error_rows, p.duplicates), (1, 1, 1));
    let e = &p.errors[0];
    assert_eq!(e.row, 2);
    assert!(e.message.contains("已审核通过并锁定"), "{}", e.message);
    assert!(e.message.contains("参加人数：80 → 95"), "{}", e.message);
    let r = town.import(&path).unwrap();
    assert_eq!(r.updated, 1);
    let recs = town.records_on("2023-03-15", "2023-03-16");
    let get = |d: &str| recs.iter().find(|r| r.date == d).unwrap();
    assert_eq!(
        get("2023-03-15").participants,
        80,
        "approved: left as it was"
    );
    assert_eq!(get("2023-03-16").participants, 70);
    assert_eq!(
        get("2023-03-16").review_status,
        record::ReviewStatus::Pending,
        "a returned record corrected goes back to 待审核"
    );
}

#[test]
fn the_coordinators_correction_of_an_approved_record_stays_approved() {
    let (mut town, mut rows) = first_import();
    rows[2] = set(rows[2].clone(), "受众人次", V::N(300.0));
    let r = town.import(&sheet(&town, "改.xlsx", &rows)).unwrap();
    assert_eq!(r.updated, 1);
    let rec = &town.records_on("2023-03-17", "2023-03-17")[0];
    assert_eq!(rec.reach, 300);
    assert_eq!(rec.review_status, record::ReviewStatus::Approved);
}

/// A correction that comes after more new rows than the import writes at a time: its people
/// and hand-outs are counted in the tallies and the stock like those of the new rows (the new
/// rows' tallies are added once at the end, with the triggers off meanwhile).
#[test]
fn a_correction_after_hundreds_of_new_rows_is_counted_once() {
    let (mut town, mut rows) = first_import();
    let villages = ["安静村", "石院村", "龙飞村"];
    let mut sheet_rows: Vec<Row> = (0..300)
        .map(|i| {
            let date = V::D(2023, 4 + (i % 8) as u8, 1 + (i / 8 % 28) as u8);
            good(date, villages[i % 3], &format!("法治宣传第{i}场"))
        })
        .collect();
    rows[0] = set(rows[0].clone(), "参加人数", V::N(95.0));
    rows[0] = set(rows[0].clone(), "数量1", V::N(35.0));
    sheet_rows.extend(rows);
    let r = town
        .import(&sheet(&town, "全年台账.xlsx", &sheet_rows))
        .unwrap();
    assert_eq!((r.imported, r.updated, r.error_rows), (300, 1, 0));
    let rec = &town.records_on("2023-03-15", "2023-03-15")[0];
    assert_eq!(rec.participants, 95);
    assert_eq!(rec.materials[0].quantity, 35);
    crate::testing::assert_tallies_fresh(&town.db.conn, "a correction among new rows");
    crate::testing::assert_stock_fresh(&town.db.conn, "a correction among new rows");
}
