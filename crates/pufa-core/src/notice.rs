//! Problems of work nobody asked for at that moment — the automatic backup when the app
//! starts — which the window shows when they happen (a release build on Windows has no
//! console, and the log file is read only after the fact).

use crate::error::AppError;
use serde::Serialize;
use ts_rs::TS;

/// One problem of background work, for the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Notice {
    pub kind: NoticeKind,
    /// What went wrong, as the core words it.
    pub error: AppError,
    /// When, RFC 3339 UTC.
    pub at: String,
}

/// What kind of background work failed; the window has a title for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum NoticeKind {
    /// The daily (or weekly) backup made when the app starts.
    AutoBackupFailed,
}

impl Notice {
    pub fn new(kind: NoticeKind, error: AppError) -> Self {
        Notice {
            kind,
            error,
            at: crate::now(),
        }
    }
}
