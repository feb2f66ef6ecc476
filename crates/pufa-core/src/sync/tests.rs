use super::*;
use crate::db::Db;
use crate::record::{self, RecordInput};
use crate::testing;

fn hlc_of(db: &Db, table: &str, id: &str) -> Option<String> {
    db.conn
        .query_row(
            &format!("SELECT hlc FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .unwrap()
}

fn input(title: &str) -> RecordInput {
    RecordInput {
        title: title.into(),
        date: "2026-03-15".into(),
        unit_id: Some("安静村".into()),
        formats: vec!["lecture".into()],
        participants: 30.0,
        recorder: "王".into(),
        ..Default::default()
    }
}

#[test]
fn hlc_text_sorts_and_parses() {
    assert_eq!(
        parse("1767225600000-0003-abc-DEF_1"),
        Some((1767225600000, 3))
    );
    for bad in [
        "",
        "1767225600000-0003-",
        "176722560000-00003-x",
        "1767225600000-0003-a b",
        "x767225600000-0003-a",
    ] {
        assert_eq!(parse(bad), None, "{bad}");
    }
    assert!("1767225600000-0010-a" > "1767225600000-0009-b");
    assert!("1767225600001-0000-a" > "1767225600000-9999-b");
}

#[test]
fn every_write_path_stamps_a_new_version() {
    let mut db = testing::town(&["安静村"], &[]);
    let r = record::create(&mut db, &input("宪法进院坝")).unwrap();
    // New rows wait for their first export to be stamped.
    assert_eq!(hlc_of(&db, "record", &r.id), None);
    stamp_new(&db.conn).unwrap();
    let v0 = hlc_of(&db, "record", &r.id).unwrap();
    assert!(parse(&v0).is_some(), "{v0}");

    record::update(&mut db, &r.id, &input("宪法进院坝（修改）")).unwrap();
    let v1 = hlc_of(&db, "record", &r.id).unwrap();
    assert!(v1 > v0, "{v1} > {v0}");

    // A campaign link alone is a new version of the record.
    let c = crate::campaign::create(
        &mut db,
        &crate::campaign::CampaignInput {
            name: "宪法宣传周".into(),
            kind: "national".into(),
            start_date: "2026-03-01".into(),
            end_date: "2026-03-31".into(),
            ..Default::default()
        },
    )
    .unwrap();
    db.conn
        .execute(
            "INSERT INTO record_campaign (record_id, campaign_id) VALUES (?1, ?2)",
            [&r.id, &c.id],
        )
        .unwrap();
    let v2 = hlc_of(&db, "record", &r.id).unwrap();
    assert!(v2 > v1);

    // Setting base_hlc (after an export) is not an edit.
    db.conn
        .execute("UPDATE record SET base_hlc = hlc WHERE id = ?1", [&r.id])
        .unwrap();
    assert_eq!(hlc_of(&db, "record", &r.id).unwrap(), v2);

    // Review is an edit too (the approval has to travel back to the village).
    crate::town::update_user(
        &mut db,
        &crate::town::UserInput {
            name: "李明".into(),
            role: "coordinator".into(),
            village: None,
        },
    )
    .unwrap();
    record::review(&mut db, &r.id, record::ReviewAction::Approve, None).unwrap();
    let v3 = hlc_of(&db, "record", &r.id).unwrap();
    assert!(v3 > v2);
    let seq: i64 = db
        .conn
        .query_row("SELECT sync_seq FROM record WHERE id = ?1", [&r.id], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(seq > 0);

    // A campaign edit stamps the campaign; a delete leaves a tombstone with the base.
    crate::campaign::update(
        &mut db,
        &c.id,
        &crate::campaign::CampaignInput {
            name: "宪法宣传月".into(),
            kind: "national".into(),
            start_date: "2026-03-01".into(),
            end_date: "2026-03-31".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(hlc_of(&db, "campaign", &c.id).unwrap() > v3);
    crate::record::review(
        &mut db,
        &r.id,
        record::ReviewAction::Reopen,
        Some("补充照片"),
    )
    .unwrap();
    record::delete(&mut db, &r.id).unwrap();
    let (t, base): (String, Option<String>) = db
        .conn
        .query_row(
            "SELECT hlc, base_hlc FROM sync_tombstone WHERE entity = 'record' AND id = ?1",
            [&r.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(t > v3);
    assert_eq!(base.as_deref(), Some(v2.as_str()));
}

#[test]
fn activities_are_stamped_on_edit() {
    let mut db = testing::town(&["安静村"], &[]);
    let a = crate::activity::create(
        &mut db,
        &crate::activity::ActivityInput {
            title: "普法讲座".into(),
            date: "2026-05-01".into(),
            unit_id: Some("安静村".into()),
            ..Default::default()
        },
        None,
    )
    .unwrap()
    .remove(0);
    stamp_new(&db.conn).unwrap();
    let v0 = hlc_of(&db, "activity", &a.id).unwrap();
    crate::activity::set_status(&mut db, &a.id, "cancelled", Some("下雨")).unwrap();
    assert!(hlc_of(&db, "activity", &a.id).unwrap() > v0);
}

#[test]
fn the_clock_never_goes_backwards() {
    let db = Db::open_in_memory().unwrap();
    let (a, s1) = tick(&db.conn).unwrap();
    // A package from a laptop whose clock runs an hour ahead.
    let ahead = format!("{:013}-0005-other", parse(&a).unwrap().0 + 3_600_000);
    observe(&db.conn, &ahead).unwrap();
    let (b, s2) = tick(&db.conn).unwrap();
    assert!(b > ahead, "{b} > {ahead}");
    assert_eq!(s2, s1 + 1);
    // An older clock seen later does not move it back.
    observe(&db.conn, &a).unwrap();
    let (c, _) = tick(&db.conn).unwrap();
    assert!(c > b);
    // Ten thousand ticks in one statement's millisecond keep four digits and keep sorting.
    let mut last = c;
    for _ in 0..10_050 {
        let (n, _) = tick(&db.conn).unwrap();
        assert!(n > last && parse(&n).is_some(), "{n} > {last}");
        last = n;
    }
}

#[test]
fn many_ticks_at_once_are_the_ticks_one_by_one() {
    let db = testing::town(&["安静村"], &[]);
    let clock = |db: &Db| -> (i64, i64, i64) {
        db.conn
            .query_row("SELECT ms, counter, seq FROM sync_clock", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap()
    };
    // A clock ahead of the physical time, two ticks short of its counter's end.
    let ahead = 4_102_444_800_000_i64;
    db.conn
        .execute("UPDATE sync_clock SET ms = ?1, counter = 9998", [ahead])
        .unwrap();
    let (_, _, seq) = clock(&db);
    let versions = ticks(&db.conn, 3).unwrap().unwrap();
    let device = last(&db.conn).unwrap()[19..].to_string();
    let want: Vec<(String, i64)> = [(ahead, 9999), (ahead + 1, 0), (ahead + 1, 1)]
        .iter()
        .zip(1..)
        .map(|((ms, counter), k)| (format!("{ms:013}-{counter:04}-{device}"), seq + k))
        .collect();
    assert_eq!(versions, want);
    assert_eq!(
        clock(&db),
        (ahead + 1, 1, seq + 3),
        "the clock where they left it"
    );
    // The next tick, one at a time, follows on.
    assert_eq!(tick(&db.conn).unwrap().1, seq + 4);
    assert!(last(&db.conn).unwrap() > versions[2].0);

    // From a clock behind the physical time: the first tick takes the time.
    db.conn
        .execute("UPDATE sync_clock SET ms = 1000, counter = 5", [])
        .unwrap();
    let versions = ticks(&db.conn, 2).unwrap().unwrap();
    let (ms, counter) = parse(&versions[0].0).unwrap();
    assert!(ms > 1_700_000_000_000 && counter == 0, "{versions:?}");
    assert_eq!(parse(&versions[1].0).unwrap(), (ms, 1));

    // While a package is applied nothing is versioned.
    set_applying(&db.conn, true).unwrap();
    let before = clock(&db);
    assert_eq!(ticks(&db.conn, 2).unwrap(), None);
    assert_eq!(clock(&db), before);
}
