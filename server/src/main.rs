//! `mockly`: serve the HTTP API, render offline, manage API keys.
// Only the engine's FFmpeg side data needs `unsafe` (the workspace denies it).
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use mockly_server::cli;

/// jemalloc gives freed memory back to the system: after a heavy render the
/// server's footprint returns near its baseline, where glibc's allocator keeps
/// ~100 MB of freed arenas and raises its own mmap threshold.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
