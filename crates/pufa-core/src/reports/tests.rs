use super::*;
use crate::db::Db;
use crate::demo::{load, DemoInput};
use crate::testing::assert_tallies_fresh;
use proptest::prelude::*;
use rusqlite::{params, Connection};

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

// ---------------------------------------------------------------------------------------------
// The reference: the dashboard as it was first written, one SQL query per number.

fn breakdown(
    conn: &Connection,
    s: &Scope,
    key_sql: &str,
    label: impl Fn(&str) -> String,
) -> Result<Vec<Breakdown>> {
    let sql = format!(
        "{}
         SELECT k, count(*), sum(participants), sum(reach) FROM ({key_sql})
         GROUP BY k ORDER BY count(*) DESC, k",
        counted_cte(s.basis)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(&s.params()[..], |r| {
        Ok((
            r.get::<_, Option<String>>(0)?.unwrap_or_default(),
            r.get::<_, i64>(1)?,
            r.get::<_, Option<i64>>(2)?.unwrap_or(0),
            r.get::<_, Option<i64>>(3)?.unwrap_or(0),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (key, activities, participants, reach) = row?;
        out.push(Breakdown {
            label: label(&key),
            key,
            activities,
            participants,
            reach,
        });
    }
    Ok(out)
}

/// The dashboard as one plain SQL query per number, every record read: what the tallies and
/// the edge scans of `summary` must give.
fn reference_summary(conn: &Connection, f: &SummaryFilter) -> Result<Summary> {
    let s = scope(conn, f)?;
    let cte = counted_cte(s.basis);
    let p = &s.params()[..];
    let returned: i64 = conn.query_row(
        &format!("{cte} SELECT count(*) FROM counted WHERE review_status = 'returned'"),
        p,
        |r| r.get(0),
    )?;
    let totals: Vec<i64> = conn.query_row(
        &format!(
            "{cte}
             SELECT count(*), coalesce(sum(review_status = 'pending'), 0),
                    coalesce(sum(participants), 0), coalesce(sum(reach), 0), {}
             FROM counted",
            crate::record::COUNTS
                .iter()
                .map(|c| format!("coalesce(sum({}), 0)", c.column))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        p,
        |r| (0..4 + crate::record::N_COUNTS).map(|i| r.get(i)).collect(),
    )?;
    let mut stmt = conn.prepare_cached(&format!(
        "{cte}
         SELECT m.category, m.name, m.unit, sum(s.quantity) FROM stock_movement s
         JOIN counted ON counted.id = s.record_id JOIN material m ON m.id = s.material_id
         WHERE s.kind = 'handout' GROUP BY m.id ORDER BY m.category, m.name"
    ))?;
    let materials = stmt
        .query_map(p, |r| {
            Ok((
                r.get::<_, String>(0)?,
                MaterialTotal {
                    name: r.get(1)?,
                    unit: r.get(2)?,
                    quantity: r.get(3)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let statuses = status_counts(conn, &s)?;
    let (planned, planned_held): (i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(a.status = 'held'), 0) FROM activity a
         WHERE a.date >= ?1 AND a.date <= ?2 AND a.status <> 'cancelled'
           AND (?3 IS NULL OR a.unit_id = ?3)
           AND (?4 IS NULL OR EXISTS (SELECT 1 FROM activity_campaign c
                                      WHERE c.activity_id = a.id AND c.campaign_id = ?4))",
        params![s.from, s.to, s.unit, s.campaign],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;

    let campaigns = names(conn, "SELECT id, name FROM campaign")?;
    let units = names(conn, "SELECT id, name FROM unit")?;
    let mut nodes: std::collections::HashMap<String, String> = crate::keydates::national_nodes()
        .iter()
        .map(|n| (n.code.clone(), n.name.clone()))
        .collect();
    nodes.extend(names(conn, "SELECT id, name FROM keydate_node")?);
    let same = |k: &str| k.to_string();
    let month_label = |k: &str| {
        let (y, m) = k.split_once('-').unwrap_or((k, ""));
        format!("{y}年{}月", m.trim_start_matches('0'))
    };
    let json_key = |column: &str| {
        format!("SELECT j.value AS k, counted.* FROM counted, json_each(counted.{column}) j")
    };
    let audience_label = |k: &str| {
        crate::domain::Audience::parse("a", k)
            .map(|a| a.label().to_string())
            .unwrap_or(k.into())
    };
    let format_label = |k: &str| {
        crate::domain::ActivityFormat::parse("f", k)
            .map(|a| a.label().to_string())
            .unwrap_or(k.into())
    };
    let village_level = names(
        conn,
        "SELECT id, name FROM unit WHERE kind IN ('village', 'community') AND archived = 0",
    )?;
    let by_village = breakdown(conn, &s, "SELECT unit_id AS k, * FROM counted", |k| {
        units.get(k).cloned().unwrap_or_else(|| k.to_string())
    })?;
    let mut villages_without: Vec<(i64, String)> = Vec::new();
    let mut villages_in_review: Vec<(i64, VillageInReview)> = Vec::new();
    if s.unit.is_none() {
        let order = names(conn, "SELECT id, printf('%08d', sort_order) FROM unit")?;
        for (id, name) in &village_level {
            if !by_village.iter().any(|b| &b.key == id) {
                let o = order.get(id).and_then(|o| o.parse().ok()).unwrap_or(0);
                let (pending, returned): (i64, i64) = conn.query_row(
                    &format!(
                        "SELECT coalesce(sum(review_status = 'pending'), 0),
                                coalesce(sum(review_status = 'returned'), 0)
                         FROM record r WHERE {} AND r.unit_id = ?6",
                        in_scope()
                    ),
                    params![s.from, s.to, s.unit, s.campaign, s.search, id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                let approved_elsewhere: i64 = conn.query_row(
                    &format!(
                        "SELECT count(*) FROM record r WHERE {} AND r.unit_id = ?6
                           AND r.review_status = 'approved'",
                        in_scope()
                    ),
                    params![s.from, s.to, s.unit, s.campaign, s.search, id],
                    |r| r.get(0),
                )?;
                if pending + returned + approved_elsewhere == 0 {
                    villages_without.push((o, name.clone()));
                } else {
                    villages_in_review.push((
                        o,
                        VillageInReview {
                            name: name.clone(),
                            pending,
                            returned,
                        },
                    ));
                }
            }
        }
        villages_without.sort();
        villages_in_review.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    }
    let mut summary = Summary {
        from: s.from.clone(),
        to: s.to.clone(),
        include_pending: s.basis.takes("pending"),
        basis: s.basis,
        basis_line: basis::statement(s.basis, &statuses),
        statuses,
        activities: totals[0],
        pending: totals[1],
        returned,
        participants: totals[2],
        reach: totals[3],
        counts: crate::record::RecordCounts::from_values(
            totals[4..].try_into().expect("one total a count"),
        ),
        material_units: unit_totals(&materials),
        materials: materials.into_iter().map(|(_, m)| m).collect(),
        planned,
        planned_held,
        by_month: {
            let mut m = breakdown(
                conn,
                &s,
                "SELECT substr(date, 1, 7) AS k, * FROM counted",
                month_label,
            )?;
            m.sort_by(|a, b| a.key.cmp(&b.key));
            m
        },
        by_campaign: breakdown(
            conn,
            &s,
            "SELECT c.campaign_id AS k, counted.* FROM counted
             JOIN record_campaign c ON c.record_id = counted.id",
            |k| campaigns.get(k).cloned().unwrap_or_else(|| k.to_string()),
        )?,
        by_node: breakdown(conn, &s, &json_key("nodes"), |k| {
            nodes.get(k).cloned().unwrap_or_else(|| k.to_string())
        })?,
        by_village,
        by_audience: breakdown(conn, &s, &json_key("audiences"), audience_label)?,
        by_format: breakdown(conn, &s, &json_key("formats"), format_label)?,
        by_law: breakdown(conn, &s, &json_key("laws"), same)?,
        villages_without: villages_without.into_iter().map(|(_, n)| n).collect(),
        villages_in_review: villages_in_review.into_iter().map(|(_, v)| v).collect(),
        headline: String::new(),
    };
    summary.headline = headline(&summary);
    Ok(summary)
}

// ---------------------------------------------------------------------------------------------
// The tallies against the reference.

/// The records by 专项 key from the tallies equal those counted record by record.
fn assert_topics_as_counted(conn: &Connection, after: &str) {
    let f = year(|f| f.include_pending = true);
    let (_, fast) = summary_with_topics(conn, &f).unwrap();
    let s = scope(conn, &f).unwrap();
    let mut acc = Acc::default();
    acc.scan(conn, &s, &s.from, &s.to).unwrap();
    assert_eq!(
        fast,
        acc.by_topic.breakdown(str::to_string),
        "after {after}"
    );
    assert!(
        fast.iter().any(|t| !t.key.starts_with('|')),
        "records with a campaign"
    );
}

fn assert_same_as_reference(conn: &Connection, f: &SummaryFilter) {
    let fast = summary(conn, f).unwrap();
    let slow = reference_summary(conn, f).unwrap();
    assert_eq!(fast, slow, "{f:?}");
}

/// Filters over a year cut at odd days, whole months, a village, a campaign, with pending.
fn sample_filters(conn: &Connection) -> Vec<SummaryFilter> {
    let village: String = conn
        .query_row(
            "SELECT unit_id FROM record WHERE unit_id IS NOT NULL GROUP BY unit_id
             ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let campaign: String = conn
        .query_row(
            "SELECT campaign_id FROM record_campaign GROUP BY campaign_id
             ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut out = Vec::new();
    for (from, to) in [
        ("2026-01-01", "2026-12-31"),
        ("2026-03-17", "2026-11-04"),
        ("2026-05-01", "2026-05-31"),
        ("2026-05-02", "2026-05-30"),
        ("2025-12-31", "2026-01-01"),
    ] {
        for pending in [false, true] {
            let base = SummaryFilter {
                from: from.into(),
                to: to.into(),
                include_pending: pending,
                ..Default::default()
            };
            out.push(base.clone());
            out.push(SummaryFilter {
                village: Some(village.clone()),
                ..base.clone()
            });
            out.push(SummaryFilter {
                campaign_id: Some(campaign.clone()),
                ..base
            });
        }
    }
    out
}

#[test]
fn the_dashboard_equals_one_query_per_number_on_the_demo_town() {
    let db = demo();
    assert_tallies_fresh(&db.conn, "loading the demo");
    assert_topics_as_counted(&db.conn, "loading the demo");
    for f in sample_filters(&db.conn) {
        assert_same_as_reference(&db.conn, &f);
    }
}

#[test]
fn the_tallies_follow_every_kind_of_write() {
    use crate::record::{self, ReviewAction};
    let mut db = demo();
    let conn_check = |db: &Db, after: &str| {
        assert_tallies_fresh(&db.conn, after);
        assert_topics_as_counted(&db.conn, after);
        for f in sample_filters(&db.conn) {
            assert_same_as_reference(&db.conn, &f);
        }
    };
    let ids: Vec<(String, String)> = db
        .conn
        .prepare(
            "SELECT r.id, r.review_status FROM record r
             WHERE EXISTS (SELECT 1 FROM stock_movement s WHERE s.record_id = r.id)
               AND EXISTS (SELECT 1 FROM record_campaign c WHERE c.record_id = r.id)
             ORDER BY r.date LIMIT 40",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(
        ids.len() >= 4,
        "the demo has records with materials and campaigns"
    );
    let other_unit: String = db
        .conn
        .query_row(
            "SELECT id FROM unit WHERE kind = 'village' ORDER BY sort_order DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();

    // An edit moving a record to another month and village, with other formats, laws and
    // numbers, one material line fewer and no campaign.
    let (id, status) = &ids[0];
    if status == "approved" {
        record::review(&mut db, id, ReviewAction::Reopen, Some("改日期")).unwrap();
    }
    let r = record::get(&db.conn, id).unwrap();
    let mut input: serde_json::Value = serde_json::to_value(&r).unwrap();
    input["date"] = "2026-08-19".into();
    input["unit_id"] = other_unit.clone().into();
    input["formats"] = serde_json::json!(["quiz"]);
    input["laws"] = serde_json::json!(["宪法", "民法典", "反电信网络诈骗法"]);
    input["participants"] = 321.into();
    input["reach"] = 654.into();
    input["consultations"] = 7.into();
    input["campaign_ids"] = serde_json::json!([]);
    input["materials"].as_array_mut().unwrap().truncate(1);
    let input: record::RecordInput = serde_json::from_value(input).unwrap();
    record::update(&mut db, id, &input).unwrap();
    conn_check(&db, "editing a record");
    let (_, topics) = summary_with_topics(&db.conn, &year(|f| f.include_pending = true)).unwrap();
    assert!(
        topics.iter().any(|t| t.key.starts_with('|')),
        "the edited record has no campaign now"
    );
    record::review(&mut db, id, ReviewAction::Approve, None).unwrap();
    conn_check(&db, "approving it");

    // Review transitions of another record.
    let (id, status) = &ids[1];
    if status == "approved" {
        record::review(&mut db, id, ReviewAction::Reopen, Some("复核")).unwrap();
        conn_check(&db, "reopening a record");
    }
    record::review(&mut db, id, ReviewAction::Return, Some("补充照片")).unwrap();
    conn_check(&db, "returning it");

    // Deleting a record (its links and hand-outs go with it by cascade).
    let (id, status) = &ids[2];
    if status == "approved" {
        record::review(&mut db, id, ReviewAction::Reopen, Some("删除重录")).unwrap();
    }
    record::delete(&mut db, id).unwrap();
    conn_check(&db, "deleting a record");

    // Deleting a campaign unlinks its records.
    let campaign: String = db
        .conn
        .query_row(
            "SELECT campaign_id FROM record_campaign WHERE record_id = ?1",
            [&ids[3].0],
            |r| r.get(0),
        )
        .unwrap();
    db.conn
        .execute("DELETE FROM campaign WHERE id = ?1", [&campaign])
        .unwrap();
    conn_check(&db, "deleting a campaign");

    // Planned activities: a status change, a move, a delete.
    let activity: String = db
        .conn
        .query_row(
            "SELECT id FROM activity WHERE status = 'planned' ORDER BY date LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    crate::activity::set_status(&mut db, &activity, "cancelled", Some("下雨")).unwrap();
    conn_check(&db, "cancelling a planned activity");
    db.conn
        .execute(
            "UPDATE activity SET date = '2026-02-03', unit_id = ?2 WHERE id = ?1",
            params![activity, other_unit],
        )
        .unwrap();
    conn_check(&db, "moving an activity");
    crate::activity::delete(&mut db, &activity, crate::activity::SeriesScope::This).unwrap();
    conn_check(&db, "deleting an activity");
}

#[test]
fn an_older_database_gets_its_tallies_when_it_opens() {
    // The demo town written without the tallies' triggers, as a database from before 0009.
    let mut db = demo();
    db.conn
        .execute_batch(
            "DROP TABLE record_tally; DROP TABLE activity_tally; PRAGMA user_version = 8;",
        )
        .unwrap();
    tally::suspend(&db.conn).unwrap();
    let f = year(|_| {});
    let before = reference_summary(&db.conn, &f).unwrap();
    crate::db::migrate(&mut db.conn).unwrap();
    assert_eq!(db.schema_version().unwrap(), crate::db::SCHEMA_VERSION);
    assert_eq!(summary(&db.conn, &f).unwrap(), before);
    assert_tallies_fresh(&db.conn, "migrating");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    /// Any period and scope: the dashboard equals the reference, number for number.
    #[test]
    fn random_scopes_equal_the_reference(
        start in 0i64..500, len in 0i64..400, scope in 0usize..3, pick in 0usize..50, pending: bool,
    ) {
        let db = DEMO.with(|d| d.clone());
        let conn = Connection::open(&db).unwrap();
        let from = chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap() + chrono::Duration::days(start);
        let to = from + chrono::Duration::days(len);
        let pick_one = |sql: &str| -> Option<String> {
            let all: Vec<String> = conn.prepare(sql).unwrap()
                .query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap();
            (!all.is_empty()).then(|| all[pick % all.len()].clone())
        };
        let f = SummaryFilter {
            from: from.to_string(),
            to: to.to_string(),
            village: (scope == 1).then(|| pick_one("SELECT id FROM unit ORDER BY sort_order")).flatten(),
            campaign_id: (scope == 2).then(|| pick_one("SELECT id FROM campaign ORDER BY start_date")).flatten(),
            include_pending: pending,
            basis: None,
            search: None,
        };
        prop_assert_eq!(summary(&conn, &f).unwrap(), reference_summary(&conn, &f).unwrap());
    }
}

/// A town with a coordinator (whose records are approved as they are saved) and records
/// naming these nodes, one record per list, in 安静村; the last one left pending in 石院村.
fn with_nodes(lists: &[&[&str]]) -> Db {
    let mut db = crate::testing::town(&["安静村", "石院村", "长安村"], &[]);
    crate::town::update_user(
        &mut db,
        &crate::town::UserInput {
            name: "李明".into(),
            role: "coordinator".into(),
            village: None,
        },
    )
    .unwrap();
    for (i, nodes) in lists.iter().enumerate() {
        crate::record::create(
            &mut db,
            &crate::record::RecordInput {
                title: format!("活动{i}"),
                date: "2026-12-04".into(),
                unit_id: Some("安静村".into()),
                formats: vec!["集中宣传".into()],
                nodes: nodes.iter().map(|n| n.to_string()).collect(),
                participants: 10.0,
                recorder: "李明".into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let pending = crate::record::create(
        &mut db,
        &crate::record::RecordInput {
            title: "待审核的活动".into(),
            date: "2026-12-05".into(),
            unit_id: Some("石院村".into()),
            formats: vec!["集中宣传".into()],
            nodes: vec!["constitution_day".into()],
            participants: 10.0,
            recorder: "李明".into(),
            ..Default::default()
        },
    )
    .unwrap();
    crate::record::review(
        &mut db,
        &pending.id,
        crate::record::ReviewAction::Reopen,
        Some("人数待核实"),
    )
    .unwrap();
    db
}

#[test]
fn nodes_that_share_their_activities_form_one_group_and_never_add_up_to_more() {
    let db = with_nodes(&[
        &["constitution_day", "constitution_week"],
        &["constitution_week", "constitution_day"],
        &["civil_code_month"],
        &["civil_code_month", "national_security_day"],
        &["national_security_day"],
        &[],
    ]);
    let f = year(|_| {});
    let s = summary(&db.conn, &f).unwrap();
    assert_eq!(s.activities, 6);
    // The node rows count one activity in each of its nodes: 8 against 6.
    assert_eq!(s.by_node.iter().map(|b| b.activities).sum::<i64>(), 8);
    let groups = node_groups(&db.conn, &f).unwrap();
    let shown: Vec<(Vec<&str>, bool, i64)> = groups
        .iter()
        .map(|g| {
            (
                g.labels.iter().map(String::as_str).collect(),
                g.same_records,
                g.activities,
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (vec!["民法典宣传月", "4·15全民国家安全教育日"], false, 3),
            (vec!["12·4国家宪法日", "宪法宣传周"], true, 2),
        ]
    );
    // Each activity in one group at most: the groups never add up to more than the total.
    assert!(groups.iter().map(|g| g.activities).sum::<i64>() <= s.activities);
    // The pending record counts when asked for.
    let with = node_groups(&db.conn, &year(|f| f.include_pending = true)).unwrap();
    assert_eq!(with[0].activities + with[1].activities, 6);
    assert!(!with
        .iter()
        .any(|g| g.same_records && g.codes.len() == 2 && g.activities == 2));
}

#[test]
fn a_village_whose_records_wait_for_review_is_not_a_village_without_activities() {
    let db = with_nodes(&[&["constitution_day"]]);
    let s = summary(&db.conn, &year(|_| {})).unwrap();
    assert_eq!(s.villages_without, ["长安村"]);
    assert_eq!(
        s.villages_in_review,
        [VillageInReview {
            name: "石院村".into(),
            pending: 1,
            returned: 0
        }]
    );
    assert_eq!(
        s.statuses,
        StatusCounts {
            approved: 1,
            pending: 1,
            returned: 0
        }
    );
    assert_eq!(
        s.basis_line,
        "统计口径：已审核通过的活动记录（另有待审核 1 场未计入）"
    );
    // Counted with the pending ones, 石院村 is covered.
    let s = summary(&db.conn, &year(|f| f.include_pending = true)).unwrap();
    assert!(s.villages_in_review.is_empty());
    assert_eq!(s.villages_without, ["长安村"]);
    assert_eq!((s.activities, s.pending), (2, 1));
    assert_eq!(
        s.basis_line,
        "统计口径：已审核通过及待审核的活动记录（其中待审核 1 场）"
    );
}

#[test]
fn a_search_counts_the_same_records_the_ledger_lists() {
    let db = demo();
    for words in ["宪法", "安静村", "没有这样的活动"] {
        let f = year(|f| f.search = Some(words.into()));
        let s = summary(&db.conn, &f).unwrap();
        let listed = crate::record::list(
            &db.conn,
            &crate::record::RecordFilter {
                from: Some("2026-01-01".into()),
                to: Some("2026-12-31".into()),
                review_status: Some("approved".into()),
                search: Some(words.into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(s.activities, listed.len() as i64, "{words}");
        assert_eq!(
            s.reach,
            listed.iter().map(|r| r.reach).sum::<i64>(),
            "{words}"
        );
    }
}
