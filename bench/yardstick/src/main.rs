//! A hello-world Tauri 2 window: the yardstick Pufa Planner's idle memory and start-up are
//! measured against (bench/weight.sh).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the yardstick window could not start");
}
