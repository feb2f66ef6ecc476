//! Where the data lives, for the window and the CLI alike (one rule, [`data_dir`]):
//! 1. `--data-dir` or `PUFA_DATA_DIR`;
//! 2. portable use: a [`PORTABLE_MARKER`] file beside the program keeps the data in the
//!    [`PORTABLE_DATA`] folder beside it (a USB stick carried between the 司法所 and the villages);
//! 3. the OS's *local* app-data folder for the identifier — on Windows `%LOCALAPPDATA%`, not the
//!    roaming `%APPDATA%`, which a domain profile would copy at every log-on with up to 26
//!    backups inside. A folder an earlier version left in the roaming place is moved once.
//!
//! Development builds (no bundled UI) use their own identifier so they never touch real data.
//! The same folder as Tauri's `app_local_data_dir()` (the platform folder joined with the
//! identifier), which the CLI computes without starting Tauri.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The identifier in tauri.conf.json (a test holds them equal).
pub const IDENTIFIER: &str = "cn.pufa-planner.app";

/// A file of this name beside the program makes it portable.
pub const PORTABLE_MARKER: &str = "portable.txt";

/// The data folder of a portable copy, beside the program.
pub const PORTABLE_DATA: &str = "数据";

/// The identifier, with ".dev" appended in development builds.
pub fn identifier() -> String {
    if tauri::is_dev() {
        format!("{IDENTIFIER}.dev")
    } else {
        IDENTIFIER.to_string()
    }
}

/// The data folder by the rules above; `None` only when the OS names no app-data folder.
pub fn data_dir(explicit: Option<PathBuf>) -> Option<PathBuf> {
    if explicit.is_some() {
        return explicit;
    }
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| portable_dir(&exe))
    {
        return Some(dir);
    }
    default_data_dir()
}

/// The portable data folder beside `exe` when the marker file is there.
pub fn portable_dir(exe: &Path) -> Option<PathBuf> {
    // The folder of the program as started (a shortcut or a USB stick's drive letter), not
    // the target of a symbolic link.
    let folder = exe.parent()?;
    folder
        .join(PORTABLE_MARKER)
        .is_file()
        .then(|| folder.join(PORTABLE_DATA))
}

/// The OS's local app-data folder for the identifier, after moving a roaming one there once.
pub fn default_data_dir() -> Option<PathBuf> {
    let local = dirs::data_local_dir()?.join(identifier());
    match dirs::data_dir() {
        // Only Windows has two different folders (Linux and macOS give the same one twice).
        Some(roaming) if roaming != local.parent()? => {
            Some(move_once(&roaming.join(identifier()), &local))
        }
        _ => Some(local),
    }
}

/// What [`move_once`] did, kept until the log is open: the folder is chosen before logging
/// starts (the log lives in it), so [`crate::logging::init`] writes these first.
#[derive(Debug, Clone, PartialEq)]
pub enum MoveNote {
    Moved {
        from: PathBuf,
        to: PathBuf,
    },
    Kept {
        from: PathBuf,
        to: PathBuf,
        error: String,
    },
}

static MOVE_NOTES: Mutex<Vec<MoveNote>> = Mutex::new(Vec::new());

/// The notes of moves made so far in this process, emptied.
pub fn take_move_notes() -> Vec<MoveNote> {
    MOVE_NOTES
        .lock()
        .map(|mut notes| std::mem::take(&mut *notes))
        .unwrap_or_default()
}

fn note(n: MoveNote) {
    if let Ok(mut notes) = MOVE_NOTES.lock() {
        notes.push(n);
    }
}

/// The database file's name, and its WAL companions, moved last.
const DB_FILES: [&str; 3] = [pufa_core::db::DB_FILE, "pufa.db-wal", "pufa.db-shm"];

/// Moves the data folder `old` into `new` when `old` holds a database and `new` does not;
/// returns the folder to use. `new` may already exist (WebView2 keeps its cache there), so the
/// entries move one by one, the database last. If a move fails (another copy of the program
/// has the files open), what moved goes back and `old` stays in use: the data is never split.
pub fn move_once(old: &Path, new: &Path) -> PathBuf {
    let db = pufa_core::db::DB_FILE;
    if !old.join(db).is_file() || new.join(db).exists() {
        return new.to_path_buf();
    }
    match move_entries(old, new) {
        Ok(()) => {
            // Empty now unless something was already in `new` under the same name.
            let _ = std::fs::remove_dir(old);
            note(MoveNote::Moved {
                from: old.to_path_buf(),
                to: new.to_path_buf(),
            });
            new.to_path_buf()
        }
        Err(e) => {
            note(MoveNote::Kept {
                from: old.to_path_buf(),
                to: new.to_path_buf(),
                error: e.to_string(),
            });
            old.to_path_buf()
        }
    }
}

fn move_entries(old: &Path, new: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(new)?;
    let mut entries: Vec<std::ffi::OsString> = std::fs::read_dir(old)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()?;
    // Everything else first, then the database and its WAL files.
    entries.sort_by_key(|name| {
        DB_FILES
            .iter()
            .position(|f| name.as_os_str() == std::ffi::OsStr::new(f))
    });
    let mut moved: Vec<&std::ffi::OsString> = Vec::new();
    for name in &entries {
        let to = new.join(name);
        if to.exists() {
            continue;
        }
        if let Err(e) = std::fs::rename(old.join(name), &to) {
            for name in moved.iter().rev() {
                let _ = std::fs::rename(new.join(name), old.join(name));
            }
            return Err(e);
        }
        moved.push(name);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identifier_is_the_one_in_tauri_conf() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
        assert_eq!(conf["identifier"], IDENTIFIER);
    }

    #[test]
    fn a_marker_beside_the_program_keeps_the_data_beside_it() {
        let tmp = tempfile::tempdir().unwrap();
        let exe = tmp.path().join("pufa-planner.exe");
        std::fs::write(&exe, b"MZ").unwrap();
        assert_eq!(portable_dir(&exe), None);
        std::fs::write(tmp.path().join(PORTABLE_MARKER), "便携版").unwrap();
        assert_eq!(portable_dir(&exe), Some(tmp.path().join(PORTABLE_DATA)));
        // A folder of that name is not the marker.
        std::fs::remove_file(tmp.path().join(PORTABLE_MARKER)).unwrap();
        std::fs::create_dir(tmp.path().join(PORTABLE_MARKER)).unwrap();
        assert_eq!(portable_dir(&exe), None);
    }

    #[test]
    fn an_explicit_folder_wins() {
        let dir = PathBuf::from("somewhere");
        assert_eq!(data_dir(Some(dir.clone())), Some(dir));
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn a_roaming_folder_moves_once_beside_what_is_already_there() {
        let tmp = tempfile::tempdir().unwrap();
        let old = tmp.path().join("Roaming/app");
        let new = tmp.path().join("Local/app");
        write(&old.join("pufa.db"), "db");
        write(&old.join("pufa.db-wal"), "wal");
        write(&old.join("attachments/a.jpg"), "photo");
        write(&old.join("backups/2026-01-01.pufabak"), "backup");
        // WebView2's cache of an earlier start already lives in the local folder.
        write(&new.join("EBWebView/cache"), "cache");

        take_move_notes();
        assert_eq!(move_once(&old, &new), new);
        assert!(take_move_notes().contains(&MoveNote::Moved {
            from: old.clone(),
            to: new.clone()
        }));
        assert!(!old.exists(), "the roaming folder is gone");
        assert_eq!(std::fs::read_to_string(new.join("pufa.db")).unwrap(), "db");
        assert_eq!(
            std::fs::read_to_string(new.join("pufa.db-wal")).unwrap(),
            "wal"
        );
        assert!(new.join("attachments/a.jpg").is_file());
        assert!(new.join("backups/2026-01-01.pufabak").is_file());
        assert!(new.join("EBWebView/cache").is_file());

        // Once: a new roaming database (an older version run again) does not replace it.
        write(&old.join("pufa.db"), "older version");
        assert_eq!(move_once(&old, &new), new);
        assert_eq!(std::fs::read_to_string(new.join("pufa.db")).unwrap(), "db");
        assert!(old.join("pufa.db").is_file());
    }

    #[test]
    fn nothing_moves_without_a_roaming_database() {
        let tmp = tempfile::tempdir().unwrap();
        let old = tmp.path().join("Roaming/app");
        let new = tmp.path().join("Local/app");
        write(&old.join("logs/x.log"), "log");
        assert_eq!(move_once(&old, &new), new);
        assert!(old.join("logs/x.log").is_file());
        assert!(!new.exists());
    }

    #[test]
    fn a_failed_move_keeps_the_old_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let old = tmp.path().join("Roaming/app");
        write(&old.join("pufa.db"), "db");
        write(&old.join("attachments/a.jpg"), "photo");
        // The local folder cannot be made: a file stands where its parent should be.
        write(&tmp.path().join("Local"), "not a folder");
        let new = tmp.path().join("Local/app");
        assert_eq!(move_once(&old, &new), old);
        assert!(old.join("pufa.db").is_file());
        assert!(old.join("attachments/a.jpg").is_file());
    }
}
