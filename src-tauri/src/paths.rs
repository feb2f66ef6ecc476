//! Where the data lives: `--data-dir`, else `PUFA_DATA_DIR`, else the OS app-data folder for
//! the app's identifier (the folder Tauri's path API gives the window). Development builds
//! (no bundled UI) use their own folder so they never touch a user's real data.

use std::path::PathBuf;

/// The identifier from tauri.conf.json, with ".dev" appended in development builds.
pub fn identifier(configured: &str) -> String {
    if tauri::is_dev() {
        format!("{configured}.dev")
    } else {
        configured.to_string()
    }
}

/// The default data folder for the CLI: the same rule Tauri's `app_data_dir` applies
/// (the platform data folder joined with the identifier).
pub fn default_data_dir(configured_identifier: &str) -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(identifier(configured_identifier)))
}
