//! The window: one Tauri command, `call`, that hands a request to the core's command layer on
//! a blocking thread, so database work never stalls the async runtime or the UI.

use pufa_core::{AppError, Db, ErrorCode};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tauri::Manager;

/// The open database, or why it could not be opened (shown by the UI on a full-page error).
struct AppState {
    db: Arc<Mutex<Result<Db, AppError>>>,
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
            let db = Arc::new(Mutex::new(db));
            // Today's automatic backup (and the week's), off the window's thread; requests
            // wait for it, a second or less for a town.
            let for_backup = db.clone();
            std::thread::spawn(move || {
                let guard = for_backup.lock().unwrap_or_else(|p| p.into_inner());
                if let Ok(db) = guard.as_ref() {
                    if let Err(e) = pufa_core::backup::daily(db) {
                        eprintln!("自动备份失败：{e}");
                    }
                }
            });
            app.manage(AppState { db });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![call])
        .run(context());
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("窗口无法启动：{e}");
            1
        }
    }
}
