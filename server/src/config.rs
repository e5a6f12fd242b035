//! Settings: defaults → optional TOML file → `MOCKLY_*` environment → command-line
//! flags, each layer overriding the one before.
//!
//! Every setting is a flat key, so the file, the environment variable and the README
//! table use the same name: `render_rate_limit` in the file is
//! `MOCKLY_RENDER_RATE_LIMIT` in the environment.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Everything the server can be told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub listen: String,
    /// Where the database and rendered files live (with the defaults below; a
    /// node of a cluster keeps only its staging files here).
    pub data_dir: PathBuf,
    /// A PostgreSQL database every node shares
    /// (`postgres://user:password@host:5432/mockly`); empty = SQLite in `data_dir`.
    pub database_url: String,
    /// Where rendered files are kept: `local` (`data_dir/exports`) or `s3` (an
    /// S3-compatible bucket; credentials from `AWS_ACCESS_KEY_ID` and
    /// `AWS_SECRET_ACCESS_KEY`). In a file, the `[storage]` section's `backend`.
    pub storage_backend: String,
    /// The bucket (`[storage] bucket`).
    pub storage_bucket: String,
    /// The S3 endpoint for other stores than AWS (MinIO, Garage, R2), path-style
    /// (`[storage] endpoint`); empty = AWS.
    pub storage_endpoint: String,
    /// The bucket's region (`[storage] region`); empty = `AWS_REGION` /
    /// `AWS_DEFAULT_REGION` from the environment, else `us-east-1`.
    pub storage_region: String,
    /// A prefix for every object's name (`[storage] prefix`).
    pub storage_prefix: String,
    /// The bucket's access key (`[storage] access_key_id`); empty = the
    /// environment's `AWS_ACCESS_KEY_ID` (or an instance role).
    pub storage_access_key_id: String,
    /// Its secret (`[storage] secret_access_key`); empty = `AWS_SECRET_ACCESS_KEY`.
    pub storage_secret_access_key: String,
    /// Hand out the object store's own presigned URL as `downloadUrl` instead of
    /// ours (`[storage] presigned_urls`); files then bypass the nodes.
    pub storage_presigned_urls: bool,
    /// Base of the absolute URLs in responses; defaults to `http://<listen>`.
    pub public_url: String,
    /// Lifetime of signed download URLs, seconds.
    pub url_ttl_secs: u64,
    /// Largest accepted request body, bytes.
    pub max_body_bytes: usize,
    /// `POST /api/v1/chat/render` requests per key per window.
    pub render_rate_limit: u32,
    /// Export status and download requests per key per window (one shared bucket).
    pub exports_rate_limit: u32,
    /// `POST /api/v1/chat/preview` requests per key per window (the playground's
    /// live preview; not counted in the monthly quota).
    pub preview_rate_limit: u32,
    /// Length of the sliding rate-limit window, seconds.
    pub rate_window_secs: u64,
    /// Refuse renders beyond the monthly quota (usage is counted either way).
    pub quota_enforce: bool,
    /// Image renders included per key per calendar month (UTC).
    pub quota_images: u64,
    /// Video renders included per key per calendar month (UTC).
    pub quota_videos: u64,
    /// Videos rendered at once; further jobs wait in the queue. 0 = one per core.
    pub render_slots: usize,
    /// Stills rendered at once. 0 = two per core.
    pub image_slots: usize,
    /// Heavy stills (tall, text-heavy or picture-heavy) rendered at once, so they
    /// cannot take every still slot from ordinary ones.
    pub heavy_image_slots: usize,
    /// Stills of one key rendered at once. 0 = half the still slots (at least one).
    pub image_slots_per_key: usize,
    /// A still not finished within this (waiting for a slot included) is stopped:
    /// 503 `overloaded`. Seconds.
    pub image_timeout_secs: u64,
    /// Video jobs allowed to wait; beyond this, 503 `overloaded`.
    pub queue_capacity: usize,
    /// Video jobs one key may have waiting; beyond this, 429 `rate_limited`.
    /// 0 = half the queue.
    pub queue_per_key: usize,
    /// Videos of one key rendered at once. 0 = half the render slots (at least one).
    pub render_slots_per_key: usize,
    /// A video job running longer than this fails, seconds.
    pub job_timeout_secs: u64,
    /// A job interrupted this many times (crashes) fails instead of retrying.
    pub job_max_attempts: u32,
    /// A rendering job's lease, seconds: renewed while the node renders, taken back
    /// by any node once it runs out (its node died).
    pub job_lease_secs: u64,
    /// Finished exports (files and rows) are deleted after this many hours.
    pub retention_hours: u64,
    /// Stored files may take at most this many bytes; past it the oldest exports
    /// are deleted before their retention ends.
    pub storage_max_bytes: u64,
    /// Secret for signed URLs, hex; when empty one is generated and kept in the database.
    pub signing_secret: String,
    /// Remote image fetch: whole-request timeout, seconds.
    pub fetch_timeout_secs: u64,
    /// Remote image fetch: largest body, bytes.
    pub fetch_max_bytes: u64,
    /// Remote image fetch: redirects followed (each re-checked).
    pub fetch_max_redirects: u32,
    /// Hosts, addresses or CIDR blocks exempt from the private-address guard.
    pub fetch_allow: Vec<String>,
    /// Connections served at once; further ones wait to be accepted.
    pub max_connections: usize,
    /// A client must send a request's headers within this, and an idle keep-alive
    /// connection is closed after it; also the longest pause while sending a body.
    /// Seconds.
    pub header_timeout_secs: u64,
    /// A request body must arrive whole within this, seconds (408 otherwise).
    pub body_timeout_secs: u64,
    /// `text` or `json` log lines.
    pub log_format: String,
    /// Serve the playground page at `/`; false for API-only deployments.
    pub playground: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: "127.0.0.1:8080".to_owned(),
            data_dir: PathBuf::from("mockly-data"),
            database_url: String::new(),
            storage_backend: "local".to_owned(),
            storage_bucket: String::new(),
            storage_endpoint: String::new(),
            storage_region: String::new(),
            storage_prefix: String::new(),
            storage_access_key_id: String::new(),
            storage_secret_access_key: String::new(),
            storage_presigned_urls: false,
            public_url: String::new(),
            url_ttl_secs: 3600,
            max_body_bytes: 10 * 1024 * 1024,
            render_rate_limit: 60,
            exports_rate_limit: 120,
            preview_rate_limit: 600,
            rate_window_secs: 60,
            quota_enforce: false,
            quota_images: 10_000,
            quota_videos: 500,
            render_slots: 0,
            image_slots: 0,
            heavy_image_slots: 1,
            image_slots_per_key: 0,
            image_timeout_secs: 30,
            queue_capacity: 100,
            queue_per_key: 0,
            render_slots_per_key: 0,
            job_timeout_secs: 600,
            job_max_attempts: 3,
            job_lease_secs: 30,
            retention_hours: 7 * 24,
            storage_max_bytes: 20 * 1024 * 1024 * 1024,
            signing_secret: String::new(),
            fetch_timeout_secs: 10,
            fetch_max_bytes: 15 * 1024 * 1024,
            fetch_max_redirects: 3,
            fetch_allow: Vec::new(),
            max_connections: 512,
            header_timeout_secs: 10,
            body_timeout_secs: 60,
            log_format: "text".to_owned(),
            playground: true,
        }
    }
}

/// A setting could not be read.
#[derive(Debug)]
pub enum ConfigError {
    File { path: PathBuf, message: String },
    Env { name: String, message: String },
    Invalid(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::File { path, message } => {
                write!(f, "config file {}: {message}", path.display())
            }
            ConfigError::Env { name, message } => write!(f, "environment {name}: {message}"),
            ConfigError::Invalid(m) => write!(f, "configuration: {m}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Flags given on the command line (the last layer).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub public_url: Option<String>,
}

impl Config {
    /// Builds the configuration from every layer. `file` is the `--config` path (or
    /// `MOCKLY_CONFIG`); `env` is the process environment.
    pub fn load(
        file: Option<&Path>,
        env: &HashMap<String, String>,
        flags: &Overrides,
    ) -> Result<Config, ConfigError> {
        let mut table = toml::Table::try_from(Config::default())
            .map_err(|e| ConfigError::Invalid(e.to_string()))?;
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| env.get("MOCKLY_CONFIG").map(PathBuf::from));
        if let Some(path) = &file {
            let text = std::fs::read_to_string(path).map_err(|e| ConfigError::File {
                path: path.clone(),
                message: e.to_string(),
            })?;
            let from_file: toml::Table = toml::from_str(&text).map_err(|e| ConfigError::File {
                path: path.clone(),
                message: e.to_string(),
            })?;
            for (k, v) in flatten_sections(from_file) {
                if !table.contains_key(&k) {
                    return Err(ConfigError::File {
                        path: path.clone(),
                        message: format!("unknown setting '{k}'"),
                    });
                }
                table.insert(k, v);
            }
        }
        let keys: Vec<String> = table.keys().cloned().collect();
        for key in keys {
            let name = format!("MOCKLY_{}", key.to_ascii_uppercase());
            if let Some(raw) = env.get(&name) {
                let value = env_value(&table[&key], raw).map_err(|message| ConfigError::Env {
                    name: name.clone(),
                    message,
                })?;
                table.insert(key, value);
            }
        }
        let mut config: Config = table
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid(e.to_string()))?;
        if let Some(v) = &flags.listen {
            config.listen = v.clone();
        }
        if let Some(v) = &flags.data_dir {
            config.data_dir = v.clone();
        }
        if let Some(v) = &flags.public_url {
            config.public_url = v.clone();
        }
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let bad = |m: &str| Err(ConfigError::Invalid(m.to_owned()));
        if self.rate_window_secs == 0 {
            return bad("rate_window_secs must be at least 1");
        }
        if self.url_ttl_secs == 0 {
            return bad("url_ttl_secs must be at least 1");
        }
        if !self.signing_secret.is_empty() {
            match hex::decode(&self.signing_secret) {
                Err(_) => return bad("signing_secret must be hexadecimal"),
                Ok(b) if b.len() < 32 => {
                    return bad(
                        "signing_secret must be at least 32 bytes (64 hexadecimal digits); \
                         generate one with `openssl rand -hex 32`",
                    );
                }
                Ok(_) => {}
            }
        }
        for (name, value) in [
            ("header_timeout_secs", self.header_timeout_secs),
            ("body_timeout_secs", self.body_timeout_secs),
            ("image_timeout_secs", self.image_timeout_secs),
            ("job_timeout_secs", self.job_timeout_secs),
            ("heavy_image_slots", self.heavy_image_slots as u64),
            ("max_connections", self.max_connections as u64),
        ] {
            if value == 0 {
                return Err(ConfigError::Invalid(format!("{name} must be at least 1")));
            }
        }
        if !["text", "json"].contains(&self.log_format.as_str()) {
            return bad("log_format must be 'text' or 'json'");
        }
        if self.job_lease_secs < 3 {
            return bad("job_lease_secs must be at least 3");
        }
        match self.storage_backend.as_str() {
            "local" => {}
            "s3" if self.storage_bucket.is_empty() => {
                return bad("storage_bucket is needed with storage_backend = 's3'");
            }
            "s3" => {}
            _ => return bad("storage_backend must be 'local' or 's3'"),
        }
        if self.storage_presigned_urls && self.storage_backend != "s3" {
            return bad("storage_presigned_urls needs storage_backend = 's3'");
        }
        if self.storage_access_key_id.is_empty() != self.storage_secret_access_key.is_empty() {
            return bad(
                "storage_access_key_id and storage_secret_access_key go together: set both or neither",
            );
        }
        if self.storage_presigned_urls && self.url_ttl_secs > 7 * 24 * 3600 {
            return bad("url_ttl_secs may be at most 604800 (7 days) with storage_presigned_urls");
        }
        Ok(())
    }

    /// The base of absolute URLs, without a trailing slash.
    pub fn base_url(&self, bound: std::net::SocketAddr) -> String {
        if self.public_url.is_empty() {
            format!("http://{bound}")
        } else {
            self.public_url.trim_end_matches('/').to_owned()
        }
    }

    fn cores() -> usize {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }

    pub fn video_slots(&self) -> usize {
        if self.render_slots == 0 {
            Config::cores()
        } else {
            self.render_slots
        }
    }

    pub fn still_slots(&self) -> usize {
        if self.image_slots == 0 {
            Config::cores() * 2
        } else {
            self.image_slots
        }
    }

    /// Stills of one key rendered at once.
    pub fn key_image_share(&self) -> usize {
        if self.image_slots_per_key == 0 {
            (self.still_slots() / 2).max(1)
        } else {
            self.image_slots_per_key
        }
    }

    /// Heavy stills of one key rendered at once: half the heavy lane, at least one.
    pub fn key_heavy_share(&self) -> usize {
        (self.heavy_image_slots / 2).max(1)
    }

    /// Video jobs one key may have waiting.
    pub fn key_queue_share(&self) -> usize {
        if self.queue_per_key == 0 {
            (self.queue_capacity / 2).max(1)
        } else {
            self.queue_per_key
        }
    }

    /// Videos of one key rendered at once.
    pub fn key_slot_share(&self) -> usize {
        if self.render_slots_per_key == 0 {
            self.video_slots().div_ceil(2).max(1)
        } else {
            self.render_slots_per_key
        }
    }
}

/// A file's `[storage]` section as the flat `storage_*` settings (`backend` →
/// `storage_backend`), so the file, the environment and the README use one list.
fn flatten_sections(file: toml::Table) -> Vec<(String, toml::Value)> {
    let mut flat = Vec::new();
    for (k, v) in file {
        match (k.as_str(), v) {
            ("storage", toml::Value::Table(section)) => {
                flat.extend(
                    section
                        .into_iter()
                        .map(|(k, v)| (format!("storage_{k}"), v)),
                );
            }
            (_, v) => flat.push((k, v)),
        }
    }
    flat
}

/// Reads an environment string as the type the default has.
fn env_value(default: &toml::Value, raw: &str) -> Result<toml::Value, String> {
    use toml::Value;
    let number = |r: Result<i64, _>| {
        r.map(Value::Integer)
            .map_err(|e: std::num::ParseIntError| e.to_string())
    };
    match default {
        Value::String(_) => Ok(Value::String(raw.to_owned())),
        Value::Integer(_) => number(raw.trim().parse()),
        Value::Float(_) => raw
            .trim()
            .parse()
            .map(Value::Float)
            .map_err(|e: std::num::ParseFloatError| e.to_string()),
        Value::Boolean(_) => match raw.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(Value::Boolean(true)),
            "0" | "false" | "no" | "off" => Ok(Value::Boolean(false)),
            other => Err(format!("expected true or false, got '{other}'")),
        },
        Value::Array(_) => Ok(Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        )),
        _ => Err("unsupported setting type".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_override_in_order() {
        let dir = std::env::temp_dir().join(format!("mockly-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("mockly.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\nrender_rate_limit = 5\nquota_enforce = true\n",
        )
        .unwrap();
        let env = HashMap::from([
            ("MOCKLY_RENDER_RATE_LIMIT".to_owned(), "7".to_owned()),
            (
                "MOCKLY_FETCH_ALLOW".to_owned(),
                "127.0.0.1, example.test".to_owned(),
            ),
        ]);
        let flags = Overrides {
            listen: Some("127.0.0.1:1234".to_owned()),
            ..Overrides::default()
        };
        let c = Config::load(Some(&file), &env, &flags).unwrap();
        assert_eq!(c.listen, "127.0.0.1:1234", "flag beats file");
        assert_eq!(c.render_rate_limit, 7, "environment beats file");
        assert!(c.quota_enforce, "file beats default");
        assert_eq!(c.exports_rate_limit, 120, "default");
        assert_eq!(c.fetch_allow, ["127.0.0.1", "example.test"]);
    }

    #[test]
    fn the_storage_section_is_the_storage_settings() {
        let dir = std::env::temp_dir().join(format!("mockly-config-s-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("mockly.toml");
        std::fs::write(
            &file,
            "database_url = \"postgres://m@db/mockly\"\n[storage]\nbackend = \"s3\"\n\
             bucket = \"renders\"\nendpoint = \"http://minio:9000\"\n",
        )
        .unwrap();
        let env = HashMap::from([("MOCKLY_STORAGE_PREFIX".to_owned(), "eu/".to_owned())]);
        let c = Config::load(Some(&file), &env, &Overrides::default()).unwrap();
        assert_eq!(c.database_url, "postgres://m@db/mockly");
        assert_eq!(c.storage_backend, "s3");
        assert_eq!(c.storage_bucket, "renders");
        assert_eq!(c.storage_endpoint, "http://minio:9000");
        assert_eq!(c.storage_prefix, "eu/");
        std::fs::write(&file, "[storage]\nbackend = \"s3\"\n").unwrap();
        let e = Config::load(Some(&file), &HashMap::new(), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("storage_bucket"), "{e}");
        std::fs::write(&file, "[storage]\ncolour = \"red\"\n").unwrap();
        let e = Config::load(Some(&file), &HashMap::new(), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("storage_colour"), "{e}");
    }

    #[test]
    fn mistakes_are_reported_by_name() {
        let env = HashMap::from([("MOCKLY_RATE_WINDOW_SECS".to_owned(), "soon".to_owned())]);
        let e = Config::load(None, &env, &Overrides::default()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("environment MOCKLY_RATE_WINDOW_SECS"),
            "{e}"
        );

        let dir = std::env::temp_dir().join(format!("mockly-config-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.toml");
        std::fs::write(&file, "colour = \"blue\"\n").unwrap();
        let e = Config::load(Some(&file), &HashMap::new(), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("unknown setting 'colour'"), "{e}");

        let short = HashMap::from([("MOCKLY_SIGNING_SECRET".to_owned(), "00".to_owned())]);
        let e = Config::load(None, &short, &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("at least 32 bytes"), "{e}");
        let good = HashMap::from([("MOCKLY_SIGNING_SECRET".to_owned(), "ab".repeat(32))]);
        assert!(Config::load(None, &good, &Overrides::default()).is_ok());
    }
}
