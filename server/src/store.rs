//! SQLite storage: API keys, usage, exports (and the video job queue they form), and
//! server settings.
//!
//! One connection writes and one reads (WAL lets them run side by side). Async code
//! reaches them through [`Store::write`] and [`Store::read`], which run the closure on
//! a blocking thread so the runtime never waits on the disk.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, params};

/// Schema migrations in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_stored_bytes.sql"),
    include_str!("../migrations/0003_extra_files.sql"),
];

/// A database failure.
#[derive(Debug)]
pub enum StoreError {
    Sqlite(rusqlite::Error),
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

/// The database of one data directory.
#[derive(Clone)]
pub struct Store {
    writer: Arc<Mutex<Connection>>,
    reader: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) `mockly.db` in `data_dir` and brings its schema up
    /// to date.
    pub fn open(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Open {
            path: data_dir.to_owned(),
            message: e.to_string(),
        })?;
        let path = data_dir.join("mockly.db");
        let writer = connect(&path)?;
        migrate(&writer)?;
        let reader = connect(&path)?;
        Ok(Store {
            writer: Arc::new(Mutex::new(writer)),
            reader: Arc::new(Mutex::new(reader)),
        })
    }

    /// Runs `f` with the writing connection on a blocking thread.
    pub async fn write<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    {
        let conn = self.writer.clone();
        run_blocking(conn, f).await
    }

    /// Runs `f` with the reading connection on a blocking thread.
    pub async fn read<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    {
        let conn = self.reader.clone();
        run_blocking(conn, f).await
    }

    /// Runs `f` with the writing connection on this thread (CLI, job threads).
    pub fn write_now<R>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<R>) -> Result<R> {
        let conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        Ok(f(&conn)?)
    }
}

async fn run_blocking<R, F>(conn: Arc<Mutex<Connection>>, f: F) -> Result<R>
where
    R: Send + 'static,
    F: FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let conn = conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&conn)
    })
    .await
    .map_err(|e| StoreError::Task(e.to_string()))?
    .map_err(StoreError::from)
}

fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(|e| StoreError::Open {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
    )?;
    Ok(conn)
}

fn migrate(conn: &Connection) -> Result<()> {
    let done: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        tx.commit()?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------
// API keys

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

fn key_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<KeyRow> {
    Ok(KeyRow {
        id: r.get(0)?,
        prefix: r.get(1)?,
        label: r.get(2)?,
        created_at: r.get(3)?,
        last_used_at: r.get(4)?,
        revoked_at: r.get(5)?,
    })
}

const KEY_COLUMNS: &str = "id, prefix, label, created_at, last_used_at, revoked_at";

pub fn insert_key(
    c: &Connection,
    prefix: &str,
    hash: &[u8],
    label: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    c.execute(
        "INSERT INTO api_keys (prefix, hash, label, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![prefix, hash, label, now],
    )?;
    Ok(c.last_insert_rowid())
}

/// The live (not revoked) key with this hash.
pub fn key_by_hash(c: &Connection, hash: &[u8]) -> rusqlite::Result<Option<KeyRow>> {
    c.query_row(
        &format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE hash = ?1 AND revoked_at IS NULL"),
        [hash],
        key_row,
    )
    .optional()
}

pub fn list_keys(c: &Connection) -> rusqlite::Result<Vec<KeyRow>> {
    let mut stmt = c.prepare(&format!("SELECT {KEY_COLUMNS} FROM api_keys ORDER BY id"))?;
    let rows = stmt.query_map([], key_row)?;
    rows.collect()
}

/// Revokes by id or by display prefix; returns how many keys were revoked.
pub fn revoke_key(c: &Connection, id_or_prefix: &str, now: i64) -> rusqlite::Result<usize> {
    let id: i64 = id_or_prefix.parse().unwrap_or(-1);
    c.execute(
        "UPDATE api_keys SET revoked_at = ?3 WHERE revoked_at IS NULL AND (id = ?1 OR prefix = ?2)",
        params![id, id_or_prefix, now],
    )
}

pub fn touch_key(c: &Connection, id: i64, now: i64) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

pub fn key_count(c: &Connection) -> rusqlite::Result<i64> {
    c.query_row("SELECT COUNT(*) FROM api_keys", [], |r| r.get(0))
}

// ---------------------------------------------------------------------------------
// Usage

/// Counts one successful render.
pub fn add_usage(c: &Connection, key_id: i64, month: &str, kind: &str) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO usage (key_id, month, kind, count) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT (key_id, month, kind) DO UPDATE SET count = count + 1",
        params![key_id, month, kind],
    )?;
    Ok(())
}

/// (images, videos) rendered by a key in a month.
pub fn usage(c: &Connection, key_id: i64, month: &str) -> rusqlite::Result<(u64, u64)> {
    let count = |kind: &str| -> rusqlite::Result<u64> {
        c.query_row(
            "SELECT count FROM usage WHERE key_id = ?1 AND month = ?2 AND kind = ?3",
            params![key_id, month, kind],
            |r| r.get::<_, i64>(0),
        )
        .optional()
        .map(|n| n.unwrap_or(0).max(0) as u64)
    };
    Ok((count("image")?, count("video")?))
}

// ---------------------------------------------------------------------------------
// Exports and jobs

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

const EXPORT_COLUMNS: &str =
    "id, key_id, kind, status, progress, format, file, size_bytes, error, created_at, extras";

fn export_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ExportRow> {
    Ok(ExportRow {
        id: r.get(0)?,
        key_id: r.get(1)?,
        kind: r.get(2)?,
        status: Status::parse(&r.get::<_, String>(3)?),
        progress: r.get(4)?,
        format: r.get(5)?,
        file: r.get(6)?,
        size_bytes: r.get(7)?,
        error: r.get(8)?,
        created_at: r.get(9)?,
        // Written by this server only; a value it cannot read lists nothing.
        extras: r
            .get::<_, Option<String>>(10)?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default(),
    })
}

/// A still, stored complete.
#[allow(clippy::too_many_arguments)]
pub fn insert_completed_image(
    c: &Connection,
    id: &str,
    key_id: i64,
    file: &str,
    size: i64,
    width: u32,
    height: u32,
    now: i64,
) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO exports (id, key_id, kind, status, progress, format, width, height, file,
                              size_bytes, created_at, started_at, finished_at)
         VALUES (?1, ?2, 'image', 'completed', 1, 'png', ?3, ?4, ?5, ?6, ?7, ?7, ?7)",
        params![id, key_id, width, height, file, size, now],
    )?;
    Ok(())
}

/// A video job, waiting in the queue with its payload.
pub fn insert_job(
    c: &Connection,
    id: &str,
    key_id: i64,
    format: &str,
    payload: &[u8],
    now: i64,
) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO exports (id, key_id, kind, status, format, payload, created_at)
         VALUES (?1, ?2, 'video', 'queued', ?3, ?4, ?5)",
        params![id, key_id, format, payload, now],
    )?;
    Ok(())
}

pub fn export_by_id(c: &Connection, id: &str) -> rusqlite::Result<Option<ExportRow>> {
    c.query_row(
        &format!("SELECT {EXPORT_COLUMNS} FROM exports WHERE id = ?1"),
        [id],
        export_row,
    )
    .optional()
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

/// Room in the queue for one more job of `key_id`; run it in the transaction that
/// inserts the job.
pub fn queue_room(
    c: &Connection,
    key_id: i64,
    capacity: i64,
    share: i64,
) -> rusqlite::Result<QueueRoom> {
    let (all, mine): (i64, i64) = c.query_row(
        "SELECT COUNT(*), COALESCE(SUM(key_id = ?1), 0) FROM exports WHERE status = 'queued'",
        [key_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(if mine >= share {
        QueueRoom::KeyShareUsed
    } else if all >= capacity {
        QueueRoom::Full
    } else {
        QueueRoom::Free
    })
}

/// A job taken from the queue to render.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub key_id: i64,
    pub format: String,
    pub payload: Vec<u8>,
    pub attempts: i64,
}

/// Takes a queued job and marks it rendering, atomically: from the key with the
/// fewest jobs rendering (oldest first among equals), and never from a key that
/// already renders `per_key` jobs, so one key's batch cannot hold every slot.
pub fn claim_job(c: &Connection, now: i64, per_key: i64) -> rusqlite::Result<Option<Job>> {
    c.query_row(
        "WITH running AS (
             SELECT key_id, COUNT(*) AS n FROM exports WHERE status = 'rendering' GROUP BY key_id
         )
         UPDATE exports SET status = 'rendering', started_at = ?1, attempts = attempts + 1,
                            progress = 0
         WHERE id = (SELECT e.id FROM exports e LEFT JOIN running r ON r.key_id = e.key_id
                     WHERE e.status = 'queued' AND COALESCE(r.n, 0) < ?2
                     ORDER BY COALESCE(r.n, 0), e.created_at, e.rowid LIMIT 1)
         RETURNING id, key_id, format, payload, attempts",
        params![now, per_key],
        |r| {
            Ok(Job {
                id: r.get(0)?,
                key_id: r.get(1)?,
                format: r.get(2)?,
                payload: r.get(3)?,
                attempts: r.get(4)?,
            })
        },
    )
    .optional()
}

/// Progress only grows.
pub fn set_progress(c: &Connection, id: &str, progress: f64) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE exports SET progress = MAX(progress, ?2) WHERE id = ?1 AND status = 'rendering'",
        params![id, progress.clamp(0.0, 1.0)],
    )?;
    Ok(())
}

pub fn complete_job(
    c: &Connection,
    id: &str,
    (file, size, extras): (&str, i64, &[ExtraFile]),
    dims: (u32, u32),
    now: i64,
) -> rusqlite::Result<()> {
    let extras = (!extras.is_empty()).then(|| serde_json::to_string(extras).unwrap_or_default());
    c.execute(
        "UPDATE exports SET status = 'completed', progress = 1, file = ?2, size_bytes = ?3,
                            width = ?4, height = ?5, finished_at = ?6, payload = NULL,
                            extras = ?7
         WHERE id = ?1",
        params![id, file, size, dims.0, dims.1, now, extras],
    )?;
    Ok(())
}

pub fn fail_job(c: &Connection, id: &str, error: &str, now: i64) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE exports SET status = 'failed', error = ?2, finished_at = ?3, payload = NULL
         WHERE id = ?1",
        params![id, error, now],
    )?;
    Ok(())
}

/// After a restart: jobs left 'rendering' by a stopped process go back to the queue,
/// or fail once they have been interrupted `max_attempts` times.
/// Returns (requeued, failed).
pub fn recover_interrupted(
    c: &Connection,
    max_attempts: u32,
    now: i64,
) -> rusqlite::Result<(usize, usize)> {
    let failed = c.execute(
        "UPDATE exports SET status = 'failed', finished_at = ?2, payload = NULL,
                error = 'Render failed: the server stopped during each of ' || attempts || ' attempts'
         WHERE status = 'rendering' AND attempts >= ?1",
        params![max_attempts, now],
    )?;
    let requeued = c.execute(
        "UPDATE exports SET status = 'queued', progress = 0 WHERE status = 'rendering'",
        [],
    )?;
    Ok((requeued, failed))
}

/// Finished exports older than `before`: (id, file).
pub fn expired(c: &Connection, before: i64) -> rusqlite::Result<Vec<(String, Option<String>)>> {
    let mut stmt = c.prepare(
        "SELECT id, file FROM exports
         WHERE status IN ('completed', 'failed') AND COALESCE(finished_at, created_at) < ?1",
    )?;
    let rows = stmt.query_map([before], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Bytes of all stored files.
pub fn stored_bytes(c: &Connection) -> rusqlite::Result<i64> {
    // Kept by triggers (migration 0002): one row, whatever the number of exports.
    c.query_row("SELECT total FROM stored_bytes WHERE id = 1", [], |r| {
        r.get(0)
    })
}

/// The `limit` oldest completed exports: (id, file, size).
pub fn oldest_completed(
    c: &Connection,
    limit: i64,
) -> rusqlite::Result<Vec<(String, String, i64)>> {
    let mut stmt = c.prepare(
        "SELECT id, file, COALESCE(size_bytes, 0) FROM exports
         WHERE status = 'completed' AND file IS NOT NULL
         ORDER BY COALESCE(finished_at, created_at), rowid LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

pub fn delete_export(c: &Connection, id: &str) -> rusqlite::Result<()> {
    c.execute("DELETE FROM exports WHERE id = ?1", [id])?;
    Ok(())
}

// ---------------------------------------------------------------------------------
// Settings

pub fn setting(c: &Connection, name: &str) -> rusqlite::Result<Option<Vec<u8>>> {
    c.query_row("SELECT value FROM settings WHERE name = ?1", [name], |r| {
        r.get(0)
    })
    .optional()
}

pub fn set_setting(c: &Connection, name: &str, value: &[u8]) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO settings (name, value) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        params![name, value],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        let dir = std::env::temp_dir().join(format!(
            "mockly-store-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4()
        ));
        Store::open(&dir).unwrap()
    }

    #[test]
    fn stored_bytes_follow_every_completed_export() {
        let s = store();
        s.write_now(|c| {
            let k = insert_key(c, "mk_live_cd", b"h2", "t", 1)?;
            let sum = |c: &Connection| -> rusqlite::Result<i64> {
                c.query_row(
                    "SELECT COALESCE(SUM(size_bytes), 0) FROM exports WHERE status = 'completed'",
                    [],
                    |r| r.get(0),
                )
            };
            assert_eq!(stored_bytes(c)?, 0);
            insert_completed_image(c, "i1", k, "i1.png", 1000, 10, 10, 5)?;
            insert_completed_image(c, "i2", k, "i2.png", 250, 10, 10, 6)?;
            insert_job(c, "v1", k, "mp4", b"{}", 7)?;
            assert_eq!(stored_bytes(c)?, 1250, "queued jobs store nothing");
            claim_job(c, 8, 10)?.unwrap();
            complete_job(c, "v1", ("v1.mp4", 4000, &[]), (2, 2), 9)?;
            assert_eq!(stored_bytes(c)?, 5250);
            delete_export(c, "i1")?;
            assert_eq!(stored_bytes(c)?, 4250);
            assert_eq!(stored_bytes(c)?, sum(c)?);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn jobs_are_claimed_once_in_order_and_recovered() {
        let s = store();
        s.write_now(|c| {
            let k = insert_key(c, "mk_live_ab", b"h", "t", 1)?;
            insert_job(c, "a", k, "mp4", b"{}", 10)?;
            insert_job(c, "b", k, "mp4", b"{}", 11)?;
            let first = claim_job(c, 20, 10)?.unwrap();
            assert_eq!(first.id, "a");
            assert_eq!(first.attempts, 1);
            set_progress(c, "a", 0.5)?;
            set_progress(c, "a", 0.2)?;
            assert_eq!(
                export_by_id(c, "a")?.unwrap().progress,
                0.5,
                "progress only grows"
            );
            // The process dies here; on restart "a" is queued again.
            assert_eq!(recover_interrupted(c, 3, 30)?, (1, 0));
            assert_eq!(claim_job(c, 40, 10)?.unwrap().id, "a");
            assert_eq!(recover_interrupted(c, 2, 50)?, (0, 1));
            let a = export_by_id(c, "a")?.unwrap();
            assert_eq!(a.status, Status::Failed);
            assert!(a.error.unwrap().contains("2 attempts"));
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn claims_share_the_slots_between_keys() {
        let s = store();
        s.write_now(|c| {
            let a = insert_key(c, "mk_live_a1", b"ha", "a", 1)?;
            let b = insert_key(c, "mk_live_b1", b"hb", "b", 1)?;
            for i in 0..5 {
                insert_job(c, &format!("a{i}"), a, "mp4", b"{}", 10 + i)?;
            }
            insert_job(c, "b0", b, "mp4", b"{}", 20)?;
            insert_job(c, "b1", b, "mp4", b"{}", 21)?;
            // Key a is older, key b is next even though a has more waiting.
            assert_eq!(claim_job(c, 30, 2)?.unwrap().id, "a0");
            assert_eq!(claim_job(c, 30, 2)?.unwrap().id, "b0");
            assert_eq!(claim_job(c, 30, 2)?.unwrap().id, "a1");
            assert_eq!(claim_job(c, 30, 2)?.unwrap().id, "b1");
            // Both keys render their share: nothing more is claimed.
            assert!(claim_job(c, 30, 2)?.is_none());
            // Key a has three waiting.
            assert_eq!(queue_room(c, a, 100, 4)?, QueueRoom::Free);
            assert_eq!(queue_room(c, a, 100, 3)?, QueueRoom::KeyShareUsed);
            assert_eq!(queue_room(c, b, 3, 2)?, QueueRoom::Full);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn usage_counts_per_month_and_kind() {
        let s = store();
        s.write_now(|c| {
            let k = insert_key(c, "mk_live_cd", b"h2", "t", 1)?;
            add_usage(c, k, "2024-05", "image")?;
            add_usage(c, k, "2024-05", "image")?;
            add_usage(c, k, "2024-05", "video")?;
            add_usage(c, k, "2024-06", "image")?;
            assert_eq!(usage(c, k, "2024-05")?, (2, 1));
            assert_eq!(usage(c, k, "2024-07")?, (0, 0));
            Ok(())
        })
        .unwrap();
    }
}
