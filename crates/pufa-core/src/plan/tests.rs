use super::*;
use crate::activity::ActivityFilter;
use crate::conflicts::Conflict;

fn db() -> Db {
    crate::testing::town(
        &["安静村", "石院村", "长安村", "龙江社区"],
        &["双龙镇中心小学", "双龙中学"],
    )
}

fn all_activities(db: &Db) -> Vec<Activity> {
    activity::list(&db.conn, &ActivityFilter::default()).unwrap()
}

#[test]
fn built_in_templates_parse_and_cover_the_issue_list() {
    let db = db();
    let list = templates(&db.conn).unwrap();
    for key in [
        "constitution_week",
        "national_security_day",
        "civil_code_month",
        "migrant_winter_service",
        "spring_breeze",
        "wage_arrears_winter",
        "first_lesson_spring",
        "first_lesson_autumn",
        "school_safety_day",
        "anti_drug_month",
        "constitution_morning_reading",
    ] {
        let t = list
            .iter()
            .find(|t| t.key == key)
            .unwrap_or_else(|| panic!("{key}"));
        assert!(t.builtin);
        check_template(&db.conn, t).unwrap_or_else(|e| panic!("{key}: {e}"));
    }
}

#[test]
fn the_constitution_week_template_merges_its_nodes_and_reaches_each_village() {
    let mut db = db();
    let units = vec!["安静村".to_string(), "石院村、长安村".to_string()];
    let applied = apply_template(&mut db, "12·4宪法宣传周", 2027, &units, false).unwrap();
    let c = &applied.campaign;
    assert_eq!(c.name, "2027年“宪法宣传周”集中宣传活动");
    assert_eq!(
        (c.start_date.as_str(), c.end_date.as_str()),
        ("2027-12-01", "2027-12-07")
    );
    assert!(c.nodes.contains(&"work_safety_law_week".to_string()));
    assert!(c.nodes.contains(&"traffic_safety_day".to_string()));
    assert_eq!(applied.activities.len(), 3);
    let titles: Vec<&str> = applied
        .activities
        .iter()
        .map(|a| a.title.as_str())
        .collect();
    assert!(
        titles.contains(&"石院村宪法宣传进村（社区）活动"),
        "{titles:?}"
    );
    for a in &applied.activities {
        assert!(a.date.as_str() >= "2027-12-01" && a.date.as_str() <= "2027-12-07");
        assert_eq!(a.campaign_ids, std::slice::from_ref(&c.id));
        assert_eq!(a.materials[0].item, "宪法读本");
        assert_eq!(a.start_time.as_deref(), Some("09:00"));
    }
    // Spread over the week: not all on one day.
    let mut days: Vec<&str> = applied.activities.iter().map(|a| a.date.as_str()).collect();
    days.dedup();
    assert_eq!(days.len(), 3);
    assert!(applied.conflicts.is_empty(), "{:?}", applied.conflicts);
    let cov = conflicts::coverage(&db.conn, &c.id).unwrap();
    assert_eq!(cov.missing.len(), 1, "龙江社区 not chosen");
}

#[test]
fn all_units_takes_the_templates_unit_kinds() {
    let mut db = db();
    let applied = apply_template(&mut db, "first_lesson_autumn", 2027, &[], true).unwrap();
    let names: Vec<_> = applied
        .activities
        .iter()
        .map(|a| a.unit_name.clone().unwrap())
        .collect();
    assert_eq!(names, ["双龙镇中心小学", "双龙中学"]);
    // No enterprises or sites in this town: the 根治欠薪 template falls back to villages.
    let wages = apply_template(&mut db, "wage_arrears_winter", 2027, &[], true).unwrap();
    assert_eq!(wages.activities.len(), 4);
    // Nothing chosen, both chosen, unknown unit or template, bad year: refused, nothing written.
    let before = all_activities(&db).len();
    for (t, units, all, year, field) in [
        ("civil_code_month", vec![], false, 2027, "units"),
        (
            "civil_code_month",
            vec!["安静村".to_string()],
            true,
            2027,
            "units",
        ),
        (
            "civil_code_month",
            vec!["不存在村".to_string()],
            false,
            2027,
            "units",
        ),
        (
            "没有这个模板",
            vec!["安静村".to_string()],
            false,
            2027,
            "template",
        ),
        (
            "civil_code_month",
            vec!["安静村".to_string()],
            false,
            2101,
            "year",
        ),
    ] {
        let err = apply_template(&mut db, t, year, &units, all).unwrap_err();
        assert_eq!(err.field.as_deref(), Some(field), "{t} {units:?}: {err:?}");
    }
    assert_eq!(all_activities(&db).len(), before);
}

#[test]
fn user_templates_are_saved_edited_and_deleted() {
    let mut db = db();
    let base = find_template(&db.conn, "civil_code_month").unwrap();
    let mine = PlanTemplate {
        key: String::new(),
        name: "民法典进企业".into(),
        campaign_name: "{year}年民法典进企业".into(),
        unit_kinds: vec![UnitKind::Enterprise],
        ..base.clone()
    };
    let saved = save_template(&mut db, &mine).unwrap();
    assert!(!saved.builtin);
    assert_eq!(saved.key.len(), 36);
    let edited = save_template(
        &mut db,
        &PlanTemplate {
            description: "改".into(),
            ..saved.clone()
        },
    )
    .unwrap();
    assert_eq!(edited.key, saved.key);
    assert_eq!(
        templates(&db.conn)
            .unwrap()
            .iter()
            .filter(|t| !t.builtin)
            .count(),
        1
    );
    assert_eq!(
        save_template(&mut db, &base).unwrap_err().code,
        ErrorCode::Duplicate
    );
    let bad = PlanTemplate {
        activity: ActivityTemplate {
            formats: vec!["跳舞".into()],
            ..mine.activity.clone()
        },
        name: "坏模板".into(),
        ..mine.clone()
    };
    assert_eq!(
        save_template(&mut db, &bad).unwrap_err().field.as_deref(),
        Some("formats")
    );
    assert!(delete_template(&mut db, "civil_code_month").is_err());
    delete_template(&mut db, &saved.key).unwrap();
    assert!(templates(&db.conn).unwrap().iter().all(|t| t.builtin));
}

#[test]
fn generate_makes_one_campaign_per_ticked_node_once() {
    let mut db = db();
    let nodes = vec![
        "constitution_week".to_string(),
        "civil_code_month".to_string(),
        "spring_breeze".to_string(),
        "national_defense_day".to_string(),
    ];
    let first = generate(&mut db, 2027, &nodes).unwrap();
    assert_eq!(first.created.len(), 4);
    assert!(first.standard.is_empty(), "nodes were given");
    // A node with a template: its campaign and an activity in each village.
    let week = first
        .created
        .iter()
        .find(|c| c.name == "2027年“宪法宣传周”集中宣传活动")
        .unwrap();
    assert_eq!(week.kind, CampaignKind::National);
    let acts = activity::list(
        &db.conn,
        &ActivityFilter {
            campaign_id: Some(week.id.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(acts.len(), 4, "安静村, 石院村, 长安村, 龙江社区");
    assert_eq!(first.placed, 3 * 4);
    // A node without a template: its campaign over the 集中宣传期, nothing placed.
    let defense = first
        .created
        .iter()
        .find(|c| c.nodes == ["national_defense_day"])
        .unwrap();
    assert_eq!(defense.name, "2027年全民国防教育日");
    assert_eq!(defense.start_date, "2027-09-18");
    let breeze = first
        .created
        .iter()
        .find(|c| c.nodes == ["spring_breeze"])
        .unwrap();
    assert_eq!(breeze.kind, CampaignKind::Targeted);
    let again = generate(&mut db, 2027, &nodes).unwrap();
    assert!(again.created.is_empty() && again.extended.is_empty());
    assert_eq!(again.skipped.len(), 4);
    assert_eq!(again.placed, 0);
    assert_eq!(all_activities(&db).len(), 12, "nothing twice");
    assert_eq!(
        generate(&mut db, 2027, &["nope".into()])
            .unwrap_err()
            .field
            .as_deref(),
        Some("nodes")
    );
    // A node that did not exist that year is refused by name.
    let err = generate(&mut db, 2013, &["constitution_day".into()]).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("nodes"));
}

#[test]
fn without_nodes_the_standard_set_is_used_and_named() {
    let mut db = db();
    let g = generate(&mut db, 2027, &[]).unwrap();
    let standard: Vec<String> = keydates::for_year(&db.conn, 2027)
        .unwrap()
        .into_iter()
        .filter(|k| k.standard)
        .map(|k| k.name)
        .collect();
    assert_eq!(g.standard, standard);
    assert!(g.standard.len() >= 12, "{:?}", g.standard);
    assert!(g.standard.iter().any(|n| n.contains("宪法宣传周")));
    assert_eq!(g.placed as usize, all_activities(&db).len());
    // School nodes reach the schools, village nodes the villages.
    let lessons = g
        .created
        .iter()
        .find(|c| c.nodes.first().map(String::as_str) == Some("first_lesson_spring"))
        .unwrap();
    let cov = conflicts::coverage(&db.conn, &lessons.id).unwrap();
    assert_eq!(cov.scope, conflicts::CoverageScope::Schools);
    assert_eq!((cov.covered.len(), cov.total), (2, 2), "{cov:?}");
    // The theme of a node flows into its campaign's description (last year's as a draft).
    let week = g
        .created
        .iter()
        .find(|c| c.nodes.first().map(String::as_str) == Some("constitution_week"))
        .unwrap();
    assert!(
        week.notes
            .starts_with("主题（沿用2025年，待确认）：学习宣传贯彻习近平法治思想"),
        "{}",
        week.notes
    );
    // Confirming the year's theme puts it into the description as this year's.
    super::confirm(&mut db, "constitution_week", 2027).unwrap();
    let week = campaign::get(&db.conn, &week.id).unwrap();
    assert!(
        week.notes.starts_with("主题：学习宣传贯彻"),
        "{}",
        week.notes
    );
    assert!(
        week.notes.contains("由模板"),
        "the rest of the description stays"
    );
}

#[test]
fn generate_then_apply_makes_no_second_campaign() {
    let mut db = db();
    generate(&mut db, 2027, &["civil_code_month".into()]).unwrap();
    let before = all_activities(&db).len();
    // All units: every village has its activity already; nothing is added.
    let applied = apply_template(&mut db, "civil_code_month", 2027, &[], true).unwrap();
    assert!(applied.added_to_existing);
    assert!(applied.activities.is_empty());
    assert_eq!(applied.skipped_units.len(), 4);
    // A school added to it: one activity, in the same campaign.
    let school = apply_template(
        &mut db,
        "civil_code_month",
        2027,
        &["双龙中学".into()],
        false,
    )
    .unwrap();
    assert!(school.added_to_existing);
    assert_eq!(school.activities.len(), 1);
    assert_eq!(all_activities(&db).len(), before + 1);
    let months: Vec<Campaign> = campaign::list(
        &db.conn,
        &campaign::CampaignFilter {
            year: Some(2027),
            ..Default::default()
        },
    )
    .unwrap()
    .into_iter()
    .filter(|c| c.nodes.contains(&"civil_code_month".to_string()))
    .collect();
    assert_eq!(
        months.len(),
        1,
        "{:?}",
        months.iter().map(|c| &c.name).collect::<Vec<_>>()
    );
    assert_eq!(school.campaign.id, months[0].id);
    // And the other way round: apply first, then generate adds nothing.
    let first = apply_template(&mut db, "national_security_day", 2027, &[], true).unwrap();
    assert!(!first.added_to_existing);
    let g = generate(&mut db, 2027, &["national_security_day".into()]).unwrap();
    assert!(g.created.is_empty());
    assert_eq!(g.placed, 0);
    assert_eq!(g.skipped.len(), 1);
}

#[test]
fn cross_year_campaigns_are_made_for_the_year_they_start() {
    let mut db = db();
    // Last winter's campaign runs into January 2027.
    campaign::create(
        &mut db,
        &CampaignInput {
            name: "2026—2027年度根治欠薪冬季专项行动".into(),
            kind: "targeted".into(),
            start_date: "2026-11-15".into(),
            end_date: "2027-02-05".into(),
            nodes: vec!["wage_arrears_winter".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let g = generate(&mut db, 2027, &["wage_arrears_winter".into()]).unwrap();
    assert_eq!(g.created.len(), 1, "skipped: {:?}", g.skipped);
    let c = &g.created[0];
    assert_eq!(c.name, "2027—2028年度根治欠薪冬季专项行动法治宣传");
    assert!(c.start_date.starts_with("2027-11") && c.end_date.starts_with("2028-"));
    assert_eq!(
        g.continuing
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["2026—2027年度根治欠薪冬季专项行动"],
        "the year plan shows last year's tail"
    );
    assert_eq!(
        year_label(parse("2027-03-01"), parse("2027-03-31")),
        "2027年"
    );
    // A node without a template is named the same way.
    let k = keydates::for_year(&db.conn, 2027)
        .unwrap()
        .into_iter()
        .find(|k| k.code == "migrant_winter_service")
        .unwrap();
    assert!(node_campaign(&k, 2027).name.starts_with("2027—2028年度"));
    // Copying the year on carries the span: 2027—2028 becomes 2028—2029.
    assert_eq!(
        rename_year("2027—2028年度根治欠薪冬季专项行动法治宣传", 2027, 2028),
        "2028—2029年度根治欠薪冬季专项行动法治宣传"
    );
    assert_eq!(
        rename_year("2027年民法典宣传月", 2027, 2028),
        "2028年民法典宣传月"
    );
    assert_eq!(
        rename_year("2026-2027根治欠薪", 2026, 2027),
        "2027—2028根治欠薪"
    );
}

/// The demo town's 2027 plan: the demo year 2026 and `plan generate --year 2027`.
#[test]
fn the_demo_towns_2027_plan_keeps_to_working_days_and_school_terms() {
    let mut db = Db::open_in_memory().unwrap();
    crate::demo::load_town(&mut db, 7, 2026);
    let g = generate(&mut db, 2027, &[]).unwrap();
    assert!(g.placed > 150, "{}", g.placed);
    assert!(
        g.created
            .iter()
            .any(|c| c.name == "2027—2028年度根治欠薪冬季专项行动法治宣传"),
        "{:?}",
        g.created.iter().map(|c| &c.name).collect::<Vec<_>>()
    );
    let generated: Vec<String> = g.created.iter().map(|c| c.id.clone()).collect();
    let acts: Vec<Activity> = all_activities(&db)
        .into_iter()
        .filter(|a| a.campaign_ids.iter().any(|c| generated.contains(c)))
        .collect();
    assert_eq!(acts.len() as u32, g.placed);
    let flagged: Vec<Conflict> = conflicts::list(&db.conn, "2027-01-01", "2028-12-31")
        .unwrap()
        .into_iter()
        .filter(|c| {
            matches!(
                c.kind,
                conflicts::ConflictKind::Weekend
                    | conflicts::ConflictKind::Holiday
                    | conflicts::ConflictKind::SchoolBreak
            )
        })
        .collect();
    let is_flagged = |a: &Activity| flagged.iter().any(|c| c.activity_id == a.id);
    let units = unit::list(&db.conn, &UnitFilter::default()).unwrap();
    let kind_of = |a: &Activity| {
        units
            .iter()
            .find(|u| Some(&u.id) == a.unit_id.as_ref())
            .map(|u| u.kind)
    };
    let mut calendar = crate::workdays::WorkCalendar::new(&db.conn);
    let mut exceptions = 0;
    for a in &acts {
        let date: NaiveDate = a.date.parse().unwrap();
        let kind = kind_of(a);
        let off = calendar
            .day_off(date, kind == Some(UnitKind::School))
            .unwrap();
        let wrong = match (kind, &off) {
            (Some(UnitKind::School), Some(_)) => true,
            (Some(k), Some(crate::workdays::DayOff::Holiday(_))) if k.is_village_level() => true,
            _ => false,
        };
        if wrong {
            exceptions += 1;
            assert!(
                is_flagged(a),
                "{} on {} ({off:?}) is not flagged",
                a.title,
                a.date
            );
            assert!(a.notes.contains("非工作日"), "{}: {}", a.title, a.notes);
        }
        if off.is_some() {
            assert!(
                is_flagged(a)
                    || kind.is_some_and(|k| !k.is_village_level() && k != UnitKind::School)
            );
        }
    }
    assert!(exceptions as usize <= g.exceptions.len());
    // Nor two activities in one village the same half-day: a busy day is left for a free one.
    let doubled: Vec<Conflict> = conflicts::list(&db.conn, "2027-01-01", "2028-12-31")
        .unwrap()
        .into_iter()
        .filter(|c| c.kind == conflicts::ConflictKind::VillageHalfDay)
        .filter(|c| acts.iter().any(|a| a.id == c.activity_id))
        .collect();
    assert!(doubled.is_empty(), "{doubled:?}");
    // No school activity is on a weekend, holiday or in a break, and no village activity on
    // a statutory holiday, in this plan: the generator found a working day for every one.
    assert_eq!(exceptions, 0, "exceptions: {:?}", g.exceptions);
    assert!(g.moved > 0);
    eprintln!(
        "2027 plan of the demo town: {} campaigns, {} activities placed, {} moved off weekends/holidays/school breaks, {} flagged exceptions",
        g.created.len(),
        g.placed,
        g.moved,
        g.exceptions.len()
    );
    for e in &g.exceptions {
        eprintln!("  exception: {e}");
    }
    eprintln!(
        "  extended: {:?}; skipped: {:?}",
        g.extended.iter().map(|c| &c.name).collect::<Vec<_>>(),
        g.skipped
    );
    for c in &g.created {
        eprintln!("  {} {}..{}", c.name, c.start_date, c.end_date);
    }
}

#[test]
fn copy_last_year_moves_campaigns_and_activities_onto_the_new_node_dates() {
    let mut db = db();
    apply_template(&mut db, "school_safety_day", 2026, &[], true).unwrap();
    apply_template(
        &mut db,
        "constitution_week",
        2026,
        &["安静村".into()],
        false,
    )
    .unwrap();
    // A campaign without nodes moves to the same month and day.
    campaign::create(
        &mut db,
        &CampaignInput {
            name: "2026年法治乡村文艺汇演".into(),
            kind: "local".into(),
            start_date: "2026-08-08".into(),
            end_date: "2026-08-08".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let copied = copy_year(&mut db, 2026, 2027).unwrap();
    assert_eq!((copied.campaigns, copied.activities), (3, 3));
    let c2027 = campaign::list(
        &db.conn,
        &campaign::CampaignFilter {
            year: Some(2027),
            ..Default::default()
        },
    )
    .unwrap();
    let safety = c2027
        .iter()
        .find(|c| c.name == "2027年全国中小学生安全教育日活动")
        .unwrap();
    // Last Monday of March: 2026-03-30 → 2027-03-29.
    assert_eq!(safety.start_date, "2027-03-29");
    let acts = activity::list(
        &db.conn,
        &ActivityFilter {
            campaign_id: Some(safety.id.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(acts.len(), 2);
    assert!(acts.iter().all(|a| a.date == "2027-03-29"));
    let show = c2027
        .iter()
        .find(|c| c.name == "2027年法治乡村文艺汇演")
        .unwrap();
    assert_eq!(show.start_date, "2027-08-08");
    // Copying again skips what is there.
    let again = copy_year(&mut db, 2026, 2027).unwrap();
    assert_eq!(again.campaigns, 0);
    assert_eq!(again.skipped.len(), 3);
}
