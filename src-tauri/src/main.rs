// A release build on Windows opens no console window; the CLI re-attaches to the parent's.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// Imports and package merges allocate and free millions of small values (cells, JSON, SQL
// parameters); mimalloc does that in about half the time of the system allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(pufa_planner::main_entry());
}
