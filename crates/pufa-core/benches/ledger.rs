//! 台账 Excel export speed and memory on a big town: 100,000 approved records (2016–2025, 10,000
//! a year; 30 villages, 8 campaigns a year, one to three material hand-outs each) in a database
//! file, as the app opens it (built by `common::busy_town`, which the `reports` bench shares).
//! `export::ledger::export_xlsx` writes every record as a row of the 活动台账 sheet, the totals
//! sheets and the .xlsx file; it is timed on all 100,000 records and on one year (10,000, a
//! date-range filter).
//!
//! Targets: the 100,000-row export ≤ 3 s, with memory that does not grow with the row count
//! (the rows are streamed). A counting global allocator measures the peak heap growth of one
//! export of each size; the bench fails if the 100,000-row peak reaches twice the 10,000-row
//! one. (SQLite allocates outside the Rust heap; its share shows in the peak RSS printed beside,
//! on Linux.) The 100,000-row file is then read back with calamine, row by row.
//!
//! `cargo bench -p pufa-core --bench ledger`

mod common;

use common::memory::{reset_peak_rss, status_kib};

use calamine::{open_workbook, DataRef, Reader, Xlsx};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use pufa_core::export::ledger;
use pufa_core::record::RecordFilter;
use pufa_core::Db;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

const FIRST_YEAR: i32 = 2016;
const YEARS: i32 = 10;
const PER_YEAR: usize = 10_000;
const RECORDS: usize = PER_YEAR * YEARS as usize;
const LAST_YEAR: i32 = FIRST_YEAR + YEARS - 1;

/// The heap growth since counting started and its high-water mark, in bytes, while `COUNTING`
/// (below zero when the export frees what was allocated before it).
static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
/// On only for the measured runs: two threads updating the same counters on every allocation
/// slow the export down, so the timed runs do not count.
static COUNTING: AtomicBool = AtomicBool::new(false);

/// The system allocator, counting.
struct Counting;

fn grew(bytes: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        let now = CURRENT.fetch_add(bytes as isize, Ordering::Relaxed) + bytes as isize;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn shrank(bytes: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        CURRENT.fetch_sub(bytes as isize, Ordering::Relaxed);
    }
}

// A global allocator can only be written as an unsafe impl; every call goes straight to
// `System` with the caller's arguments, so its contract is the caller's.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// On-CPU time of this thread in ns (Linux), to tell the code's cost from waiting for a CPU
/// on a busy machine; None elsewhere.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

const MIB: f64 = 1024.0 * 1024.0;

/// One export, measured.
struct Run {
    rows: u32,
    time: Duration,
    /// On-CPU time of the calling thread (Linux).
    cpu: Option<Duration>,
    /// Peak heap growth during the export, bytes.
    heap: usize,
    /// Peak RSS growth during the export, KiB (Linux).
    rss: Option<u64>,
    file: u64,
}

fn export(db: &Db, path: &Path, filter: &RecordFilter) -> u32 {
    ledger::export_xlsx(&db.conn, path, filter)
        .expect("export")
        .count
}

fn measured(db: &Db, path: &Path, filter: &RecordFilter) -> Run {
    let rss_before = reset_peak_rss();
    CURRENT.store(0, Ordering::SeqCst);
    PEAK.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    let (started, cpu_before) = (Instant::now(), thread_cpu_ns());
    let rows = export(db, path, filter);
    let time = started.elapsed();
    COUNTING.store(false, Ordering::SeqCst);
    let cpu = cpu_before.and_then(|before| Some(Duration::from_nanos(thread_cpu_ns()? - before)));
    let heap = PEAK.load(Ordering::SeqCst).max(0) as usize;
    let rss = rss_before.and_then(|before| Some(status_kib("VmHWM:")?.saturating_sub(before)));
    Run {
        rows,
        time,
        cpu,
        heap,
        rss,
        file: std::fs::metadata(path).expect("the file").len(),
    }
}

/// "rows: time, file, peak heap growth" of a run.
fn run_text(run: &Run) -> String {
    let cpu = run
        .cpu
        .map(|t| format!(" ({:.2} s on CPU)", t.as_secs_f64()))
        .unwrap_or_default();
    let rss = run
        .rss
        .map(|kib| format!(", peak RSS +{:.1} MiB", kib as f64 / 1024.0))
        .unwrap_or_default();
    format!(
        "{} rows: {:.2} s{cpu}, {:.1} MiB file, peak heap +{:.1} MiB{rss}",
        run.rows,
        run.time.as_secs_f64(),
        run.file as f64 / MIB,
        run.heap as f64 / MIB,
    )
}

/// Reads the detail sheet back cell by cell (without holding it): the header, every record's
/// row numbered 1…`rows`, then the 合计 row.
fn check_workbook(path: &Path, rows: usize) {
    let mut wb: Xlsx<_> = open_workbook(path).expect("calamine opens the file");
    assert_eq!(
        wb.sheet_names(),
        [
            "活动台账",
            "按普法节点",
            "按活动专项",
            "按村（社区）",
            "资料发放"
        ]
    );
    let mut cells = wb.worksheet_cells_reader("活动台账").expect("detail sheet");
    let (mut numbered, mut last_row) = (0usize, 0u32);
    let (mut header, mut total, mut total_count) = (false, false, false);
    while let Some(cell) = cells.next_cell().expect("a cell") {
        let (row, col) = cell.get_position();
        last_row = last_row.max(row);
        let value = cell.get_value();
        let text = match value {
            DataRef::String(s) => Some(s.as_str()),
            DataRef::SharedString(s) => Some(*s),
            _ => None,
        };
        match (row as usize, col) {
            (0, 0) => header = text == Some("序号"),
            (r, 0) if r <= rows => {
                let n = match value {
                    DataRef::Float(f) => *f as usize,
                    DataRef::Int(i) => *i as usize,
                    other => panic!("row {r}: 序号 is {other:?}"),
                };
                assert_eq!(n, r, "row {r} is numbered {n}");
                numbered += 1;
            }
            (r, 0) => total = r == rows + 1 && text == Some("合计"),
            (r, 4) if r == rows + 1 => total_count = text == Some(format!("{rows} 场").as_str()),
            _ => {}
        }
    }
    assert!(header, "the header row");
    assert_eq!(numbered, rows, "one numbered row per record");
    assert!(total && total_count, "the 合计 row counts {rows} 场");
    assert_eq!(last_row as usize, rows + 1, "header + {rows} rows + 合计");
}

fn ledger(c: &mut Criterion) {
    let town = common::busy_town("ledger", FIRST_YEAR, YEARS, PER_YEAR);
    let out = tempfile::tempdir().expect("temp dir");
    let all_path = out.path().join("台账（全部）.xlsx");
    let year_path = out.path().join(format!("台账（{LAST_YEAR}年）.xlsx"));
    let all = RecordFilter::default();
    let year = RecordFilter {
        from: Some(format!("{LAST_YEAR}-01-01")),
        to: Some(format!("{LAST_YEAR}-12-31")),
        ..Default::default()
    };

    // Once unmeasured, so what the first export sets up for good (the statements cached on the
    // connection) is not counted as growth.
    assert_eq!(export(&town.db, &year_path, &year) as usize, PER_YEAR);
    let small = measured(&town.db, &year_path, &year);
    let big = measured(&town.db, &all_path, &all);
    eprintln!("ledger export {} ({})", run_text(&big), run_text(&small));
    assert_eq!(small.rows as usize, PER_YEAR, "one year's records");
    assert_eq!(big.rows as usize, RECORDS, "every record");
    assert!(
        big.heap < 2 * small.heap,
        "the export's heap grows with the row count: {RECORDS} rows +{} bytes, {PER_YEAR} rows \
         +{} bytes",
        big.heap,
        small.heap
    );
    let read_back = Instant::now();
    check_workbook(&all_path, RECORDS);
    eprintln!(
        "ledger bench: the {RECORDS}-row file read back with calamine in {:.1} s: header, \
         {RECORDS} numbered rows, 合计",
        read_back.elapsed().as_secs_f64()
    );

    // Ten samples of the same number of exports each (at ~5 s an export, one: criterion then
    // warns that it cannot complete the samples in time, which is expected).
    let mut group = c.benchmark_group("ledger");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(45));
    group.bench_function("export_xlsx (100,000 records, 2016–2025)", |b| {
        b.iter(|| export(black_box(&town.db), &all_path, black_box(&all)))
    });
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("export_xlsx (10,000 records, 2025)", |b| {
        b.iter(|| export(black_box(&town.db), &year_path, black_box(&year)))
    });
    group.finish();
    eprintln!(
        "ledger target: {RECORDS}-row 台账 export {:.2} s (≤ 3 s), peak heap +{:.1} MiB \
         ({PER_YEAR} rows: +{:.1} MiB)",
        big.time.as_secs_f64(),
        big.heap as f64 / MIB,
        small.heap as f64 / MIB,
    );
}

criterion_group!(benches, ledger);
criterion_main!(benches);
