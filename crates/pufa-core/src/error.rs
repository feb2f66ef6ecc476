//! Errors as the UI and the CLI see them: a stable `code` the UI translates, a zh-CN
//! `message` for the CLI and logs, the `field` (or row) that is wrong, and the `params` that
//! make the message specific (which date, how long, which file), so the UI can say the same in
//! the language the user chose.

use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[ts(export)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    /// The specifics of the message by name (`{"count": 81, "max": 80}`); empty when the code
    /// and field say it all. Left out of the JSON when empty.
    #[serde(skip_serializing_if = "Map::is_empty")]
    #[ts(optional, as = "Option<std::collections::HashMap<String, Value>>")]
    pub params: Map<String, Value>,
}

/// Every error the core can report. The UI owns the words for each code (zh-CN and English).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    Required,
    TooLong,
    ControlChars,
    Duplicate,
    InvalidDate,
    DateOrder,
    InvalidValue,
    NotFound,
    NotInitialized,
    AlreadyInitialized,
    DataDirNotDir,
    DataDirReadonly,
    DatabaseNewer,
    Database,
    Io,
    BadRequest,
    /// A hand-out would take stock below zero: ask, then save with the confirmation.
    StockNegative,
    /// An approved record, or one past its campaign's reporting deadline.
    Locked,
    /// Only the coordinator may do this (review).
    Forbidden,
    /// An attachment that is too large or of a type we do not keep.
    FileRejected,
    /// The user stopped a long job; nothing of it was kept.
    Cancelled,
    /// A backup of another town: restoring it needs the user's confirmation naming both towns.
    OtherTown,
    /// A package from a laptop not seen before that claims the town's rights: importing it
    /// needs the user's confirmation that it is the town's laptop.
    UnknownDevice,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError {
            code,
            message: message.into(),
            field: None,
            params: Map::new(),
        }
    }

    pub fn field(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        AppError {
            field: Some(field.to_string()),
            ..Self::new(code, message)
        }
    }

    /// The error with one more specific (`count`, `max`, `value`, `path` …) for the UI's text.
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.params.insert(name.to_string(), value.into());
        self
    }

    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new(
            ErrorCode::NotFound,
            format!("找不到{what}（{id}），可能已被删除"),
        )
        .with("id", id)
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as Sqlite;
        let message = match e.sqlite_error_code() {
            Some(Sqlite::NotADatabase) => {
                "数据文件不是普法台账的数据库（可能已损坏），程序没有改动它；请从备份恢复或换一个数据文件夹"
                    .to_string()
            }
            Some(Sqlite::DatabaseBusy | Sqlite::DatabaseLocked) => {
                "数据库正被另一个程序占用，请关闭其他正在使用它的普法台账窗口后重试".to_string()
            }
            Some(Sqlite::DiskFull) => "磁盘已满，数据未保存，请清理磁盘后重试".to_string(),
            Some(Sqlite::ReadOnly | Sqlite::CannotOpen) => {
                format!("无法打开或写入数据库：{e}。请检查数据文件夹的权限")
            }
            _ => format!("数据库错误：{e}"),
        };
        AppError::new(ErrorCode::Database, message)
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        AppError::new(ErrorCode::Io, format!("文件读写错误：{e}")).with("detail", e.to_string())
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;
