//! `pufa-cli`: the command line of Pufa Planner as a console program. On Windows the window
//! program is a GUI-subsystem executable, which cmd and PowerShell start without waiting and
//! whose exit code they never see; this one behaves like any command-line tool there (output,
//! exit codes 0/1/2, waiting). Same code and subcommands as `pufa-planner <subcommand>`.

// As in the window program (main.rs): imports and merges allocate millions of small values.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(pufa_planner::cli_entry());
}
