use super::*;
use crate::activity::ActivityFilter;

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
    ];
    let first = generate(&mut db, 2027, &nodes).unwrap();
    assert_eq!(first.created.len(), 3);
    let week = first
        .created
        .iter()
        .find(|c| c.name == "2027年宪法宣传周")
        .unwrap();
    // The 集中宣传期 around the default week.
    assert_eq!(
        (week.start_date.as_str(), week.end_date.as_str()),
        ("2027-11-21", "2027-12-27")
    );
    assert_eq!(week.kind, CampaignKind::National);
    let breeze = first
        .created
        .iter()
        .find(|c| c.nodes == ["spring_breeze"])
        .unwrap();
    assert_eq!(breeze.kind, CampaignKind::Targeted);
    let again = generate(&mut db, 2027, &nodes).unwrap();
    assert!(again.created.is_empty());
    assert_eq!(again.skipped.len(), 3);
    assert_eq!(
        generate(&mut db, 2027, &["nope".into()])
            .unwrap_err()
            .field
            .as_deref(),
        Some("nodes")
    );
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
