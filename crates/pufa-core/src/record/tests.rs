use super::*;
use crate::audit;
use crate::db::Db;
use crate::inventory;
use crate::inventory::{create_material, receive, MaterialInput, ReceiptInput};
use crate::reports::StatusCounts;
use crate::town::{setup, update_user, SetupInput, UserInput};

fn db() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    setup(
        &mut db,
        &SetupInput {
            town: "双龙镇".into(),
            villages: vec!["安静村\n石院村".into()],
            user: Some(UserInput {
                name: "王村干".into(),
                role: "village_cadre".into(),
                village: Some("安静村".into()),
            }),
            ..Default::default()
        },
    )
    .unwrap();
    for (name, unit, q) in [("宪法读本", "册", 100), ("宣传折页", "份", 500)] {
        create_material(
            &mut db,
            &MaterialInput {
                name: name.into(),
                unit: unit.into(),
                ..Default::default()
            },
        )
        .unwrap();
        receive(
            &mut db,
            &ReceiptInput {
                material: name.into(),
                quantity: q,
                date: "2026-11-01".into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    db
}

fn as_role(db: &mut Db, name: &str, role: &str) {
    let village = (role == "village_cadre").then(|| "安静村".to_string());
    update_user(
        db,
        &UserInput {
            name: name.into(),
            role: role.into(),
            village,
        },
    )
    .unwrap();
}

fn input() -> RecordInput {
    RecordInput {
        title: "宪法进院坝".into(),
        date: "2026-11-20".into(),
        unit_id: Some("安静村".into()),
        formats: vec!["院坝会".into()],
        participants: 45.0,
        reach: Some(60.0),
        recorder: "王村干".into(),
        materials: vec![
            MaterialLineInput {
                material_id: Some("宪法读本".into()),
                material_name: None,
                quantity: 20.0,
                unit: Some("册".into()),
            },
            MaterialLineInput {
                material_id: Some("宣传折页".into()),
                material_name: None,
                quantity: 80.0,
                unit: Some("份".into()),
            },
        ],
        ..Default::default()
    }
}

fn balance(db: &Db, name: &str) -> i64 {
    let m = inventory::resolve_material(&db.conn, name, "m").unwrap();
    m.balance
}

#[test]
fn a_cadres_record_hands_out_stock_and_waits_for_review() {
    let mut db = db();
    let r = create(&mut db, &input()).unwrap();
    assert_eq!(r.review_status, ReviewStatus::Pending);
    assert_eq!(r.reach, 60);
    assert_eq!(r.materials.len(), 2);
    assert_eq!(balance(&db, "宪法读本"), 80);
    assert_eq!(balance(&db, "宣传折页"), 420);
    // A cadre cannot approve.
    assert_eq!(
        review(&mut db, &r.id, ReviewAction::Approve, None)
            .unwrap_err()
            .code,
        ErrorCode::Forbidden
    );
    as_role(&mut db, "李明", "coordinator");
    let returned = review(&mut db, &r.id, ReviewAction::Return, Some("请补充照片")).unwrap();
    assert_eq!(returned.review_status, ReviewStatus::Returned);
    as_role(&mut db, "王村干", "village_cadre");
    let mut fixed = input();
    fixed.materials.pop();
    let resubmitted = update(&mut db, &r.id, &fixed).unwrap();
    assert_eq!(
        resubmitted.review_status,
        ReviewStatus::Pending,
        "a fix resubmits"
    );
    assert_eq!(
        balance(&db, "宣传折页"),
        500,
        "the removed line went back to stock"
    );
    as_role(&mut db, "李明", "coordinator");
    let approved = review(&mut db, &r.id, ReviewAction::Approve, None).unwrap();
    assert_eq!(approved.review_status, ReviewStatus::Approved);
    assert_eq!(approved.reviewed_by.as_deref(), Some("李明"));
    // Approved records are locked until re-opened, with a reason.
    assert_eq!(
        update(&mut db, &r.id, &input()).unwrap_err().code,
        ErrorCode::Locked
    );
    assert_eq!(delete(&mut db, &r.id).unwrap_err().code, ErrorCode::Locked);
    assert_eq!(
        review(&mut db, &r.id, ReviewAction::Reopen, None)
            .unwrap_err()
            .field
            .as_deref(),
        Some("review_comment")
    );
    let reopened = review(&mut db, &r.id, ReviewAction::Reopen, Some("人数有误")).unwrap();
    assert_eq!(reopened.review_status, ReviewStatus::Pending);
    // The history shows every step.
    let trail = audit::list(
        &db.conn,
        &audit::AuditFilter {
            entity: Some("record".into()),
            entity_id: Some(r.id.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let actions: Vec<&str> = trail.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["create", "return", "update", "submit", "approve", "reopen"]
    );
}

#[test]
fn every_review_transition_and_every_forbidden_one() {
    use ReviewAction::*;
    use ReviewStatus::*;
    let allowed = [
        (Pending, Approve, Approved),
        (Pending, Return, Returned),
        (Approved, Reopen, Pending),
        (Returned, Submit, Pending),
    ];
    for from in [Pending, Returned, Approved] {
        for action in [Approve, Return, Reopen, Submit] {
            let mut db = db();
            let r = create(&mut db, &input()).unwrap();
            as_role(&mut db, "李明", "coordinator");
            // Bring the record into `from`.
            match from {
                Pending => {}
                Returned => {
                    review(&mut db, &r.id, Return, Some("改")).unwrap();
                }
                Approved => {
                    review(&mut db, &r.id, Approve, None).unwrap();
                }
            }
            let result = review(&mut db, &r.id, action, Some("意见"));
            match allowed.iter().find(|(f, a, _)| *f == from && *a == action) {
                Some((_, _, to)) => {
                    assert_eq!(result.unwrap().review_status, *to, "{from:?} {action:?}")
                }
                None => {
                    let e = result.unwrap_err();
                    assert_eq!(
                        e.field.as_deref(),
                        Some("review_status"),
                        "{from:?} {action:?}"
                    );
                    assert_eq!(
                        get(&db.conn, &r.id).unwrap().review_status,
                        from,
                        "unchanged"
                    );
                }
            }
        }
    }
}

#[test]
fn the_coordinators_own_records_are_approved_directly() {
    let mut db = db();
    as_role(&mut db, "李明", "coordinator");
    let r = create(
        &mut db,
        &RecordInput {
            recorder: "李明".into(),
            ..input()
        },
    )
    .unwrap();
    assert_eq!(r.review_status, ReviewStatus::Approved);
}

#[test]
fn bad_records_are_refused_and_stock_is_unchanged() {
    let mut db = db();
    let future = (chrono::Local::now().date_naive() + chrono::Duration::days(3)).to_string();
    let line = |m: &str, q: f64, u: Option<&str>| MaterialLineInput {
        material_id: Some(m.into()),
        material_name: None,
        quantity: q,
        unit: u.map(str::to_string),
    };
    let cases: Vec<(RecordInput, &str)> = vec![
        (
            RecordInput {
                participants: -3.0,
                ..input()
            },
            "participants",
        ),
        (
            RecordInput {
                participants: 12.5,
                ..input()
            },
            "participants",
        ),
        (
            RecordInput {
                participants: 2_000_000.0,
                ..input()
            },
            "participants",
        ),
        (
            RecordInput {
                counts: crate::record::RecordCountsInput {
                    consultations: Some(-1.0),
                    ..Default::default()
                },
                ..input()
            },
            "consultations",
        ),
        (
            RecordInput {
                date: future,
                ..input()
            },
            "date",
        ),
        (
            RecordInput {
                unit_id: None,
                ..input()
            },
            "unit_id",
        ),
        (
            RecordInput {
                formats: vec![],
                ..input()
            },
            "formats",
        ),
        (
            RecordInput {
                recorder: " ".into(),
                ..input()
            },
            "recorder",
        ),
        (
            RecordInput {
                narrative: Some("字".repeat(301)),
                ..input()
            },
            "narrative",
        ),
        (
            RecordInput {
                materials: vec![line("不存在的资料", 5.0, Some("册"))],
                ..input()
            },
            "materials",
        ),
        (
            RecordInput {
                materials: vec![line("宪法读本", 5.0, None)],
                ..input()
            },
            "materials",
        ),
        (
            RecordInput {
                materials: vec![line("宪法读本", 5.0, Some("份"))],
                ..input()
            },
            "materials",
        ),
        (
            RecordInput {
                materials: vec![line("宪法读本", 2.5, Some("册"))],
                ..input()
            },
            "materials",
        ),
        (
            RecordInput {
                materials: vec![line("宪法读本", 101.0, Some("册"))],
                ..input()
            },
            "materials",
        ),
    ];
    for (i, field) in cases {
        let err = create(&mut db, &i).unwrap_err();
        assert_eq!(err.field.as_deref(), Some(field), "{err:?}");
    }
    assert!(list(&db.conn, &RecordFilter::default()).unwrap().is_empty());
    assert_eq!(balance(&db, "宪法读本"), 100);
    // Overdraw with confirmation: saved and flagged.
    let over = RecordInput {
        materials: vec![line("宪法读本", 101.0, Some("册"))],
        confirm_below_zero: true,
        ..input()
    };
    create(&mut db, &over).unwrap();
    assert_eq!(balance(&db, "宪法读本"), -1);
}

#[test]
fn a_record_from_a_planned_activity_marks_it_held() {
    let mut db = db();
    let planned = crate::activity::create(
        &mut db,
        &crate::activity::ActivityInput {
            title: "民法典讲座".into(),
            date: "2026-11-10".into(),
            unit_id: Some("石院村".into()),
            formats: vec!["lecture".into()],
            expected_audience: Some(50),
            ..Default::default()
        },
        None,
    )
    .unwrap()
    .remove(0);
    let pre = prefill(&db.conn, &planned.id).unwrap();
    assert_eq!((pre.title.as_str(), pre.participants), ("民法典讲座", 50));
    let r = create(
        &mut db,
        &RecordInput {
            activity_id: Some(planned.id.clone()),
            unit_id: Some("石院村".into()),
            materials: vec![],
            ..input()
        },
    )
    .unwrap();
    assert_eq!(r.activity_id.as_deref(), Some(planned.id.as_str()));
    assert_eq!(
        crate::activity::get(&db.conn, &planned.id).unwrap().status,
        crate::domain::ActivityStatus::Held
    );
}

#[test]
fn records_lock_after_the_campaigns_reporting_deadline() {
    let mut db = db();
    let c = crate::campaign::create(
        &mut db,
        &crate::campaign::CampaignInput {
            name: "宪法周".into(),
            kind: "national".into(),
            start_date: "2026-11-01".into(),
            end_date: "2026-11-30".into(),
            ..Default::default()
        },
    )
    .unwrap();
    db.conn
        .execute(
            "UPDATE campaign SET report_deadline = '2026-01-01' WHERE id = ?1",
            [&c.id],
        )
        .unwrap();
    let err = create(
        &mut db,
        &RecordInput {
            campaign_ids: vec![c.id.clone()],
            ..input()
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Locked);
    assert!(err.message.contains("报送截止日期"), "{}", err.message);
}

#[test]
fn the_ledger_pages_through_every_record_once_newest_first_with_the_totals_of_all() {
    let mut db = Db::open_in_memory().unwrap();
    crate::demo::load_town(&mut db, 4, 2026);
    for f in [
        RecordFilter::default(),
        RecordFilter {
            from: Some("2026-03-01".into()),
            to: Some("2026-09-30".into()),
            review_status: Some("approved".into()),
            ..Default::default()
        },
        RecordFilter {
            search: Some("村".into()),
            ..Default::default()
        },
    ] {
        let all = list(&db.conn, &f).unwrap();
        assert!(all.len() > 7, "{f:?} selects a few records");
        let mut seen = Vec::new();
        let mut offset = 0;
        loop {
            let p = page(
                &db.conn,
                &f,
                &PageRequest {
                    offset,
                    limit: 7,
                    with_totals: offset == 0,
                    oldest_first: false,
                },
            )
            .unwrap();
            if offset > 0 {
                assert!(p.totals.is_none(), "totals only when asked");
                if p.rows.is_empty() {
                    break;
                }
                assert!(p.rows.len() <= 7);
                seen.extend(p.rows);
                offset += 7;
                continue;
            }
            let totals = p.totals.clone().unwrap();
            assert_eq!(totals.count, all.len() as i64);
            assert_eq!(
                totals.reach,
                all.iter().map(|r| r.reach).sum::<i64>(),
                "the totals are of every record, not the page"
            );
            assert_eq!(
                totals.pending + totals.returned + totals.approved,
                totals.count
            );
            let units: std::collections::HashSet<_> = all.iter().map(|r| &r.unit_id).collect();
            assert_eq!(totals.units, units.len() as i64);
            if p.rows.is_empty() {
                break;
            }
            assert!(p.rows.len() <= 7);
            seen.extend(p.rows);
            offset += 7;
        }
        assert!(
            seen.windows(2).all(|w| w[0].date >= w[1].date),
            "newest first"
        );
        let mut ids: Vec<_> = seen.iter().map(|r| r.id.clone()).collect();
        let mut want: Vec<_> = all.iter().map(|r| r.id.clone()).collect();
        ids.sort();
        want.sort();
        assert_eq!(ids, want, "every record exactly once");
    }
    // The 审核 tabs' counts.
    let all = list(&db.conn, &RecordFilter::default()).unwrap();
    let count = |s: ReviewStatus, unit: Option<&str>| {
        all.iter()
            .filter(|r| r.review_status == s && (unit.is_none() || r.unit_id.as_deref() == unit))
            .count() as i64
    };
    let village = all[0].unit_id.clone();
    for unit in [None, village.as_deref()] {
        assert_eq!(
            status_counts(&db.conn, unit).unwrap(),
            StatusCounts {
                pending: count(ReviewStatus::Pending, unit),
                returned: count(ReviewStatus::Returned, unit),
                approved: count(ReviewStatus::Approved, unit),
            }
        );
    }
    // The review queue: oldest first.
    let first = page(
        &db.conn,
        &RecordFilter::default(),
        &PageRequest {
            limit: 3,
            oldest_first: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(first.rows[0].id, all[0].id, "the oldest record first");
    assert!(first.rows.windows(2).all(|w| w[0].date <= w[1].date));
    let too_many = PageRequest {
        limit: MAX_PAGE + 1,
        ..Default::default()
    };
    let err = page(&db.conn, &RecordFilter::default(), &too_many).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("limit"));
    let err = page(
        &db.conn,
        &RecordFilter {
            from: Some("2026-05-01".into()),
            to: Some("2026-04-01".into()),
            ..Default::default()
        },
        &PageRequest {
            limit: 50,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("end_date"));
}

#[test]
fn reading_ahead_gives_the_same_records_and_stops_with_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_dir(dir.path()).unwrap();
    crate::demo::load(
        &mut db,
        &crate::demo::DemoInput {
            seed: Some(6),
            year: Some(2025),
            scale: Some(crate::demo::ScaleInput {
                activities: 5_000,
                towns: 1,
                years: 1,
            }),
        },
    )
    .unwrap();
    let f = RecordFilter::default();
    let want: Vec<String> = list(&db.conn, &f)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert!(
        want.len() > 2_000,
        "more records than the read-ahead holds (6 batches)"
    );
    let mut got = Vec::new();
    for_each_read_ahead(
        &db.conn,
        &f,
        select(),
        |row| from_row(row).map(|r| r.map(|r| r.id)),
        |id| {
            got.push(id?);
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(got, want, "the same records in the same order");

    // The writer fails after 3 records: the error comes back and nothing hangs.
    let mut n = 0;
    let err = for_each_read_ahead(&db.conn, &f, select(), from_row, |_| {
        n += 1;
        if n == 3 {
            return Err(AppError::new(ErrorCode::Io, "磁盘已满"));
        }
        Ok(())
    })
    .unwrap_err();
    assert_eq!((n, err.message.as_str()), (3, "磁盘已满"));

    // A bad filter is refused before anything is read.
    let bad = RecordFilter {
        from: Some("2026-13-01".into()),
        ..Default::default()
    };
    let err = for_each_read_ahead(&db.conn, &bad, select(), from_row, |_| Ok(())).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("start_date"));
}

fn with_volunteers(n: f64) -> RecordInput {
    RecordInput {
        counts: RecordCountsInput {
            volunteers: Some(n),
            ..Default::default()
        },
        ..input()
    }
}

#[test]
fn volunteers_are_saved_read_back_and_checked_like_every_count() {
    let mut db = db();
    let r = create(&mut db, &with_volunteers(12.0)).unwrap();
    assert_eq!(r.counts.volunteers, 12);
    assert_eq!(get(&db.conn, &r.id).unwrap().counts.volunteers, 12);
    // The JSON the UI and the CLI see has the field flat, as every other count.
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["volunteers"], 12);
    // An edit writes it (the UPDATE's column list comes from the field table).
    let r = update(&mut db, &r.id, &with_volunteers(3.0)).unwrap();
    assert_eq!(r.counts.volunteers, 3);
    // Absent is 0.
    assert_eq!(create(&mut db, &input()).unwrap().counts.volunteers, 0);
    for (bad, says) in [(-1.0, "不能为负数"), (2.5, "应为整数"), (2e6, "过大")] {
        let e = create(&mut db, &with_volunteers(bad)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("volunteers"), "{bad}");
        assert!(
            e.message.contains("志愿者人次") && e.message.contains(says),
            "{}",
            e.message
        );
    }
    // A JSON input (the CLI's and the window's) names it like the column.
    let input: RecordInput = serde_json::from_value(serde_json::json!({
        "title": "法律明白人宣讲", "date": "2026-11-21", "unit_id": "安静村",
        "formats": ["院坝会"], "participants": 30, "recorder": "王村干", "volunteers": 4
    }))
    .unwrap();
    assert_eq!(create(&mut db, &input).unwrap().counts.volunteers, 4);
}

#[test]
fn a_stored_row_of_version_13_without_volunteers_passes_the_stored_check() {
    let mut db = db();
    let r = create(&mut db, &with_volunteers(0.0)).unwrap();
    let mut row = crate::stored::read_row(&db.conn, "record", &r.id)
        .unwrap()
        .unwrap();
    check_stored(&db.conn, &crate::stored::Stored(&row)).unwrap();
    row.remove("volunteers");
    check_stored(&db.conn, &crate::stored::Stored(&row)).unwrap();
    // Present, it is checked like the other counts.
    row.insert("volunteers".into(), serde_json::json!(-2));
    let e = check_stored(&db.conn, &crate::stored::Stored(&row)).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("volunteers"));
}

#[test]
fn an_unreadable_json_column_is_an_error_naming_the_record_not_a_default() {
    let mut db = db();
    let r = create(&mut db, &input()).unwrap();
    db.conn
        .execute(
            "UPDATE record SET speakers = '[{\"name\":\"王律师\",\"role\":\"astronaut\"}]' WHERE id = ?1",
            [&r.id],
        )
        .unwrap();
    let e = get(&db.conn, &r.id).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("speakers"));
    assert!(
        e.message.contains("宪法进院坝") && e.message.contains(&r.id[..8]),
        "{}",
        e.message
    );
    // A list fails the same way, not with a record missing its speakers.
    assert!(list(&db.conn, &RecordFilter::default()).is_err());
}

#[test]
fn an_unknown_stored_review_status_is_an_error_naming_the_record() {
    let e = ReviewStatus::parse_stored("archived", "“宪法进院坝”（r1）").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("review_status"));
    assert!(e.message.contains("宪法进院坝") && e.message.contains("archived"));
    assert_eq!(
        ReviewStatus::parse_stored("returned", "x").unwrap(),
        ReviewStatus::Returned
    );
}

#[test]
fn the_summary_counts_volunteers_on_the_same_basis_as_every_other_number() {
    let mut db = db();
    // A cadre's records wait for review; the coordinator approves one of them.
    let a = create(&mut db, &with_volunteers(5.0)).unwrap();
    create(&mut db, &with_volunteers(7.0)).unwrap();
    as_role(&mut db, "李协调", "coordinator");
    review(&mut db, &a.id, ReviewAction::Approve, None).unwrap();
    let year = |basis: Option<crate::reports::Basis>| crate::reports::SummaryFilter {
        from: "2026-01-01".into(),
        to: "2026-12-31".into(),
        basis,
        ..Default::default()
    };
    let approved = crate::reports::summary(&db.conn, &year(None)).unwrap();
    assert_eq!((approved.activities, approved.counts.volunteers), (1, 5));
    let both =
        crate::reports::summary(&db.conn, &year(Some(crate::reports::Basis::WithPending))).unwrap();
    assert_eq!((both.activities, both.counts.volunteers), (2, 12));
    // Part of a month (read from the records) and whole months (the tallies) agree.
    let part = crate::reports::summary(
        &db.conn,
        &crate::reports::SummaryFilter {
            from: "2026-11-15".into(),
            to: "2026-11-25".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(part.counts.volunteers, 5);
    // The 台账 screen's totals hold it too.
    let page = page(
        &db.conn,
        &RecordFilter {
            review_status: Some("all".into()),
            ..Default::default()
        },
        &PageRequest {
            limit: 10,
            with_totals: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.totals.unwrap().counts.volunteers, 12);
}

#[test]
fn a_cadres_own_records_are_those_he_entered_and_the_summary_refuses_to_pretend() {
    let mut db = Db::open_in_memory().unwrap();
    crate::demo::load_town(&mut db, 4, 2026);
    // The demo's records are all the coordinator's: a third of them a cadre's instead.
    db.conn
        .execute(
            "UPDATE record SET recorder = '王小芳' WHERE rowid % 3 = 0",
            [],
        )
        .unwrap();
    let all = list(&db.conn, &RecordFilter::default()).unwrap();
    let mut recorders: Vec<&str> = all.iter().map(|r| r.recorder.as_str()).collect();
    recorders.sort();
    recorders.dedup();
    assert!(
        recorders.len() > 1,
        "the demo has several recorders: {recorders:?}"
    );
    let who = recorders[0];
    let mine = RecordFilter {
        recorder: Some(format!(" {who} ")),
        ..Default::default()
    };
    let listed = list(&db.conn, &mine).unwrap();
    let expected = all.iter().filter(|r| r.recorder == who).count();
    assert!(expected > 0 && expected < all.len());
    assert_eq!(listed.len(), expected);
    assert!(listed.iter().all(|r| r.recorder == who));
    let p = page(
        &db.conn,
        &mine,
        &PageRequest {
            offset: 0,
            limit: 500,
            with_totals: true,
            oldest_first: false,
        },
    )
    .unwrap();
    assert_eq!(p.totals.unwrap().count, expected as i64);
    // Blank is no filter.
    let blank = RecordFilter {
        recorder: Some("  ".into()),
        ..Default::default()
    };
    assert_eq!(list(&db.conn, &blank).unwrap().len(), all.len());
    // Outputs (workbook, report) sum the whole village: not one person's records.
    let err = mine.summary_filter().unwrap_err();
    assert_eq!(err.field.as_deref(), Some("recorder"));
}
