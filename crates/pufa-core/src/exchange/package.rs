//! Data packages (数据包) between laptops: a village cadre exports what changed into one file
//! and sends it (WeChat, USB stick); the town imports it, and sends plans, approvals and
//! returned records back the same way; a fresh laptop adopts a town from its package.
//!
//! A package is a zip: `manifest.json` (format, town, device, scope, counts and the SHA-256 of
//! every other entry), `data/<table>.jsonl` (one row a line, with its `hlc`/`base_hlc`; a
//! record carries its campaign links and hand-outs, an activity its campaign links),
//! `data/tombstone.jsonl` (deletions) and `attachments/<sha256>.<ext>` (the files).
//!
//! An import runs in one transaction: everything lands or nothing does, and attachment files
//! it placed are removed again on failure. Per row (L local, R incoming): no L → added;
//! same version → unchanged; R edited from L's version → updated; L edited from R's →
//! unchanged (ours is newer); both edited since they last exchanged → a conflict: the greater
//! HLC wins (deterministic on both sides) and the other version is kept in `sync_conflict`
//! for the user to choose ([`conflicts`], [`resolve`]). A deletion of a row edited elsewhere
//! since is a conflict too; the edited row stays.
//!
//! Trust: every row passes the checks typed input gets (`stored`: real dates, counts in range,
//! clean names, existing references), or the package is refused naming the row and field; a
//! version stamped more than a day ahead of this laptop's clock is refused; attachments are
//! checked by content, their stored names and thumbnails made here; a package says who made
//! it and changes only what that maker may (`scope`), the rest waits as a conflict for the
//! coordinator; each row it changes gets its own entry in the audit trail. The backup before
//! an import is made only once the whole package has passed, just before it is committed.
//!
//! Towns: a package of another town is refused; an empty database adopts the package's town.
//! A county's roll-up (set up with `county_rollup`) takes every town's packages: the towns'
//! rows stay out, and their villages and campaigns carry the town's name ("双龙镇安静村",
//! "双龙镇：2026年宪法宣传周"), as unit names are unique and two towns' campaigns are not one.

use crate::attachment;
use crate::audit;
use crate::db::{insert_rows, Db};
use crate::error::{AppError, ErrorCode, Result};
use crate::export::{io_error, write_atomic};
use crate::stored::{add_children, read_row, rows_of, to_json, Row, CAMPAIGNS, HANDOUTS};
use crate::sync::{self, TABLES};
use crate::town;
use rusqlite::types::Value as Sql;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use ts_rs::TS;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

mod scope;
use scope::{Maker, ManifestMaker};

/// The package format this build writes and the newest it reads. Format 2 says who made the
/// package (format 1 did not, and is refused: what it may change cannot be told).
pub const FORMAT_VERSION: u32 = 2;
/// The file extension the window offers (a zip inside).
pub const EXTENSION: &str = "pufapkg";

const FORMAT: &str = "pufa-package";
const MANIFEST: &str = "manifest.json";
const TOMBSTONES: &str = "data/tombstone.jsonl";
/// The key of a deletion in a conflict.
const DELETED: &str = "_deleted";

/// Zip-bomb limits, checked on the declared sizes before anything is inflated (and the
/// inflated bytes are counted against the declared size).
const MAX_TOTAL: u64 = 2 << 30;
const MAX_DATA_ENTRY: u64 = 1 << 30;
const MAX_MANIFEST: u64 = 1 << 20;
const MAX_RATIO: u64 = 250;
const RATIO_FROM: u64 = 1 << 20;
const MAX_LINE: u64 = 16 << 20;
/// Past this many records written by one import the tallies are recounted once at the end
/// instead of row by row (as the demo's bulk load does); up to it they move row by row.
const BULK_RECORDS: u64 = 20_000;
const PROGRESS_EVERY: u64 = 500;

/// What to export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackageScope {
    /// Only what changed since this device's last package of the same scope.
    #[serde(default)]
    pub since_last: bool,
    /// One village's records and activities (unit id or name); None = the whole town.
    #[serde(default)]
    pub village: Option<String>,
}

/// Rows per kind in a package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackageCounts {
    #[ts(type = "number")]
    pub towns: u64,
    #[ts(type = "number")]
    pub units: u64,
    #[ts(type = "number")]
    pub persons: u64,
    #[ts(type = "number")]
    pub materials: u64,
    #[ts(type = "number")]
    pub stores: u64,
    /// Receipts and transfers of stock (hand-outs travel with their records).
    #[ts(type = "number")]
    pub movements: u64,
    #[ts(type = "number")]
    pub campaigns: u64,
    #[ts(type = "number")]
    pub series: u64,
    #[ts(type = "number")]
    pub activities: u64,
    #[ts(type = "number")]
    pub records: u64,
    #[ts(type = "number")]
    pub attachments: u64,
    /// Deletions.
    #[ts(type = "number")]
    pub tombstones: u64,
    /// Attachment files.
    #[ts(type = "number")]
    pub files: u64,
}

impl PackageCounts {
    fn slot(&mut self, table: &str) -> &mut u64 {
        match table {
            "town" => &mut self.towns,
            "unit" => &mut self.units,
            "person" => &mut self.persons,
            "material" => &mut self.materials,
            "store" => &mut self.stores,
            "stock_movement" => &mut self.movements,
            "campaign" => &mut self.campaigns,
            "activity_series" => &mut self.series,
            "activity" => &mut self.activities,
            "record" => &mut self.records,
            "attachment" => &mut self.attachments,
            "file" => &mut self.files,
            _ => &mut self.tombstones,
        }
    }

    fn total(&self) -> u64 {
        [
            self.towns,
            self.units,
            self.persons,
            self.materials,
            self.stores,
            self.movements,
            self.campaigns,
            self.series,
            self.activities,
            self.records,
            self.attachments,
            self.tombstones,
        ]
        .iter()
        .fold(0u64, |a, b| a.saturating_add(*b))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackageExported {
    pub path: String,
    pub package_id: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub counts: PackageCounts,
    pub since_last: bool,
    /// The village exported, by name; None = the whole town.
    pub village: Option<String>,
}

/// What an import did, per kind of row and in all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EntityReport {
    pub entity: String,
    pub label: String,
    #[ts(type = "number")]
    pub added: u64,
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub unchanged: u64,
    #[ts(type = "number")]
    pub deleted: u64,
    #[ts(type = "number")]
    pub conflicts: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackageReport {
    pub package_id: String,
    pub town: String,
    pub from_device: String,
    pub created_at: String,
    /// This database had no town and took the package's.
    pub adopted_town: bool,
    #[ts(type = "number")]
    pub added: u64,
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub unchanged: u64,
    #[ts(type = "number")]
    pub deleted: u64,
    #[ts(type = "number")]
    pub conflicts: u64,
    /// Units, materials or stores made on both sides under the same name: the local one is
    /// used for the package's rows.
    #[ts(type = "number")]
    pub matched: u64,
    /// Attachment files copied in.
    #[ts(type = "number")]
    pub files: u64,
    /// Who made the package: "双龙镇的电脑（张三）", "安静村的电脑（王五）".
    pub maker: String,
    /// Changes the maker may not make (a village laptop editing another village's record):
    /// not applied, kept among the conflicts for the coordinator (counted there too).
    #[ts(type = "number")]
    pub out_of_scope: u64,
    pub entities: Vec<EntityReport>,
}

/// What the user confirmed for an import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportOptions {
    /// The package comes from a laptop not seen before that says it is the town's: the user
    /// confirmed it is.
    #[serde(default)]
    pub trust_device: bool,
}

/// Which version of a conflicting row to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Keep {
    Local,
    Incoming,
}

impl Keep {
    fn code(self) -> &'static str {
        match self {
            Keep::Local => "local",
            Keep::Incoming => "incoming",
        }
    }
}

/// A row changed on both sides, with both versions (a row as exported: its columns, and
/// `_campaigns` / `_handouts`; `{"_deleted": true}` for a deletion).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncConflict {
    pub id: String,
    pub entity: String,
    pub entity_label: String,
    pub entity_id: String,
    /// The row's name or title, for the list.
    pub title: String,
    #[ts(type = "Record<string, unknown>")]
    pub local: Value,
    #[ts(type = "Record<string, unknown>")]
    pub incoming: Value,
    pub local_deleted: bool,
    pub incoming_deleted: bool,
    /// The version applied when the package was imported.
    pub winner: Keep,
    pub created_at: String,
    pub resolved_at: Option<String>,
    pub kept: Option<Keep>,
    /// Why the incoming version was not applied, when the package's maker may not make that
    /// change ("安静村的电脑不能修改其他村（单位）的活动记录"); None for an edit on both sides.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ManifestTown {
    id: String,
    name: String,
    #[serde(default)]
    county: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ManifestScope {
    since_last: bool,
    village_id: Option<String>,
    village_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Manifest {
    format: String,
    format_version: u32,
    app_version: String,
    schema_version: i64,
    package_id: String,
    town: ManifestTown,
    device_id: String,
    created_at: String,
    scope: ManifestScope,
    counts: PackageCounts,
    /// Entry name → SHA-256 (hex) of its bytes.
    entries: BTreeMap<String, String>,
    /// Who made it (format 2).
    #[serde(default)]
    maker: Option<ManifestMaker>,
}

fn label(table: &str) -> &'static str {
    match table {
        "store" => "资料库",
        "stock_movement" => "库存记录",
        "activity_series" => "重复活动",
        "attachment" => "附件",
        t => audit::entity_label(t),
    }
}

fn rejected(path: &Path, why: impl std::fmt::Display) -> AppError {
    AppError::field(
        ErrorCode::FileRejected,
        "path",
        format!("“{}”不能导入：{why}。数据未做任何改动", file_name(path)),
    )
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn cancelled(what: &str) -> AppError {
    AppError::new(
        ErrorCode::Cancelled,
        format!("已取消{what}，数据未做任何改动"),
    )
}

// ---------------------------------------------------------------------------------------
// Rows as JSON

fn to_sql(v: &Value) -> Option<Sql> {
    Some(match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(*b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Real(n.as_f64()?),
        },
        Value::String(s) => Sql::Text(s.clone()),
        Value::Array(_) | Value::Object(_) => return None,
    })
}

fn text<'a>(row: &'a Row, key: &str) -> Option<&'a str> {
    row.get(key).and_then(Value::as_str)
}

/// A row's name or title, for messages and the conflict list.
fn title_of(row: &Row) -> String {
    ["title", "name", "file_name"]
        .iter()
        .find_map(|k| text(row, k))
        .unwrap_or("")
        .to_string()
}

/// The same data, whatever the versions say (both sides made the same change, or a copied
/// data folder): no conflict to bother anyone with.
fn same_content(a: &Row, b: &Row) -> bool {
    let skip = ["hlc", "base_hlc", "sync_seq"];
    let keys: HashSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| !skip.contains(&k.as_str()))
        .all(|k| a.get(k).unwrap_or(&Value::Null) == b.get(k).unwrap_or(&Value::Null))
}

// ---------------------------------------------------------------------------------------
// Export

/// The rows of `table` in a scope: `?1` = changes after this number, `?2` = the village id.
fn scope_filter(table: &str) -> &'static str {
    match table {
        "activity" => {
            "sync_seq > ?1 AND (?2 IS NULL OR unit_id = ?2
                 OR id IN (SELECT activity_id FROM record WHERE unit_id = ?2))"
        }
        "record" => "sync_seq > ?1 AND (?2 IS NULL OR unit_id = ?2)",
        "stock_movement" => "kind <> 'handout' AND sync_seq > ?1 AND (?2 IS NULL OR 1)",
        "attachment" => {
            "sync_seq > ?1 AND (?2 IS NULL OR record_id IN (SELECT id FROM record WHERE unit_id = ?2))"
        }
        _ => "sync_seq > ?1 AND (?2 IS NULL OR 1)",
    }
}

/// A zip entry being written, hashed as it goes.
struct Entry<'z, W: Write + Seek> {
    zip: &'z mut ZipWriter<W>,
    hash: Sha256,
}

impl<W: Write + Seek> Entry<'_, W> {
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.hash.update(bytes);
        self.zip.write_all(bytes)
    }
}

fn zip_error(path: &Path, e: zip::result::ZipError) -> AppError {
    match e {
        zip::result::ZipError::Io(e) => io_error(path, &e),
        e => AppError::new(ErrorCode::Io, format!("无法写入“{}”：{e}", path.display())),
    }
}

/// Writes a package of `scope` to `path` (atomically: the file appears only when whole) and
/// marks what it holds as exchanged. `progress(done, total)` in rows; false cancels.
pub fn export(
    conn: &Connection,
    data_dir: Option<&Path>,
    path: &Path,
    scope: &PackageScope,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<PackageExported> {
    // One write transaction: the rows read and the rows marked as exchanged are the same.
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let town = town::require_town(&tx)?;
    let village = match scope.village.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Some(crate::unit::resolve(&tx, v, "village")?),
        _ => None,
    };
    let village_id = village.as_ref().map(|u| u.id.clone());
    let scope_key = village_id.clone().unwrap_or_else(|| "*".into());
    sync::stamp_new(&tx)?;
    let since: i64 = if scope.since_last {
        tx.query_row(
            "SELECT last_seq FROM sync_peer WHERE scope = ?1",
            [&scope_key],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(-1)
    } else {
        -1
    };
    let seq: i64 = tx.query_row("SELECT seq FROM sync_clock", [], |r| r.get(0))?;
    let device_id = town::setting(&tx, "device_id")?.unwrap_or_default();
    let maker = ManifestMaker::of_this_laptop(&tx)?;

    let mut counts = PackageCounts::default();
    for t in TABLES {
        *counts.slot(t) = tx.query_row(
            &format!("SELECT count(*) FROM {t} WHERE {}", scope_filter(t)),
            params![since, village_id],
            |r| r.get::<_, i64>(0),
        )? as u64;
    }
    counts.tombstones = tx.query_row(
        "SELECT count(*) FROM sync_tombstone WHERE sync_seq > ?1",
        [since],
        |r| r.get::<_, i64>(0),
    )? as u64;
    // The files of the attachments exported: (entry name, stored path, sha256).
    let mut files: Vec<(String, String, String)> = tx
        .prepare(&format!(
            "SELECT DISTINCT stored, sha256 FROM attachment WHERE {}",
            scope_filter("attachment")
        ))?
        .query_map(params![since, village_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .map(|r| {
            r.map(|(stored, sha)| {
                let base = stored.rsplit('/').next().unwrap_or("").to_string();
                (format!("attachments/{base}"), stored, sha)
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    counts.files = files.len() as u64;
    if counts.files > 0 && data_dir.is_none() {
        return Err(AppError::new(
            ErrorCode::Io,
            "没有数据文件夹，读不到附件，无法导出数据包",
        ));
    }

    let total = counts.total() + counts.files;
    let mut done = 0u64;
    let mut tick = |n: u64| -> Result<()> {
        done += n;
        if (done % PROGRESS_EVERY < n || done == total) && !progress(done, total) {
            return Err(cancelled("导出数据包"));
        }
        Ok(())
    };
    let package_id = crate::new_id();
    let mut entries: BTreeMap<String, String> = BTreeMap::new();
    let data = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(3));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    write_atomic(path, |file| {
        let mut zip = ZipWriter::new(std::io::BufWriter::new(file));
        let werr = |e: std::io::Error| io_error(path, &e);
        for t in TABLES {
            let name = format!("data/{t}.jsonl");
            zip.start_file(name.as_str(), data)
                .map_err(|e| zip_error(path, e))?;
            let mut entry = Entry {
                zip: &mut zip,
                hash: Sha256::new(),
            };
            let mut stmt = tx.prepare(&format!(
                "SELECT * FROM {t} WHERE {} ORDER BY rowid",
                scope_filter(t)
            ))?;
            let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
            let mut rows = stmt.query(params![since, village_id])?;
            let mut line = Vec::with_capacity(1024);
            while let Some(r) = rows.next()? {
                let mut row = Row::new();
                for (i, n) in names.iter().enumerate() {
                    if n != "sync_seq" {
                        row.insert(n.clone(), to_json(r.get_ref(i)?));
                    }
                }
                add_children(&tx, t, &mut row)?;
                line.clear();
                serde_json::to_writer(&mut line, &row).expect("rows serialise");
                line.push(b'\n');
                entry.put(&line).map_err(werr)?;
                tick(1)?;
            }
            entries.insert(name, hex(entry.hash.finalize().as_slice()));
        }
        zip.start_file(TOMBSTONES, data)
            .map_err(|e| zip_error(path, e))?;
        let mut entry = Entry {
            zip: &mut zip,
            hash: Sha256::new(),
        };
        let mut stmt = tx.prepare(
            "SELECT entity, id, hlc, base_hlc FROM sync_tombstone WHERE sync_seq > ?1
             ORDER BY sync_seq, entity, id",
        )?;
        for row in rows_of(&mut stmt, [since])? {
            let mut line = serde_json::to_vec(&row).expect("rows serialise");
            line.push(b'\n');
            entry.put(&line).map_err(werr)?;
            tick(1)?;
        }
        entries.insert(TOMBSTONES.into(), hex(entry.hash.finalize().as_slice()));
        if let Some(dir) = data_dir {
            for (name, rel, sha) in &files {
                let source = attachment::safe_path(dir, rel)?;
                let bytes = std::fs::read(&source).map_err(|e| {
                    AppError::new(
                        ErrorCode::NotFound,
                        format!(
                            "附件文件“{}”读不到（{e}），无法导出数据包；请在“检查数据”中查看",
                            source.display()
                        ),
                    )
                })?;
                let digest = hex(Sha256::digest(&bytes).as_slice());
                if &digest != sha {
                    return Err(AppError::new(
                        ErrorCode::Io,
                        format!(
                            "附件文件“{}”已损坏（内容与记录不符），无法导出数据包",
                            source.display()
                        ),
                    ));
                }
                zip.start_file(name.as_str(), stored)
                    .map_err(|e| zip_error(path, e))?;
                zip.write_all(&bytes).map_err(werr)?;
                entries.insert(name.clone(), digest);
                tick(1)?;
            }
        }
        let manifest = Manifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION").into(),
            schema_version: crate::db::SCHEMA_VERSION,
            package_id: package_id.clone(),
            town: ManifestTown {
                id: town.id.clone(),
                name: town.name.clone(),
                county: town.county.clone(),
            },
            device_id: device_id.clone(),
            created_at: crate::now(),
            scope: ManifestScope {
                since_last: scope.since_last,
                village_id: village_id.clone(),
                village_name: village.as_ref().map(|u| u.name.clone()),
            },
            counts: counts.clone(),
            entries: std::mem::take(&mut entries),
            maker: Some(maker.clone()),
        };
        zip.start_file(MANIFEST, data)
            .map_err(|e| zip_error(path, e))?;
        serde_json::to_writer_pretty(&mut zip, &manifest).map_err(|e| {
            AppError::new(ErrorCode::Io, format!("无法写入“{}”：{e}", path.display()))
        })?;
        zip.finish()
            .map_err(|e| zip_error(path, e))?
            .flush()
            .map_err(werr)?;
        Ok(())
    })?;
    // What was sent is now the version both sides share.
    for t in TABLES {
        tx.execute(
            &format!(
                "UPDATE {t} SET base_hlc = hlc WHERE {} AND base_hlc IS NOT hlc",
                scope_filter(t)
            ),
            params![since, village_id],
        )?;
    }
    tx.execute(
        "INSERT INTO sync_peer (scope, last_seq, package_id, exported_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (scope) DO UPDATE SET last_seq = excluded.last_seq,
             package_id = excluded.package_id, exported_at = excluded.exported_at",
        params![scope_key, seq, package_id, crate::now()],
    )?;
    let what = match &village {
        Some(v) => format!("“{}”的", v.name),
        None => String::new(),
    };
    audit::note(
        &tx,
        "sync",
        &package_id,
        "export",
        &format!(
            "导出{what}数据包（{}）：活动记录 {} 条，活动 {} 个，附件 {} 个",
            if scope.since_last {
                "上次以来的变化"
            } else {
                "全部"
            },
            counts.records,
            counts.activities,
            counts.files
        ),
    )?;
    tx.commit()?;
    Ok(PackageExported {
        path: path.display().to_string(),
        package_id,
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        counts,
        since_last: scope.since_last,
        village: village.map(|u| u.name),
    })
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

// ---------------------------------------------------------------------------------------
// Reading a package

/// Why an entry name is unsafe, if it is: it must stay inside the package's folder.
fn unsafe_name(name: &str) -> Option<&'static str> {
    let b = name.as_bytes();
    if name.contains('\\') {
        Some("含有反斜杠")
    } else if name.starts_with('/') {
        Some("是绝对路径")
    } else if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
        Some("带有盘符")
    } else if name.split('/').any(|p| p == "..") {
        Some("指向上级文件夹")
    } else if name.chars().any(char::is_control) {
        Some("含有控制字符")
    } else {
        None
    }
}

/// The names a package of this format may hold.
fn known_name(name: &str) -> bool {
    if name == MANIFEST || name == TOMBSTONES {
        return true;
    }
    if let Some(t) = name
        .strip_prefix("data/")
        .and_then(|n| n.strip_suffix(".jsonl"))
    {
        return TABLES.contains(&t);
    }
    if let Some(f) = name.strip_prefix("attachments/") {
        let (sha, ext) = f.split_once('.').unwrap_or((f, ""));
        return sha.len() == 64
            && sha
                .bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            && (1..=5).contains(&ext.len())
            && ext
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    }
    false
}

/// The package file, opened for reading.
fn open_file(path: &Path) -> Result<BufReader<std::fs::File>> {
    let file = std::fs::File::open(path).map_err(|e| {
        AppError::field(
            ErrorCode::NotFound,
            "path",
            format!("打不开数据包“{}”：{e}", path.display()),
        )
    })?;
    Ok(BufReader::new(file))
}

/// A package being read (from its file, or from memory in the fuzz tests).
type Archive<R> = ZipArchive<R>;

/// Opens the zip and checks every entry's name, kind and declared size before inflating
/// anything: only regular files (no links, folders or device entries) under known names.
fn open<R: Read + Seek>(path: &Path, reader: R) -> Result<(Archive<R>, HashMap<String, u64>)> {
    let mut zip = ZipArchive::new(reader).map_err(|_| {
        rejected(
            path,
            "这不是普法台账数据包（不是 zip 文件，或文件不完整、已损坏）",
        )
    })?;
    let mut sizes = HashMap::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|_| rejected(path, "文件已损坏（目录无法读取）"))?;
        let name = entry
            .name()
            .map_err(|_| rejected(path, "文件已损坏（文件名无法读取）"))?
            .to_string();
        if let Some(why) = unsafe_name(&name) {
            return Err(rejected(
                path,
                format!(
                    "其中的“{}”路径不安全（{why}）",
                    crate::validate::clip(&name)
                ),
            ));
        }
        if !known_name(&name) {
            return Err(rejected(
                path,
                format!("其中有不认识的文件“{}”", crate::validate::clip(&name)),
            ));
        }
        // A link (or a folder, a device) under a file's name would become a plain file here
        // with the link's text as its content, or worse: only regular files are taken.
        let regular = entry
            .unix_mode()
            .is_none_or(|mode| mode & 0o170000 == 0 || mode & 0o170000 == 0o100000);
        if entry.is_symlink() || entry.is_dir() || !regular {
            return Err(rejected(
                path,
                format!(
                    "其中的“{}”不是普通文件（是链接、文件夹或设备）",
                    crate::validate::clip(&name)
                ),
            ));
        }
        let (size, packed) = (entry.size(), entry.compressed_size());
        let cap = if name == MANIFEST {
            MAX_MANIFEST
        } else if name.starts_with("attachments/") {
            attachment::MAX_BYTES
        } else {
            MAX_DATA_ENTRY
        };
        total = total.saturating_add(size);
        if size > cap
            || total > MAX_TOTAL
            || (size > RATIO_FROM && size / packed.max(1) > MAX_RATIO)
        {
            return Err(rejected(
                path,
                format!("其中的“{name}”解压后过大或压缩比异常（疑似压缩炸弹）"),
            ));
        }
        if sizes.insert(name.clone(), size).is_some() {
            return Err(rejected(path, format!("其中的“{name}”出现了两次")));
        }
    }
    Ok((zip, sizes))
}

/// Reads one entry whole (at most its declared size, which the caller capped).
fn read_entry<R: Read + Seek>(
    zip: &mut Archive<R>,
    path: &Path,
    name: &str,
    declared: u64,
) -> Result<Vec<u8>> {
    let damaged = || rejected(path, format!("其中的“{name}”已损坏，无法解压"));
    let entry = zip.by_name(name).map_err(|_| damaged())?;
    let mut out = Vec::with_capacity(declared.min(64 << 20) as usize);
    entry
        .take(declared + 1)
        .read_to_end(&mut out)
        .map_err(|_| damaged())?;
    if out.len() as u64 != declared {
        return Err(damaged());
    }
    Ok(out)
}

/// Checks every data entry against the manifest's checksum, reading the package through its
/// own handle; stops (cancelled) once `stop` is set.
fn verify_data<R: Read + Seek>(
    path: &Path,
    reader: R,
    manifest: &Manifest,
    sizes: &HashMap<String, u64>,
    stop: &AtomicBool,
) -> Result<()> {
    let (mut zip, _) = open(path, reader)?;
    for (name, expected) in &manifest.entries {
        if name.starts_with("data/") {
            verify_entry(&mut zip, path, name, sizes[name], expected, stop)?;
        }
    }
    Ok(())
}

/// Streams one entry through SHA-256 and compares it with the manifest.
fn verify_entry<R: Read + Seek>(
    zip: &mut Archive<R>,
    path: &Path,
    name: &str,
    declared: u64,
    expected: &str,
    stop: &AtomicBool,
) -> Result<()> {
    let damaged = || rejected(path, format!("其中的“{name}”已损坏，无法解压"));
    let entry = zip.by_name(name).map_err(|_| damaged())?;
    let mut reader = entry.take(declared + 1);
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut n = 0u64;
    loop {
        if stop.load(Ordering::Relaxed) {
            return Err(cancelled("导入数据包"));
        }
        let got = reader.read(&mut buf).map_err(|_| damaged())?;
        if got == 0 {
            break;
        }
        n += got as u64;
        hash.update(&buf[..got]);
    }
    if n != declared {
        return Err(damaged());
    }
    if hex(hash.finalize().as_slice()) != expected {
        return Err(rejected(
            path,
            format!("其中的“{name}”校验不符（文件在传输中损坏或被改动过）"),
        ));
    }
    Ok(())
}

fn read_manifest<R: Read + Seek>(
    zip: &mut Archive<R>,
    path: &Path,
    sizes: &HashMap<String, u64>,
) -> Result<Manifest> {
    let Some(&size) = sizes.get(MANIFEST) else {
        return Err(rejected(
            path,
            "其中没有清单（manifest.json），不是普法台账数据包",
        ));
    };
    let bytes = read_entry(zip, path, MANIFEST, size)?;
    let bad = || rejected(path, "清单（manifest.json）无法读取");
    let value: Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(rejected(path, "这不是普法台账数据包"));
    }
    let version = value
        .get("format_version")
        .and_then(Value::as_u64)
        .ok_or_else(bad)?;
    if version > FORMAT_VERSION as u64 {
        return Err(AppError::field(
            ErrorCode::DatabaseNewer,
            "path",
            format!(
                "数据包“{}”由更新版本的普法台账创建（格式 {version}，本程序支持到 {FORMAT_VERSION}），\
                 请先升级本程序再导入；数据未做任何改动",
                file_name(path)
            ),
        ));
    }
    let manifest: Manifest = serde_json::from_value(value).map_err(|_| bad())?;
    check_manifest(&manifest).map_err(|e| AppError {
        message: format!(
            "“{}”不能导入：清单中{}。数据未做任何改动",
            file_name(path),
            e.message
        ),
        ..e
    })?;
    // The manifest lists every other entry, and every entry listed is there.
    for name in sizes.keys().filter(|n| *n != MANIFEST) {
        if !manifest.entries.contains_key(name) {
            return Err(rejected(path, format!("其中的“{name}”不在清单中")));
        }
    }
    for name in manifest.entries.keys() {
        if !sizes.contains_key(name) || name == MANIFEST {
            return Err(rejected(
                path,
                format!("数据包不完整，缺少“{}”", crate::validate::clip(name)),
            ));
        }
    }
    Ok(manifest)
}

/// An id as the app makes them (UUIDs, device ids): letters, digits, '-' and '_', at most 64.
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

/// What the manifest says that is shown or kept (ids, the town's and the maker's names) passes
/// the checks typed input gets.
fn check_manifest(m: &Manifest) -> Result<()> {
    for (field, id) in [
        ("package_id", &m.package_id),
        ("device_id", &m.device_id),
        ("town", &m.town.id),
    ] {
        if !is_id(id) {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                field,
                format!("的编号“{}”无效", crate::validate::clip(id)),
            ));
        }
    }
    crate::validate::name("town", &m.town.name, 50)?;
    crate::validate::optional_line("county", Some(&m.town.county), 50)?;
    if let Some(maker) = &m.maker {
        crate::validate::optional_line("user_name", Some(&maker.user), 30)?;
        crate::validate::optional_line("villages", maker.village_name.as_deref(), 50)?;
    }
    Ok(())
}

/// Calls `each` with every row of a JSON-lines entry (and its line number).
fn each_line<R: Read + Seek>(
    zip: &mut Archive<R>,
    path: &Path,
    name: &str,
    declared: u64,
    each: &mut dyn FnMut(&[u8], usize) -> Result<()>,
) -> Result<()> {
    let damaged = || rejected(path, format!("其中的“{name}”已损坏，无法解压"));
    let entry = zip.by_name(name).map_err(|_| damaged())?;
    let mut reader = BufReader::with_capacity(256 * 1024, entry.take(declared + 1));
    let mut line = Vec::new();
    let mut n = 0usize;
    loop {
        line.clear();
        let got = (&mut reader)
            .take(MAX_LINE)
            .read_until(b'\n', &mut line)
            .map_err(|_| damaged())?;
        if got == 0 {
            return Ok(());
        }
        n += 1;
        if line.trim_ascii().is_empty() {
            continue;
        }
        each(&line, n)?;
    }
}

/// Line `n` of entry `name` as a row.
fn parse_line(path: &Path, name: &str, n: usize, line: &[u8]) -> Result<Row> {
    serde_json::from_slice(line).map_err(|e| {
        rejected(
            path,
            format!("其中的“{name}”第 {n} 行不是有效的数据（{e}）"),
        )
    })
}

/// Just the id and version of a row: most rows of a package are known already, and reading
/// these two is much cheaper than the whole row.
#[derive(Deserialize)]
struct RowHead<'a> {
    #[serde(borrow)]
    id: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    hlc: Option<std::borrow::Cow<'a, str>>,
}

// ---------------------------------------------------------------------------------------
// Import

/// Foreign keys of the exchanged tables: (column, table it points to).
fn refs(table: &str) -> &'static [(&'static str, &'static str)] {
    match table {
        "person" | "store" => &[("unit_id", "unit")],
        "activity" => &[
            ("unit_id", "unit"),
            ("lead_person_id", "person"),
            ("series_id", "activity_series"),
        ],
        "record" => &[("activity_id", "activity"), ("unit_id", "unit")],
        "attachment" => &[("record_id", "record")],
        "stock_movement" => &HANDOUT_REFS,
        _ => &[],
    }
}

const HANDOUT_REFS: [(&str, &str); 3] = [
    ("material_id", "material"),
    ("from_store_id", "store"),
    ("to_store_id", "store"),
];

#[derive(Debug)]
enum Decision {
    Unchanged {
        fix_base: bool,
    },
    /// Made on both sides under the same name: use the local row's id.
    Matched(String),
    Add,
    /// Deleted here, edited there from the deleted version: it comes back.
    Restore,
    Update,
    /// Same data, different versions: adopt the greater version.
    Same {
        incoming_newer: bool,
    },
    IncomingWins {
        local: Option<Row>,
    },
    LocalWins {
        local: Row,
    },
}

struct Importer<'a> {
    conn: &'a Connection,
    path: &'a Path,
    seq: i64,
    data_dir: Option<PathBuf>,
    /// (table, incoming id) → local id, for rows matched by name.
    remap: HashMap<(&'static str, String), String>,
    columns: HashMap<&'static str, Vec<String>>,
    entities: BTreeMap<&'static str, EntityReport>,
    report: PackageReport,
    max_hlc: String,
    /// Files this import put into the data folder, removed again if it fails.
    placed: Vec<PathBuf>,
    records_written: u64,
    /// The tally triggers are dropped (see BULK_RECORDS) and must be resumed.
    tallies_suspended: bool,
    /// Importing into a county's roll-up: the package's town name.
    rollup_town: Option<String>,
    /// Who made the package, and what it may change.
    maker: Maker,
    /// "安静村的电脑（王五）", for the trail.
    maker_label: String,
    package_id: String,
    /// The user of this laptop, who imports (read once for the trail).
    user: Option<town::UserProfile>,
    /// The trail of the rows changed, written in batches.
    trail: Vec<Vec<Sql>>,
    /// Rows not applied because the maker may not change them: rows that need them wait too.
    held_back: HashSet<(&'static str, String)>,
    /// Folders this import made for attachment files, removed again (when empty) if it fails.
    made_dirs: Vec<PathBuf>,
}

/// Entries of the audit trail written per statement.
const TRAIL_BATCH: usize = 64;

/// Where a changed row's entry goes in the trail: (entity, id, action). A record's attachments
/// belong to the record's history, as the window adds them.
fn trail_target<'r>(
    table: &'r str,
    row: &'r Row,
    action: &'static str,
) -> (&'r str, &'r str, &'static str) {
    let id = text(row, "id").unwrap_or("");
    match table {
        "attachment" => (
            "record",
            text(row, "record_id").unwrap_or(""),
            match action {
                "delete" => "detach",
                _ => "attach",
            },
        ),
        "stock_movement" | "store" => ("stock", id, action),
        "activity_series" => ("activity", id, action),
        t => (t, id, action),
    }
}

/// A row as the trail shows it: its fields, without versions.
fn trail_body(row: Option<&Row>) -> Option<Value> {
    row.map(|r| {
        let mut r = r.clone();
        for k in ["hlc", "base_hlc", "sync_seq"] {
            r.remove(k);
        }
        Value::Object(r)
    })
}

/// A town's unit or campaign name inside a county's roll-up.
fn rollup_name(table: &str, town: &str, name: &str) -> String {
    match table {
        "unit" if name.starts_with(town) => name.to_string(),
        "unit" => format!("{town}{name}"),
        _ if name.starts_with(&format!("{town}：")) => name.to_string(),
        _ => format!("{town}：{name}"),
    }
}

impl<'a> Importer<'a> {
    /// An importer of the package at `path` (its attachments placed under `data_dir`) writing
    /// in the transaction `conn`.
    fn new(conn: &'a Connection, path: &'a Path, data_dir: Option<PathBuf>) -> Importer<'a> {
        Importer {
            conn,
            path,
            seq: 0,
            data_dir,
            remap: HashMap::new(),
            columns: HashMap::new(),
            entities: BTreeMap::new(),
            report: PackageReport::default(),
            max_hlc: String::new(),
            placed: Vec::new(),
            records_written: 0,
            tallies_suspended: false,
            rollup_town: None,
            maker: Maker::Town,
            maker_label: String::new(),
            package_id: String::new(),
            user: None,
            trail: Vec::new(),
            held_back: HashSet::new(),
            made_dirs: Vec::new(),
        }
    }

    /// Adds the entry of one changed row to the trail: which package, from whom, before and
    /// after (`action`: create, update, delete).
    fn note(
        &mut self,
        table: &'static str,
        before: Option<&Row>,
        after: Option<&Row>,
        action: &'static str,
    ) -> Result<()> {
        let row = after.or(before).expect("a change has a row");
        let (entity, id, action) = trail_target(table, row, action);
        let summary = format!(
            "数据包导入（{}，数据包 {}）：{}{}“{}”",
            self.maker_label,
            crate::validate::clip(&self.package_id),
            audit::action_label(action),
            label(table),
            crate::validate::clip(&title_of(row))
        );
        let entry = audit::row(
            self.user.as_ref(),
            entity,
            id,
            action,
            &summary,
            trail_body(before).as_ref(),
            trail_body(after).as_ref(),
        );
        self.trail.push(entry);
        if self.trail.len() >= TRAIL_BATCH {
            self.flush_trail()?;
        }
        Ok(())
    }

    fn flush_trail(&mut self) -> Result<()> {
        let rows = std::mem::take(&mut self.trail);
        insert_rows(self.conn, "audit_log", &audit::COLUMNS, &rows)
    }

    /// The content of a row through the checks typed input gets; refuses the package naming the
    /// row and the field.
    fn validate(&self, table: &'static str, row: &Row) -> Result<()> {
        crate::stored::check(self.conn, table, row).map_err(|e| {
            let mut refused = self.bad_row(table, row, &format!("：{}", e.message));
            refused.field = e.field.or(refused.field);
            refused
        })
    }

    /// Why a row waits: it needs a row this import held back (None: it does not).
    fn waits_for_held_back(&self, table: &str, row: &Row) -> Option<String> {
        let mut needs: Vec<(&'static str, &str)> = refs(table)
            .iter()
            .filter_map(|(column, target)| text(row, column).map(|v| (*target, v)))
            .collect();
        needs.extend(
            row.get(CAMPAIGNS)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|c| ("campaign", c)),
        );
        needs
            .into_iter()
            .find(|(t, id)| self.held_back.contains(&(*t, id.to_string())))
            .map(|(t, _)| format!("它用到的{}超出了数据包制作者的权限，没有导入", label(t)))
    }

    /// A change the package's maker may not make: not applied, kept for the coordinator with
    /// the reason. Ours (if any) stays and travels back as the version to keep.
    fn hold_back(
        &mut self,
        table: &'static str,
        id: &str,
        hlc: &str,
        local: Option<&Row>,
        incoming: Option<&Row>,
        why: &str,
    ) -> Result<()> {
        self.held_back.insert((table, id.to_string()));
        if local.is_some() {
            self.conn.execute(
                &format!("UPDATE {table} SET base_hlc = ?2, sync_seq = ?3 WHERE id = ?1"),
                params![id, hlc, self.seq],
            )?;
        } else {
            // A new row: the same package again keeps one conflict, not two.
            let kept: Option<String> = self
                .conn
                .prepare_cached(
                    "SELECT id FROM sync_conflict WHERE entity = ?1 AND entity_id = ?2
                       AND resolved_at IS NULL AND json_extract(incoming_json, '$.hlc') = ?3",
                )?
                .query_row(params![table, id, hlc], |r| r.get(0))
                .optional()?;
            if kept.is_some() {
                self.count(table, |e| e.unchanged += 1);
                return Ok(());
            }
        }
        let deleted = incoming.is_none().then(|| {
            let mut m = Row::new();
            m.insert(DELETED.into(), Value::Bool(true));
            m.insert("hlc".into(), Value::from(hlc));
            m
        });
        self.conflict(
            table,
            id,
            local,
            incoming.or(deleted.as_ref()),
            Keep::Local,
            Some(why),
        )?;
        self.report.out_of_scope += 1;
        self.count(table, |e| e.conflicts += 1);
        Ok(())
    }

    fn columns(&mut self, table: &'static str) -> Result<Vec<String>> {
        if let Some(c) = self.columns.get(table) {
            return Ok(c.clone());
        }
        let cols: Vec<String> = self
            .conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        self.columns.insert(table, cols.clone());
        Ok(cols)
    }

    fn count(&mut self, table: &'static str, f: impl FnOnce(&mut EntityReport)) {
        let e = self.entities.entry(table).or_insert_with(|| EntityReport {
            entity: table.into(),
            label: label(table).into(),
            ..Default::default()
        });
        f(e);
    }

    fn bad_row(&self, table: &str, row: &Row, why: &str) -> AppError {
        let id = text(row, "id").unwrap_or("?");
        rejected(
            self.path,
            format!(
                "其中的{}“{}”（{}）{why}",
                label(table),
                crate::validate::clip(&title_of(row)),
                crate::validate::clip(id)
            ),
        )
    }

    fn local_id(&self, table: &'static str, id: &str) -> String {
        self.remap
            .get(&(table, id.to_string()))
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn exists(&self, table: &str, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Checks the row's shape and versions, and points its references at local ids.
    fn prepare(&mut self, table: &'static str, row: &mut Row) -> Result<(String, String)> {
        let id = match text(row, "id") {
            Some(id) if is_id(id) => id.to_string(),
            _ => return Err(self.bad_row(table, row, "没有有效的编号")),
        };
        let hlc = match text(row, "hlc") {
            Some(h) if sync::parse(h).is_some() => h.to_string(),
            _ => return Err(self.bad_row(table, row, "的版本号无效")),
        };
        self.not_ahead(table, row, &hlc)?;
        match row.get("base_hlc") {
            None | Some(Value::Null) => {}
            Some(Value::String(b)) if sync::parse(b).is_some() => {}
            _ => return Err(self.bad_row(table, row, "的版本号无效")),
        }
        if table == "stock_movement" && text(row, "kind") == Some("handout") {
            return Err(self.bad_row(table, row, "是发放记录，应随活动记录一起"));
        }
        if table == "attachment" {
            // Where the file is kept and its thumbnail are made here, from its hash and type:
            // never a path the package chose.
            let sha = text(row, "sha256").unwrap_or("");
            let mime = text(row, "mime").unwrap_or("");
            match attachment::paths_of(sha, mime) {
                Some((stored, thumbnail)) => {
                    row.insert("stored".into(), Value::from(stored));
                    row.insert(
                        "thumbnail".into(),
                        thumbnail.map(Value::from).unwrap_or(Value::Null),
                    );
                }
                None => return Err(self.bad_row(table, row, "的校验值或文件类型无效")),
            }
        }
        if hlc > self.max_hlc {
            self.max_hlc = hlc.clone();
        }
        for (column, target) in refs(table) {
            if let Some(v) = text(row, column).map(str::to_string) {
                let local = self.local_id(target, &v);
                row.insert(column.to_string(), Value::from(local));
            }
        }
        if let Some(list) = row.get(CAMPAIGNS) {
            let Some(list) = list.as_array() else {
                return Err(self.bad_row(table, row, "的活动专项格式不对"));
            };
            let mut ids = Vec::new();
            for c in list {
                let Some(c) = c.as_str() else {
                    return Err(self.bad_row(table, row, "的活动专项格式不对"));
                };
                ids.push(self.local_id("campaign", c));
            }
            ids.sort();
            ids.dedup();
            row.insert(CAMPAIGNS.into(), ids.into_iter().map(Value::from).collect());
        }
        if let Some(list) = row.get(HANDOUTS).cloned() {
            let Some(list) = list.as_array() else {
                return Err(self.bad_row(table, row, "的发放资料格式不对"));
            };
            let mut out = Vec::new();
            for h in list {
                let Some(h) = h.as_object() else {
                    return Err(self.bad_row(table, row, "的发放资料格式不对"));
                };
                let mut h = h.clone();
                if text(&h, "kind") != Some("handout") || text(&h, "id").is_none() {
                    return Err(self.bad_row(table, row, "的发放资料格式不对"));
                }
                for (column, target) in HANDOUT_REFS {
                    if let Some(v) = text(&h, column).map(str::to_string) {
                        h.insert(column.into(), Value::from(self.local_id(target, &v)));
                    }
                }
                h.insert("record_id".into(), Value::from(id.clone()));
                out.push(Value::Object(h));
            }
            out.sort_by(|a, b| {
                let key = |v: &Value| {
                    v.get("id")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                };
                key(a).cmp(&key(b))
            });
            row.insert(HANDOUTS.into(), Value::Array(out));
        }
        Ok((id, hlc))
    }

    /// Refuses a version stamped more than a day ahead of this laptop's clock: it would win
    /// every conflict and drag the clock along (see `sync::MAX_AHEAD_MS`).
    fn not_ahead(&self, table: &str, row: &Row, hlc: &str) -> Result<()> {
        match sync::ahead_of_now(hlc) {
            None => Ok(()),
            Some(days) => {
                let mut e = self.bad_row(
                    table,
                    row,
                    &format!(
                        "的版本时间（{}）比本机时钟快 {days} 天，超过了一天；制作数据包的电脑\
                         日期可能设置错了，请校正那台电脑的日期后重新导出",
                        sync::hlc_time(hlc)
                    ),
                );
                e.field = Some("hlc".into());
                Err(e)
            }
        }
    }

    /// Every row this one points at exists here (or arrived earlier in the package).
    fn check_refs(&self, table: &str, row: &Row) -> Result<()> {
        let missing = |target: &str, id: &str| {
            self.bad_row(
                table,
                row,
                &format!(
                    "用到的{}（{}）在本机和数据包里都没有；请让对方导出全部数据（不勾选“仅上次以来的变化”）后再导入",
                    label(target),
                    crate::validate::clip(id)
                ),
            )
        };
        for (column, target) in refs(table) {
            if let Some(v) = text(row, column) {
                if !self.exists(target, v)? {
                    return Err(missing(target, v));
                }
            }
        }
        for c in row
            .get(CAMPAIGNS)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let c = c.as_str().unwrap_or("");
            if !self.exists("campaign", c)? {
                return Err(missing("campaign", c));
            }
        }
        for h in row
            .get(HANDOUTS)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for (column, target) in HANDOUT_REFS {
                if let Some(v) = h.get(column).and_then(Value::as_str) {
                    if !self.exists(target, v)? {
                        return Err(missing(target, v));
                    }
                }
            }
        }
        Ok(())
    }

    /// A row made on both sides that must be unique by name: the local one.
    fn natural_match(&self, table: &str, row: &Row) -> Result<Option<String>> {
        let sql = match table {
            "unit" | "material" => format!("SELECT id FROM {table} WHERE name = ?1"),
            "store" => "SELECT id FROM store WHERE name = ?1 OR unit_id IS ?2".into(),
            _ => return Ok(None),
        };
        let name = text(row, "name").unwrap_or("");
        let unit = text(row, "unit_id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let found = if table == "store" {
            stmt.query_row(params![name, unit], |r| r.get(0))
                .optional()?
        } else {
            stmt.query_row([name], |r| r.get(0)).optional()?
        };
        Ok(found)
    }

    fn decide(&mut self, table: &'static str, id: &str, hlc: &str, row: &Row) -> Result<Decision> {
        let base = text(row, "base_hlc");
        let local: Option<(Option<String>, Option<String>)> = self
            .conn
            .prepare_cached(&format!("SELECT hlc, base_hlc FROM {table} WHERE id = ?1"))?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((lh, lb)) = local else {
            let tomb: Option<(String, Option<String>)> = self
                .conn
                .prepare_cached(
                    "SELECT hlc, base_hlc FROM sync_tombstone WHERE entity = ?1 AND id = ?2",
                )?
                .query_row([table, id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            return Ok(match tomb {
                // Edited there from our deletion (a resolved conflict): it comes back.
                Some((th, _)) if base == Some(th.as_str()) => Decision::Restore,
                // We deleted the version they still have.
                Some((_, tb)) if tb.as_deref() == Some(hlc) => {
                    Decision::Unchanged { fix_base: false }
                }
                Some(_) => Decision::IncomingWins { local: None },
                None => match self.natural_match(table, row)? {
                    Some(local_id) => Decision::Matched(local_id),
                    None => Decision::Add,
                },
            });
        };
        let lh_s = lh.as_deref().unwrap_or("");
        if lh_s == hlc {
            return Ok(Decision::Unchanged {
                fix_base: lb.as_deref() != Some(hlc),
            });
        }
        if lh.is_some() && base == lh.as_deref() {
            return Ok(Decision::Update);
        }
        if lb.as_deref() == Some(hlc) {
            return Ok(Decision::Unchanged { fix_base: false });
        }
        let local_row = read_row(self.conn, table, id)?.unwrap_or_default();
        if same_content(&local_row, row) {
            return Ok(Decision::Same {
                incoming_newer: hlc > lh_s,
            });
        }
        Ok(if hlc > lh_s {
            Decision::IncomingWins {
                local: Some(local_row),
            }
        } else {
            Decision::LocalWins { local: local_row }
        })
    }

    /// The fast path for most rows of a package: a version this database already has (the
    /// same, or the one ours was edited from). Counted as unchanged; nothing else to check.
    fn known_version(&mut self, table: &'static str, id: &str, hlc: &str) -> Result<bool> {
        if sync::parse(hlc).is_none() {
            return Ok(false);
        }
        let local: Option<(Option<String>, Option<String>)> = self
            .conn
            .prepare_cached(&format!("SELECT hlc, base_hlc FROM {table} WHERE id = ?1"))?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((lh, lb)) = local else {
            return Ok(false);
        };
        let same = lh.as_deref() == Some(hlc);
        if !same && lb.as_deref() != Some(hlc) {
            return Ok(false);
        }
        if same && lb.as_deref() != Some(hlc) {
            self.conn
                .prepare_cached(&format!("UPDATE {table} SET base_hlc = hlc WHERE id = ?1"))?
                .execute([id])?;
        }
        if hlc > self.max_hlc.as_str() {
            self.max_hlc = hlc.to_string();
        }
        self.count(table, |e| e.unchanged += 1);
        Ok(true)
    }

    /// Inserts or updates the row (and its parts) as it arrived; base_hlc = its version.
    fn write(&mut self, table: &'static str, row: &Row, insert: bool) -> Result<()> {
        if table == "record" {
            self.records_written += 1;
            if self.records_written == BULK_RECORDS && !self.tallies_suspended {
                crate::reports::tally::suspend(self.conn)?;
                self.tallies_suspended = true;
            }
        }
        let cols = self.columns(table)?;
        let id = text(row, "id").unwrap_or("").to_string();
        let hlc = text(row, "hlc").unwrap_or("").to_string();
        let mut names = Vec::new();
        let mut values = Vec::new();
        for c in &cols {
            let v = match c.as_str() {
                "base_hlc" => Sql::Text(hlc.clone()),
                "sync_seq" => Sql::Integer(self.seq),
                "id" if !insert => continue,
                c => match row.get(c) {
                    Some(v) => {
                        to_sql(v).ok_or_else(|| self.bad_row(table, row, "的数据格式不对"))?
                    }
                    None => continue,
                },
            };
            names.push(c.as_str());
            values.push(v);
        }
        let sql = if insert {
            format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                vec!["?"; names.len()].join(", ")
            )
        } else {
            values.push(Sql::Text(id.clone()));
            format!(
                "UPDATE {table} SET {} WHERE id = ?",
                names
                    .iter()
                    .map(|n| format!("{n} = ?"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        self.conn
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values))
            .map_err(|e| self.bad_row(table, row, &format!("无法写入（{e}）")))?;
        self.write_children(table, &id, row, insert)
    }

    fn write_children(
        &mut self,
        table: &'static str,
        id: &str,
        row: &Row,
        insert: bool,
    ) -> Result<()> {
        let (link_table, column) = match table {
            "record" => ("record_campaign", "record_id"),
            "activity" => ("activity_campaign", "activity_id"),
            _ => return Ok(()),
        };
        // An edit of the fields alone leaves links and hand-outs as they are (fewer writes,
        // and the tallies and stock balances move only when they must).
        let mut current = Row::new();
        if !insert {
            current.insert("id".into(), Value::from(id));
            add_children(self.conn, table, &mut current)?;
        }
        let empty = Value::Array(Vec::new());
        let wanted = row.get(CAMPAIGNS).unwrap_or(&empty);
        if insert || current.get(CAMPAIGNS) != Some(wanted) {
            self.conn
                .prepare_cached(&format!("DELETE FROM {link_table} WHERE {column} = ?1"))?
                .execute([id])?;
            let mut stmt = self.conn.prepare_cached(&format!(
                "INSERT INTO {link_table} ({column}, campaign_id) VALUES (?1, ?2)"
            ))?;
            for c in wanted.as_array().into_iter().flatten() {
                stmt.execute(params![id, c.as_str()])?;
            }
        }
        if table == "record" {
            let wanted = row.get(HANDOUTS).unwrap_or(&empty);
            if insert || current.get(HANDOUTS) != Some(wanted) {
                self.conn
                    .prepare_cached(
                        "DELETE FROM stock_movement WHERE record_id = ?1 AND kind = 'handout'",
                    )?
                    .execute([id])?;
                let cols = self.columns("stock_movement")?;
                for h in wanted.as_array().into_iter().flatten() {
                    let h = h.as_object().expect("checked in prepare");
                    let mut names = Vec::new();
                    let mut values = Vec::new();
                    for c in &cols {
                        if let Some(v) = h.get(c) {
                            names.push(c.as_str());
                            values.push(
                                to_sql(v).ok_or_else(|| {
                                    self.bad_row(table, row, "的发放资料格式不对")
                                })?,
                            );
                        }
                    }
                    self.conn
                        .prepare_cached(&format!(
                            "INSERT INTO stock_movement ({}) VALUES ({})",
                            names.join(", "),
                            vec!["?"; names.len()].join(", ")
                        ))?
                        .execute(rusqlite::params_from_iter(values))
                        .map_err(|e| {
                            self.bad_row(table, row, &format!("的发放资料无法写入（{e}）"))
                        })?;
                }
            }
        }
        Ok(())
    }

    fn conflict(
        &mut self,
        table: &str,
        id: &str,
        local: Option<&Row>,
        incoming: Option<&Row>,
        winner: Keep,
        reason: Option<&str>,
    ) -> Result<()> {
        let deleted = || {
            let mut m = Row::new();
            m.insert(DELETED.into(), Value::Bool(true));
            m
        };
        let json = |r: Option<&Row>| {
            serde_json::to_string(&r.cloned().unwrap_or_else(deleted)).expect("rows serialise")
        };
        self.conn.execute(
            "INSERT INTO sync_conflict (id, entity, entity_id, local_json, incoming_json, winner,
                 created_at, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                crate::new_id(),
                table,
                id,
                json(local),
                json(incoming),
                winner.code(),
                crate::now(),
                reason
            ],
        )?;
        Ok(())
    }

    /// The file of an attachment row about to be written: already here, or from the package —
    /// its content checked as a new photo's is (the type its bytes show must be the row's, and
    /// its size), its thumbnail made here.
    fn place_file<R: Read + Seek>(
        &mut self,
        zip: &mut Archive<R>,
        sizes: &HashMap<String, u64>,
        manifest: &Manifest,
        row: &mut Row,
    ) -> Result<()> {
        let path = self.path;
        let Some(dir) = self.data_dir.clone() else {
            return Err(AppError::new(
                ErrorCode::Io,
                "没有数据文件夹，无法保存数据包中的附件",
            ));
        };
        let sha = text(row, "sha256").unwrap_or("").to_string();
        let stored = text(row, "stored").unwrap_or("").to_string();
        let target = attachment::safe_path(&dir, &stored)
            .map_err(|_| self.bad_row("attachment", row, "的存放路径不合法"))?;
        let entry = format!(
            "attachments/{}",
            stored.rsplit('/').next().unwrap_or_default()
        );
        let name = text(row, "file_name").unwrap_or("").to_string();
        let (bytes, head, size) = if target.is_file() {
            // Named by its content: checked when it came.
            let mut head = Vec::with_capacity(16);
            std::fs::File::open(&target)
                .and_then(|f| f.take(16).read_to_end(&mut head))
                .map_err(|e| io_error(&target, &e))?;
            let size = std::fs::metadata(&target)
                .map_err(|e| io_error(&target, &e))?
                .len();
            (None, head, size)
        } else {
            let (Some(&size), Some(expected)) = (sizes.get(&entry), manifest.entries.get(&entry))
            else {
                return Err(self.bad_row("attachment", row, "的文件不在数据包中"));
            };
            let bytes = read_entry(zip, path, &entry, size)?;
            let digest = hex(Sha256::digest(&bytes).as_slice());
            if &digest != expected || digest != sha {
                return Err(rejected(
                    path,
                    format!("其中的“{entry}”校验不符（文件在传输中损坏或被改动过）"),
                ));
            }
            let head = bytes[..bytes.len().min(16)].to_vec();
            (Some(bytes), head, size)
        };
        let mime = text(row, "mime").unwrap_or("");
        match attachment::kind_of(&head, &name) {
            Some((_, m)) if m == mime => {}
            _ => {
                return Err(self.bad_row(
                    "attachment",
                    row,
                    &format!(
                        "的文件内容不是它自称的类型（{}），不能作为附件",
                        crate::validate::clip(mime)
                    ),
                ))
            }
        }
        if row.get("size").and_then(Value::as_u64) != Some(size) {
            return Err(self.bad_row("attachment", row, "的大小与文件不符"));
        }
        if let Some(bytes) = &bytes {
            self.write_new(&target, bytes)?;
            self.report.files += 1;
        }
        if let Some(rel) = text(row, "thumbnail").map(str::to_string) {
            let thumb = attachment::safe_path(&dir, &rel)
                .map_err(|_| self.bad_row("attachment", row, "的缩略图路径不合法"))?;
            if !thumb.is_file() {
                let bytes = match bytes {
                    Some(b) => b,
                    None => std::fs::read(&target).map_err(|e| io_error(&target, &e))?,
                };
                match attachment::thumbnail(&bytes) {
                    Some(t) => self.write_new(&thumb, &t)?,
                    None => {
                        row.insert("thumbnail".into(), Value::Null);
                    }
                }
            }
        }
        Ok(())
    }

    /// Writes a file that is not there yet (through a temporary file beside it), remembering
    /// it and the folders made for it, to be removed if the import fails.
    fn write_new(&mut self, target: &Path, bytes: &[u8]) -> Result<()> {
        let dir = target.parent().expect("attachment paths have a folder");
        let mut missing = Vec::new();
        let mut d = dir;
        while !d.exists() {
            missing.push(d.to_path_buf());
            match d.parent() {
                Some(p) => d = p,
                None => break,
            }
        }
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
        self.made_dirs.extend(missing);
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| io_error(dir, &e))?;
        tmp.write_all(bytes).map_err(|e| io_error(target, &e))?;
        tmp.as_file().sync_all().map_err(|e| io_error(target, &e))?;
        tmp.persist(target)
            .map_err(|e| io_error(target, &e.error))?;
        self.placed.push(target.to_path_buf());
        Ok(())
    }

    fn apply(
        &mut self,
        table: &'static str,
        mut row: Row,
        file: &mut dyn FnMut(&mut Self, &mut Row) -> Result<()>,
    ) -> Result<()> {
        if let Some(town) = &self.rollup_town {
            match table {
                "town" => {
                    self.count(table, |e| e.unchanged += 1);
                    return Ok(());
                }
                "unit" | "campaign" => {
                    if let Some(Value::String(name)) = row.get("name") {
                        let named = rollup_name(table, town, name);
                        row.insert("name".into(), Value::String(named));
                    }
                }
                _ => {}
            }
        }
        let head = (text(&row, "id"), text(&row, "hlc"));
        if let (Some(id), Some(hlc)) = head {
            if self.known_version(table, id, hlc)? {
                return Ok(());
            }
        }
        let (id, hlc) = self.prepare(table, &mut row)?;
        if let Some(why) = self.waits_for_held_back(table, &row) {
            let local = read_row(self.conn, table, &id)?;
            return self.hold_back(table, &id, &hlc, local.as_ref(), Some(&row), &why);
        }
        // What arrives is checked whole before anything is decided: one bad row refuses the
        // package, whatever would have become of it.
        self.check_refs(table, &row)?;
        self.validate(table, &row)?;
        let decision = self.decide(table, &id, &hlc, &row)?;
        let changes = match &decision {
            Decision::Add | Decision::Restore => Some(None),
            Decision::Update => Some(read_row(self.conn, table, &id)?),
            Decision::IncomingWins { local } => Some(local.clone()),
            _ => None,
        };
        if let Some(before) = &changes {
            if let Some(why) = self
                .maker
                .refuses(self.conn, table, before.as_ref(), Some(&row))?
            {
                return self.hold_back(table, &id, &hlc, before.as_ref(), Some(&row), &why);
            }
        }
        match decision {
            Decision::Unchanged { fix_base } => {
                if fix_base {
                    self.conn
                        .prepare_cached(&format!(
                            "UPDATE {table} SET base_hlc = hlc WHERE id = ?1"
                        ))?
                        .execute([&id])?;
                }
                self.count(table, |e| e.unchanged += 1);
            }
            Decision::Matched(local_id) => {
                self.remap.insert((table, id), local_id);
                self.report.matched += 1;
                self.count(table, |e| e.unchanged += 1);
            }
            Decision::Add | Decision::Restore => {
                file(self, &mut row)?;
                self.write(table, &row, true)?;
                self.note(table, None, Some(&row), "create")?;
                if matches!(decision, Decision::Restore) {
                    self.drop_tombstone(table, &id)?;
                    self.count(table, |e| e.updated += 1);
                } else {
                    self.count(table, |e| e.added += 1);
                }
            }
            Decision::Update => {
                file(self, &mut row)?;
                self.write(table, &row, false)?;
                let before = changes.flatten();
                self.note(table, before.as_ref(), Some(&row), "update")?;
                self.count(table, |e| e.updated += 1);
            }
            Decision::Same { incoming_newer } => {
                let sql = if incoming_newer {
                    format!(
                        "UPDATE {table} SET hlc = ?2, base_hlc = ?2, sync_seq = ?3 WHERE id = ?1"
                    )
                } else {
                    format!("UPDATE {table} SET base_hlc = ?2, sync_seq = ?3 WHERE id = ?1")
                };
                self.conn.execute(&sql, params![id, hlc, self.seq])?;
                self.count(table, |e| e.unchanged += 1);
            }
            Decision::IncomingWins { local } => {
                file(self, &mut row)?;
                self.write(table, &row, local.is_none())?;
                if local.is_none() {
                    self.drop_tombstone(table, &id)?;
                }
                let action = if local.is_some() { "update" } else { "create" };
                self.note(table, local.as_ref(), Some(&row), action)?;
                self.conflict(table, &id, local.as_ref(), Some(&row), Keep::Incoming, None)?;
                self.count(table, |e| e.conflicts += 1);
            }
            Decision::LocalWins { local } => {
                // Ours stays; marked as edited from theirs so it travels back as an update.
                self.conn.execute(
                    &format!("UPDATE {table} SET base_hlc = ?2, sync_seq = ?3 WHERE id = ?1"),
                    params![id, hlc, self.seq],
                )?;
                self.conflict(table, &id, Some(&local), Some(&row), Keep::Local, None)?;
                self.count(table, |e| e.conflicts += 1);
            }
        }
        Ok(())
    }

    fn drop_tombstone(&self, table: &str, id: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM sync_tombstone WHERE entity = ?1 AND id = ?2")?
            .execute([table, id])?;
        Ok(())
    }

    /// An incoming deletion.
    fn apply_tombstone(&mut self, row: &Row) -> Result<()> {
        let table = match text(row, "entity").and_then(|e| TABLES.iter().find(|t| **t == e)) {
            Some(t) => *t,
            None => return Err(self.bad_row("sync", row, "删除记录的类型不对")),
        };
        let id = text(row, "id").unwrap_or("").to_string();
        let hlc = match text(row, "hlc") {
            Some(h) if sync::parse(h).is_some() && is_id(&id) => h.to_string(),
            _ => return Err(self.bad_row(table, row, "的删除记录无效")),
        };
        let base = match row.get("base_hlc") {
            None | Some(Value::Null) => None,
            Some(Value::String(b)) if sync::parse(b).is_some() => Some(b.clone()),
            _ => return Err(self.bad_row(table, row, "的删除记录无效")),
        };
        self.not_ahead(table, row, &hlc)?;
        if hlc > self.max_hlc {
            self.max_hlc = hlc.clone();
        }
        let id = self.local_id(table, &id);
        let keep_tombstone = |s: &Self| -> Result<()> {
            s.conn
                .prepare_cached(
                    "INSERT INTO sync_tombstone (entity, id, hlc, base_hlc, sync_seq)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (entity, id) DO UPDATE SET hlc = max(hlc, excluded.hlc),
                         sync_seq = excluded.sync_seq
                     WHERE excluded.hlc > hlc",
                )?
                .execute(params![table, id, hlc, base, s.seq])?;
            Ok(())
        };
        let local: Option<Option<String>> = self
            .conn
            .prepare_cached(&format!("SELECT hlc FROM {table} WHERE id = ?1"))?
            .query_row([&id], |r| r.get(0))
            .optional()?;
        match local {
            // Gone here too (or never here): keep the deletion to pass it on.
            None => {
                keep_tombstone(self)?;
                self.count(table, |e| e.unchanged += 1);
            }
            Some(lh) if lh.is_some() && lh == base => {
                let before = read_row(self.conn, table, &id)?;
                if let Some(why) = self
                    .maker
                    .refuses(self.conn, table, before.as_ref(), None)?
                {
                    return self.hold_back(table, &id, &hlc, before.as_ref(), None, &why);
                }
                // A row others still point at (a unit with records) stays: a conflict.
                match self
                    .conn
                    .execute(&format!("DELETE FROM {table} WHERE id = ?1"), [&id])
                {
                    Ok(_) => {
                        keep_tombstone(self)?;
                        self.note(table, before.as_ref(), None, "delete")?;
                        self.count(table, |e| e.deleted += 1);
                    }
                    Err(e)
                        if e.sqlite_error_code()
                            == Some(rusqlite::ErrorCode::ConstraintViolation) =>
                    {
                        self.keep_against_delete(table, &id, &hlc, before.as_ref(), row)?;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Some(_) => {
                let before = read_row(self.conn, table, &id)?;
                self.keep_against_delete(table, &id, &hlc, before.as_ref(), row)?;
            }
        }
        Ok(())
    }

    /// Deleted there, edited here since: the edited row stays, the deletion is a conflict.
    fn keep_against_delete(
        &mut self,
        table: &'static str,
        id: &str,
        hlc: &str,
        local: Option<&Row>,
        tomb: &Row,
    ) -> Result<()> {
        self.conn.execute(
            &format!("UPDATE {table} SET base_hlc = ?2, sync_seq = ?3 WHERE id = ?1"),
            params![id, hlc, self.seq],
        )?;
        let mut incoming = Row::new();
        incoming.insert(DELETED.into(), Value::Bool(true));
        incoming.insert("hlc".into(), Value::from(hlc));
        incoming.insert(
            "base_hlc".into(),
            tomb.get("base_hlc").cloned().unwrap_or(Value::Null),
        );
        self.conflict(table, id, local, Some(&incoming), Keep::Local, None)?;
        self.count(table, |e| e.conflicts += 1);
        Ok(())
    }
}

/// Imports a package into the database in one transaction: all of it or, on any problem
/// (damaged file, another town, a row that fails its checks, a cancel), nothing.
/// `progress(done, total)` in rows.
pub fn import(
    db: &mut Db,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<PackageReport> {
    import_from(db, path, &|| open_file(path), options, progress)
}

/// [`import`] of a package held in memory (`name` is only used in messages): what the fuzz
/// tests feed the reader, from the zip's directory to the rows' checks.
#[doc(hidden)]
pub fn import_bytes(
    db: &mut Db,
    name: &Path,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<PackageReport> {
    import_from(
        db,
        name,
        &|| Ok(std::io::Cursor::new(bytes)),
        options,
        &mut |_, _| true,
    )
}

fn import_from<R: Read + Seek + Send>(
    db: &mut Db,
    path: &Path,
    reader: &(dyn Fn() -> Result<R> + Sync),
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<PackageReport> {
    let (mut zip, sizes) = open(path, reader()?)?;
    let manifest = read_manifest(&mut zip, path, &sizes)?;
    let data_dir = db.data_dir.clone();
    let mut placed = Vec::new();
    let mut made_dirs = Vec::new();
    let stop = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        // The data entries' checksums are checked on a second thread while this one applies
        // their rows: inflating and hashing them all first was a fifth of a merge, with the
        // other core idle. Nothing commits before every checksum matched.
        let verifier =
            scope.spawn(|| reader().and_then(|r| verify_data(path, r, &manifest, &sizes, &stop)));
        db.with_bulk_tx(|tx| {
            let mut importer = Importer::new(tx, path, data_dir.clone());
            let r = run_import(
                &mut importer,
                &mut zip,
                &sizes,
                &manifest,
                options,
                progress,
            );
            placed = std::mem::take(&mut importer.placed);
            made_dirs = std::mem::take(&mut importer.made_dirs);
            let cancelled = matches!(&r, Err(e) if e.code == ErrorCode::Cancelled);
            if cancelled {
                stop.store(true, Ordering::Relaxed);
            }
            let verified = verifier
                .join()
                .unwrap_or_else(|_| Err(rejected(path, "其中的数据无法校验")));
            if !cancelled {
                // A damaged entry explains whatever else went wrong in reading it.
                verified?;
            }
            let report = r?;
            // The whole package passed: the data as it was is kept before it changes (read on
            // a connection of its own, which sees it without this transaction's writes).
            let changes = report.added + report.updated + report.deleted + report.conflicts;
            if changes + report.files > 0 {
                if let Some(dir) = &data_dir {
                    crate::backup::before_import(dir)?;
                }
            }
            Ok(report)
        })
    });
    if result.is_err() {
        for file in placed {
            let _ = std::fs::remove_file(file);
        }
        // Deepest first; a folder that is not empty stays.
        for dir in made_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

fn run_import<R: Read + Seek>(
    im: &mut Importer,
    zip: &mut Archive<R>,
    sizes: &HashMap<String, u64>,
    manifest: &Manifest,
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<PackageReport> {
    let conn = im.conn;
    let path = im.path;
    let adopted = match town::get_town(conn)? {
        Some(t) if t.id != manifest.town.id && town::is_county_rollup(conn)? => {
            im.rollup_town = Some(manifest.town.name.clone());
            false
        }
        Some(t) if t.id != manifest.town.id => {
            return Err(AppError::field(
                ErrorCode::FileRejected,
                "path",
                format!(
                "数据包“{}”属于“{}”，本机是“{}”的台账，不同乡镇的数据包不能导入；数据未做任何改动",
                file_name(path),
                manifest.town.name,
                t.name
            ),
            ))
        }
        Some(_) => false,
        None => true,
    };
    if adopted {
        // The town the laptop starts from: its name is checked as the set-up checks it.
        crate::validate::name("town", &manifest.town.name, 50)?;
        crate::validate::optional_line("county", Some(&manifest.town.county), 50)?;
    }
    im.maker = scope::admit(
        conn,
        manifest,
        &file_name(path),
        adopted,
        options.trust_device,
    )?;
    let made_by = manifest.maker.as_ref().expect("admitted");
    im.maker_label = made_by.label(&manifest.town.name);
    im.package_id = manifest.package_id.clone();
    im.user = town::current_user(conn)?;
    sync::set_applying(conn, true)?;
    let (_, seq) = sync::tick(conn)?;
    im.seq = seq;
    let total = manifest.counts.total();
    let mut done = 0u64;
    let mut step = |done: &mut u64| -> Result<()> {
        *done += 1;
        if (done.is_multiple_of(PROGRESS_EVERY) || *done == total) && !progress(*done, total) {
            return Err(cancelled("导入数据包"));
        }
        Ok(())
    };
    let mut no_file = |_: &mut Importer, _: &mut Row| Ok(());
    for t in TABLES {
        let name = format!("data/{t}.jsonl");
        let Some(&size) = sizes.get(&name) else {
            continue;
        };
        if t == "attachment" {
            // Their files are read from the same zip, so the rows are read first.
            let mut rows = Vec::new();
            each_line(zip, path, &name, size, &mut |line, n| {
                rows.push(parse_line(path, &name, n, line)?);
                Ok(())
            })?;
            for row in rows {
                let mut with_file =
                    |im: &mut Importer, row: &mut Row| im.place_file(zip, sizes, manifest, row);
                im.apply(t, row, &mut with_file)?;
                step(&mut done)?;
            }
            continue;
        }
        each_line(zip, path, &name, size, &mut |line, n| {
            if t != "town" {
                if let Ok(RowHead {
                    id: Some(id),
                    hlc: Some(hlc),
                }) = serde_json::from_slice::<RowHead>(line)
                {
                    if im.known_version(t, &id, &hlc)? {
                        return step(&mut done);
                    }
                }
            }
            let row = parse_line(path, &name, n, line)?;
            if t == "town" && text(&row, "id") != Some(manifest.town.id.as_str()) {
                return Err(rejected(path, "其中的乡镇与清单不符"));
            }
            im.apply(t, row, &mut no_file)?;
            step(&mut done)
        })?;
    }
    if adopted && town::get_town(conn)?.is_none() {
        let ts = crate::now();
        conn.execute(
            "INSERT INTO town (id, name, county, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![manifest.town.id, manifest.town.name, manifest.town.county, ts],
        )?;
    }
    if let Some(&size) = sizes.get(TOMBSTONES) {
        let mut tombs = Vec::new();
        each_line(zip, path, TOMBSTONES, size, &mut |line, n| {
            tombs.push(parse_line(path, TOMBSTONES, n, line)?);
            Ok(())
        })?;
        // Children before parents.
        let rank = |r: &Row| {
            let e = text(r, "entity").unwrap_or("");
            std::cmp::Reverse(TABLES.iter().position(|t| *t == e).unwrap_or(0))
        };
        tombs.sort_by_key(rank);
        for row in tombs {
            im.apply_tombstone(&row)?;
            step(&mut done)?;
        }
    }
    if !progress(total, total) {
        return Err(cancelled("导入数据包"));
    }
    im.flush_trail()?;
    let max = std::mem::take(&mut im.max_hlc);
    sync::observe(conn, &max)?;
    sync::set_applying(conn, false)?;
    if im.tallies_suspended {
        crate::reports::tally::resume(conn)?;
    }
    let mut r = std::mem::take(&mut im.report);
    r.package_id = manifest.package_id.clone();
    r.town = manifest.town.name.clone();
    r.from_device = manifest.device_id.clone();
    r.created_at = manifest.created_at.clone();
    r.adopted_town = adopted;
    r.maker = im.maker_label.clone();
    for e in im.entities.values() {
        r.added += e.added;
        r.updated += e.updated;
        r.unchanged += e.unchanged;
        r.deleted += e.deleted;
        r.conflicts += e.conflicts;
    }
    r.entities = TABLES
        .iter()
        .filter_map(|t| im.entities.get(t).cloned())
        .collect();
    let held = if r.out_of_scope > 0 {
        format!(
            "（其中 {} 处超出制作者权限，未导入，等协调员处理）",
            r.out_of_scope
        )
    } else {
        String::new()
    };
    audit::note(
        conn,
        "sync",
        &manifest.package_id,
        "import",
        &format!(
            "导入“{}”的数据包（{}）：新增 {}，更新 {}，删除 {}，冲突 {}{held}，未变 {}",
            manifest.town.name, r.maker, r.added, r.updated, r.deleted, r.conflicts, r.unchanged
        ),
    )?;
    Ok(r)
}

// ---------------------------------------------------------------------------------------
// Conflicts

fn conflict_from(r: &rusqlite::Row) -> rusqlite::Result<SyncConflict> {
    let parse = |s: Option<String>| -> Value {
        s.and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(Value::Null)
    };
    let entity: String = r.get(1)?;
    let local = parse(r.get(3)?);
    let incoming = parse(r.get(4)?);
    let deleted = |v: &Value| v.get(DELETED).and_then(Value::as_bool).unwrap_or(false);
    let title = [&local, &incoming]
        .iter()
        .filter_map(|v| v.as_object())
        .map(title_of)
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    let keep = |s: Option<String>| match s.as_deref() {
        Some("local") => Some(Keep::Local),
        Some("incoming") => Some(Keep::Incoming),
        _ => None,
    };
    Ok(SyncConflict {
        id: r.get(0)?,
        entity_label: label(&entity).into(),
        entity,
        entity_id: r.get(2)?,
        title,
        local_deleted: deleted(&local),
        incoming_deleted: deleted(&incoming),
        local,
        incoming,
        winner: keep(r.get(5)?).unwrap_or(Keep::Local),
        created_at: r.get(6)?,
        resolved_at: r.get(7)?,
        kept: keep(r.get(8)?),
        reason: r.get(9)?,
    })
}

const CONFLICT_SELECT: &str = "SELECT id, entity, entity_id, local_json, incoming_json, winner,
        created_at, resolved_at, kept, reason FROM sync_conflict";

/// The conflicts imports found: open ones first, newest first.
pub fn conflicts(conn: &Connection) -> Result<Vec<SyncConflict>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CONFLICT_SELECT} ORDER BY resolved_at IS NOT NULL, created_at DESC, rowid DESC"
    ))?;
    let rows = stmt.query_map([], conflict_from)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Settles a conflict with the version the user chose. Choosing the version not applied
/// writes it as a new local edit (so it travels on with the next package).
pub fn resolve(db: &mut Db, conflict_id: &str, keep: Keep) -> Result<SyncConflict> {
    db.with_tx(|tx| {
        let c = tx
            .query_row(
                &format!("{CONFLICT_SELECT} WHERE id = ?1"),
                [conflict_id],
                conflict_from,
            )
            .optional()?
            .ok_or_else(|| AppError::not_found("同步冲突", conflict_id))?;
        if c.resolved_at.is_some() {
            return Err(AppError::new(
                ErrorCode::InvalidValue,
                "这个冲突已经处理过了",
            ));
        }
        let Some(table) = TABLES.iter().find(|t| **t == c.entity).copied() else {
            return Err(AppError::new(ErrorCode::InvalidValue, "不能同步的数据类型"));
        };
        let version = |v: &Value| {
            v.get("hlc")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        // What the other side holds now: the winner there too.
        let shared = version(&c.local).max(version(&c.incoming));
        if keep != c.winner {
            let (chosen, chosen_deleted) = match keep {
                Keep::Local => (&c.local, c.local_deleted),
                Keep::Incoming => (&c.incoming, c.incoming_deleted),
            };
            if chosen_deleted {
                // Deleting as a local edit leaves a tombstone that travels.
                tx.execute(
                    &format!("DELETE FROM {table} WHERE id = ?1"),
                    [&c.entity_id],
                )
                .map_err(|e| match e.sqlite_error_code() {
                    Some(rusqlite::ErrorCode::ConstraintViolation) => AppError::new(
                        ErrorCode::Locked,
                        format!("{}“{}”仍被其他数据使用，不能删除", label(table), c.title),
                    ),
                    _ => e.into(),
                })?;
            } else {
                let row = chosen.as_object().cloned().unwrap_or_default();
                sync::set_applying(tx, true)?;
                let mut im = Importer::new(tx, Path::new(""), None);
                let exists = im.exists(table, &c.entity_id)?;
                // The version chosen passes the checks typed input gets, as on import.
                crate::stored::check(tx, table, &row).map_err(|e| AppError {
                    message: format!(
                        "{}“{}”的这个版本不能保存：{}",
                        label(table),
                        c.title,
                        e.message
                    ),
                    ..e
                })?;
                im.check_refs(table, &row).map_err(|_| {
                    AppError::new(
                        ErrorCode::NotFound,
                        format!(
                            "{}“{}”用到的数据已被删除，不能恢复这个版本",
                            label(table),
                            c.title
                        ),
                    )
                })?;
                im.write(table, &row, !exists)?;
                sync::set_applying(tx, false)?;
                sync::touch(tx, table, &c.entity_id)?;
                tx.execute(
                    &format!("UPDATE {table} SET base_hlc = ?2 WHERE id = ?1"),
                    params![c.entity_id, shared],
                )?;
                tx.execute(
                    "DELETE FROM sync_tombstone WHERE entity = ?1 AND id = ?2",
                    params![table, c.entity_id],
                )?;
            }
        }
        tx.execute(
            "UPDATE sync_conflict SET resolved_at = ?2, kept = ?3 WHERE id = ?1",
            params![conflict_id, crate::now(), keep.code()],
        )?;
        audit::note(
            tx,
            table,
            &c.entity_id,
            "resolve",
            &format!(
                "处理同步冲突：{}“{}”保留{}",
                label(table),
                c.title,
                match keep {
                    Keep::Local => "本机的版本",
                    Keep::Incoming => "数据包中的版本",
                }
            ),
        )?;
        Ok(())
    })?;
    db.conn
        .query_row(
            &format!("{CONFLICT_SELECT} WHERE id = ?1"),
            [conflict_id],
            conflict_from,
        )
        .map_err(Into::into)
}

#[cfg(test)]
mod tests;
