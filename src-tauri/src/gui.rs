//! The window: one Tauri command, `call`, that hands a request to the core's command layer on
//! a blocking thread, so database work never stalls the async runtime or the UI.
//!
//! Files: the web side never names a file on its own. It asks for a dialog (`choose_open`,
//! `choose_save`), the backend shows it and remembers what the user chose, and a request that
//! reads or writes a file is taken only for a file chosen so (or, to restore, one of the data
//! folder's own automatic backups). A script injected into the page could otherwise write
//! anywhere the user may.

mod db_slot;
mod placement;

use db_slot::DbSlot;
use pufa_core::api::{FileUse, Request};
use pufa_core::notice::{Notice, NoticeKind};
use pufa_core::{AppError, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tauri::ipc::Channel;
use tauri::Manager;
use tauri_plugin_dialog::DialogExt;

/// The open database, or why it could not be opened (shown by the UI on a full-page error, and
/// opened again at the next request: 重试), the long jobs the user asked to stop, and the files
/// the user chose in the window's dialogs.
struct AppState {
    db: Arc<DbSlot>,
    cancelled: Arc<Mutex<HashSet<String>>>,
    chosen: Arc<Mutex<Chosen>>,
    data_dir: PathBuf,
    notices: Arc<Notices>,
    /// When the window was asked for, for the time to its first screen with content.
    started: Instant,
    first_content: std::sync::Once,
    /// Flushes the log file when the app ends.
    _log: Option<tracing_appender::non_blocking::WorkerGuard>,
}

/// Problems of background work for the window: kept until the window listens, then sent as
/// they happen.
#[derive(Default)]
struct Notices(Mutex<(Vec<Notice>, Option<Channel<Notice>>)>);

impl Notices {
    fn push(&self, notice: Notice) {
        tracing::warn!(kind = ?notice.kind, "{}", notice.error.message);
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let (pending, channel) = &mut *guard;
        let undelivered = match channel {
            Some(c) => c.send(notice.clone()).is_err(),
            None => true,
        };
        if undelivered {
            pending.push(notice);
        }
    }

    /// The window listens from now on; what happened before it did is sent first.
    fn watch(&self, channel: Channel<Notice>) {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let (pending, current) = &mut *guard;
        pending.retain(|n| channel.send(n.clone()).is_err());
        *current = Some(channel);
    }
}

/// Logs a refused or failed request: problems of the machine as warnings, a form's
/// validation as information.
fn log_outcome(cmd: &str, result: &Result<Value, AppError>) {
    if let Err(e) = result {
        match e.code {
            ErrorCode::Io
            | ErrorCode::Database
            | ErrorCode::DatabaseNewer
            | ErrorCode::DataDirNotDir
            | ErrorCode::DataDirReadonly => {
                tracing::warn!(cmd, code = ?e.code, field = ?e.field, "{}", e.message)
            }
            _ => tracing::info!(cmd, code = ?e.code, field = ?e.field, "{}", e.message),
        }
    }
}

/// The command a raw request names, for the log of a request refused before it is parsed.
fn cmd_of(request: &Value) -> String {
    request["cmd"].as_str().unwrap_or("?").to_string()
}

/// The files the user chose: to open (read) and to save (write).
#[derive(Default)]
struct Chosen {
    read: HashSet<PathBuf>,
    write: HashSet<PathBuf>,
}

impl Chosen {
    /// Refuses a request naming a file the user did not choose for that use.
    fn check(&self, request: &Request, data_dir: &Path) -> Result<(), AppError> {
        for file in request.files() {
            let (path, ok) = match file {
                FileUse::Read(p) => {
                    let path = PathBuf::from(p);
                    let ok = self.read.contains(&path) || is_own_backup(&path, data_dir);
                    (path, ok)
                }
                FileUse::Write(p) => {
                    let path = PathBuf::from(p);
                    let ok = self.write.contains(&path);
                    (path, ok)
                }
            };
            if !ok {
                return Err(AppError::field(
                    ErrorCode::Forbidden,
                    "path",
                    format!(
                        "只能使用在对话框中选择的文件，“{}”不是，操作未执行",
                        path.display()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// One of the data folder's automatic backups (the 备份 list restores from them).
fn is_own_backup(path: &Path, data_dir: &Path) -> bool {
    let folder = data_dir.join(pufa_core::backup::BACKUPS_DIR);
    let is_backup = path.extension().and_then(|e| e.to_str()) == Some(pufa_core::backup::EXTENSION);
    match (
        path.parent().map(std::fs::canonicalize),
        std::fs::canonicalize(&folder),
    ) {
        (Some(Ok(parent)), Ok(folder)) => is_backup && parent == folder && path.is_file(),
        _ => false,
    }
}

/// A file type the dialog offers: "数据包" with ["pufapkg"].
#[derive(Debug, Deserialize)]
struct Filter {
    name: String,
    extensions: Vec<String>,
}

/// How far a long job is, sent to the window while it runs.
#[derive(Clone, Serialize)]
struct JobProgress {
    done: u64,
    total: u64,
}

/// The request, refused unless every file it names is one the user chose for that use.
fn checked(state: &AppState, raw: Value) -> Result<Request, AppError> {
    let request: Request = serde_json::from_value(raw)
        .map_err(|e| AppError::new(ErrorCode::BadRequest, format!("请求格式不正确：{e}")))?;
    state
        .chosen
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .check(&request, &state.data_dir)?;
    Ok(request)
}

#[tauri::command]
async fn call(state: tauri::State<'_, AppState>, request: Value) -> Result<Value, AppError> {
    let cmd = cmd_of(&request);
    let request = checked(&state, request).inspect_err(|e| log_outcome(&cmd, &Err(e.clone())))?;
    let db = state.db.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let result = db.with(|db| pufa_core::api::handle(db, request));
        log_outcome(&cmd, &result);
        result
    })
    .await
    .map_err(|e| AppError::new(ErrorCode::Io, format!("后台任务失败：{e}")))?
}

/// `call` for a long job (import, backup, restore …): its progress goes to `on_progress` (at
/// most ten times a second), and `cancel_job` with the same `job` id stops it; the core then
/// keeps nothing of it.
#[tauri::command]
async fn call_job(
    state: tauri::State<'_, AppState>,
    request: Value,
    job: String,
    on_progress: Channel<JobProgress>,
) -> Result<Value, AppError> {
    let cmd = cmd_of(&request);
    let request = checked(&state, request).inspect_err(|e| log_outcome(&cmd, &Err(e.clone())))?;
    let db = state.db.clone();
    let cancelled = state.cancelled.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut last: Option<Instant> = None;
        let result = db.with(|db| {
            pufa_core::api::handle_with_progress(db, request, &mut |done, total| {
                if cancelled
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .contains(&job)
                {
                    return false;
                }
                if done >= total || last.is_none_or(|t| t.elapsed() >= Duration::from_millis(100)) {
                    last = Some(Instant::now());
                    // The window may be gone: the job goes on regardless.
                    let _ = on_progress.send(JobProgress { done, total });
                }
                true
            })
        });
        cancelled
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&job);
        log_outcome(&cmd, &result);
        result
    })
    .await
    .map_err(|e| AppError::new(ErrorCode::Io, format!("后台任务失败：{e}")))?
}

/// Asks the long job `job` to stop at its next step.
#[tauri::command]
fn cancel_job(state: tauri::State<'_, AppState>, job: String) {
    state
        .cancelled
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(job);
}

/// The window listens for problems of background work (see [`Notices`]).
#[tauri::command]
fn watch_notices(state: tauri::State<'_, AppState>, on_notice: Channel<Notice>) {
    state.notices.watch(on_notice);
}

/// The window shows its first screen with content (nothing loading any more): the time since
/// start goes to the log and, when `PUFA_FIRST_CONTENT_FILE` names a file, into it (for
/// `bench/weight.sh`). Only the first call counts.
#[tauri::command]
fn first_content(state: tauri::State<'_, AppState>) {
    state.first_content.call_once(|| {
        let ms = state.started.elapsed().as_millis();
        tracing::info!("first screen with content after {ms} ms");
        if let Some(file) = std::env::var_os("PUFA_FIRST_CONTENT_FILE") {
            if let Err(e) = std::fs::write(&file, format!("{ms}\n")) {
                tracing::warn!("cannot write {}: {e}", PathBuf::from(file).display());
            }
        }
    });
}

/// The open dialog, shown by the backend; the files chosen may then be read by a request.
/// None when the user cancels.
#[tauri::command]
async fn choose_open(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    filters: Vec<Filter>,
    multiple: bool,
    title: Option<String>,
) -> Result<Option<Vec<String>>, AppError> {
    let answer = match e2e::answer("open", &filters, None) {
        Some(a) => a,
        None => {
            let mut dialog = app.dialog().file();
            if let Some(title) = title {
                dialog = dialog.set_title(title);
            }
            for f in &filters {
                let ext: Vec<&str> = f.extensions.iter().map(String::as_str).collect();
                dialog = dialog.add_filter(&f.name, &ext);
            }
            let picked = tauri::async_runtime::spawn_blocking(move || {
                if multiple {
                    dialog.blocking_pick_files()
                } else {
                    dialog.blocking_pick_file().map(|f| vec![f])
                }
            })
            .await
            .map_err(|e| AppError::new(ErrorCode::Io, format!("无法打开对话框：{e}")))?;
            picked.map(|files| {
                files
                    .into_iter()
                    .filter_map(|f| f.into_path().ok())
                    .collect()
            })
        }
    };
    let Some(paths) = answer else {
        return Ok(None);
    };
    let mut chosen = state.chosen.lock().unwrap_or_else(|p| p.into_inner());
    chosen.read.extend(paths.iter().cloned());
    Ok(Some(
        paths.iter().map(|p| p.display().to_string()).collect(),
    ))
}

/// The save dialog, shown by the backend with `default_name` made safe by the one file-name
/// sanitiser; the file chosen may then be written by a request. None when the user cancels.
#[tauri::command]
async fn choose_save(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    default_name: String,
    filter_name: String,
    extension: String,
) -> Result<Option<String>, AppError> {
    let name = pufa_core::file_name::part(&default_name, 120, "导出");
    let filters = [Filter {
        name: filter_name,
        extensions: vec![extension],
    }];
    let answer = match e2e::answer("save", &filters, Some(&name)) {
        Some(a) => a.and_then(|mut v| v.pop()),
        None => {
            let ext: Vec<&str> = filters[0].extensions.iter().map(String::as_str).collect();
            let dialog = app
                .dialog()
                .file()
                .add_filter(&filters[0].name, &ext)
                .set_file_name(&name);
            tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
                .await
                .map_err(|e| AppError::new(ErrorCode::Io, format!("无法打开对话框：{e}")))?
                .and_then(|f| f.into_path().ok())
        }
    };
    let Some(path) = answer else {
        return Ok(None);
    };
    state
        .chosen
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .write
        .insert(path.clone());
    Ok(Some(path.display().to_string()))
}

/// End-to-end tests answer the window's dialogs, as a user picking there would: in a debug
/// build only, when `PUFA_E2E_DIALOG_ANSWERS` names a JSON file (`{"open": [paths] | null,
/// "save": path | null}`, written by the test); each question is logged beside it
/// (`….requests.jsonl`). The answer goes through the same bookkeeping as a real choice.
mod e2e {
    use super::Filter;
    use std::path::PathBuf;

    /// Some(answer) when a test answers (Some(None): a cancel); None: show the real dialog.
    pub(super) fn answer(
        kind: &str,
        filters: &[Filter],
        default_name: Option<&str>,
    ) -> Option<Option<Vec<PathBuf>>> {
        if !cfg!(debug_assertions) {
            return None;
        }
        let file = std::env::var_os("PUFA_E2E_DIALOG_ANSWERS")?;
        let answers: serde_json::Value = std::fs::read(&file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let asked = serde_json::json!({
            "kind": kind,
            "args": {"options": {
                "defaultPath": default_name,
                "filters": filters.iter().map(|f| serde_json::json!({"name": f.name, "extensions": f.extensions})).collect::<Vec<_>>(),
            }},
        });
        let mut log = file.clone();
        log.push(".requests.jsonl");
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            use std::io::Write;
            let _ = writeln!(f, "{asked}");
        }
        let paths = match &answers[kind] {
            serde_json::Value::String(p) => Some(vec![PathBuf::from(p)]),
            serde_json::Value::Array(list) => Some(
                list.iter()
                    .filter_map(|p| p.as_str().map(PathBuf::from))
                    .collect(),
            ),
            _ => None,
        };
        Some(paths)
    }
}

pub(crate) fn context() -> tauri::Context<tauri::Wry> {
    tauri::generate_context!()
}

/// WebKitGTK (Linux) draws the page without GPU compositing layers: a page of forms and
/// tables gains nothing from them, and their backing stores were the largest part of the idle
/// web process (~75 MB of ~160 MB, bench/weight.sh). Someone who set the variable keeps it.
/// Set before any window or thread exists. Windows' WebView2 is not concerned.
fn lighter_webview() {
    if cfg!(target_os = "linux") && std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

pub fn run(data_dir: Option<PathBuf>) -> i32 {
    let started = Instant::now();
    lighter_webview();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let dir = crate::paths::data_dir(data_dir).ok_or("找不到系统的应用数据文件夹")?;
            let db = DbSlot::open(&dir);
            let log = dir
                .is_dir()
                .then(|| crate::logging::init(&dir, tauri::is_dev()))
                .flatten();
            if let Some(e) = db.error() {
                // The window shows it on a full page; the log keeps it.
                tracing::error!(code = ?e.code, "无法打开数据：{}", e.message);
            }
            let notices = Arc::new(Notices::default());
            // Today's automatic backup (and the week's) on a connection of its own, beside the
            // window's work: a county database takes seconds to copy. A failure reaches the
            // window, which says so (the data itself is untouched).
            if db.error().is_none() {
                let folder = dir.clone();
                let notices = notices.clone();
                std::thread::spawn(move || {
                    if let Err(e) = pufa_core::backup::daily(&folder) {
                        notices.push(Notice::new(NoticeKind::AutoBackupFailed, e));
                    }
                });
            }
            let db = Arc::new(db);
            // Placed before it is shown (the config keeps it hidden): no jump on screen.
            if let Some(window) = app.get_webview_window("main") {
                placement::apply(&window, &dir);
            }
            app.manage(AppState {
                db,
                cancelled: Arc::default(),
                chosen: Arc::default(),
                data_dir: dir,
                notices,
                started,
                first_content: std::sync::Once::new(),
                _log: log,
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            call,
            call_job,
            cancel_job,
            choose_open,
            choose_save,
            first_content,
            watch_notices
        ])
        .run(context());
    match result {
        Ok(()) => 0,
        Err(e) => {
            tracing::error!("窗口无法启动：{e}");
            crate::windows::window_failed(&e.to_string());
            1
        }
    }
}
