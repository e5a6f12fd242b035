//! Command-line parsing and the offline commands.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use mockly_engine::{Engine, Payload};

/// Renders chat mockups: realistic screenshots of conversations.
#[derive(Debug, Parser)]
#[command(name = "mockly", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render a payload file to a PNG.
    Render {
        /// The ChatExportPayload JSON file, or `-` for standard input.
        payload: String,
        /// Where to write the picture (`-` for standard output).
        #[arg(short, long)]
        output: PathBuf,
    },
}

/// A command failed: what to tell the user.
#[derive(Debug)]
pub enum CliError {
    Read {
        path: String,
        source: std::io::Error,
    },
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The payload or a picture in it is wrong; the message names the field.
    Render(mockly_engine::Error),
    Usage(String),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Read { path, source } => write!(f, "cannot read {path}: {source}"),
            CliError::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            CliError::Render(e) => write!(f, "{e}"),
            CliError::Usage(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CliError {}

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Render { payload, output } => render(&payload, &output),
    }
}

fn render(input: &str, output: &Path) -> Result<(), CliError> {
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if output != Path::new("-") && ext.as_deref() != Some("png") {
        return Err(CliError::Usage(format!(
            "cannot tell the format of {}: use a .png file name",
            output.display()
        )));
    }
    let bytes = read_input(input)?;
    let payload = Payload::from_json(&bytes)
        .map_err(|e| CliError::Render(mockly_engine::Error::Payload(e)))?;
    let engine = Engine::new();
    let image = engine.render_png(&payload).map_err(CliError::Render)?;
    for w in &image.warnings {
        eprintln!("warning: {w}");
    }
    write_output(output, &image.png)?;
    if output != Path::new("-") {
        eprintln!(
            "wrote {} ({}×{} px, {} bytes)",
            output.display(),
            image.width,
            image.height,
            image.png.len()
        );
    }
    Ok(())
}

fn read_input(input: &str) -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::new();
    let result = if input == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(input).map(|b| bytes = b)
    };
    result.map_err(|source| CliError::Read {
        path: input.to_owned(),
        source,
    })?;
    Ok(bytes)
}

/// Writes through a temporary file and a rename, so a failed run never leaves a
/// half-written picture where a good one was.
fn write_output(output: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let err = |source| CliError::Write {
        path: output.to_owned(),
        source,
    };
    if output == Path::new("-") {
        let mut out = std::io::stdout().lock();
        return out.write_all(bytes).and_then(|()| out.flush()).map_err(err);
    }
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = output.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.partial"));
    std::fs::write(&tmp, bytes).map_err(err)?;
    std::fs::rename(&tmp, output).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })
}
