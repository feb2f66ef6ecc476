use super::*;
use crate::record::{self, RecordFilter};

/// The demo town in a data folder, with one attachment file in it.
fn town() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_dir(dir.path()).unwrap();
    crate::demo::load_town(&mut db, 3, 2026);
    stored_file(dir.path(), PHOTO, "jpg");
    (dir, db)
}

/// The bytes of the fixture's photo (a JPEG's signature, then anything).
const PHOTO: &[u8] = b"\xFF\xD8\xFFphoto";

/// Stores `bytes` in the data folder `dir` as the app names an attachment file (by its hash);
/// returns its path under `attachments/`.
fn stored_file(dir: &Path, bytes: &[u8], ext: &str) -> String {
    use sha2::Digest;
    let sha = format!("{:x}", sha2::Sha256::digest(bytes));
    let rel = format!("{}/{sha}.{ext}", &sha[..2]);
    let path = dir.join(ATTACHMENTS_DIR).join(&rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    rel
}

/// The path of the fixture's photo in a data folder.
fn photo_path(dir: &Path) -> PathBuf {
    use sha2::Digest;
    let sha = format!("{:x}", sha2::Sha256::digest(PHOTO));
    dir.join(ATTACHMENTS_DIR)
        .join(&sha[..2])
        .join(format!("{sha}.jpg"))
}

/// What a backup holds, as the preview, the list and a restore say it (not where it was read).
fn holdings(
    b: &BackupInfo,
) -> (
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<String>,
    Option<String>,
) {
    (
        b.town.clone(),
        b.schema_version,
        b.records,
        b.activities,
        b.campaigns,
        b.attachments,
        b.first_date.clone(),
        b.last_date.clone(),
    )
}

/// Every table but the audit trail (a restore adds to it): see [`dump`].
fn dump_data(conn: &Connection) -> Vec<(String, Vec<String>)> {
    dump(conn)
        .into_iter()
        .filter(|(t, _)| t != "audit_log")
        .collect()
}

/// The audit trail's ids, in order.
fn trail(conn: &Connection) -> Vec<String> {
    conn.prepare("SELECT id FROM audit_log ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn no_confirmation() -> RestoreOptions {
    RestoreOptions::default()
}

fn record_ids(db: &Db) -> Vec<String> {
    record::list(&db.conn, &RecordFilter::default())
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

/// The database file's bytes after its WAL is written back.
fn db_bytes(db: &Db, dir: &Path) -> Vec<u8> {
    db.conn
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    std::fs::read(dir.join(crate::db::DB_FILE)).unwrap()
}

/// Every table's rows, in order, as text: two databases with the same dump hold the same data.
fn dump(conn: &Connection) -> Vec<(String, Vec<String>)> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let columns = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    let cells: Vec<String> = (0..columns)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect();
                    Ok(cells.join("|"))
                })
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap();
            (t, rows)
        })
        .collect()
}

/// The attachment files of a data folder with their bytes.
fn attachments(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files_under(&dir.join(ATTACHMENTS_DIR))
        .unwrap()
        .into_iter()
        .map(|(rel, file)| (rel, std::fs::read(file).unwrap()))
        .collect()
}

/// A backup as the versions before the packed format wrote it (format 1): the online backup
/// API's copy of the database, with the description and the attachments in two tables.
fn format1_backup(db: &Db, dest: &Path) {
    let mut copy = Connection::open(dest).unwrap();
    Backup::new(&db.conn, &mut copy)
        .unwrap()
        .run_to_completion(1024, Duration::ZERO, None)
        .unwrap();
    copy.pragma_update(None, "journal_mode", "DELETE").unwrap();
    let tx = copy.transaction().unwrap();
    tx.execute_batch(
        "CREATE TABLE pufa_backup_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE pufa_backup_file (path TEXT PRIMARY KEY, data BLOB NOT NULL);",
    )
    .unwrap();
    let files = attachments(db.data_dir.as_deref().unwrap());
    for (rel, data) in &files {
        tx.execute(
            "INSERT INTO pufa_backup_file (path, data) VALUES (?1, ?2)",
            rusqlite::params![rel, data],
        )
        .unwrap();
    }
    let summary = Summary::of(&db.conn).unwrap();
    for (k, v) in summary.pairs(BackupKind::Manual, files.len() as i64) {
        let v = if k == "format" { "1".to_string() } else { v };
        tx.execute(
            "INSERT INTO pufa_backup_meta (key, value) VALUES (?1, ?2)",
            [k, v.as_str()],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// Nothing but the database (and its WAL) and the attachments: no working copy left behind.
fn assert_no_leftovers(dir: &Path) {
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".pufa-"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn the_bundled_sqlite_has_the_page_table() {
    // Set by LIBSQLITE3_FLAGS in .cargo/config.toml: without it no backup can be made.
    let conn = Connection::open_in_memory().unwrap();
    let options: Vec<String> = conn
        .prepare("PRAGMA compile_options")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(
        options.iter().any(|o| o == "ENABLE_DBPAGE_VTAB"),
        "{options:?}"
    );
}

#[test]
fn a_backup_holds_the_data_and_a_restore_brings_it_back() {
    let (dir, mut db) = town();
    let before = record_ids(&db);
    assert!(before.len() > 20);
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("普法台账备份.pufabak");
    let mut steps = 0;
    let info = create(
        &db.conn,
        db.data_dir.as_deref(),
        &file,
        BackupKind::Manual,
        &mut |done, total| {
            steps += 1;
            assert!(done <= total);
            true
        },
    )
    .unwrap();
    assert!(steps >= 1, "progress is reported");
    assert_eq!(info.records as usize, before.len());
    assert_eq!(info.town, "双龙镇");
    assert_eq!(info.attachments, 1);
    assert_eq!(info.schema_version, SCHEMA_VERSION);
    assert_eq!(info.kind, BackupKind::Manual);
    assert!(info.first_date.as_deref().unwrap() <= info.last_date.as_deref().unwrap());
    let preview = inspect(&db.conn, &file).unwrap();
    assert_eq!(
        holdings(&preview),
        holdings(&info),
        "the preview says the same"
    );
    assert_eq!(preview.current_town.as_deref(), Some("双龙镇"));
    assert!(!preview.other_town);

    // Lose data: half the records deleted, the photo gone.
    for id in &before[..before.len() / 2] {
        db.conn
            .execute("DELETE FROM record WHERE id = ?1", [id])
            .unwrap();
    }
    std::fs::remove_dir_all(dir.path().join(ATTACHMENTS_DIR)).unwrap();
    assert_ne!(record_ids(&db), before);

    let restored = restore(&mut db, &file, &no_confirmation(), &mut |_, _| true).unwrap();
    assert_eq!(restored.records as usize, before.len());
    assert_eq!(record_ids(&db), before, "every record is back");
    assert_eq!(std::fs::read(photo_path(dir.path())).unwrap(), PHOTO);
    let tables: i64 = db
        .conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name LIKE 'pufa_backup%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0, "the backup's own tables are not restored");
    let check: String = db
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    // The data as it was before the restore is kept too.
    let kept = list(dir.path()).unwrap();
    let before_restore: Vec<_> = kept
        .iter()
        .filter(|b| b.kind == BackupKind::BeforeRestore)
        .collect();
    assert_eq!(before_restore.len(), 1);
    assert_eq!(
        before_restore[0].records as usize,
        before.len() - before.len() / 2
    );
}

#[test]
fn a_damaged_or_foreign_file_is_refused_and_changes_nothing() {
    let (dir, mut db) = town();
    let out = tempfile::tempdir().unwrap();
    let good = out.path().join("good.pufabak");
    create(
        &db.conn,
        db.data_dir.as_deref(),
        &good,
        BackupKind::Manual,
        &mut |_, _| true,
    )
    .unwrap();
    let bytes = std::fs::read(&good).unwrap();

    let truncated = out.path().join("truncated.pufabak");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let garbage = out.path().join("garbage.pufabak");
    std::fs::write(&garbage, b"PK\x03\x04 not a database at all").unwrap();
    let corrupted = out.path().join("corrupted.pufabak");
    let mut broken = bytes.clone();
    // Scribble over pages in the middle of the file (not the header).
    let mid = broken.len() / 2;
    for b in &mut broken[mid..mid + 8192] {
        *b = 0x5A;
    }
    std::fs::write(&corrupted, &broken).unwrap();
    let plain = out.path().join("plain.db");
    Connection::open(&plain)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let missing = out.path().join("missing.pufabak");

    let before = db_bytes(&db, dir.path());
    for file in [&truncated, &garbage, &corrupted, &plain, &missing] {
        let e = restore(&mut db, file, &no_confirmation(), &mut |_, _| true).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("path"), "{file:?}: {e:?}");
        assert!(
            e.message.contains("备份") || e.message.contains("找不到"),
            "{}",
            e.message
        );
        assert_eq!(
            db_bytes(&db, dir.path()),
            before,
            "{file:?} changed the data"
        );
    }
    assert!(
        list(dir.path()).unwrap().is_empty(),
        "no backup-before-restore for a bad file"
    );

    assert_no_leftovers(dir.path());

    // A backup from a newer version of the app, in either format.
    db.conn
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let newer = out.path().join("newer.pufabak");
    create(
        &db.conn,
        db.data_dir.as_deref(),
        &newer,
        BackupKind::Manual,
        &mut |_, _| true,
    )
    .unwrap();
    db.conn
        .pragma_update(None, "user_version", SCHEMA_VERSION)
        .unwrap();
    let newer1 = out.path().join("newer1.pufabak");
    format1_backup(&db, &newer1);
    Connection::open(&newer1)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    // A packed format this version does not know.
    let newer_format = out.path().join("newer_format.pufabak");
    let mut future = bytes.clone();
    future[8..12].copy_from_slice(&(PACKED_FORMAT + 1).to_le_bytes());
    std::fs::write(&newer_format, future).unwrap();
    let before = db_bytes(&db, dir.path());
    for file in [&newer, &newer1, &newer_format] {
        let e = restore(&mut db, file, &no_confirmation(), &mut |_, _| true).unwrap_err();
        assert_eq!(e.code, ErrorCode::DatabaseNewer, "{file:?}: {e:?}");
        assert!(e.message.contains("请先升级本程序"), "{}", e.message);
        assert_eq!(db_bytes(&db, dir.path()), before, "{file:?}");
    }

    // An attachment path that would leave the folder, in either format.
    let escaping = out.path().join("escaping.pufabak");
    let photo = photo_path(dir.path());
    write_packed(
        &db.conn,
        &[("../../evil.txt".to_string(), photo)],
        &escaping,
        BackupKind::Manual,
        &mut |_, _| true,
    )
    .unwrap();
    let escaping1 = out.path().join("escaping1.pufabak");
    format1_backup(&db, &escaping1);
    Connection::open(&escaping1)
        .unwrap()
        .execute(
            "INSERT INTO pufa_backup_file (path, data) VALUES ('../../evil.txt', x'00')",
            [],
        )
        .unwrap();
    for file in [&escaping, &escaping1] {
        let e = restore(&mut db, file, &no_confirmation(), &mut |_, _| true).unwrap_err();
        assert!(e.message.contains("不安全"), "{}", e.message);
        assert!(!dir.path().parent().unwrap().join("evil.txt").exists());
        assert_eq!(db_bytes(&db, dir.path()), before);
    }
    assert!(list(dir.path()).unwrap().is_empty());
    assert_no_leftovers(dir.path());
}

#[test]
fn cancelling_a_backup_leaves_no_file() {
    let (_dir, db) = town();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("x.pufabak");
    let mut reports = Vec::new();
    create(
        &db.conn,
        db.data_dir.as_deref(),
        &file,
        BackupKind::Manual,
        &mut |done, total| {
            reports.push((done, total));
            true
        },
    )
    .unwrap();
    let (done, total) = *reports.last().unwrap();
    assert_eq!(done, total, "the last report is the whole");
    assert!(reports.windows(2).all(|w| w[0].0 <= w[1].0));
    std::fs::remove_file(&file).unwrap();
    // Cancelled at each report in turn, the first to the last.
    for stop_at in 1..=reports.len() {
        let mut calls = 0;
        let e = create(
            &db.conn,
            db.data_dir.as_deref(),
            &file,
            BackupKind::Manual,
            &mut |_, _| {
                calls += 1;
                calls < stop_at
            },
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::Cancelled);
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    }
}

#[test]
fn a_packed_backup_restored_into_an_empty_folder_gives_the_same_tables_and_files() {
    let (dir, db) = town();
    // A second attachment, in another folder, with bytes of every value.
    let mut scan = b"%PDF-1.4\n".to_vec();
    scan.extend((0..=255u8).cycle().take(100_000));
    stored_file(dir.path(), &scan, "pdf");
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("双龙镇.pufabak");
    let info = create(
        &db.conn,
        db.data_dir.as_deref(),
        &file,
        BackupKind::Manual,
        &mut |_, _| true,
    )
    .unwrap();
    assert_eq!(info.attachments, 2);
    let mmap: i64 = db
        .conn
        .pragma_query_value(None, "mmap_size", |r| r.get(0))
        .unwrap();
    assert_eq!(mmap, 0, "the connection's own setting is back");
    let packed = std::fs::read(&file).unwrap();
    assert!(packed.starts_with(PACKED_MAGIC));
    let raw = db_bytes(&db, dir.path()).len() + scan.len();
    assert!(
        packed.len() * 3 < raw,
        "packed {} bytes, raw {raw}",
        packed.len()
    );
    assert_eq!(
        holdings(&inspect(&db.conn, &file).unwrap()),
        holdings(&info)
    );

    let empty = tempfile::tempdir().unwrap();
    let mut fresh = Db::open_dir(empty.path()).unwrap();
    let trail_before = trail(&fresh.conn);
    let restored = restore(&mut fresh, &file, &no_confirmation(), &mut |_, _| true).unwrap();
    assert_eq!(holdings(&restored), holdings(&info));
    assert_eq!(
        dump_data(&fresh.conn),
        dump_data(&db.conn),
        "the same tables, row for row"
    );
    // The trail: the backup's, the fresh folder's own, and the restore's entry.
    let mut want = trail(&db.conn);
    want.extend(trail_before);
    let got = trail(&fresh.conn);
    assert_eq!(got[..want.len()], want[..]);
    assert_eq!(got.len(), want.len() + 1);
    assert_eq!(attachments(empty.path()), attachments(dir.path()));
    let mode: String = fresh
        .conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal", "the restored database stays in WAL mode");
    drop(fresh);
    let reopened = Db::open_dir(empty.path()).unwrap();
    let check: String = reopened
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_eq!(dump_data(&reopened.conn), dump_data(&db.conn));
    assert_no_leftovers(empty.path());
}

#[test]
fn an_in_memory_database_is_backed_up_and_restored_too() {
    let mut memory = Db::open_in_memory().unwrap();
    crate::demo::load(&mut memory, &crate::demo::DemoInput::default()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("memory.pufabak");
    let info = create(
        &memory.conn,
        None,
        &file,
        BackupKind::Manual,
        &mut |_, _| true,
    )
    .unwrap();
    assert_eq!(info.records as usize, record_ids(&memory).len());
    let empty = tempfile::tempdir().unwrap();
    let mut fresh = Db::open_dir(empty.path()).unwrap();
    restore(&mut fresh, &file, &no_confirmation(), &mut |_, _| true).unwrap();
    assert_eq!(dump_data(&fresh.conn), dump_data(&memory.conn));
}

#[test]
fn a_backup_in_the_format_of_earlier_versions_is_still_listed_checked_and_restored() {
    let (dir, db) = town();
    let backups = dir.path().join(BACKUPS_DIR);
    std::fs::create_dir_all(&backups).unwrap();
    let file = backups.join("2026-01-05_093000000-manual.pufabak");
    format1_backup(&db, &file);
    assert!(std::fs::read(&file).unwrap().starts_with(SQLITE_MAGIC));
    let info = inspect(&db.conn, &file).unwrap();
    assert_eq!(info.records as usize, record_ids(&db).len());
    assert_eq!(info.attachments, 1);
    assert_eq!(info.town, "双龙镇");
    let listed = list(dir.path()).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(holdings(&listed[0]), holdings(&info));

    let empty = tempfile::tempdir().unwrap();
    let mut fresh = Db::open_dir(empty.path()).unwrap();
    let restored = restore(&mut fresh, &file, &no_confirmation(), &mut |_, _| true).unwrap();
    assert_eq!(holdings(&restored), holdings(&info));
    assert_eq!(dump_data(&fresh.conn), dump_data(&db.conn));
    assert_eq!(attachments(empty.path()), attachments(dir.path()));
    assert_no_leftovers(empty.path());
}

#[test]
fn a_cut_or_altered_packed_backup_is_refused_and_changes_nothing() {
    let (dir, mut db) = town();
    let out = tempfile::tempdir().unwrap();
    let good = out.path().join("good.pufabak");
    create(
        &db.conn,
        db.data_dir.as_deref(),
        &good,
        BackupKind::Manual,
        &mut |_, _| true,
    )
    .unwrap();
    let bytes = std::fs::read(&good).unwrap();
    let description = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    let header = 16 + description;
    // The zstd frame carries a checksum of its content (Content_Checksum_flag in its header),
    // so the last 4 bytes are the checksum: one bit changed there must be caught.
    assert_eq!(&bytes[header..header + 4], &[0x28, 0xB5, 0x2F, 0xFD]);
    assert_ne!(bytes[header + 4] & 0b100, 0);
    let mut cases: Vec<(String, Vec<u8>, &str)> = [
        5,
        header - 1,
        header,
        header + 100,
        bytes.len() / 2,
        bytes.len() - 1,
    ]
    .into_iter()
    .map(|cut| {
        let why = if cut < header { "" } else { "不完整" };
        (format!("cut at {cut}"), bytes[..cut].to_vec(), why)
    })
    .collect();
    let mut flipped = bytes.clone();
    *flipped.last_mut().unwrap() ^= 1;
    cases.push(("checksum altered".into(), flipped, "校验"));
    let mut longer = bytes.clone();
    longer.extend_from_slice(b"tail");
    cases.push(("bytes after the end".into(), longer, ""));
    let mut description_broken = bytes.clone();
    description_broken[16] = b'!';
    cases.push((
        "description not JSON".into(),
        description_broken,
        "备份说明",
    ));

    let before = db_bytes(&db, dir.path());
    for (case, content, why) in cases {
        let file = out.path().join("bad.pufabak");
        std::fs::write(&file, content).unwrap();
        for e in [
            inspect(&db.conn, &file).unwrap_err(),
            restore(&mut db, &file, &no_confirmation(), &mut |_, _| true).unwrap_err(),
        ] {
            assert_eq!(e.field.as_deref(), Some("path"), "{case}: {e:?}");
            assert!(
                e.message.contains("不是可用的普法台账备份") && e.message.contains(why),
                "{case}: {}",
                e.message
            );
        }
        assert_eq!(db_bytes(&db, dir.path()), before, "{case} changed the data");
    }
    assert!(list(dir.path()).unwrap().is_empty(), "nothing backed up");
    assert_no_leftovers(dir.path());
    // The good file still restores.
    restore(&mut db, &good, &no_confirmation(), &mut |_, _| true).unwrap();
}

#[test]
fn a_backup_holds_the_moment_it_began_while_the_app_goes_on_writing() {
    let (dir, db) = town();
    let before = record_ids(&db);
    let writer = Connection::open(dir.path().join(crate::db::DB_FILE)).unwrap();
    writer.busy_timeout(Duration::from_secs(5)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("b.pufabak");
    let mut wrote = false;
    let info = create(
        &db.conn,
        db.data_dir.as_deref(),
        &file,
        BackupKind::Manual,
        &mut |_, _| {
            if !wrote {
                // Another connection (the window) deletes records half-way through.
                writer
                    .execute("DELETE FROM record WHERE rowid % 2 = 0", [])
                    .unwrap();
                wrote = true;
            }
            true
        },
    )
    .unwrap();
    assert!(wrote);
    assert!(
        record_ids(&db).len() < before.len(),
        "the live data moved on"
    );
    assert_eq!(info.records as usize, before.len());
    let empty = tempfile::tempdir().unwrap();
    let mut fresh = Db::open_dir(empty.path()).unwrap();
    restore(&mut fresh, &file, &no_confirmation(), &mut |_, _| true).unwrap();
    assert_eq!(
        record_ids(&fresh),
        before,
        "the backup is of the moment it began"
    );
}

#[test]
fn automatic_backups_keep_seven_of_a_kind_and_one_daily_a_day() {
    let (dir, db) = town();
    let made = daily(dir.path()).unwrap();
    let kinds: Vec<BackupKind> = made.iter().map(|b| b.kind).collect();
    assert_eq!(kinds, [BackupKind::Daily, BackupKind::Weekly]);
    assert!(daily(dir.path()).unwrap().is_empty(), "one a day");
    for _ in 0..9 {
        auto(&db, BackupKind::Daily).unwrap();
    }
    for _ in 0..7 {
        auto(&db, BackupKind::BeforeImport).unwrap();
    }
    let all = list(dir.path()).unwrap();
    let count = |k| all.iter().filter(|b| b.kind == k).count();
    assert_eq!(count(BackupKind::Daily), DAILY_KEPT);
    assert_eq!(count(BackupKind::Weekly), 1);
    assert_eq!(count(BackupKind::BeforeImport), EVENT_KEPT);
    // Newest first, and the names are safe on Windows.
    assert!(all.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    assert!(all.iter().all(|b| !b.file_name.contains(':')));
}

#[test]
fn an_older_database_is_backed_up_before_it_is_migrated() {
    let (dir, db) = town();
    let records = record_ids(&db).len();
    // As a database from before migration 0009 (the tallies).
    crate::reports::tally::suspend(&db.conn).unwrap();
    db.conn
        .execute_batch(
            "DROP TABLE record_tally; DROP TABLE activity_tally; PRAGMA user_version = 8;",
        )
        .unwrap();
    drop(db);
    let db = Db::open_dir(dir.path()).unwrap();
    assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
    let kept = list(dir.path()).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].kind, BackupKind::BeforeMigration);
    assert_eq!(kept[0].schema_version, 8);
    assert_eq!(kept[0].records as usize, records);
    // Opening it again migrates nothing and backs up nothing.
    drop(db);
    Db::open_dir(dir.path()).unwrap();
    assert_eq!(list(dir.path()).unwrap().len(), 1);
}

#[test]
fn previews_left_in_the_temporary_folder_by_a_closed_app_are_removed_at_the_next() {
    let temp = tempfile::tempdir().unwrap();
    let file = |name: &str, hours_ago: u64| {
        let path = temp.path().join(name);
        let f = std::fs::File::create(&path).unwrap();
        let then = std::time::SystemTime::now() - Duration::from_secs(hours_ago * 3600);
        f.set_modified(then).unwrap();
        path
    };
    let left = file(".pufa-preview-old.tmp", 7);
    let open_now = file(".pufa-preview-new.tmp", 0);
    let someone_elses = file("report-draft.tmp", 30);
    remove_stale_previews(temp.path(), STALE_PREVIEW);
    assert!(!left.exists(), "a preview of seven hours ago is a leftover");
    assert!(open_now.exists(), "a preview being shown stays");
    assert!(someone_elses.exists(), "only the app's own files go");
}

#[test]
fn a_backup_of_an_earlier_version_is_checked_against_that_versions_schema_and_brought_up_to_date() {
    // The data of a laptop at version 10 (before this version's migrations), in a backup.
    let old = crate::db::database_at(10);
    old.execute_batch(
        "INSERT INTO settings (key, value) VALUES ('device_id', 'old-laptop');
         INSERT INTO town (id, name, county, created_at, updated_at)
             VALUES ('t1', '双龙镇', '巫山县', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
         INSERT INTO unit (id, kind, name, created_at, updated_at)
             VALUES ('u1', 'village', '安静村', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("v10.pufabak");
    {
        let mut copy = Connection::open(&file).unwrap();
        Backup::new(&old, &mut copy)
            .unwrap()
            .run_to_completion(1024, Duration::ZERO, None)
            .unwrap();
        copy.execute_batch(
            "CREATE TABLE pufa_backup_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE pufa_backup_file (path TEXT PRIMARY KEY, data BLOB NOT NULL);
             INSERT INTO pufa_backup_meta VALUES ('kind', 'manual');",
        )
        .unwrap();
    }
    let empty = tempfile::tempdir().unwrap();
    let mut fresh = Db::open_dir(empty.path()).unwrap();
    let info = restore(&mut fresh, &file, &no_confirmation(), &mut |_, _| true).unwrap();
    assert_eq!((info.schema_version, info.town.as_str()), (10, "双龙镇"));
    assert_eq!(fresh.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(crate::check::run(&fresh).unwrap().ok);
    // The trail of the restored data only grows now.
    let e = fresh.conn.execute("DELETE FROM audit_log", []).unwrap_err();
    assert!(e.to_string().contains("操作记录只能追加"), "{e}");
    // The same backup with a table its version never had is refused.
    Connection::open(&file)
        .unwrap()
        .execute_batch("CREATE TABLE sync_device (x);")
        .unwrap();
    let e = restore(&mut fresh, &file, &no_confirmation(), &mut |_, _| true).unwrap_err();
    assert!(
        e.message.contains("“sync_device”是多出来的"),
        "{}",
        e.message
    );
}

/// A backup written over a file that another program (Excel, WPS, an antivirus scan) holds
/// open says so in Chinese and keeps that file.
#[cfg(windows)]
#[test]
fn a_backup_over_a_file_held_open_names_it_and_keeps_it() {
    use std::os::windows::fs::OpenOptionsExt;
    let (_dir, db) = town();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("备份.pufabak");
    std::fs::write(&file, "an older backup").unwrap();
    let held = std::fs::OpenOptions::new()
        .read(true)
        .share_mode(1) // FILE_SHARE_READ
        .open(&file)
        .unwrap();
    let e = create(
        &db.conn,
        db.data_dir.as_deref(),
        &file,
        BackupKind::Manual,
        &mut |_, _| true,
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("path"));
    assert!(
        e.message.contains(crate::export::HELD_OPEN),
        "{}",
        e.message
    );
    drop(held);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "an older backup");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1);
}
