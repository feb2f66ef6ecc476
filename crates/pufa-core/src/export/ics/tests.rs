use super::*;
use crate::export::fixture::{long_notes, plan};
use icalendar::DatePerhapsTime;
use std::collections::{BTreeMap, BTreeSet};

fn d(s: &str) -> NaiveDate {
    iso_date(s).unwrap()
}

fn local(date: &str, time: &str) -> DatePerhapsTime {
    DatePerhapsTime::DateTime(at(d(date), time).unwrap())
}

/// Parses a written file back with the crate's own parser.
fn parse(text: &str) -> Calendar {
    let unfolded = icalendar::parser::unfold(text);
    icalendar::parser::read_calendar(&unfolded)
        .expect("the file parses")
        .into()
}

fn events_by_uid(cal: &Calendar) -> BTreeMap<String, Event> {
    cal.events()
        .map(|e| {
            (
                e.get_uid().expect("every event has a UID").to_string(),
                e.clone(),
            )
        })
        .collect()
}

/// RFC 5545 §3.1: CRLF line ends, content lines of at most 75 octets, continuation lines
/// starting with a space.
fn assert_well_folded(text: &str) {
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "line of {} octets: {line}", line.len());
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break"
        );
    }
}

#[test]
fn the_whole_plan_round_trips_through_the_icalendar_parser() {
    let p = plan();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("双龙镇普法活动计划.ics");
    let out = export(&p.db.conn, &path, None).unwrap();
    // 1 campaign + 4 village activities + the lecture + the postponed one + last year's.
    assert_eq!(out.count, 8);
    assert_eq!(out.path, path.display().to_string());
    let text = std::fs::read_to_string(&path).unwrap();
    assert_well_folded(&text);
    let cal = parse(&text);
    assert_eq!(cal.get_name(), Some("双龙镇普法活动计划"));
    assert_eq!(cal.property_value("VERSION"), Some("2.0"));
    // RFC 5545 §3.6.5: a VTIMEZONE for the TZID the events use.
    let tz: Vec<&str> = text
        .split("BEGIN:VTIMEZONE\r\n")
        .nth(1)
        .and_then(|rest| rest.split("END:VTIMEZONE").next())
        .expect("a VTIMEZONE")
        .split("\r\n")
        .collect();
    assert!(tz.contains(&"TZID:Asia/Shanghai"), "{tz:?}");
    assert!(tz.contains(&"TZOFFSETTO:+0800"), "{tz:?}");

    let events = events_by_uid(&cal);
    assert_eq!(events.len() as u32, out.count);
    let mut expected: BTreeSet<String> = p
        .week
        .activities
        .iter()
        .chain([&p.lecture, &p.postponed, &p.last_year])
        .map(|a| activity_uid(&a.id))
        .collect();
    expected.insert(campaign_uid(&p.week.campaign.id));
    assert_eq!(events.keys().cloned().collect::<BTreeSet<_>>(), expected);
    assert!(!events.contains_key(&activity_uid(&p.cancelled.id)));

    // The campaign: all day, DTEND the day after its last day.
    let c = &events[&campaign_uid(&p.week.campaign.id)];
    assert_eq!(c.get_summary(), Some("2027年“宪法宣传周”集中宣传活动"));
    assert_eq!(c.get_start(), Some(DatePerhapsTime::Date(d("2027-12-01"))));
    assert_eq!(c.get_end(), Some(DatePerhapsTime::Date(d("2027-12-08"))));
    let description = c.get_description().unwrap();
    assert!(description.contains("类型：国家节点"), "{description}");
    assert!(
        description.contains("普法节点：宪法宣传周"),
        "{description}"
    );
    assert!(description.contains("宣传对象：村(居)民"), "{description}");

    // A village activity: local times in Asia/Shanghai, place = village + venue type.
    let first = &p.week.activities[0];
    let e = &events[&activity_uid(&first.id)];
    assert_eq!(e.get_summary(), Some(first.title.as_str()));
    assert_eq!(e.get_start(), Some(local(&first.date, "09:00")));
    assert_eq!(e.get_end(), Some(local(&first.date, "11:30")));
    assert!(text.contains(&format!(
        "DTSTART;TZID=Asia/Shanghai:{}T090000\r\n",
        first.date.replace('-', "")
    )));
    assert_eq!(
        e.property_value("LOCATION"),
        Some(format!("{} 院坝", first.unit_name.as_deref().unwrap()).as_str())
    );
    let description = e.get_description().unwrap();
    for part in [
        "活动专项：2027年“宪法宣传周”集中宣传活动",
        "形式：集中宣传、院坝会",
        "对象：村(居)民",
        "法律法规：宪法、安全生产法、道路交通安全法",
        "协办单位：派出所",
        "计划资料：宪法读本30册、宪法宣传折页100份",
    ] {
        assert!(description.contains(part), "{part} in {description}");
    }

    // The all-day lecture: the long Chinese description survives folding exactly.
    let e = &events[&activity_uid(&p.lecture.id)];
    assert_eq!(
        e.get_summary(),
        Some("“美好生活·民法典相伴”主题法治讲座暨以案释法")
    );
    assert_eq!(e.get_start(), Some(DatePerhapsTime::Date(d("2027-05-20"))));
    assert_eq!(e.get_end(), Some(DatePerhapsTime::Date(d("2027-05-21"))));
    assert_eq!(
        e.property_value("LOCATION"),
        Some("安静村 村委会二楼会议室")
    );
    let names: HashMap<String, String> =
        [(p.week.campaign.id.clone(), p.week.campaign.name.clone())].into();
    let description = e.get_description().unwrap();
    assert_eq!(description, activity_description(&p.lecture, &names));
    assert!(description.contains("负责人：李四"));
    assert!(description.contains("计划资料：民法典读本50册、宣传折页200份"));
    assert!(description.ends_with(&format!("备注：{}", long_notes())));
    assert!(
        description.len() > 600,
        "long enough to be folded many times"
    );

    // The postponed one is tentative and says why.
    let e = &events[&activity_uid(&p.postponed.id)];
    assert_eq!(e.get_status(), Some(EventStatus::Tentative));
    assert!(e
        .get_description()
        .unwrap()
        .contains("状态：已延期（暴雨预警）"));
}

#[test]
fn long_mixed_text_folds_on_character_boundaries_and_unfolds_exactly() {
    // Folding splits at 75 octets: with 3-byte CJK, 4-byte emoji, ASCII and spaces at every
    // offset, a split inside a character or a lost space would show here.
    let pieces = [
        "宪法",
        " ",
        "a",
        "，",
        "Law 法",
        "😀",
        ";",
        ",",
        "\\",
        "\n",
        "  ",
        "民法典",
    ];
    for shift in 0..40 {
        let text: String = (0..120)
            .map(|i| pieces[(i * 7 + shift) % pieces.len()])
            .collect();
        let mut e = Event::new();
        e.uid("x@pufa-planner")
            .timestamp(DateTime::UNIX_EPOCH)
            .summary(&text)
            .description(&text)
            .location(&text);
        let mut cal = Calendar::empty();
        cal.push(e);
        let written = cal.to_string();
        assert_well_folded(&written);
        let back = parse(&written);
        let e = back.events().next().unwrap();
        assert_eq!(e.get_summary(), Some(text.as_str()), "shift {shift}");
        assert_eq!(e.get_description(), Some(text.as_str()), "shift {shift}");
        assert_eq!(e.property_value("LOCATION"), Some(text.as_str()));
    }
}

#[test]
fn exporting_twice_gives_the_same_file_and_an_edit_updates_the_same_event() {
    let mut p = plan();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.ics"), dir.path().join("b.ics"));
    export(&p.db.conn, &a, None).unwrap();
    export(&p.db.conn, &b, None).unwrap();
    let first = std::fs::read(&a).unwrap();
    assert_eq!(
        first,
        std::fs::read(&b).unwrap(),
        "nothing random or clock-based"
    );

    // Edit the lecture: same UID, new summary, LAST-MODIFIED and SEQUENCE not older.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let mut input = activity::input_from(&p.lecture);
    input.title = "民法典主题法治讲座（改期后）".into();
    activity::update(
        &mut p.db,
        &p.lecture.id,
        &input,
        activity::SeriesScope::This,
    )
    .unwrap();
    export(&p.db.conn, &b, None).unwrap();
    let before = events_by_uid(&parse(&String::from_utf8(first).unwrap()));
    let after = events_by_uid(&parse(&std::fs::read_to_string(&b).unwrap()));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let uid = activity_uid(&p.lecture.id);
    assert_eq!(
        after[&uid].get_summary(),
        Some("民法典主题法治讲座（改期后）")
    );
    assert!(after[&uid].get_last_modified() > before[&uid].get_last_modified());
    assert!(after[&uid].get_sequence() > before[&uid].get_sequence());
    assert_eq!(after[&uid].get_timestamp(), after[&uid].get_last_modified());
    // The others did not change.
    let other = activity_uid(&p.week.activities[0].id);
    assert_eq!(before[&other], after[&other]);
}

#[test]
fn one_campaign_exports_the_campaign_and_its_activities_only() {
    let p = plan();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("宪法宣传周.ics");
    let out = export(&p.db.conn, &path, Some(&p.week.campaign.id)).unwrap();
    assert_eq!(out.count, 5);
    let cal = parse(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(
        cal.get_name(),
        Some("双龙镇普法活动计划·2027年“宪法宣传周”集中宣传活动")
    );
    let uids: BTreeSet<String> = events_by_uid(&cal).into_keys().collect();
    let mut expected: BTreeSet<String> = p
        .week
        .activities
        .iter()
        .map(|a| activity_uid(&a.id))
        .collect();
    expected.insert(campaign_uid(&p.week.campaign.id));
    assert_eq!(uids, expected);
}

#[test]
fn an_unknown_campaign_or_a_missing_folder_writes_nothing() {
    let p = plan();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.ics");
    let e = export(&p.db.conn, &path, Some("no-such-campaign")).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::NotFound, Some("campaign_id"))
    );
    assert!(!path.exists());
    let missing = dir.path().join("不存在的文件夹").join("plan.ics");
    let e = export(&p.db.conn, &missing, None).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::Io, Some("path")));
    assert!(e.message.contains("不存在"), "{}", e.message);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
