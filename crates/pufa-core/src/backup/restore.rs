//! Reading a backup back: a file the app may not have made (a damaged copy, another town's, or
//! one made to look like ours). Nothing of it is used before it has been checked whole, into a
//! working copy: its pages (`integrity_check`), its schema (exactly what this version's
//! migrations make for its version: a table, index, trigger or view more or less is refused),
//! its references (`foreign_key_check`) and every row of the exchanged tables through the same
//! checks typed input gets (`stored`). What the preview shows — town, counts, dates — is read
//! from that checked database, never from the file's header. Attachments are streamed with the
//! 50 MB cap of a new photo, their content must match their names, and the restore's own entry
//! in the audit trail lands in the same swap as the data it restores, after every entry the
//! current trail has: the trail only grows.

use super::*;
use crate::attachment;
use crate::validate::clip;
use rusqlite::config::DbConfig;
use rusqlite::{Transaction, MAIN_DB};
use sha2::{Digest, Sha256};

/// What the user confirmed before a restore.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RestoreOptions {
    /// The backup is another town's: the user confirmed that it replaces this town's data.
    #[serde(default)]
    pub confirm_other_town: bool,
}

/// The longest attachment name a backup may carry.
const MAX_NAME: u32 = 1024;
/// A database bigger than this is not a town's or a county's (a county's is about 2 GB).
const MAX_DATABASE: u64 = 64 << 30;
/// The largest zstd window a backup may use (16 MB): ours use 512 KB; a bigger one would make
/// the decoder allocate what the file says.
const WINDOW_LOG_MAX: u32 = 24;
/// Streamed in pieces of this size (attachments, pages).
const CHUNK: usize = 1 << 20;

/// Where the parts of a packed backup go as they are read.
pub(crate) trait Unpacked {
    /// The next bytes of the database's pages.
    fn pages(&mut self, bytes: &[u8]) -> Result<()>;
    /// All pages are read.
    fn pages_done(&mut self) -> Result<()>;
    /// An attachment (name checked, length within the cap): read exactly `len` bytes of `data`;
    /// returns how many there were.
    fn file(&mut self, name: &str, len: u64, data: &mut dyn Read) -> Result<u64>;
}

/// The checked name of an attachment file in a backup: `xx/<sha256>.<ext>` (a file) or
/// `thumbs/<sha256>.jpg` (a thumbnail), as the app stores them; None for anything else.
fn attachment_name(name: &str) -> Option<(&str, &str)> {
    let (folder, file) = name.split_once('/')?;
    let (sha, ext) = file.split_once('.')?;
    let ext_ok = (1..=5).contains(&ext.len())
        && ext
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let folder_ok = folder == "thumbs" && ext == "jpg" || sha.get(..2) == Some(folder);
    (attachment::is_sha256(sha) && ext_ok && folder_ok).then_some((sha, ext))
}

/// Refuses an attachment name a backup may not carry, naming it.
fn check_attachment_name(path: &Path, name: &str) -> Result<()> {
    if safe_join(Path::new("."), name).is_none() {
        return Err(bad_file(path, &format!("附件路径“{}”不安全", clip(name))));
    }
    if attachment_name(name).is_none() {
        return Err(bad_file(
            path,
            &format!("其中的附件“{}”不是本程序保存的文件", clip(name)),
        ));
    }
    Ok(())
}

fn too_big(path: &Path, name: &str, len: u64) -> AppError {
    bad_file(
        path,
        &format!(
            "其中的附件“{}”有 {:.1} MB，超过附件 50 MB 的上限",
            clip(name),
            len as f64 / 1024.0 / 1024.0
        ),
    )
}

/// Reads the zstd stream of a packed backup into `sink`: page size and count, the pages, then
/// the attachments until the end tag — every length checked before anything that long is read,
/// nothing held whole in memory.
pub(crate) fn read_stream(
    path: &Path,
    packed: &mut dyn Read,
    sink: &mut dyn Unpacked,
) -> Result<()> {
    // Read errors are the file's fault (cut, or bytes changed).
    let damaged = |e: std::io::Error| {
        bad_file(
            path,
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                "文件不完整（可能没有复制完）"
            } else {
                "文件已损坏（校验未通过）"
            },
        )
    };
    let page_size = read_u32(packed).map_err(damaged)?;
    let page_count = read_u32(packed).map_err(damaged)?;
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() || page_count == 0 {
        return Err(bad_file(path, "文件已损坏（页大小不对）"));
    }
    let mut left = u64::from(page_size) * u64::from(page_count);
    if left > MAX_DATABASE {
        return Err(bad_file(path, "文件已损坏（数据库大小不合理）"));
    }
    let mut chunk = vec![0u8; CHUNK];
    while left > 0 {
        let part = &mut chunk[..left.min(CHUNK as u64) as usize];
        packed.read_exact(part).map_err(damaged)?;
        sink.pages(part)?;
        left -= part.len() as u64;
    }
    sink.pages_done()?;
    loop {
        let mut tag = [0u8];
        packed.read_exact(&mut tag).map_err(damaged)?;
        match tag[0] {
            TAG_END => break,
            TAG_FILE => {}
            _ => return Err(bad_file(path, "文件已损坏")),
        }
        let name_len = read_u32(packed).map_err(damaged)?;
        if name_len == 0 || name_len > MAX_NAME {
            return Err(bad_file(path, "文件已损坏（附件名长度不对）"));
        }
        let mut name = vec![0u8; name_len as usize];
        packed.read_exact(&mut name).map_err(damaged)?;
        let name = String::from_utf8(name).map_err(|_| bad_file(path, "文件已损坏"))?;
        check_attachment_name(path, &name)?;
        let data_len = read_u64(packed).map_err(damaged)?;
        if data_len > attachment::MAX_BYTES {
            return Err(too_big(path, &name, data_len));
        }
        let read = sink.file(&name, data_len, &mut packed.take(data_len))?;
        if read != data_len {
            return Err(bad_file(path, "文件不完整（可能没有复制完）"));
        }
    }
    // The frame's end, where zstd checks the checksum of all of the above; nothing may follow.
    let mut after = [0u8];
    match packed.read(&mut after) {
        Ok(0) => Ok(()),
        Ok(_) => Err(bad_file(path, "文件已损坏（结尾有多余内容）")),
        Err(e) => Err(damaged(e)),
    }
}

/// The decoder of a packed backup's stream, after its header (at most a 16 MB window).
fn decoder<R: std::io::BufRead>(
    path: &Path,
    file: R,
) -> Result<zstd::stream::read::Decoder<'static, R>> {
    let mut packed =
        zstd::stream::read::Decoder::with_buffer(file).map_err(|e| io_error(path, &e))?;
    packed
        .window_log_max(WINDOW_LOG_MAX)
        .map_err(|e| io_error(path, &e))?;
    Ok(packed)
}

/// A packed backup's stream read into a working copy in format 1 (the database, with its
/// description in `pufa_backup_meta` and, `with_files`, the attachments in `pufa_backup_file`).
struct Staging<'a> {
    path: &'a Path,
    target: &'a tempfile::NamedTempFile,
    image: Option<BufWriter<&'a File>>,
    conn: Option<Connection>,
    meta: HashMap<String, String>,
    with_files: bool,
    files: u64,
}

impl Staging<'_> {
    /// An SQLite error on the copy: the file is damaged, unless the disk is full.
    fn sqlite(&self, e: rusqlite::Error) -> AppError {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => AppError::from(e),
            _ => bad_file(self.path, "文件已损坏"),
        }
    }
}

impl Unpacked for Staging<'_> {
    fn pages(&mut self, bytes: &[u8]) -> Result<()> {
        let target = self.target.path();
        self.image
            .get_or_insert_with(|| BufWriter::with_capacity(CHUNK, self.target.as_file()))
            .write_all(bytes)
            .map_err(|e| io_error(target, &e))
    }

    fn pages_done(&mut self) -> Result<()> {
        if let Some(mut image) = self.image.take() {
            image
                .flush()
                .map_err(|e| io_error(self.target.path(), &e))?;
        }
        let conn = open_untrusted(self.target.path()).map_err(|e| self.sqlite(e))?;
        // A working copy nobody else reads: no journal, no syncs.
        conn.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
             CREATE TABLE pufa_backup_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE pufa_backup_file (path TEXT PRIMARY KEY, data BLOB NOT NULL);
             BEGIN;",
        )
        .map_err(|e| self.sqlite(e))?;
        for (k, v) in &self.meta {
            conn.execute(
                "INSERT INTO pufa_backup_meta (key, value) VALUES (?1, ?2)",
                [k, v],
            )
            .map_err(|e| self.sqlite(e))?;
        }
        self.conn = Some(conn);
        Ok(())
    }

    fn file(&mut self, name: &str, len: u64, data: &mut dyn Read) -> Result<u64> {
        self.files += 1;
        let path = self.path;
        let damaged = |_| bad_file(path, "文件不完整或已损坏");
        if !self.with_files {
            return std::io::copy(data, &mut std::io::sink()).map_err(damaged);
        }
        let conn = self.conn.as_ref().expect("pages come first");
        conn.execute(
            "INSERT INTO pufa_backup_file (path, data) VALUES (?1, zeroblob(?2))",
            rusqlite::params![name, len as i64],
        )
        .map_err(|_| bad_file(path, &format!("附件“{}”重复", clip(name))))?;
        let row = conn.last_insert_rowid();
        let mut blob = conn
            .blob_open(MAIN_DB, "pufa_backup_file", "data", row, false)
            .map_err(|e| self.sqlite(e))?;
        // The blob is exactly `len` long: what is read beyond it is refused by the caller.
        let copied = std::io::copy(&mut data.take(len), &mut blob).map_err(damaged)?;
        Ok(copied)
    }
}

/// Opens a database file we did not write with SQLite's defences on: no schema-defined
/// function runs, and the connection cannot be made to rewrite the schema or corrupt the file.
fn open_untrusted(file: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(file)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    Ok(conn)
}

/// A working copy of the backup at `path` in format 1, in `folder` named `prefix…`: the packed
/// stream unpacked (the attachments kept only `with_files`), or the old format copied. Returns
/// the copy and how many attachment files the backup holds.
fn stage(
    path: &Path,
    folder: &Path,
    prefix: &str,
    with_files: bool,
) -> Result<(tempfile::NamedTempFile, u64)> {
    let staged = working_file(folder, prefix)?;
    match format_of(path)? {
        Format::Sqlite => {
            std::fs::copy(path, staged.path()).map_err(|e| io_error(path, &e))?;
            let files = format1_files(staged.path(), path)?;
            Ok((staged, files))
        }
        Format::Packed => {
            let mut file =
                BufReader::with_capacity(CHUNK, File::open(path).map_err(|e| io_error(path, &e))?);
            let meta = packed_description(path, &mut file)?;
            let mut packed = decoder(path, file)?;
            let mut sink = Staging {
                path,
                target: &staged,
                image: None,
                conn: None,
                meta,
                with_files,
                files: 0,
            };
            read_stream(path, &mut packed, &mut sink)?;
            let files = sink.files;
            if let Some(conn) = sink.conn.take() {
                conn.execute_batch("COMMIT").map_err(|e| sink.sqlite(e))?;
            }
            drop(sink);
            Ok((staged, files))
        }
    }
}

/// Checks the attachments of an old-format backup (a table of the copy) as a packed one's are
/// checked while read: names, and sizes before anything is read.
fn format1_files(copy: &Path, path: &Path) -> Result<u64> {
    let conn = open_untrusted(copy).map_err(|_| bad_file(path, "无法打开"))?;
    let unreadable = |_| bad_file(path, "文件已损坏或不是备份文件");
    let mut stmt = conn
        .prepare("SELECT path, length(data), typeof(path) FROM pufa_backup_file")
        .map_err(unreadable)?;
    let mut rows = stmt.query([]).map_err(unreadable)?;
    let mut n = 0;
    while let Some(r) = rows.next().map_err(unreadable)? {
        let kind: String = r.get(2).map_err(unreadable)?;
        if kind != "text" {
            return Err(bad_file(path, "文件已损坏（附件名不是文字）"));
        }
        let name: String = r.get(0).map_err(unreadable)?;
        let len: i64 = r.get(1).map_err(unreadable)?;
        check_attachment_name(path, &name)?;
        if len as u64 > attachment::MAX_BYTES {
            return Err(too_big(path, &name, len as u64));
        }
        n += 1;
    }
    Ok(n)
}

/// The schema a backup of `version` must have: what our migrations make, and the backup's own
/// two tables.
fn expected_schema(version: i64) -> Result<Vec<crate::db::SchemaEntry>> {
    let mut schema = crate::db::schema_at(version)?;
    let own = Connection::open_in_memory()?;
    own.execute_batch(
        "CREATE TABLE pufa_backup_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE pufa_backup_file (path TEXT PRIMARY KEY, data BLOB NOT NULL);",
    )?;
    schema.extend(crate::db::schema_of(&own)?);
    schema.sort();
    Ok(schema)
}

/// Checks a working copy whole, brings it to this version's schema and says what it holds:
/// pages, version, schema, references, every exchanged row. `path` is the file the user chose
/// (named in errors). `progress(done, total)` counts rows checked; false cancels.
fn examine(
    copy: &Path,
    path: &Path,
    files: u64,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<BackupInfo> {
    let mut conn = open_untrusted(copy).map_err(|_| bad_file(path, "无法打开"))?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| bad_file(path, "文件已损坏"))?;
    if check != "ok" {
        return Err(bad_file(path, "文件已损坏（完整性检查未通过）"));
    }
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|_| bad_file(path, "文件已损坏"))?;
    if version > SCHEMA_VERSION {
        return Err(AppError::new(
            ErrorCode::DatabaseNewer,
            format!(
                "这个备份由更新版本的普法台账创建（结构版本 {version}，本程序支持到 \
                 {SCHEMA_VERSION}），请先升级本程序再恢复"
            ),
        ));
    }
    if version < 1 {
        return Err(bad_file(path, "里面不是普法台账的数据"));
    }
    // SQLite's own objects: automatic indexes, the AUTOINCREMENT and statistics tables only.
    let internal: Vec<(String, String)> = conn
        .prepare("SELECT type, name FROM sqlite_schema WHERE name LIKE 'sqlite\\_%' ESCAPE '\\'")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(|_| bad_file(path, "文件已损坏"))?;
    if let Some((_, name)) = internal.iter().find(|(kind, name)| {
        !(kind == "index" && name.starts_with("sqlite_autoindex_")
            || kind == "table"
                && ["sqlite_sequence", "sqlite_stat1", "sqlite_stat4"].contains(&name.as_str()))
    }) {
        return Err(bad_file(
            path,
            &format!("其中的“{}”不是本程序的数据库结构", clip(name)),
        ));
    }
    let got = crate::db::schema_of(&conn).map_err(|_| bad_file(path, "文件已损坏"))?;
    if let Some(why) = crate::db::schema_difference(&got, &expected_schema(version)?) {
        return Err(bad_file(path, &why));
    }
    // The statistics only steer the query planner; ours are made afresh.
    conn.execute_batch("DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4;")?;
    // Our own schema, so our own migrations may bring it up to date before its rows are read.
    crate::db::migrate(&mut conn)?;
    let broken: Option<(String, i64, String)> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    if let Some((table, _, parent)) = broken {
        return Err(bad_file(
            path,
            &format!(
                "其中的{}用到了不存在的{}（数据不一致）",
                crate::audit::entity_label(&table),
                crate::audit::entity_label(&parent)
            ),
        ));
    }
    check_rows(&conn, path, progress)?;
    let summary = Summary::of(&conn)?;
    let meta: HashMap<String, String> = conn
        .prepare("SELECT key, value FROM pufa_backup_meta")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // What the description says is kept only for what the data cannot tell (when and why it
    // was made); everything it holds is read from the database.
    Ok(BackupInfo {
        town: summary.town,
        town_id: summary.town_id,
        schema_version: version,
        records: summary.records,
        activities: summary.activities,
        campaigns: summary.campaigns,
        attachments: files as i64,
        first_date: summary.first_date,
        last_date: summary.last_date,
        ..described(path, &meta)
    })
}

/// Every row of the exchanged tables through the checks typed input gets (see `stored`):
/// the first refused names the backup, the row and the field.
fn check_rows(
    conn: &Connection,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<()> {
    let mut first: Option<AppError> = None;
    let finished = crate::inbound::check_all(conn, progress, &mut |what, e| {
        let mut refused = bad_file(path, &format!("其中的{what}：{}", e.message));
        refused.field = e.field.or(refused.field);
        first = Some(refused);
        false
    })?;
    if !finished {
        return Err(AppError::new(
            ErrorCode::Cancelled,
            "已取消恢复，数据未做任何改动",
        ));
    }
    first.map_or(Ok(()), Err)
}

/// The current data's town, for the comparison with a backup's: (id, name).
fn current_town(conn: &Connection) -> Result<Option<(String, String)>> {
    Ok(crate::town::get_town(conn)?.map(|t| (t.id, t.name)))
}

/// Says whether the backup is another town's than the current data.
fn compare_towns(info: &mut BackupInfo, conn: &Connection) -> Result<()> {
    if let Some((id, name)) = current_town(conn)? {
        info.other_town = !info.town_id.is_empty() && info.town_id != id;
        info.current_town = Some(name);
    }
    Ok(())
}

/// The refusal of another town's backup without the user's confirmation, naming both towns.
fn other_town(info: &BackupInfo) -> AppError {
    let here = info.current_town.clone().unwrap_or_default();
    let same_name = if here == info.town {
        "（另一台电脑单独设置的同名乡镇）"
    } else {
        ""
    };
    AppError::field(
        ErrorCode::OtherTown,
        "path",
        format!(
            "备份“{}”是“{}”{same_name}的数据，本机是“{here}”的台账；恢复后本机“{here}”的数据将被“{}”的数据替换。确认无误后请勾选确认再恢复",
            info.file_name, info.town, info.town
        ),
    )
}

/// Checks a backup whole and says what it holds, read from its database: the preview shown
/// before a restore, with the town of `conn`'s data beside it (another town's backup needs the
/// user's confirmation). A damaged file, one from a newer version of the app or one that is not
/// exactly ours is refused. It is unpacked into the temporary folder for the check (without
/// its attachments, which are still read through and checked).
pub fn inspect(conn: &Connection, path: &Path) -> Result<BackupInfo> {
    let temp = std::env::temp_dir();
    remove_stale_previews(&temp, STALE_PREVIEW);
    let (staged, files) = stage(path, &temp, PREVIEW_PREFIX, false)?;
    let mut info = examine(staged.path(), path, files, &mut |_, _| true)?;
    compare_towns(&mut info, conn)?;
    Ok(info)
}

/// Puts a backup in place of the current data: checks it whole (as [`inspect`]), asks for the
/// confirmation when it is another town's, backs up the current data (kind `BeforeRestore`),
/// adds the backup's attachment files the folder lacks (each checked against its name), then
/// swaps the database in with the online backup API in one transaction — the backup's data
/// brought to this version, every entry of the current audit trail it lacks, and the entry of
/// this restore. A file that fails a check changes nothing; a restore killed half-way leaves the
/// old data (without a restore entry) or the new (with it), whole.
pub fn restore(
    db: &mut Db,
    path: &Path,
    options: &RestoreOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<BackupInfo> {
    let data_dir = db.data_dir.clone();
    let staging_dir = match &data_dir {
        Some(d) => d.clone(),
        None => std::env::temp_dir(),
    };
    let (staged, files) = stage(path, &staging_dir, STAGED_PREFIX, true)?;
    let mut info = examine(staged.path(), path, files, progress)?;
    compare_towns(&mut info, &db.conn)?;
    if info.other_town && !options.confirm_other_town {
        return Err(other_town(&info));
    }
    let copy = open_untrusted(staged.path())?;
    check_files(&copy, path)?;
    // The swap copies pages: the copy must have the current database's page size.
    let page_size: i64 = db
        .conn
        .pragma_query_value(None, "page_size", |r| r.get(0))?;
    let copy_page_size: i64 = copy.pragma_query_value(None, "page_size", |r| r.get(0))?;
    if page_size != copy_page_size {
        copy.execute_batch(&format!("PRAGMA page_size = {page_size}; VACUUM;"))?;
    }

    // Everything checked: from here on the data changes.
    auto(db, BackupKind::BeforeRestore)?;
    if let Some(d) = &data_dir {
        write_files(&copy, &d.join(ATTACHMENTS_DIR), path)?;
    }
    let mut copy = copy;
    {
        let tx = copy.transaction()?;
        tx.execute_batch("DROP TABLE pufa_backup_meta; DROP TABLE pufa_backup_file;")?;
        keep_trail(&tx, &db.conn, &info)?;
        tx.commit()?;
    }
    drop(copy);
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

/// The restored trail: the backup's entries, every entry of the current trail it lacks (the
/// trail only grows, a restore too), and this restore's own.
fn keep_trail(tx: &Transaction, current: &Connection, info: &BackupInfo) -> Result<()> {
    let mut stmt = current.prepare(&format!(
        "SELECT {} FROM audit_log ORDER BY rowid",
        crate::audit::COLUMNS.join(", ")
    ))?;
    let mut insert = tx.prepare(&format!(
        "INSERT OR IGNORE INTO audit_log ({}) VALUES ({})",
        crate::audit::COLUMNS.join(", "),
        vec!["?"; crate::audit::COLUMNS.len()].join(", ")
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let values: Vec<rusqlite::types::Value> = (0..crate::audit::COLUMNS.len())
            .map(|i| r.get(i))
            .collect::<rusqlite::Result<_>>()?;
        insert.execute(rusqlite::params_from_iter(values))?;
    }
    let user = crate::town::current_user(current)?;
    let summary = format!(
        "从备份恢复：{}（{}，“{}”，{} 条活动记录）",
        info.file_name, info.created_at, info.town, info.records
    );
    let body = serde_json::to_value(info).expect("backup infos serialise");
    let row = crate::audit::row(
        user.as_ref(),
        "backup",
        &info.file_name,
        "restore",
        &summary,
        None,
        Some(&body),
    );
    insert.execute(rusqlite::params_from_iter(row))?;
    Ok(())
}

/// Checks every attachment in the copy before any is written: a file's content must have the
/// hash its name says and be of the type its extension says; a thumbnail must be a JPEG.
fn check_files(copy: &Connection, path: &Path) -> Result<()> {
    let mut stmt = copy.prepare("SELECT rowid, path FROM pufa_backup_file")?;
    let rows: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (row, name) in rows {
        let (sha, ext) = attachment_name(&name).expect("names checked when read");
        let mut blob = copy.blob_open(MAIN_DB, "pufa_backup_file", "data", row, true)?;
        let mut head = [0u8; 16];
        let n = blob.read(&mut head).map_err(|e| io_error(path, &e))?;
        let mut rest = blob;
        let mut hash = Sha256::new();
        hash.update(&head[..n]);
        std::io::copy(&mut rest, &mut HashWriter(&mut hash)).map_err(|e| io_error(path, &e))?;
        let digest = format!("{:x}", hash.finalize());
        let kind = attachment::kind_of(&head[..n], &name).map(|(e, _)| e);
        let ok = if name.starts_with("thumbs/") {
            kind == Some("jpg")
        } else {
            digest == sha && kind == Some(ext)
        };
        if !ok {
            return Err(bad_file(
                path,
                &format!("其中的附件“{}”内容与名称不符（可能被替换过）", clip(&name)),
            ));
        }
    }
    Ok(())
}

struct HashWriter<'a>(&'a mut Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes the attachments the folder lacks, each streamed from the copy into a temporary file
/// renamed into place (attachments are named by their content: the folder only gains files).
fn write_files(copy: &Connection, root: &Path, path: &Path) -> Result<()> {
    let mut stmt = copy.prepare("SELECT rowid, path FROM pufa_backup_file")?;
    let rows: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (row, rel) in rows {
        let target = safe_join(root, &rel).ok_or_else(|| bad_file(path, "附件路径不安全"))?;
        if target.exists() {
            continue;
        }
        let mut blob = copy.blob_open(MAIN_DB, "pufa_backup_file", "data", row, true)?;
        write_whole(&target, &mut blob)?;
    }
    Ok(())
}

/// A packed backup read from memory with nothing kept: what the fuzz tests feed the reader
/// (header, zstd stream, pages and attachments). Returns the attachments counted.
#[doc(hidden)]
pub fn read_packed_bytes(bytes: &[u8]) -> Result<u64> {
    struct Count(u64);
    impl Unpacked for Count {
        fn pages(&mut self, _: &[u8]) -> Result<()> {
            Ok(())
        }
        fn pages_done(&mut self) -> Result<()> {
            Ok(())
        }
        fn file(&mut self, _: &str, _: u64, data: &mut dyn Read) -> Result<u64> {
            self.0 += 1;
            std::io::copy(data, &mut std::io::sink()).map_err(AppError::from)
        }
    }
    let path = Path::new("fuzz.pufabak");
    let mut file = std::io::Cursor::new(bytes);
    packed_description(path, &mut file)?;
    let mut packed = decoder(path, std::io::BufReader::new(file))?;
    let mut sink = Count(0);
    read_stream(path, &mut packed, &mut sink)?;
    Ok(sink.0)
}
