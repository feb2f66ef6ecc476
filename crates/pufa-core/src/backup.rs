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
    .with("reason", "not_backup")
    .with(
        "file",
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
    )
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

/// How the app opens its database: leftovers cleared before, an older database backed up into
/// the folder's `backups/` before it is migrated, the sync clock repaired after.
const DIR_HOOKS: crate::db::DirHooks = crate::db::DirHooks {
    before_open: remove_leftovers,
    before_migration: |conn, dir| before_migration(conn, dir).map(|_| ()),
    after_migration: |tx| crate::sync::repair_clock(tx).map(|_| ()),
};

impl Db {
    /// Opens (creating if needed) the database in `data_dir`, after checking the folder is
    /// usable. An older database is backed up into the folder's `backups/` before it is
    /// migrated.
    pub fn open_dir(data_dir: &Path) -> Result<Db> {
        Db::open_dir_with(data_dir, &DIR_HOOKS)
    }

    pub fn open_file(path: &Path) -> Result<Db> {
        Db::open_file_with(path, &DIR_HOOKS)
    }

    /// A private in-memory database, for unit tests.
    pub fn open_in_memory() -> Result<Db> {
        Db::open_in_memory_with(&DIR_HOOKS)
    }
}

// Backup along its seams: making one (`pack`), telling and describing a file of either
// layout, packed or a legacy SQLite copy (`formats`), the automatic ones kept in the data
// folder (`automatic`), and putting one back (`restore`).
mod automatic;
mod formats;
mod pack;
mod restore;
pub use automatic::*;
use formats::*;
pub use pack::*;
pub use restore::{inspect, read_packed_bytes, restore, RestoreOptions};

#[cfg(test)]
mod tests;
