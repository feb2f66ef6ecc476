use super::*;
use crate::db::Db;
use crate::demo::{load, DemoInput};
use proptest::prelude::*;

#[test]
fn approximate_totals_read_like_reports() {
    for (n, text) in [
        (42, "42"),
        (99, "99"),
        (100, "100"),
        (157, "150余"),
        (980, "近1000"),
        (1000, "1000"),
        (3042, "3000余"),
        (3450, "3400余"),
        (4960, "近5000"),
        (12_345, "12000余"),
        (19_500, "近20000"),
    ] {
        assert_eq!(approx(n), text, "{n}");
    }
}

fn demo() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    load(
        &mut db,
        &DemoInput {
            seed: Some(3),
            year: Some(2026),
            scale: None,
        },
    )
    .unwrap();
    db
}

fn year(f: impl FnOnce(&mut SummaryFilter)) -> SummaryFilter {
    let mut s = SummaryFilter {
        from: "2026-01-01".into(),
        to: "2026-12-31".into(),
        ..Default::default()
    };
    f(&mut s);
    s
}

#[test]
fn totals_equal_the_sum_of_the_records_in_every_breakdown() {
    let db = demo();
    let s = summary(&db.conn, &year(|_| {})).unwrap();
    let records = crate::record::list(&db.conn, &Default::default()).unwrap();
    let approved: Vec<_> = records
        .iter()
        .filter(|r| r.review_status == crate::record::ReviewStatus::Approved)
        .collect();
    assert_eq!(s.activities, approved.len() as i64);
    assert_eq!(s.reach, approved.iter().map(|r| r.reach).sum::<i64>());
    assert_eq!(
        s.participants,
        approved.iter().map(|r| r.participants).sum::<i64>()
    );
    let handed: i64 = approved
        .iter()
        .flat_map(|r| &r.materials)
        .map(|m| m.quantity)
        .sum();
    assert_eq!(s.materials.iter().map(|m| m.quantity).sum::<i64>(), handed);
    // Each record has one month and one village: those breakdowns add up exactly.
    for b in [&s.by_month, &s.by_village] {
        assert_eq!(b.iter().map(|x| x.activities).sum::<i64>(), s.activities);
        assert_eq!(b.iter().map(|x| x.reach).sum::<i64>(), s.reach);
    }
    assert!(s.by_month.windows(2).all(|w| w[0].key < w[1].key));
    assert!(s
        .by_format
        .iter()
        .any(|b| b.label == "院坝会" || b.label == "集中宣传"));
    assert!(s.planned >= s.planned_held && s.planned_held > 0);

    let with_pending = summary(&db.conn, &year(|f| f.include_pending = true)).unwrap();
    assert!(with_pending.activities > s.activities);
    assert_eq!(with_pending.activities - s.activities, with_pending.pending);

    // Scope: a village; an empty period is valid and empty; a reversed one is refused.
    let village = &s.by_village[0];
    let one = summary(&db.conn, &year(|f| f.village = Some(village.label.clone()))).unwrap();
    assert_eq!(
        (one.activities, one.reach),
        (village.activities, village.reach)
    );
    let empty = summary(
        &db.conn,
        &SummaryFilter {
            from: "2030-01-01".into(),
            to: "2030-01-31".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((empty.activities, empty.materials.len()), (0, 0));
    assert_eq!(empty.villages_without.len(), 21);
    let err = summary(
        &db.conn,
        &SummaryFilter {
            from: "2026-12-01".into(),
            to: "2026-01-01".into(),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("end_date"));
    assert!(headline(&s).starts_with(&format!("全年开展普法活动{}场次", s.activities)));
    assert_eq!(s.headline, headline(&s));
    // Not a whole year: "期间", not "全年".
    let spring = summary(
        &db.conn,
        &SummaryFilter {
            from: format!("{}-03-01", &s.from[..4]),
            to: format!("{}-05-31", &s.from[..4]),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        spring.headline.starts_with("期间开展普法活动"),
        "{}",
        spring.headline
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// On random periods the breakdowns stay consistent with the totals.
    #[test]
    fn random_periods_add_up(start in 0u32..300, len in 0u32..120) {
        let db = DEMO.with(|d| d.clone());
        let conn = rusqlite::Connection::open(&db).unwrap();
        let from = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(start as i64);
        let to = from + chrono::Duration::days(len as i64);
        let s = summary(&conn, &SummaryFilter { from: from.to_string(), to: to.to_string(), ..Default::default() }).unwrap();
        prop_assert_eq!(s.by_month.iter().map(|b| b.activities).sum::<i64>(), s.activities);
        prop_assert_eq!(s.by_village.iter().map(|b| b.reach).sum::<i64>(), s.reach);
        let direct: i64 = conn.query_row(
            "SELECT coalesce(sum(reach), 0) FROM record WHERE date BETWEEN ?1 AND ?2 AND review_status = 'approved'",
            [from.to_string(), to.to_string()], |r| r.get(0)).unwrap();
        prop_assert_eq!(s.reach, direct);
        // A format/audience/law can be counted for several records, never more than all of them.
        for b in s.by_format.iter().chain(&s.by_audience).chain(&s.by_law) {
            prop_assert!(b.activities <= s.activities);
        }
    }
}

thread_local! {
    /// One demo database file shared by the property cases.
    static DEMO: std::path::PathBuf = {
        let dir = tempfile::tempdir().unwrap().keep();
        let mut db = Db::open_dir(&dir).unwrap();
        load(&mut db, &DemoInput { seed: Some(5), year: Some(2026), scale: None }).unwrap();
        dir.join(crate::db::DB_FILE)
    };
}
