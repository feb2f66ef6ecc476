use super::rule::{lunar_to_solar, solar_term_day, DateRule};
use super::*;
use crate::plan::{confirm, set_override};

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
    // A week from the second Monday (provisional until announced) stays in September.
    assert_eq!(
        node_dates("cyber_security_week", 2027),
        ("2027-09-13".into(), "2027-09-19".into())
    );
    // Cross-year nodes of the new catalogue: 三下乡 runs to 元宵 of the next year.
    assert_eq!(
        node_dates("sanxiaxiang", 2027),
        ("2027-12-25".into(), "2028-02-09".into())
    );
    for year in FIRST_YEAR..=LAST_YEAR {
        for k in national_year(year).unwrap() {
            let (s, e) = (d(&k.start), d(&k.end));
            assert!((e - s).num_days() < 120, "{} {year}: {s}..{e}", k.name);
        }
    }
}

/// The published dates and themes the catalogue carries, checked one by one against the
/// reference (shared/domain/key-dates.md and the announcements named in keydates.json):
/// (node, year, published dates, published theme).
type Published = (
    &'static str,
    i32,
    Option<(&'static str, &'static str)>,
    Option<&'static str>,
);

const PUBLISHED: &[Published] = &[
    (
        "constitution_week",
        2018,
        Some(("2018-12-02", "2018-12-08")),
        Some("尊崇宪法、学习宪法、遵守宪法、维护宪法、运用宪法"),
    ),
    (
        "constitution_week",
        2019,
        Some(("2019-12-01", "2019-12-07")),
        Some("弘扬宪法精神，推进国家治理体系和治理能力现代化"),
    ),
    (
        "constitution_week",
        2020,
        Some(("2020-11-30", "2020-12-06")),
        Some("深入学习宣传习近平法治思想 大力弘扬宪法精神"),
    ),
    (
        "constitution_week",
        2021,
        Some(("2021-11-29", "2021-12-05")),
        Some("以习近平法治思想为指引 坚定不移走中国特色社会主义法治道路"),
    ),
    (
        "constitution_week",
        2022,
        Some(("2022-12-04", "2022-12-10")),
        Some("学习宣传贯彻党的二十大精神，推动全面贯彻实施宪法"),
    ),
    (
        "constitution_week",
        2023,
        Some(("2023-12-01", "2023-12-07")),
        Some("大力弘扬宪法精神，建设社会主义法治文化"),
    ),
    (
        "constitution_week",
        2024,
        Some(("2024-12-01", "2024-12-07")),
        Some("大力弘扬宪法精神，推动进一步全面深化改革"),
    ),
    (
        "constitution_week",
        2025,
        Some(("2025-12-01", "2025-12-07")),
        Some("学习宣传贯彻习近平法治思想，推动宪法深入人心"),
    ),
    (
        "cyber_security_week",
        2023,
        Some(("2023-09-11", "2023-09-17")),
        None,
    ),
    (
        "cyber_security_week",
        2024,
        Some(("2024-09-09", "2024-09-15")),
        None,
    ),
    (
        "cyber_security_week",
        2025,
        Some(("2025-09-15", "2025-09-21")),
        None,
    ),
    (
        "national_security_day",
        2024,
        None,
        Some("总体国家安全观创新引领10周年"),
    ),
    (
        "national_security_day",
        2025,
        None,
        Some("全民国家安全教育 走深走实十周年"),
    ),
    ("civil_code_month", 2021, None, Some("美好生活·民法典相伴")),
    ("civil_code_month", 2023, None, Some("美好生活·民法典相伴")),
    ("civil_code_month", 2024, None, Some("美好生活·民法典相伴")),
    ("civil_code_month", 2025, None, Some("美好生活·民法典相伴")),
    (
        "work_safety_month",
        2025,
        None,
        Some("人人讲安全、个个会应急——查找身边安全隐患"),
    ),
    ("anti_drug_day", 2025, None, Some("防范青少年药物滥用")),
    (
        "ip_week",
        2022,
        None,
        Some("全面开启知识产权强国建设新征程"),
    ),
    (
        "ip_week",
        2023,
        None,
        Some("加强知识产权法治保障 有力支持全面创新"),
    ),
    (
        "illegal_finance_month",
        2024,
        None,
        Some("守住钱袋子 护好幸福家"),
    ),
];

#[test]
fn published_dates_and_themes_match_the_reference_table() {
    for (code, year, dates, theme) in PUBLISHED {
        let k = national_year(*year)
            .unwrap()
            .into_iter()
            .find(|k| k.code == *code)
            .unwrap_or_else(|| panic!("{code} {year}"));
        if let Some((start, end)) = dates {
            assert_eq!(
                (k.start.as_str(), k.end.as_str()),
                (*start, *end),
                "{code} {year}"
            );
            assert_eq!(k.source, DateSource::Published, "{code} {year}");
        }
        assert_eq!(k.theme, theme.unwrap_or(""), "{code} {year}");
    }
    // And nothing else is built in: every override of the catalogue is in the table.
    for o in &catalogue().overrides {
        let row = PUBLISHED
            .iter()
            .find(|(code, year, ..)| *code == o.node && *year == o.year)
            .unwrap_or_else(|| panic!("{} {} is not in the reference table", o.node, o.year));
        assert_eq!(o.theme.as_deref(), row.3, "{} {}", o.node, o.year);
        // Every published theme has its English, for the English window.
        assert_eq!(
            o.theme.is_some(),
            o.theme_en
                .as_deref()
                .is_some_and(|t| t.is_ascii() && !t.is_empty()),
            "theme_en of {} {}",
            o.node,
            o.year
        );
        assert_eq!(
            o.start.as_deref().zip(o.end.as_deref()),
            row.2,
            "{} {}",
            o.node,
            o.year
        );
    }
    // Announced nodes of years not published are 待公布; published years are not.
    let provisional = |code: &str, year: i32| {
        national_year(year)
            .unwrap()
            .into_iter()
            .find(|k| k.code == code)
            .unwrap()
            .source
            == DateSource::Provisional
    };
    assert!(!provisional("cyber_security_week", 2024));
    assert!(provisional("cyber_security_week", 2026));
    assert!(
        provisional("food_safety_week", 2025),
        "no published date shipped"
    );
    assert!(provisional("wage_arrears_winter", 2027));
    assert!(
        !provisional("first_lesson_spring", 2027),
        "follows the school calendar"
    );
}

#[test]
fn the_catalogue_has_the_nodes_a_township_plans_for() {
    let year = national_year(2027).unwrap();
    let has = |code: &str| year.iter().find(|k| k.code == code).cloned();
    let lei_feng = has("lei_feng_day").unwrap();
    assert_eq!(
        (lei_feng.start.as_str(), lei_feng.window_end.as_str()),
        ("2027-03-05", "2027-03-15")
    );
    assert!(lei_feng.name.contains("普法志愿服务"));
    let drug = has("anti_drug_day").unwrap();
    assert_eq!(
        (drug.start.as_str(), drug.end.as_str()),
        ("2027-06-26", "2027-06-26")
    );
    assert!(has("food_safety_week")
        .unwrap()
        .name
        .contains("食品安全宣传周"));
    let xiaxiang = has("sanxiaxiang").unwrap();
    assert!(xiaxiang.name.contains("三下乡"));
    // 寒假前/暑假前: the two weeks before the breaks of the (estimated) school calendar.
    let winter = has("winter_break_safety").unwrap();
    assert_eq!(
        (winter.start.as_str(), winter.end.as_str()),
        ("2027-01-09", "2027-01-22")
    );
    assert!(winter.name.contains("防溺水") && winter.name.contains("防欺凌"));
    let summer = has("summer_break_safety").unwrap();
    assert_eq!(
        (summer.start.as_str(), summer.end.as_str()),
        ("2027-06-19", "2027-07-02")
    );
    // 春季开学第一课 follows 春节: the term starts later in 2026 (春节 2月17日) than in 2025.
    assert_eq!(node_dates("first_lesson_spring", 2027).0, "2027-02-22");
    assert_eq!(node_dates("first_lesson_spring", 2026).0, "2026-03-02");
    assert_eq!(
        node_dates("first_lesson_autumn", 2029).0,
        "2029-09-03",
        "9月1日 is a Saturday"
    );
    let standard: Vec<&str> = year
        .iter()
        .filter(|k| k.standard)
        .map(|k| k.code.as_str())
        .collect();
    for code in [
        "constitution_week",
        "national_security_day",
        "civil_code_month",
        "wage_arrears_winter",
        "first_lesson_spring",
        "lei_feng_day",
    ] {
        assert!(standard.contains(&code), "{code} is standard: {standard:?}");
    }
}

#[test]
fn school_rules_follow_the_entered_school_calendar() {
    let mut db = crate::testing::town(&["安静村"], &["双龙镇中心小学"]);
    let lesson = |db: &Db| {
        for_year(&db.conn, 2027)
            .unwrap()
            .into_iter()
            .find(|k| k.code == "first_lesson_spring")
            .map(|k| (k.start, k.end))
            .unwrap()
    };
    assert_eq!(lesson(&db), ("2027-02-22".into(), "2027-03-07".into()));
    crate::school_calendar::set_year(
        &mut db,
        &crate::school_calendar::SchoolCalendarInput {
            year: 2027,
            winter_start: "2027-01-30".into(),
            winter_end: "2027-02-28".into(),
            summer_start: "2027-07-10".into(),
            summer_end: "2027-08-31".into(),
            notice: None,
        },
    )
    .unwrap();
    assert_eq!(lesson(&db), ("2027-03-01".into(), "2027-03-14".into()));
}

#[test]
fn themes_are_confirmed_from_last_years_draft_and_read_by_reports() {
    let mut db = crate::testing::town(&["安静村"], &[]);
    let t = theme(&db.conn, "national_security_day", 2025)
        .unwrap()
        .unwrap();
    assert_eq!((t.year, t.confirmed), (2025, true));
    let draft = theme(&db.conn, "national_security_day", 2027)
        .unwrap()
        .unwrap();
    assert_eq!((draft.year, draft.confirmed), (2025, false));
    assert_eq!(draft.text, t.text);
    assert_eq!(theme(&db.conn, "national_defense_day", 2027).unwrap(), None);
    assert_eq!(
        theme(&db.conn, "civil_code_month", 2019).unwrap(),
        None,
        "not yet"
    );
    // Confirming makes the draft this year's theme and the provisional dates the town's.
    let k = confirm(&mut db, "constitution_week", 2027).unwrap();
    assert_eq!(k.source, DateSource::Override);
    assert_eq!(
        (k.start.as_str(), k.end.as_str()),
        ("2027-12-01", "2027-12-07")
    );
    assert!(k.theme.contains("宪法深入人心"));
    assert!(
        k.theme_en.contains("Constitution"),
        "a confirmed published theme keeps its English: {}",
        k.theme_en
    );
    let confirmed = theme(&db.conn, "constitution_week", 2027).unwrap().unwrap();
    assert!(confirmed.confirmed);
    // The town's own theme of a year is next year's draft.
    set_override(
        &mut db,
        &OverrideInput {
            node_code: "national_security_day".into(),
            year: 2026,
            start_date: None,
            end_date: None,
            theme: Some("新一年的主题".into()),
            doc_number: None,
        },
    )
    .unwrap();
    let draft = theme(&db.conn, "national_security_day", 2027)
        .unwrap()
        .unwrap();
    assert_eq!((draft.text.as_str(), draft.year), ("新一年的主题", 2026));
    // The town's own words have no English: the window shows them as typed.
    let k27 = for_year(&db.conn, 2027).unwrap();
    let nsd = k27
        .iter()
        .find(|k| k.code == "national_security_day")
        .unwrap();
    assert_eq!(
        (nsd.theme_draft.as_str(), nsd.theme_draft_en.as_str()),
        ("新一年的主题", "")
    );
    assert_eq!(
        confirm(&mut db, "nope", 2027).unwrap_err().field.as_deref(),
        Some("node_code")
    );
}

#[test]
fn no_node_appears_before_it_existed() {
    // From the reference: each node is absent the year before its first and present from it.
    for (code, first) in [
        ("constitution_day", 2014),
        ("national_security_day", 2016),
        ("civil_code_month", 2021),
        ("national_defense_day", 2001),
        ("constitution_week", 2018),
        ("ecology_day", 2023),
        ("police_day", 2021),
        ("harvest_festival", 2018),
        ("traffic_safety_day", 2012),
        ("cyber_security_week", 2014),
        ("food_safety_week", 2011),
    ] {
        let has = |y| national_year(y).unwrap().iter().any(|k| k.code == code);
        if first > FIRST_YEAR {
            assert!(!has(first - 1), "{code} before {first}");
        }
        assert!(has(first), "{code} in {first}");
    }
    // 12·4 was 全国法制宣传日 from 2001 to 2013, then 国家宪法日.
    let on_dec4 = |y: i32| {
        national_year(y)
            .unwrap()
            .into_iter()
            .filter(|k| k.start == format!("{y}-12-04") && k.end == k.start)
            .map(|k| k.code)
            .collect::<Vec<_>>()
    };
    assert_eq!(on_dec4(2000), Vec::<String>::new());
    assert_eq!(on_dec4(2013), ["legal_publicity_day"]);
    assert_eq!(on_dec4(2014), ["constitution_day"]);
    // Every node with a first (or last) year keeps to it in every year of the engine.
    for year in FIRST_YEAR..=LAST_YEAR {
        let all = national_year(year).unwrap();
        for node in national_nodes() {
            let shown = all.iter().any(|k| k.code == node.code);
            assert_eq!(shown, node.exists_in(year), "{} {year}", node.code);
            if let Some(s) = node.since {
                assert_eq!(shown, year >= s && node.until.is_none_or(|u| year <= u));
            }
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
    assert!(w2020.theme_en.contains("Xi Jinping Thought"));
    // The rule as data, for the English window: 12月1日至12月7日, published each year.
    assert_eq!(w2020.start_rule, DateRule::Fixed { month: 12, day: 1 });
    assert_eq!(w2020.end_rule, Some(DateRule::Fixed { month: 12, day: 7 }));
    assert!(w2020.announced);
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
    assert_eq!(w2027.source, DateSource::Provisional, "待公布");
    assert_eq!(w2027.rule_kind, "ANN");
    // No theme yet: 2025's is offered as a draft.
    assert_eq!(w2027.theme, "");
    assert_eq!(w2027.theme_draft_year, Some(2025));
    assert!(w2027.theme_draft.contains("宪法深入人心"));
    assert!(w2027.theme_draft_en.contains("Constitution"));
    // A node that is not announced follows its rule and is never provisional.
    let defense = national_year(2027)
        .unwrap()
        .into_iter()
        .find(|k| k.code == "national_defense_day")
        .unwrap();
    assert_eq!(defense.source, DateSource::Rule);
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
