//! Making a backup: the database's pages and the attachments packed into one file.
use super::*;

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
    create_with(conn, &files, dest, kind, progress)
}

/// [`create`] with the attachments listed by the caller (name in the backup, file on disk).
pub(super) fn create_with(
    conn: &Connection,
    files: &[(String, PathBuf)],
    dest: &Path,
    kind: BackupKind,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<BackupInfo> {
    write_packed(conn, files, dest, kind, progress)?;
    inspect_summary(dest)
}

/// Writes a packed backup of `conn`'s database with `files` (name in the backup, file on disk).
pub(super) fn write_packed(
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

pub(super) fn pack(
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
pub(super) fn copy_pages(
    backup: &Backup,
    each: &mut dyn FnMut(u64, u64) -> Result<()>,
) -> Result<()> {
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
pub(super) struct Summary {
    pub(super) town: String,
    pub(super) town_id: String,
    pub(super) schema_version: i64,
    pub(super) records: i64,
    pub(super) activities: i64,
    pub(super) campaigns: i64,
    pub(super) first_date: Option<String>,
    pub(super) last_date: Option<String>,
}

impl Summary {
    pub(super) fn of(conn: &Connection) -> Result<Summary> {
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

    pub(super) fn pairs(&self, kind: BackupKind, attachments: i64) -> Vec<(&'static str, String)> {
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
pub(super) fn files_under(root: &Path) -> Result<Vec<(String, PathBuf)>> {
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
