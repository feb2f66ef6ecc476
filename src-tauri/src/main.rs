// A release build on Windows opens no console window; the CLI re-attaches to the parent's.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    std::process::exit(pufa_planner::main_entry());
}
