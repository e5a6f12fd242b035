//! Command-line parsing and the commands: `serve`, `render`, `keys`.

use std::collections::HashMap;
use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use mockly_engine::video::Container;
use mockly_engine::{Engine, Payload};

use crate::config::{Config, Overrides};
use crate::store::Store;

/// Renders chat mockups: realistic screenshots of conversations.
#[derive(Debug, Parser)]
#[command(name = "mockly", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where settings come from (see the README's configuration table).
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// TOML settings file (also `MOCKLY_CONFIG`).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Data directory: database and rendered files (also `MOCKLY_DATA_DIR`).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API.
    Serve {
        #[command(flatten)]
        settings: Settings,
        /// Address to listen on, e.g. 0.0.0.0:8080 (also `MOCKLY_LISTEN`).
        #[arg(long)]
        listen: Option<String>,
        /// Base of absolute URLs in responses (also `MOCKLY_PUBLIC_URL`).
        #[arg(long)]
        public_url: Option<String>,
    },
    /// Manage API keys.
    Keys {
        #[command(flatten)]
        settings: Settings,
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Render a payload file to a PNG, or to a video (MP4, or WebM with alpha).
    Render {
        /// The ChatExportPayload JSON file, or `-` for standard input.
        payload: String,
        /// Where to write the picture (`-` for standard output).
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Create a key; it is printed once and only its hash is kept.
    Create {
        #[arg(long)]
        label: String,
    },
    /// List keys (prefix, label, created, last used, revoked).
    List,
    /// Revoke a key by id or prefix.
    Revoke { key: String },
    /// Renders per key for a month (default: this month, UTC).
    Usage {
        /// `YYYY-MM`
        #[arg(long)]
        month: Option<String>,
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
    Config(crate::config::ConfigError),
    Store(crate::store::StoreError),
    Serve(String),
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
            CliError::Config(e) => write!(f, "{e}"),
            CliError::Store(e) => write!(f, "{e}"),
            CliError::Serve(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CliError {}

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Render { payload, output } => render(&payload, &output),
        Command::Serve {
            settings,
            listen,
            public_url,
        } => {
            let config = load_config(&settings, listen, public_url)?;
            serve(config)
        }
        Command::Keys { settings, action } => {
            let config = load_config(&settings, None, None)?;
            keys(&config, action)
        }
    }
}

fn load_config(
    settings: &Settings,
    listen: Option<String>,
    public_url: Option<String>,
) -> Result<Config, CliError> {
    let env: HashMap<String, String> = std::env::vars().collect();
    let flags = Overrides {
        listen,
        data_dir: settings.data_dir.clone(),
        public_url,
    };
    Config::load(settings.config.as_deref(), &env, &flags).map_err(CliError::Config)
}

fn serve(config: Config) -> Result<(), CliError> {
    init_logging(&config.log_format);
    let runtime = tokio::runtime::Runtime::new().map_err(|e| CliError::Serve(e.to_string()))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&config.listen)
            .await
            .map_err(|e| CliError::Serve(format!("cannot listen on {}: {e}", config.listen)))?;
        let data_dir = config.data_dir.clone();
        let server = crate::start(config, listener)
            .await
            .map_err(|e| CliError::Serve(e.to_string()))?;
        if let Some(key) = &server.first_key {
            println!("Created the first API key (shown once, keep it): {key}");
        }
        tracing::info!(
            url = %server.base_url,
            data_dir = %data_dir.display(),
            "listening"
        );
        crate::stop_on_signal(server).await;
        Ok(())
    })
}

fn init_logging(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

fn keys(config: &Config, action: KeysAction) -> Result<(), CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Serve(e.to_string()))?;
    runtime.block_on(manage_keys(config, action))
}

/// `mockly keys …` against the configured database (SQLite or PostgreSQL).
async fn manage_keys(config: &Config, action: KeysAction) -> Result<(), CliError> {
    let store = Store::open(config).await.map_err(CliError::Store)?;
    let now = crate::now();
    match action {
        KeysAction::Create { label } => {
            let key = crate::keys::generate();
            store
                .insert_key(&key.prefix, &key.hash, &label, now)
                .await
                .map_err(CliError::Store)?;
            println!("{}", key.secret);
            eprintln!(
                "Created key {} ({label}). It is shown only this once.",
                key.prefix
            );
        }
        KeysAction::List => {
            let rows = store.list_keys().await.map_err(CliError::Store)?;
            println!(
                "{:<4} {:<14} {:<20} {:<17} {:<17} revoked",
                "id", "prefix", "label", "created", "last used"
            );
            for k in rows {
                println!(
                    "{:<4} {:<14} {:<20} {:<17} {:<17} {}",
                    k.id,
                    k.prefix,
                    k.label,
                    when(Some(k.created_at)),
                    when(k.last_used_at),
                    when(k.revoked_at)
                );
            }
        }
        KeysAction::Revoke { key } => {
            let n = store.revoke_key(&key, now).await.map_err(CliError::Store)?;
            if n == 0 {
                return Err(CliError::Usage(format!(
                    "no live key with id or prefix '{key}'"
                )));
            }
            eprintln!("Revoked {n} key(s).");
        }
        KeysAction::Usage { month } => {
            let month = month.unwrap_or_else(|| crate::month_bounds(now).0);
            let rows = store.list_keys().await.map_err(CliError::Store)?;
            println!(
                "{:<14} {:<20} {:>8} {:>8}   ({month})",
                "prefix", "label", "images", "videos"
            );
            for k in rows {
                let (images, videos) = store.usage(k.id, &month).await.map_err(CliError::Store)?;
                println!("{:<14} {:<20} {images:>8} {videos:>8}", k.prefix, k.label);
            }
        }
    }
    Ok(())
}

/// A Unix time as `YYYY-MM-DD HH:MM` UTC, or `-`.
fn when(t: Option<i64>) -> String {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map_or_else(
            || "-".to_owned(),
            |d| d.format("%Y-%m-%d %H:%M").to_string(),
        )
}

/// The largest payload `render` reads (pictures as data URLs make payloads big;
/// this is three times what the HTTP API accepts).
const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

fn render(input: &str, output: &Path) -> Result<(), CliError> {
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let to_stdout = output == Path::new("-");
    let named = match ext.as_deref() {
        _ if to_stdout => None,
        Some("png") => Some(None),
        Some(e) if Container::format_of_extension(e).is_some() => {
            Some(Container::format_of_extension(e))
        }
        _ => {
            return Err(CliError::Usage(format!(
                "cannot tell the format of {}: use a .png, .mp4, .webm, .mov, .gif or .webp file name",
                output.display()
            )));
        }
    };
    let bytes = read_input(input)?;
    let payload = Payload::from_json(&bytes)
        .map_err(|e| CliError::Render(mockly_engine::Error::Payload(e)))?;
    // Remote pictures are fetched as the server would, with the same guard.
    let engine = Engine::with_image_source(crate::fetch::HttpImages::new(&Config::default()));
    let video = payload.export().render_kind == mockly_engine::payload::RenderKind::Video;
    // Standard output takes what the payload asks for; a file name says it itself.
    let transparent = payload.props().transparent_background;
    let container = match named {
        Some(None) => None,
        Some(Some(format)) => Some(Container::new(format, transparent)),
        None => video.then(|| Container::of(&payload)),
    };
    if let Some(container) = container {
        if transparent && !container.alpha {
            eprintln!(
                "warning: an MP4 has no alpha: the transparent background comes out black (use .webm, .mov, .gif or .webp)"
            );
        }
        return render_video(&engine, &payload, output, container);
    }
    let image = engine.render_png(&payload).map_err(CliError::Render)?;
    for w in &image.warnings {
        eprintln!("warning: {w}");
    }
    write_output(output, &image.png)?;
    if !to_stdout {
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

/// Renders a video with a progress bar on a terminal, plain lines otherwise.
fn render_video(
    engine: &Engine,
    payload: &Payload,
    output: &Path,
    container: Container,
) -> Result<(), CliError> {
    let ext = container.extension();
    let to_stdout = output == Path::new("-");
    // MP4's index goes at the front once the file is done (faststart): the video
    // is written to a file first even when it goes to standard output.
    let staging = if to_stdout {
        std::env::temp_dir().join(format!(".mockly-{}.{ext}", std::process::id()))
    } else {
        staging_path(output)
    };
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let bar = indicatif::ProgressBar::hidden();
    if terminal {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} frames  {elapsed} (eta {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
    }
    let mut last_line = 0u64;
    let result = engine.render_video_as(
        payload,
        container,
        &staging,
        &mut |p| {
            bar.set_length(p.frames_total);
            bar.set_position(p.frames_done);
            // Without a terminal: a line every tenth of the way.
            let tenth = (p.frames_done * 10) / p.frames_total.max(1);
            if !terminal && tenth > last_line {
                last_line = tenth;
                eprintln!(
                    "rendering: {}/{} frames ({}%)",
                    p.frames_done,
                    p.frames_total,
                    tenth * 10
                );
            }
        },
        &mockly_engine::Cancel::new(),
    );
    bar.finish_and_clear();
    let info = match result {
        Ok(info) => info,
        Err(e) => {
            let _ = std::fs::remove_file(&staging);
            return Err(CliError::Render(e));
        }
    };
    for w in &info.warnings {
        eprintln!("warning: {w}");
    }
    if to_stdout {
        if !payload.props().video_extras().is_empty() {
            eprintln!(
                "warning: props.video.include: no timing file or captions on standard output"
            );
        }
        let copied = std::fs::File::open(&staging).and_then(|mut f| {
            let mut out = std::io::stdout().lock();
            std::io::copy(&mut f, &mut out)?;
            out.flush()
        });
        let _ = std::fs::remove_file(&staging);
        return copied.map_err(|source| CliError::Write {
            path: output.to_owned(),
            source,
        });
    }
    std::fs::rename(&staging, output).map_err(|source| {
        let _ = std::fs::remove_file(&staging);
        CliError::Write {
            path: output.to_owned(),
            source,
        }
    })?;
    // The timing file and captions go beside the video (`chat.mp4` →
    // `chat.timeline.json`, `chat.srt`, `chat.vtt`).
    for extra in payload.props().video_extras() {
        let path = output.with_extension(extra.suffix());
        write_output(&path, extra.contents(&info.timing, payload).as_bytes())?;
        eprintln!("wrote {}", path.display());
    }
    eprintln!(
        "wrote {} ({}×{} px, {} frames at {} fps, {:.1} s, {} bytes)",
        output.display(),
        info.width,
        info.height,
        info.frames,
        info.fps,
        info.duration_ms / 1000.0,
        info.bytes
    );
    Ok(())
}

/// Where a file is written before it is renamed into place.
fn staging_path(output: &Path) -> PathBuf {
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = output.file_name().unwrap_or_default().to_string_lossy();
    dir.join(format!(".{name}.partial"))
}

/// Reads the payload, refusing more than [`MAX_INPUT_BYTES`] without reading on.
fn read_input(input: &str) -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::new();
    let source: Box<dyn Read> = if input == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(input).map_err(|source| CliError::Read {
            path: input.to_owned(),
            source,
        })?)
    };
    source
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| CliError::Read {
            path: input.to_owned(),
            source,
        })?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(CliError::Usage(format!(
            "{input} is larger than {} MiB; host the pictures and pass their URLs instead of data URLs",
            MAX_INPUT_BYTES >> 20
        )));
    }
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
    let tmp = staging_path(output);
    std::fs::write(&tmp, bytes).map_err(err)?;
    std::fs::rename(&tmp, output).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })
}
