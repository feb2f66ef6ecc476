//! Data packages (village ⇄ town → county) on a big town: 100,000 approved records (2016–2025,
//! 10,000 a year; 30 villages, 8 campaigns a year, one to three hand-outs each), built by
//! `common::busy_town`.
//!
//! The town exports everything (timed), a second laptop adopts the package (timed), then a
//! tenth of the town's records are edited and the town exports everything again: the timed
//! merge imports that package into a fresh copy of the second laptop — 10,000 updates and
//! 90,000 unchanged records, with their campaign links, hand-outs, stock and tallies.
//!
//! Target: the merge of a 100,000-record package ≤ 5 s.
//!
//! `cargo bench -p pufa-core --bench package`

mod common;

/// The app's allocator (src-tauri/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use pufa_core::exchange::package::{self, ImportOptions, PackageReport, PackageScope};
use pufa_core::Db;
use std::path::Path;
use std::time::{Duration, Instant};

const FIRST_YEAR: i32 = 2016;
const YEARS: i32 = 10;
const PER_YEAR: usize = 10_000;
const RECORDS: usize = PER_YEAR * YEARS as usize;

fn no_progress() -> impl FnMut(u64, u64) -> bool {
    |_, _| true
}

/// A copy of the data folder `from` (its database checkpointed first), opened.
fn copy_of(from: &Db, to: &Path) -> Db {
    from.conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    let dir = from.data_dir.as_ref().expect("a folder");
    std::fs::create_dir_all(to).expect("folder");
    common::copy_database(&dir.join(pufa_core::db::DB_FILE), to);
    Db::open_dir(to).expect("open the copy")
}

/// The merge as the window runs it once the user confirmed the sending laptop is the town's.
fn import(db: &mut Db, path: &Path) -> PackageReport {
    let trusted = ImportOptions { trust_device: true };
    package::import(db, path, &trusted, &mut no_progress()).expect("import")
}

fn package(c: &mut Criterion) {
    let town = common::busy_town("package", FIRST_YEAR, YEARS, PER_YEAR);
    let tmp = tempfile::tempdir().expect("temp dir");
    let full = tmp.path().join("双龙镇（全部）.pufapkg");

    let started = Instant::now();
    let exported = package::export(
        &town.db.conn,
        town.db.data_dir.as_deref(),
        &full,
        &PackageScope::default(),
        &mut no_progress(),
    )
    .expect("export");
    let export_time = started.elapsed();
    assert_eq!(exported.counts.records as usize, RECORDS);
    eprintln!(
        "package bench: export of everything ({RECORDS} records, {} rows in all) {:.2} s, {:.1} MiB",
        exported.counts.records
            + exported.counts.activities
            + exported.counts.campaigns
            + exported.counts.units
            + exported.counts.movements,
        export_time.as_secs_f64(),
        exported.bytes as f64 / 1024.0 / 1024.0
    );

    let mut laptop = Db::open_dir(&tmp.path().join("laptop")).expect("laptop");
    let started = Instant::now();
    let adopted = import(&mut laptop, &full);
    eprintln!(
        "package bench: a fresh laptop adopts the town ({} rows added) in {:.2} s",
        adopted.added,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(adopted.conflicts, 0);

    // A tenth of the records edited in the town (through the triggers that stamp a new
    // version and move the tallies), then everything exported again.
    town.db
        .conn
        .execute(
            "UPDATE record SET participants = participants + 1, narrative = '补充了活动简况'
             WHERE rowid % 10 = 0",
            [],
        )
        .expect("edits");
    let merge = tmp.path().join("双龙镇（修改后）.pufapkg");
    let started = Instant::now();
    package::export(
        &town.db.conn,
        town.db.data_dir.as_deref(),
        &merge,
        &PackageScope::default(),
        &mut no_progress(),
    )
    .expect("export");
    let second_export = started.elapsed();

    let copies = tempfile::tempdir().expect("temp dir");
    let mut n = 0;
    // A fresh copy of the laptop per merge (its folder removed after).
    let mut fresh = || {
        n += 1;
        let dir = copies.path().join(n.to_string());
        (copy_of(&laptop, &dir), dir)
    };
    let (mut first, dir) = fresh();
    let started = Instant::now();
    let report = import(&mut first, &merge);
    let merge_time = started.elapsed();
    assert_eq!(report.updated as usize, RECORDS / 10, "{report:?}");
    assert_eq!(report.conflicts, 0);
    assert!(report.unchanged as usize >= RECORDS - RECORDS / 10);
    drop(first);
    std::fs::remove_dir_all(dir).expect("clean up");
    eprintln!(
        "package bench: merge of a {RECORDS}-record package: {} updated, {} unchanged in {:.2} s \
         (its export {:.2} s)",
        report.updated,
        report.unchanged,
        merge_time.as_secs_f64(),
        second_export.as_secs_f64()
    );

    let mut group = c.benchmark_group("package");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(40));
    group.bench_function("merge a 100,000-record package (10% updated)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (mut db, dir) = fresh();
                let started = Instant::now();
                import(&mut db, &merge);
                total += started.elapsed();
                drop(db);
                std::fs::remove_dir_all(dir).expect("clean up");
            }
            total
        })
    });
    group.finish();
    eprintln!(
        "package target: merge of a {RECORDS}-record package {:.2} s (≤ 5 s); export {:.2} s",
        merge_time.as_secs_f64(),
        export_time.as_secs_f64()
    );
}

criterion_group!(benches, package);
criterion_main!(benches);
