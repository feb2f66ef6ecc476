//! The one command layer. The Tauri window sends `{"cmd": "...", "args": {...}}` to `dispatch`;
//! the CLI builds the same requests. A command is written once, in the list of `commands.rs`:
//! its arguments, its answer's type, whether it changes data, and what it does. From that list
//! come the `Request` the window and the CLI send, the typed `Response`, the dispatcher, and
//! `Responses` (the TypeScript map from a command's name to its answer's type).

pub use commands::{Request, Response, Responses};

use crate::activity::Activity;
use crate::conflicts::{self, Conflict};
use crate::db::Db;
use crate::error::{AppError, ErrorCode, Result};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

/// Declares the commands. Each entry:
///
/// ```text
/// /// What it does (the docs reach the TypeScript binding).
/// name: Variant { field: Type, … } -> Answer, reads | writes
///     => |db, progress| expression giving Result<Answer>;
/// ```
///
/// `Variant(binding: Type)` for a command whose arguments are one struct; `Variant` alone for a
/// command without arguments. `name` is the variant in snake case, as the window sends it (a
/// test checks it). `writes`: the command changes data, and leaves a row in the audit trail.
macro_rules! command_list {
    (@writes reads) => { false };
    (@writes writes) => { true };
    ($(
        $(#[$meta:meta])*
        $name:ident : $Variant:ident
            $( ( $arg:ident : $arg_ty:ty ) )?
            $( { $( $(#[$fmeta:meta])* $field:ident : $fty:ty ),* $(,)? } )?
        -> $Resp:ty, $access:ident
        => |$db:ident, $progress:ident| $body:expr;
    )*) => {
        /// A command, as the window and the CLI send it.
        #[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
        #[serde(tag = "cmd", content = "args", rename_all = "snake_case")]
        #[ts(export)]
        pub enum Request {
            $(
                $(#[$meta])*
                $Variant $( ($arg_ty) )? $( { $( $(#[$fmeta])* $field: $fty ),* } )?,
            )*
        }

        /// The answer of a command, of the type its entry declares; it serialises as the bare
        /// answer (the JSON the window and `--json` get).
        #[derive(Debug, serde::Serialize)]
        #[serde(untagged)]
        pub enum Response {
            $( $Variant($Resp), )*
        }

        /// Each command's answer type by the command's name: `Responses.ts` for the window.
        /// Never built; it exists for its TypeScript binding.
        #[derive(ts_rs::TS)]
        #[ts(export)]
        #[allow(dead_code)]
        pub struct Responses {
            $( pub $name: $Resp, )*
        }

        impl Request {
            /// The command's name, as the window sends it.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Request::$Variant { .. } => stringify!($name), )*
                }
            }

            /// Whether the command changes data (and so writes the audit trail).
            pub fn writes(&self) -> bool {
                match self {
                    $( Request::$Variant { .. } => command_list!(@writes $access), )*
                }
            }
        }

        impl Response {
            /// The answer as `Any`, for [`Response::take`].
            pub(super) fn into_any(self) -> Box<dyn std::any::Any> {
                match self {
                    $( Response::$Variant(answer) => Box::new(answer), )*
                }
            }
        }

        /// The names of all commands, in the order of the list.
        #[cfg(test)]
        pub(super) const NAMES: &[&str] = &[$( stringify!($name) ),*];

        /// Runs one request, answering with its declared type.
        pub fn run(
            db: &mut Db,
            request: Request,
            progress: &mut dyn FnMut(u64, u64) -> bool,
        ) -> Result<Response> {
            match request {
                $(
                    Request::$Variant $( ($arg) )? $( { $( $field ),* } )? => {
                        #[allow(unused_variables)]
                        let $db: &mut Db = db;
                        #[allow(unused_variables)]
                        let $progress: &mut dyn FnMut(u64, u64) -> bool = progress;
                        let answer: Result<$Resp> = $body;
                        Ok(Response::$Variant(answer?))
                    }
                )*
            }
        }
    };
}

mod commands;

/// A file a request reads or writes. The window takes a request only when each is a file the
/// user chose in one of its dialogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileUse<'a> {
    Read(&'a str),
    Write(&'a str),
}

impl Request {
    /// The files this request reads or writes.
    pub fn files(&self) -> Vec<FileUse<'_>> {
        use Request::*;
        match self {
            AttachmentAdd { path, .. }
            | BackupInspect { path }
            | BackupRestore { path, .. }
            | ImportPreview { path, .. }
            | ImportXlsx { path, .. }
            | PackageImport { path, .. } => vec![FileUse::Read(path)],
            ExportPivotXlsx { path, .. }
            | ExportIcs { path, .. }
            | ExportPlanXlsx { path, .. }
            | ExportLedgerXlsx { path, .. }
            | ExportPhotos { path, .. }
            | ExportCsv { path, .. }
            | ExportAuditXlsx { path, .. }
            | ExportReportDocx { path, .. }
            | ExportCampaignDocx { path, .. }
            | BackupCreate { path }
            | ImportTemplate { path }
            | PackageExport { path, .. } => vec![FileUse::Write(path)],
            _ => Vec::new(),
        }
    }
}

/// What a save of an activity returns: the saved occurrences and the warnings they raise.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ActivitySaved {
    pub activities: Vec<Activity>,
    pub conflicts: Vec<Conflict>,
}

fn saved(db: &Db, activities: Vec<Activity>) -> Result<ActivitySaved> {
    let mut found: Vec<Conflict> = Vec::new();
    for a in &activities {
        for c in conflicts::for_activity(&db.conn, &a.id)? {
            if !found
                .iter()
                .any(|f| f.kind == c.kind && f.a == c.a && f.b == c.b)
            {
                found.push(c);
            }
        }
    }
    Ok(ActivitySaved {
        activities,
        conflicts: found,
    })
}

impl Response {
    /// The answer as the type `T` its command declares (the CLI prints it so). A wrong `T` is
    /// a mistake of the caller, reported as such.
    pub fn take<T: 'static>(self) -> Result<T> {
        self.into_any().downcast::<T>().map(|a| *a).map_err(|_| {
            AppError::new(
                ErrorCode::BadRequest,
                format!("内部错误：答复不是 {}", std::any::type_name::<T>()),
            )
        })
    }

    /// The answer as JSON, exactly as the window and `--json` get it.
    pub fn to_json(&self) -> Result<Value> {
        serde_json::to_value(self).map_err(|e| AppError::new(ErrorCode::BadRequest, e.to_string()))
    }
}

/// What a delete answers: the id (or key) deleted.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Deleted {
    pub deleted: String,
}

/// What the delete of an activity answers: the occurrences deleted (one, or a series' part).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DeletedMany {
    pub deleted: Vec<String>,
}

/// What a command that only confirms answers.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Done {
    pub ok: bool,
}

/// What a command that writes one file for the user answers: the file.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Written {
    pub path: String,
}

/// Runs one request against the database and returns its result as JSON.
pub fn handle(db: &mut Db, request: Request) -> Result<Value> {
    handle_with_progress(db, request, &mut |_, _| true)
}

/// `handle`, telling `progress(done, total)` how a long job goes (a scaled demo); the job
/// stops, keeping nothing, when it returns false. Short requests never call it.
pub fn handle_with_progress(
    db: &mut Db,
    request: Request,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Value> {
    commands::run(db, request, progress)?.to_json()
}

/// [`handle_with_progress`] with the typed answer (the CLI prints from it).
pub fn run(
    db: &mut Db,
    request: Request,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Response> {
    commands::run(db, request, progress)
}

/// Parses a raw JSON request (from the window) and runs it.
pub fn dispatch(db: &mut Db, raw: Value) -> Result<Value> {
    dispatch_with_progress(db, raw, &mut |_, _| true)
}

/// [`dispatch`] for a long job the window follows: `progress` as in [`handle_with_progress`].
pub fn dispatch_with_progress(
    db: &mut Db,
    raw: Value,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Value> {
    let request: Request = serde_json::from_value(raw)
        .map_err(|e| AppError::new(ErrorCode::BadRequest, format!("请求格式不正确：{e}")))?;
    handle_with_progress(db, request, progress)
}

#[cfg(test)]
mod fixtures_tests;
#[cfg(test)]
mod tests;
