//! The two layouts of a backup file (packed, or a legacy SQLite copy), told apart and described.
use super::*;

/// How a backup file is laid out, told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    /// Format 1: an SQLite database with the backup's own tables.
    Sqlite,
    /// Format 2: a header, then the pages and files in one zstd frame.
    Packed,
}

pub(super) fn format_of(path: &Path) -> Result<Format> {
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
pub(super) fn open_backup(file: &Path, path: &Path) -> Result<Connection> {
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
pub(super) fn sqlite_description(path: &Path) -> Result<HashMap<String, String>> {
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
pub(super) fn packed_description(
    path: &Path,
    file: &mut impl Read,
) -> Result<HashMap<String, String>> {
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
pub(super) fn inspect_summary(path: &Path) -> Result<BackupInfo> {
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
pub(super) fn described(path: &Path, meta: &HashMap<String, String>) -> BackupInfo {
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

pub(super) fn read_u32(r: &mut (impl Read + ?Sized)) -> std::io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

pub(super) fn read_u64(r: &mut (impl Read + ?Sized)) -> std::io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}
