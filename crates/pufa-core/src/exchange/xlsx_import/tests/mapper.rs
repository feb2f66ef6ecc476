//! The column mapper: each column's field in the preview, fixed by the user, remembered for
//! the layout when the import is confirmed and applied to the next workbook of that layout.
use super::*;

fn hand_kept(town: &Town, name: &str, title: &str) -> PathBuf {
    let path = town.file(name);
    let rows = vec![
        vec![
            s("日期"),
            s("村"),
            s("活动名称"),
            s("形式"),
            s("人数"),
            s("情况"),
        ],
        vec![
            V::D(2023, 5, 6),
            s("安静村"),
            s(title),
            s("集中宣传"),
            V::N(60.0),
            s("发放宪法读本，解答咨询"),
        ],
    ];
    write_xlsx(&path, "台账", &rows, &[]);
    path
}

fn choose(header: &str, field: &str) -> ImportAsked {
    ImportAsked {
        columns: vec![ColumnChoice {
            header: header.into(),
            field: field.into(),
        }],
        ..Default::default()
    }
}

fn field_of<'a>(p: &'a ImportPreview, header: &str) -> (&'a str, &'a str) {
    let c = p.columns.iter().find(|c| c.header == header).unwrap();
    (c.field.as_str(), c.source.as_str())
}

#[test]
fn a_column_fixed_in_the_mapper_is_read_so_and_remembered_for_the_layout() {
    let mut town = Town::new();
    let path = hand_kept(&town, "五月.xlsx", "宪法宣传");
    let p = town.preview(&path).unwrap();
    assert_eq!(field_of(&p, "人数"), ("participants", "auto"));
    assert_eq!(field_of(&p, "情况"), ("", "auto"));
    assert_eq!(p.ignored_columns, ["情况"]);
    assert!(p
        .field_options
        .iter()
        .any(|o| o.code == "narrative" && o.label == "活动简述"));

    // 情况 read as 活动简述: by the field's label, as the drop-down and `--map` give it.
    let asked = choose("情况", "活动简述");
    let p = preview(&town.db.conn, &path, &asked, &mut |_, _| true).unwrap();
    assert_eq!(field_of(&p, "情况"), ("narrative", "chosen"));
    assert!(p.ignored_columns.is_empty());
    // Previewing remembers nothing.
    let p = town.preview(&path).unwrap();
    assert_eq!(field_of(&p, "情况"), ("", "auto"));

    let r = import(&mut town.db, &path, &asked, &mut |_, _| true).unwrap();
    assert_eq!(r.imported, 1);
    let rec = &town.records_on("2023-05-06", "2023-05-06")[0];
    assert!(rec.narrative.contains("发放宪法读本"), "{}", rec.narrative);

    // The next workbook of the same layout is read with the confirmed mapping.
    let june = hand_kept(&town, "六月.xlsx", "民法典宣传");
    let p = town.preview(&june).unwrap();
    assert_eq!(field_of(&p, "情况"), ("narrative", "remembered"));
    assert_eq!(field_of(&p, "人数"), ("participants", "auto"));
    // A choice this time overrides the remembered one.
    let p = preview(
        &town.db.conn,
        &june,
        &choose("情况", "不导入"),
        &mut |_, _| true,
    )
    .unwrap();
    assert_eq!(field_of(&p, "情况"), ("", "chosen"));
}

#[test]
fn a_mapping_that_takes_a_field_moves_it_and_a_wrong_one_is_refused() {
    let town = Town::new();
    let path = hand_kept(&town, "五月.xlsx", "宪法宣传");
    // 情况 as the activity's name: 活动名称 gives it up (not imported).
    let p = preview(
        &town.db.conn,
        &path,
        &choose("情况", "title"),
        &mut |_, _| true,
    )
    .unwrap();
    assert_eq!(field_of(&p, "情况"), ("title", "chosen"));
    assert_eq!(field_of(&p, "活动名称"), ("", "auto"));
    assert_eq!(p.rows[0].title, "发放宪法读本，解答咨询");
    // A field that does not exist: refused, naming the column and the word.
    let e = preview(
        &town.db.conn,
        &path,
        &choose("情况", "天气"),
        &mut |_, _| true,
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("columns"));
    assert!(
        e.message.contains("“情况”列要导入为“天气”"),
        "{}",
        e.message
    );
    // The people's column mapped away: the sheet lacks a required column, and says so.
    let e = preview(
        &town.db.conn,
        &path,
        &choose("人数", "不导入"),
        &mut |_, _| true,
    )
    .unwrap_err();
    assert!(e.message.contains("参加人数"), "{}", e.message);
}
