use super::rule::{lunar_to_solar, solar_term_day, DateRule};
use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn node_dates(code: &str, year: i32) -> (String, String) {
    let k = national_year(year)
        .unwrap()
        .into_iter()
        .find(|k| k.code == code)
        .unwrap_or_else(|| panic!("{code} in {year}"));
    (k.start, k.end)
}

#[test]
fn the_catalogue_parses_and_every_national_rule_works_2000_to_2100() {
    assert!(national_nodes().len() >= 30);
    let mut codes: Vec<&str> = national_nodes().iter().map(|n| n.code.as_str()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), national_nodes().len(), "codes are unique");
    for node in national_nodes() {
        node.check_every_year()
            .unwrap_or_else(|e| panic!("{}: {e}", node.name));
    }
    for o in &catalogue().overrides {
        assert!(
            codes.contains(&o.node.as_str()),
            "override for unknown {}",
            o.node
        );
    }
    for year in FIRST_YEAR..=LAST_YEAR {
        let all = national_year(year).unwrap();
        for k in &all {
            assert!(k.start <= k.end, "{} {year}", k.name);
            assert!(k.window_start <= k.start && k.end <= k.window_end);
        }
    }
}

#[test]
fn weekday_rules_match_the_reference_table() {
    for (year, safety, disability, defense) in [
        (2024, "2024-03-25", "2024-05-19", "2024-09-21"),
        (2025, "2025-03-31", "2025-05-18", "2025-09-20"),
        (2026, "2026-03-30", "2026-05-17", "2026-09-19"),
        (2001, "2001-03-26", "2001-05-20", "2001-09-15"),
        (2100, "2100-03-29", "2100-05-16", "2100-09-18"),
    ] {
        assert_eq!(node_dates("school_safety_day", year).0, safety);
        assert_eq!(node_dates("disability_day", year).0, disability);
        assert_eq!(node_dates("national_defense_day", year).0, defense);
    }
}

#[test]
fn month_rules_know_leap_years() {
    let feb = DateRule::Month { month: 2 };
    assert_eq!(feb.last_day(2000, "end").unwrap(), d("2000-02-29"));
    assert_eq!(feb.last_day(2024, "end").unwrap(), d("2024-02-29"));
    assert_eq!(feb.last_day(2100, "end").unwrap(), d("2100-02-28"));
    assert_eq!(feb.last_day(2026, "end").unwrap(), d("2026-02-28"));
    assert_eq!(
        node_dates("civil_code_month", 2027),
        ("2027-05-01".into(), "2027-05-31".into())
    );
    let last_sun_feb = DateRule::LastWeekday {
        month: 2,
        weekday: 7,
    };
    assert_eq!(
        last_sun_feb.first_day(2026, "start").unwrap(),
        d("2026-02-22")
    );
    assert_eq!(
        last_sun_feb.first_day(2032, "start").unwrap(),
        d("2032-02-29")
    );
}

#[test]
fn lunar_dates_match_published_calendars() {
    // 重阳节 (农历九月初九).
    for (year, day) in [
        (2018, "2018-10-17"),
        (2019, "2019-10-07"),
        (2020, "2020-10-25"),
        (2021, "2021-10-14"),
        (2022, "2022-10-04"),
        (2023, "2023-10-23"),
        (2024, "2024-10-11"),
        (2025, "2025-10-29"),
        (2026, "2026-10-18"),
    ] {
        assert_eq!(node_dates("double_ninth", year).0, day);
    }
    // 春节 (正月初一).
    for (year, day) in [
        (2000, "2000-02-05"),
        (2020, "2020-01-25"),
        (2023, "2023-01-22"),
        (2024, "2024-02-10"),
        (2025, "2025-01-29"),
        (2026, "2026-02-17"),
        (2027, "2027-02-06"),
    ] {
        assert_eq!(
            lunar_to_solar(year, 1, 1, false),
            Some(d(day)),
            "春节 {year}"
        );
    }
    // Leap months: 2020 闰四月, 2023 闰二月, 2025 闰六月.
    assert_eq!(lunar_to_solar(2020, 4, 1, true), Some(d("2020-05-23")));
    assert_eq!(lunar_to_solar(2023, 2, 1, true), Some(d("2023-03-22")));
    assert_eq!(lunar_to_solar(2025, 6, 1, true), Some(d("2025-07-25")));
    assert_eq!(lunar_to_solar(2026, 6, 1, true), None, "2026 has no 闰六月");
    let err = DateRule::Lunar {
        month: 6,
        day: 1,
        leap: true,
    }
    .first_day(2026, "start")
    .unwrap_err();
    assert!(err.message.contains("没有闰六月"), "{}", err.message);
}

#[test]
fn solar_terms_match_published_dates() {
    // 中国农民丰收节 = 秋分.
    for (year, day) in [
        (2018, "2018-09-23"),
        (2019, "2019-09-23"),
        (2020, "2020-09-22"),
        (2021, "2021-09-23"),
        (2022, "2022-09-23"),
        (2023, "2023-09-23"),
        (2024, "2024-09-22"),
        (2025, "2025-09-23"),
    ] {
        assert_eq!(node_dates("harvest_festival", year).0, day);
    }
    assert_eq!(solar_term_day(2025, "冬至"), Some(d("2025-12-21")));
    assert_eq!(solar_term_day(2026, "小寒"), Some(d("2026-01-05")));
    assert_eq!(solar_term_day(2025, "清明"), Some(d("2025-04-04")));
    assert_eq!(solar_term_day(2026, "清明"), Some(d("2026-04-05")));
    assert_eq!(solar_term_day(2000, "春分"), Some(d("2000-03-20")));
    assert!(DateRule::SolarTerm {
        term: "春节".into()
    }
    .validate("start")
    .is_err());
}

#[test]
fn ranges_that_cross_the_new_year_end_in_the_next_year() {
    // 岁末年初: 12月20日 to 春节 of the next year.
    assert_eq!(
        node_dates("migrant_winter_service", 2026),
        ("2026-12-20".into(), "2027-02-06".into())
    );
    assert_eq!(node_dates("wage_arrears_winter", 2025).1, "2026-02-17");
    // A week from the third Monday stays in September, even when the third Sunday comes first.
    assert_eq!(
        node_dates("cyber_security_week", 2027),
        ("2027-09-20".into(), "2027-09-26".into())
    );
    for year in FIRST_YEAR..=LAST_YEAR {
        for k in national_year(year).unwrap() {
            let (s, e) = (d(&k.start), d(&k.end));
            assert!((e - s).num_days() < 120, "{} {year}: {s}..{e}", k.name);
        }
    }
}

#[test]
fn nodes_appear_only_from_their_first_year() {
    let names = |y| {
        national_year(y)
            .unwrap()
            .into_iter()
            .map(|k| k.code)
            .collect::<Vec<_>>()
    };
    assert!(!names(2020).contains(&"civil_code_month".to_string()));
    assert!(names(2021).contains(&"civil_code_month".to_string()));
    assert!(!names(2022).contains(&"ecology_day".to_string()));
    assert!(names(2023).contains(&"ecology_day".to_string()));
}

#[test]
fn published_constitution_weeks_and_themes_are_built_in() {
    let week = |y| {
        national_year(y)
            .unwrap()
            .into_iter()
            .find(|k| k.code == "constitution_week")
    };
    let w2020 = week(2020).unwrap();
    assert_eq!(
        (w2020.start.as_str(), w2020.end.as_str()),
        ("2020-11-30", "2020-12-06")
    );
    assert_eq!(w2020.source, DateSource::Published);
    assert!(w2020.theme.contains("习近平法治思想"));
    let w2022 = week(2022).unwrap();
    assert_eq!(
        (w2022.start.as_str(), w2022.end.as_str()),
        ("2022-12-04", "2022-12-10")
    );
    // After the last published year: the default week, from the rule, and the window.
    let w2027 = week(2027).unwrap();
    assert_eq!(
        (w2027.start.as_str(), w2027.end.as_str()),
        ("2027-12-01", "2027-12-07")
    );
    assert_eq!(w2027.source, DateSource::Rule);
    assert_eq!(w2027.rule_kind, "ANN");
    assert_eq!(
        (w2027.window_start.as_str(), w2027.window_end.as_str()),
        ("2027-11-21", "2027-12-27")
    );
    assert!(week(2017).is_none(), "宪法宣传周 began in 2018");
}

#[test]
fn impossible_rules_and_years_are_refused_naming_the_field() {
    let fifth_monday_feb = DateRule::NthWeekday {
        month: 2,
        n: 5,
        weekday: 1,
    };
    let err = fifth_monday_feb.first_day(2026, "start").unwrap_err();
    assert_eq!(err.field.as_deref(), Some("start"));
    assert!(
        err.message.contains("2026年2月没有第5个星期一"),
        "{}",
        err.message
    );
    // 2016 had five Mondays in February: the rule works that year only.
    assert_eq!(
        fifth_monday_feb.first_day(2016, "start").unwrap(),
        d("2016-02-29")
    );

    let feb30 = DateRule::Fixed { month: 2, day: 30 };
    let err = feb30.validate("start").unwrap_err();
    assert!(err.message.contains("2月30日"), "{}", err.message);
    let feb29 = DateRule::Fixed { month: 2, day: 29 };
    assert!(
        feb29.validate("start").is_err(),
        "not every year has 2月29日"
    );
    assert!(DateRule::Fixed { month: 13, day: 1 }
        .validate("start")
        .is_err());
    assert!(DateRule::NthWeekday {
        month: 5,
        n: 2,
        weekday: 8
    }
    .validate("start")
    .is_err());

    for year in [1999, 2101] {
        let err = national_year(year).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("year"));
        assert!(err.message.contains("2000—2100"));
    }
}

fn local(name: &str, start: DateRule) -> LocalNodeInput {
    LocalNodeInput {
        name: name.into(),
        start,
        end: None,
        days: None,
        announced: false,
        window: Window::default(),
        laws: vec!["保障农民工工资支付条例".into()],
        audiences: vec!["migrant_workers".into()],
        lead_agency: Some("县司法局".into()),
        note: None,
    }
}

#[test]
fn local_nodes_are_stored_and_join_the_year() {
    let mut db = Db::open_in_memory().unwrap();
    let input = local(
        "农民工法治宣传教育日",
        DateRule::NthWeekday {
            month: 1,
            n: 2,
            weekday: 3,
        },
    );
    let node = create_local(&mut db, &input).unwrap();
    let year = for_year(&db.conn, 2027).unwrap();
    let k = year.iter().find(|k| k.code == node.code).unwrap();
    assert_eq!(k.start, "2027-01-13");
    assert!(k.local);
    assert_eq!(k.rule, "1月第二个星期三");
    assert!(
        year.windows(2).all(|w| w[0].start <= w[1].start),
        "sorted by date"
    );

    // A rule that fails in some year of 2000–2100 is refused, and nothing is written.
    let bad = local(
        "每年2月第五个星期一",
        DateRule::NthWeekday {
            month: 2,
            n: 5,
            weekday: 1,
        },
    );
    let err = create_local(&mut db, &bad).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("start"));
    assert_eq!(local_nodes(&db.conn).unwrap().len(), 1);

    let dup = create_local(&mut db, &input).unwrap_err();
    assert_eq!(dup.code, ErrorCode::Duplicate);
    let national = local("民法典宣传月", DateRule::Month { month: 5 });
    assert_eq!(
        create_local(&mut db, &national).unwrap_err().code,
        ErrorCode::Duplicate
    );

    let mut changed = input.clone();
    changed.start = DateRule::Lunar {
        month: 1,
        day: 15,
        leap: false,
    };
    update_local(&mut db, &node.code, &changed).unwrap();
    let k = for_year(&db.conn, 2026)
        .unwrap()
        .into_iter()
        .find(|k| k.code == node.code)
        .unwrap();
    assert_eq!(k.start, "2026-03-03", "元宵 2026");
    delete_local(&mut db, &node.code).unwrap();
    assert!(local_nodes(&db.conn).unwrap().is_empty());
}

#[test]
fn overrides_replace_dates_and_theme_for_one_year() {
    let mut db = Db::open_in_memory().unwrap();
    let input = OverrideInput {
        node_code: "constitution_week".into(),
        year: 2026,
        start_date: Some("2026年11月30日".into()),
        end_date: Some("2026-12-06".into()),
        theme: Some("深入学习宣传法治宣传教育法".into()),
        doc_number: Some("普法办发〔2026〕5号".into()),
    };
    let k = set_override(&mut db, &input).unwrap();
    assert_eq!(
        (k.start.as_str(), k.end.as_str()),
        ("2026-11-30", "2026-12-06")
    );
    assert_eq!(k.source, DateSource::Override);
    assert_eq!(k.doc_number, "普法办发〔2026〕5号");
    // Other years keep the rule.
    let k27 = for_year(&db.conn, 2027)
        .unwrap()
        .into_iter()
        .find(|k| k.code == "constitution_week");
    assert_eq!(k27.unwrap().start, "2027-12-01");
    // Theme only: the published dates stay, the theme changes.
    let theme_only = OverrideInput {
        node_code: "constitution_week".into(),
        year: 2024,
        start_date: None,
        end_date: None,
        theme: None,
        doc_number: Some("x号".into()),
    };
    let k24 = set_override(&mut db, &theme_only).unwrap();
    assert_eq!(k24.source, DateSource::Published);
    assert!(
        k24.theme.contains("全面深化改革"),
        "empty theme keeps the published one"
    );

    let backwards = OverrideInput {
        end_date: Some("2026-11-01".into()),
        ..input.clone()
    };
    let err = set_override(&mut db, &backwards).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("end_date"));
    let err = set_override(
        &mut db,
        &OverrideInput {
            year: 1999,
            ..input.clone()
        },
    )
    .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("year"));
    let err = set_override(
        &mut db,
        &OverrideInput {
            node_code: "nope".into(),
            ..input.clone()
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    // The refused writes left the first override as it was.
    let k = for_year(&db.conn, 2026)
        .unwrap()
        .into_iter()
        .find(|k| k.code == "constitution_week");
    assert_eq!(k.unwrap().start, "2026-11-30");

    clear_override(&mut db, "constitution_week", 2026).unwrap();
    let k = for_year(&db.conn, 2026)
        .unwrap()
        .into_iter()
        .find(|k| k.code == "constitution_week");
    assert_eq!(k.unwrap().start, "2026-12-01");
}
