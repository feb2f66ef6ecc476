//! Attachments of activity records — photos, 签到表, 方案 — copied into the data folder under
//! a name made only from their SHA-256 (so a file named `../../x` or holding a NUL can never
//! choose where it lands), stored once however often attached, with a small thumbnail.

use crate::audit;
use crate::db::{Db, ATTACHMENTS_DIR};
use crate::error::{AppError, ErrorCode, Result};
use crate::{new_id, now, validate};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use ts_rs::TS;

pub const MAX_BYTES: u64 = 50 * 1024 * 1024;
const THUMB_PX: u32 = 320;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Attachment {
    pub id: String,
    pub record_id: String,
    /// photo | sign_in | plan | other.
    pub kind: String,
    /// The name the file had, for display.
    pub file_name: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub size: i64,
    pub mime: String,
    /// Path relative to the data folder.
    pub stored: String,
    pub thumbnail: Option<String>,
    pub created_at: String,
}

const KINDS: &[&str] = &["photo", "sign_in", "plan", "other"];

/// What the bytes are, by their signature (the name's extension only tells Office formats
/// apart). None = not something we keep.
fn sniff(head: &[u8], name: &str) -> Option<(&'static str, &'static str)> {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match head {
        [0xFF, 0xD8, 0xFF, ..] => Some(("jpg", "image/jpeg")),
        [0x89, b'P', b'N', b'G', ..] => Some(("png", "image/png")),
        [b'G', b'I', b'F', b'8', ..] => Some(("gif", "image/gif")),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => {
            Some(("webp", "image/webp"))
        }
        [b'%', b'P', b'D', b'F', ..] => Some(("pdf", "application/pdf")),
        [b'P', b'K', 3, 4, ..] => match ext.as_str() {
            "docx" => Some((
                "docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )),
            "xlsx" => Some((
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )),
            "pptx" => Some((
                "pptx",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            )),
            _ => None,
        },
        [0xD0, 0xCF, 0x11, 0xE0, ..] => match ext.as_str() {
            "doc" => Some(("doc", "application/msword")),
            "xls" => Some(("xls", "application/vnd.ms-excel")),
            "ppt" => Some(("ppt", "application/vnd.ms-powerpoint")),
            _ => None,
        },
        _ => None,
    }
}

/// A display name: the last path component, without control characters or the invisible ones
/// that would show it as another name ("photo\u{202E}gpj.exe" as "photoexe.jpg"), at most 100
/// chars.
fn display_name(path: &Path) -> String {
    let raw = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    // A name from another system may carry either separator.
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("").to_string();
    let clean: String = last
        .chars()
        .filter(|c| {
            !c.is_control() && !validate::is_bidi_control(*c) && !validate::is_zero_width(*c)
        })
        .take(100)
        .collect();
    if clean.trim().is_empty() {
        "附件".to_string()
    } else {
        clean
    }
}

/// An attachment refused; `reason` ("too_large", "not_a_file", "file_type", "size") and the
/// file's name are the params the window words it from in English.
fn rejected(reason: &str, file: &str, message: String) -> AppError {
    AppError::field(ErrorCode::FileRejected, "attachment", message)
        .with("reason", reason)
        .with("file", file)
}

fn data_dir(db: &Db) -> Result<&Path> {
    db.data_dir
        .as_deref()
        .ok_or_else(|| AppError::new(ErrorCode::Io, "没有数据文件夹，无法保存附件"))
}

/// Writes `bytes` to `target` through a temporary file in the same folder.
fn write_atomic(target: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = target.parent().expect("attachment paths have a folder");
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| AppError::from(e.error))?;
    Ok(())
}

pub(crate) fn thumbnail(bytes: &[u8]) -> Option<Vec<u8>> {
    let img = image::load_from_memory(bytes).ok()?;
    let thumb = img.thumbnail(THUMB_PX, THUMB_PX).to_rgb8();
    let mut out = std::io::Cursor::new(Vec::new());
    thumb.write_to(&mut out, image::ImageFormat::Jpeg).ok()?;
    Some(out.into_inner())
}

/// Where the app keeps a file of this content and type: made from the hash only.
pub(crate) fn stored_path(sha: &str, ext: &str) -> String {
    format!("{ATTACHMENTS_DIR}/{}/{sha}.{ext}", &sha[..2])
}

/// Where the app keeps the thumbnail of a picture of this content.
pub(crate) fn thumbnail_path(sha: &str) -> String {
    format!("{ATTACHMENTS_DIR}/thumbs/{sha}.jpg")
}

/// The extension the app gives a file of this type (None: a type it does not keep).
fn extension_of(mime: &str) -> Option<&'static str> {
    const TYPES: &[(&str, &str)] = &[
        ("image/jpeg", "jpg"),
        ("image/png", "png"),
        ("image/gif", "gif"),
        ("image/webp", "webp"),
        ("application/pdf", "pdf"),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        (
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "pptx",
        ),
        ("application/msword", "doc"),
        ("application/vnd.ms-excel", "xls"),
        ("application/vnd.ms-powerpoint", "ppt"),
    ];
    TYPES.iter().find(|(m, _)| *m == mime).map(|(_, e)| *e)
}

/// Where a file of this hash and type is kept, and its thumbnail's place for a picture: made
/// by the app from the hash alone (None for a hash or type it does not keep).
pub(crate) fn paths_of(sha: &str, mime: &str) -> Option<(String, Option<String>)> {
    if !is_sha256(sha) {
        return None;
    }
    let ext = extension_of(mime)?;
    let thumb = mime.starts_with("image/").then(|| thumbnail_path(sha));
    Some((stored_path(sha, ext), thumb))
}

/// A lower-case SHA-256 in hex.
pub(crate) fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// An attachment row from a package or a backup: a kind, display name, hash, size and type as
/// [`add`] writes them, and the stored and thumbnail paths the app itself would make of the
/// hash (never a path the row chose).
pub(crate) fn check_stored(s: &crate::stored::Stored) -> Result<()> {
    let kind = s.text("kind")?;
    if !KINDS.contains(&kind) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "kind",
            format!("附件类型“{}”无效", validate::clip(kind)),
        ));
    }
    let name = s.text("file_name")?;
    s.same("file_name", display_name(Path::new(name)))?;
    let sha = s.text("sha256")?;
    if !is_sha256(sha) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "sha256",
            format!("附件的校验值“{}”无效", validate::clip(sha)),
        ));
    }
    let size = s.int("size")?;
    if !(1..=MAX_BYTES as i64).contains(&size) {
        return Err(rejected(
            "size",
            &validate::clip(name),
            format!(
                "附件“{}”的大小 {size} 字节无效（应在 1 字节到 50 MB 之间）",
                validate::clip(name)
            ),
        ));
    }
    let mime = s.text("mime")?;
    let Some(ext) = extension_of(mime) else {
        return Err(rejected(
            "file_type",
            &validate::clip(name),
            format!(
                "附件“{}”的类型“{}”不是照片、PDF 或 Office 文件",
                validate::clip(name),
                validate::clip(mime)
            ),
        ));
    };
    s.same("stored", stored_path(sha, ext))?;
    match s.opt_text("thumbnail")? {
        None => Ok(()),
        Some(_) if mime.starts_with("image/") => s.same("thumbnail", thumbnail_path(sha)),
        Some(_) => s.same("thumbnail", serde_json::Value::Null),
    }
}

/// What a file's bytes are, as [`add`] tells: (extension, type), None for what we do not keep.
pub(crate) fn kind_of(bytes: &[u8], name: &str) -> Option<(&'static str, &'static str)> {
    sniff(&bytes[..bytes.len().min(16)], name)
}

const SELECT: &str = "SELECT id, record_id, kind, file_name, sha256, size, mime, stored, thumbnail,
        created_at FROM attachment";

fn from_row(r: &Row) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(0)?,
        record_id: r.get(1)?,
        kind: r.get(2)?,
        file_name: r.get(3)?,
        sha256: r.get(4)?,
        size: r.get(5)?,
        mime: r.get(6)?,
        stored: r.get(7)?,
        thumbnail: r.get(8)?,
        created_at: r.get(9)?,
    })
}

pub fn list(conn: &Connection, record_id: &str) -> Result<Vec<Attachment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE record_id = ?1 ORDER BY created_at"
    ))?;
    let rows = stmt.query_map([record_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn get(conn: &Connection, id: &str) -> Result<Attachment> {
    conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| AppError::not_found("附件", id))
}

/// Copies a file into the data folder and attaches it to a record.
pub fn add(db: &mut Db, record_id: &str, source: &Path, kind: &str) -> Result<Attachment> {
    if !KINDS.contains(&kind) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "kind",
            format!(
                "附件类型“{}”无效，可选：photo、sign_in、plan、other",
                validate::clip(kind)
            ),
        ));
    }
    crate::record::get(&db.conn, record_id)?;
    let meta = std::fs::metadata(source).map_err(|e| {
        AppError::field(
            ErrorCode::NotFound,
            "attachment",
            format!("找不到文件“{}”：{e}", source.display()),
        )
    })?;
    if !meta.is_file() {
        return Err(rejected(
            "not_a_file",
            &display_name(source),
            format!("“{}”不是文件", source.display()),
        ));
    }
    if meta.len() > MAX_BYTES {
        let mb = format!("{:.1}", meta.len() as f64 / 1024.0 / 1024.0);
        return Err(rejected(
            "too_large",
            &display_name(source),
            format!(
                "“{}”有 {mb} MB，超过 50 MB；请压缩后再添加",
                display_name(source)
            ),
        )
        .with("size_mb", mb)
        .with("max_mb", 50));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(source)?
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)?;
    let name = display_name(source);
    let Some((ext, mime)) = sniff(&bytes[..bytes.len().min(16)], &name) else {
        return Err(rejected(
            "file_type",
            &name,
            format!("“{name}”不是照片（JPG、PNG、GIF、WEBP）、PDF 或 Office 文件，不能作为附件"),
        ));
    };
    let sha = format!("{:x}", Sha256::digest(&bytes));
    let dir = data_dir(db)?.to_path_buf();
    let stored = stored_path(&sha, ext);
    let target = dir.join(&stored);
    // The same content is stored once.
    if !target.is_file() {
        write_atomic(&target, &bytes)?;
    }
    let thumb = if mime.starts_with("image/") {
        let rel = thumbnail_path(&sha);
        let path = dir.join(&rel);
        if path.is_file() {
            Some(rel)
        } else {
            match thumbnail(&bytes) {
                Some(t) => {
                    write_atomic(&path, &t)?;
                    Some(rel)
                }
                None => None,
            }
        }
    } else {
        None
    };
    let id =
        db.with_tx(|tx| {
            let id = new_id();
            tx.execute(
            "INSERT INTO attachment (id, record_id, kind, file_name, sha256, size, mime, stored,
                 thumbnail, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![id, record_id, kind, name, sha, bytes.len() as i64, mime, stored, thumb, now()],
        )?;
            let a = get(tx, &id)?;
            audit::log(
                tx,
                "record",
                record_id,
                "attach",
                &format!("添加附件“{name}”"),
                None::<&()>,
                Some(&a),
            )?;
            Ok(id)
        })?;
    get(&db.conn, &id)
}

/// Detaches a file; a stored file (the content, its thumbnail) goes only when no attachment
/// left names it, as its file or as its thumbnail — whatever the row said, another record's
/// photo is never removed with it.
pub fn remove(db: &mut Db, id: &str) -> Result<()> {
    let a = get(&db.conn, id)?;
    let unused = db.with_tx(|tx| {
        tx.execute("DELETE FROM attachment WHERE id = ?1", [id])?;
        audit::log(
            tx,
            "record",
            &a.record_id,
            "detach",
            &format!("删除附件“{}”", a.file_name),
            Some(&a),
            None::<&()>,
        )?;
        let mut unused = Vec::new();
        for rel in std::iter::once(&a.stored).chain(a.thumbnail.as_ref()) {
            let users: i64 = tx
                .prepare_cached(
                    "SELECT count(*) FROM attachment WHERE stored = ?1 OR thumbnail = ?1",
                )?
                .query_row([rel], |r| r.get(0))?;
            if users == 0 && !unused.contains(rel) {
                unused.push(rel.clone());
            }
        }
        Ok(unused)
    })?;
    if !unused.is_empty() {
        let dir = data_dir(db)?;
        for rel in &unused {
            let path = safe_path(dir, rel)?;
            let _ = std::fs::remove_file(path);
        }
    }
    Ok(())
}

/// A picture's thumbnail as a `data:` URL the window can show (None for other files, or when
/// the thumbnail file has gone). Small (≤ 10 KB or so), so it travels well over IPC.
pub fn thumbnail_data_url(db: &Db, id: &str) -> Result<Option<String>> {
    use base64::Engine;
    let a = get(&db.conn, id)?;
    let (Some(rel), Some(dir)) = (a.thumbnail.as_deref(), db.data_dir.as_deref()) else {
        return Ok(None);
    };
    match std::fs::read(safe_path(dir, rel)?) {
        Ok(bytes) => Ok(Some(format!(
            "data:image/jpeg;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The absolute path of a stored file, refusing anything that would leave the data folder.
pub fn safe_path(data_dir: &Path, rel: &str) -> Result<PathBuf> {
    let ok = rel.starts_with(&format!("{ATTACHMENTS_DIR}/"))
        && rel
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '.' || c == '_')
        && !rel.split('/').any(|part| part == ".." || part.is_empty());
    if !ok {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "attachment",
            "附件路径不合法",
        ));
    }
    Ok(data_dir.join(rel))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{self, RecordInput};
    use crate::town::{setup, SetupInput};

    fn png() -> Vec<u8> {
        let img = image::RgbImage::from_fn(640, 480, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn setup_db() -> (tempfile::TempDir, Db, String) {
        let tmp = tempfile::tempdir().unwrap();
        let mut db = Db::open_dir(&tmp.path().join("data")).unwrap();
        setup(
            &mut db,
            &SetupInput {
                town: "双龙镇".into(),
                villages: vec!["安静村".into()],
                ..Default::default()
            },
        )
        .unwrap();
        let r = record::create(
            &mut db,
            &RecordInput {
                title: "宪法进院坝".into(),
                date: "2026-11-20".into(),
                unit_id: Some("安静村".into()),
                formats: vec!["院坝会".into()],
                participants: 30.0,
                recorder: "王".into(),
                ..Default::default()
            },
        )
        .unwrap();
        (tmp, db, r.id)
    }

    #[test]
    fn photos_are_copied_once_with_a_thumbnail() {
        let (tmp, mut db, record) = setup_db();
        let src = tmp.path().join("现场照片.png");
        std::fs::write(&src, png()).unwrap();
        let a = add(&mut db, &record, &src, "photo").unwrap();
        assert_eq!(a.file_name, "现场照片.png");
        assert_eq!(a.mime, "image/png");
        let data = tmp.path().join("data");
        assert!(data.join(&a.stored).is_file());
        let thumb = image::open(data.join(a.thumbnail.as_ref().unwrap())).unwrap();
        assert!(thumb.width() <= THUMB_PX && thumb.height() <= THUMB_PX);
        // The window gets it as a data: URL that decodes to the same JPEG.
        let url = thumbnail_data_url(&db, &a.id).unwrap().unwrap();
        let b64 = url.strip_prefix("data:image/jpeg;base64,").unwrap();
        use base64::Engine;
        let jpeg = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        assert_eq!(
            jpeg,
            std::fs::read(data.join(a.thumbnail.as_ref().unwrap())).unwrap()
        );
        // The same bytes under another name: one stored copy.
        let copy = tmp.path().join("副本.png");
        std::fs::copy(&src, &copy).unwrap();
        let b = add(&mut db, &record, &copy, "photo").unwrap();
        assert_eq!(a.stored, b.stored);
        let files = std::fs::read_dir(data.join(ATTACHMENTS_DIR).join(&a.sha256[..2]))
            .unwrap()
            .count();
        assert_eq!(files, 1);
        // Removing one keeps the file for the other; removing both deletes it.
        remove(&mut db, &a.id).unwrap();
        assert!(data.join(&b.stored).is_file());
        remove(&mut db, &b.id).unwrap();
        assert!(!data.join(&b.stored).exists());
        assert!(list(&db.conn, &record).unwrap().is_empty());
    }

    #[test]
    fn removing_an_attachment_keeps_files_another_one_names() {
        let (tmp, mut db, record) = setup_db();
        let src = tmp.path().join("现场照片.png");
        std::fs::write(&src, png()).unwrap();
        let photo = add(&mut db, &record, &src, "photo").unwrap();
        let pdf = tmp.path().join("方案.pdf");
        std::fs::write(&pdf, b"%PDF-1.4 plan").unwrap();
        let plan = add(&mut db, &record, &pdf, "plan").unwrap();
        // A row (as an older version let a package bring in) whose thumbnail is the photo.
        db.conn
            .execute(
                "UPDATE attachment SET thumbnail = ?1 WHERE id = ?2",
                [&photo.stored, &plan.id],
            )
            .unwrap();
        remove(&mut db, &plan.id).unwrap();
        let data = tmp.path().join("data");
        assert!(data.join(&photo.stored).is_file(), "the photo stays");
        assert!(!data.join(&plan.stored).exists(), "its own file goes");
        remove(&mut db, &photo.id).unwrap();
        assert!(!data.join(&photo.stored).exists());
        assert!(!data.join(photo.thumbnail.unwrap()).exists());
    }

    #[test]
    fn hostile_names_cannot_escape_the_data_folder() {
        let (tmp, mut db, record) = setup_db();
        let outside = tmp.path().join("sub");
        std::fs::create_dir(&outside).unwrap();
        for name in ["..\\..\\x.png", "a\u{0}b.png", "..%2F..%2Fx.png"] {
            let src = outside.join(name.replace('\u{0}', "_"));
            std::fs::write(&src, png()).unwrap();
            let a = add(&mut db, &record, &src, "photo").unwrap();
            assert!(a.stored.starts_with("attachments/"), "{}", a.stored);
            assert!(!a.stored.contains(".."), "{}", a.stored);
            assert!(
                !a.file_name.contains('\\') && !a.file_name.contains('/'),
                "{}",
                a.file_name
            );
            assert!(tmp
                .path()
                .join("data")
                .join(&a.stored)
                .starts_with(tmp.path().join("data")));
        }
        assert!(!tmp.path().join("x.png").exists());
        assert_eq!(display_name(Path::new("a\u{0}b.png")), "ab.png");
        assert_eq!(
            display_name(Path::new("photo\u{202E}gpj.exe\u{200B}")),
            "photogpj.exe"
        );
        for bad in [
            "attachments/../../etc/passwd",
            "/etc/passwd",
            "attachments//x",
            "attachments/a\u{0}",
        ] {
            assert!(safe_path(tmp.path(), bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn large_or_unknown_files_are_refused() {
        let (tmp, mut db, record) = setup_db();
        let exe = tmp.path().join("病毒.exe");
        std::fs::write(&exe, b"MZ\x90\x00 not an image").unwrap();
        let e = add(&mut db, &record, &exe, "photo").unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::FileRejected, Some("attachment"))
        );
        assert_eq!(e.params["reason"], "file_type");
        assert_eq!(e.params["file"], "病毒.exe");
        let fake = tmp.path().join("假照片.jpg");
        std::fs::write(&fake, b"hello").unwrap();
        assert_eq!(
            add(&mut db, &record, &fake, "photo").unwrap_err().code,
            ErrorCode::FileRejected
        );
        let big = tmp.path().join("大.pdf");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_BYTES + 1).unwrap();
        let e = add(&mut db, &record, &big, "plan").unwrap_err();
        assert!(e.message.contains("超过 50 MB"), "{}", e.message);
        let pdf = tmp.path().join("方案.pdf");
        std::fs::write(&pdf, b"%PDF-1.4\n%test").unwrap();
        let a = add(&mut db, &record, &pdf, "plan").unwrap();
        assert_eq!(
            (a.mime.as_str(), a.thumbnail.is_none()),
            ("application/pdf", true)
        );
        assert_eq!(list(&db.conn, &record).unwrap().len(), 1);
    }
}
