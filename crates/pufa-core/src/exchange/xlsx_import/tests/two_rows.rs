//! Headers over two rows, with merged cells: 参加人数 over 男 | 女 (added up, or the 合计 column
//! when there is one), 发放资料 over 种类 | 份数, headers merged down both rows.
use super::*;

/// 序号 | 日期 | 村/社区 | 活动名称 | 活动形式 | 参加人数 (男 | 女 [| 合计]) | 发放资料 (种类 | 份数) | 备注
fn two_row_sheet(town: &Town, name: &str, total: bool) -> PathBuf {
    let mut top = vec![
        s("序号"),
        s("日期"),
        s("村/社区"),
        s("活动名称"),
        s("活动形式"),
    ];
    let mut below = vec![s(""), s(""), s(""), s(""), s("")];
    top.extend([s("参加人数"), s("")]);
    below.extend([s("男"), s("女")]);
    if total {
        top.push(s(""));
        below.push(s("合计"));
    }
    top.extend([s("发放资料"), s(""), s("备注")]);
    below.extend([s("种类"), s("份数"), s("")]);
    let p = top
        .iter()
        .position(|v| matches!(v, V::S(t) if t == "发放资料"))
        .unwrap() as u16;
    let row = |n: f64, date: V, title: &str, men: f64, women: f64| {
        let mut r = vec![V::N(n), date, s("安静村"), s(title), s("集中宣传")];
        r.extend([V::N(men), V::N(women)]);
        if total {
            r.push(V::N(men + women + 1.0));
        }
        r.extend([s("宪法读本"), V::N(40.0), s("")]);
        r
    };
    let rows = vec![
        vec![s("安静村2023年普法活动台账")],
        top,
        below,
        row(1.0, V::D(2023, 4, 1), "宪法宣传进院坝", 30.0, 25.0),
        row(2.0, V::D(2023, 4, 8), "民法典进农家", 12.0, 20.0),
    ];
    let last = rows[1].len() as u16 - 1;
    let merges: Vec<Merge> = vec![
        (0, 0, 0, last, "安静村2023年普法活动台账"),
        (1, 0, 2, 0, "序号"),
        (1, 1, 2, 1, "日期"),
        (1, 2, 2, 2, "村/社区"),
        (1, 3, 2, 3, "活动名称"),
        (1, 4, 2, 4, "活动形式"),
        (1, 5, 1, if total { 7 } else { 6 }, "参加人数"),
        (1, p, 1, p + 1, "发放资料"),
        (1, last, 2, last, "备注"),
    ];
    let path = town.file(name);
    write_xlsx(&path, "台账", &rows, &merges);
    path
}

#[test]
fn a_header_over_two_rows_adds_the_parts_of_a_count_and_reads_materials_by_kind_and_copies() {
    let mut town = Town::new();
    let path = two_row_sheet(&town, "两行表头.xlsx", false);
    let p = town.preview(&path).unwrap();
    assert_eq!(p.header_row, 3, "the header ends on its second row");
    assert_eq!((p.valid, p.error_rows), (2, 0), "{:#?}", p.errors);
    assert_eq!(p.rows[0].participants, Some(55), "男 30 + 女 25");
    assert_eq!(p.rows[1].participants, Some(32));
    assert_eq!(p.ignored_columns, ["序号", "备注"]);
    let r = town.import(&path).unwrap();
    assert_eq!(r.imported, 2);
    let rec = &town.records_on("2023-04-01", "2023-04-01")[0];
    assert_eq!(rec.participants, 55);
    assert_eq!(rec.materials.len(), 1);
    assert_eq!(
        (
            rec.materials[0].material_name.as_str(),
            rec.materials[0].quantity
        ),
        ("宪法读本", 40)
    );
}

#[test]
fn with_a_total_column_the_parts_are_not_counted_again() {
    let town = Town::new();
    let path = two_row_sheet(&town, "带合计.xlsx", true);
    let p = town.preview(&path).unwrap();
    assert_eq!((p.valid, p.error_rows), (2, 0), "{:#?}", p.errors);
    assert_eq!(
        p.rows[0].participants,
        Some(56),
        "the 合计 column, not 男 + 女 + 合计"
    );
    assert_eq!(
        p.ignored_columns,
        ["序号", "参加人数-男", "参加人数-女", "备注"]
    );
}

#[test]
fn a_one_row_header_is_not_joined_to_its_first_data_row() {
    let town = Town::new();
    let path = town.file("一行.xlsx");
    let rows = vec![
        vec![
            s("日期"),
            s("村/社区"),
            s("活动名称"),
            s("活动形式"),
            s("参加人数"),
        ],
        // Text only, no number: still data (its date is a date).
        vec![
            s("2023年4月1日"),
            s("安静村"),
            s("普法"),
            s("讲座"),
            s("三十"),
        ],
        vec![
            V::D(2023, 4, 2),
            s("安静村"),
            s("普法"),
            s("讲座"),
            V::N(30.0),
        ],
    ];
    write_xlsx(&path, "台账", &rows, &[]);
    let p = town.preview(&path).unwrap();
    assert_eq!(p.header_row, 1);
    assert_eq!((p.valid, p.error_rows), (1, 1), "{:#?}", p.errors);
}
