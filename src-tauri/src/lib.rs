//! The desktop shell: parses the command line, then either runs a CLI subcommand headless or
//! opens the window. Both feed the core's one command layer (`pufa_core::api`).

pub mod cli;
mod gui;
pub mod paths;

/// Entry point of the single binary; returns the process exit code.
pub fn main_entry() -> i32 {
    use clap::Parser;
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            cli::attach_console();
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match args.command {
        Some(command) => {
            cli::attach_console();
            cli::run(args.data_dir, args.json, command)
        }
        None => gui::run(args.data_dir),
    }
}
