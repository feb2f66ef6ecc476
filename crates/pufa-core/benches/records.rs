//! Recording speed on a very big town: 1,000,000 activities — 900,000 held records (2016–2025,
//! one to three material hand-outs each: 1.8 million stock movements) and 100,000 planned ones
//! (2026–2027) — in a database file, as the app opens it. The audit trail holds what the API
//! writes for the last year's 90,000 records and for every receipt and transfer (370,000
//! rows); the older years' trail is left out to keep the build near two minutes (at ~900 bytes
//! a row, all of it would be 4 million rows and 3.5 GB).
//!
//! Targets: saving one record with five material lines and its audit rows (`record::create`)
//! ≤ 5 ms; the ledger balance of all items (`inventory::report`, what `stock_report` and
//! `stock --json` return) ≤ 20 ms.
//!
//! `cargo bench -p pufa-core --bench records`

use criterion::{criterion_group, criterion_main, Criterion};
use pufa_core::campaign::{self, CampaignInput};
use pufa_core::domain::PersonRole;
use pufa_core::inventory::{
    self, MaterialInput, Movement, MovementKind, ReceiptInput, TransferInput,
};
use pufa_core::record::{
    self, MaterialLine, MaterialLineInput, Quiz, Record, RecordInput, ReviewStatus, Speaker,
};
use pufa_core::town::{self, SetupInput, UserInput};
use pufa_core::{audit, new_id, Db};
use rusqlite::params;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

const VILLAGES: usize = 30;
/// Held records, 2016–2025.
const RECORDS: usize = 900_000;
/// Planned activities not held yet, 2026–2027.
const PLANNED: usize = 100_000;
const FIRST_YEAR: i32 = 2016;
const YEARS: i32 = 10;
const CAMPAIGNS_PER_YEAR: usize = 2;
/// Every third record fulfils a planned activity (whose row is then `held`).
const FROM_PLAN_EVERY: usize = 3;
/// Every fiftieth record is a cadre's, still waiting for review; the rest were approved.
const PENDING_EVERY: usize = 50;
/// Records from this year on come with their audit rows.
const AUDITED_FROM: i32 = FIRST_YEAR + YEARS - 1;
const COORDINATOR: &str = "王芳";
const TOWN_STORE: &str = inventory::TOWN_STORE;
/// The migration that builds the running stock balances from the movements.
const STOCK_BALANCE_MIGRATION: &str = include_str!("../src/migrations/0007_stock_balance.sql");

/// The catalogue: 8 themes × 5 kinds = 40 items.
fn catalogue() -> Vec<(String, &'static str, &'static str)> {
    let themes = [
        "宪法",
        "民法典",
        "国家安全",
        "反电信网络诈骗",
        "未成年人保护",
        "乡村振兴促进法",
        "安全生产",
        "禁毒",
    ];
    let kinds = [
        ("读本", "读本", "册"),
        ("宣传折页", "折页", "份"),
        ("宣传手册", "手册", "本"),
        ("宣传海报", "海报", "张"),
        ("主题环保袋", "奖品", "个"),
    ];
    themes
        .iter()
        .flat_map(|t| {
            kinds
                .iter()
                .map(move |(k, cat, unit)| (format!("{t}{k}"), *cat, *unit))
        })
        .collect()
}

/// The material lines of bulk record `i`: one to three distinct items, 5–60 each.
fn lines(i: usize, materials: usize) -> impl Iterator<Item = (usize, i64)> {
    let n = 1 + (i / 3) % 3;
    (0..n).map(move |k| {
        (
            (i * 11 + k * 13) % materials,
            5 + ((i * 31 + k * 17) % 56) as i64,
        )
    })
}

fn day_of(i: usize, count: usize, first: chrono::NaiveDate, days: usize) -> chrono::NaiveDate {
    first + chrono::Duration::days((i * days / count) as i64)
}

/// A timestamp as `now()` writes it, `step` ten-second steps after 08:00 UTC of `date`.
fn stamp(date: chrono::NaiveDate, step: usize) -> String {
    (date.and_hms_opt(8, 0, 0).unwrap() + chrono::Duration::seconds(step as i64 * 10))
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

struct Town {
    _dir: tempfile::TempDir,
    db: Db,
    villages: Vec<String>,
    unit_ids: Vec<String>,
    materials: Vec<inventory::Material>,
}

/// The bulk's stock movements and audit rows.
struct Bulk<'a> {
    movement: rusqlite::Statement<'a>,
    trail: rusqlite::Statement<'a>,
    user_id: &'a str,
    /// Whether `log` writes (off for the older records).
    audit: bool,
    audit_rows: usize,
    movements: usize,
}

impl Bulk<'_> {
    /// One audit row as `audit::log` writes it (its columns, one argument each).
    #[allow(clippy::too_many_arguments)]
    fn log(
        &mut self,
        at: &str,
        entity: &str,
        id: &str,
        action: &str,
        summary: &str,
        before: Option<&Value>,
        after: Option<&Value>,
    ) -> rusqlite::Result<()> {
        if !self.audit {
            return Ok(());
        }
        let changes = Value::Object(audit::diff(before, after)).to_string();
        self.trail.execute(params![
            new_id(),
            at,
            self.user_id,
            COORDINATOR,
            entity,
            id,
            action,
            summary,
            changes
        ])?;
        self.audit_rows += 1;
        Ok(())
    }

    /// One movement and its audit row, as `inventory::insert_movement` writes them.
    #[allow(clippy::too_many_arguments)]
    fn stock(
        &mut self,
        m: &inventory::Material,
        kind: MovementKind,
        quantity: i64,
        from: Option<&(String, String)>,
        to: Option<&(String, String)>,
        date: &str,
        source: &str,
        record_id: Option<&str>,
        at: &str,
    ) -> rusqlite::Result<()> {
        let id = new_id();
        let (code, verb) = match kind {
            MovementKind::Receipt => ("receipt", "入库"),
            MovementKind::Handout => ("handout", "发放"),
            MovementKind::Transfer => ("transfer", "调拨"),
        };
        self.movement.execute(params![
            id,
            m.id,
            code,
            quantity,
            from.map(|s| &s.0),
            to.map(|s| &s.0),
            date,
            source,
            record_id,
            at
        ])?;
        self.movements += 1;
        if !self.audit {
            return Ok(());
        }
        let after = Movement {
            id: id.clone(),
            material_id: m.id.clone(),
            material_name: m.name.clone(),
            unit: m.unit.clone(),
            kind,
            quantity,
            from_store: from.map(|s| s.1.clone()),
            to_store: to.map(|s| s.1.clone()),
            date: date.to_string(),
            source: source.to_string(),
            record_id: record_id.map(str::to_string),
            below_zero: false,
            note: String::new(),
            created_at: at.to_string(),
        };
        let summary = format!("{verb}“{}”{quantity} {}", m.name, m.unit);
        let after = serde_json::to_value(&after).expect("serialises");
        self.log(at, "stock", &id, "create", &summary, None, Some(&after))
    }
}

/// A held record saved through the API: its stored JSON columns are the bulk rows' pattern.
struct Template {
    record: Record,
    venue_type: Option<String>,
    venue: String,
    formats: String,
    audiences: String,
    laws: String,
    nodes: String,
    speakers: String,
    partners: String,
    reach_by_audience: String,
    narrative: String,
    quiz: Option<String>,
}

/// The town, catalogue, campaigns, stores and three pattern records through the public API;
/// the bulk (activities, records, their campaign links, hand-outs, yearly receipts and
/// transfers, and every audit row the API writes for them) by raw SQL in one transaction,
/// with the same columns and JSON the API writes.
fn big_town() -> Town {
    let (started, cpu_start) = (Instant::now(), thread_cpu_ns());
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = Db::open_dir(dir.path()).expect("open");
    let villages: Vec<String> = (1..=VILLAGES).map(|i| format!("第{i}村")).collect();
    town::setup(
        &mut db,
        &SetupInput {
            town: "双龙镇".into(),
            county: Some("巫山县".into()),
            villages: villages.clone(),
            schools: vec!["双龙镇中心小学".into(), "双龙初级中学".into()],
            sites: vec!["双龙场镇集市".into()],
            user: Some(UserInput {
                name: COORDINATOR.into(),
                role: "coordinator".into(),
                village: None,
            }),
            county_rollup: false,
        },
    )
    .expect("setup");
    let user_id: String = db
        .conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'current_user_id'",
            [],
            |r| r.get(0),
        )
        .expect("current user");
    let unit_ids: Vec<String> = villages
        .iter()
        .map(|v| {
            db.conn
                .query_row("SELECT id FROM unit WHERE name = ?1", [v], |r| r.get(0))
                .expect("unit")
        })
        .collect();
    let materials: Vec<inventory::Material> = catalogue()
        .into_iter()
        .map(|(name, category, unit)| {
            inventory::create_material(
                &mut db,
                &MaterialInput {
                    name,
                    category: Some(category.into()),
                    unit: unit.into(),
                    low_stock: Some(100),
                },
            )
            .expect("material")
        })
        .collect();
    let campaigns: Vec<Vec<String>> = (FIRST_YEAR..FIRST_YEAR + YEARS)
        .map(|y| {
            [("03", "宪法宣传月"), ("12", "宪法宣传周")][..CAMPAIGNS_PER_YEAR]
                .iter()
                .map(|(month, name)| {
                    campaign::create(
                        &mut db,
                        &CampaignInput {
                            name: format!("{y}年{name}"),
                            kind: "national".into(),
                            start_date: format!("{y}-{month}-01"),
                            end_date: format!("{y}-{month}-28"),
                            audiences: vec!["residents".into()],
                            themes: vec!["宪法".into()],
                            ..Default::default()
                        },
                    )
                    .expect("campaign")
                    .id
                })
                .collect()
        })
        .collect();
    // The stores: the town's on its first receipt, each village's on its first transfer.
    let opening = format!("{}-12-01", FIRST_YEAR - 1);
    inventory::receive(
        &mut db,
        &ReceiptInput {
            material: materials[0].id.clone(),
            quantity: 1_000,
            date: opening.clone(),
            source: Some("县司法局配发".into()),
            ..Default::default()
        },
    )
    .expect("receipt");
    for v in &villages {
        inventory::transfer(
            &mut db,
            &TransferInput {
                material: materials[0].id.clone(),
                quantity: 30,
                date: opening.clone(),
                to_unit_id: Some(v.clone()),
                ..Default::default()
            },
        )
        .expect("transfer");
    }
    let store_of = |unit: Option<&str>| -> (String, String) {
        db.conn
            .query_row(
                "SELECT id, name FROM store WHERE unit_id IS ?1",
                [unit],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("store")
    };
    let town_store = store_of(None);
    assert_eq!(town_store.1, TOWN_STORE);
    let village_stores: Vec<(String, String)> =
        unit_ids.iter().map(|u| store_of(Some(u))).collect();

    let templates: Vec<Template> = pattern_records(&mut db, &villages, &materials, &opening);
    let api_done = started.elapsed();

    // The bulk's yearly demand per village and item, for the January receipts and transfers.
    let first = chrono::NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap();
    let last = chrono::NaiveDate::from_ymd_opt(FIRST_YEAR + YEARS - 1, 12, 31).unwrap();
    let days = (last - first).num_days() as usize + 1;
    let year_of = |d: chrono::NaiveDate| (chrono::Datelike::year(&d) - FIRST_YEAR) as usize;
    let mut demand = vec![vec![vec![0i64; materials.len()]; VILLAGES]; YEARS as usize];
    for i in 0..RECORDS {
        let y = year_of(day_of(i, RECORDS, first, days));
        for (m, q) in lines(i, materials.len()) {
            demand[y][i % VILLAGES][m] += q;
        }
    }
    let slots = [
        (Some("09:00"), Some("11:00")),
        (Some("14:30"), Some("16:30")),
        (Some("10:00"), Some("11:30")),
        (None, None),
    ];
    // For the bulk load only (the reopen below opens it as the app does): no WAL to write the
    // pages twice, no syncs, a cache that holds the indexes being filled, statement journals in
    // memory, and no foreign-key look-ups (the rows refer to what was just written; the reopen
    // turns the checks back on). The running stock balances are dropped and built again after
    // the bulk by their own migration, as it upgrades a database that already has a big ledger
    // (instead of its triggers firing 1.8 million times).
    db.conn
        .pragma_update(None, "journal_mode", "DELETE")
        .expect("journal mode");
    db.conn
        .pragma_update(None, "synchronous", "OFF")
        .expect("synchronous");
    db.conn
        .pragma_update(None, "cache_size", -3_000_000)
        .expect("cache size");
    db.conn
        .pragma_update(None, "temp_store", "MEMORY")
        .expect("temp store");
    db.conn
        .pragma_update(None, "foreign_keys", "OFF")
        .expect("foreign keys");
    db.conn
        .execute_batch(
            "DROP TRIGGER stock_movement_in; DROP TRIGGER stock_movement_out;
             DROP TRIGGER stock_movement_change; DROP TABLE stock_balance;",
        )
        .expect("drop the running balances");
    let (audit_rows, movements, rows_done, balances_done) = db
        .with_tx(|tx| {
            let mut activity = tx.prepare(
                "INSERT INTO activity (id, title, date, start_time, end_time, unit_id, venue_type,
                 venue, formats, audiences, laws, nodes, lead_person_id, partners, materials,
                 expected_audience, status, status_reason, series_id, notes, created_at,
                 updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'courtyard', '村委会院坝',
                 '[\"street_campaign\",\"courtyard_meeting\"]', '[\"residents\"]',
                 '[\"宪法\",\"民法典\"]', '[]', NULL, '[\"派出所\"]',
                 '[{\"item\":\"宪法读本\",\"quantity\":30,\"unit\":\"册\"}]', 50, ?7, '',
                 NULL, '', ?8, ?9)",
            )?;
            let mut rec = tx.prepare(
                "INSERT INTO record (id, activity_id, title, date, start_time, end_time, unit_id,
                 venue_type, venue, formats, audiences, laws, nodes, speakers, partners,
                 participants, reach, reach_by_audience, consultations, banners, boards, vehicles,
                 online_posts, online_views, disputes, legal_aid_cases, narrative, quiz, recorder,
                 review_status, review_comment, reviewed_by, reviewed_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, ?21, 0, 0, 0, 0, 0, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)",
            )?;
            let mut link =
                tx.prepare("INSERT INTO record_campaign (record_id, campaign_id) VALUES (?1, ?2)")?;
            let movement = tx.prepare(
                "INSERT INTO stock_movement (id, material_id, kind, quantity, from_store_id,
                 to_store_id, date, source, record_id, below_zero, note, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, '', ?10, ?10)",
            )?;
            let mut bulk = Bulk {
                movement,
                trail: tx.prepare(
                    "INSERT INTO audit_log (id, at, user_id, user_name, entity, entity_id, action,
                     summary, changes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?,
                user_id: &user_id,
                audit: true,
                audit_rows: 0,
                movements: 0,
            };
            let mut year = usize::MAX;
            let (mut day, mut step) = (first, 0usize);
            for i in 0..RECORDS {
                let date = day_of(i, RECORDS, first, days);
                (day, step) = if date == day {
                    (day, step + 1)
                } else {
                    (date, 0)
                };
                let y = year_of(date);
                if y != year {
                    // January: the county's receipts at the town store, then each village's share.
                    year = y;
                    bulk.audit = true;
                    let jan = |d: u32| format!("{}-01-{d:02}", FIRST_YEAR + y as i32);
                    let at = |d: u32| {
                        stamp(
                            chrono::NaiveDate::parse_from_str(&jan(d), "%Y-%m-%d").unwrap(),
                            0,
                        )
                    };
                    for (m, material) in materials.iter().enumerate() {
                        let share = |v: usize| demand[y][v][m] * 11 / 10 + 10;
                        let total: i64 = (0..VILLAGES).map(share).sum::<i64>() + 200;
                        bulk.stock(
                            material,
                            MovementKind::Receipt,
                            total,
                            None,
                            Some(&town_store),
                            &jan(5),
                            "县司法局配发",
                            None,
                            &at(5),
                        )?;
                        for (v, store) in village_stores.iter().enumerate() {
                            bulk.stock(
                                material,
                                MovementKind::Transfer,
                                share(v),
                                Some(&town_store),
                                Some(store),
                                &jan(10),
                                "",
                                None,
                                &at(10),
                            )?;
                        }
                    }
                }
                bulk.audit = FIRST_YEAR + y as i32 >= AUDITED_FROM;
                let v = i % VILLAGES;
                let t = &templates[i % templates.len()];
                let ts = stamp(date, step);
                let (start, end) = slots[i % slots.len()];
                let title = format!("{}{}（{i}）", villages[v], t.record.title);
                let activity_id = if i % FROM_PLAN_EVERY == 0 {
                    let id = new_id();
                    activity.execute(params![
                        id,
                        title,
                        date.to_string(),
                        start,
                        end,
                        unit_ids[v],
                        "held",
                        ts,
                        ts
                    ])?;
                    Some(id)
                } else {
                    None
                };
                let participants = 20 + ((i * 37) % 120) as i64;
                let reach = participants + ((i * 13) % 50) as i64;
                let (consultations, banners, boards) =
                    ((i % 7) as i64, (i % 3) as i64, (i % 2) as i64);
                let pending = i % PENDING_EVERY == 0;
                let id = new_id();
                rec.execute(params![
                    id,
                    activity_id,
                    title,
                    date.to_string(),
                    start,
                    end,
                    unit_ids[v],
                    t.venue_type,
                    t.venue,
                    t.formats,
                    t.audiences,
                    t.laws,
                    t.nodes,
                    t.speakers,
                    t.partners,
                    participants,
                    reach,
                    t.reach_by_audience,
                    consultations,
                    banners,
                    boards,
                    t.narrative,
                    t.quiz,
                    COORDINATOR,
                    if pending { "pending" } else { "approved" },
                    if pending { "" } else { "录入即审核" },
                    (!pending).then_some(COORDINATOR),
                    (!pending).then_some(&ts),
                    ts,
                    ts
                ])?;
                let campaign_ids: Vec<String> = if i % 4 == 0 {
                    let c = campaigns[y][(i / 4) % CAMPAIGNS_PER_YEAR].clone();
                    link.execute(params![id, c])?;
                    vec![c]
                } else {
                    Vec::new()
                };
                let mut handed = Vec::new();
                for (m, q) in lines(i, materials.len()) {
                    let material = &materials[m];
                    bulk.stock(
                        material,
                        MovementKind::Handout,
                        q,
                        Some(&village_stores[v]),
                        None,
                        &date.to_string(),
                        "",
                        Some(&id),
                        &ts,
                    )?;
                    handed.push(MaterialLine {
                        material_id: material.id.clone(),
                        material_name: material.name.clone(),
                        quantity: q,
                        unit: material.unit.clone(),
                    });
                }
                if !bulk.audit {
                    continue;
                }
                // The trail of the save: its creation as `record::get` returns it, its approval.
                let created = Record {
                    id: id.clone(),
                    activity_id,
                    title: title.clone(),
                    date: date.to_string(),
                    start_time: start.map(str::to_string),
                    end_time: end.map(str::to_string),
                    unit_id: Some(unit_ids[v].clone()),
                    unit_name: Some(villages[v].clone()),
                    campaign_ids,
                    participants,
                    reach,
                    counts: pufa_core::record::RecordCounts {
                        consultations,
                        banners,
                        boards,
                        ..t.record.counts
                    },
                    materials: handed,
                    review_status: ReviewStatus::Pending,
                    review_comment: String::new(),
                    reviewed_by: None,
                    reviewed_at: None,
                    created_at: ts.clone(),
                    updated_at: ts.clone(),
                    ..t.record.clone()
                };
                let body = serde_json::to_value(&created).expect("serialises");
                bulk.log(
                    &ts,
                    "record",
                    &id,
                    "create",
                    &format!("新建活动记录“{title}”"),
                    None,
                    Some(&body),
                )?;
                if !pending {
                    bulk.log(
                        &ts,
                        "record",
                        &id,
                        "approve",
                        &format!("审核通过活动记录“{title}”"),
                        Some(&json!({"review_status": "pending", "review_comment": "",
                                 "reviewed_by": null, "reviewed_at": null})),
                        Some(
                            &json!({"review_status": "approved", "review_comment": "录入即审核",
                                 "reviewed_by": COORDINATOR, "reviewed_at": ts}),
                        ),
                    )?;
                }
            }
            // Plans for the next two years, not held yet.
            let from = chrono::NaiveDate::from_ymd_opt(FIRST_YEAR + YEARS, 1, 1).unwrap();
            let to = chrono::NaiveDate::from_ymd_opt(FIRST_YEAR + YEARS + 1, 12, 31).unwrap();
            let plan_days = (to - from).num_days() as usize + 1;
            let ts = stamp(last, 0);
            for i in 0..PLANNED {
                let date = day_of(i, PLANNED, from, plan_days);
                let (start, end) = slots[i % slots.len()];
                let v = i % VILLAGES;
                activity.execute(params![
                    new_id(),
                    format!("{}宪法宣传活动{i}", villages[v]),
                    date.to_string(),
                    start,
                    end,
                    unit_ids[v],
                    "planned",
                    ts,
                    ts
                ])?;
            }
            let rows_done = started.elapsed();
            tx.execute_batch(STOCK_BALANCE_MIGRATION)?;
            Ok((
                bulk.audit_rows,
                bulk.movements,
                rows_done,
                started.elapsed(),
            ))
        })
        .expect("bulk");
    // Open it again as the app would (WAL, foreign keys on, the default cache).
    let committed = started.elapsed();
    drop(db);
    let db = Db::open_dir(dir.path()).expect("reopen");
    let built = started.elapsed();
    let built_cpu = match (cpu_start, thread_cpu_ns()) {
        (Some(a), Some(b)) => format!(", {:.1?} on CPU", Duration::from_nanos(b - a)),
        _ => String::new(),
    };
    // RECORDS_BENCH_COPY=/path/x.db keeps a copy to look at with the sqlite3 CLI.
    if let Ok(copy) = std::env::var("RECORDS_BENCH_COPY") {
        let _ = std::fs::remove_file(&copy);
        db.conn.execute("VACUUM INTO ?1", [&copy]).expect("copy");
    }
    let size = std::fs::metadata(dir.path().join(pufa_core::db::DB_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    eprintln!(
        "big town: {VILLAGES} villages, {} items, {RECORDS} held records + {PLANNED} planned \
         activities ({FIRST_YEAR}–{}), {movements} stock movements, {audit_rows} audit rows, \
         {} MB, built in {built:.1?} (API part {api_done:.1?}, bulk rows {:.1?}, migration 0007's \
         balances {:.1?}, commit {:.1?}, close and reopen {:.1?}{built_cpu})",
        materials.len(),
        FIRST_YEAR + YEARS + 1,
        size / 1_000_000,
        rows_done - api_done,
        balances_done - rows_done,
        committed - balances_done,
        built - committed,
    );
    Town {
        _dir: dir,
        db,
        villages,
        unit_ids,
        materials,
    }
}

/// Three held records saved through the API before the bulk: what it stores for them is the
/// pattern of every bulk row.
fn pattern_records(
    db: &mut Db,
    villages: &[String],
    materials: &[inventory::Material],
    opening: &str,
) -> Vec<Template> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let inputs = [
        RecordInput {
            title: "宪法宣传进院坝".into(),
            formats: s(&["courtyard_meeting", "street_campaign"]),
            audiences: s(&["residents", "elderly"]),
            laws: s(&["宪法", "民法典"]),
            venue_type: Some("courtyard".into()),
            venue: Some("村委会院坝".into()),
            speakers: vec![Speaker {
                name: "李明".into(),
                role: PersonRole::Lawyer,
            }],
            partners: s(&["派出所"]),
            ..Default::default()
        },
        RecordInput {
            title: "民法典以案释法讲座".into(),
            formats: s(&["case_explained", "lecture"]),
            audiences: s(&["residents", "village_committee"]),
            laws: s(&["民法典"]),
            venue_type: Some("service_center".into()),
            venue: Some("村党群服务中心".into()),
            speakers: vec![Speaker {
                name: "张华".into(),
                role: PersonRole::Judge,
            }],
            partners: s(&["人民法庭"]),
            narrative: Some("结合婚姻家庭编典型案例，讲解彩礼返还与赡养义务。".into()),
            ..Default::default()
        },
        RecordInput {
            title: "反诈有奖问答".into(),
            formats: s(&["quiz", "street_campaign"]),
            audiences: s(&["residents", "students"]),
            laws: s(&["反电信网络诈骗法"]),
            venue_type: Some("market".into()),
            venue: Some("场镇集市".into()),
            partners: s(&["派出所", "镇综治办"]),
            quiz: Some(Quiz {
                questions: 20,
                participants: 80,
                winners: 15,
            }),
            ..Default::default()
        },
    ];
    inputs
        .into_iter()
        .enumerate()
        .map(|(i, input)| {
            let input = RecordInput {
                date: opening.to_string(),
                unit_id: Some(villages[i].clone()),
                participants: 60.0,
                recorder: COORDINATOR.into(),
                materials: vec![MaterialLineInput {
                    material_id: Some(materials[0].id.clone()),
                    quantity: 5.0,
                    unit: Some(materials[0].unit.clone()),
                    ..Default::default()
                }],
                ..input
            };
            let record = record::create(db, &input).expect("pattern record");
            db.conn
                .query_row(
                    "SELECT venue_type, venue, formats, audiences, laws, nodes, speakers, partners,
                         reach_by_audience, narrative, quiz
                     FROM record WHERE id = ?1",
                    [&record.id],
                    |r| {
                        Ok(Template {
                            record: record.clone(),
                            venue_type: r.get(0)?,
                            venue: r.get(1)?,
                            formats: r.get(2)?,
                            audiences: r.get(3)?,
                            laws: r.get(4)?,
                            nodes: r.get(5)?,
                            speakers: r.get(6)?,
                            partners: r.get(7)?,
                            reach_by_audience: r.get(8)?,
                            narrative: r.get(9)?,
                            quiz: r.get(10)?,
                        })
                    },
                )
                .expect("pattern")
        })
        .collect()
}

/// On-CPU time of this thread in ns (Linux), to tell the code's cost from waiting for a CPU
/// on a busy machine; None elsewhere.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Prints the mean wall and on-CPU time of `runs` calls, beside criterion's wall-clock figures;
/// returns the mean wall time.
fn cpu_time<T>(name: &str, runs: u32, mut f: impl FnMut() -> T) -> Duration {
    let (wall, cpu) = (Instant::now(), thread_cpu_ns());
    for _ in 0..runs {
        black_box(f());
    }
    let wall = wall.elapsed() / runs;
    match (cpu, thread_cpu_ns()) {
        (Some(a), Some(b)) => eprintln!(
            "{name}: {wall:.2?} wall, {:.2?} on CPU per call (mean of {runs})",
            Duration::from_nanos((b - a) / runs as u64)
        ),
        _ => eprintln!("{name}: {wall:.2?} wall per call (mean of {runs})"),
    }
    wall
}

fn count(db: &Db, table: &str) -> i64 {
    db.conn
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn records(c: &mut Criterion) {
    let mut town = big_town();

    // The save: a record of the 8th village, from one of its plans, handing out five items
    // from the village's store (stocked up first through the API, so no line goes below zero).
    let v = 7;
    let picked: Vec<&inventory::Material> = [0, 9, 17, 26, 38]
        .iter()
        .map(|&m| &town.materials[m])
        .collect();
    for m in &picked {
        inventory::receive(
            &mut town.db,
            &ReceiptInput {
                material: m.id.clone(),
                quantity: 1_000_000,
                date: format!("{}-01-05", FIRST_YEAR + YEARS),
                source: Some("县司法局配发".into()),
                unit_id: Some(town.villages[v].clone()),
                ..Default::default()
            },
        )
        .expect("receipt");
    }
    let (plan_id, plan_date): (String, String) = town
        .db
        .conn
        .query_row(
            "SELECT id, date FROM activity WHERE unit_id = ?1 AND status = 'planned'
             ORDER BY date LIMIT 1",
            [&town.unit_ids[v]],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let input = RecordInput {
        activity_id: Some(plan_id),
        title: "宪法宣传进院坝".into(),
        date: plan_date,
        start_time: Some("09:00".into()),
        end_time: Some("11:00".into()),
        unit_id: Some(town.unit_ids[v].clone()),
        venue_type: Some("courtyard".into()),
        venue: Some("村委会院坝".into()),
        formats: vec!["courtyard_meeting".into(), "quiz".into()],
        audiences: vec!["residents".into(), "elderly".into()],
        laws: vec!["宪法".into(), "民法典".into()],
        speakers: vec![Speaker {
            name: "李明".into(),
            role: PersonRole::Lawyer,
        }],
        partners: vec!["派出所".into()],
        participants: 85.0,
        reach: Some(120.0),
        reach_by_audience: BTreeMap::from([("residents".into(), 90.0), ("elderly".into(), 30.0)]),
        counts: crate::record::RecordCountsInput {
            consultations: Some(6.0),
            banners: Some(1.0),
            ..Default::default()
        },
        narrative: Some("讲解宪法基本知识，现场有奖问答。".into()),
        materials: picked
            .iter()
            .enumerate()
            .map(|(k, m)| MaterialLineInput {
                material_id: Some(m.id.clone()),
                quantity: (10 + 5 * k) as f64,
                unit: Some(m.unit.clone()),
                ..Default::default()
            })
            .collect(),
        quiz: Some(Quiz {
            questions: 10,
            participants: 40,
            winners: 8,
        }),
        recorder: COORDINATOR.into(),
        ..Default::default()
    };
    let (audit_before, moves_before) = (
        count(&town.db, "audit_log"),
        count(&town.db, "stock_movement"),
    );
    let saved = record::create(&mut town.db, &input).expect("save");
    let (audit_after, moves_after) = (
        count(&town.db, "audit_log"),
        count(&town.db, "stock_movement"),
    );
    assert_eq!(saved.materials.len(), 5);
    assert_eq!(saved.review_status, ReviewStatus::Approved);
    assert_eq!(moves_after - moves_before, 5, "five hand-outs");
    // Five stock rows, the record's creation and its approval.
    assert_eq!(audit_after - audit_before, 7, "the save's audit rows");
    eprintln!(
        "one save: 5 hand-outs, {} audit rows",
        audit_after - audit_before
    );
    let db = &mut town.db;
    let save = cpu_time("save", 200, || record::create(db, &input).unwrap());
    c.bench_function("save: record::create with five material lines", |b| {
        b.iter(|| record::create(db, black_box(&input)).unwrap())
    });

    // The balance of every item in every store, as `stock_report` / `stock --json` return it.
    let conn = &town.db.conn;
    let report = inventory::report(conn).unwrap();
    let stores = (VILLAGES + 1) * town.materials.len();
    assert_eq!(report.balances.len(), stores, "every item in every store");
    assert_eq!(report.materials.len(), town.materials.len());
    assert!(report.balances.iter().all(|b| b.balance >= 0));
    // The same balances straight from the movements.
    let mut direct: Vec<(String, String, i64)> = conn
        .prepare(
            "SELECT material_id, store_id, sum(q) FROM (
                 SELECT material_id, to_store_id AS store_id, quantity AS q FROM stock_movement
                  WHERE to_store_id IS NOT NULL
                 UNION ALL
                 SELECT material_id, from_store_id, -quantity FROM stock_movement
                  WHERE from_store_id IS NOT NULL)
             GROUP BY material_id, store_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut reported: Vec<(String, String, i64)> = report
        .balances
        .iter()
        .map(|b| (b.material_id.clone(), b.store_id.clone(), b.balance))
        .collect();
    direct.sort();
    reported.sort();
    assert_eq!(reported, direct, "the report agrees with the movements");
    let balance = cpu_time("balance", 50, || inventory::report(conn).unwrap());
    c.bench_function("balance: inventory::report of all items", |b| {
        b.iter(|| inventory::report(black_box(conn)).unwrap())
    });

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    eprintln!(
        "records targets: save {:.2} ms (≤ 5 ms), balance {:.2} ms (≤ 20 ms)",
        ms(save),
        ms(balance)
    );
}

criterion_group!(benches, records);
criterion_main!(benches);
