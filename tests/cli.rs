//! The headless CLI end to end: the real binary on a real data folder.

mod common;

use common::{campaign_count, cli, cli_env, data_dir, initialized};

#[test]
fn init_then_info_shows_the_town_and_user() {
    let (_tmp, dir) = initialized();
    let info = cli(&dir, &["info", "--json"]).ok().json();
    assert_eq!(info["initialized"], true);
    assert_eq!(info["town"]["name"], "双龙镇");
    assert_eq!(info["town"]["county"], "巫山县");
    assert_eq!(info["user"]["name"], "张三");
    assert_eq!(info["user"]["role"], "coordinator");
    assert!(dir.join("pufa.db").is_file());
    assert!(dir.join("attachments").is_dir());

    let human = cli(&dir, &["info"]).ok();
    assert!(
        human.stdout.contains("乡镇：双龙镇（巫山县）"),
        "{}",
        human.stdout
    );

    let units = cli(&dir, &["unit", "list", "--json"]).ok().json();
    let names: Vec<&str> = units
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    // Comma and 顿号 both separate; order is kept.
    assert_eq!(names, ["安静村", "石院村", "长安村", "双龙镇中心小学"]);
}

#[test]
fn campaign_add_list_show_edit_archive_delete() {
    let (_tmp, dir) = initialized();
    let added = cli(
        &dir,
        &[
            "campaign",
            "add",
            "--name",
            "2026年宪法宣传周",
            "--kind",
            "national",
            "--start",
            "2026年12月1日",
            "--end",
            "2026/12/7",
            "--audiences",
            "residents,青少年学生",
            "--themes",
            "宪法，民法典",
            "--lead",
            "双龙镇司法所",
            "--json",
        ],
    )
    .ok()
    .json();
    let id = added["id"].as_str().expect("an id").to_string();
    assert_eq!(id.len(), 36, "a UUID");
    assert_eq!(added["start_date"], "2026-12-01");
    assert_eq!(added["end_date"], "2026-12-07");
    assert_eq!(
        added["audiences"],
        serde_json::json!(["residents", "students"])
    );
    assert_eq!(added["themes"], serde_json::json!(["宪法", "民法典"]));
    assert!(added["created_at"].as_str().unwrap().starts_with("20"));

    let list = cli(&dir, &["campaign", "list", "--json"]).ok().json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "2026年宪法宣传周");

    let found = cli(&dir, &["campaign", "list", "--search", "宪法", "--json"])
        .ok()
        .json();
    assert_eq!(found.as_array().unwrap().len(), 1);
    let none = cli(
        &dir,
        &["campaign", "list", "--search", "国家安全", "--json"],
    )
    .ok()
    .json();
    assert_eq!(none.as_array().unwrap().len(), 0);
    let by_year = cli(&dir, &["campaign", "list", "--year", "2027", "--json"])
        .ok()
        .json();
    assert_eq!(by_year.as_array().unwrap().len(), 0);

    let shown = cli(&dir, &["campaign", "show", &id]).ok();
    assert!(
        shown.stdout.contains("名称：2026年宪法宣传周"),
        "{}",
        shown.stdout
    );
    assert!(
        shown.stdout.contains("宣传对象：村(居)民、青少年学生"),
        "{}",
        shown.stdout
    );

    let edited = cli(
        &dir,
        &[
            "campaign",
            "edit",
            &id,
            "--name",
            "2026年宪法宣传周（修订）",
            "--kind",
            "national",
            "--start",
            "2026-12-01",
            "--end",
            "2026-12-08",
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(edited["end_date"], "2026-12-08");
    assert_eq!(edited["created_at"], added["created_at"]);

    cli(&dir, &["campaign", "archive", &id]).ok();
    assert_eq!(
        campaign_count(&dir),
        0,
        "archived campaigns leave the default list"
    );
    let archived = cli(&dir, &["campaign", "list", "--archived", "--json"])
        .ok()
        .json();
    assert_eq!(archived[0]["archived"], true);
    cli(&dir, &["campaign", "archive", &id, "--undo"]).ok();
    assert_eq!(campaign_count(&dir), 1);

    cli(&dir, &["campaign", "delete", &id]).ok();
    assert_eq!(campaign_count(&dir), 0);
    let gone = cli(&dir, &["campaign", "show", &id, "--json"]);
    assert_eq!(gone.code, 1);
    assert_eq!(gone.json()["error"]["code"], "not_found");
}

#[test]
fn demo_loads_a_town_of_21_villages_and_checks_clean() {
    let (_tmp, dir) = data_dir();
    cli(&dir, &["demo", "--seed", "7", "--year", "2026"]).ok();
    let units = cli(&dir, &["unit", "list", "--kind", "village", "--json"])
        .ok()
        .json();
    let communities = cli(&dir, &["unit", "list", "--kind", "community", "--json"])
        .ok()
        .json();
    assert_eq!(
        units.as_array().unwrap().len() + communities.as_array().unwrap().len(),
        21
    );
    let schools = cli(&dir, &["unit", "list", "--kind", "school", "--json"])
        .ok()
        .json();
    assert!(!schools.as_array().unwrap().is_empty());
    let people = cli(&dir, &["person", "list", "--json"]).ok().json();
    assert!(people.as_array().unwrap().len() >= 30);
    let campaigns = cli(&dir, &["campaign", "list", "--year", "2026", "--json"])
        .ok()
        .json();
    assert!(campaigns.as_array().unwrap().len() >= 10);
    assert!(campaigns
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"].as_str().unwrap().contains("宪法宣传周")));

    let check = cli(&dir, &["check", "--json"]).ok().json();
    assert_eq!(check["ok"], true);
    assert_eq!(check["problems"].as_array().unwrap().len(), 0);

    // The same seed gives the same town.
    let (_tmp2, dir2) = data_dir();
    cli(&dir2, &["demo", "--seed", "7", "--year", "2026"]).ok();
    let names = |d| {
        let v = cli(d, &["person", "list", "--json"]).ok().json();
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&dir), names(&dir2));

    // Loading the demo over existing data is refused.
    let again = cli(&dir, &["demo"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("已经设置过"), "{}", again.stderr);
}

#[test]
fn check_exits_1_when_the_database_has_a_problem() {
    let (_tmp, dir) = initialized();
    cli(&dir, &["check"]).ok();
    // Break an invariant behind the app's back: a campaign that ends before it starts.
    {
        let conn = rusqlite::Connection::open(dir.join("pufa.db")).unwrap();
        conn.execute_batch(
            "PRAGMA ignore_check_constraints = ON;
             INSERT INTO campaign (id, name, kind, start_date, end_date, audiences, themes,
                                   lead_unit, notes, archived, created_at, updated_at)
             VALUES ('00000000-0000-4000-8000-000000000001', '坏数据', 'local', '2026-12-09',
                     '2026-12-01', '[]', '[]', '', '', 0, '2026-01-01T00:00:00Z',
                     '2026-01-01T00:00:00Z');",
        )
        .unwrap();
    }
    let run = cli(&dir, &["check"]);
    assert_eq!(run.code, 1, "stdout: {}", run.stdout);
    assert!(run.stdout.contains("发现"), "{}", run.stdout);
    let json = cli(&dir, &["check", "--json"]).json();
    assert_eq!(json["ok"], false);
    assert!(!json["problems"].as_array().unwrap().is_empty());
}

#[test]
fn pufa_data_dir_selects_the_folder() {
    let (_tmp, dir) = data_dir();
    cli_env(
        &[("PUFA_DATA_DIR", &dir)],
        &["init", "--town", "官渡镇", "--villages", "甲村"],
    )
    .ok();
    let info = cli_env(&[("PUFA_DATA_DIR", &dir)], &["info", "--json"])
        .ok()
        .json();
    assert_eq!(info["town"]["name"], "官渡镇");
    assert_eq!(info["data_dir"], dir.to_str().unwrap());
}

/// Each bad input is refused with exit code 1, a Chinese message naming the field, and no write.
#[test]
fn bad_campaign_input_is_refused_naming_the_field() {
    let (_tmp, dir) = initialized();
    let long = "法".repeat(10_000);
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &[
                "--name",
                "   ",
                "--start",
                "2026-12-01",
                "--end",
                "2026-12-07",
            ],
            "name",
            "名称",
        ),
        (
            &[
                "--name",
                &long,
                "--start",
                "2026-12-01",
                "--end",
                "2026-12-07",
            ],
            "name",
            "名称",
        ),
        (
            &[
                "--name",
                "a\u{7}b",
                "--start",
                "2026-12-01",
                "--end",
                "2026-12-07",
            ],
            "name",
            "名称",
        ),
        (
            &[
                "--name",
                "x",
                "--start",
                "2026-13-01",
                "--end",
                "2026-12-07",
            ],
            "start_date",
            "开始日期",
        ),
        (
            &[
                "--name",
                "x",
                "--start",
                "2026-02-30",
                "--end",
                "2026-12-07",
            ],
            "start_date",
            "开始日期",
        ),
        (
            &[
                "--name",
                "x",
                "--start",
                "2026-12-08",
                "--end",
                "2026-12-01",
            ],
            "end_date",
            "结束日期",
        ),
        (
            &[
                "--name",
                "x",
                "--kind",
                "party",
                "--start",
                "2026-12-01",
                "--end",
                "2026-12-07",
            ],
            "kind",
            "类型",
        ),
        (
            &[
                "--name",
                "x",
                "--audiences",
                "aliens",
                "--start",
                "2026-12-01",
                "--end",
                "2026-12-07",
            ],
            "audiences",
            "宣传对象",
        ),
    ];
    for (args, field, label) in cases {
        let mut full = vec!["campaign", "add"];
        full.extend_from_slice(args);
        let human = cli(&dir, &full);
        assert_eq!(human.code, 1, "{args:?} should be refused");
        assert!(
            human.stderr.starts_with(&format!("错误（{label}）：")),
            "{args:?}: stderr names the field: {}",
            human.stderr
        );
        full.push("--json");
        let json = cli(&dir, &full);
        assert_eq!(json.code, 1);
        let err = &json.json()["error"];
        assert_eq!(err["field"], *field, "{args:?}");
        assert!(!err["message"].as_str().unwrap().is_empty());
        assert!(err["code"].is_string());
    }
    assert_eq!(campaign_count(&dir), 0, "nothing was written");
}

#[test]
fn bad_init_input_is_refused_and_nothing_is_written() {
    let (_tmp, dir) = data_dir();
    let cases: &[(&[&str], &str)] = &[
        (&["--town", " ", "--villages", "甲村"], "town"),
        (
            &["--town", "双龙镇", "--villages", "甲村,乙村,甲村"],
            "villages",
        ),
        (
            &[
                "--town",
                "双龙镇",
                "--villages",
                "甲村",
                "--user",
                "张三",
                "--role",
                "emperor",
            ],
            "role",
        ),
        (
            &[
                "--town",
                "双龙镇",
                "--villages",
                "甲村",
                "--user",
                "张三",
                "--role",
                "village_cadre",
                "--village",
                "不存在村",
            ],
            "unit_id",
        ),
    ];
    for (args, field) in cases {
        let mut full = vec!["init"];
        full.extend_from_slice(args);
        full.push("--json");
        let run = cli(&dir, &full);
        assert_eq!(run.code, 1, "{args:?} should be refused: {}", run.stdout);
        assert_eq!(run.json()["error"]["field"], *field, "{args:?}");
        assert!(run.stderr.starts_with("错误（"), "{}", run.stderr);
        let info = cli(&dir, &["info", "--json"]).ok().json();
        assert_eq!(info["initialized"], false, "{args:?} left nothing behind");
    }
    // A duplicate village name with a different separator is still a duplicate.
    let dup = cli(
        &dir,
        &["init", "--town", "双龙镇", "--villages", "甲村、甲村"],
    );
    assert_eq!(dup.code, 1);
    assert!(dup.stderr.contains("甲村"), "{}", dup.stderr);
}

#[test]
fn a_data_dir_that_is_a_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("not-a-folder");
    std::fs::write(&file, b"hello").unwrap();
    let run = cli(
        &file,
        &["init", "--town", "双龙镇", "--villages", "甲村", "--json"],
    );
    assert_eq!(run.code, 1);
    let err = &run.json()["error"];
    assert_eq!(err["code"], "data_dir_not_dir");
    assert_eq!(err["field"], "data_dir");
    assert!(run.stderr.contains("数据文件夹"), "{}", run.stderr);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"hello",
        "the file is untouched"
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_data_dir_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("locked");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    // root ignores permission bits: fall back to a folder no one can write (procfs).
    let probe = dir.join("probe");
    let dir = if std::fs::write(&probe, b"x").is_ok() {
        std::fs::remove_file(&probe).unwrap();
        std::path::PathBuf::from("/proc/self/pufa-data")
    } else {
        dir
    };
    let run = cli(
        &dir,
        &["init", "--town", "双龙镇", "--villages", "甲村", "--json"],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    let err = &run.json()["error"];
    assert_eq!(err["code"], "data_dir_readonly");
    assert_eq!(err["field"], "data_dir");
    assert!(run.stderr.contains("无法写入数据文件夹"), "{}", run.stderr);
}

#[test]
fn commands_before_init_say_to_set_up_first() {
    let (_tmp, dir) = data_dir();
    let run = cli(
        &dir,
        &[
            "campaign",
            "add",
            "--name",
            "x",
            "--start",
            "2026-12-01",
            "--end",
            "2026-12-02",
            "--json",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.json()["error"]["code"], "not_initialized");
}

#[test]
fn a_bad_command_line_exits_2_with_usage() {
    let (_tmp, dir) = data_dir();
    let run = cli(&dir, &["campaign", "fly"]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.is_empty());
}

#[test]
fn keydates_prints_every_node_of_a_year_with_iso_dates() {
    let (_tmp, dir) = data_dir();
    let list = cli(&dir, &["keydates", "--year", "2027", "--json"])
        .ok()
        .json();
    let list = list.as_array().unwrap();
    assert!(list.len() >= 30, "{} nodes", list.len());
    for k in list {
        for key in ["name", "start", "end", "rule", "laws", "audiences", "theme"] {
            assert!(k.get(key).is_some(), "{key} in {k}");
        }
    }
    let find = |name: &str| list.iter().find(|k| k["name"] == name).unwrap().clone();
    assert_eq!(find("12·4国家宪法日")["start"], "2027-12-04");
    assert_eq!(find("宪法宣传周")["end"], "2027-12-07");
    assert_eq!(find("全民国防教育日")["start"], "2027-09-18");
    assert_eq!(find("重阳节·老年节")["start"], "2027-10-08");
    assert_eq!(find("中国农民丰收节")["start"], "2027-09-23");
    assert_eq!(find("民法典宣传月")["end"], "2027-05-31");

    let published = cli(&dir, &["keydates", "--year", "2021", "--json"])
        .ok()
        .json();
    let week = published
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "宪法宣传周")
        .unwrap();
    assert_eq!(
        (week["start"].as_str(), week["end"].as_str()),
        (Some("2021-11-29"), Some("2021-12-05"))
    );

    let human = cli(&dir, &["keydates", "--year", "2026"]).ok();
    assert!(
        human.stdout.contains("2026-03-30  全国中小学生安全教育日"),
        "{}",
        human.stdout
    );

    for bad in ["1999", "2101"] {
        let run = cli(&dir, &["keydates", "--year", bad]);
        assert_eq!(run.code, 1);
        assert!(run.stderr.starts_with("错误（年份）："), "{}", run.stderr);
    }
}

#[test]
fn planning_from_template_to_conflicts_and_coverage() {
    let (_tmp, dir) = initialized();
    let applied = cli(
        &dir,
        &[
            "template",
            "apply",
            "12·4宪法宣传周",
            "--year",
            "2027",
            "--units",
            "安静村,石院村",
            "--json",
        ],
    )
    .ok()
    .json();
    let campaign = applied["campaign"]["id"].as_str().unwrap().to_string();
    assert_eq!(applied["activities"].as_array().unwrap().len(), 2);

    let listed = cli(
        &dir,
        &[
            "activity",
            "list",
            "--from",
            "2027-12-01",
            "--to",
            "2027-12-07",
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(listed[0]["title"]
        .as_str()
        .unwrap()
        .ends_with("宪法宣传进村（社区）活动"));
    let none = cli(
        &dir,
        &[
            "activity",
            "list",
            "--from",
            "2027-11-01",
            "--to",
            "2027-11-30",
            "--json",
        ],
    )
    .ok()
    .json();
    assert!(none.as_array().unwrap().is_empty());

    let cov = cli(&dir, &["coverage", "--campaign", &campaign, "--json"])
        .ok()
        .json();
    assert_eq!(cov["total"], 3);
    assert_eq!(cov["missing"][0]["name"], "长安村");

    // The template again for all villages: no second campaign; 长安村 is added to this one.
    let again = cli(
        &dir,
        &[
            "template",
            "apply",
            "12·4宪法宣传周",
            "--year",
            "2027",
            "--all-units",
        ],
    )
    .ok();
    assert!(
        again.stdout.contains("已加入已有活动专项")
            && again.stdout.contains("未重复安排：安静村、石院村"),
        "{}",
        again.stdout
    );
    let cov = cli(&dir, &["coverage", "--campaign", &campaign]).ok();
    assert!(
        cov.stdout.contains("已覆盖 3/3 个村（社区）"),
        "{}",
        cov.stdout
    );
    let conflicts = cli(&dir, &["conflicts", "--year", "2027", "--json"])
        .ok()
        .json();
    assert_eq!(conflicts.as_array().unwrap().len(), 0, "{conflicts}");
    let human = cli(&dir, &["conflicts", "--year", "2027"]).ok();
    assert!(human.stdout.contains("共 0 处冲突"), "{}", human.stdout);

    let copied = cli(
        &dir,
        &["plan", "copy", "--from", "2027", "--to", "2028", "--json"],
    )
    .ok()
    .json();
    assert_eq!(copied["activities"], 3);
    assert!(copied["moved"].as_u64().is_some());

    let bad = cli(
        &dir,
        &[
            "template",
            "apply",
            "civil_code_month",
            "--year",
            "2027",
            "--json",
        ],
    );
    assert_eq!(bad.code, 1);
    assert_eq!(bad.json()["error"]["field"], "units");
    assert!(
        bad.stderr.starts_with("错误（村/单位）："),
        "{}",
        bad.stderr
    );
}

#[test]
fn records_stock_review_and_audit_through_the_cli() {
    let (_tmp, dir) = initialized(); // 张三, coordinator
    cli(
        &dir,
        &[
            "material",
            "add",
            "--name",
            "宪法读本",
            "--unit",
            "册",
            "--low",
            "20",
        ],
    )
    .ok();
    cli(
        &dir,
        &[
            "stock",
            "receive",
            "--material",
            "宪法读本",
            "--quantity",
            "100",
            "--date",
            "2026-11-01",
        ],
    )
    .ok();
    let file = dir.parent().unwrap().join("record.json");
    std::fs::write(
        &file,
        r#"{"title":"宪法进院坝","date":"2026-11-20","unit_id":"安静村","formats":["院坝会"],
            "participants":45,"reach":60,"recorder":"张三",
            "materials":[{"material_name":"宪法读本","quantity":30,"unit":"册"}]}"#,
    )
    .unwrap();
    let id = cli(
        &dir,
        &["activity", "add", "--json-file", file.to_str().unwrap()],
    )
    .ok()
    .stdout;
    let id = id.trim();
    assert_eq!(id.len(), 36, "prints the new id: {id}");
    let stock = cli(&dir, &["stock", "--json"]).ok().json();
    assert_eq!(stock["materials"][0]["balance"], 70);

    // The list prints records with their materials; one of them can be fed back to `add`.
    let list = cli(
        &dir,
        &[
            "activity",
            "list",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--json",
        ],
    )
    .ok()
    .json();
    let rec = &list.as_array().unwrap()[0];
    assert_eq!(
        (rec["kind"].as_str(), rec["participants"].as_i64()),
        (Some("record"), Some(45))
    );
    assert_eq!(rec["materials"][0]["material_name"], "宪法读本");
    assert_eq!(
        rec["review_status"], "approved",
        "the coordinator's own record"
    );
    std::fs::write(&file, rec.to_string()).unwrap();
    let copy = cli(
        &dir,
        &["activity", "add", "--json-file", file.to_str().unwrap()],
    )
    .ok()
    .stdout;
    assert_ne!(copy.trim(), id, "a new record, ids ignored");
    assert_eq!(
        cli(&dir, &["stock", "--json"]).ok().json()["materials"][0]["balance"],
        40
    );

    // Reopen, return, and the trail.
    cli(&dir, &["activity", "reopen", id, "--reason", "人数有误"]).ok();
    cli(&dir, &["activity", "return", id, "--reason", "请补照片"]).ok();
    let again = cli(&dir, &["activity", "approve", id, "--json"]);
    assert_eq!(again.code, 1, "a returned record must be resubmitted first");
    let audit = cli(&dir, &["audit", "--entity", "record", "--id", id, "--json"])
        .ok()
        .json();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "approve", "reopen", "return"]);
    assert!(cli(&dir, &["audit", "--since", "2000-01-01"])
        .ok()
        .stdout
        .contains("新建活动记录“宪法进院坝”"));

    // Bad input: named field, exit 1, stock unchanged.
    for (body, field) in [
        (
            r#"{"title":"x","date":"2026-11-20","unit_id":"安静村","formats":["院坝会"],"participants":-5,"recorder":"张三"}"#,
            "participants",
        ),
        (
            r#"{"title":"x","date":"2026-11-20","unit_id":"安静村","formats":["院坝会"],"participants":5.5,"recorder":"张三"}"#,
            "participants",
        ),
        (
            r#"{"title":"x","date":"2099-11-20","unit_id":"安静村","formats":["院坝会"],"participants":5,"recorder":"张三"}"#,
            "date",
        ),
        (
            r#"{"title":"x","date":"2026-11-20","unit_id":"安静村","formats":["院坝会"],"participants":5,"recorder":"张三","materials":[{"material_name":"不存在","quantity":1,"unit":"册"}]}"#,
            "materials",
        ),
        (
            r#"{"title":"x","date":"2026-11-20","unit_id":"安静村","formats":["院坝会"],"participants":5,"recorder":"张三","materials":[{"material_name":"宪法读本","quantity":1}]}"#,
            "materials",
        ),
        (
            r#"{"title":"x","date":"2026-11-20","unit_id":"安静村","formats":["院坝会"],"participants":5,"recorder":"张三","materials":[{"material_name":"宪法读本","quantity":41,"unit":"册"}]}"#,
            "materials",
        ),
    ] {
        std::fs::write(&file, body).unwrap();
        let run = cli(
            &dir,
            &[
                "activity",
                "add",
                "--json-file",
                file.to_str().unwrap(),
                "--json",
            ],
        );
        assert_eq!(run.code, 1, "{body}");
        assert_eq!(run.json()["error"]["field"], field, "{body}");
        assert!(run.stderr.starts_with("错误（"), "{}", run.stderr);
    }
    assert_eq!(
        cli(&dir, &["stock", "--json"]).ok().json()["materials"][0]["balance"],
        40
    );
    std::fs::write(&file, "{ broken").unwrap();
    let broken = cli(
        &dir,
        &["activity", "add", "--json-file", file.to_str().unwrap()],
    );
    assert_eq!(broken.code, 1);
    assert!(broken.stderr.contains("无法读取"), "{}", broken.stderr);
}

#[test]
fn export_audit_xlsx_writes_the_demo_trail() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let (tmp, dir) = data_dir();
    cli(&dir, &["demo", "--seed", "3", "--year", "2026"]).ok();
    let out = tmp.path().join("操作记录.xlsx");
    let out_arg = out.to_str().unwrap();
    let human = cli(&dir, &["export", "audit-xlsx", "--out", out_arg]).ok();
    assert!(
        human.stdout.starts_with("已导出 ") && human.stdout.contains("操作记录.xlsx"),
        "{}",
        human.stdout
    );
    let json = cli(
        &dir,
        &[
            "export",
            "audit-xlsx",
            "--out",
            out_arg,
            "--since",
            "2000-01-01",
            "--until",
            "2099/12/31",
            "--json",
        ],
    )
    .ok()
    .json();
    let rows = json["count"].as_u64().unwrap();
    assert!(rows > 10, "{json}");
    assert_eq!(json["path"], out_arg);

    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["操作记录"]);
    let sheet = wb.worksheet_range("操作记录").unwrap();
    assert_eq!(sheet.get((0, 0)), Some(&Data::String("时间".into())));
    assert_eq!(sheet.get((0, 8)), Some(&Data::String("新值".into())));
    assert_eq!(sheet.height() as u64, rows + 1);
    assert!(matches!(sheet.get((1, 0)), Some(Data::DateTime(_))));
    assert!(
        (1..sheet.height()).any(|r| sheet.get((r, 5)) == Some(&Data::String("审核通过".into()))),
        "the demo's reviews are in the trail"
    );

    // Nothing after 2099; a bad date names the field; no file is left behind.
    let empty = cli(
        &dir,
        &[
            "export",
            "audit-xlsx",
            "--out",
            out_arg,
            "--since",
            "2099-01-01",
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(empty["count"], 0);
    let bad_out = tmp.path().join("坏.xlsx");
    let bad = cli(
        &dir,
        &[
            "export",
            "audit-xlsx",
            "--out",
            bad_out.to_str().unwrap(),
            "--until",
            "明年",
        ],
    );
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.starts_with("错误（结束日期）："),
        "{}",
        bad.stderr
    );
    assert!(!bad_out.exists());
    let missing = cli(&dir, &["export", "audit-xlsx"]);
    assert_eq!(missing.code, 2, "--out is required");
}

/// Whether a program is on PATH.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Runs a command, killing it after `secs` seconds; true when it exited with success.
fn run_with_timeout(cmd: &mut std::process::Command, secs: u64) -> bool {
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the program starts");
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.success();
        }
        if started.elapsed().as_secs() > secs {
            let _ = child.kill();
            let _ = child.wait();
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn export_report_docx_gives_a_gongwen_that_libreoffice_prints() {
    let (tmp, dir) = data_dir();
    cli(&dir, &["demo", "--seed", "3", "--year", "2026"]).ok();
    let out = tmp.path().join("年度总结.docx");
    let out_arg = out.to_str().unwrap();
    let human = cli(
        &dir,
        &["export", "report-docx", "--year", "2026", "--out", out_arg],
    )
    .ok();
    assert!(
        human.stdout.starts_with("已导出 ") && human.stdout.contains("年度总结.docx"),
        "{}",
        human.stdout
    );
    let report = cli(
        &dir,
        &[
            "export",
            "report-docx",
            "--year",
            "2026",
            "--out",
            out_arg,
            "--json",
        ],
    )
    .ok()
    .json();
    let summary = cli(
        &dir,
        &[
            "summary",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(report["activities"], summary["activities"], "{report}");
    assert_eq!(report["path"], out_arg);
    assert!(report["paragraphs"].as_u64().unwrap() > 15, "{report}");
    assert_eq!(report["tables"], 3, "{report}");
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));

    // A campaign's report; an empty year; bad input.
    let campaigns = cli(&dir, &["campaign", "list", "--json"]).ok().json();
    let id = campaigns[0]["id"].as_str().unwrap();
    let campaign_out = tmp.path().join("专项.docx");
    let campaign = cli(
        &dir,
        &[
            "export",
            "campaign-docx",
            "--campaign",
            id,
            "--out",
            campaign_out.to_str().unwrap(),
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(campaign["tables"], 2, "{campaign}");
    let empty = tmp.path().join("2030.docx");
    let none = cli(
        &dir,
        &[
            "export",
            "report-docx",
            "--year",
            "2030",
            "--out",
            empty.to_str().unwrap(),
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(none["activities"], 0);
    let bad_out = tmp.path().join("坏.docx");
    let unknown = cli(
        &dir,
        &[
            "export",
            "campaign-docx",
            "--campaign",
            "没有这个专项",
            "--out",
            bad_out.to_str().unwrap(),
        ],
    );
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.starts_with("错误：找不到活动专项"),
        "{}",
        unknown.stderr
    );
    let bad_year = cli(
        &dir,
        &[
            "export",
            "report-docx",
            "--year",
            "26",
            "--out",
            bad_out.to_str().unwrap(),
        ],
    );
    assert_eq!(bad_year.code, 1);
    assert!(
        bad_year.stderr.starts_with("错误（年份）："),
        "{}",
        bad_year.stderr
    );
    assert!(!bad_out.exists());
    assert_eq!(
        cli(&dir, &["export", "report-docx", "--year", "2026"]).code,
        2
    );

    // End to end: LibreOffice prints it; the PDF has the title, the page numbers, the numbers.
    if !on_path("soffice") || !on_path("pdftotext") {
        eprintln!(
            "SKIPPED the PDF check: soffice (LibreOffice) or pdftotext (poppler-utils) is not on \
             PATH; scripts/install-deps.sh installs both"
        );
        return;
    }
    let pdf_dir = tmp.path().join("pdf");
    let profile = tmp.path().join("lo-profile");
    let converted = run_with_timeout(
        std::process::Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&pdf_dir)
            .arg(&out),
        180,
    );
    let pdf = pdf_dir.join("年度总结.pdf");
    assert!(
        converted && pdf.is_file(),
        "LibreOffice did not convert the report"
    );
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    // pdftotext puts spaces where the font changes (around digits): compare without them.
    let text: String = String::from_utf8_lossy(&text.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for expected in [
        "双龙镇2026年普法工作总结".to_string(),
        "—1—".to_string(),
        "—2—".to_string(),
        format!("共开展各类普法活动{}场次", summary["activities"]),
        "一、基本情况".to_string(),
        "附件".to_string(),
        "合计".to_string(),
    ] {
        assert!(
            text.contains(&expected),
            "the PDF lacks “{expected}”:\n{text}"
        );
    }
}

#[test]
fn demo_at_scale_generates_a_county_database_with_progress() {
    let (_tmp, dir) = data_dir();
    let run = cli(
        &dir,
        &[
            "demo",
            "--seed",
            "9",
            "--year",
            "2025",
            "--activities",
            "3000",
            "--towns",
            "2",
            "--years",
            "2",
        ],
    )
    .ok();
    assert!(run.stderr.contains("进度 100%"), "{}", run.stderr);
    let s: serde_json::Value = serde_json::from_str(
        &cli(
            &dir,
            &[
                "summary",
                "--from",
                "2024-01-01",
                "--to",
                "2025-12-31",
                "--json",
            ],
        )
        .ok()
        .stdout,
    )
    .unwrap();
    let activities = s["activities"].as_i64().unwrap();
    assert!(
        activities > 2_500,
        "most of 3,000 past activities were held and approved: {activities}"
    );
    assert!(
        s["by_village"].as_array().unwrap().len() > 21,
        "the second town's villages have records too"
    );
    assert_eq!(cli(&dir, &["check"]).code, 0);
    // Asking again on the same folder is refused and changes nothing.
    let again = cli(&dir, &["demo", "--activities", "10"]);
    assert_eq!(again.code, 1);
    let bad = cli(&dir, &["demo", "--towns", "3"]);
    assert_eq!(bad.code, 2, "--towns needs --activities");
}

#[test]
fn pivot_prints_the_table_and_exports_exactly_it() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let (tmp, dir) = data_dir();
    cli(&dir, &["demo", "--seed", "3", "--year", "2026"]).ok();
    let year = ["--from", "2026-01-01", "--to", "2026-12-31"];
    let args = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut v = vec!["pivot", "--rows", "village", "--cols", "month"];
        v.extend(year);
        v.extend(extra);
        v
    };
    let t = cli(&dir, &args(&["--measure", "activities", "--json"]))
        .ok()
        .json();
    let summary = cli(
        &dir,
        &["summary", "--from", year[1], "--to", year[3], "--json"],
    )
    .ok()
    .json();
    assert_eq!(t["total"], summary["activities"], "{t}");
    assert_eq!(t["measure_unit"], "场次");
    let months = t["col_labels"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0]["label"], "2026年1月");
    let rows = t["row_labels"].as_array().unwrap();
    assert!(rows.len() >= 21, "every village, even without records");
    let cells = t["cells"].as_array().unwrap();
    let row_totals = t["row_totals"].as_array().unwrap();
    for (cells, total) in cells.iter().zip(row_totals) {
        let sum: i64 = cells
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .sum();
        assert_eq!(Some(sum), total.as_i64(), "a record is in one month");
    }

    // The text table: title, header with the months and 合计, the 合计 row with the total.
    let human = cli(&dir, &args(&[])).ok().stdout;
    let lines: Vec<&str> = human.lines().collect();
    assert!(
        lines[0].contains("活动场次（场次），按村/单位、月份"),
        "{human}"
    );
    assert!(
        lines[1].starts_with("村/单位＼月份") && lines[1].ends_with("合计"),
        "{human}"
    );
    let first = rows[0]["label"].as_str().unwrap();
    assert!(lines[2].starts_with(first), "{human}");
    // Under the 合计 row: the 统计口径 and the note that one activity can be in several rows
    // is not there, as a village holds each record once.
    let total_line = lines[rows.len() + 2];
    assert!(
        total_line.starts_with("合计") && total_line.ends_with(&format!(" {}", t["total"])),
        "{human}"
    );
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("统计口径：已审核通过的活动记录"),
        "{human}"
    );
    assert_eq!(lines.len(), rows.len() + 4);

    // Chinese names work too; quantities of different units (份, 册) are never added: without a
    // material or unit dimension they are split by unit.
    let q = cli(
        &dir,
        &[
            "pivot",
            "--rows",
            "法律",
            "--measure",
            "数量",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(q["cols"], "unit", "{q}");
    assert!(q["total"].is_null(), "no total across units: {q}");
    let by_unit: std::collections::BTreeMap<String, i64> = summary["material_units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unit"].as_str().unwrap().to_string(),
                u["quantity"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(by_unit.len() > 1, "the demo hands out several units");
    let columns: std::collections::BTreeMap<String, i64> = q["col_labels"]
        .as_array()
        .unwrap()
        .iter()
        .zip(q["col_totals"].as_array().unwrap())
        .map(|(l, v)| (l["key"].as_str().unwrap().to_string(), v.as_i64().unwrap()))
        .collect();
    assert_eq!(columns, by_unit);

    // The workbook holds exactly the table shown.
    let out = tmp.path().join("透视表.xlsx");
    let mut export = vec!["export", "pivot-xlsx", "--out", out.to_str().unwrap()];
    export.extend(&args(&["--measure", "activities"])[1..]);
    let done = cli(&dir, &export).ok();
    assert!(done.stdout.starts_with("已导出 "), "{}", done.stdout);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = wb.worksheet_range("透视表").unwrap();
    assert_eq!(
        sheet.get((0, 0)),
        Some(&Data::String(t["title"].as_str().unwrap().into()))
    );
    assert_eq!(sheet.get((1, 1)), Some(&Data::String("2026年1月".into())));
    assert_eq!(sheet.get((2, 0)), Some(&Data::String(first.into())));
    let bottom = rows.len() + 2;
    assert_eq!(sheet.get((bottom, 0)), Some(&Data::String("合计".into())));
    assert_eq!(
        sheet.get((bottom, 13)),
        Some(&Data::Float(t["total"].as_i64().unwrap() as f64))
    );

    // Bad input: an unknown dimension is a bad command line; a reversed period names the field.
    let unknown = cli(&dir, &["pivot", "--rows", "weather"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("行“weather”无效，可选："),
        "{}",
        unknown.stderr
    );
    let reversed = cli(
        &dir,
        &[
            "pivot",
            "--rows",
            "law",
            "--from",
            "2026-12-01",
            "--to",
            "2026-01-01",
        ],
    );
    assert_eq!(reversed.code, 1);
    assert!(
        reversed.stderr.starts_with("错误（结束日期）："),
        "{}",
        reversed.stderr
    );
    let same = cli(
        &dir,
        &["pivot", "--rows", "law", "--cols", "法律", "--json"],
    );
    assert_eq!(same.code, 1);
    assert_eq!(same.json()["error"]["field"], "cols");
}

#[test]
fn backup_then_restore_brings_the_data_back_and_a_bad_file_changes_nothing() {
    let (_tmp, dir) = data_dir();
    cli(&dir, &["demo", "--seed", "5", "--year", "2026"]).ok();
    let records = |d: &std::path::Path| -> i64 {
        rusqlite::Connection::open(d.join("pufa.db"))
            .unwrap()
            .query_row("SELECT count(*) FROM record", [], |r| r.get(0))
            .unwrap()
    };
    let held = records(&dir);
    assert!(held > 20);
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("双龙镇备份.pufabak");
    let file_arg = file.to_str().unwrap();
    let made = cli(&dir, &["backup", "--out", file_arg, "--json"])
        .ok()
        .json();
    assert_eq!(made["town"], "双龙镇");
    assert_eq!(made["kind"], "manual");
    assert_eq!(made["records"], held);
    let human = cli(&dir, &["restore", file_arg, "--preview"]).ok();
    assert!(
        human.stdout.contains("手动备份  双龙镇："),
        "{}",
        human.stdout
    );

    // A record deleted after the backup comes back with the restore.
    let conn = rusqlite::Connection::open(dir.join("pufa.db")).unwrap();
    conn.execute(
        "DELETE FROM record WHERE id = (SELECT min(id) FROM record)",
        [],
    )
    .unwrap();
    drop(conn);
    assert_eq!(records(&dir), held - 1);
    let restored = cli(&dir, &["restore", file_arg, "--json"]).ok().json();
    assert_eq!(restored["records"], made["records"]);
    assert_eq!(records(&dir), held);
    let kept = cli(&dir, &["backup", "list", "--json"]).ok().json();
    assert_eq!(kept[0]["kind"], "before_restore");
    let trail = cli(&dir, &["audit", "--entity", "backup", "--json"])
        .ok()
        .json();
    assert_eq!(trail.as_array().unwrap().len(), 1, "the restore is traced");

    // A truncated backup: refused by name, the data file unchanged byte for byte.
    let bytes = std::fs::read(&file).unwrap();
    let truncated = out.path().join("截断.pufabak");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let checkpoint = || {
        rusqlite::Connection::open(dir.join("pufa.db"))
            .unwrap()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        std::fs::read(dir.join("pufa.db")).unwrap()
    };
    let before = checkpoint();
    let bad = cli(&dir, &["restore", truncated.to_str().unwrap()]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.contains("不是可用的普法台账备份"),
        "{}",
        bad.stderr
    );
    assert_eq!(checkpoint(), before);
    let missing = cli(&dir, &["backup"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("--out"), "{}", missing.stderr);
}

#[test]
fn import_template_then_a_filled_sheet_imports_its_valid_rows_once() {
    let (_tmp, dir) = initialized();
    let out = tempfile::tempdir().unwrap();
    let template = out.path().join("活动登记表.xlsx");
    let made = cli(
        &dir,
        &["import-template", "--out", template.to_str().unwrap()],
    )
    .ok();
    assert!(
        made.stdout.contains("已生成活动登记表模板"),
        "{}",
        made.stdout
    );
    {
        use calamine::Reader;
        let book: calamine::Xlsx<_> = calamine::open_workbook(&template).unwrap();
        assert!(book.sheet_names().iter().any(|n| n == "活动登记"));
    }

    // As a cadre fills it in: a title row above the header, forgiving dates and numbers.
    let filled = out.path().join("安静村11月.xlsx");
    common::filled_sheet(&filled);
    let file = filled.to_str().unwrap();

    let dry = cli(&dir, &["import", "xlsx", file, "--dry-run", "--json"])
        .ok()
        .json();
    assert_eq!(
        (&dry["valid"], &dry["imported"], &dry["duplicates"]),
        (&2.into(), &0.into(), &1.into()),
        "{dry}"
    );
    let errors = dry["errors"].as_array().unwrap();
    let at = |row: u64, column: &str| {
        errors
            .iter()
            .any(|e| e["row"] == row && e["column"] == column)
    };
    assert!(at(5, "日期") && at(6, "村/社区"), "{errors:?}");
    assert!(
        errors
            .iter()
            .all(|e| e["message"].as_str().unwrap().contains("第")),
        "messages name the row: {errors:?}"
    );
    let records = |d: &std::path::Path| -> i64 {
        rusqlite::Connection::open(d.join("pufa.db"))
            .unwrap()
            .query_row("SELECT count(*) FROM record", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(records(&dir), 0, "a dry run writes nothing");

    let done = cli(&dir, &["import", "xlsx", file, "--json"]).ok().json();
    assert_eq!(done["imported"], 2, "{done}");
    assert_eq!(records(&dir), 2);
    let reach: i64 = rusqlite::Connection::open(dir.join("pufa.db"))
        .unwrap()
        .query_row(
            "SELECT reach FROM record WHERE title = '民法典讲座'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reach, 200, "“200余” taken as 200");
    let again = cli(&dir, &["import", "xlsx", file, "--json"]).ok().json();
    assert_eq!(
        (&again["imported"], &again["duplicates"]),
        (&0.into(), &3.into())
    );
    assert_eq!(
        records(&dir),
        2,
        "importing the same file twice creates nothing new"
    );
    let human = cli(&dir, &["import", "xlsx", file, "--dry-run"]).ok();
    assert!(human.stdout.contains("已登记过 3 行"), "{}", human.stdout);

    // A broken file: a clear message, nothing changed.
    let broken = out.path().join("坏文件.xlsx");
    std::fs::write(&broken, &std::fs::read(&filled).unwrap()[..300]).unwrap();
    let bad = cli(&dir, &["import", "xlsx", broken.to_str().unwrap()]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("坏文件.xlsx"), "{}", bad.stderr);
    assert_eq!(records(&dir), 2);
}

#[test]
fn import_names_unused_columns_and_sheets_and_asks_once_for_a_missing_village() {
    let (_tmp, dir) = initialized();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("学校台账.xlsx");
    {
        let mut book = rust_xlsxwriter::Workbook::new();
        let cover = book.add_worksheet();
        cover.set_name("封面").unwrap();
        cover.write(0, 0, "双龙镇中心小学普法台账").unwrap();
        let sheet = book.add_worksheet();
        sheet.set_name("台账").unwrap();
        for (c, h) in ["序号", "日期", "活动名称", "活动形式", "参加人数", "备注"]
            .iter()
            .enumerate()
        {
            sheet.write(0, c as u16, *h).unwrap();
        }
        for (c, v) in ["1", "2026-11-04", "宪法晨读", "宪法晨读", "300", "全校"]
            .iter()
            .enumerate()
        {
            sheet.write(1, c as u16, *v).unwrap();
        }
        book.save(&path).unwrap();
    }
    let file = path.to_str().unwrap();
    let human = cli(&dir, &["import", "xlsx", file, "--dry-run"]).ok();
    for said in [
        "这些列没有导入：序号、备注",
        "“封面”表未读取：封面",
        "“台账”表：第1行是表头，1 行数据",
        "用 --village 指定整张表的村/社区",
    ] {
        assert!(human.stdout.contains(said), "{said} in {}", human.stdout);
    }
    let dry = cli(
        &dir,
        &[
            "import",
            "xlsx",
            file,
            "--dry-run",
            "--json",
            "--village",
            "双龙镇中心小学",
        ],
    )
    .ok()
    .json();
    assert_eq!(
        (&dry["valid"], &dry["imported"]),
        (&1.into(), &0.into()),
        "{dry}"
    );
    assert_eq!(dry["ignored_columns"], serde_json::json!(["序号", "备注"]));
    // The mapper from the command line: 备注 read as 活动简述.
    let mapped = cli(
        &dir,
        &[
            "import",
            "xlsx",
            file,
            "--dry-run",
            "--json",
            "--village",
            "双龙镇中心小学",
            "--map",
            "备注=活动简述",
        ],
    )
    .ok()
    .json();
    assert_eq!(mapped["ignored_columns"], serde_json::json!(["序号"]));
    let remark = mapped["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["header"] == "备注")
        .unwrap();
    assert_eq!(
        (&remark["field"], &remark["source"]),
        (&"narrative".into(), &"chosen".into())
    );
    assert_eq!(dry["sheets"][1]["name"], "台账");
    assert_eq!(dry["sheets"][0]["skipped"], "封面");
    let done = cli(
        &dir,
        &["import", "xlsx", file, "--village", "双龙镇中心小学"],
    )
    .ok();
    assert!(done.stdout.contains("已导入 1 行"), "{}", done.stdout);

    // The sheet corrected (300 → 320) and imported again: 已修改, old → new, an update.
    let corrected = out.path().join("学校台账（改）.xlsx");
    {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("台账").unwrap();
        for (r, row) in [
            ["序号", "日期", "活动名称", "活动形式", "参加人数", "备注"],
            ["1", "2026-11-04", "宪法晨读", "宪法晨读", "320", "全校"],
        ]
        .iter()
        .enumerate()
        {
            for (c, v) in row.iter().enumerate() {
                sheet.write(r as u32, c as u16, *v).unwrap();
            }
        }
        book.save(&corrected).unwrap();
    }
    let fixed = corrected.to_str().unwrap();
    let asked = ["--village", "双龙镇中心小学"];
    let dry = cli(
        &dir,
        &[
            &["import", "xlsx", fixed, "--dry-run", "--json"][..],
            &asked,
        ]
        .concat(),
    )
    .ok()
    .json();
    assert_eq!(
        (&dry["valid"], &dry["updated"], &dry["duplicates"]),
        (&0.into(), &1.into(), &0.into()),
        "{dry}"
    );
    assert_eq!(dry["rows"][0]["status"], "updated");
    assert_eq!(
        dry["rows"][0]["changes"],
        serde_json::json!([
            {"column": "参加人数", "old": "300", "new": "320"},
            // No 受众人次 column: the reach is the people, and changes with them.
            {"column": "受众人次", "old": "300", "new": "320"}
        ])
    );
    let human = cli(
        &dir,
        &[&["import", "xlsx", fixed, "--dry-run"][..], &asked].concat(),
    )
    .ok();
    for said in ["已修改 1 行", "第2行已修改：参加人数：300 → 320"] {
        assert!(human.stdout.contains(said), "{said} in {}", human.stdout);
    }
    let done = cli(&dir, &[&["import", "xlsx", fixed][..], &asked].concat()).ok();
    assert!(done.stdout.contains("更新 1 条记录"), "{}", done.stdout);
    let people: i64 = rusqlite::Connection::open(dir.join("pufa.db"))
        .unwrap()
        .query_row("SELECT participants FROM record", [], |r| r.get(0))
        .unwrap();
    assert_eq!(people, 320);
}

#[test]
fn a_package_carries_the_town_to_another_laptop_and_a_double_edit_becomes_a_conflict() {
    let (_tmp, town) = initialized();
    let village = town.parent().unwrap().join("village");
    let out = tempfile::tempdir().unwrap();
    let campaign = |dir: &std::path::Path, name: &str, end: &str| {
        cli(
            dir,
            &[
                "campaign",
                "add",
                "--name",
                name,
                "--kind",
                "national",
                "--start",
                "2026-12-01",
                "--end",
                end,
                "--json",
            ],
        )
        .ok()
        .json()
    };
    let id = campaign(&town, "2026年宪法宣传周", "2026-12-07")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let package = out.path().join("双龙镇.pufapkg");
    let package_arg = package.to_str().unwrap();
    let exported = cli(
        &town,
        &["package", "export", "--out", package_arg, "--json"],
    )
    .ok()
    .json();
    assert_eq!(exported["counts"]["campaigns"], 1, "{exported}");

    // The village laptop adopts the town; the same package again changes nothing.
    let first = cli(&village, &["package", "import", package_arg, "--json"])
        .ok()
        .json();
    assert_eq!(first["adopted_town"], true);
    assert!(first["added"].as_u64().unwrap() >= 5, "{first}");
    assert_eq!(first["conflicts"], 0);
    let again = cli(&village, &["package", "import", package_arg, "--json"])
        .ok()
        .json();
    assert_eq!(again["added"], 0, "{again}");
    assert_eq!(again["updated"], 0);
    assert_eq!(again["unchanged"], first["added"]);
    let shown = cli(&village, &["campaign", "show", &id]).ok();
    assert!(
        shown.stdout.contains("2026年宪法宣传周"),
        "{}",
        shown.stdout
    );

    // Both edit the campaign; the village's package back to the town is a conflict, kept
    // provisionally by the later edit, settled by the user.
    let edit = |dir: &std::path::Path, name: &str| {
        cli(
            dir,
            &[
                "campaign",
                "edit",
                &id,
                "--name",
                name,
                "--kind",
                "national",
                "--start",
                "2026-12-01",
                "--end",
                "2026-12-07",
            ],
        )
        .ok();
    };
    edit(&town, "2026年宪法宣传周（镇）");
    edit(&village, "2026年宪法宣传周（村）");
    let back = out.path().join("回传.pufapkg");
    let back_arg = back.to_str().unwrap();
    cli(
        &village,
        &["package", "export", "--out", back_arg, "--since-last"],
    )
    .ok();
    // The other laptop has no user: it speaks for the town, taken once the user confirms it.
    let unknown = cli(&town, &["package", "import", back_arg]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown
            .stderr
            .contains("本机以前没有收到过这台电脑的数据包"),
        "{}",
        unknown.stderr
    );
    let merged = cli(&town, &["package", "import", back_arg, "--trust-device"]).ok();
    assert!(
        merged.stdout.contains("冲突 1"),
        "the report names the conflict: {}",
        merged.stdout
    );
    let conflicts = cli(&town, &["package", "conflicts", "--json"]).ok().json();
    let conflict = &conflicts[0];
    assert_eq!(conflict["entity"], "campaign");
    assert_eq!(conflict["local"]["name"], "2026年宪法宣传周（镇）");
    assert_eq!(conflict["incoming"]["name"], "2026年宪法宣传周（村）");
    let settled = cli(
        &town,
        &[
            "package",
            "resolve",
            conflict["id"].as_str().unwrap(),
            "--keep",
            "local",
        ],
    )
    .ok();
    assert!(
        settled.stdout.contains("保留本机版本"),
        "{}",
        settled.stdout
    );
    let name = cli(&town, &["campaign", "show", &id, "--json"]).ok().json()["name"].clone();
    assert_eq!(name, "2026年宪法宣传周（镇）");
    let trail = cli(&town, &["audit", "--entity", "sync", "--json"])
        .ok()
        .json();
    assert_eq!(
        trail.as_array().unwrap().len(),
        2,
        "export and import are traced: {trail}"
    );

    // A package of another town is refused by name and changes nothing.
    let (_other_tmp, other) = data_dir();
    cli(
        &other,
        &[
            "init",
            "--town",
            "石院镇",
            "--villages",
            "一村",
            "--user",
            "李四",
        ],
    )
    .ok();
    let refused = cli(&other, &["package", "import", package_arg]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("不同乡镇"), "{}", refused.stderr);
    let missing = cli(
        &town,
        &[
            "package",
            "export",
            "--out",
            package_arg,
            "--village",
            "无此村",
        ],
    );
    assert_eq!(missing.code, 1, "{}", missing.stdout);
}

#[test]
fn a_county_rollup_imports_each_towns_package_and_counts_the_whole_county() {
    let out = tempfile::tempdir().unwrap();
    let (_t1, shuanglong) = data_dir();
    cli(&shuanglong, &["demo", "--seed", "2", "--year", "2026"]).ok();
    let (_t2, longxi) = data_dir();
    cli(
        &longxi,
        &[
            "init",
            "--town",
            "龙溪镇",
            "--villages",
            "安静村,河口村",
            "--user",
            "赵六",
        ],
    )
    .ok();
    let record = out.path().join("record.json");
    std::fs::write(
        &record,
        r#"{"title":"龙溪镇宪法进院坝","date":"2026-11-20","unit_id":"安静村","formats":["院坝会"],
            "participants":45,"reach":60,"recorder":"赵六"}"#,
    )
    .unwrap();
    cli(
        &longxi,
        &["activity", "add", "--json-file", record.to_str().unwrap()],
    )
    .ok();
    let (_t3, county) = data_dir();
    cli(&county, &["init", "--town", "巫山县", "--county-rollup"]).ok();
    let info = cli(&county, &["info", "--json"]).ok().json();
    assert_eq!(info["county_rollup"], true);

    let mut reach = 0;
    for (i, town) in [&shuanglong, &longxi].into_iter().enumerate() {
        let pkg = out.path().join(format!("{i}.pufapkg"));
        cli(town, &["package", "export", "--out", pkg.to_str().unwrap()]).ok();
        let report = cli(
            &county,
            &[
                "package",
                "import",
                pkg.to_str().unwrap(),
                "--trust-device",
                "--json",
            ],
        )
        .ok()
        .json();
        assert_eq!(report["conflicts"], 0, "{report}");
        reach += cli(town, &["summary", "--json"]).ok().json()["reach"]
            .as_i64()
            .unwrap();
    }
    let summary = cli(&county, &["summary", "--json"]).ok().json();
    assert_eq!(summary["reach"].as_i64().unwrap(), reach, "{summary}");
    let units = cli(&county, &["unit", "list", "--json"]).ok().json();
    let names: Vec<&str> = units
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"双龙镇安静村") && names.contains(&"龙溪镇安静村"),
        "{names:?}"
    );
}

/// The numbers of one period, village and basis through the real binary: `summary --json`, the
/// 台账 workbook (every sheet) and the CSV agree; a village named on the command line is the same
/// village everywhere; the files state their 统计口径.
#[test]
fn summary_ledger_workbook_and_csv_give_the_same_numbers() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let (tmp, dir) = data_dir();
    cli(&dir, &["demo", "--seed", "3", "--year", "2026"]).ok();
    for (village, basis) in [
        (None, None),
        (Some("安静村"), None),
        (None, Some("--include-pending")),
        (Some("石院村"), Some("--include-pending")),
    ] {
        let mut scope = vec!["--from", "2026-01-01", "--to", "2026-12-31"];
        if let Some(v) = village {
            scope.extend(["--village", v]);
        }
        if let Some(b) = basis {
            scope.push(b);
        }
        let mut args = vec!["summary"];
        args.extend(&scope);
        args.push("--json");
        let s = cli(&dir, &args).ok().json();
        let want = [
            s["activities"].as_i64().unwrap(),
            s["participants"].as_i64().unwrap(),
            s["reach"].as_i64().unwrap(),
        ];
        assert!(want[0] > 0, "{village:?}");

        let xlsx = tmp.path().join("台账.xlsx");
        let mut args = vec!["export", "ledger-xlsx", "--out", xlsx.to_str().unwrap()];
        args.extend(&scope);
        let out = cli(&dir, &args).ok();
        assert!(
            out.stdout.contains(&format!("已导出 {} 条", want[0])),
            "{}",
            out.stdout
        );
        let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
        let basis_line = s["basis_line"].as_str().unwrap();
        for sheet in wb.sheet_names() {
            let range = wb.worksheet_range(&sheet).unwrap();
            assert_eq!(
                range.get((1, 0)),
                Some(&Data::String(basis_line.into())),
                "{sheet} states the basis"
            );
            if sheet == "资料发放" {
                continue;
            }
            let head = (0..range.height())
                .find(|r| range.get((*r, 0)) == Some(&Data::String("序号".into())))
                .unwrap();
            let total = (0..range.height())
                .find(|r| {
                    matches!(range.get((*r, 0)), Some(Data::String(t)) if t.starts_with("合计"))
                })
                .unwrap_or_else(|| panic!("{sheet}: no 合计"));
            let col = |h: &str| {
                (0..range.width())
                    .find(|c| {
                        matches!(range.get((head, *c)), Some(Data::String(s)) if s.replace('\n', "") == h)
                    })
                    .unwrap()
            };
            let n = |c: usize| match range.get((total, c)) {
                Some(Data::Float(f)) => *f as i64,
                other => panic!("{sheet}: {other:?}"),
            };
            let activities = if sheet == "活动台账" {
                match range.get((total, col("活动名称"))) {
                    Some(Data::String(t)) => t.split(' ').next().unwrap().parse().unwrap(),
                    other => panic!("{other:?}"),
                }
            } else {
                n(col("场次"))
            };
            assert_eq!(
                [activities, n(col("参加人数（人）")), n(col("受众人次"))],
                want,
                "{sheet} {village:?} {basis:?}"
            );
        }

        let csv = tmp.path().join("台账.csv");
        let mut args = vec!["export", "csv", "--out", csv.to_str().unwrap()];
        args.extend(&scope);
        cli(&dir, &args).ok();
        let text = std::fs::read_to_string(&csv).unwrap();
        let lines: Vec<&str> = text.trim_end().lines().collect();
        assert_eq!(lines.len() as i64, want[0] + 3, "header, rows, 合计, 口径");
        assert_eq!(lines[lines.len() - 1], basis_line);
        let total: Vec<&str> = lines[lines.len() - 2].split(',').collect();
        assert_eq!(total[0], "合计");
        assert_eq!(total[12..14], [want[1].to_string(), want[2].to_string()]);
    }

    // An unknown village is refused naming the field, not exported empty.
    let bad = cli(
        &dir,
        &[
            "export",
            "csv",
            "--out",
            tmp.path().join("x.csv").to_str().unwrap(),
            "--village",
            "没有这个村",
        ],
    );
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("没有这个村"), "{}", bad.stderr);
    assert!(!tmp.path().join("x.csv").exists());
}

#[test]
fn the_demo_towns_next_year_from_the_standard_set_without_duplicates() {
    let (_tmp, dir) = data_dir();
    cli(&dir, &["demo", "--seed", "7", "--year", "2026"]).ok();
    let run = cli(&dir, &["plan", "generate", "--year", "2027"]).ok();
    let out = &run.stdout;
    assert!(out.contains("未指定节点，按乡镇每年常规的"), "{out}");
    assert!(
        out.contains("宪法宣传周") && out.contains("民法典宣传月"),
        "{out}"
    );
    // Last winter's campaign runs into 2027 and is shown; this winter's is made.
    assert!(out.contains("上年度延续到本年的活动专项"), "{out}");
    assert!(out.contains("2026—2027年度根治欠薪冬季专项行动"), "{out}");
    assert!(
        out.contains("已建：2027—2028年度根治欠薪冬季专项行动法治宣传"),
        "{out}"
    );
    assert!(
        !out.contains("2026-2027"),
        "an em dash, not a hyphen: {out}"
    );
    let figures = out
        .lines()
        .find(|l| l.starts_with("计划活动 "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(figures.contains("已改到最近的工作日"), "{figures}");
    println!("{figures}");

    // Applying a template of a node that has its 2027 campaign adds to it.
    let count = |dir: &std::path::Path| {
        cli(dir, &["campaign", "list", "--year", "2027", "--json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len()
    };
    let before = count(&dir);
    let applied = cli(
        &dir,
        &[
            "template",
            "apply",
            "民法典宣传月",
            "--year",
            "2027",
            "--all-units",
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(applied["added_to_existing"], true);
    assert_eq!(applied["activities"].as_array().unwrap().len(), 0);
    assert_eq!(count(&dir), before, "no second campaign");
    // Generating again adds nothing either.
    let again = cli(&dir, &["plan", "generate", "--year", "2027", "--json"])
        .ok()
        .json();
    assert_eq!(again["created"].as_array().unwrap().len(), 0);
    assert_eq!(again["placed"], 0);
    assert_eq!(count(&dir), before);

    // The school activities of the plan keep to school days; conflicts say why otherwise.
    let conflicts = cli(&dir, &["conflicts", "--year", "2027", "--json"])
        .ok()
        .json();
    let bad: Vec<&serde_json::Value> = conflicts
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "school_break" || c["kind"] == "holiday")
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
}

#[test]
fn school_calendar_market_days_and_provisional_nodes_through_the_cli() {
    let (_tmp, dir) = initialized();
    let shown = cli(&dir, &["school-calendar", "--year", "2027"]).ok();
    assert!(
        shown.stdout.contains("巫山县2027 年中小学校历（估计"),
        "{}",
        shown.stdout
    );
    assert!(
        shown.stdout.contains("寒假  2027-01-23 至 2027-02-21"),
        "{}",
        shown.stdout
    );
    let set = cli(
        &dir,
        &[
            "school-calendar",
            "--year",
            "2027",
            "--winter-start",
            "2027年1月30日",
            "--winter-end",
            "2027-02-28",
            "--summer-start",
            "2027-07-10",
            "--summer-end",
            "2027-08-31",
            "--notice",
            "巫教发〔2026〕12号",
        ],
    )
    .ok();
    assert!(
        set.stdout.contains("已按通知录入：巫教发〔2026〕12号"),
        "{}",
        set.stdout
    );
    let bad = cli(
        &dir,
        &[
            "school-calendar",
            "--year",
            "2027",
            "--winter-start",
            "2027-01-30",
            "--winter-end",
            "2027-01-01",
            "--summer-start",
            "2027-07-10",
            "--summer-end",
            "2027-08-31",
        ],
    );
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.starts_with("错误（寒假结束日期）："),
        "{}",
        bad.stderr
    );
    // 春季开学第一课 follows the entered calendar.
    let nodes = cli(&dir, &["keydates", "--year", "2027", "--json"])
        .ok()
        .json();
    let lesson = nodes
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["code"] == "first_lesson_spring")
        .unwrap();
    assert_eq!(lesson["start"], "2027-03-01");
    let reset = cli(&dir, &["school-calendar", "--year", "2027", "--reset"]).ok();
    assert!(reset.stdout.contains("估计"), "{}", reset.stdout);

    let market = cli(&dir, &["unit", "market", "安静村", "--days", "农历1/4/7"]).ok();
    assert!(
        market.stdout.contains("赶集日：农历逢一、四、七"),
        "{}",
        market.stdout
    );
    let bad = cli(&dir, &["unit", "market", "安静村", "--days", "每周二"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.starts_with("错误（赶集日）："), "{}", bad.stderr);
    let listed = cli(&dir, &["unit", "list"]).ok();
    assert!(
        listed.stdout.contains("安静村  赶集：农历逢一、四、七"),
        "{}",
        listed.stdout
    );

    // 宪法宣传周 2027 is not announced yet: 待公布, with 2025's theme as a draft.
    let human = cli(&dir, &["keydates", "--year", "2027"]).ok();
    assert!(
        human
            .stdout
            .contains("2027-12-01 至 2027-12-07（待公布）  宪法宣传周"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("主题（沿用2025年，待确认）"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("日期待公布"), "{}", human.stdout);
    let confirmed = cli(
        &dir,
        &[
            "keydates",
            "--year",
            "2027",
            "--confirm",
            "constitution_week",
        ],
    )
    .ok();
    assert!(
        confirmed
            .stdout
            .contains("已确认：2027-12-01 至 2027-12-07（本镇设置）  宪法宣传周"),
        "{}",
        confirmed.stdout
    );
    // Nodes are absent before they existed.
    let old = cli(&dir, &["keydates", "--year", "2013", "--json"])
        .ok()
        .json();
    let codes: Vec<&str> = old
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["code"].as_str().unwrap())
        .collect();
    for absent in [
        "constitution_day",
        "national_security_day",
        "civil_code_month",
        "constitution_week",
    ] {
        assert!(!codes.contains(&absent), "{absent} in 2013");
    }
    assert!(codes.contains(&"legal_publicity_day"));
    assert!(codes.contains(&"national_defense_day"));
}

#[test]
fn a_photo_attached_through_the_cli_is_in_the_photo_zip() {
    let (_tmp, dir) = initialized(); // 张三, coordinator: his records are approved
    let file = dir.parent().unwrap().join("record.json");
    std::fs::write(
        &file,
        r#"{"title":"宪法进院坝","date":"2026-11-20","unit_id":"安静村","formats":["院坝会"],
            "participants":45,"reach":60,"recorder":"张三"}"#,
    )
    .unwrap();
    let run = cli(
        &dir,
        &["activity", "add", "--json-file", file.to_str().unwrap()],
    )
    .ok();
    let id = run.stdout.trim();
    let photo = concat!(env!("CARGO_MANIFEST_DIR"), "/icons/32x32.png");

    let missing = dir.parent().unwrap().join("没有这张照片.jpg");
    let refused = cli(
        &dir,
        &[
            "activity",
            "attach",
            id,
            "--file",
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("没有这张照片.jpg"),
        "{}",
        refused.stderr
    );

    let added = cli(&dir, &["activity", "attach", id, "--file", photo, "--json"])
        .ok()
        .json();
    assert_eq!(
        (added["record_id"].as_str(), added["file_name"].as_str()),
        (Some(id), Some("32x32.png"))
    );
    assert_eq!(added["kind"], "photo");
    let human = cli(
        &dir,
        &[
            "activity", "attach", id, "--file", photo, "--kind", "sign_in",
        ],
    )
    .ok();
    assert!(
        human.stdout.contains("已添加附件：32x32.png"),
        "{}",
        human.stdout
    );

    let zip_path = dir.parent().unwrap().join("照片.zip");
    let export = cli(
        &dir,
        &[
            "export",
            "photos",
            "--out",
            zip_path.to_str().unwrap(),
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(export["count"], 2);
    let zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.expect("an entry name").into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("2026-11-20 宪法进院坝/")),
        "{names:?}"
    );
}
