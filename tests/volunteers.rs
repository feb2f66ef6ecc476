//! 志愿者人次 through the command line: entered, refused when wrong, listed, summed and exported
//! like every other count of a record.

mod common;

use common::{cli, initialized};

#[test]
fn volunteers_go_in_through_the_cli_and_come_out_in_the_list_summary_and_csv() {
    let (tmp, dir) = initialized();
    let file = tmp.path().join("record.json");
    let record = |volunteers: &str| {
        format!(
            r#"{{"title":"法律明白人进院坝","date":"2026-11-20","unit_id":"安静村",
                "formats":["院坝会"],"participants":45,"recorder":"张三",
                "volunteers":{volunteers}}}"#
        )
    };
    std::fs::write(&file, record("8")).unwrap();
    cli(
        &dir,
        &["activity", "add", "--json-file", file.to_str().unwrap()],
    )
    .ok();

    // A wrong count is refused with the field's name; nothing is added.
    for bad in ["-1", "2.5"] {
        std::fs::write(&file, record(bad)).unwrap();
        let run = cli(
            &dir,
            &["activity", "add", "--json-file", file.to_str().unwrap()],
        );
        assert_ne!(run.code, 0, "{bad}");
        assert!(run.stderr.contains("志愿者人次"), "{bad}: {}", run.stderr);
    }

    let period = ["--from", "2026-11-01", "--to", "2026-11-30", "--json"];
    let list = cli(&dir, &[&["activity", "list"][..], &period[..]].concat())
        .ok()
        .json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["volunteers"], 8);

    let summary = cli(&dir, &[&["summary"][..], &period[..]].concat())
        .ok()
        .json();
    assert_eq!(summary["volunteers"], 8);
    // The human summary says it when some took part, and not when none did.
    let human = cli(
        &dir,
        &["summary", "--from", "2026-11-01", "--to", "2026-11-30"],
    )
    .ok();
    assert!(human.stdout.contains("志愿者 8 人次"), "{}", human.stdout);
    let none = cli(
        &dir,
        &["summary", "--from", "2026-10-01", "--to", "2026-10-31"],
    )
    .ok();
    assert!(!none.stdout.contains("志愿者"), "{}", none.stdout);

    let csv = tmp.path().join("台账.csv");
    cli(
        &dir,
        &[
            "export",
            "csv",
            "--out",
            csv.to_str().unwrap(),
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
        ],
    )
    .ok();
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let headers: Vec<&str> = lines
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .split(',')
        .collect();
    let at = headers
        .iter()
        .position(|h| *h == "志愿者（人次）")
        .unwrap_or_else(|| panic!("a 志愿者 column: {headers:?}"));
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(row[at], "8");
}
