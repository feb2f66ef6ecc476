//! Word report speed on a busy year: 20,000 approved records (30 villages, 8 campaigns, one to
//! three material hand-outs each) in a database file, as the app opens it (built by
//! `common::busy_town`, which the `ledger` bench shares).
//!
//! Target: the 普法工作年度总结 — the summary and every breakdown, the 附件 tables, the .docx
//! packed — ≤ 500 ms.
//!
//! `cargo bench -p pufa-core --bench reports`

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use pufa_core::export::report_docx::{self, ReportText};
use pufa_core::Db;
use std::hint::black_box;
use std::time::{Duration, Instant};

const RECORDS: usize = 20_000;
const YEAR: i32 = 2025;

/// The year's summary written and packed, as `export report-docx` does (without the file).
fn annual_docx(db: &Db) -> Vec<u8> {
    let docx = report_docx::annual_report(&db.conn, YEAR, &ReportText::default(), false).unwrap();
    let mut out = Vec::new();
    report_docx::pack(docx, &mut out).unwrap();
    out
}

fn reports(c: &mut Criterion) {
    let town = common::busy_town("reports", YEAR, 1, RECORDS);
    let bytes = annual_docx(&town.db);
    assert!(bytes.starts_with(b"PK"), "a zip");
    let s = pufa_core::reports::summary(
        &town.db.conn,
        &pufa_core::reports::SummaryFilter {
            from: format!("{YEAR}-01-01"),
            to: format!("{YEAR}-12-31"),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(s.activities, RECORDS as i64, "every record counts");

    // A plain timing first, so the figure is printed even with a short criterion run.
    let runs = 5;
    let started = Instant::now();
    for _ in 0..runs {
        black_box(annual_docx(&town.db));
    }
    let each: Duration = started.elapsed() / runs;

    let mut group = c.benchmark_group("reports");
    group.sample_size(10);
    group.bench_function("annual_report + pack (20,000 records)", |b| {
        b.iter(|| annual_docx(black_box(&town.db)))
    });
    group.finish();
    eprintln!(
        "reports target: annual report docx {:.0} ms (≤ 500 ms), {} KB",
        each.as_secs_f64() * 1000.0,
        bytes.len() / 1024
    );
}

criterion_group!(benches, reports);
criterion_main!(benches);
