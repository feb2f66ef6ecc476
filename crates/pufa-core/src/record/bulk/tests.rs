//! The batch against the reference: the same records saved one at a time with `create_in`
//! and as one batch, each into a fresh database, must leave the two databases alike — every
//! row of the records, their links, hand-outs, stock, tallies, the planned activities they
//! fulfil and the audit trail, up to the ids and instants that differ between any two runs.

use super::*;
use crate::campaign::{self, CampaignInput};
use crate::db::Db;
use crate::inventory::{create_material, receive, MaterialInput, ReceiptInput};
use crate::town::{setup, SetupInput, UserInput};

/// A town with two villages (石院村 with a store of its own), two materials in stock, two
/// campaigns (one past its reporting deadline) and a planned activity; `role` the user of
/// this computer (None: no user profile).
fn town(role: Option<&str>) -> Db {
    let mut db = Db::open_in_memory().unwrap();
    setup(
        &mut db,
        &SetupInput {
            town: "双龙镇".into(),
            villages: vec!["安静村\n石院村".into()],
            user: role.map(|role| UserInput {
                name: "王芳".into(),
                role: role.into(),
                village: (role == "village_cadre").then(|| "安静村".into()),
            }),
            ..Default::default()
        },
    )
    .unwrap();
    for (name, unit, town_stock, village_stock) in
        [("宪法读本", "册", 100, 10), ("宣传折页", "份", 500, 0)]
    {
        create_material(
            &mut db,
            &MaterialInput {
                name: name.into(),
                unit: unit.into(),
                ..Default::default()
            },
        )
        .unwrap();
        for (unit_id, quantity) in [(None, town_stock), (Some("石院村"), village_stock)] {
            if quantity > 0 {
                receive(
                    &mut db,
                    &ReceiptInput {
                        material: name.into(),
                        quantity,
                        date: "2026-11-01".into(),
                        unit_id: unit_id.map(str::to_string),
                        ..Default::default()
                    },
                )
                .unwrap();
            }
        }
    }
    for name in ["宪法宣传周", "民法典宣传月", "禁毒宣传月"] {
        campaign::create(
            &mut db,
            &CampaignInput {
                name: name.into(),
                kind: "national".into(),
                start_date: "2026-11-01".into(),
                end_date: "2026-11-30".into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    db.conn
        .execute(
            "UPDATE campaign SET report_deadline = '2026-01-01' WHERE name = '禁毒宣传月'",
            [],
        )
        .unwrap();
    crate::activity::create(
        &mut db,
        &crate::activity::ActivityInput {
            title: "民法典讲座（计划）".into(),
            date: "2026-11-10".into(),
            unit_id: Some("石院村".into()),
            formats: vec!["lecture".into()],
            ..Default::default()
        },
        None,
    )
    .unwrap();
    db
}

fn id_of(db: &Db, sql: &str, name: &str) -> String {
    db.conn.query_row(sql, [name], |r| r.get(0)).unwrap()
}

fn line(material: &str, quantity: f64, unit: &str) -> MaterialLineInput {
    MaterialLineInput {
        material_id: Some(material.into()),
        material_name: None,
        quantity,
        unit: Some(unit.into()),
    }
}

/// Records of every kind, with this database's campaign and activity ids; some with errors.
fn inputs(db: &Db) -> Vec<RecordInput> {
    let campaign = |name| id_of(db, "SELECT id FROM campaign WHERE name = ?1", name);
    let planned = id_of(
        db,
        "SELECT id FROM activity WHERE title = ?1",
        "民法典讲座（计划）",
    );
    let plain = RecordInput {
        title: "院坝普法".into(),
        date: "2026-11-03".into(),
        unit_id: Some("安静村".into()),
        formats: vec!["院坝会".into()],
        participants: 30.0,
        recorder: "王芳".into(),
        ..Default::default()
    };
    vec![
        // Everything filled in: two campaigns, a node, hand-outs from the town's store.
        RecordInput {
            title: "宪法进院坝".into(),
            date: "2026-11-20".into(),
            start_time: Some("9:00".into()),
            end_time: Some("11:30".into()),
            venue_type: Some("courtyard".into()),
            venue: Some("村委会院坝".into()),
            formats: vec!["院坝会".into(), "有奖问答".into()],
            audiences: vec!["村(居)民".into(), "青少年学生".into()],
            laws: vec!["宪法".into(), "民法典".into()],
            campaign_ids: vec![campaign("民法典宣传月"), campaign("宪法宣传周")],
            nodes: vec!["constitution_week".into()],
            speakers: vec![Speaker {
                name: "王明".into(),
                role: PersonRole::Lawyer,
            }],
            partners: vec!["司法所".into()],
            participants: 45.0,
            reach: Some(60.0),
            reach_by_audience: [("residents".to_string(), 30.0), ("students".into(), 20.0)].into(),
            counts: crate::record::RecordCountsInput {
                consultations: Some(5.0),
                banners: Some(2.0),
                boards: Some(3.0),
                vehicles: Some(1.0),
                online_posts: Some(1.0),
                online_views: Some(100.0),
                disputes: Some(1.0),
                legal_aid_cases: Some(1.0),
                ..Default::default()
            },
            narrative: Some("在村委会院坝宣讲宪法，律师现场解答咨询。".into()),
            materials: vec![line("宪法读本", 20.0, "册"), line("宣传折页", 80.0, "份")],
            quiz: Some(Quiz {
                questions: 10,
                participants: 30,
                winners: 5,
            }),
            ..plain.clone()
        },
        // A planned activity held, hand-outs from the village's own store, one material on two
        // lines.
        RecordInput {
            title: "民法典讲座".into(),
            activity_id: Some(planned),
            unit_id: Some("石院村".into()),
            date: "2026-11-10".into(),
            formats: vec!["lecture".into()],
            campaign_ids: vec![campaign("民法典宣传月")],
            materials: vec![line("宪法读本", 3.0, "册"), line("宪法读本", 2.0, "册")],
            ..plain.clone()
        },
        // A date still to come: refused.
        RecordInput {
            title: "明年的活动".into(),
            date: "2099-01-01".into(),
            ..plain.clone()
        },
        // More than the store holds, confirmed: imported, flagged as overdrawn.
        RecordInput {
            title: "集市宣传".into(),
            formats: vec!["集中宣传".into()],
            materials: vec![line("宣传折页", 600.0, "份")],
            confirm_below_zero: true,
            ..plain.clone()
        },
        // More than the store holds, not confirmed: refused, its other line with it.
        RecordInput {
            title: "超发未确认".into(),
            materials: vec![line("宪法读本", 1.0, "册"), line("宣传折页", 1.0, "份")],
            ..plain.clone()
        },
        // A campaign whose reporting deadline has passed: refused.
        RecordInput {
            title: "截止后补报".into(),
            campaign_ids: vec![campaign("禁毒宣传月")],
            ..plain.clone()
        },
        // The village's store once more (the balance as the batch left it).
        RecordInput {
            title: "石院村送法入户".into(),
            unit_id: Some("石院村".into()),
            formats: vec!["送法入户".into()],
            materials: vec![line("宪法读本", 6.0, "册")],
            confirm_below_zero: true,
            ..plain.clone()
        },
        // Only what is required.
        plain,
    ]
}

type Outcome = std::result::Result<(), (ErrorCode, Option<String>, String)>;

fn outcome(r: Result<String>) -> Outcome {
    r.map(|_| ()).map_err(|e| (e.code, e.field, e.message))
}

/// The reference: `create_in` for each record in one transaction, a record with an error
/// leaving nothing behind (as the import's rows did).
fn one_at_a_time(db: &mut Db, inputs: &[RecordInput]) -> Vec<Outcome> {
    db.with_tx(|tx| {
        let mut out = Vec::new();
        for input in inputs {
            tx.execute_batch("SAVEPOINT one")?;
            let r = create_in(tx, input);
            tx.execute_batch(match r {
                Ok(_) => "RELEASE one",
                Err(_) => "ROLLBACK TO one; RELEASE one",
            })?;
            out.push(outcome(r));
        }
        Ok(out)
    })
    .unwrap()
}

fn as_a_batch(db: &mut Db, inputs: &[RecordInput]) -> Vec<Outcome> {
    in_chunks(db, inputs, super::CHUNK)
}

/// The batch writing every `chunk` records.
fn in_chunks(db: &mut Db, inputs: &[RecordInput], chunk: usize) -> Vec<Outcome> {
    db.with_tx(|tx| {
        let mut batch = NewRecords::start(tx)?.in_chunks_of(chunk);
        let out = inputs
            .iter()
            .map(|i| outcome(batch.create(tx, i)))
            .collect();
        batch.write(tx)?;
        Ok(out)
    })
    .unwrap()
}

/// What identifies a row of the database in words, by its id.
fn names(conn: &Connection) -> Vec<(String, String)> {
    let mut stmt = conn
        .prepare(
            "SELECT id, 'unit:' || name FROM unit
             UNION ALL SELECT id, 'material:' || name FROM material
             UNION ALL SELECT id, 'store:' || name FROM store
             UNION ALL SELECT id, 'campaign:' || name FROM campaign
             UNION ALL SELECT id, 'activity:' || title FROM activity
             UNION ALL SELECT id, 'record:' || title FROM record
             UNION ALL SELECT id, 'user:' || name FROM user_profile
             UNION ALL SELECT id, 'town:' || name FROM town
             UNION ALL SELECT s.id, 'movement:' || s.kind || ':' || coalesce(r.title, '') || ':'
                                    || m.name || ':' || s.quantity
               FROM stock_movement s JOIN material m ON m.id = s.material_id
               LEFT JOIN record r ON r.id = s.record_id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// `text` with every instant (2026-11-27T15:43:44.123Z) as "<at>".
fn without_instants(text: &str) -> String {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:dd.dddZ";
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let fits = b.len() - i >= SHAPE.len()
            && SHAPE.iter().zip(&b[i..]).all(|(s, c)| match s {
                b'd' => c.is_ascii_digit(),
                s => s == c,
            });
        if fits {
            out.extend_from_slice(b"<at>");
            i += SHAPE.len();
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The rows `sql` selects, each as text with ids in words and instants masked; the sync
/// columns as whether the row has a version. Sorted unless `ordered`.
fn rows(conn: &Connection, sql: &str, ordered: bool) -> Vec<String> {
    let names = names(conn);
    let mut stmt = conn.prepare(sql).unwrap();
    let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    let mut out: Vec<String> = stmt
        .query_map([], |r| {
            let mut cells = Vec::new();
            for (i, column) in columns.iter().enumerate() {
                let value: rusqlite::types::Value = r.get(i)?;
                let text = match value {
                    SqlValue::Null => "∅".to_string(),
                    SqlValue::Integer(n) => n.to_string(),
                    SqlValue::Real(x) => x.to_string(),
                    SqlValue::Text(t) => t,
                    SqlValue::Blob(_) => "<blob>".into(),
                };
                match column.as_str() {
                    "hlc" => cells.push(format!("versioned={}", text != "∅")),
                    "base_hlc" | "sync_seq" => {}
                    _ => cells.push(format!("{column}={text}")),
                }
            }
            Ok(cells.join(" | "))
        })
        .unwrap()
        .map(|row| {
            let mut row = without_instants(&row.unwrap());
            for (id, name) in &names {
                row = row.replace(id.as_str(), name);
            }
            row
        })
        .collect();
    if !ordered {
        out.sort();
    }
    out
}

/// Everything the two ways of saving write, table by table.
fn contents(conn: &Connection) -> Vec<(&'static str, Vec<String>)> {
    vec![
        ("record", rows(conn, "SELECT * FROM record", false)),
        (
            "record_campaign",
            rows(conn, "SELECT * FROM record_campaign", false),
        ),
        (
            "stock_movement",
            rows(conn, "SELECT * FROM stock_movement", false),
        ),
        (
            "stock_balance",
            rows(conn, "SELECT * FROM stock_balance", false),
        ),
        ("store", rows(conn, "SELECT * FROM store", false)),
        ("activity", rows(conn, "SELECT * FROM activity", false)),
        (
            "record_tally",
            // Rows left at nothing by a record counted in and out again are not counted.
            rows(
                conn,
                "SELECT * FROM record_tally WHERE activities <> 0 OR quantity <> 0",
                false,
            ),
        ),
        (
            "activity_tally",
            rows(conn, "SELECT * FROM activity_tally WHERE n <> 0", false),
        ),
        (
            "audit_log",
            rows(
                conn,
                "SELECT at, user_id, user_name, entity, entity_id, action, summary, changes
                 FROM audit_log ORDER BY rowid",
                true,
            ),
        ),
        (
            "sync_clock",
            rows(conn, "SELECT seq, applying FROM sync_clock", false),
        ),
    ]
}

fn assert_alike(role: Option<&str>, chunk: usize) {
    let (mut reference, mut batched) = (town(role), town(role));
    let (first, second) = (inputs(&reference), inputs(&batched));
    let want = one_at_a_time(&mut reference, &first);
    let got = in_chunks(&mut batched, &second, chunk);
    assert_eq!(
        got, want,
        "{role:?}, chunks of {chunk}: the same records saved, the same refused"
    );
    assert_eq!(
        want.iter().filter(|r| r.is_ok()).count(),
        5,
        "{role:?}: {want:?}"
    );
    let (want, got) = (contents(&reference.conn), contents(&batched.conn));
    for ((table, want), (_, got)) in want.iter().zip(&got) {
        assert!(!want.is_empty(), "{role:?}: {table} has rows");
        assert_eq!(got, want, "{role:?}: {table}");
    }
    let after = format!("{role:?}, chunks of {chunk}");
    // The tally and sync triggers the batch dropped are back, as they were.
    let triggers = |conn: &Connection| {
        rows(
            conn,
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
            false,
        )
    };
    assert_eq!(
        triggers(&batched.conn),
        triggers(&reference.conn),
        "{after}"
    );
    crate::testing::assert_tallies_fresh(&batched.conn, &after);
    crate::testing::assert_stock_fresh(&batched.conn, &after);
    // Each approved record its own version, as when approved one at a time.
    let versions: Vec<(Option<String>, i64)> = batched
        .conn
        .prepare("SELECT hlc, sync_seq FROM record ORDER BY sync_seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    if role == Some("coordinator") {
        assert!(versions
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
    } else {
        assert!(versions.iter().all(|v| *v == (None, 0)));
    }
}

#[test]
fn a_batch_writes_what_saving_each_record_writes() {
    for role in [Some("coordinator"), Some("village_cadre"), None] {
        assert_alike(role, super::CHUNK);
    }
}

/// Written a chunk at a time (here every two records, so the stock balances and a store's
/// overdraw span chunks), the batch still writes what saving each record writes.
#[test]
fn a_batch_written_in_chunks_writes_what_saving_each_record_writes() {
    for role in [Some("coordinator"), Some("village_cadre"), None] {
        for chunk in [1, 2, 3] {
            assert_alike(role, chunk);
        }
    }
}

#[test]
fn the_audit_trail_of_a_batch_reads_as_one_record_at_a_time() {
    let mut db = town(Some("coordinator"));
    let records = inputs(&db);
    let results = as_a_batch(&mut db, &records);
    assert!(results[0].is_ok());
    let id = id_of(&db, "SELECT id FROM record WHERE title = ?1", "宪法进院坝");
    let trail = audit::list(
        &db.conn,
        &audit::AuditFilter {
            entity: Some("record".into()),
            entity_id: Some(id.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["approve", "create"], "newest first");
    assert_eq!(trail[0].summary, "审核通过活动记录“宪法进院坝”");
    assert_eq!(
        trail[0].changes["review_status"],
        serde_json::json!(["pending", "approved"])
    );
    let created = &trail[1].changes;
    assert_eq!(created["title"], serde_json::json!([null, "宪法进院坝"]));
    assert_eq!(created["unit_name"], serde_json::json!([null, "安静村"]));
    assert_eq!(
        created["materials"][1][0]["quantity"],
        serde_json::json!(20)
    );
    // The record reads back as the two rows say it was written, then approved.
    let r = get(&db.conn, &id).unwrap();
    let body = serde_json::to_value(&r).unwrap();
    for (field, change) in created.as_object().unwrap() {
        let approved = trail[0].changes.get(field).map(|c| &c[1]);
        assert_eq!(&body[field], approved.unwrap_or(&change[1]), "{field}");
    }
    assert_eq!(r.review_status, ReviewStatus::Approved);
}

#[test]
fn a_batch_with_nothing_to_write_leaves_the_database_alone() {
    let mut db = town(Some("coordinator"));
    let before = contents(&db.conn);
    let results = as_a_batch(
        &mut db,
        &[RecordInput {
            title: "明年的活动".into(),
            date: "2099-01-01".into(),
            ..Default::default()
        }],
    );
    assert!(results[0].is_err());
    assert_eq!(contents(&db.conn), before);
}
