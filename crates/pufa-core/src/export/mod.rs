//! Files for the world outside the app: the plan as an iCalendar file (`ics`) for phone and
//! desktop calendars, the 年度普法工作计划表 as an Excel workbook (`plan_xlsx`), the 台账 as
//! Excel or CSV (`ledger`), the whole audit trail (`audit_xlsx`) and the leaders' Word reports in
//! 公文 format (`report_docx`).
//!
//! Every file is written through [`write_atomic`]: into a temporary file in the target's folder,
//! then renamed over the target, so a failed export never leaves half a file and never destroys
//! the file that was there before.

#[cfg(test)]
mod agreement_tests;
pub mod audit_xlsx;
#[cfg(test)]
mod fixture;
pub mod ics;
pub mod ledger;
pub mod photos_zip;
pub mod pivot_xlsx;
pub mod plan_xlsx;
pub mod report_docx;

use crate::error::{AppError, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io;
use std::path::Path;
use ts_rs::TS;

/// What an export wrote: the file and how many records it holds (events for a calendar,
/// activity rows for a plan table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Exported {
    pub path: String,
    pub count: u32,
}

/// Writes a file atomically: `write` fills a temporary file created in the target's folder,
/// which is then flushed to disk and renamed over `path`. If `write` (or anything else) fails,
/// the temporary file is removed and an existing file at `path` is left untouched.
///
/// Errors name the field `path`, with a Chinese message a coordinator can act on (the folder
/// does not exist, no permission, the file is open in Excel/WPS, the disk is full).
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    let folder = check_target(path)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".pufa-export-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|e| io_error(path, &e))?;
    write(tmp.as_file_mut())?;
    keep_permissions(path, tmp.as_file());
    tmp.as_file().sync_all().map_err(|e| io_error(path, &e))?;
    // On failure the PersistError owns the temporary file, which is deleted when dropped.
    tmp.persist(path).map_err(|e| io_error(path, &e.error))?;
    sync_folder(folder);
    Ok(())
}

/// Checks the target before anything is written; returns the folder the file goes into.
fn check_target(path: &Path) -> Result<&Path> {
    if path.as_os_str().is_empty() {
        return Err(AppError::field(
            ErrorCode::Required,
            "path",
            "请选择导出文件的保存位置",
        ));
    }
    let shown = path.display();
    if path.is_dir() {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "path",
            format!("“{shown}”是一个文件夹，请在后面加上文件名"),
        ));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        let why = if folder.exists() {
            format!("“{}”不是文件夹", folder.display())
        } else {
            format!("文件夹“{}”不存在", folder.display())
        };
        return Err(AppError::field(
            ErrorCode::Io,
            "path",
            format!("无法写入“{shown}”：{why}"),
        ));
    }
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().readonly() {
            return Err(AppError::field(
                ErrorCode::Io,
                "path",
                format!("无法写入“{shown}”：这是一个只读文件，请换一个文件名或先取消只读"),
            ));
        }
    }
    Ok(folder)
}

/// The replaced file keeps its permissions; a new file gets the usual ones (not the 0600 of a
/// temporary file).
fn keep_permissions(path: &Path, tmp: &File) {
    let permissions = match std::fs::metadata(path) {
        Ok(meta) => meta.permissions(),
        Err(_) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::Permissions::from_mode(0o644)
            }
            #[cfg(not(unix))]
            {
                return;
            }
        }
    };
    // Best effort: the export itself does not depend on it.
    let _ = tmp.set_permissions(permissions);
}

/// Makes the rename durable (POSIX); nothing to do elsewhere.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

/// A CSV cell as text a spreadsheet will not run: one starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return gets a leading apostrophe, as OWASP advises against CSV injection
/// (Excel, WPS and LibreOffice read `=HYPERLINK(…)` or `=cmd|…` in a CSV file as a formula).
/// Every cell of every CSV export goes through here.
pub fn csv_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// An Excel library error, in Chinese.
pub(crate) fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::new(ErrorCode::Io, format!("生成 Excel 文件失败：{e}"))
}

/// The header cells of every workbook we write: 黑体, bold, centred, wrapped, bordered, grey.
pub(crate) fn header_format() -> rust_xlsxwriter::Format {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};
    Format::new()
        .set_bold()
        .set_font_name("黑体")
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_background_color("#F2F2F2")
}

/// Saves a workbook to `path` through [`write_atomic`]: the old file stays until the new one is
/// whole; an I/O failure is named as [`io_error`] names it.
pub(crate) fn save_xlsx(path: &Path, workbook: &mut rust_xlsxwriter::Workbook) -> Result<()> {
    // Deflate level 3, as Excel 365 saves: a 100,000-row 台账 compresses in about half the time
    // of the default 6 for a file about a tenth bigger.
    workbook.set_zip_compression_level(3);
    write_atomic(path, |f| {
        workbook.save_to_writer(f).map_err(|e| match e {
            rust_xlsxwriter::XlsxError::IoError(io) => io_error(path, &io),
            other => xlsx_error(other),
        })
    })
}

/// What a coordinator reads when Excel, WPS or another program holds the target open.
pub const HELD_OPEN: &str = "文件正在被其他程序打开，请关闭后重试";

/// Whether writing `path` failed because another program holds it open without sharing it:
/// on Windows a sharing or lock violation (errors 32 and 33), or an "access denied" from the
/// rename over a file that Excel or WPS has open — told apart from a real lack of permission
/// by trying to open the file exclusively. Elsewhere an open file never stops a rename.
pub(crate) fn held_open(path: &Path, e: &io::Error) -> bool {
    #[cfg(windows)]
    {
        const ERROR_SHARING_VIOLATION: i32 = 32;
        const ERROR_LOCK_VIOLATION: i32 = 33;
        let violation = |e: &io::Error| {
            matches!(
                e.raw_os_error(),
                Some(ERROR_SHARING_VIOLATION | ERROR_LOCK_VIOLATION)
            )
        };
        if violation(e) {
            return true;
        }
        if e.kind() == io::ErrorKind::PermissionDenied && path.is_file() {
            use std::os::windows::fs::OpenOptionsExt;
            // Share nothing: fails with a sharing violation while anyone else has it open.
            let probe = std::fs::OpenOptions::new()
                .read(true)
                .share_mode(0)
                .open(path);
            return probe.err().is_some_and(|e| violation(&e));
        }
        false
    }
    #[cfg(not(windows))]
    {
        let _ = (path, e);
        false
    }
}

/// An I/O error while exporting to `path`, in words a coordinator can act on.
pub(crate) fn io_error(path: &Path, e: &io::Error) -> AppError {
    let why = match e.kind() {
        _ if held_open(path, e) => {
            format!("{HELD_OPEN}（例如在 Excel 或 WPS 中打开的这个文件）")
        }
        io::ErrorKind::NotFound => "文件夹不存在".to_string(),
        io::ErrorKind::PermissionDenied => {
            "没有权限（如果文件正在 Excel、WPS 等程序中打开，请先关闭它）".to_string()
        }
        io::ErrorKind::StorageFull => "磁盘已满，请清理磁盘后重试".to_string(),
        io::ErrorKind::ReadOnlyFilesystem => "磁盘或U盘是只读的".to_string(),
        _ => e.to_string(),
    };
    AppError::field(
        ErrorCode::Io,
        "path",
        format!("无法写入“{}”：{why}", path.display()),
    )
}

// Dates in Chinese live below the reports and exports that both write them.
pub(crate) use crate::cn_date::{full_date_cn, iso_date, month_day_cn, range_cn, weekday_cn};

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn files_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("计划.txt");
        write_atomic(&path, |f| Ok(f.write_all("宪法宣传周".as_bytes())?)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "宪法宣传周");
        assert_eq!(files_in(dir.path()), ["计划.txt"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(
                mode, 0o644,
                "a new export is not left with the 0600 of a temp file"
            );
        }
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_removes_the_half_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.xlsx");
        std::fs::write(&path, "old plan").unwrap();
        let e = write_atomic(&path, |f| {
            f.write_all(b"half a new pl")?;
            Err(AppError::new(ErrorCode::Io, "生成失败"))
        })
        .unwrap_err();
        assert_eq!(e.message, "生成失败");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old plan");
        assert_eq!(files_in(dir.path()), ["plan.xlsx"]);
    }

    #[test]
    fn replaces_an_existing_file_completely() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.ics");
        std::fs::write(&path, "a much longer old content than the new one").unwrap();
        write_atomic(&path, |f| Ok(f.write_all(b"new")?)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(files_in(dir.path()), ["plan.ics"]);
    }

    #[test]
    fn a_missing_folder_is_refused_with_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("没有这个文件夹").join("plan.ics");
        let mut called = false;
        let e = write_atomic(&path, |_| {
            called = true;
            Ok(())
        })
        .unwrap_err();
        assert!(
            !called,
            "nothing is generated for a target that cannot be written"
        );
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::Io, Some("path")));
        assert!(e.message.contains("不存在"), "{}", e.message);
        assert!(e.message.contains("没有这个文件夹"), "{}", e.message);
        assert!(e.message.starts_with("无法写入“"), "{}", e.message);
        assert_eq!(files_in(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_folder_or_an_empty_path_is_not_a_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(dir.path(), |_| Ok(())).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidValue, Some("path"))
        );
        assert!(e.message.contains("文件夹"), "{}", e.message);
        let e = write_atomic(Path::new(""), |_| Ok(())).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::Required, Some("path"))
        );
    }

    #[test]
    fn a_read_only_file_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.xlsx");
        std::fs::write(&path, "old").unwrap();
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms.clone()).unwrap();
        let e = write_atomic(&path, |f| Ok(f.write_all(b"new")?)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("path"));
        assert!(e.message.contains("只读"), "{}", e.message);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&path, perms).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_without_write_permission_gives_a_permission_message() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
        // root ignores permissions: then there is nothing to test.
        let root = std::fs::write(locked.join("probe"), b"x").is_ok();
        if !root {
            let e = write_atomic(&locked.join("plan.ics"), |_| Ok(())).unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), (ErrorCode::Io, Some("path")));
            assert!(e.message.contains("没有权限"), "{}", e.message);
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// Excel and WPS keep a workbook open while it is shown, sharing it for reading only.
    #[cfg(windows)]
    fn open_as_excel_does(path: &Path) -> File {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_SHARE_READ: u32 = 1;
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .share_mode(FILE_SHARE_READ)
            .open(path)
            .unwrap()
    }

    #[cfg(windows)]
    #[test]
    fn a_file_open_in_excel_is_named_as_such_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("台账.xlsx");
        std::fs::write(&path, "the open workbook").unwrap();
        let held = open_as_excel_does(&path);
        let e = write_atomic(&path, |f| Ok(f.write_all(b"new")?)).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::Io, Some("path")));
        assert!(e.message.contains(HELD_OPEN), "{}", e.message);
        drop(held);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "the open workbook");
        assert_eq!(
            files_in(dir.path()),
            ["台账.xlsx"],
            "no temporary file left"
        );
        // Closed in Excel, the same export goes through.
        write_atomic(&path, |f| Ok(f.write_all(b"new")?)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[cfg(windows)]
    #[test]
    fn sharing_and_lock_violations_are_held_open_files() {
        let path = Path::new("x.csv");
        for code in [32, 33] {
            let e = io_error(path, &io::Error::from_raw_os_error(code));
            assert!(e.message.contains(HELD_OPEN), "{}", e.message);
        }
        // A real "access denied" on a file nobody holds stays a permission problem.
        let e = io_error(path, &io::Error::from_raw_os_error(5));
        assert!(e.message.contains("没有权限"), "{}", e.message);
    }

    #[test]
    fn chinese_dates() {
        let d = |s: &str| iso_date(s).unwrap();
        assert_eq!(month_day_cn(d("2026-12-01")), "12月1日");
        assert_eq!(weekday_cn(d("2026-12-01")), "周二");
        assert_eq!(weekday_cn(d("2026-11-29")), "周日");
        assert_eq!(full_date_cn(d("2026-11-27")), "2026年11月27日");
        assert_eq!(
            range_cn(d("2026-12-01"), d("2026-12-07"), 2026),
            "12月1日—12月7日"
        );
        assert_eq!(range_cn(d("2026-05-12"), d("2026-05-12"), 2026), "5月12日");
        assert_eq!(
            range_cn(d("2026-11-15"), d("2027-02-10"), 2026),
            "2026年11月15日—2027年2月10日"
        );
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_written_as_text() {
        for (cell, want) in [
            (
                "=HYPERLINK(\"http://x\",\"点我\")",
                "'=HYPERLINK(\"http://x\",\"点我\")",
            ),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ] {
            assert_eq!(csv_cell(cell), want, "{cell:?}");
        }
        for fine in ["宪法进院坝", "2026-12-04", "120", "", "a=b", " =1"] {
            assert_eq!(csv_cell(fine), fine);
        }
    }
}
