use super::*;
use crate::campaign::{self, ArchiveFilter, CampaignFilter};
use crate::db::ATTACHMENTS_DIR;
use crate::demo::{self, DemoInput};
use crate::record::{self, RecordInput};
use crate::unit::UnitFilter;
use std::io::Cursor;

fn never_cancel() -> impl FnMut(u64, u64) -> bool {
    |_, _| true
}

/// The user confirmed the sending laptop is the town's (the tests' second laptops have no
/// user, so their packages speak for the town: see `scope`).
fn trusted() -> ImportOptions {
    ImportOptions { trust_device: true }
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 5, 90]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The demo town (last year, so every planned activity has its record) with a photo.
fn demo_town(dir: &Path) -> Db {
    use chrono::Datelike;
    let mut db = Db::open_dir(dir).unwrap();
    demo::load(
        &mut db,
        &DemoInput {
            seed: Some(7),
            year: Some(chrono::Local::now().year() - 1),
            scale: None,
        },
    )
    .unwrap();
    let first = record::list(&db.conn, &Default::default()).unwrap()[0]
        .id
        .clone();
    let photo = dir.join("现场照片.png");
    std::fs::write(&photo, png()).unwrap();
    attachment::add(&mut db, &first, &photo, "photo").unwrap();
    db
}

fn export_all(db: &Db, path: &Path) -> PackageExported {
    export_scope(db, path, &PackageScope::default())
}

fn export_scope(db: &Db, path: &Path, scope: &PackageScope) -> PackageExported {
    export(
        &db.conn,
        db.data_dir.as_deref(),
        path,
        scope,
        &mut never_cancel(),
    )
    .unwrap()
}

fn import_ok(db: &mut Db, path: &Path) -> PackageReport {
    import(db, path, &trusted(), &mut never_cancel()).unwrap()
}

/// Everything a user sees of the town, as JSON.
fn snapshot(db: &Db) -> Value {
    let c = &db.conn;
    let records = record::list(c, &Default::default()).unwrap();
    let files: Vec<_> = records
        .iter()
        .map(|r| attachment::list(c, &r.id).unwrap())
        .collect();
    serde_json::json!({
        "town": town::get_town(c).unwrap().map(|t| (t.id, t.name, t.county)),
        "units": crate::unit::list(c, &UnitFilter { include_archived: true, ..Default::default() }).unwrap(),
        "persons": crate::person::list(c, &crate::person::PersonFilter { include_archived: true, ..Default::default() }).unwrap(),
        "campaigns": campaign::list(c, &CampaignFilter { status: ArchiveFilter::All, ..Default::default() }).unwrap(),
        "activities": crate::activity::list(c, &Default::default()).unwrap(),
        "records": records,
        "attachments": files,
        "materials": crate::inventory::materials(c, true).unwrap(),
    })
}

fn count(db: &Db, table: &str) -> i64 {
    db.conn
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn db_bytes(db: &Db) -> Vec<u8> {
    db.conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    std::fs::read(db.data_dir.as_ref().unwrap().join(crate::db::DB_FILE)).unwrap()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

fn record_input(r: &record::Record) -> RecordInput {
    RecordInput {
        activity_id: r.activity_id.clone(),
        title: r.title.clone(),
        date: r.date.clone(),
        start_time: r.start_time.clone(),
        end_time: r.end_time.clone(),
        unit_id: r.unit_id.clone(),
        formats: r.formats.iter().map(|f| f.code().to_string()).collect(),
        audiences: r.audiences.iter().map(|a| a.code().to_string()).collect(),
        laws: r.laws.clone(),
        campaign_ids: r.campaign_ids.clone(),
        nodes: r.nodes.clone(),
        participants: r.participants as f64,
        reach: Some(r.reach as f64),
        narrative: Some(r.narrative.clone()),
        materials: r
            .materials
            .iter()
            .map(|m| record::MaterialLineInput {
                material_id: Some(m.material_id.clone()),
                material_name: None,
                quantity: m.quantity as f64,
                unit: Some(m.unit.clone()),
            })
            .collect(),
        recorder: r.recorder.clone(),
        confirm_below_zero: true,
        ..Default::default()
    }
}

/// A record that may be edited (not approved) in `db`.
fn editable(db: &Db) -> record::Record {
    record::list(&db.conn, &Default::default())
        .unwrap()
        .into_iter()
        .find(|r| r.review_status != record::ReviewStatus::Approved)
        .unwrap()
}

fn edit(db: &mut Db, id: &str, participants: f64) -> record::Record {
    let r = record::get(&db.conn, id).unwrap();
    let mut input = record_input(&r);
    input.participants = participants;
    input.reach = Some(participants);
    record::update(db, id, &input).unwrap()
}

/// The town, exported whole and imported into a second laptop: (temp, town, laptop, package).
fn two_laptops() -> (tempfile::TempDir, Db, Db) {
    let tmp = tempfile::tempdir().unwrap();
    let a = demo_town(&tmp.path().join("a"));
    let pkg = tmp.path().join("全部.pufapkg");
    export_all(&a, &pkg);
    let mut b = Db::open_dir(&tmp.path().join("b")).unwrap();
    import_ok(&mut b, &pkg);
    (tmp, a, b)
}

#[test]
fn round_trip_copies_the_town_field_for_field() {
    let tmp = tempfile::tempdir().unwrap();
    let a = demo_town(&tmp.path().join("a"));
    let pkg = tmp.path().join("双龙镇.pufapkg");
    let exported = export_all(&a, &pkg);
    assert_eq!(exported.counts.records as i64, count(&a, "record"));
    assert_eq!(exported.counts.files, 1);

    let mut b = Db::open_dir(&tmp.path().join("b")).unwrap();
    let mut calls = 0;
    let report = import(&mut b, &pkg, &trusted(), &mut |done, total| {
        calls += 1;
        assert!(done <= total);
        true
    })
    .unwrap();
    assert!(calls >= 1);
    assert!(report.adopted_town);
    assert_eq!((report.updated, report.conflicts, report.files), (0, 0, 1));
    assert_eq!(report.added, exported.counts.total());
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    for (key, va) in sa.as_object().unwrap() {
        let vb = &sb[key];
        if let (Some(xa), Some(xb)) = (va.as_array(), vb.as_array()) {
            assert_eq!(xa.len(), xb.len(), "{key}");
            for (x, y) in xa.iter().zip(xb) {
                assert_eq!(x, y, "{key}");
            }
        }
        assert_eq!(va, vb, "{key}");
    }
    // The photo's bytes, and a thumbnail made for it.
    let photo = &attachment::list(
        &b.conn,
        &record::list(&b.conn, &Default::default()).unwrap()[0].id,
    )
    .unwrap()[0];
    let dir_b = tmp.path().join("b");
    assert_eq!(std::fs::read(dir_b.join(&photo.stored)).unwrap(), png());
    assert!(dir_b.join(photo.thumbnail.as_ref().unwrap()).is_file());
    // Hand-outs left the same stores; the tallies agree with the records.
    assert_eq!(
        count(&a, "stock_movement WHERE kind = 'handout'"),
        count(&b, "stock_movement WHERE kind = 'handout'")
    );
    assert_eq!(count(&a, "stock_movement"), count(&b, "stock_movement"));
    assert!(crate::check::run(&b).unwrap().ok);
    let sums = |db: &Db| -> (i64, i64) {
        db.conn
            .query_row(
                "SELECT sum(activities), sum(participants) FROM record_tally
                 WHERE unit_id = '*' AND dim = 'all'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    assert_eq!(sums(&a), sums(&b));
}

#[test]
fn importing_twice_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let a = demo_town(&tmp.path().join("a"));
    let pkg = tmp.path().join("p.pufapkg");
    export_all(&a, &pkg);
    let mut b = Db::open_dir(&tmp.path().join("b")).unwrap();
    import_ok(&mut b, &pkg);
    let before = snapshot(&b);
    let rows = count(&b, "record") + count(&b, "activity") + count(&b, "stock_movement");
    let again = import_ok(&mut b, &pkg);
    assert_eq!(
        (
            again.added,
            again.updated,
            again.deleted,
            again.conflicts,
            again.files
        ),
        (0, 0, 0, 0, 0)
    );
    assert_eq!(
        again.unchanged,
        again.entities.iter().map(|e| e.unchanged).sum::<u64>()
    );
    assert!(again.unchanged > 100);
    assert_eq!(snapshot(&b), before);
    assert_eq!(
        rows,
        count(&b, "record") + count(&b, "activity") + count(&b, "stock_movement")
    );
    // And back into the town it came from: nothing new there either.
    let mut a = a;
    let back = import_ok(&mut a, &pkg);
    assert_eq!((back.added, back.updated, back.conflicts), (0, 0, 0));
}

#[test]
fn since_last_exports_only_what_changed() {
    let (tmp, mut a, mut b) = two_laptops();
    let since = PackageScope {
        since_last: true,
        village: None,
    };
    // The first "since last" after a whole export: nothing but the town row set.
    let first = tmp.path().join("1.pufapkg");
    let exported = export_scope(&a, &first, &since);
    assert_eq!(exported.counts.records, 0);
    export_scope(&a, &first, &since);
    let r = editable(&a);
    edit(&mut a, &r.id, 77.0);
    let pkg = tmp.path().join("2.pufapkg");
    let exported = export_scope(&a, &pkg, &since);
    assert_eq!(exported.counts.records, 1);
    assert_eq!((exported.counts.activities, exported.counts.files), (0, 0));
    let report = import_ok(&mut b, &pkg);
    assert_eq!((report.updated, report.conflicts), (1, 0));
    assert_eq!(record::get(&b.conn, &r.id).unwrap().participants, 77);
    // Nothing changed since: an empty package.
    let pkg = tmp.path().join("3.pufapkg");
    assert_eq!(export_scope(&a, &pkg, &since).counts.records, 0);
    // A deletion travels as a tombstone.
    record::delete(&mut a, &r.id).unwrap();
    let pkg = tmp.path().join("4.pufapkg");
    let exported = export_scope(&a, &pkg, &since);
    assert_eq!(exported.counts.tombstones, 1);
    let report = import_ok(&mut b, &pkg);
    assert_eq!(report.deleted, 1);
    assert!(record::get(&b.conn, &r.id).is_err());
}

#[test]
fn a_village_package_holds_that_villages_records() {
    let tmp = tempfile::tempdir().unwrap();
    let a = demo_town(&tmp.path().join("a"));
    let pkg = tmp.path().join("安静村.pufapkg");
    let exported = export_scope(
        &a,
        &pkg,
        &PackageScope {
            since_last: false,
            village: Some("安静村".into()),
        },
    );
    assert_eq!(exported.village.as_deref(), Some("安静村"));
    let village = crate::unit::resolve(&a.conn, "安静村", "v").unwrap();
    let theirs = count(&a, &format!("record WHERE unit_id = '{}'", village.id));
    assert!(theirs > 0 && theirs < count(&a, "record"));
    assert_eq!(exported.counts.records as i64, theirs);
    let mut b = Db::open_dir(&tmp.path().join("b")).unwrap();
    import_ok(&mut b, &pkg);
    let got = record::list(&b.conn, &Default::default()).unwrap();
    assert_eq!(got.len() as i64, theirs);
    assert!(got
        .iter()
        .all(|r| r.unit_id.as_deref() == Some(village.id.as_str())));
    // The village exported to does not move the whole town's "since last" mark.
    let since = tmp.path().join("since.pufapkg");
    let whole = export_scope(
        &a,
        &since,
        &PackageScope {
            since_last: true,
            village: None,
        },
    );
    assert_eq!(whole.counts.records as i64, count(&a, "record"));
}

#[test]
fn an_edit_from_our_version_is_an_update_and_comes_back_unchanged() {
    let (tmp, mut a, mut b) = two_laptops();
    let r = editable(&b);
    edit(&mut b, &r.id, 66.0);
    let pkg = tmp.path().join("back.pufapkg");
    export_scope(
        &b,
        &pkg,
        &PackageScope {
            since_last: true,
            village: None,
        },
    );
    let report = import_ok(&mut a, &pkg);
    assert_eq!((report.updated, report.conflicts), (1, 0));
    assert_eq!(
        record::get(&a.conn, &r.id).unwrap(),
        record::get(&b.conn, &r.id).unwrap()
    );
    assert!(conflicts(&a.conn).unwrap().is_empty());
    // The town's package to the village then holds nothing the village lacks.
    let pkg = tmp.path().join("again.pufapkg");
    export_all(&a, &pkg);
    let report = import_ok(&mut b, &pkg);
    assert_eq!((report.added, report.updated, report.conflicts), (0, 0, 0));
}

#[test]
fn both_edited_is_a_conflict_won_by_the_later_edit_and_resolvable() {
    let (tmp, mut a, mut b) = two_laptops();
    let r = editable(&a);
    edit(&mut a, &r.id, 11.0);
    edit(&mut b, &r.id, 22.0); // later: the greater HLC
    let pkg = tmp.path().join("b.pufapkg");
    export_all(&b, &pkg);
    let report = import_ok(&mut a, &pkg);
    assert_eq!(report.conflicts, 1, "{report:?}");
    assert_eq!(record::get(&a.conn, &r.id).unwrap().participants, 22);
    let found = conflicts(&a.conn).unwrap();
    assert_eq!(found.len(), 1);
    let c = &found[0];
    assert_eq!(
        (c.entity.as_str(), c.entity_id.as_str()),
        ("record", r.id.as_str())
    );
    assert_eq!(c.winner, Keep::Incoming);
    assert_eq!(c.local["participants"], 11);
    assert_eq!(c.incoming["participants"], 22);
    assert!(!c.local_deleted && !c.incoming_deleted && c.resolved_at.is_none());

    // The other way round the same version wins: both laptops agree.
    let pkg_a = tmp.path().join("a.pufapkg");
    let mut b2 = b;
    // (a's state before the import is gone; export what a has now, its edit lost to b's)
    let c_id = c.id.clone();
    let resolved = resolve(&mut a, &c_id, Keep::Local).unwrap();
    assert_eq!(resolved.kept, Some(Keep::Local));
    assert!(resolved.resolved_at.is_some());
    assert_eq!(record::get(&a.conn, &r.id).unwrap().participants, 11);
    assert_eq!(
        resolve(&mut a, &c_id, Keep::Local).unwrap_err().code,
        ErrorCode::InvalidValue
    );
    // The choice travels: b takes it as an update, without a conflict of its own.
    export_scope(
        &a,
        &pkg_a,
        &PackageScope {
            since_last: true,
            village: None,
        },
    );
    let report = import_ok(&mut b2, &pkg_a);
    assert_eq!((report.updated, report.conflicts), (1, 0), "{report:?}");
    assert_eq!(record::get(&b2.conn, &r.id).unwrap().participants, 11);
}

#[test]
fn a_conflict_lost_locally_can_keep_the_incoming_version() {
    let (tmp, mut a, mut b) = two_laptops();
    let r = editable(&a);
    edit(&mut b, &r.id, 22.0);
    edit(&mut a, &r.id, 33.0); // later: ours wins
    let pkg = tmp.path().join("b.pufapkg");
    export_all(&b, &pkg);
    let report = import_ok(&mut a, &pkg);
    assert_eq!(report.conflicts, 1);
    assert_eq!(record::get(&a.conn, &r.id).unwrap().participants, 33);
    let c = conflicts(&a.conn).unwrap().remove(0);
    assert_eq!(c.winner, Keep::Local);
    resolve(&mut a, &c.id, Keep::Incoming).unwrap();
    let now = record::get(&a.conn, &r.id).unwrap();
    assert_eq!(now.participants, 22);
    // Tallies follow the chosen version.
    let tallied: i64 = a
        .conn
        .query_row(
            "SELECT sum(participants) FROM record_tally WHERE unit_id = '*' AND dim = 'all'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let summed: i64 = a
        .conn
        .query_row("SELECT sum(participants) FROM record", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tallied, summed);
}

#[test]
fn deleted_here_and_edited_there_keeps_the_edit_as_a_conflict() {
    let (tmp, mut a, mut b) = two_laptops();
    let r = editable(&a);
    // The town deletes, the village edits: the village's package brings the edit back.
    record::delete(&mut a, &r.id).unwrap();
    edit(&mut b, &r.id, 44.0);
    let pkg = tmp.path().join("b.pufapkg");
    export_all(&b, &pkg);
    let report = import_ok(&mut a, &pkg);
    assert_eq!(report.conflicts, 1);
    assert_eq!(record::get(&a.conn, &r.id).unwrap().participants, 44);
    let c = conflicts(&a.conn).unwrap().remove(0);
    assert!(c.local_deleted && !c.incoming_deleted);

    // The other way: the town's deletion reaches a village that edited the record.
    let (tmp2, mut a, mut b) = two_laptops();
    let r = editable(&a);
    record::delete(&mut a, &r.id).unwrap();
    edit(&mut b, &r.id, 55.0);
    let pkg = tmp2.path().join("a.pufapkg");
    export_all(&a, &pkg);
    let report = import_ok(&mut b, &pkg);
    assert_eq!((report.conflicts, report.deleted), (1, 0));
    assert_eq!(record::get(&b.conn, &r.id).unwrap().participants, 55);
    let c = conflicts(&b.conn).unwrap().remove(0);
    assert!(c.incoming_deleted && c.winner == Keep::Local);
    // Choosing the deletion deletes it.
    resolve(&mut b, &c.id, Keep::Incoming).unwrap();
    assert!(record::get(&b.conn, &r.id).is_err());
    drop(tmp);
}

#[test]
fn a_deletion_of_an_unchanged_row_deletes_it() {
    let (tmp, mut a, mut b) = two_laptops();
    let r = editable(&a);
    record::delete(&mut a, &r.id).unwrap();
    let pkg = tmp.path().join("a.pufapkg");
    export_all(&a, &pkg);
    let report = import_ok(&mut b, &pkg);
    assert_eq!((report.deleted, report.conflicts), (1, 0));
    assert!(record::get(&b.conn, &r.id).is_err());
    assert_eq!(snapshot(&a)["records"], snapshot(&b)["records"]);
}

#[test]
fn another_towns_package_is_refused_and_an_empty_database_adopts_it() {
    let tmp = tempfile::tempdir().unwrap();
    let a = demo_town(&tmp.path().join("a"));
    let pkg = tmp.path().join("p.pufapkg");
    export_all(&a, &pkg);
    let mut other = Db::open_dir(&tmp.path().join("other")).unwrap();
    town::setup(
        &mut other,
        &town::SetupInput {
            town: "龙溪镇".into(),
            villages: vec!["安静村".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let before = db_bytes(&other);
    let e = import(&mut other, &pkg, &trusted(), &mut never_cancel()).unwrap_err();
    assert_eq!(e.code, ErrorCode::FileRejected);
    assert!(
        e.message.contains("双龙镇") && e.message.contains("龙溪镇"),
        "{}",
        e.message
    );
    assert_eq!(db_bytes(&other), before);
}

// ---------------------------------------------------------------------------------------
// Bad packages

use crate::testing::zip_entries as unzip;

fn rezip(entries: &[(String, Vec<u8>)], path: &Path) {
    let mut zip = ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// The entries with `name` changed by `f` and the manifest's checksum made to match.
fn tamper(
    entries: &[(String, Vec<u8>)],
    name: &str,
    f: impl Fn(&str) -> String,
) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = entries.to_vec();
    let mut digest = String::new();
    for (n, bytes) in out.iter_mut() {
        if n == name {
            *bytes = f(std::str::from_utf8(bytes).unwrap()).into_bytes();
            digest = hex(Sha256::digest(&bytes[..]).as_slice());
        }
    }
    edit_manifest(&out, |m| m["entries"][name] = Value::from(digest.clone()))
}

fn edit_manifest(entries: &[(String, Vec<u8>)], f: impl Fn(&mut Value)) -> Vec<(String, Vec<u8>)> {
    entries
        .iter()
        .map(|(n, b)| {
            if n == MANIFEST {
                let mut m: Value = serde_json::from_slice(b).unwrap();
                f(&mut m);
                (n.clone(), serde_json::to_vec(&m).unwrap())
            } else {
                (n.clone(), b.clone())
            }
        })
        .collect()
}

/// Writes a bad package to the path given.
type MakeFile<'a> = Box<dyn Fn(&Path) + 'a>;

#[test]
fn bad_packages_are_refused_with_a_reason_and_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = demo_town(&tmp.path().join("a"));
    let good = tmp.path().join("good.pufapkg");
    export_all(&a, &good);
    // The receiving laptop already holds the town (so a wrong package could do harm).
    let mut b = Db::open_dir(&tmp.path().join("b")).unwrap();
    import_ok(&mut b, &good);
    // A newer package, so a bad copy of it would have something to write.
    let r = editable(&a);
    edit(&mut a, &r.id, 99.0);
    let fresh = tmp.path().join("fresh.pufapkg");
    export_all(&a, &fresh);
    let entries = unzip(&fresh);
    let bytes = std::fs::read(&fresh).unwrap();
    let record_line = |s: &str| s.replace("\"participants\":99", "\"participants\":98");

    let mut bomb = entries.clone();
    bomb.retain(|(n, _)| n != "data/unit.jsonl");
    bomb.push(("data/unit.jsonl".into(), vec![b' '; 64 << 20]));
    let missing_unit = tamper(&entries, "data/record.jsonl", |s| {
        s.lines()
            .map(|l| {
                if l.contains("\"participants\":99") {
                    l.replacen("\"unit_id\":\"", "\"unit_id\":\"gone-", 1)
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let cases: Vec<(&str, MakeFile, &str)> = vec![
        (
            "not a zip",
            Box::new(|p| std::fs::write(p, "这不是压缩包").unwrap()),
            "不是普法台账数据包",
        ),
        (
            "truncated",
            Box::new(|p| std::fs::write(p, &bytes[..bytes.len() / 2]).unwrap()),
            "不能导入",
        ),
        (
            "corrupted",
            Box::new(|p| {
                let mut b = bytes.clone();
                for i in (200..b.len() - 200).step_by(97) {
                    b[i] ^= 0x5A;
                }
                std::fs::write(p, b).unwrap()
            }),
            "不能导入",
        ),
        (
            "no manifest",
            Box::new(|p| {
                let e: Vec<_> = entries
                    .iter()
                    .filter(|(n, _)| n != MANIFEST)
                    .cloned()
                    .collect();
                rezip(&e, p)
            }),
            "没有清单",
        ),
        (
            "newer format",
            Box::new(|p| {
                rezip(
                    &edit_manifest(&entries, |m| {
                        m["format_version"] = (FORMAT_VERSION + 1).into()
                    }),
                    p,
                )
            }),
            "请先升级",
        ),
        (
            "another town",
            Box::new(|p| {
                rezip(
                    &edit_manifest(&entries, |m| m["town"]["id"] = "other".into()),
                    p,
                )
            }),
            "不同乡镇",
        ),
        (
            "checksum",
            Box::new(|p| {
                let e: Vec<_> = entries
                    .iter()
                    .map(|(n, b)| {
                        let b = if n == "data/record.jsonl" {
                            record_line(std::str::from_utf8(b).unwrap()).into_bytes()
                        } else {
                            b.clone()
                        };
                        (n.clone(), b)
                    })
                    .collect();
                rezip(&e, p)
            }),
            "“data/record.jsonl”校验不符",
        ),
        (
            // The rows are read while the checksums are checked: the damage is named, not
            // the broken line it made.
            "checksum and bad json",
            Box::new(|p| {
                let e: Vec<_> = entries
                    .iter()
                    .map(|(n, b)| match n.as_str() {
                        "data/unit.jsonl" => (n.clone(), b"{\"id\": 1,".to_vec()),
                        _ => (n.clone(), b.clone()),
                    })
                    .collect();
                rezip(&e, p)
            }),
            "“data/unit.jsonl”校验不符",
        ),
        (
            "bad json",
            Box::new(|p| {
                rezip(
                    &tamper(&entries, "data/unit.jsonl", |_| "{\"id\": 1,".into()),
                    p,
                )
            }),
            "“data/unit.jsonl”第 1 行",
        ),
        (
            "missing reference",
            Box::new(|p| rezip(&missing_unit, p)),
            "在本机和数据包里都没有",
        ),
        ("zip bomb", Box::new(|p| rezip(&bomb, p)), "压缩炸弹"),
        (
            "unlisted entry",
            Box::new(|p| {
                let mut e = entries.clone();
                e.push(("data/campaign.jsonl.bak".into(), b"x".to_vec()));
                rezip(&e, p)
            }),
            "不认识的文件",
        ),
    ];
    let mut evil: Vec<(String, MakeFile, &str)> = Vec::new();
    for name in [
        "../escape.txt",
        "/etc/evil",
        "attachments\\..\\x",
        "C:/windows/x",
        "data/../../x",
    ] {
        let entries = entries.clone();
        evil.push((
            name.to_string(),
            Box::new(move |p| {
                let mut e = entries.clone();
                e.push((name.to_string(), b"x".to_vec()));
                rezip(&e, p)
            }),
            "路径不安全",
        ));
    }
    let attachments_before = files_under(&tmp.path().join("b").join(ATTACHMENTS_DIR));
    let before = db_bytes(&b);
    let all = cases
        .into_iter()
        .map(|(n, f, m)| (n.to_string(), f, m))
        .chain(evil);
    for (name, make, expected) in all {
        let p = tmp.path().join("bad.pufapkg");
        make(&p);
        let e = match import(&mut b, &p, &trusted(), &mut never_cancel()) {
            Ok(_) => panic!("{name}: imported"),
            Err(e) => e,
        };
        assert!(e.message.contains(expected), "{name}: {}", e.message);
        assert!(
            e.message.contains("未做任何改动") || e.code == ErrorCode::DatabaseNewer,
            "{name}: {}",
            e.message
        );
        assert_eq!(db_bytes(&b), before, "{name}");
        assert_eq!(
            files_under(&tmp.path().join("b").join(ATTACHMENTS_DIR)),
            attachments_before,
            "{name}"
        );
    }
    // The good one still imports after all that.
    assert_eq!(import_ok(&mut b, &fresh).updated, 1);
}

#[test]
fn a_cancelled_import_keeps_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let a = demo_town(&tmp.path().join("a"));
    let pkg = tmp.path().join("p.pufapkg");
    export_all(&a, &pkg);
    let mut b = Db::open_dir(&tmp.path().join("b")).unwrap();
    let before = db_bytes(&b);
    let e = import(&mut b, &pkg, &trusted(), &mut |done, total| {
        done < total / 2
    })
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert_eq!(db_bytes(&b), before);
    assert!(town::get_town(&b.conn).unwrap().is_none());
    // Cancelled at the very end (after the attachment was placed): its file goes again.
    let e = import(&mut b, &pkg, &trusted(), &mut |done, total| done < total).unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert_eq!(db_bytes(&b), before);
    assert!(files_under(&tmp.path().join("b").join(ATTACHMENTS_DIR)).is_empty());
    // An export cancelled leaves no file and no mark.
    let out = tmp.path().join("cancelled.pufapkg");
    let e = export(
        &a.conn,
        a.data_dir.as_deref(),
        &out,
        &PackageScope::default(),
        &mut |d, _| d < 10,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert!(!out.exists());
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    /// A small valid package (a town with two records, no attachments).
    fn package() -> &'static Vec<u8> {
        static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
        BYTES.get_or_init(|| {
            let mut db = crate::testing::town(&["安静村", "石院村"], &[]);
            for (title, unit) in [("宪法进院坝", "安静村"), ("民法典宣讲", "石院村")]
            {
                record::create(
                    &mut db,
                    &RecordInput {
                        title: title.into(),
                        date: "2026-03-15".into(),
                        unit_id: Some(unit.into()),
                        formats: vec!["lecture".into()],
                        participants: 30.0,
                        recorder: "王".into(),
                        ..Default::default()
                    },
                )
                .unwrap();
            }
            let tmp = tempfile::tempdir().unwrap();
            let p = tmp.path().join("p.pufapkg");
            export(
                &db.conn,
                None,
                &p,
                &PackageScope::default(),
                &mut never_cancel(),
            )
            .unwrap();
            std::fs::read(p).unwrap()
        })
    }

    fn try_import(bytes: &[u8]) {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("x.pufapkg");
        std::fs::write(&p, bytes).unwrap();
        let mut db = Db::open_in_memory().unwrap();
        match import(&mut db, &p, &trusted(), &mut never_cancel()) {
            Ok(_) => {}
            Err(e) => assert!(
                matches!(
                    e.code,
                    ErrorCode::FileRejected | ErrorCode::DatabaseNewer | ErrorCode::NotFound
                ),
                "{e:?}"
            ),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            try_import(&bytes);
        }

        #[test]
        fn mutated_packages_never_panic(
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
            cut in proptest::option::of(any::<prop::sample::Index>()),
        ) {
            let mut bytes = package().clone();
            for (at, x) in flips {
                let i = at.index(bytes.len());
                bytes[i] ^= x.max(1);
            }
            if let Some(c) = cut {
                bytes.truncate(c.index(bytes.len()));
            }
            try_import(&bytes);
        }
    }

    #[test]
    fn the_unmutated_package_imports() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("x.pufapkg");
        std::fs::write(&p, package()).unwrap();
        let mut db = Db::open_in_memory().unwrap();
        let r = import(&mut db, &p, &trusted(), &mut never_cancel()).unwrap();
        assert_eq!(count(&db, "record"), 2);
        assert!(r.adopted_town);
    }
}

#[test]
fn a_county_rollup_takes_every_towns_package_under_the_towns_names() {
    use chrono::Datelike;
    let tmp = tempfile::tempdir().unwrap();
    let a = demo_town(&tmp.path().join("a"));
    let b = demo_town(&tmp.path().join("b"));
    b.conn
        .execute("UPDATE town SET name = '龙溪镇'", [])
        .unwrap();
    let (pa, pb) = (tmp.path().join("a.pufapkg"), tmp.path().join("b.pufapkg"));
    export_all(&a, &pa);
    export_all(&b, &pb);
    let mut county = Db::open_dir(&tmp.path().join("county")).unwrap();
    town::setup(
        &mut county,
        &town::SetupInput {
            town: "巫山县".into(),
            county_rollup: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(town::app_info(&county).unwrap().county_rollup);
    let ra = import_ok(&mut county, &pa);
    let rb = import_ok(&mut county, &pb);
    assert_eq!((ra.conflicts, rb.conflicts, ra.adopted_town), (0, 0, false));
    assert_eq!(
        town::get_town(&county.conn).unwrap().unwrap().name,
        "巫山县"
    );

    // Each town's villages and campaigns under its name; nothing of one town matched to the other's.
    let names: Vec<String> = crate::unit::list(&county.conn, &UnitFilter::default())
        .unwrap()
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names.len() as i64, count(&a, "unit") + count(&b, "unit"));
    assert!(names.contains(&"双龙镇安静村".to_string()), "{names:?}");
    assert!(names.contains(&"龙溪镇安静村".to_string()), "{names:?}");
    let campaigns = campaign::list(&county.conn, &CampaignFilter::default()).unwrap();
    assert!(campaigns
        .iter()
        .all(|c| c.name.starts_with("双龙镇：") || c.name.starts_with("龙溪镇：")));
    assert_eq!(
        count(&county, "record"),
        count(&a, "record") + count(&b, "record")
    );

    // The county's numbers are the towns' numbers added up.
    let year = chrono::Local::now().year() - 1;
    let filter = crate::reports::SummaryFilter {
        from: format!("{year}-01-01"),
        to: format!("{year}-12-31"),
        ..Default::default()
    };
    let sum = |db: &Db| crate::reports::summary(&db.conn, &filter).unwrap();
    let (sa, sb, sc) = (sum(&a), sum(&b), sum(&county));
    assert_eq!(sc.activities, sa.activities + sb.activities);
    assert_eq!(sc.reach, sa.reach + sb.reach);
    assert_eq!(
        sc.by_village.len(),
        sa.by_village.len() + sb.by_village.len()
    );
    let handed = |s: &crate::reports::Summary| s.materials.iter().map(|m| m.quantity).sum::<i64>();
    assert_eq!(handed(&sc), handed(&sa) + handed(&sb));

    // A town's next package updates its part only; the same package again changes nothing.
    let again = import_ok(&mut county, &pa);
    assert_eq!((again.added, again.updated), (0, 0));

    // The town renames a village, then the county renames its copy: a conflict the county's
    // later edit wins. Keeping the town's version gives it back under the town's name.
    let unit_named = |db: &Db, name: &str| -> String {
        db.conn
            .query_row("SELECT id FROM unit WHERE name = ?1", [name], |r| r.get(0))
            .unwrap()
    };
    let village = unit_named(&a, "安静村");
    let rename = |db: &Db, name: &str| {
        db.conn
            .execute(
                "UPDATE unit SET name = ?1 WHERE id = ?2",
                [name, village.as_str()],
            )
            .unwrap()
    };
    rename(&a, "安静社区");
    std::thread::sleep(std::time::Duration::from_millis(5));
    rename(&county, "双龙镇安静村（县里改）");
    let pa2 = tmp.path().join("a2.pufapkg");
    export_all(&a, &pa2);
    let report = import_ok(&mut county, &pa2);
    assert_eq!(report.conflicts, 1, "{report:?}");
    let name_of = |db: &Db| -> String {
        db.conn
            .query_row("SELECT name FROM unit WHERE id = ?1", [&village], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert_eq!(name_of(&county), "双龙镇安静村（县里改）");
    let c = conflicts(&county.conn).unwrap().remove(0);
    assert_eq!((c.entity.as_str(), c.winner), ("unit", Keep::Local));
    resolve(&mut county, &c.id, Keep::Incoming).unwrap();
    assert_eq!(name_of(&county), "双龙镇安静社区");
}

mod trust;
