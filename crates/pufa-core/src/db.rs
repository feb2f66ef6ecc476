//! SQLite storage: opening the data folder, connection pragmas, embedded migrations applied in
//! one transaction, and the `user_version` guard that keeps an older build away from a database
//! a newer build has migrated.

use crate::error::{AppError, ErrorCode, Result};
use rusqlite::{Connection, OpenFlags, Transaction};
use std::path::{Path, PathBuf};
use std::time::Duration;

mod migrations;
mod read;
mod rows;
mod triggers;
pub(crate) use read::{json_column, parsed_column};
pub(crate) use rows::insert_rows;
pub(crate) use triggers::{suspend_triggers, SuspendedTriggers};

/// One step of the schema: SQL, or code where SQL alone cannot say it (a column added only
/// where missing); code migrations are frozen copies (`db/migrations.rs`).
enum Migration {
    Sql(&'static str),
    Code(fn(&Connection) -> Result<()>),
}

impl Migration {
    fn apply(&self, conn: &Connection) -> Result<()> {
        match self {
            Migration::Sql(sql) => conn.execute_batch(sql)?,
            Migration::Code(f) => f(conn)?,
        }
        Ok(())
    }
}

/// The migrations, in order. `user_version` = how many of them the database has.
const MIGRATIONS: &[Migration] = &[
    Migration::Sql(include_str!("migrations/0001_foundation.sql")),
    Migration::Sql(include_str!("migrations/0002_keydates.sql")),
    Migration::Sql(include_str!("migrations/0003_activities.sql")),
    Migration::Sql(include_str!("migrations/0004_audit.sql")),
    Migration::Sql(include_str!("migrations/0005_records.sql")),
    Migration::Sql(include_str!("migrations/0006_calendar_index.sql")),
    Migration::Sql(include_str!("migrations/0007_stock_balance.sql")),
    Migration::Sql(include_str!("migrations/0008_report_text.sql")),
    // migrations/0009_tallies.sql and the triggers that keep the tallies.
    Migration::Code(migrations::tallies_0009),
    // migrations/0010_sync.sql, the sync columns of the exchanged tables and their triggers.
    Migration::Code(migrations::sync_0010),
    // migrations/0011_material_units.sql: a used material keeps its unit.
    Migration::Sql(include_str!("migrations/0011_material_units.sql")),
    // migrations/0012_trust.sql and the reason a sync conflict was kept.
    Migration::Code(migrations::trust_0012),
    // migrations/0013_calendar.sql (market days), added only when missing.
    Migration::Code(migrations::calendar_0013),
    // migrations/0014_volunteers.sql (志愿者人次), added only when missing.
    Migration::Code(migrations::volunteers_0014),
    // What the Excel import remembers: each imported record's source row, and the column
    // mapping confirmed per header layout.
    Migration::Sql(include_str!("migrations/0015_import_memory.sql")),
    // The stock index by receiving store without the hand-outs (they receive nothing).
    Migration::Sql(include_str!("migrations/0016_stock_index.sql")),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub const DB_FILE: &str = "pufa.db";
pub const ATTACHMENTS_DIR: &str = "attachments";

/// What opening a database does besides storage: given by the layer above (`backup`, which
/// provides `Db::open_dir`, `open_file` and `open_in_memory`), so that storage does not import
/// what it stores.
pub struct DirHooks {
    /// Before the database is opened (leftovers of an interrupted job cleared).
    pub before_open: fn(&Path),
    /// Before an older database is migrated (it is kept as it was).
    pub before_migration: fn(&Connection, &Path) -> Result<()>,
    /// After the migrations, in one transaction (a clock dragged years ahead by an earlier
    /// version's import is put right).
    pub after_migration: fn(&Transaction) -> Result<()>,
}

pub struct Db {
    pub conn: Connection,
    pub data_dir: Option<PathBuf>,
    /// The checkpoint after a bulk write, running on a connection of its own (see
    /// [`Db::with_bulk_tx`]); waited for when the database is closed.
    checkpoint: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some(running) = self.checkpoint.take() {
            let _ = running.join();
        }
    }
}

impl Db {
    /// Opens (creating if needed) the database in `data_dir`, after checking the folder is
    /// usable, with `hooks` around it: what the folder's keeper (`backup`, which provides
    /// `Db::open_dir`) clears before opening, keeps before a migration and repairs after.
    pub fn open_dir_with(data_dir: &Path, hooks: &DirHooks) -> Result<Db> {
        prepare_data_dir(data_dir)?;
        (hooks.before_open)(data_dir);
        let conn = connect(&data_dir.join(DB_FILE))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > 0 && version < SCHEMA_VERSION {
            (hooks.before_migration)(&conn, data_dir)?;
        }
        let mut db = Self::init(conn, hooks)?;
        db.data_dir = Some(data_dir.to_path_buf());
        Ok(db)
    }

    /// Opens (creating if needed) the database file at `path` (`hooks.before_open` and
    /// `before_migration` are for a data folder and not run).
    pub fn open_file_with(path: &Path, hooks: &DirHooks) -> Result<Db> {
        Self::init(connect(path)?, hooks)
    }

    /// A private in-memory database, for unit tests.
    pub fn open_in_memory_with(hooks: &DirHooks) -> Result<Db> {
        Self::init(Connection::open_in_memory()?, hooks)
    }

    fn init(mut conn: Connection, hooks: &DirHooks) -> Result<Db> {
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Checking an imported row or merging a package's uses more statements than rusqlite
        // caches by default (16); re-preparing them per row was measurable.
        conn.set_prepared_statement_cache_capacity(64);
        migrate(&mut conn)?;
        let tx = conn.transaction()?;
        (hooks.after_migration)(&tx)?;
        tx.commit()?;
        Ok(Db {
            conn,
            data_dir: None,
            checkpoint: None,
        })
    }

    /// Runs `f` in one transaction: everything it writes lands, or nothing does.
    pub fn with_tx<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// [`with_tx`](Self::with_tx) for an import of thousands of rows: while it runs, a bigger
    /// page cache (otherwise the dirty pages spill to the WAL again and again before the
    /// commit) and the statement journals of trigger-firing writes in memory instead of a
    /// temporary file. Both are put back afterwards.
    ///
    /// The commit does not wait for the WAL checkpoint that copies the written pages into the
    /// database file (a tenth of a 20,000-row import): it runs afterwards on a connection of its
    /// own, while the user reads the result. The data is committed either way; a checkpoint cut
    /// short (the app closed) is finished by the next connection.
    pub fn with_bulk_tx<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let pragma = |conn: &Connection, name: &str| -> Result<i64> {
            Ok(conn.pragma_query_value(None, name, |r| r.get(0))?)
        };
        let cache = pragma(&self.conn, "cache_size")?;
        let temp_store = pragma(&self.conn, "temp_store")?;
        let autocheckpoint = pragma(&self.conn, "wal_autocheckpoint")?;
        self.conn.pragma_update(None, "cache_size", -32 * 1024)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        let out = self.with_tx(f);
        self.conn.pragma_update(None, "cache_size", cache)?;
        self.conn.pragma_update(None, "temp_store", temp_store)?;
        self.conn
            .pragma_update(None, "wal_autocheckpoint", autocheckpoint)?;
        if out.is_ok() {
            self.checkpoint_in_background();
        }
        out
    }

    /// Starts a passive checkpoint of a file database on a connection of its own (one at a
    /// time); readers and writers here are not held up by it.
    fn checkpoint_in_background(&mut self) {
        let Some(path) = self
            .conn
            .path()
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
        else {
            return;
        };
        if let Some(earlier) = self.checkpoint.take() {
            let _ = earlier.join();
        }
        self.checkpoint = std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn(move || {
                let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                if let Ok(conn) = Connection::open_with_flags(&path, flags) {
                    let _ = conn.busy_timeout(Duration::from_secs(5));
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })
            .ok();
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }
}

/// Opens a database file in WAL mode, not yet migrated.
fn connect(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    // Refuse a newer database before anything (even the journal mode) touches the file.
    refuse_newer(&conn)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    Ok(conn)
}

/// Creates the data folder and its attachments folder, refusing a path that is a file or a
/// folder we cannot write to — before SQLite would fail with a less helpful message.
fn prepare_data_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(AppError::field(
            ErrorCode::DataDirNotDir,
            "data_dir",
            format!(
                "数据文件夹“{}”是一个文件，不是文件夹，请换一个位置",
                dir.display()
            ),
        ));
    }
    let readonly = |e: std::io::Error| {
        AppError::field(
            ErrorCode::DataDirReadonly,
            "data_dir",
            format!(
                "无法写入数据文件夹“{}”：{e}。请检查权限或换一个位置",
                dir.display()
            ),
        )
    };
    std::fs::create_dir_all(dir.join(ATTACHMENTS_DIR)).map_err(readonly)?;
    // Creating the folder may succeed on a read-only mount that already has it: probe a write.
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"ok").map_err(readonly)?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// The `user_version` guard: an older build never writes to a database a newer build migrated.
fn refuse_newer(conn: &Connection) -> Result<i64> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(AppError::new(
            ErrorCode::DatabaseNewer,
            format!(
                "数据库由更新版本的普法台账创建（结构版本 {current}，本程序支持到 {SCHEMA_VERSION}），\
                 请升级程序后再打开，数据未做任何改动"
            ),
        ));
    }
    Ok(current)
}

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let current = refuse_newer(conn)?;
    if current == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for m in &MIGRATIONS[current as usize..] {
        m.apply(&tx)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    if current > 0 {
        tracing::info!(from = current, to = SCHEMA_VERSION, "数据库结构已升级");
    }
    if current == 0 {
        // A device id for exchange between laptops: generated once, never changed.
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ('device_id', ?1)",
            [uuid::Uuid::new_v4().to_string()],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// One entry of a database's schema: (type, name, table, SQL), the internal `sqlite_…` ones
/// left out.
pub(crate) type SchemaEntry = (String, String, String, Option<String>);

/// The schema of `conn`'s main database, sorted.
pub(crate) fn schema_of(conn: &Connection) -> rusqlite::Result<Vec<SchemaEntry>> {
    let mut entries = conn
        .prepare(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema
             WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<SchemaEntry>>>()?;
    entries.sort();
    Ok(entries)
}

/// The schema this build's migrations make at `version` (1 … [`SCHEMA_VERSION`]): tables,
/// indexes, triggers and views, exactly as SQLite keeps their text.
pub(crate) fn schema_at(version: i64) -> Result<Vec<SchemaEntry>> {
    let conn = Connection::open_in_memory()?;
    for m in &MIGRATIONS[..version.clamp(0, SCHEMA_VERSION) as usize] {
        m.apply(&conn)?;
    }
    Ok(schema_of(&conn)?)
}

/// A database as an earlier version of the app left it: this build's migrations up to
/// `version` (tests of what reads older databases and backups).
#[cfg(test)]
pub(crate) fn database_at(version: i64) -> Connection {
    let conn = Connection::open_in_memory().expect("in memory");
    for m in &MIGRATIONS[..version as usize] {
        m.apply(&conn).expect("migration");
    }
    conn.pragma_update(None, "user_version", version)
        .expect("version");
    conn
}

/// What differs between a database's schema and the expected one, in words (None: nothing).
pub(crate) fn schema_difference(got: &[SchemaEntry], want: &[SchemaEntry]) -> Option<String> {
    let kind = |t: &str| match t {
        "table" => "表",
        "index" => "索引",
        "trigger" => "触发器",
        "view" => "视图",
        _ => "对象",
    };
    // Our names are short identifiers; a longer one is cut for the message.
    let clip = |s: &str| -> String {
        let mut out: String = s.chars().take(64).collect();
        if s.chars().count() > 64 {
            out.push('…');
        }
        out
    };
    if let Some(extra) = got.iter().find(|e| !want.contains(e)) {
        let changed = want.iter().any(|w| w.0 == extra.0 && w.1 == extra.1);
        return Some(format!(
            "其中的{}“{}”{}，不是本程序的数据库结构",
            kind(&extra.0),
            clip(&extra.1),
            if changed {
                "被改动过"
            } else {
                "是多出来的"
            }
        ));
    }
    want.iter().find(|e| !got.contains(e)).map(|missing| {
        format!(
            "缺少{}“{}”，不是本程序的数据库结构",
            kind(&missing.0),
            clip(&missing.1)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bulk write is committed and readable as soon as it returns; the checkpoint after it
    /// runs on a connection of its own and copies every page of it into the database file.
    #[test]
    fn a_bulk_write_is_checkpointed_after_it_returns() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open_dir(dir.path()).unwrap();
        db.with_bulk_tx(|tx| {
            for i in 0..2000 {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)",
                    rusqlite::params![format!("k{i}"), "x".repeat(500)],
                )?;
            }
            Ok(())
        })
        .unwrap();
        let other = Connection::open(dir.path().join(DB_FILE)).unwrap();
        let n: i64 = other
            .query_row(
                "SELECT count(*) FROM settings WHERE key LIKE 'k%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 2000, "committed when it returns");
        let autocheckpoint: i64 = db
            .conn
            .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))
            .unwrap();
        assert_eq!(autocheckpoint, 1000, "the automatic checkpoint is back");
        db.checkpoint
            .take()
            .expect("a checkpoint was started")
            .join()
            .unwrap();
        // The database file alone (without its WAL) has the rows: they were copied into it.
        let alone = tempfile::tempdir().unwrap();
        std::fs::copy(dir.path().join(DB_FILE), alone.path().join(DB_FILE)).unwrap();
        let n: i64 = Connection::open(alone.path().join(DB_FILE))
            .unwrap()
            .query_row(
                "SELECT count(*) FROM settings WHERE key LIKE 'k%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 2000, "checkpointed into the file");
    }

    #[test]
    fn fresh_database_is_migrated_with_foreign_keys() {
        let db = Db::open_in_memory().unwrap();
        assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
        let fk: i64 = db
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let device: String = db
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key='device_id'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(device.len(), 36);
    }

    #[test]
    fn running_stock_balances_are_built_from_an_older_ledger() {
        // A database from before 0007_stock_balance, with receipts, a transfer and a hand-out.
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        let before_balances = 6;
        for m in &MIGRATIONS[..before_balances] {
            m.apply(&conn).unwrap();
        }
        conn.pragma_update(None, "user_version", before_balances as i64)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO unit (id, kind, name, created_at, updated_at)
                 VALUES ('v', 'village', '安静村', 'x', 'x');
             INSERT INTO material (id, name, unit, created_at, updated_at)
                 VALUES ('m', '宪法读本', '册', 'x', 'x'), ('n', '民法典读本', '册', 'x', 'x');
             INSERT INTO store (id, name, unit_id, created_at, updated_at)
                 VALUES ('t', '镇普法资料库', NULL, 'x', 'x'), ('s', '安静村资料点', 'v', 'x', 'x');
             INSERT INTO stock_movement (id, material_id, kind, quantity, from_store_id,
                 to_store_id, date, created_at, updated_at)
             VALUES ('1', 'm', 'receipt', 100, NULL, 't', '2026-01-01', 'x', 'x'),
                    ('2', 'm', 'receipt', 50, NULL, 't', '2026-01-02', 'x', 'x'),
                    ('3', 'm', 'transfer', 40, 't', 's', '2026-01-03', 'x', 'x'),
                    ('4', 'm', 'handout', 15, 's', NULL, '2026-01-04', 'x', 'x'),
                    ('5', 'n', 'receipt', 7, NULL, 's', '2026-01-05', 'x', 'x');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let rows: Vec<(String, String, i64, i64)> = conn
            .prepare(
                "SELECT material_id, store_id, balance, movements FROM stock_balance
                 ORDER BY material_id, store_id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let row = |m: &str, s: &str, b, n| (m.to_string(), s.to_string(), b, n);
        assert_eq!(
            rows,
            vec![
                row("m", "s", 25, 2),
                row("m", "t", 110, 3),
                row("n", "s", 7, 1)
            ]
        );
    }

    #[test]
    fn failed_transaction_writes_nothing() {
        let mut db = Db::open_in_memory().unwrap();
        let r: Result<()> = db.with_tx(|tx| {
            tx.execute("INSERT INTO settings (key, value) VALUES ('a', 'b')", [])?;
            Err(AppError::new(ErrorCode::BadRequest, "stop"))
        });
        assert!(r.is_err());
        let n: i64 = db
            .conn
            .query_row("SELECT count(*) FROM settings WHERE key='a'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 0);
    }
}
