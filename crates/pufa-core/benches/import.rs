//! Excel import speed and memory: a 20,000-row 活动登记表 (the template's columns, every field filled; a
//! third of the rows with an approximate count, half with two hand-outs) into a town that has
//! a year of records (`common::busy_town`: 30 villages, 20,000 approved records of 2026, in a
//! database file). `xlsx_import::preview` reads and checks every row and writes nothing;
//! `xlsx_import::import` checks them again and writes them in one transaction, each run on a
//! fresh copy of the database (the copying is not timed).
//!
//! Targets (issue 16): the 20,000-row import ≤ 2 s, with a peak RSS ≤ 150 MB. The peak is
//! that of a process doing nothing but the import, as the CLI's `import xlsx` does: the bench
//! runs itself again as a child ([`CHILD`]) on a fresh copy of the database and reads the
//! child's peak from /proc (Linux); the bench process itself holds the busy town and
//! criterion's samples, which are not the import's. The child also reports when the database
//! is closed: the WAL checkpoint the import leaves to a background connection is done by then.
//!
//! `cargo bench -p pufa-core --bench import`

mod common;

/// The app's allocator (src-tauri/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use calamine::{open_workbook, Reader, Xlsx};
use criterion::{criterion_group, BatchSize, Criterion, SamplingMode};
use pufa_core::exchange::{template, xlsx_import};
use pufa_core::Db;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ROWS: usize = 20_000;
/// Set in the child's environment: "<database file>\t<workbook>".
const CHILD: &str = "PUFA_BENCH_IMPORT_CHILD";
/// Set to a folder: the bench leaves its base database and workbook there and stops (profiling).
const KEEP: &str = "PUFA_BENCH_IMPORT_KEEP";
const YEAR: i32 = 2026;

/// The template's header, as `template::write` makes it.
fn template_header(db: &Db, dir: &Path) -> Vec<String> {
    let path = dir.join("活动登记表.xlsx");
    template::write(&db.conn, &path).expect("template");
    let mut wb: Xlsx<_> = open_workbook(&path).expect("open the template");
    let range = wb.worksheet_range("活动登记").expect("the data sheet");
    (0..range.width())
        .map(|c| range.get((0, c)).map(|d| d.to_string()).unwrap_or_default())
        .collect()
}

/// ROWS filled-in rows under the template's header.
fn workbook(path: &Path, header: &[String]) {
    let materials = [
        "宪法读本",
        "民法典宣传手册",
        "反诈宣传折页",
        "法律明白纸",
        "法治环保袋",
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("活动登记").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in header.iter().enumerate() {
        ws.write(0, c as u16, h.as_str()).unwrap();
    }
    let col = |h: &str| header.iter().position(|x| x == h).expect(h) as u16;
    let first = chrono::NaiveDate::from_ymd_opt(YEAR, 1, 2).unwrap();
    for i in 0..ROWS {
        let r = 1 + i as u32;
        let d = first + chrono::Days::new((i * 300 / ROWS) as u64);
        let dt = ExcelDateTime::parse_from_str(&d.to_string()).unwrap();
        ws.write_datetime_with_format(r, col("日期"), &dt, &date)
            .unwrap();
        let texts: [(&str, String); 12] = [
            ("开始时间", "9:00".into()),
            ("结束时间", "11:30".into()),
            ("村/社区", format!("第{}村", i % 30 + 1)),
            ("地点", "村委会院坝".into()),
            (
                "活动名称",
                format!("第{}村普法宣传（导入第{i}场）", i % 30 + 1),
            ),
            ("活动形式", "集中宣传、有奖问答".into()),
            ("宣传对象", "村(居)民、青少年学生".into()),
            ("法律法规", "宪法、民法典".into()),
            ("主讲人", "王明（律师）".into()),
            ("发放资料1", materials[i % materials.len()].into()),
            (
                "活动简述",
                "在村委会院坝设点宣传宪法和民法典，律师现场解答群众咨询，开展有奖问答。".into(),
            ),
            ("记录人", "王芳".into()),
        ];
        for (h, v) in texts {
            ws.write(r, col(h), v).unwrap();
        }
        let participants = (20 + i * 37 % 180) as f64;
        ws.write(r, col("参加人数"), participants).unwrap();
        if i % 3 == 0 {
            ws.write(r, col("受众人次"), format!("{}余", participants as i64 * 2))
                .unwrap();
        } else {
            ws.write(r, col("受众人次"), (participants * 1.5).floor())
                .unwrap();
        }
        ws.write(r, col("咨询人次"), (i % 23) as f64).unwrap();
        ws.write(r, col("横幅（条）"), (i % 3) as f64).unwrap();
        ws.write(r, col("展板（块）"), (i % 5) as f64).unwrap();
        ws.write(r, col("数量1"), (10 + i % 50) as f64).unwrap();
        if i % 2 == 0 {
            ws.write(r, col("发放资料2"), materials[(i + 2) % materials.len()])
                .unwrap();
            ws.write(r, col("数量2"), format!("{}份", 5 + i % 20))
                .unwrap();
        }
    }
    wb.save(path).expect("save the workbook");
}

/// A fresh copy of the town's database in its own folder.
fn fresh_copy(base: &Path) -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    common::copy_database(base, dir.path());
    let db = Db::open_dir(dir.path()).expect("open the copy");
    (dir, db)
}

fn import(c: &mut Criterion) {
    let town = common::busy_town("import", YEAR, 1, ROWS);
    let out = tempfile::tempdir().expect("temp dir");
    let header = template_header(&town.db, out.path());
    let path: PathBuf = out.path().join("活动登记（20000行）.xlsx");
    let started = Instant::now();
    workbook(&path, &header);
    eprintln!(
        "import bench: {ROWS}-row workbook ({:.1} MB) written in {:.1} s",
        std::fs::metadata(&path).unwrap().len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    // The base every import starts from: everything checkpointed into the file.
    town.db
        .conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    let base = town
        .db
        .data_dir
        .clone()
        .expect("a data folder")
        .join(pufa_core::db::DB_FILE);

    // For profiling (README, Speed): leave the base and the workbook in a folder
    // and stop; then run this binary with CHILD under a profiler.
    if let Ok(keep) = std::env::var(KEEP) {
        let keep = Path::new(&keep);
        std::fs::create_dir_all(keep).expect("the folder to keep them in");
        std::fs::copy(&base, keep.join("base.db")).expect("copy the base");
        std::fs::copy(&path, keep.join("book.xlsx")).expect("copy the workbook");
        eprintln!(
            "import bench: kept in {}; profile with {CHILD}=\"{}\\t{}\"",
            keep.display(),
            keep.join("base.db").display(),
            keep.join("book.xlsx").display()
        );
        return;
    }
    // Once each, timed by hand, with the results checked.
    let started = Instant::now();
    let p = xlsx_import::preview(&town.db.conn, &path, &Default::default(), &mut |_, _| true)
        .expect("preview");
    let preview_time = started.elapsed();
    assert_eq!(
        (p.valid, p.duplicates, p.error_rows),
        (ROWS as u32, 0, 0),
        "{:?}",
        &p.errors[..p.errors.len().min(5)]
    );
    let (_dir, mut db) = fresh_copy(&base);
    let started = Instant::now();
    let r =
        xlsx_import::import(&mut db, &path, &Default::default(), &mut |_, _| true).expect("import");
    let import_time = started.elapsed();
    assert_eq!((r.imported, r.error_rows), (ROWS as u32, 0));
    let again = xlsx_import::import(&mut db, &path, &Default::default(), &mut |_, _| true)
        .expect("import again");
    assert_eq!((again.imported, again.duplicates), (0, ROWS as u32));
    eprintln!(
        "import bench: preview {:.2} s, import {:.2} s ({} warnings: 约数 and stock)",
        preview_time.as_secs_f64(),
        import_time.as_secs_f64(),
        r.warnings.len()
    );

    let mut group = c.benchmark_group("import");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("preview (20,000 rows)", |b| {
        b.iter(|| {
            xlsx_import::preview(
                black_box(&town.db.conn),
                &path,
                &Default::default(),
                &mut |_, _| true,
            )
            .expect("preview")
        })
    });
    // Several seconds an import on a busy two-core machine: ten samples take that long.
    group.measurement_time(Duration::from_secs(120));
    group.bench_function("import (20,000 rows, one transaction)", |b| {
        b.iter_batched(
            || fresh_copy(&base),
            |(dir, mut db)| {
                let r = xlsx_import::import(&mut db, &path, &Default::default(), &mut |_, _| true)
                    .expect("import");
                assert_eq!(r.imported, ROWS as u32);
                (dir, db)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
    let child = in_a_child(&base, &path);
    eprintln!(
        "import target: {ROWS}-row import {:.2} s (≤ 2 s), peak RSS {} (≤ 150 MB); \
         preview {:.2} s",
        import_time.as_secs_f64(),
        child
            .peak_kib
            .map(|k| format!("{:.0} MB", k as f64 * 1024.0 / 1e6))
            .unwrap_or_else(|| "not measured here (Linux only)".into()),
        preview_time.as_secs_f64()
    );
}

/// What the child process measured.
struct ChildRun {
    seconds: f64,
    /// The import's time on a CPU, all threads (Linux): on a busy machine, what the import
    /// costs apart from waiting for a core.
    cpu_seconds: Option<f64>,
    /// The main thread's time on a CPU (Linux): the critical path, steadier than the wall clock
    /// on a shared machine.
    main_cpu_seconds: Option<f64>,
    /// The process's peak RSS (KiB), Linux only.
    peak_kib: Option<u64>,
}

/// Imports `workbook` into a fresh copy of `base` in a process of its own and reads its time
/// and peak RSS.
fn in_a_child(base: &Path, workbook: &Path) -> ChildRun {
    let out = std::process::Command::new(std::env::current_exe().expect("the bench binary"))
        .env(CHILD, format!("{}\t{}", base.display(), workbook.display()))
        .output()
        .expect("run the child");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the child failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let field = |key: &str| {
        text.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .map(str::to_string)
    };
    let run = ChildRun {
        seconds: field("seconds=")
            .and_then(|v| v.parse().ok())
            .expect("seconds"),
        cpu_seconds: field("cpu_seconds=").and_then(|v| v.parse().ok()),
        main_cpu_seconds: field("main_cpu_seconds=").and_then(|v| v.parse().ok()),
        peak_kib: field("peak_kib=").and_then(|v| v.parse().ok()),
    };
    eprintln!(
        "import bench (own process): {ROWS} rows imported in {:.2} s{}; the database closed, \
         its checkpoint done, at {} s; peak RSS {}, before the import {}",
        run.seconds,
        match (run.cpu_seconds, run.main_cpu_seconds) {
            (Some(all), Some(main)) =>
                format!(" ({all:.2} s on CPU, all threads; {main:.2} s the main thread)"),
            (Some(all), None) => format!(" ({all:.2} s on CPU, all threads)"),
            _ => String::new(),
        },
        field("closed_seconds=")
            .and_then(|v| v.parse::<f64>().ok())
            .map(|c| format!("{c:.2}"))
            .unwrap_or_else(|| "-".into()),
        run.peak_kib
            .map(|k| format!("{:.0} MB", k as f64 * 1024.0 / 1e6))
            .unwrap_or_else(|| "-".into()),
        field("before_kib=")
            .and_then(|v| v.parse::<u64>().ok())
            .map(|k| format!("{:.0} MB", k as f64 * 1024.0 / 1e6))
            .unwrap_or_else(|| "-".into()),
    );
    run
}

/// The child: opens a copy of the database as the CLI does, imports, prints its figures.
fn child(spec: &str) {
    let (base, workbook) = spec.split_once('\t').expect("database<TAB>workbook");
    let (_dir, mut db) = fresh_copy(Path::new(base));
    let before = common::memory::status_kib("VmRSS:");
    let cpu_before = common::memory::cpu_seconds();
    let main_before = common::memory::thread_cpu_seconds();
    let started = Instant::now();
    let r = xlsx_import::import(
        &mut db,
        Path::new(workbook),
        &Default::default(),
        &mut |_, _| true,
    )
    .expect("import");
    let seconds = started.elapsed().as_secs_f64();
    let main_cpu = common::memory::thread_cpu_seconds()
        .zip(main_before)
        .map(|(after, before)| format!("{:.3}", after - before))
        .unwrap_or_else(|| "-".into());
    assert_eq!(r.imported, ROWS as u32);
    drop(db);
    let closed = started.elapsed().as_secs_f64();
    let kib = |v: Option<u64>| v.map(|k| k.to_string()).unwrap_or_else(|| "-".into());
    println!(
        "seconds={seconds} closed_seconds={closed} cpu_seconds={} main_cpu_seconds={main_cpu} peak_kib={} before_kib={}",
        common::memory::cpu_seconds()
            .zip(cpu_before)
            .map(|(after, before)| format!("{:.2}", after - before))
            .unwrap_or_else(|| "-".into()),
        kib(common::memory::peak_rss()),
        kib(before)
    );
}

criterion_group!(benches, import);

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        return child(&spec);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
