//! The window: one Tauri command, `call`, that hands a request to the core's command layer on
//! a blocking thread, so database work never stalls the async runtime or the UI.

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
        match guard.as_mut() {
            Ok(db) => pufa_core::api::dispatch(db, request),
            Err(e) => Err(e.clone()),
        }
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

pub(crate) fn context() -> tauri::Context<tauri::Wry> {
    tauri::generate_context!()
}

pub fn run(data_dir: Option<PathBuf>) -> i32 {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let dir = match data_dir {
                Some(d) => d,
                None => {
                    let base = app.path().app_data_dir()?;
                    let id = crate::paths::identifier(&app.config().identifier);
                    base.with_file_name(id)
                }
            };
            let db = Db::open_dir(&dir);
            if let Err(e) = &db {
                eprintln!("无法打开数据：{e}");
            }
            // Today's automatic backup (and the week's) on a connection of its own, beside the
            // window's work: a county database takes seconds to copy.
            if db.is_ok() {
                let folder = dir.clone();
                std::thread::spawn(move || {
                    if let Err(e) = pufa_core::backup::daily(&folder) {
                        eprintln!("自动备份失败：{e}");
                    }
                });
            }
            let db = Arc::new(Mutex::new(db));
            app.manage(AppState {
                db,
                cancelled: Arc::default(),
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![call, call_job, cancel_job])
        .run(context());
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("窗口无法启动：{e}");
            1
        }
    }
}
