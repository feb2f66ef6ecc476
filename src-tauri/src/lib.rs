//! The desktop shell: parses the command line, then either runs a CLI subcommand headless or
//! opens the window. Both feed the core's one command layer (`pufa_core::api`).
//!
//! Two programs are built from it: `pufa-planner` (the window; on Windows a GUI-subsystem
//! program, which cmd and PowerShell neither wait for nor take an exit code from) and
//! `pufa-cli`, a console program for the command line that never opens the window.

pub mod cli;
mod gui;
pub mod logging;
pub mod paths;
mod windows;

use clap::{CommandFactory, FromArgMatches, Parser};

/// Entry point of `pufa-planner`: no subcommand opens the window. Returns the exit code.
pub fn main_entry() -> i32 {
    let args = match cli::Cli::try_parse_from(std::env::args_os()) {
        Ok(a) => a,
        Err(e) => {
            windows::attach_console();
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match args.command {
        Some(command) => {
            windows::attach_console();
            cli::run(args.data_dir, args.json, command)
        }
        None => gui::run(args.data_dir),
    }
}

/// Entry point of `pufa-cli`, the console companion: the same subcommands; without one it
/// prints the help and exits 2 (it never opens the window).
pub fn cli_entry() -> i32 {
    let command = cli::Cli::command()
        .name("pufa-cli")
        .bin_name("pufa-cli")
        .subcommand_required(true)
        .arg_required_else_help(true);
    let parsed = command
        .try_get_matches()
        .and_then(|m| cli::Cli::from_arg_matches(&m));
    match parsed {
        Ok(cli::Cli {
            data_dir,
            json,
            command: Some(command),
        }) => cli::run(data_dir, json, command),
        Ok(_) => 2,
        Err(e) => {
            let _ = e.print();
            if e.use_stderr() {
                2
            } else {
                0
            }
        }
    }
}
