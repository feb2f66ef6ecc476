//! Planning speed on a big town: ten years of plans (200,000 activities, ~1,700 a month) in a
//! database file, as the app opens it.
//!
//! Targets: one month's calendar (`activity::calendar`) ≤ 10 ms, the conflict check of one save on a busy day
//! ≤ 5 ms, all 普法 nodes of a year ≤ 1 ms.
//!
//! `cargo bench -p pufa-core --bench planning`

use criterion::{criterion_group, criterion_main, Criterion};
use pufa_core::activity::{self, ActivityFilter};
use pufa_core::campaign::{self, CampaignInput};
use pufa_core::person::{self, PersonInput};
use pufa_core::town::{self, SetupInput, UserInput};
use pufa_core::{conflicts, keydates, new_id, now, Db};
use rusqlite::params;
use std::hint::black_box;
use std::time::Instant;

const VILLAGES: usize = 30;
const PEOPLE: usize = 40;
const ACTIVITIES: usize = 200_000;
const FIRST_YEAR: i32 = 2020;
const YEARS: i32 = 10;
const CAMPAIGNS_PER_YEAR: usize = 8;

struct Town {
    _dir: tempfile::TempDir,
    db: Db,
}

/// The town, its people and campaigns through the public API; the activities by raw SQL in
/// one transaction (the API writes an audit row per activity, which a bench set-up does not
/// need), with the same columns and JSON the API writes.
fn big_town() -> Town {
    let started = Instant::now();
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
                name: "王芳".into(),
                role: "coordinator".into(),
                village: None,
            }),
            county_rollup: false,
        },
    )
    .expect("setup");
    let roles = [
        "village_cadre",
        "legal_adviser",
        "police",
        "staff",
        "volunteer",
    ];
    let people: Vec<String> = (0..PEOPLE)
        .map(|i| {
            person::create(
                &mut db,
                &PersonInput {
                    name: format!("人员{i:02}"),
                    role: roles[i % roles.len()].into(),
                    unit_id: Some(villages[i % VILLAGES].clone()),
                    ..Default::default()
                },
            )
            .expect("person")
            .id
        })
        .collect();
    let unit_ids: Vec<String> = villages
        .iter()
        .map(|v| {
            db.conn
                .query_row("SELECT id FROM unit WHERE name = ?1", [v], |r| r.get(0))
                .expect("unit")
        })
        .collect();
    let mut campaigns: Vec<Vec<String>> = Vec::new();
    for y in FIRST_YEAR..FIRST_YEAR + YEARS {
        campaigns.push(
            (0..CAMPAIGNS_PER_YEAR)
                .map(|k| {
                    let month = 1 + k * 12 / CAMPAIGNS_PER_YEAR;
                    campaign::create(
                        &mut db,
                        &CampaignInput {
                            name: format!("{y}年普法专项{k}"),
                            kind: "national".into(),
                            start_date: format!("{y}-{month:02}-01"),
                            end_date: format!("{y}-{:02}-28", month + 1),
                            audiences: vec!["residents".into()],
                            themes: vec!["宪法".into(), "民法典".into()],
                            ..Default::default()
                        },
                    )
                    .expect("campaign")
                    .id
                })
                .collect(),
        );
    }
    let first = chrono::NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap();
    let last = chrono::NaiveDate::from_ymd_opt(FIRST_YEAR + YEARS - 1, 12, 31).unwrap();
    let days = (last - first).num_days() as usize + 1;
    let slots = [
        (Some("09:00"), Some("11:00")),
        (Some("14:30"), Some("16:30")),
        (Some("10:00"), Some("11:30")),
        (None, None),
    ];
    db.with_tx(|tx| {
        let mut insert = tx.prepare(
            "INSERT INTO activity (id, title, date, start_time, end_time, unit_id, venue_type,
                 venue, formats, audiences, laws, nodes, lead_person_id, partners, materials,
                 expected_audience, status, status_reason, series_id, notes, created_at,
                 updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'courtyard', '村委会院坝',
                 '[\"street_campaign\",\"courtyard_meeting\"]', '[\"residents\"]',
                 '[\"宪法\",\"民法典\"]', '[]', ?7, '[\"派出所\"]',
                 '[{\"item\":\"宪法读本\",\"quantity\":30,\"unit\":\"册\"}]', 50, 'planned', '',
                 NULL, '', ?8, ?8)",
        )?;
        let mut link =
            tx.prepare("INSERT INTO activity_campaign (activity_id, campaign_id) VALUES (?1, ?2)")?;
        let ts = now();
        for i in 0..ACTIVITIES {
            let date = first + chrono::Duration::days((i * days / ACTIVITIES) as i64);
            let (start, end) = slots[i % slots.len()];
            let village = i % VILLAGES;
            let id = new_id();
            insert.execute(params![
                id,
                format!("{}宪法宣传活动{i}", villages[village]),
                date.to_string(),
                start,
                end,
                unit_ids[village],
                people[(i * 7) % PEOPLE],
                ts
            ])?;
            if i % 3 == 0 {
                let year =
                    (date.format("%Y").to_string().parse::<i32>().unwrap() - FIRST_YEAR) as usize;
                link.execute(params![id, campaigns[year][(i / 3) % CAMPAIGNS_PER_YEAR]])?;
            }
        }
        Ok(())
    })
    .expect("activities");
    // Open it again as the app would: closing checkpoints the bulk load out of the WAL.
    drop(db);
    let db = Db::open_dir(dir.path()).expect("reopen");
    eprintln!(
        "big town: {VILLAGES} villages, {PEOPLE} people, {} campaigns, {ACTIVITIES} activities \
         ({FIRST_YEAR}–{}) built in {:.1?}",
        YEARS as usize * CAMPAIGNS_PER_YEAR,
        FIRST_YEAR + YEARS - 1,
        started.elapsed()
    );
    Town { _dir: dir, db }
}

/// On-CPU time of this thread in ns (Linux), to tell the code's cost from waiting for a CPU
/// on a busy machine; None elsewhere.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Prints the mean wall and on-CPU time of `runs` calls, beside criterion's wall-clock figures.
fn cpu_time<T>(name: &str, runs: u32, mut f: impl FnMut() -> T) {
    let (wall, cpu) = (Instant::now(), thread_cpu_ns());
    for _ in 0..runs {
        black_box(f());
    }
    let wall = wall.elapsed() / runs;
    match (cpu, thread_cpu_ns()) {
        (Some(a), Some(b)) => eprintln!(
            "{name}: {wall:.2?} wall, {:.2?} on CPU per call (mean of {runs})",
            std::time::Duration::from_nanos((b - a) / runs as u64)
        ),
        _ => eprintln!("{name}: {wall:.2?} wall per call (mean of {runs})"),
    }
}

fn planning(c: &mut Criterion) {
    let town = big_town();
    let conn = &town.db.conn;

    let month = ActivityFilter {
        from: Some("2025-06-01".into()),
        to: Some("2025-06-30".into()),
        ..Default::default()
    };
    let n = activity::calendar(conn, &month).unwrap().len();
    eprintln!("one month (2025-06): {n} activities");
    assert!(n > 1_500, "a month holds about 1,700 activities");
    assert_eq!(n, activity::list(conn, &month).unwrap().len());
    cpu_time("calendar", 200, || {
        activity::calendar(conn, &month).unwrap()
    });
    c.bench_function("calendar: activity::calendar of one month", |b| {
        b.iter(|| activity::calendar(conn, black_box(&month)).unwrap())
    });
    // The full rows (what the agenda export and the CLI read), for comparison.
    cpu_time("full list", 50, || activity::list(conn, &month).unwrap());

    // A busy day, and an activity on it that has a lead person and a campaign.
    let (busy_day, per_day): (String, i64) = conn
        .query_row(
            "SELECT date, count(*) FROM activity GROUP BY date ORDER BY count(*) DESC, date
             LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let id: String = conn
        .query_row(
            "SELECT a.id FROM activity a JOIN activity_campaign ac ON ac.activity_id = a.id
             WHERE a.date = ?1 AND a.lead_person_id IS NOT NULL LIMIT 1",
            [&busy_day],
            |r| r.get(0),
        )
        .unwrap();
    let found = conflicts::for_activity(conn, &id).unwrap().len();
    eprintln!("busy day {busy_day}: {per_day} activities, {found} conflicts for the one saved");
    cpu_time("save", 1000, || conflicts::for_activity(conn, &id).unwrap());
    c.bench_function("save: conflicts::for_activity on a busy day", |b| {
        b.iter(|| conflicts::for_activity(conn, black_box(&id)).unwrap())
    });

    cpu_time("national_year", 2000, || {
        keydates::national_year(2027).unwrap()
    });
    cpu_time("for_year", 2000, || keydates::for_year(conn, 2027).unwrap());
    c.bench_function("nodes: keydates::national_year(2027)", |b| {
        b.iter(|| keydates::national_year(black_box(2027)).unwrap())
    });
    c.bench_function("nodes: keydates::for_year(conn, 2027)", |b| {
        b.iter(|| keydates::for_year(conn, black_box(2027)).unwrap())
    });
}

criterion_group!(benches, planning);
criterion_main!(benches);
