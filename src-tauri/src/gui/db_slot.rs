//! The window's database: open, or why it could not be opened. A failed open is not kept for
//! good: the next request (the error page's 重试) opens the folder again, so a data folder that
//! was read-only, locked by another window or missing a drive works once the user has fixed it.

use pufa_core::{AppError, Db};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub(super) struct DbSlot {
    dir: PathBuf,
    db: Mutex<Result<Db, AppError>>,
}

impl DbSlot {
    /// Opens the data folder's database (a failure is kept until the next request).
    pub(super) fn open(dir: &Path) -> Self {
        DbSlot {
            dir: dir.to_path_buf(),
            db: Mutex::new(Db::open_dir(dir)),
        }
    }

    /// Why the database could not be opened, if it could not.
    pub(super) fn error(&self) -> Option<AppError> {
        self.lock().as_ref().err().cloned()
    }

    /// Runs `f` on the open database; a database that failed to open is opened again first,
    /// and if it still fails, that error is the answer.
    pub(super) fn with<R>(
        &self,
        f: impl FnOnce(&mut Db) -> Result<R, AppError>,
    ) -> Result<R, AppError> {
        let mut guard = self.lock();
        if guard.is_err() {
            *guard = Db::open_dir(&self.dir);
            match &*guard {
                Ok(_) => tracing::info!("数据已重新打开：{}", self.dir.display()),
                Err(e) => tracing::warn!(code = ?e.code, "仍无法打开数据：{}", e.message),
            }
        }
        match guard.as_mut() {
            Ok(db) => f(db),
            Err(e) => Err(e.clone()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Result<Db, AppError>> {
        self.db
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pufa_core::api::{self, Request};
    use pufa_core::ErrorCode;

    fn app_info(slot: &DbSlot) -> Result<serde_json::Value, AppError> {
        slot.with(|db| api::handle(db, Request::AppInfo))
    }

    /// The data folder is a file at start-up (a wrong --data-dir, a drive not yet mounted):
    /// the window shows the error; once the file is gone, 重试 opens the data.
    #[test]
    fn a_failed_open_is_retried() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("数据");
        std::fs::write(&dir, b"not a folder").unwrap();
        let slot = DbSlot::open(&dir);
        assert_eq!(slot.error().map(|e| e.code), Some(ErrorCode::DataDirNotDir));
        assert_eq!(
            app_info(&slot).unwrap_err().code,
            ErrorCode::DataDirNotDir,
            "still a file: the same error"
        );
        std::fs::remove_file(&dir).unwrap();
        let info = app_info(&slot).expect("the folder is usable now");
        assert_eq!(info["initialized"], false);
        assert!(slot.error().is_none());
        assert!(dir.join(pufa_core::db::DB_FILE).is_file());
    }
}
