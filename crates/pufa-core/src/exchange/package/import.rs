//! An import as a whole: one transaction, checksums checked beside it, all or nothing.
use super::*;

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

pub(super) fn import_from<R: Read + Seek + Send>(
    db: &mut Db,
    path: &Path,
    reader: &(dyn Fn() -> Result<R> + Sync),
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<PackageReport> {
    let (mut zip, sizes) = open(path, reader()?)?;
    let manifest = read_manifest(&mut zip, path, &sizes)?;
    let data_dir = db.data_dir.clone();
    let backup = crate::backup::ImportBackup::begin(data_dir.as_deref())?;
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
            if let (true, Some(backup)) = (changes + report.files > 0, backup) {
                backup.keep()?;
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

pub(super) fn run_import<R: Read + Seek>(
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
            )
            .with("reason", "other_town")
            .with("file", file_name(path))
            .with("town", manifest.town.name.as_str())
            .with("here", t.name.as_str()))
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
