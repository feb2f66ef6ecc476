//! The window: one Tauri command, `call`, that hands a request to the core's command layer on
//! a blocking thread, so database work never stalls the async runtime or the UI.

use pufa_core::notice::{Notice, NoticeKind};
use pufa_core::{AppError, Db, ErrorCode};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tauri::ipc::Channel;
use tauri::Manager;

/// The open database, or why it could not be opened (shown by the UI on a full-page error),
/// and the long jobs the user asked to stop.
struct AppState {
    db: Arc<Mutex<Result<Db, AppError>>>,
    cancelled: Arc<Mutex<HashSet<String>>>,
    notices: Arc<Notices>,
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
fn log_outcome(request: &Value, result: &Result<Value, AppError>) {
    if let Err(e) = result {
        let cmd = request["cmd"].as_str().unwrap_or("?");
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

/// How far a long job is, sent to the window while it runs.
#[derive(Clone, Serialize)]
struct JobProgress {
    done: u64,
    total: u64,
}

#[tauri::command]
async fn call(state: tauri::State<'_, AppState>, request: Value) -> Result<Value, AppError> {
    let db = state.db.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut guard = db.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let result = match guard.as_mut() {
            Ok(db) => pufa_core::api::dispatch(db, request.clone()),
            Err(e) => Err(e.clone()),
        };
        log_outcome(&request, &result);
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
    let db = state.db.clone();
    let cancelled = state.cancelled.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut guard = db.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let db = match guard.as_mut() {
            Ok(db) => db,
            Err(e) => return Err(e.clone()),
        };
        let mut last: Option<Instant> = None;
        let logged = request.clone();
        let result = pufa_core::api::dispatch_with_progress(db, request, &mut |done, total| {
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
        });
        cancelled
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&job);
        log_outcome(&logged, &result);
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

pub(crate) fn context() -> tauri::Context<tauri::Wry> {
    tauri::generate_context!()
}

pub fn run(data_dir: Option<PathBuf>) -> i32 {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let dir = crate::paths::data_dir(data_dir).ok_or("找不到系统的应用数据文件夹")?;
            let db = Db::open_dir(&dir);
            let log = dir
                .is_dir()
                .then(|| crate::logging::init(&dir, tauri::is_dev()))
                .flatten();
            if let Err(e) = &db {
                // The window shows it on a full page; the log keeps it.
                tracing::error!(code = ?e.code, "无法打开数据：{}", e.message);
                eprintln!("无法打开数据：{e}");
            }
            let notices = Arc::new(Notices::default());
            // Today's automatic backup (and the week's) on a connection of its own, beside the
            // window's work: a county database takes seconds to copy. A failure reaches the
            // window, which says so (the data itself is untouched).
            if db.is_ok() {
                let folder = dir.clone();
                let notices = notices.clone();
                std::thread::spawn(move || {
                    if let Err(e) = pufa_core::backup::daily(&folder) {
                        notices.push(Notice::new(NoticeKind::AutoBackupFailed, e));
                    }
                });
            }
            let db = Arc::new(Mutex::new(db));
            app.manage(AppState {
                db,
                cancelled: Arc::default(),
                notices,
                _log: log,
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            call,
            call_job,
            cancel_job,
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
