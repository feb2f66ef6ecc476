use super::*;
use crate::activity::{create, set_status, ActivityInput};
use crate::campaign::{self, CampaignInput};
use crate::person::{self, PersonInput};

fn db() -> Db {
    crate::testing::town(&["安静村", "石院村", "长安村"], &["双龙镇中心小学"])
}

fn act(db: &mut Db, title: &str, date: &str, time: (&str, &str), unit: &str) -> String {
    let input = ActivityInput {
        title: title.into(),
        date: date.into(),
        start_time: (!time.0.is_empty()).then(|| time.0.into()),
        end_time: (!time.1.is_empty()).then(|| time.1.into()),
        unit_id: Some(unit.into()),
        ..Default::default()
    };
    create(db, &input, None).unwrap().remove(0).id
}

fn kinds(list: &[Conflict]) -> Vec<ConflictKind> {
    let mut k: Vec<ConflictKind> = list.iter().map(|c| c.kind).collect();
    k.sort_by_key(|k| k.code());
    k
}

#[test]
fn a_village_with_two_activities_in_one_half_day() {
    let mut db = db();
    let a = act(
        &mut db,
        "宪法进院坝",
        "2026-12-02",
        ("09:00", "11:00"),
        "安静村",
    );
    let b = act(
        &mut db,
        "民法典讲座",
        "2026-12-02",
        ("10:30", "11:30"),
        "安静村",
    );
    let c = act(
        &mut db,
        "禁毒宣传",
        "2026-12-02",
        ("14:30", "16:00"),
        "安静村",
    );
    // Different villages at the same time are fine; so is a school (not a village).
    act(
        &mut db,
        "宪法进院坝",
        "2026-12-02",
        ("09:00", "11:00"),
        "石院村",
    );
    act(
        &mut db,
        "法治课",
        "2026-12-02",
        ("09:00", "10:00"),
        "双龙镇中心小学",
    );
    act(
        &mut db,
        "法治课2",
        "2026-12-02",
        ("09:30", "10:30"),
        "双龙镇中心小学",
    );
    let found = for_activity(&db.conn, &a).unwrap();
    assert_eq!(kinds(&found), [ConflictKind::VillageHalfDay]);
    assert_eq!(found[0].other_activity_id.as_deref(), Some(b.as_str()));
    assert!(
        found[0]
            .message
            .contains("安静村在 2026-12-02 上午有两场活动"),
        "{}",
        found[0].message
    );
    // The parts the window words it from in English.
    assert_eq!(found[0].params.unit.as_deref(), Some("安静村"));
    assert!(!found[0].params.afternoon);
    assert!(
        for_activity(&db.conn, &c).unwrap().is_empty(),
        "the afternoon is free"
    );

    // An all-day activity clashes with both halves.
    let all_day = act(&mut db, "法治赶集", "2026-12-02", ("", ""), "安静村");
    assert_eq!(for_activity(&db.conn, &all_day).unwrap().len(), 3);
    // Cancelled activities don't count.
    set_status(&mut db, &all_day, "cancelled", Some("下雨")).unwrap();
    assert_eq!(for_activity(&db.conn, &a).unwrap().len(), 1);
    let year = for_year(&db.conn, 2026).unwrap();
    assert_eq!(year.len(), 1, "{year:?}");
}

#[test]
fn the_same_person_or_venue_twice_at_overlapping_times() {
    let mut db = db();
    let p = person::create(
        &mut db,
        &PersonInput {
            name: "王律师".into(),
            role: "lawyer".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let with = |title: &str, unit: &str, from: &str, to: &str, venue: &str| ActivityInput {
        title: title.into(),
        date: "2027-04-15".into(),
        start_time: Some(from.into()),
        end_time: Some(to.into()),
        unit_id: Some(unit.into()),
        venue: Some(venue.into()),
        lead_person_id: Some(p.id.clone()),
        ..Default::default()
    };
    let a = create(
        &mut db,
        &with("国家安全讲座", "安静村", "09:00", "10:00", "村委会"),
        None,
    )
    .unwrap();
    create(
        &mut db,
        &with("国家安全集中宣传", "石院村", "09:30", "11:00", "集市"),
        None,
    )
    .unwrap();
    create(
        &mut db,
        &with("下午讲座", "长安村", "15:00", "16:00", ""),
        None,
    )
    .unwrap();
    let found = for_activity(&db.conn, &a[0].id).unwrap();
    assert_eq!(kinds(&found), [ConflictKind::PersonDouble]);
    assert!(
        found[0].message.starts_with("王律师同时负责"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].params.person.as_deref(), Some("王律师"));
    assert!(found[0].params.time.is_some());

    let mut school = with("法治课", "双龙镇中心小学", "08:00", "09:00", "礼堂");
    school.lead_person_id = None;
    let s1 = create(&mut db, &school, None).unwrap().remove(0);
    school.title = "模拟法庭".into();
    school.start_time = Some("08:30".into());
    create(&mut db, &school, None).unwrap();
    assert_eq!(
        kinds(&for_activity(&db.conn, &s1.id).unwrap()),
        [ConflictKind::VenueDouble]
    );
}

#[test]
fn outside_the_campaign_window_and_on_holidays() {
    let mut db = db();
    let c = campaign::create(
        &mut db,
        &CampaignInput {
            name: "2026年宪法宣传周".into(),
            kind: "national".into(),
            start_date: "2026-12-01".into(),
            end_date: "2026-12-07".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let input = |date: &str| ActivityInput {
        title: "宪法宣传".into(),
        date: date.into(),
        unit_id: Some("安静村".into()),
        campaign_ids: vec![c.id.clone()],
        ..Default::default()
    };
    let inside = create(&mut db, &input("2026-12-04"), None)
        .unwrap()
        .remove(0);
    assert!(for_activity(&db.conn, &inside.id).unwrap().is_empty());
    let outside = create(&mut db, &input("2026-12-15"), None)
        .unwrap()
        .remove(0);
    let found = for_activity(&db.conn, &outside.id).unwrap();
    assert_eq!(kinds(&found), [ConflictKind::OutsideCampaign]);
    assert!(
        found[0].message.contains("2026-12-01 至 2026-12-07"),
        "{}",
        found[0].message
    );
    let p = &found[0].params;
    assert_eq!(
        (p.campaign_start.as_deref(), p.campaign_end.as_deref()),
        (Some("2026-12-01"), Some("2026-12-07"))
    );

    let national_day = create(
        &mut db,
        &ActivityInput {
            campaign_ids: vec![],
            ..input("2026-10-02")
        },
        None,
    )
    .unwrap()
    .remove(0);
    let found = for_activity(&db.conn, &national_day.id).unwrap();
    assert_eq!(kinds(&found), [ConflictKind::Holiday]);
    assert!(found[0].message.contains("国庆节"), "{}", found[0].message);
    assert_eq!(found[0].params.holiday.as_deref(), Some("国庆节"));
    // A make-up working day (调休上班) is not a holiday.
    let workday = create(
        &mut db,
        &ActivityInput {
            campaign_ids: vec![],
            ..input("2026-10-10")
        },
        None,
    )
    .unwrap()
    .remove(0);
    assert!(for_activity(&db.conn, &workday.id).unwrap().is_empty());
}

#[test]
fn an_ignored_warning_stays_ignored_for_that_pair_only() {
    let mut db = db();
    let a = act(&mut db, "甲", "2026-12-02", ("09:00", "11:00"), "安静村");
    let b = act(&mut db, "乙", "2026-12-02", ("09:00", "11:00"), "安静村");
    let c = act(&mut db, "丙", "2026-12-02", ("10:00", "11:00"), "安静村");
    let found = for_activity(&db.conn, &a).unwrap();
    assert_eq!(found.len(), 2);
    let with_b = found
        .iter()
        .find(|x| x.other_activity_id.as_deref() == Some(&b))
        .unwrap();
    set_ignored(&mut db, with_b.kind, &with_b.a, &with_b.b, true).unwrap();
    let found = for_activity(&db.conn, &a).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].other_activity_id.as_deref(), Some(c.as_str()));
    // The year list still shows it, marked.
    let year = for_year(&db.conn, 2026).unwrap();
    assert_eq!(year.iter().filter(|x| x.ignored).count(), 1);
    assert_eq!(year.len(), 3);
    set_ignored(&mut db, with_b.kind, &with_b.a, &with_b.b, false).unwrap();
    assert_eq!(for_activity(&db.conn, &a).unwrap().len(), 2);
}

#[test]
fn coverage_lists_villages_without_an_activity() {
    let mut db = db();
    let c = campaign::create(
        &mut db,
        &CampaignInput {
            name: "宪法宣传周".into(),
            kind: "national".into(),
            start_date: "2026-12-01".into(),
            end_date: "2026-12-07".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let input = |unit: &str| ActivityInput {
        title: "宪法宣传".into(),
        date: "2026-12-03".into(),
        unit_id: Some(unit.into()),
        campaign_ids: vec![c.id.clone()],
        ..Default::default()
    };
    create(&mut db, &input("安静村"), None).unwrap();
    create(&mut db, &input("双龙镇中心小学"), None).unwrap();
    let cancelled = create(&mut db, &input("长安村"), None).unwrap().remove(0);
    set_status(&mut db, &cancelled.id, "cancelled", Some("改期")).unwrap();
    // An activity in 石院村 for another campaign doesn't count.
    create(
        &mut db,
        &ActivityInput {
            campaign_ids: vec![],
            ..input("石院村")
        },
        None,
    )
    .unwrap();
    let cov = coverage(&db.conn, &c.id).unwrap();
    assert_eq!(cov.total, 3);
    let names = |v: &[CoverageUnit]| v.iter().map(|u| u.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&cov.covered), ["安静村"]);
    assert_eq!(names(&cov.missing), ["石院村", "长安村"]);
    assert_eq!(
        coverage(&db.conn, "nope").unwrap_err().code,
        ErrorCode::NotFound
    );
}

#[test]
fn weekends_and_school_breaks_are_warned_with_the_reason() {
    let mut db = db();
    // 2027-12-04 is a Saturday: 宪法晨读 at school, a 院坝会 in 安静村.
    let reading = act(
        &mut db,
        "宪法晨读",
        "2027-12-04",
        ("07:40", "08:10"),
        "双龙镇中心小学",
    );
    let found = for_activity(&db.conn, &reading).unwrap();
    assert_eq!(kinds(&found), [ConflictKind::Weekend]);
    assert!(
        found[0].message.contains("星期六") && found[0].message.contains("学校不上课"),
        "{}",
        found[0].message
    );
    crate::unit::set_market_days(&mut db, "安静村", "公历1/4/7").unwrap();
    let meeting = act(
        &mut db,
        "院坝会",
        "2027-12-04",
        ("09:00", "11:00"),
        "安静村",
    );
    let found = for_activity(&db.conn, &meeting).unwrap();
    assert_eq!(kinds(&found), [ConflictKind::Weekend]);
    assert!(
        found[0]
            .message
            .contains("不是工作日；当天是安静村赶集日（公历逢一、四、七）")
            && !found[0].message.contains("可保留"),
        "{}",
        found[0].message
    );
    let p = &found[0].params;
    assert_eq!(
        (
            p.market_lunar,
            p.market_digits.as_slice(),
            p.market_kept,
            p.school
        ),
        (Some(false), &[1u8, 4, 7][..], false, false)
    );
    let street = create(
        &mut db,
        &ActivityInput {
            title: "赶集日普法摆摊".into(),
            date: "2027-12-04".into(),
            start_time: Some("14:00".into()),
            end_time: Some("16:00".into()),
            unit_id: Some("安静村".into()),
            formats: vec!["street_campaign".into()],
            ..Default::default()
        },
        None,
    )
    .unwrap()
    .remove(0);
    let found = for_activity(&db.conn, &street.id).unwrap();
    assert!(
        found[0].message.contains("集中宣传可保留"),
        "the market day is the reason a 集中宣传 may stay: {}",
        found[0].message
    );
    assert!(found[0].params.market_kept);
    // 正月初十 2027 (2月15日, a Monday) is in the (estimated) winter break: the school is
    // warned, the village is not.
    let lesson = act(
        &mut db,
        "开学第一课",
        "2027-02-15",
        ("14:30", "15:30"),
        "双龙镇中心小学",
    );
    let found = for_activity(&db.conn, &lesson).unwrap();
    assert_eq!(kinds(&found), [ConflictKind::SchoolBreak]);
    assert!(
        found[0].message.contains("寒假（1月23日至2月21日，估计）"),
        "{}",
        found[0].message
    );
    let p = &found[0].params;
    assert_eq!(
        (
            p.school_break.as_deref(),
            p.break_start.as_deref(),
            p.break_estimated
        ),
        (Some("winter"), Some("2027-01-23"), true)
    );
    let village = act(
        &mut db,
        "法治讲座",
        "2027-02-15",
        ("14:30", "15:30"),
        "石院村",
    );
    assert!(for_activity(&db.conn, &village).unwrap().is_empty());
    // The whole year's list has them too, and the coordinator may keep one (ignore).
    let year = for_year(&db.conn, 2027).unwrap();
    assert_eq!(year.len(), 4, "{year:?}");
    let w = year.iter().find(|c| c.activity_id == reading).unwrap();
    set_ignored(&mut db, w.kind, &w.a, &w.b, true).unwrap();
    assert!(for_activity(&db.conn, &reading).unwrap().is_empty());
    assert_eq!(parse_kind("weekend").unwrap(), ConflictKind::Weekend);
    assert_eq!(
        parse_kind("school_break").unwrap(),
        ConflictKind::SchoolBreak
    );
}

#[test]
fn a_school_campaign_is_counted_over_schools() {
    let mut db = crate::testing::town(&["安静村", "石院村"], &["双龙镇中心小学", "龙飞小学"]);
    let c = campaign::create(
        &mut db,
        &CampaignInput {
            name: "春季开学第一课".into(),
            kind: "targeted".into(),
            start_date: "2027-02-22".into(),
            end_date: "2027-03-07".into(),
            audiences: vec!["students".into()],
            ..Default::default()
        },
    )
    .unwrap();
    // No activity yet: students only, so schools.
    let cov = coverage(&db.conn, &c.id).unwrap();
    assert_eq!((cov.scope, cov.total), (CoverageScope::Schools, 2));
    create(
        &mut db,
        &ActivityInput {
            title: "开学第一课".into(),
            date: "2027-02-23".into(),
            unit_id: Some("龙飞小学".into()),
            campaign_ids: vec![c.id.clone()],
            ..Default::default()
        },
        None,
    )
    .unwrap();
    let cov = coverage(&db.conn, &c.id).unwrap();
    assert_eq!(cov.scope, CoverageScope::Schools);
    assert_eq!((cov.covered.len(), cov.total), (1, 2));
    assert_eq!(cov.missing[0].name, "双龙镇中心小学");
    // A village activity makes it a village campaign again.
    create(
        &mut db,
        &ActivityInput {
            title: "家长法治课".into(),
            date: "2027-02-24".into(),
            unit_id: Some("安静村".into()),
            campaign_ids: vec![c.id.clone()],
            ..Default::default()
        },
        None,
    )
    .unwrap();
    let cov = coverage(&db.conn, &c.id).unwrap();
    assert_eq!(
        (cov.scope, cov.covered.len(), cov.total),
        (CoverageScope::Villages, 1, 2)
    );
}
