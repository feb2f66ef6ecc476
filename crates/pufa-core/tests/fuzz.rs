//! Fuzzing the two readers of files from outside: data packages (the zip, the manifest, every
//! row through its checks, the attachments) and backups (the header, the zstd stream, the pages
//! and the attachments in it). Inputs are valid files mutated at random — bytes flipped, cut or
//! inserted, and rows or stream fields replaced by hostile values — and none may panic: each is
//! taken or refused with an error.
//!
//! CI runs a short round (`PUFA_FUZZ_CASES` unset: 1,500 inputs per property). A long run sets
//! the count for all (`PUFA_FUZZ_CASES`) or per property (`PUFA_FUZZ_CASES_PACKAGE_BYTES`,
//! `…_PACKAGE_ROWS`, `…_BACKUP`), e.g. a million inputs in all:
//!   PUFA_FUZZ_CASES_PACKAGE_BYTES=570000 PUFA_FUZZ_CASES_PACKAGE_ROWS=31000 \
//!   PUFA_FUZZ_CASES_BACKUP=400000 cargo test -p pufa-core --test fuzz -- --nocapture
//! (each property prints its count and time; PUFA_FUZZ_SHOW_TAKEN=1 lists the hostile row
//! values a package was taken with).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use pufa_core::backup::{self, BackupKind};
use pufa_core::exchange::package::{self, ImportOptions, PackageScope};
use pufa_core::record::{self, RecordInput};
use pufa_core::town::{setup, SetupInput};
use pufa_core::Db;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::cell::{Cell, RefCell};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

/// Inputs for the property `name`: `PUFA_FUZZ_CASES_<NAME>`, else `PUFA_FUZZ_CASES`, else
/// the short round of CI.
fn cases(name: &str) -> u32 {
    let var = |k: &str| std::env::var(k).ok().and_then(|v| v.parse().ok());
    var(&format!("PUFA_FUZZ_CASES_{}", name.to_uppercase()))
        .or_else(|| var("PUFA_FUZZ_CASES"))
        .unwrap_or(1_500)
}

fn runner(name: &str) -> TestRunner {
    TestRunner::new(Config {
        cases: cases(name),
        failure_persistence: None,
        ..Config::default()
    })
}

/// A town with a record and a photo, its package and its backup (bytes), made once.
struct Seed {
    package: Vec<u8>,
    backup: Vec<u8>,
}

/// A data folder that lives as long as the test process.
fn folder(name: &str) -> std::path::PathBuf {
    let dir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
    dir.path().join(name)
}

fn seed() -> &'static Seed {
    static SEED: OnceLock<Seed> = OnceLock::new();
    SEED.get_or_init(|| {
        let dir = folder("seed");
        let mut db = Db::open_dir(&dir).unwrap();
        setup(
            &mut db,
            &SetupInput {
                town: "双龙镇".into(),
                villages: vec!["安静村\n石院村".into()],
                ..Default::default()
            },
        )
        .unwrap();
        let r = record::create(
            &mut db,
            &RecordInput {
                title: "宪法进院坝".into(),
                date: "2025-03-05".into(),
                unit_id: Some("安静村".into()),
                formats: vec!["lecture".into()],
                participants: 40.0,
                recorder: "李明".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let photo = dir.join("photo.png");
        let img =
            image::RgbImage::from_fn(16, 12, |x, y| image::Rgb([x as u8 * 9, y as u8 * 9, 90]));
        img.save(&photo).unwrap();
        pufa_core::attachment::add(&mut db, &r.id, &photo, "photo").unwrap();
        let pkg = dir.join("seed.pufapkg");
        package::export(
            &db.conn,
            db.data_dir.as_deref(),
            &pkg,
            &PackageScope::default(),
            &mut |_, _| true,
        )
        .unwrap();
        let bak = dir.join("seed.pufabak");
        backup::create(
            &db.conn,
            db.data_dir.as_deref(),
            &bak,
            BackupKind::Manual,
            &mut |_, _| true,
        )
        .unwrap();
        Seed {
            package: std::fs::read(pkg).unwrap(),
            backup: std::fs::read(bak).unwrap(),
        }
    })
}

/// A second laptop of the town, started from the seed's package (so the packages fuzzed are
/// its town's, from a laptop it knows).
fn laptop(name: &str) -> Db {
    let mut db = Db::open_dir(&folder(name)).unwrap();
    package::import_bytes(
        &mut db,
        Path::new("seed.pufapkg"),
        &seed().package,
        &ImportOptions::default(),
    )
    .unwrap();
    db
}

/// Damage to bytes: (position, new byte) flips, an optional cut, an optional insertion.
type Damage = (Vec<(usize, u8)>, Option<usize>, Option<(usize, Vec<u8>)>);

/// Random damage to bytes.
fn damage() -> impl Strategy<Value = Damage> {
    (
        prop::collection::vec((any::<usize>(), any::<u8>()), 0..8),
        prop::option::of(any::<usize>()),
        prop::option::of((any::<usize>(), prop::collection::vec(any::<u8>(), 1..64))),
    )
}

fn apply(base: &[u8], (flips, cut, insert): &Damage) -> Vec<u8> {
    let mut b = base.to_vec();
    for (at, v) in flips {
        let n = b.len();
        b[at % n] = *v;
    }
    if let Some((at, bytes)) = insert {
        let at = at % (b.len() + 1);
        b.splice(at..at, bytes.iter().copied());
    }
    if let Some(at) = cut {
        b.truncate(at % (b.len() + 1));
    }
    b
}

/// Hostile JSON values for a row's field.
fn hostile_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::from),
        Just(Value::from("2026-02-30")),
        Just(Value::from("..")),
        Just(Value::from("../../evil")),
        Just(Value::from("安静\u{202E}村")),
        Just(Value::from("[\"lecture\",\"lecture\"]")),
        Just(Value::from("9999999999999-9999-zz")),
        Just(Value::from("2051222400000-0000-device")),
        prop::collection::vec(".{0,8}".prop_map(Value::from), 0..4).prop_map(Value::Array),
        Just(serde_json::json!({"x": [1, {"y": null}]})),
    ]
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().to_string(), b)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let o =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (n, b) in entries {
        zip.start_file(n.as_str(), o).unwrap();
        zip.write_all(b).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

/// The package with one field of one line of one entry replaced (a row, the manifest), and
/// the manifest's checksums made right again — the rows' own checks must catch it.
fn mutate_structure(
    base: &[u8],
    entry: usize,
    line: usize,
    field: usize,
    value: Value,
) -> (Vec<u8>, String) {
    let mut what = String::new();
    let mut entries = unzip(base);
    let json_entries: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| n.ends_with(".jsonl") || n == "manifest.json")
        .map(|(i, _)| i)
        .collect();
    let target = json_entries[entry % json_entries.len()];
    let name = entries[target].0.clone();
    if name == "manifest.json" {
        let mut m: Value = serde_json::from_slice(&entries[target].1).unwrap();
        if let Some(obj) = m.as_object_mut() {
            let keys: Vec<String> = obj.keys().cloned().collect();
            let k = &keys[field % keys.len()];
            if k != "entries" {
                what = format!("{name} {k}");
                obj.insert(k.clone(), value);
            }
        }
        entries[target].1 = serde_json::to_vec(&m).unwrap();
    } else {
        let text = String::from_utf8(entries[target].1.clone()).unwrap();
        let mut lines: Vec<Value> = text
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        if !lines.is_empty() {
            let n = lines.len();
            let row = &mut lines[line % n];
            if let Some(obj) = row.as_object_mut() {
                let keys: Vec<String> = obj.keys().cloned().collect();
                let k = keys[field % keys.len()].clone();
                what = format!("{name} {k}");
                obj.insert(k, value);
                // A new version, so the row is not taken for one the receiver has.
                if let Some(Value::String(h)) = obj.get("hlc").cloned() {
                    if h.len() > 19 && h.is_ascii() {
                        let ms = std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .unwrap()
                            .as_millis();
                        obj.insert("base_hlc".into(), Value::from(h.clone()));
                        obj.insert("hlc".into(), Value::from(format!("{ms:013}{}", &h[13..])));
                    }
                }
            }
        }
        entries[target].1 = lines
            .iter()
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            .into_bytes();
    }
    // Checksums made right.
    let sums: serde_json::Map<String, Value> = entries
        .iter()
        .filter(|(n, _)| n != "manifest.json")
        .map(|(n, b)| (n.clone(), Value::from(format!("{:x}", Sha256::digest(b)))))
        .collect();
    if let Some(m) = entries.iter_mut().find(|(n, _)| n == "manifest.json") {
        if let Ok(mut v) = serde_json::from_slice::<Value>(&m.1) {
            if v.is_object() {
                v["entries"] = Value::Object(sums);
                m.1 = serde_json::to_vec(&v).unwrap();
            }
        }
    }
    (rezip(&entries), what)
}

fn report(what: &str, n: u32, started: Instant, accepted: u64) {
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "fuzz {what}: {n} inputs in {secs:.1} s ({:.0}/s), {accepted} taken, the rest refused, no panic",
        f64::from(n) / secs
    );
}

/// Imports into a laptop of the town each package `make` builds from a random input of
/// `strategy`, for the property `name`; `make` also says what it changed (for the log).
fn fuzz_packages<S: Strategy>(
    name: &str,
    strategy: S,
    make: impl Fn(S::Value) -> (Vec<u8>, String),
) {
    let db = RefCell::new(laptop(name));
    let started = Instant::now();
    let accepted = Cell::new(0u64);
    let show = std::env::var_os("PUFA_FUZZ_SHOW_TAKEN").is_some();
    runner(name)
        .run(&strategy, |input| {
            let (bytes, what) = make(input);
            let r = package::import_bytes(
                &mut db.borrow_mut(),
                Path::new("fuzz.pufapkg"),
                &bytes,
                &ImportOptions { trust_device: true },
            );
            accepted.set(accepted.get() + u64::from(r.is_ok()));
            // What a hostile value changed when it was taken (PUFA_FUZZ_SHOW_TAKEN=1).
            if let (true, Ok(report)) = (show, &r) {
                if report.added + report.updated + report.deleted > 0 {
                    eprintln!("taken: {what}");
                }
            }
            Ok(())
        })
        .unwrap();
    report(
        &name.replace('_', " "),
        cases(name),
        started,
        accepted.get(),
    );
}

#[test]
fn damaged_packages_are_refused_never_panic() {
    let base = &seed().package;
    fuzz_packages("package_bytes", damage(), |d| {
        (apply(base, &d), format!("{d:?}"))
    });
}

#[test]
fn packages_with_hostile_rows_are_refused_never_panic() {
    let base = &seed().package;
    let strategy = (
        any::<usize>(),
        any::<usize>(),
        any::<usize>(),
        hostile_value(),
    );
    fuzz_packages("package_rows", strategy, |(entry, line, field, value)| {
        let shown = value.to_string();
        let (bytes, what) = mutate_structure(base, entry, line, field, value);
        (bytes, format!("{what} = {shown}"))
    });
}

/// A packed backup's header and stream, both damaged at random, and streams written anew
/// with random page sizes, counts, tags, names and lengths.
#[test]
fn damaged_backups_are_refused_never_panic() {
    let base = &seed().backup;
    let description = u32::from_le_bytes(base[12..16].try_into().unwrap()) as usize;
    let header = base[..16 + description].to_vec();
    let started = Instant::now();
    let accepted = Cell::new(0u64);
    let fields = (
        any::<u32>(),
        0u32..8,
        prop::collection::vec(
            (
                any::<u8>(),
                any::<u32>(),
                ".{0,24}",
                any::<u64>(),
                prop::collection::vec(any::<u8>(), 0..32),
            ),
            0..4,
        ),
    );
    let strategy = prop_oneof![damage().prop_map(Err), fields.prop_map(Ok),];
    runner("backup")
        .run(&strategy, |input| {
            let bytes = match input {
                Err(d) => apply(base, &d),
                Ok((page_size, pages, parts)) => {
                    // A valid frame around a made-up stream.
                    let mut inner = Vec::new();
                    inner.extend(page_size.to_le_bytes());
                    inner.extend(pages.to_le_bytes());
                    let size = (page_size as usize).min(4096);
                    inner.extend(std::iter::repeat_n(0u8, size * pages as usize));
                    for (tag, name_len, name, len, data) in parts {
                        inner.push(tag % 3);
                        inner.extend(name_len.min(64).to_le_bytes());
                        inner.extend(name.as_bytes());
                        inner.extend(len.to_le_bytes());
                        inner.extend(data);
                    }
                    let mut out = header.clone();
                    let mut z = zstd::stream::write::Encoder::new(&mut out, 1).unwrap();
                    z.include_checksum(true).unwrap();
                    z.write_all(&inner).unwrap();
                    z.finish().unwrap();
                    out
                }
            };
            accepted.set(accepted.get() + u64::from(backup::read_packed_bytes(&bytes).is_ok()));
            Ok(())
        })
        .unwrap();
    report(
        "backup header and stream",
        cases("backup"),
        started,
        accepted.get(),
    );
}
