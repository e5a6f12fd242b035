//! `mockly`: serve the HTTP API, render offline, manage API keys.

use std::process::ExitCode;

use clap::Parser;
use mockly_server::cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
