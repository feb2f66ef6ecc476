//! Storage on a real database file: migrate from empty, reopen, refuse a newer schema.

mod common;

use common::{cli, data_dir, initialized};
use pufa_core::db::{Db, DB_FILE, SCHEMA_VERSION};
use pufa_core::ErrorCode;

#[test]
fn an_empty_folder_is_migrated_to_the_current_schema() {
    let (_tmp, dir) = data_dir();
    let db = Db::open_dir(&dir).expect("opens an empty folder");
    assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
    let mode: String = db
        .conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
    let fk: i64 = db
        .conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    for table in [
        "settings",
        "town",
        "unit",
        "person",
        "user_profile",
        "campaign",
    ] {
        let n: i64 = db
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "table {table} exists");
    }
    drop(db);
    // Opening again is a no-op for the schema.
    let again = Db::open_dir(&dir).unwrap();
    assert_eq!(again.schema_version().unwrap(), SCHEMA_VERSION);
}

#[test]
fn data_survives_closing_and_reopening() {
    let (_tmp, dir) = initialized();
    let added = cli(
        &dir,
        &[
            "campaign",
            "add",
            "--name",
            "4·15全民国家安全教育日",
            "--kind",
            "national",
            "--start",
            "2027-04-15",
            "--end",
            "2027-04-15",
            "--json",
        ],
    )
    .ok()
    .json();
    // A separate process, a separate connection: the campaign and town are on disk.
    let db = Db::open_dir(&dir).unwrap();
    let info = pufa_core::town::app_info(&db).unwrap();
    assert_eq!(info.town.unwrap().name, "双龙镇");
    let got = pufa_core::campaign::get(&db.conn, added["id"].as_str().unwrap()).unwrap();
    assert_eq!(got.name, "4·15全民国家安全教育日");
    assert_eq!(got.start_date, "2027-04-15");
    let device: Option<String> = pufa_core::town::setting(&db.conn, "device_id").unwrap();
    assert!(
        device.is_some_and(|d| d.len() == 36),
        "each database carries a device id"
    );
}

#[test]
fn a_database_from_a_newer_build_is_refused_and_left_untouched() {
    let (_tmp, dir) = initialized();
    let file = dir.join(DB_FILE);
    {
        let conn = rusqlite::Connection::open(&file).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 5)
            .unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&file).unwrap();

    let err = Db::open_dir(&dir).err().expect("refused");
    assert_eq!(err.code, ErrorCode::DatabaseNewer);
    assert!(err.message.contains("更新版本"), "{}", err.message);

    let run = cli(&dir, &["info", "--json"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.json()["error"]["code"], "database_newer");
    assert!(run.stderr.contains("请升级程序"), "{}", run.stderr);

    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file is byte-for-byte unchanged"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_reported_not_overwritten() {
    let (_tmp, dir) = data_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(DB_FILE);
    std::fs::write(&file, "这不是数据库".repeat(200)).unwrap();
    let run = cli(&dir, &["info", "--json"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.json()["error"]["code"], "database");
    assert!(
        run.stderr.contains("不是普法台账的数据库"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "这不是数据库".repeat(200)
    );
}
