//! The automatic backups in the data folder: daily, before a migration or an import, pruned.
use super::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

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
pub(super) fn auto_name(kind: BackupKind) -> String {
    let now = chrono::Local::now();
    format!(
        "{}-{}.{EXTENSION}",
        now.format("%Y-%m-%d_%H%M%S%3f"),
        kind.code()
    )
}

/// Where a new automatic backup of `kind` goes (the backups folder made if need be).
fn auto_path(data_dir: &Path, kind: BackupKind) -> Result<PathBuf> {
    let dir = data_dir.join(BACKUPS_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, &e))?;
    Ok(dir.join(auto_name(kind)))
}

/// The database of `data_dir` on a read-only connection of its own: a backup beside the
/// window's or an import's work reads the last committed data without holding them up.
fn read_only(data_dir: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        data_dir.join(crate::db::DB_FILE),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

/// Makes an automatic backup of `kind` in the data folder and prunes the old ones of it.
/// None for a database with no folder (in memory).
pub fn auto(db: &Db, kind: BackupKind) -> Result<Option<BackupInfo>> {
    let Some(data_dir) = db.data_dir.as_deref() else {
        return Ok(None);
    };
    auto_in(&db.conn, data_dir, kind).map(Some)
}

pub(super) fn auto_in(conn: &Connection, data_dir: &Path, kind: BackupKind) -> Result<BackupInfo> {
    let dest = auto_path(data_dir, kind)?;
    let info = create(conn, Some(data_dir), &dest, kind, &mut |_, _| true)?;
    prune(data_dir, kind)?;
    tracing::info!(kind = ?kind, path = %info.path, "自动备份完成");
    Ok(info)
}

/// Keeps the newest backups of `kind` its rule allows and deletes the rest.
pub(super) fn prune(data_dir: &Path, kind: BackupKind) -> Result<()> {
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

/// The backup before an import (a sheet or a package), begun beside it: made on a thread and
/// a connection of its own, which sees the data as it was without the import's writes, while
/// the import reads and checks its file (a county's database takes seconds to pack). It is
/// kept ([`ImportBackup::keep`], before the import commits) only when the import passed every
/// check and changes data; otherwise it is stopped and its file removed when dropped.
pub(crate) struct ImportBackup {
    data_dir: PathBuf,
    /// The backups folder did not exist before (a backup not kept leaves none behind).
    new_folder: bool,
    stop: Arc<AtomicBool>,
    making: Option<std::thread::JoinHandle<Result<BackupInfo>>>,
}

impl ImportBackup {
    /// Starts the backup of the database in `data_dir`; none for a database without a folder.
    /// The attachments are listed here, before the import can add any.
    pub(crate) fn begin(data_dir: Option<&Path>) -> Result<Option<ImportBackup>> {
        let Some(data_dir) = data_dir.map(Path::to_path_buf) else {
            return Ok(None);
        };
        let files = files_under(&data_dir.join(ATTACHMENTS_DIR))?;
        let new_folder = !data_dir.join(BACKUPS_DIR).exists();
        let stop = Arc::new(AtomicBool::new(false));
        let making = {
            let (data_dir, stop) = (data_dir.clone(), Arc::clone(&stop));
            std::thread::spawn(move || -> Result<BackupInfo> {
                let conn = read_only(&data_dir)?;
                let dest = auto_path(&data_dir, BackupKind::BeforeImport)?;
                let mut going = |_, _| !stop.load(Ordering::Relaxed);
                create_with(&conn, &files, &dest, BackupKind::BeforeImport, &mut going)
            })
        };
        Ok(Some(ImportBackup {
            data_dir,
            new_folder,
            stop,
            making: Some(making),
        }))
    }

    /// The import changes data: waits for the backup and keeps it (the oldest of its kind
    /// beyond those kept are deleted). A backup that failed stops the import.
    pub(crate) fn keep(mut self) -> Result<BackupInfo> {
        let making = self.making.take().expect("a backup is being made");
        let info = making
            .join()
            .unwrap_or_else(|_| Err(AppError::new(ErrorCode::Io, "导入前的自动备份没有完成")))?;
        prune(&self.data_dir, BackupKind::BeforeImport)?;
        tracing::info!(path = %info.path, "导入前自动备份完成");
        Ok(info)
    }
}

impl Drop for ImportBackup {
    /// Not kept: stopped at its next progress step (8 MB read), and removed if it was already
    /// made.
    fn drop(&mut self) {
        if let Some(making) = self.making.take() {
            self.stop.store(true, Ordering::Relaxed);
            if let Ok(Ok(info)) = making.join() {
                let _ = std::fs::remove_file(&info.path);
            }
            if self.new_folder {
                // Only if empty: a backup made meanwhile by something else stays.
                let _ = std::fs::remove_dir(self.data_dir.join(BACKUPS_DIR));
            }
        }
    }
}

/// The daily backup, when there is none of today yet; a week after the last weekly one, the
/// day's backup is also kept as the weekly one. Returns the backups made. It reads through a
/// connection of its own: the window starts it beside its work, and a county database takes
/// seconds to copy, which must not hold up the first screens.
pub fn daily(data_dir: &Path) -> Result<Vec<BackupInfo>> {
    let conn = read_only(data_dir)?;
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
