//! Reading a package: the zip checked entry by entry, the manifest, checksums, JSON lines.
use super::*;

/// Why an entry name is unsafe, if it is: it must stay inside the package's folder.
pub(super) fn unsafe_name(name: &str) -> Option<&'static str> {
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
pub(super) fn known_name(name: &str) -> bool {
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
pub(super) fn open_file(path: &Path) -> Result<BufReader<std::fs::File>> {
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
pub(super) type Archive<R> = ZipArchive<R>;

/// Opens the zip and checks every entry's name, kind and declared size before inflating
/// anything: only regular files (no links, folders or device entries) under known names.
pub(super) fn open<R: Read + Seek>(
    path: &Path,
    reader: R,
) -> Result<(Archive<R>, HashMap<String, u64>)> {
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
pub(super) fn read_entry<R: Read + Seek>(
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
pub(super) fn verify_data<R: Read + Seek>(
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
pub(super) fn verify_entry<R: Read + Seek>(
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

pub(super) fn read_manifest<R: Read + Seek>(
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
pub(super) fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

/// What the manifest says that is shown or kept (ids, the town's and the maker's names) passes
/// the checks typed input gets.
pub(super) fn check_manifest(m: &Manifest) -> Result<()> {
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
pub(super) fn each_line<R: Read + Seek>(
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
pub(super) fn parse_line(path: &Path, name: &str, n: usize, line: &[u8]) -> Result<Row> {
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
pub(super) struct RowHead<'a> {
    #[serde(borrow)]
    pub(super) id: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) hlc: Option<std::borrow::Cow<'a, str>>,
}
