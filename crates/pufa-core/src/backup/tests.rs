use super::*;
use crate::record::{self, RecordFilter};

/// The demo town in a data folder, with one attachment file in it.
fn town() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_dir(dir.path()).unwrap();
    crate::demo::load(
        &mut db,
        &crate::demo::DemoInput {
            seed: Some(3),
            year: Some(2026),
            scale: None,
        },
    )
    .unwrap();
    let photos = dir.path().join(ATTACHMENTS_DIR).join("ab");
    std::fs::create_dir_all(&photos).unwrap();
    std::fs::write(photos.join("ab12.jpg"), b"\xFF\xD8\xFFphoto").unwrap();
    (dir, db)
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
    assert_eq!(inspect(&file).unwrap(), info, "the preview says the same");

    // Lose data: half the records deleted, the photo gone.
    for id in &before[..before.len() / 2] {
        db.conn
            .execute("DELETE FROM record WHERE id = ?1", [id])
            .unwrap();
    }
    std::fs::remove_dir_all(dir.path().join(ATTACHMENTS_DIR)).unwrap();
    assert_ne!(record_ids(&db), before);

    let restored = restore(&mut db, &file, &mut |_, _| true).unwrap();
    assert_eq!(restored.records as usize, before.len());
    assert_eq!(record_ids(&db), before, "every record is back");
    assert_eq!(
        std::fs::read(dir.path().join(ATTACHMENTS_DIR).join("ab").join("ab12.jpg")).unwrap(),
        b"\xFF\xD8\xFFphoto"
    );
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
        let e = restore(&mut db, file, &mut |_, _| true).unwrap_err();
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

    // A backup from a newer version of the app.
    let newer = out.path().join("newer.pufabak");
    std::fs::write(&newer, &bytes).unwrap();
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let e = restore(&mut db, &newer, &mut |_, _| true).unwrap_err();
    assert_eq!(e.code, ErrorCode::DatabaseNewer);
    assert_eq!(db_bytes(&db, dir.path()), before);

    // An attachment path that would leave the folder.
    let escaping = out.path().join("escaping.pufabak");
    std::fs::write(&escaping, &bytes).unwrap();
    Connection::open(&escaping)
        .unwrap()
        .execute(
            "INSERT INTO pufa_backup_file (path, data) VALUES ('../../evil.txt', x'00')",
            [],
        )
        .unwrap();
    let e = restore(&mut db, &escaping, &mut |_, _| true).unwrap_err();
    assert!(e.message.contains("不安全"), "{}", e.message);
    assert!(!dir.path().parent().unwrap().join("evil.txt").exists());
    assert_eq!(db_bytes(&db, dir.path()), before);
}

#[test]
fn cancelling_a_backup_leaves_no_file() {
    let (_dir, db) = town();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("x.pufabak");
    let e = create(
        &db.conn,
        db.data_dir.as_deref(),
        &file,
        BackupKind::Manual,
        &mut |_, _| false,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
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
