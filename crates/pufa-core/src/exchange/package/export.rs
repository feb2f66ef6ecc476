//! Writing a package of a scope.
use super::*;

/// The rows of `table` in a scope: `?1` = changes after this number, `?2` = the village id.
pub(super) fn scope_filter(table: &str) -> &'static str {
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
pub(super) struct Entry<'z, W: Write + Seek> {
    pub(super) zip: &'z mut ZipWriter<W>,
    pub(super) hash: Sha256,
}

impl<W: Write + Seek> Entry<'_, W> {
    pub(super) fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.hash.update(bytes);
        self.zip.write_all(bytes)
    }
}

pub(super) fn zip_error(path: &Path, e: zip::result::ZipError) -> AppError {
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

pub(super) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
