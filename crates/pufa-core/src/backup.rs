//! Backups: one file each, a consistent copy of the database with the attachments inside, so a
//! backup is whole on its own.
//!
//! The file (format 2, "packed") is a short plain header — [`PACKED_MAGIC`], the format number
//! and the description (town, counts, dates) as JSON, so the backups list reads it without
//! unpacking anything — then one zstd frame with a content checksum holding the database's pages
//! and the attachment files. The pages are read through SQLite's `sqlite_dbpage` table in one read
//! transaction: a consistent snapshot while the app goes on writing (WAL), at the speed of the
//! compressor rather than of the disk (a county database is 2 GB raw, about 250 MB packed).
//! Format 1, which earlier versions wrote and which is still restored, is an SQLite database
//! made with the online backup API, with tables `pufa_backup_meta` and `pufa_backup_file`; a
//! packed backup is unpacked into that form before it is checked or restored.
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
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use ts_rs::TS;

pub const BACKUPS_DIR: &str = "backups";
pub const EXTENSION: &str = "pufabak";

const DAILY_KEPT: usize = 7;
const WEEKLY_KEPT: usize = 4;
const EVENT_KEPT: usize = 5;
/// Pages copied per step of the online backup (a restore): big enough to be fast, small enough
/// to report progress several times a second.
const PAGES_PER_STEP: i32 = 16 * 1024;

/// The first bytes of a packed backup (an SQLite file starts with "SQLite format 3\0").
const PACKED_MAGIC: &[u8; 8] = b"PUFABAK\0";
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// The packed format this build writes; a file with a higher number is from a newer app.
const PACKED_FORMAT: u32 = 2;
/// zstd's fastest regular level: about 8 to 1 on a county database, and fast enough that
/// reading the pages, not compressing them, sets the pace on two cores.
const ZSTD_LEVEL: i32 = 1;
/// SQLite caps it at 2 GB on the desktop systems; the rest of a bigger file is read as usual.
const MMAP_WHILE_PACKING: i64 = 1 << 40;
/// A description longer than this is not one we wrote.
const MAX_DESCRIPTION: u32 = 1 << 20;
/// How often (in bytes packed) a backup reports progress and may be cancelled.
const REPORT_EVERY: u64 = 8 << 20;
/// Said when the bundled SQLite was built without the page table (see .cargo/config.toml).
const NO_DBPAGE: &str = "本程序的 SQLite 不能读取数据页（编译时缺少 SQLITE_ENABLE_DBPAGE_VTAB）";
/// What follows in the packed stream after the pages: an attachment, or the end.
const TAG_FILE: u8 = 1;
const TAG_END: u8 = 0;

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
    /// The id of its town (empty in the list, which reads only the header).
    #[serde(default)]
    pub town_id: String,
    /// The preview: the town of the data a restore would replace.
    #[serde(default)]
    pub current_town: Option<String>,
    /// The preview: the backup is another town's (a restore needs the user's confirmation).
    #[serde(default)]
    pub other_town: bool,
}

fn bad_file(path: &Path, why: &str) -> AppError {
    AppError::field(
        ErrorCode::FileRejected,
        "path",
        format!("“{}”不是可用的普法台账备份：{why}", path.display()),
    )
}

/// Copies the database behind `conn` (and the attachments of `data_dir`) into a new backup at
/// `dest`. The file appears only when whole (written under a temporary name, synced, then
/// renamed). `progress(done, total)` counts bytes; returning false cancels and leaves no file.
pub fn create(
    conn: &Connection,
    data_dir: Option<&Path>,
    dest: &Path,
    kind: BackupKind,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<BackupInfo> {
    let files = match data_dir {
        Some(dir) => files_under(&dir.join(ATTACHMENTS_DIR))?,
        None => Vec::new(),
    };
    write_packed(conn, &files, dest, kind, progress)?;
    inspect_summary(dest)
}

/// Writes a packed backup of `conn`'s database with `files` (name in the backup, file on disk).
fn write_packed(
    conn: &Connection,
    files: &[(String, PathBuf)],
    dest: &Path,
    kind: BackupKind,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<()> {
    // Pages read from the mapped file rather than by one read call each take a third of the
    // time; the connection gets its own setting back afterwards. (An in-memory database has
    // no such setting.)
    let mmap_before: Option<i64> = conn
        .query_row("PRAGMA mmap_size", [], |r| r.get(0))
        .optional()?;
    if mmap_before.is_some() {
        conn.pragma_update(None, "mmap_size", MMAP_WHILE_PACKING)?;
    }
    let packed = pack(conn, files, dest, kind, progress);
    if let Some(before) = mmap_before {
        let restored = conn.pragma_update(None, "mmap_size", before);
        packed?;
        return Ok(restored?);
    }
    packed
}

fn pack(
    conn: &Connection,
    files: &[(String, PathBuf)],
    dest: &Path,
    kind: BackupKind,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<()> {
    let folder = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(".pufa-backup-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|e| io_error(dest, &e))?;
    let written = |e: std::io::Error| io_error(dest, &e);
    let put = |w: &mut dyn Write, parts: &[&[u8]]| -> Result<()> {
        parts
            .iter()
            .try_for_each(|p| w.write_all(p).map_err(written))
    };
    let mut report = |done: u64, total: u64| {
        progress(done.min(total), total)
            .then_some(())
            .ok_or_else(|| AppError::new(ErrorCode::Cancelled, "已取消备份"))
    };

    // The description, the page count and every page from one moment: a read transaction
    // (unless the caller is already in one), which writers beside it do not disturb in WAL mode.
    let snapshot = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let summary = Summary::of(conn)?;
    let page_size: u32 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
    let page_count: u32 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
    let file_bytes: u64 = files
        .iter()
        .map(|(_, p)| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let total = u64::from(page_size) * u64::from(page_count) + file_bytes;
    let description: HashMap<&str, String> = summary
        .pairs(kind, files.len() as i64)
        .into_iter()
        .collect();
    let description = serde_json::to_vec(&description).expect("strings serialize");

    let mut out = BufWriter::with_capacity(1 << 20, tmp.as_file());
    put(
        &mut out,
        &[
            PACKED_MAGIC,
            &PACKED_FORMAT.to_le_bytes(),
            &(description.len() as u32).to_le_bytes(),
            &description,
        ],
    )?;
    let mut packed = zstd::stream::write::Encoder::new(out, ZSTD_LEVEL).map_err(written)?;
    packed.include_checksum(true).map_err(written)?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    packed.multithread(workers).map_err(written)?;

    put(
        &mut packed,
        &[&page_size.to_le_bytes(), &page_count.to_le_bytes()],
    )?;
    let mut pages = conn
        .prepare("SELECT pgno, data FROM sqlite_dbpage")
        .map_err(|e| AppError::new(ErrorCode::Database, format!("{NO_DBPAGE}：{e}")))?;
    let mut rows = pages.query([])?;
    let (mut pgno_expected, mut done, mut next_report) = (1u32, 0u64, 0u64);
    while let Some(row) = rows.next()? {
        let pgno: u32 = row.get(0)?;
        let data = row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
        if pgno != pgno_expected || data.len() != page_size as usize {
            return Err(AppError::new(
                ErrorCode::Database,
                format!("读取数据库第 {pgno} 页时出错，备份未完成"),
            ));
        }
        if pgno == 1 {
            // Bytes 18 and 19 say WAL (2) or rollback journal (1): the copy is a lone file
            // with no WAL beside it, as the online backup API made it.
            let mut first = data.to_vec();
            first[18] = 1;
            first[19] = 1;
            put(&mut packed, &[&first])?;
        } else {
            put(&mut packed, &[data])?;
        }
        pgno_expected += 1;
        done += u64::from(page_size);
        if done >= next_report {
            report(done, total)?;
            next_report = done + REPORT_EVERY;
        }
    }
    drop(rows);
    drop(pages);
    if pgno_expected - 1 != page_count {
        return Err(AppError::new(
            ErrorCode::Database,
            "读取数据库时页数不符，备份未完成",
        ));
    }
    // The attachments are files, not part of the snapshot: let checkpoints go on meanwhile.
    drop(snapshot);

    for (name, file) in files {
        let data = std::fs::read(file).map_err(|e| io_error(file, &e))?;
        put(
            &mut packed,
            &[
                &[TAG_FILE],
                &(name.len() as u32).to_le_bytes(),
                name.as_bytes(),
                &(data.len() as u64).to_le_bytes(),
                &data,
            ],
        )?;
        done += data.len() as u64;
        report(done, total)?;
    }
    put(&mut packed, &[&[TAG_END]])?;
    packed
        .finish()
        .map_err(written)?
        .into_inner()
        .map_err(|e| written(e.into_error()))?;
    report(total, total)?;
    tmp.as_file().sync_all().map_err(written)?;
    tmp.persist(dest).map_err(|e| io_error(dest, &e.error))?;
    Ok(())
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
    town_id: String,
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
        let (town_id, town) = if exists("town")? {
            conn.query_row("SELECT id, name FROM town LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?
            .unwrap_or_default()
        } else {
            (String::new(), String::new())
        };
        Ok(Summary {
            town,
            town_id,
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
            ("format", PACKED_FORMAT.to_string()),
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

/// How a backup file is laid out, told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// Format 1: an SQLite database with the backup's own tables.
    Sqlite,
    /// Format 2: a header, then the pages and files in one zstd frame.
    Packed,
}

fn format_of(path: &Path) -> Result<Format> {
    if !path.is_file() {
        return Err(AppError::field(
            ErrorCode::NotFound,
            "path",
            format!("找不到备份文件“{}”", path.display()),
        ));
    }
    let mut start = Vec::with_capacity(SQLITE_MAGIC.len());
    File::open(path)
        .and_then(|f| f.take(SQLITE_MAGIC.len() as u64).read_to_end(&mut start))
        .map_err(|e| io_error(path, &e))?;
    if start.starts_with(PACKED_MAGIC) {
        Ok(Format::Packed)
    } else if start == SQLITE_MAGIC {
        Ok(Format::Sqlite)
    } else {
        Err(bad_file(path, "文件已损坏或不是备份文件"))
    }
}

/// Opens a format 1 backup (`file`: the chosen one, `path`, or a working copy of it) read-only,
/// refusing what is not one.
fn open_backup(file: &Path, path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        file,
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

/// The description of a format 1 backup, from its `pufa_backup_meta` table.
fn sqlite_description(path: &Path) -> Result<HashMap<String, String>> {
    let conn = open_backup(path, path)?;
    let unreadable = |_| bad_file(path, "备份说明无法读取");
    let mut stmt = conn
        .prepare("SELECT key, value FROM pufa_backup_meta")
        .map_err(unreadable)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map_err(unreadable)?;
    rows.collect::<rusqlite::Result<_>>().map_err(unreadable)
}

/// Reads a packed backup's header (`file` at its start): the description.
fn packed_description(path: &Path, file: &mut impl Read) -> Result<HashMap<String, String>> {
    let mut fixed = [0u8; 16];
    file.read_exact(&mut fixed)
        .map_err(|_| bad_file(path, "文件不完整"))?;
    if &fixed[..8] != PACKED_MAGIC {
        return Err(bad_file(path, "文件已损坏或不是备份文件"));
    }
    let format = u32::from_le_bytes(fixed[8..12].try_into().expect("4 bytes"));
    if format > PACKED_FORMAT {
        return Err(AppError::new(
            ErrorCode::DatabaseNewer,
            format!(
                "这个备份由更新版本的普法台账创建（备份格式 {format}，本程序支持到 \
                 {PACKED_FORMAT}），请先升级本程序再恢复"
            ),
        ));
    }
    let len = u32::from_le_bytes(fixed[12..16].try_into().expect("4 bytes"));
    if len > MAX_DESCRIPTION {
        return Err(bad_file(path, "备份说明无法读取"));
    }
    let mut json = vec![0u8; len as usize];
    file.read_exact(&mut json)
        .map_err(|_| bad_file(path, "文件不完整"))?;
    serde_json::from_slice(&json).map_err(|_| bad_file(path, "备份说明无法读取"))
}

/// What a backup says it holds (without checking every page: see [`inspect`]). A packed one's
/// header is all that is read.
fn inspect_summary(path: &Path) -> Result<BackupInfo> {
    let meta = match format_of(path)? {
        Format::Sqlite => sqlite_description(path)?,
        Format::Packed => {
            let mut file = File::open(path).map_err(|e| io_error(path, &e))?;
            packed_description(path, &mut file)?
        }
    };
    Ok(described(path, &meta))
}

/// What a backup's description says it holds (`meta`: the header's or `pufa_backup_meta`'s
/// keys), with the file's name and size.
fn described(path: &Path, meta: &HashMap<String, String>) -> BackupInfo {
    let text = |k: &str| meta.get(k).cloned().unwrap_or_default();
    let number = |k: &str| text(k).parse::<i64>().unwrap_or(0);
    let date = |k: &str| Some(text(k)).filter(|s| !s.is_empty());
    BackupInfo {
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
        town_id: String::new(),
        current_town: None,
        other_town: false,
    }
}

fn read_u32(r: &mut (impl Read + ?Sized)) -> std::io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn read_u64(r: &mut (impl Read + ?Sized)) -> std::io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
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
    tracing::info!(kind = ?kind, path = %info.path, "自动备份完成");
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

/// The backup before an import, made while the import's transaction is still open — so only
/// for a file that passed every check and is about to change data — on a connection of its
/// own, which sees the data as it was without the import's writes.
pub(crate) fn before_import(data_dir: &Path) -> Result<BackupInfo> {
    let conn = Connection::open_with_flags(
        data_dir.join(crate::db::DB_FILE),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    auto_in(&conn, data_dir, BackupKind::BeforeImport)
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

/// The working copy of a backup being restored, in the data folder.
const STAGED_PREFIX: &str = ".pufa-restore-";

/// A new, empty working file in `folder` named `prefix…`, removed when dropped.
fn working_file(folder: &Path, prefix: &str) -> Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|e| io_error(folder, &e))
}

/// A packed backup unpacked in the temporary folder for its preview ([`inspect`]).
const PREVIEW_PREFIX: &str = ".pufa-preview-";

/// How old an unpacked preview must be to be another run's leftover, not one being checked.
const STALE_PREVIEW: Duration = Duration::from_secs(6 * 3600);

/// A file being written (an attachment restored, a backup made) before its rename.
const PARTIAL_PREFIXES: &[&str] = &[STAGED_PREFIX, ".pufa-backup-", ".pufa-part-"];

/// Writes what `data` holds to `target` under a temporary name first, so a crash never leaves a
/// cut file under the real name.
fn write_whole(target: &Path, data: &mut dyn Read) -> Result<()> {
    let folder = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| io_error(folder, &e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".pufa-part-")
        .tempfile_in(folder)
        .map_err(|e| io_error(target, &e))?;
    std::io::copy(data, &mut tmp).map_err(|e| io_error(target, &e))?;
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

/// Removes the unpacked previews in `folder` last written more than `age` ago: the app was
/// closed or killed while it showed them (a preview still open is minutes old). Done before
/// each new preview rather than at start-up: only a packed backup's preview leaves them.
fn remove_stale_previews(folder: &Path, age: Duration) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry
            .file_name()
            .to_string_lossy()
            .starts_with(PREVIEW_PREFIX)
        {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|e| e > age));
        if stale {
            let _ = std::fs::remove_file(entry.path());
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

mod restore;
pub use restore::{inspect, read_packed_bytes, restore, RestoreOptions};

#[cfg(test)]
mod tests;
