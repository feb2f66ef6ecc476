//! The 统计 dashboard at county scale: 1,000,000 activities over ten years (2016–2025, all
//! past, so held and recorded) in ten towns' villages, built by `demo --activities 1000000
//! --towns 10 --years 10` in a database file and reopened as the app opens it.
//!
//! Targets: the dashboard (`reports::summary`: totals, materials, plan completion, month trend
//! and every breakdown) of one year ≤ 150 ms, of ten years ≤ 600 ms; its cost ≤ 1.5 × one
//! hand-written SQL aggregate of the same totals over the same records; the year's Word
//! report ≤ 500 ms. The ratios are printed after the timings. A backup of the same database:
//! ≤ 5 s.
//!
//! `cargo bench -p pufa-core --bench dashboard`
//! (DASHBOARD_BENCH_DB=/some/folder keeps the generated data folder there and reuses it.)

use criterion::{criterion_group, criterion_main, Criterion};
use pufa_core::backup::{self, BackupKind};
use pufa_core::demo::{self, DemoInput, ScaleInput};
use pufa_core::export::report_docx::{self, ReportText};
use pufa_core::reports::{self, SummaryFilter};
use pufa_core::Db;
use rusqlite::Connection;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const ACTIVITIES: u64 = 1_000_000;
const LAST_YEAR: i32 = 2025;
const YEARS: u32 = 10;

/// The data folder: generated once (a few minutes), kept when DASHBOARD_BENCH_DB names one.
fn county() -> (Option<tempfile::TempDir>, PathBuf) {
    let (temp, dir) = match std::env::var_os("DASHBOARD_BENCH_DB") {
        Some(d) => (None, PathBuf::from(d)),
        None => {
            let t = tempfile::tempdir().expect("temp dir");
            let p = t.path().to_path_buf();
            (Some(t), p)
        }
    };
    if dir.join(pufa_core::db::DB_FILE).exists() {
        eprintln!("reusing {}", dir.display());
        return (temp, dir);
    }
    let started = Instant::now();
    let mut db = Db::open_dir(&dir).expect("open");
    let mut last = 0;
    demo::load_with_progress(
        &mut db,
        &DemoInput {
            seed: Some(2026),
            year: Some(LAST_YEAR),
            scale: Some(ScaleInput {
                activities: ACTIVITIES,
                towns: 10,
                years: YEARS,
            }),
        },
        &mut |done, total| {
            if done >= last + total / 10 {
                eprintln!("  generating: {done} / {total}");
                last = done;
            }
            true
        },
    )
    .expect("demo at scale");
    drop(db);
    eprintln!("built {} in {:.0?}", dir.display(), started.elapsed());
    (temp, dir)
}

fn filter(from: &str, to: &str) -> SummaryFilter {
    SummaryFilter {
        from: from.into(),
        to: to.into(),
        ..Default::default()
    }
}

/// The same totals as one hand-written SQL aggregate: what the dashboard is measured against.
fn hand_written(conn: &Connection, from: &str, to: &str) -> [i64; 11] {
    conn.prepare_cached(
        "SELECT count(*), sum(participants), sum(reach), sum(consultations), sum(banners),
                sum(boards), sum(vehicles), sum(online_posts), sum(online_views), sum(disputes),
                sum(legal_aid_cases)
         FROM record WHERE date >= ?1 AND date <= ?2 AND review_status = 'approved'",
    )
    .expect("prepare")
    .query_row([from, to], |r| {
        let mut t = [0i64; 11];
        for (i, v) in t.iter_mut().enumerate() {
            *v = r.get::<_, Option<i64>>(i)?.unwrap_or(0);
        }
        Ok(t)
    })
    .expect("aggregate")
}

/// The median of `n` timed runs of `f`.
fn median(n: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[n / 2]
}

fn bench(c: &mut Criterion) {
    let (_temp, dir) = county();
    let opening = Instant::now();
    let db = Db::open_dir(&dir).expect("reopen");
    // Includes the migration of a database from an older build (its tallies counted afresh).
    eprintln!("opened in {:.1?}", opening.elapsed());
    let conn = &db.conn;
    let records: i64 = conn
        .query_row("SELECT count(*) FROM record", [], |r| r.get(0))
        .expect("count");
    let activities: i64 = conn
        .query_row("SELECT count(*) FROM activity", [], |r| r.get(0))
        .expect("count");
    eprintln!("{activities} activities, {records} held records");

    let year = (format!("{LAST_YEAR}-01-01"), format!("{LAST_YEAR}-12-31"));
    let decade = (
        format!("{}-01-01", LAST_YEAR - YEARS as i32 + 1),
        format!("{LAST_YEAR}-12-31"),
    );
    // Both ways count the same.
    for (from, to) in [&year, &decade] {
        let s = reports::summary(conn, &filter(from, to)).expect("summary");
        let t = hand_written(conn, from, to);
        assert_eq!(
            [
                s.activities,
                s.participants,
                s.reach,
                s.counts.consultations,
                s.counts.banners,
                s.counts.boards
            ],
            t[..6],
            "{from}…{to}"
        );
        eprintln!("{from}…{to}: {}", s.headline);
    }
    let village = reports::summary(conn, &filter(&year.0, &year.1))
        .expect("summary")
        .by_village[0]
        .key
        .clone();
    let campaign: String = conn
        .query_row(
            "SELECT c.id FROM campaign c WHERE c.start_date >= ?1 AND c.end_date <= ?2
             ORDER BY (SELECT count(*) FROM record_campaign rc WHERE rc.campaign_id = c.id) DESC
             LIMIT 1",
            [&year.0, &year.1],
            |r| r.get(0),
        )
        .expect("a campaign of the year");

    let mut g = c.benchmark_group("dashboard");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    g.bench_function("one year, the whole county", |b| {
        b.iter(|| black_box(reports::summary(conn, &filter(&year.0, &year.1)).unwrap()))
    });
    g.bench_function("ten years, the whole county", |b| {
        b.iter(|| black_box(reports::summary(conn, &filter(&decade.0, &decade.1)).unwrap()))
    });
    g.bench_function("one year cut at odd days (2025-03-17…2025-11-04)", |b| {
        b.iter(|| black_box(reports::summary(conn, &filter("2025-03-17", "2025-11-04")).unwrap()))
    });
    g.bench_function("one year, one village", |b| {
        let f = SummaryFilter {
            village: Some(village.clone()),
            ..filter(&year.0, &year.1)
        };
        b.iter(|| black_box(reports::summary(conn, &f).unwrap()))
    });
    g.bench_function("one campaign", |b| {
        let f = SummaryFilter {
            campaign_id: Some(campaign.clone()),
            ..filter(&year.0, &year.1)
        };
        b.iter(|| black_box(reports::summary(conn, &f).unwrap()))
    });
    g.bench_function("hand-written SQL totals, one year", |b| {
        b.iter(|| black_box(hand_written(conn, &year.0, &year.1)))
    });
    g.bench_function("hand-written SQL totals, ten years", |b| {
        b.iter(|| black_box(hand_written(conn, &decade.0, &decade.1)))
    });
    g.finish();

    let mut g = c.benchmark_group("word report");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("普法工作年度总结 of one county year", |b| {
        b.iter(|| {
            let docx =
                report_docx::annual_report(conn, LAST_YEAR, &ReportText::default(), false).unwrap();
            let mut out = std::io::Cursor::new(Vec::new());
            report_docx::pack(docx, &mut out).unwrap();
            black_box(out.into_inner().len())
        })
    });
    g.finish();

    // A manual backup of the whole county database (its pages zstd-packed, then fsync), into a
    // file beside it on the same disk.
    let backups = tempfile::tempdir_in(&dir).expect("temp dir");
    let file = backups.path().join("county.pufabak");
    let bytes = std::fs::metadata(dir.join(pufa_core::db::DB_FILE))
        .expect("db")
        .len();
    let mut g = c.benchmark_group("backup");
    g.sample_size(10)
        .sampling_mode(criterion::SamplingMode::Flat)
        .measurement_time(Duration::from_secs(60));
    g.bench_function(
        format!(
            "backup of the county database ({:.1} GB)",
            bytes as f64 / 1e9
        ),
        |b| {
            b.iter(|| {
                let info = backup::create(
                    conn,
                    db.data_dir.as_deref(),
                    &file,
                    BackupKind::Manual,
                    &mut |_, _| true,
                )
                .unwrap();
                assert_eq!(info.records, records);
            })
        },
    );
    g.finish();
    drop(backups);

    // The ratios, from medians of plain timed runs (criterion's figures are above).
    for (name, (from, to)) in [("one year", &year), ("ten years", &decade)] {
        let dashboard = median(15, || {
            black_box(reports::summary(conn, &filter(from, to)).unwrap());
        });
        let sql = median(15, || {
            black_box(hand_written(conn, from, to));
        });
        eprintln!(
            "{name}: dashboard {dashboard:.1?}, hand-written SQL totals {sql:.1?}, ratio {:.3}",
            dashboard.as_secs_f64() / sql.as_secs_f64()
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
