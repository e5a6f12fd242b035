//! The server's state, by aggregate: API keys, usage, exports (and the video job
//! queue they form), rate-limit hits and settings.
//!
//! Handlers and workers speak in domain operations (record a still and its usage,
//! queue a job if there is room, claim a job with a lease …); each operation is one
//! transaction in the backend, so no check-then-write can race another request or
//! another node. Two backends:
//!
//! - [`sqlite`]: one file in the data directory, owned by one process (the default).
//! - [`postgres`]: a database several nodes share (`database_url`).

pub mod postgres;
pub mod sqlite;

use std::path::PathBuf;

/// A database failure.
#[derive(Debug)]
pub enum StoreError {
    Sqlite(rusqlite::Error),
    Postgres(String),
    Open {
        path: PathBuf,
        message: String,
    },
    /// The blocking task did not finish (it panicked or the runtime is stopping).
    Task(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Sqlite(e) => write!(f, "database: {e}"),
            StoreError::Postgres(e) => write!(f, "database: {e}"),
            StoreError::Open { path, message } => {
                write!(f, "cannot open database {}: {message}", path.display())
            }
            StoreError::Task(m) => write!(f, "database task: {m}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Sqlite(e)
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// An API key as stored (never the key itself).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRow {
    pub id: i64,
    pub prefix: String,
    pub label: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Where an export stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Queued,
    Rendering,
    Completed,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Rendering => "rendering",
            Status::Completed => "completed",
            Status::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Status {
        match s {
            "queued" => Status::Queued,
            "rendering" => Status::Rendering,
            "completed" => Status::Completed,
            _ => Status::Failed,
        }
    }
}

/// An export row (without the payload).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    pub id: String,
    pub key_id: i64,
    pub kind: String,
    pub status: Status,
    pub progress: f64,
    pub format: String,
    pub file: Option<String>,
    pub size_bytes: Option<i64>,
    pub error: Option<String>,
    pub created_at: i64,
    /// Files made beside a video (timing file, captions).
    pub extras: Vec<ExtraFile>,
}

/// A file stored beside an export's main file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtraFile {
    /// `timeline`, `srt` or `vtt`.
    pub kind: String,
    pub file: String,
    pub size_bytes: i64,
}

/// Reads the `extras` column; written by this server only, so a value it cannot read
/// lists nothing.
fn parse_extras(json: Option<String>) -> Vec<ExtraFile> {
    json.and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default()
}

fn extras_json(extras: &[ExtraFile]) -> Option<String> {
    (!extras.is_empty()).then(|| serde_json::to_string(extras).unwrap_or_default())
}

/// A still, rendered and stored: recorded complete with its usage, in one
/// transaction.
#[derive(Debug, Clone)]
pub struct NewImage {
    pub id: String,
    pub key_id: i64,
    pub file: String,
    pub size: i64,
    pub width: u32,
    pub height: u32,
    pub now: i64,
    /// The usage month (`YYYY-MM`, UTC).
    pub month: String,
    /// Already counted by [`Store::reserve_usage`].
    pub counted: bool,
}

/// A video job to queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub id: String,
    pub key_id: i64,
    pub format: String,
    pub payload: Vec<u8>,
    pub now: i64,
    /// The month it was counted in by [`Store::reserve_usage`], if it was.
    pub usage_month: Option<String>,
}

/// The limits a job is queued under: checked and applied in one transaction.
#[derive(Debug, Clone, Copy)]
pub struct QueueLimits {
    pub capacity: i64,
    pub per_key: i64,
}

/// Whether a key may queue one more video job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueRoom {
    Free,
    /// The queue holds `capacity` jobs.
    Full,
    /// This key has `share` jobs waiting.
    KeyShareUsed,
}

/// A job taken from the queue to render, under a lease.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub key_id: i64,
    pub format: String,
    pub payload: Vec<u8>,
    pub attempts: i64,
    /// Names this claim: only its holder may renew, complete, fail or release the
    /// job, so a node that lost its lease cannot overwrite another node's result.
    pub lease: String,
}

/// How a claim is made.
#[derive(Debug, Clone)]
pub struct Claim {
    pub now: i64,
    /// The claiming process: each key's share of the render slots is counted per
    /// node, as the slots are.
    pub node: String,
    /// Jobs one key may have rendering on this node.
    pub per_key: i64,
    /// The lease's length, seconds, in the database's clock (so nodes' clocks do not
    /// matter); the worker renews it well before it ends.
    pub lease_secs: i64,
}

/// A finished video, to record with its usage in one transaction.
#[derive(Debug, Clone)]
pub struct Finished {
    pub file: String,
    pub size: i64,
    pub extras: Vec<ExtraFile>,
    pub width: u32,
    pub height: u32,
    pub now: i64,
    pub month: String,
}

/// What a reclaim of jobs did: queued again, or failed for good after
/// `job_max_attempts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reclaimed {
    pub requeued: usize,
    pub failed: usize,
}

/// Which rendering jobs a reclaim takes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interrupted {
    /// Every one: at the start of the only process that uses the database.
    All,
    /// Those whose lease ran out (their node died or hangs), in the database's clock.
    LeaseExpired,
}

/// A request counted against a sliding window shared by every node.
#[derive(Debug, Clone, Copy)]
pub struct RateHit {
    pub key_id: i64,
    pub bucket: &'static str,
    pub limit: u32,
    pub window_ms: i64,
}

/// The window's state after a [`RateHit`], in the database's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateCount {
    pub allowed: bool,
    /// Requests counted in the window, this one included when allowed.
    pub used: u32,
    /// When the oldest counted request was made (ms), if any.
    pub oldest_ms: Option<i64>,
    pub now_ms: i64,
}

/// The database of this deployment.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
    /// Operations that failed (for `/metrics`).
    errors: prometheus_client::metrics::counter::Counter,
}

/// Which database it is.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

impl From<Backend> for Store {
    fn from(backend: Backend) -> Store {
        Store {
            backend,
            errors: Default::default(),
        }
    }
}

/// Runs the same call on whichever backend this is, counting failures.
macro_rules! each {
    ($self:ident, $s:ident => $call:expr) => {{
        let result = match &$self.backend {
            Backend::Sqlite($s) => $call,
            Backend::Postgres($s) => $call,
        };
        if result.is_err() {
            $self.errors.inc();
        }
        result
    }};
}

impl Store {
    /// The SQLite database in `data_dir`, or the PostgreSQL one `database_url` names.
    pub async fn open(config: &crate::config::Config) -> Result<Store> {
        let backend = if config.database_url.is_empty() {
            Backend::Sqlite(sqlite::Sqlite::open(&config.data_dir)?)
        } else {
            Backend::Postgres(postgres::Postgres::connect(&config.database_url).await?)
        };
        Ok(Store::from(backend))
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// The count of failed operations, shared with `/metrics`.
    pub fn errors(&self) -> prometheus_client::metrics::counter::Counter {
        self.errors.clone()
    }

    /// Whether several nodes may share this database (so nothing may assume that
    /// this process owns it).
    pub fn shared(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// Answers when the database does (readiness).
    pub async fn ping(&self) -> Result<()> {
        each!(self, s => s.ping().await)
    }

    // --- keys

    pub async fn insert_key(
        &self,
        prefix: &str,
        hash: &[u8],
        label: &str,
        now: i64,
    ) -> Result<i64> {
        each!(self, s => s.insert_key(prefix, hash, label, now).await)
    }

    /// Makes the deployment's first key unless one was ever made: atomically, so
    /// nodes booting together on an empty database make one key between them.
    /// Returns whether this call made it.
    pub async fn insert_first_key(&self, prefix: &str, hash: &[u8], now: i64) -> Result<bool> {
        each!(self, s => s.insert_first_key(prefix, hash, now).await)
    }

    /// The live (not revoked) key with this hash.
    pub async fn key_by_hash(&self, hash: &[u8]) -> Result<Option<KeyRow>> {
        each!(self, s => s.key_by_hash(hash).await)
    }

    pub async fn list_keys(&self) -> Result<Vec<KeyRow>> {
        each!(self, s => s.list_keys().await)
    }

    /// Revokes by id or by display prefix; returns how many keys were revoked.
    pub async fn revoke_key(&self, id_or_prefix: &str, now: i64) -> Result<usize> {
        each!(self, s => s.revoke_key(id_or_prefix, now).await)
    }

    pub async fn touch_key(&self, id: i64, now: i64) -> Result<()> {
        each!(self, s => s.touch_key(id, now).await)
    }

    // --- usage

    /// (images, videos) rendered by a key in a month.
    pub async fn usage(&self, key_id: i64, month: &str) -> Result<(u64, u64)> {
        each!(self, s => s.usage(key_id, month).await)
    }

    /// Counts a render before it runs if the key has fewer than `included` this
    /// month, atomically (concurrent requests on any node cannot overrun the
    /// quota); false when the quota is used up.
    pub async fn reserve_usage(
        &self,
        key_id: i64,
        month: &str,
        kind: &str,
        included: u64,
    ) -> Result<bool> {
        if included == 0 {
            return Ok(false);
        }
        let included = included.min(i64::MAX as u64) as i64;
        each!(self, s => s.reserve_usage(key_id, month, kind, included).await)
    }

    /// Gives back a reserved count (the render did not finish).
    pub async fn release_usage(&self, key_id: i64, month: &str, kind: &str) -> Result<()> {
        each!(self, s => s.release_usage(key_id, month, kind).await)
    }

    // --- exports and jobs

    /// Records a stored still and counts it, in one transaction.
    pub async fn record_image(&self, image: NewImage) -> Result<()> {
        each!(self, s => s.record_image(image).await)
    }

    /// Queues a job if the queue and the key's share have room, in one transaction.
    pub async fn enqueue_job(&self, job: NewJob, limits: QueueLimits) -> Result<QueueRoom> {
        each!(self, s => s.enqueue_job(job, limits).await)
    }

    pub async fn export(&self, id: &str) -> Result<Option<ExportRow>> {
        each!(self, s => s.export(id).await)
    }

    /// Takes a queued job and marks it rendering under a new lease: from the key with
    /// the fewest jobs rendering on this node (oldest first among equals), never from
    /// a key that already renders `per_key` jobs here. A job is claimed by one worker
    /// only.
    pub async fn claim_job(&self, claim: Claim) -> Result<Option<Job>> {
        each!(self, s => s.claim_job(claim).await)
    }

    /// Extends a lease to `lease_secs` from now (the database's clock); false when
    /// the job is no longer this lease's.
    pub async fn renew_lease(&self, id: &str, lease: &str, lease_secs: i64) -> Result<bool> {
        each!(self, s => s.renew_lease(id, lease, lease_secs).await)
    }

    /// Progress only grows.
    pub async fn set_progress(&self, id: &str, lease: &str, progress: f64) -> Result<()> {
        each!(self, s => s.set_progress(id, lease, progress).await)
    }

    /// Records a finished video and counts it; false (and nothing written) when the
    /// lease was lost.
    pub async fn complete_job(&self, id: &str, lease: &str, done: Finished) -> Result<bool> {
        each!(self, s => s.complete_job(id, lease, done).await)
    }

    /// Ends a job as failed; false when the lease was lost.
    pub async fn fail_job(&self, id: &str, lease: &str, error: &str, now: i64) -> Result<bool> {
        each!(self, s => s.fail_job(id, lease, error, now).await)
    }

    /// Gives a job back to the queue at once (this node is stopping gracefully:
    /// not a crash, so the attempt is not counted).
    pub async fn release_job(&self, id: &str, lease: &str) -> Result<()> {
        each!(self, s => s.release_job(id, lease).await)
    }

    /// Queues interrupted jobs again, or fails those interrupted `max_attempts`
    /// times.
    pub async fn reclaim(
        &self,
        which: Interrupted,
        max_attempts: u32,
        now: i64,
    ) -> Result<Reclaimed> {
        each!(self, s => s.reclaim(which, max_attempts, now).await)
    }

    /// Finished exports older than `before`: (id, file, extras).
    pub async fn expired(&self, before: i64) -> Result<Vec<ExportRow>> {
        each!(self, s => s.expired(before).await)
    }

    /// Bytes of all stored files.
    pub async fn stored_bytes(&self) -> Result<i64> {
        each!(self, s => s.stored_bytes().await)
    }

    /// The `limit` oldest completed exports.
    pub async fn oldest_completed(&self, limit: i64) -> Result<Vec<ExportRow>> {
        each!(self, s => s.oldest_completed(limit).await)
    }

    /// Deletes an export's row; false when another node deleted it first (so only
    /// one of them removes its files).
    pub async fn delete_export(&self, id: &str) -> Result<bool> {
        each!(self, s => s.delete_export(id).await)
    }

    /// Counts of exports by status (for `/metrics`).
    pub async fn jobs_by_status(&self) -> Result<Vec<(Status, i64)>> {
        each!(self, s => s.jobs_by_status().await)
    }

    // --- rate limits

    /// Counts a request in a window every node shares (PostgreSQL only: with SQLite
    /// the one process counts in memory). `None` for SQLite.
    pub async fn rate_hit(&self, hit: RateHit) -> Result<Option<RateCount>> {
        each!(self, s => s.rate_hit(hit).await)
    }

    /// Forgets rate-limit hits older than `window_ms` (housekeeping).
    pub async fn prune_rate_hits(&self, window_ms: i64) -> Result<()> {
        each!(self, s => s.prune_rate_hits(window_ms).await)
    }

    // --- settings

    /// The setting's value; `value` is stored first if it has none, so every node
    /// gets the same one.
    pub async fn setting_or_insert(&self, name: &str, value: &[u8]) -> Result<Vec<u8>> {
        each!(self, s => s.setting_or_insert(name, value).await)
    }
}
