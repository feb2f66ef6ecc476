//! Backups: one file each, a consistent copy of the database made with SQLite's online backup
//! API while the app runs, with the attachments stored inside it (tables `pufa_backup_meta`
//! and `pufa_backup_file`), so a backup is whole on its own and SQLite checks it on restore.
//!
//! Automatic ones live in the data folder's `backups/`: daily (7 kept, and one a week kept 4
//! weeks), before a migration, before an import and before a restore (5 of each kept). A
//! manual backup goes to a file the user chooses. Restore checks the file (`integrity_check`),
//! shows what it holds, backs up the current data first, then puts the backup in place.

use crate::db::{Db, ATTACHMENTS_DIR, SCHEMA_VERSION};
use crate::error::{AppError, ErrorCode, Result};
use crate::export::io_error;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use ts_rs::TS;

pub const BACKUPS_DIR: &str = "backups";
pub const EXTENSION: &str = "pufabak";

const DAILY_KEPT: usize = 7;
const WEEKLY_KEPT: usize = 4;
const EVENT_KEPT: usize = 5;
/// Pages copied per step of the online backup: big enough to be fast, small enough to report
/// progress (and let other readers in) several times a second.
const PAGES_PER_STEP: i32 = 16 * 1024;

/// Why a backup was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BackupKind {
    Manual,
    Daily,
    Weekly,
    BeforeMigration,
    BeforeImport,
    BeforeRestore,
}

impl BackupKind {
    fn code(self) -> &'static str {
        match self {
            BackupKind::Manual => "manual",
            BackupKind::Daily => "daily",
            BackupKind::Weekly => "weekly",
            BackupKind::BeforeMigration => "before_migration",
            BackupKind::BeforeImport => "before_import",
            BackupKind::BeforeRestore => "before_restore",
        }
    }

    fn parse(s: &str) -> BackupKind {
        match s {
            "daily" => BackupKind::Daily,
            "weekly" => BackupKind::Weekly,
            "before_migration" => BackupKind::BeforeMigration,
            "before_import" => BackupKind::BeforeImport,
            "before_restore" => BackupKind::BeforeRestore,
            _ => BackupKind::Manual,
        }
    }

    /// How many of this kind the backups folder keeps.
    fn kept(self) -> usize {
        match self {
            BackupKind::Manual => usize::MAX,
            BackupKind::Daily => DAILY_KEPT,
            BackupKind::Weekly => WEEKLY_KEPT,
            _ => EVENT_KEPT,
        }
    }
}

/// What a backup holds, read from the summary written into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    pub kind: BackupKind,
    pub created_at: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub town: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    #[ts(type = "number")]
    pub records: i64,
    #[ts(type = "number")]
    pub activities: i64,
    #[ts(type = "number")]
    pub campaigns: i64,
    #[ts(type = "number")]
    pub attachments: i64,
    /// The first and last day of the records it holds.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

fn bad_file(path: &Path, why: &str) -> AppError {
    AppError::field(
        ErrorCode::FileRejected,
        "path",
        format!("“{}”不是可用的普法台账备份：{why}", path.display()),
    )
}

/// Copies the database behind `conn` (and the attachments of `data_dir`) into a new backup at
/// `dest`. The file appears only when whole (written under a temporary name, then renamed).
pub fn create(
    conn: &Connection,
    data_dir: Option<&Path>,
    dest: &Path,
    kind: BackupKind,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<BackupInfo> {
    let folder = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(".pufa-backup-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|e| io_error(dest, &e))?;
    let summary = Summary::of(conn)?;
    {
        let mut copy = Connection::open(tmp.path())?;
        // The copy is a new file nobody reads until it is renamed into place: no journal and
        // no syncs while it is written, one sync of the whole file at the end.
        copy.pragma_update(None, "journal_mode", "OFF")?;
        copy.pragma_update(None, "synchronous", "OFF")?;
        {
            let backup = Backup::new(conn, &mut copy)?;
            copy_pages(&backup, &mut |done, total| {
                progress(done, total)
                    .then_some(())
                    .ok_or_else(|| AppError::new(ErrorCode::Cancelled, "已取消备份"))
            })?;
        }
        // A single file: no WAL beside it.
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        let tx = copy.transaction()?;
        tx.execute_batch(
            "CREATE TABLE pufa_backup_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE pufa_backup_file (path TEXT PRIMARY KEY, data BLOB NOT NULL);",
        )?;
        let mut attachments = 0i64;
        if let Some(dir) = data_dir {
            let root = dir.join(ATTACHMENTS_DIR);
            for (rel, file) in files_under(&root)? {
                let data = std::fs::read(&file).map_err(|e| io_error(&file, &e))?;
                tx.execute(
                    "INSERT INTO pufa_backup_file (path, data) VALUES (?1, ?2)",
                    rusqlite::params![rel, data],
                )?;
                attachments += 1;
            }
        }
        let mut meta = tx.prepare("INSERT INTO pufa_backup_meta (key, value) VALUES (?1, ?2)")?;
        for (k, v) in summary.pairs(kind, attachments) {
            meta.execute([k, v.as_str()])?;
        }
        drop(meta);
        tx.commit()?;
    }
    tmp.as_file().sync_all().map_err(|e| io_error(dest, &e))?;
    tmp.persist(dest).map_err(|e| io_error(dest, &e.error))?;
    inspect_summary(dest)
}

/// Runs an online backup to its end, telling `each(done, total)` in pages after every step.
fn copy_pages(backup: &Backup, each: &mut dyn FnMut(u64, u64) -> Result<()>) -> Result<()> {
    loop {
        let step = backup.step(PAGES_PER_STEP)?;
        let p = backup.progress();
        let total = p.pagecount.max(1) as u64;
        each(total.saturating_sub(p.remaining.max(0) as u64), total)?;
        match step {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            // Another connection holds a lock: wait a moment and go on.
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// The counts a backup records about itself when made.
struct Summary {
    town: String,
    schema_version: i64,
    records: i64,
    activities: i64,
    campaigns: i64,
    first_date: Option<String>,
    last_date: Option<String>,
}

impl Summary {
    fn of(conn: &Connection) -> Result<Summary> {
        // An old database (a backup before a migration) may not have every table yet.
        let exists = |table: &str| -> Result<bool> {
            Ok(conn.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get::<_, i64>(0),
            )? == 1)
        };
        let count = |table: &str| -> Result<i64> {
            if !exists(table)? {
                return Ok(0);
            }
            Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
        };
        let (first_date, last_date) = if exists("record")? {
            conn.query_row("SELECT min(date), max(date) FROM record", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
        } else {
            (None, None)
        };
        Ok(Summary {
            town: if exists("town")? {
                conn.query_row("SELECT name FROM town LIMIT 1", [], |r| r.get(0))
                    .optional()?
                    .unwrap_or_default()
            } else {
                String::new()
            },
            schema_version: conn.pragma_query_value(None, "user_version", |r| r.get(0))?,
            records: count("record")?,
            activities: count("activity")?,
            campaigns: count("campaign")?,
            first_date,
            last_date,
        })
    }

    fn pairs(&self, kind: BackupKind, attachments: i64) -> Vec<(&'static str, String)> {
        vec![
            ("format", "1".into()),
            ("kind", kind.code().into()),
            ("created_at", crate::now()),
            ("town", self.town.clone()),
            ("schema_version", self.schema_version.to_string()),
            ("records", self.records.to_string()),
            ("activities", self.activities.to_string()),
            ("campaigns", self.campaigns.to_string()),
            ("attachments", attachments.to_string()),
            ("first_date", self.first_date.clone().unwrap_or_default()),
            ("last_date", self.last_date.clone().unwrap_or_default()),
        ]
    }
}

/// Every file under `root` with its path relative to it ('/'-separated on every system).
fn files_under(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io_error(&dir, &e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&dir, &e))?;
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(root) {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push((rel.join("/"), path));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Opens a backup file read-only, refusing what is not one.
fn open_backup(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(AppError::field(
            ErrorCode::NotFound,
            "path",
            format!("找不到备份文件“{}”", path.display()),
        ));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|_| bad_file(path, "无法打开"))?;
    let has_meta: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'pufa_backup_meta'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n == 1)
        .map_err(|_| bad_file(path, "文件已损坏或不是备份文件"))?;
    if !has_meta {
        return Err(bad_file(path, "文件里没有备份说明"));
    }
    Ok(conn)
}

/// What a backup says it holds (without checking every page: see [`inspect`]).
fn inspect_summary(path: &Path) -> Result<BackupInfo> {
    let conn = open_backup(path)?;
    let mut meta = std::collections::HashMap::new();
    let mut stmt = conn
        .prepare("SELECT key, value FROM pufa_backup_meta")
        .map_err(|_| bad_file(path, "备份说明无法读取"))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map_err(|_| bad_file(path, "备份说明无法读取"))?;
    for row in rows {
        let (k, v) = row.map_err(|_| bad_file(path, "备份说明无法读取"))?;
        meta.insert(k, v);
    }
    let text = |k: &str| meta.get(k).cloned().unwrap_or_default();
    let number = |k: &str| text(k).parse::<i64>().unwrap_or(0);
    let date = |k: &str| Some(text(k)).filter(|s| !s.is_empty());
    Ok(BackupInfo {
        path: path.display().to_string(),
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        kind: BackupKind::parse(&text("kind")),
        created_at: text("created_at"),
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        town: text("town"),
        schema_version: number("schema_version"),
        records: number("records"),
        activities: number("activities"),
        campaigns: number("campaigns"),
        attachments: number("attachments"),
        first_date: date("first_date"),
        last_date: date("last_date"),
    })
}

/// Checks a backup page by page (`integrity_check`) and says what it holds: the preview shown
/// before a restore. A damaged file, or one from a newer version of the app, is refused.
pub fn inspect(path: &Path) -> Result<BackupInfo> {
    let info = inspect_summary(path)?;
    let conn = open_backup(path)?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| bad_file(path, "文件已损坏"))?;
    if check != "ok" {
        return Err(bad_file(path, "文件已损坏（完整性检查未通过）"));
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(AppError::new(
            ErrorCode::DatabaseNewer,
            format!(
                "这个备份由更新版本的普法台账创建（结构版本 {version}，本程序支持到 \
                 {SCHEMA_VERSION}），请先升级本程序再恢复"
            ),
        ));
    }
    Ok(info)
}

/// The automatic backups in the data folder, newest first.
pub fn list(data_dir: &Path) -> Result<Vec<BackupInfo>> {
    let dir = data_dir.join(BACKUPS_DIR);
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io_error(&dir, &e)),
    };
    for entry in entries {
        let path = entry.map_err(|e| io_error(&dir, &e))?.path();
        if path.extension().and_then(|e| e.to_str()) == Some(EXTENSION) {
            // A damaged file in the folder is skipped here; restoring it would say why.
            if let Ok(info) = inspect_summary(&path) {
                out.push(info);
            }
        }
    }
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    Ok(out)
}

/// A file name for an automatic backup: sortable, safe on Windows (no ':').
fn auto_name(kind: BackupKind) -> String {
    let now = chrono::Local::now();
    format!(
        "{}-{}.{EXTENSION}",
        now.format("%Y-%m-%d_%H%M%S%3f"),
        kind.code()
    )
}

/// Makes an automatic backup of `kind` in the data folder and prunes the old ones of it.
/// None for a database with no folder (in memory).
pub fn auto(db: &Db, kind: BackupKind) -> Result<Option<BackupInfo>> {
    let Some(data_dir) = db.data_dir.as_deref() else {
        return Ok(None);
    };
    auto_in(&db.conn, data_dir, kind).map(Some)
}

fn auto_in(conn: &Connection, data_dir: &Path, kind: BackupKind) -> Result<BackupInfo> {
    let dir = data_dir.join(BACKUPS_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, &e))?;
    let info = create(
        conn,
        Some(data_dir),
        &dir.join(auto_name(kind)),
        kind,
        &mut |_, _| true,
    )?;
    prune(data_dir, kind)?;
    Ok(info)
}

/// Keeps the newest backups of `kind` its rule allows and deletes the rest.
fn prune(data_dir: &Path, kind: BackupKind) -> Result<()> {
    let all = list(data_dir)?;
    for old in all.iter().filter(|b| b.kind == kind).skip(kind.kept()) {
        let _ = std::fs::remove_file(&old.path);
    }
    Ok(())
}

/// The backup of a database about to be migrated to this version's schema.
pub(crate) fn before_migration(conn: &Connection, data_dir: &Path) -> Result<BackupInfo> {
    auto_in(conn, data_dir, BackupKind::BeforeMigration)
}

/// The daily backup, when there is none of today yet; a week after the last weekly one, the
/// day's backup is also kept as the weekly one. Returns the backups made. It reads through a
/// connection of its own: the window starts it beside its work, and a county database takes
/// seconds to copy, which must not hold up the first screens.
pub fn daily(data_dir: &Path) -> Result<Vec<BackupInfo>> {
    let conn = Connection::open_with_flags(
        data_dir.join(crate::db::DB_FILE),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let all = list(data_dir)?;
    let today = chrono::Local::now().date_naive();
    let day_of = |b: &BackupInfo| {
        chrono::DateTime::parse_from_rfc3339(&b.created_at)
            .ok()
            .map(|t| t.with_timezone(&chrono::Local).date_naive())
    };
    let mut made = Vec::new();
    if !all
        .iter()
        .any(|b| b.kind == BackupKind::Daily && day_of(b) == Some(today))
    {
        made.push(auto_in(&conn, data_dir, BackupKind::Daily)?);
    }
    let last_weekly = all
        .iter()
        .filter(|b| b.kind == BackupKind::Weekly)
        .filter_map(day_of)
        .max();
    if last_weekly.is_none_or(|d| (today - d).num_days() >= 7) {
        made.push(auto_in(&conn, data_dir, BackupKind::Weekly)?);
    }
    Ok(made)
}

/// Puts a backup in place of the current data: checks it, backs up the current data (kind
/// `BeforeRestore`), adds the backup's attachment files the folder lacks, then copies the
/// database in with the online backup API in one transaction (migrating it if it is older).
/// A file that fails a check changes nothing; a restore killed half-way leaves the old data
/// or the new, whole (attachments are named by their content, so the folder only gains files).
pub fn restore(
    db: &mut Db,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<BackupInfo> {
    let info = inspect(path)?;
    let data_dir = db.data_dir.clone();
    // A working copy, so the chosen file is only read, and the backup's own tables can go.
    let staging_dir = match &data_dir {
        Some(d) => d.clone(),
        None => std::env::temp_dir(),
    };
    let staged = tempfile::Builder::new()
        .prefix(STAGED_PREFIX)
        .suffix(".tmp")
        .tempfile_in(&staging_dir)
        .map_err(|e| io_error(&staging_dir, &e))?;
    std::fs::copy(path, staged.path()).map_err(|e| io_error(path, &e))?;
    {
        let copy = Connection::open(staged.path())?;
        let names: Vec<String> = copy
            .prepare("SELECT path FROM pufa_backup_file")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // Every name checked before any file is written.
        if let Some(bad) = names
            .iter()
            .find(|n| safe_join(Path::new("."), n).is_none())
        {
            return Err(bad_file(path, &format!("附件路径“{bad}”不安全")));
        }
        auto(db, BackupKind::BeforeRestore)?;
        if let Some(d) = &data_dir {
            let root = d.join(ATTACHMENTS_DIR);
            let mut stmt = copy.prepare("SELECT path, data FROM pufa_backup_file")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let rel: String = row.get(0)?;
                let target = safe_join(&root, &rel).expect("checked above");
                if !target.exists() {
                    write_whole(&target, &row.get::<_, Vec<u8>>(1)?)?;
                }
            }
        }
        copy.execute_batch("DROP TABLE pufa_backup_meta; DROP TABLE pufa_backup_file;")?;
    }
    {
        let copy = Connection::open_with_flags(staged.path(), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let backup = Backup::new(&copy, &mut db.conn)?;
        // Past this point the copy is not stopped: half a database is worse than a slow one.
        copy_pages(&backup, &mut |done, total| {
            progress(done, total);
            Ok(())
        })?;
    }
    crate::db::migrate(&mut db.conn)?;
    Ok(info)
}

/// The working copy of a backup being restored, in the data folder.
const STAGED_PREFIX: &str = ".pufa-restore-";
/// A file being written (an attachment restored, a backup made) before its rename.
const PARTIAL_PREFIXES: &[&str] = &[STAGED_PREFIX, ".pufa-backup-", ".pufa-part-"];

/// Writes `bytes` to `target` under a temporary name first, so a crash never leaves a cut file
/// under the real name.
fn write_whole(target: &Path, bytes: &[u8]) -> Result<()> {
    let folder = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| io_error(folder, &e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".pufa-part-")
        .tempfile_in(folder)
        .map_err(|e| io_error(target, &e))?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(|e| io_error(target, &e))?;
    tmp.persist(target)
        .map_err(|e| io_error(target, &e.error))?;
    Ok(())
}

/// Removes what a backup or restore killed half-way left behind (its temporary files) in the
/// data folder, its backups and its attachments. Called when the folder is opened.
pub(crate) fn remove_leftovers(data_dir: &Path) {
    let folders = [data_dir.to_path_buf(), data_dir.join(BACKUPS_DIR)]
        .into_iter()
        .chain(
            files_under(&data_dir.join(ATTACHMENTS_DIR))
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(_, p)| p.parent().map(Path::to_path_buf)),
        );
    let mut seen = std::collections::HashSet::new();
    for folder in folders.filter(|f| seen.insert(f.clone())) {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if PARTIAL_PREFIXES.iter().any(|p| name.starts_with(p)) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// `root/rel` when `rel` stays inside `root` (no `..`, no absolute path, no drive letter).
fn safe_join(root: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = root.to_path_buf();
    for part in rel.split('/') {
        let ok =
            !part.is_empty() && part != "." && part != ".." && !part.contains(['\\', ':', '\0']);
        if !ok {
            return None;
        }
        out.push(part);
    }
    Some(out)
}

#[cfg(test)]
mod tests;
