use super::*;

fn db() -> Db {
    crate::testing::town(&["安静村", "石院村", "长安村"], &["双龙镇中心小学"])
}

fn input(title: &str, date: &str) -> ActivityInput {
    ActivityInput {
        title: title.into(),
        date: date.into(),
        start_time: Some("9:00".into()),
        end_time: Some("11:30".into()),
        unit_id: Some("安静村".into()),
        venue_type: Some("院坝".into()),
        formats: vec!["courtyard_meeting".into(), "以案释法".into()],
        audiences: vec!["residents".into()],
        laws: vec!["宪法、民法典".into()],
        partners: vec!["派出所".into()],
        materials: vec![PlannedMaterial {
            item: "宪法读本".into(),
            quantity: 200,
            unit: "册".into(),
        }],
        expected_audience: Some(80),
        ..Default::default()
    }
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn create_get_list_update_delete() {
    let mut db = db();
    let a = create(&mut db, &input("宪法进院坝", "2026年12月2日"), None)
        .unwrap()
        .remove(0);
    assert_eq!(a.date, "2026-12-02");
    assert_eq!(a.start_time.as_deref(), Some("09:00"));
    assert_eq!(a.unit_name.as_deref(), Some("安静村"));
    assert_eq!(a.venue_type, Some(VenueType::Courtyard));
    assert_eq!(
        a.formats,
        [
            ActivityFormat::CourtyardMeeting,
            ActivityFormat::CaseExplained
        ]
    );
    assert_eq!(a.laws, ["宪法", "民法典"]);
    assert_eq!(a.status, ActivityStatus::Planned);
    assert_eq!(a.id.len(), 36);

    let month = |db: &Db| {
        list(
            &db.conn,
            &ActivityFilter {
                from: Some("2026-12-01".into()),
                to: Some("2026-12-31".into()),
                ..Default::default()
            },
        )
        .unwrap()
    };
    assert_eq!(month(&db).len(), 1);
    let nov = list(
        &db.conn,
        &ActivityFilter {
            from: Some("2026-11-01".into()),
            to: Some("2026-11-30".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(nov.is_empty());
    let by_format = ActivityFilter {
        format: Some("以案释法".into()),
        ..Default::default()
    };
    assert_eq!(list(&db.conn, &by_format).unwrap().len(), 1);

    let mut changed = input("宪法进院坝（改）", "2026-12-03");
    changed.unit_id = Some("石院村".into());
    let b = update(&mut db, &a.id, &changed, SeriesScope::This).unwrap();
    assert_eq!(
        (b.date.as_str(), b.unit_name.as_deref()),
        ("2026-12-03", Some("石院村"))
    );
    assert_eq!(b.created_at, a.created_at);

    let moved = reschedule(&mut db, &a.id, "2026-12-04", Some("14:30"), Some("16:00")).unwrap();
    assert_eq!(
        (moved.date.as_str(), moved.start_time.as_deref()),
        ("2026-12-04", Some("14:30"))
    );
    assert_eq!(moved.title, "宪法进院坝（改）", "other fields kept");

    let cancelled = set_status(&mut db, &a.id, "cancelled", Some("下雨")).unwrap();
    assert_eq!(cancelled.status, ActivityStatus::Cancelled);
    assert!(
        set_status(&mut db, &a.id, "postponed", None).is_err(),
        "a reason is required"
    );

    delete(&mut db, &a.id, SeriesScope::This).unwrap();
    assert!(month(&db).is_empty());
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let mut db = db();
    let cases: Vec<(ActivityInput, &str)> = vec![
        (
            ActivityInput {
                title: "  ".into(),
                ..input("x", "2026-12-01")
            },
            "title",
        ),
        (input("x", "2026-02-30"), "date"),
        (
            ActivityInput {
                start_time: Some("25:00".into()),
                ..input("x", "2026-12-01")
            },
            "start_time",
        ),
        (
            ActivityInput {
                end_time: Some("08:00".into()),
                ..input("x", "2026-12-01")
            },
            "end_time",
        ),
        (
            ActivityInput {
                unit_id: Some("不存在村".into()),
                ..input("x", "2026-12-01")
            },
            "unit_id",
        ),
        (
            ActivityInput {
                formats: vec!["跳舞".into()],
                ..input("x", "2026-12-01")
            },
            "formats",
        ),
        (
            ActivityInput {
                expected_audience: Some(-5),
                ..input("x", "2026-12-01")
            },
            "expected_audience",
        ),
        (
            ActivityInput {
                campaign_ids: vec!["nope".into()],
                ..input("x", "2026-12-01")
            },
            "campaign_ids",
        ),
        (
            ActivityInput {
                nodes: vec!["nope".into()],
                ..input("x", "2026-12-01")
            },
            "nodes",
        ),
        (
            ActivityInput {
                title: "法".repeat(10_000),
                ..input("x", "2026-12-01")
            },
            "title",
        ),
    ];
    for (i, field) in cases {
        let err = create(&mut db, &i, None).unwrap_err();
        assert_eq!(err.field.as_deref(), Some(field), "{err:?}");
    }
    assert!(list(&db.conn, &ActivityFilter::default())
        .unwrap()
        .is_empty());
}

#[test]
fn recurrences_expand_and_stop() {
    let weekly = Recurrence {
        freq: RecurrenceFreq::Weekly,
        interval: None,
        until: Some("2027-01-31".into()),
        count: None,
    };
    let dates = expand(d("2027-01-05"), &weekly).unwrap();
    assert_eq!(
        dates,
        [
            d("2027-01-05"),
            d("2027-01-12"),
            d("2027-01-19"),
            d("2027-01-26")
        ]
    );

    let monthly = Recurrence {
        freq: RecurrenceFreq::MonthlyDay,
        interval: None,
        until: None,
        count: Some(4),
    };
    // The 31st: months without one are skipped.
    assert_eq!(
        expand(d("2027-01-31"), &monthly).unwrap(),
        [
            d("2027-01-31"),
            d("2027-03-31"),
            d("2027-05-31"),
            d("2027-07-31")
        ]
    );
    // 2nd Tuesday of each month, every other month.
    let nth = Recurrence {
        freq: RecurrenceFreq::MonthlyNthWeekday,
        interval: Some(2),
        until: None,
        count: Some(3),
    };
    assert_eq!(
        expand(d("2027-01-12"), &nth).unwrap(),
        [d("2027-01-12"), d("2027-03-09"), d("2027-05-11")]
    );
    // A 5th Friday becomes the last Friday in months that have four.
    let fifth = Recurrence {
        freq: RecurrenceFreq::MonthlyNthWeekday,
        interval: None,
        until: None,
        count: Some(2),
    };
    assert_eq!(
        expand(d("2027-01-29"), &fifth).unwrap(),
        [d("2027-01-29"), d("2027-02-26")]
    );

    let endless = Recurrence {
        freq: RecurrenceFreq::Weekly,
        interval: None,
        until: None,
        count: None,
    };
    assert_eq!(
        expand(d("2027-01-05"), &endless)
            .unwrap_err()
            .field
            .as_deref(),
        Some("until")
    );
    let past_2100 = Recurrence {
        freq: RecurrenceFreq::MonthlyDay,
        interval: None,
        until: None,
        count: Some(900),
    };
    let err = expand(d("2099-01-05"), &past_2100).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("count"));
    assert!(err.message.contains("2100"), "{}", err.message);
    let until_2101 = Recurrence {
        until: Some("2101-01-01".into()),
        ..weekly.clone()
    };
    assert_eq!(
        expand(d("2027-01-05"), &until_2101)
            .unwrap_err()
            .field
            .as_deref(),
        Some("until")
    );
}

#[test]
fn a_series_is_one_row_per_occurrence_with_single_edits_and_cancellations() {
    let mut db = db();
    let r = Recurrence {
        freq: RecurrenceFreq::Weekly,
        interval: None,
        until: None,
        count: Some(5),
    };
    let all = create(&mut db, &input("每周法治夜校", "2027-03-02"), Some(&r)).unwrap();
    assert_eq!(all.len(), 5);
    let series = all[0].series_id.clone().unwrap();
    assert!(all
        .iter()
        .all(|a| a.series_id.as_deref() == Some(series.as_str())));

    // Edit only the 2nd occurrence.
    let mut one = input_from(&all[1]);
    one.title = "法治夜校（改在村委会）".into();
    one.venue = Some("村委会".into());
    update(&mut db, &all[1].id, &one, SeriesScope::This).unwrap();
    // Cancel only the 3rd.
    set_status(&mut db, &all[2].id, "cancelled", Some("与集市冲突")).unwrap();
    let now = list(&db.conn, &ActivityFilter::default()).unwrap();
    assert_eq!(now[1].title, "法治夜校（改在村委会）");
    assert_eq!(now[0].title, "每周法治夜校");
    assert_eq!(now[2].status, ActivityStatus::Cancelled);
    assert_eq!(now[3].status, ActivityStatus::Planned);

    // Move the 4th and later one day on: both shift, the earlier ones stay.
    let mut later = input_from(&all[3]);
    later.date = "2027-03-24".into();
    update(&mut db, &all[3].id, &later, SeriesScope::Following).unwrap();
    let dates: Vec<String> = list(&db.conn, &ActivityFilter::default())
        .unwrap()
        .into_iter()
        .map(|a| a.date)
        .collect();
    assert_eq!(
        dates,
        [
            "2027-03-02",
            "2027-03-09",
            "2027-03-16",
            "2027-03-24",
            "2027-03-31"
        ]
    );

    let deleted = delete(&mut db, &all[3].id, SeriesScope::Following).unwrap();
    assert_eq!(deleted.len(), 2);
    assert_eq!(list(&db.conn, &ActivityFilter::default()).unwrap().len(), 3);
}

#[test]
fn the_calendar_query_reads_the_same_rows_as_the_list_from_the_index_alone() {
    let mut db = db();
    let mut a = input("宪法进院坝", "2026-12-02");
    a.start_time = None;
    a.end_time = None;
    create(&mut db, &a, None).unwrap();
    create(&mut db, &input("法治课堂", "2026-12-02"), None).unwrap();
    let mut b = input("以案释法", "2026-12-01");
    b.unit_id = Some("石院村".into());
    b.formats = vec!["集中宣传".into()];
    create(&mut db, &b, None).unwrap();
    create(&mut db, &input("下月", "2027-01-05"), None).unwrap();

    let same = |f: &ActivityFilter| {
        let full: Vec<(String, String, Option<String>, Option<String>)> = list(&db.conn, f)
            .unwrap()
            .into_iter()
            .map(|a| (a.id, a.date, a.start_time, a.unit_name))
            .collect();
        let slim: Vec<_> = calendar(&db.conn, f)
            .unwrap()
            .into_iter()
            .map(|a| (a.id, a.date, a.start_time, a.unit_name))
            .collect();
        assert_eq!(full, slim);
        slim
    };
    let december = ActivityFilter {
        from: Some("2026-12-01".into()),
        to: Some("2026-12-31".into()),
        ..Default::default()
    };
    let rows = same(&december);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].1, "2026-12-01");
    assert_eq!(rows[1].2, None, "all-day first on its day");
    let by_format = ActivityFilter {
        format: Some("集中宣传".into()),
        ..december.clone()
    };
    assert_eq!(same(&by_format).len(), 1);
    assert!(
        calendar(
            &db.conn,
            &ActivityFilter {
                from: Some("2026-13-01".into()),
                ..december
            }
        )
        .is_err(),
        "a bad date is an error, not an empty month"
    );

    let plan: String = db
        .conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT a.id, a.title, a.date, a.start_time, a.end_time, a.unit_id,
                    a.status, a.series_id FROM activity a
             WHERE a.date >= '2026-12-01' AND a.date <= '2026-12-31'",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("COVERING INDEX activity_calendar"), "{plan}");
}
