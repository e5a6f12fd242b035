//! The SQLite backend: one file in the data directory, owned by one process.
//!
//! One connection writes and one reads (WAL lets them run side by side). The async
//! operations run their SQL on a blocking thread so the runtime never waits on the
//! disk; each operation that writes more than one row is one transaction. The
//! statements of every still's request (its key, its row and count, the check
//! that it is still there, the storage total) are prepared once per connection
//! and kept (`prepare_cached`), not parsed again for every request.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, params};

use super::{
    Claim, ExportRow, Finished, Interrupted, Job, KeyRow, NewImage, NewJob, QueueLimits, QueueRoom,
    Reclaimed, Result, Status, StoreError, extras_json, parse_extras,
};

/// Schema migrations in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_initial.sql"),
    include_str!("../../migrations/sqlite/0002_stored_bytes.sql"),
    include_str!("../../migrations/sqlite/0003_extra_files.sql"),
    include_str!("../../migrations/sqlite/0004_leases.sql"),
];

/// The database of one data directory.
#[derive(Clone)]
pub struct Sqlite {
    writer: Arc<Mutex<Connection>>,
    reader: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for Sqlite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sqlite").finish_non_exhaustive()
    }
}

impl Sqlite {
    /// Opens (creating if needed) `mockly.db` in `data_dir` and brings its schema up
    /// to date.
    pub fn open(data_dir: &Path) -> Result<Sqlite> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Open {
            path: data_dir.to_owned(),
            message: e.to_string(),
        })?;
        let path = data_dir.join("mockly.db");
        let writer = connect(&path)?;
        migrate(&writer)?;
        let reader = connect(&path)?;
        Ok(Sqlite {
            writer: Arc::new(Mutex::new(writer)),
            reader: Arc::new(Mutex::new(reader)),
        })
    }

    /// Runs `f` with the writing connection on a blocking thread.
    async fn write<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    {
        run_blocking(self.writer.clone(), f).await
    }

    /// Runs `f` with the writing connection in a transaction on a blocking thread.
    async fn transaction<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    {
        self.write(move |c| {
            let tx = c.unchecked_transaction()?;
            let r = f(&tx)?;
            tx.commit()?;
            Ok(r)
        })
        .await
    }

    /// Runs `f` with the reading connection on a blocking thread.
    async fn read<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    {
        run_blocking(self.reader.clone(), f).await
    }

    pub async fn ping(&self) -> Result<()> {
        self.read(|c| c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)))
            .await
            .map(drop)
    }

    pub async fn insert_key(
        &self,
        prefix: &str,
        hash: &[u8],
        label: &str,
        now: i64,
    ) -> Result<i64> {
        let (prefix, hash, label) = (prefix.to_owned(), hash.to_vec(), label.to_owned());
        self.write(move |c| insert_key(c, &prefix, &hash, &label, now))
            .await
    }

    pub async fn insert_first_key(&self, prefix: &str, hash: &[u8], now: i64) -> Result<bool> {
        let (prefix, hash) = (prefix.to_owned(), hash.to_vec());
        self.transaction(move |c| {
            let count: i64 = c.query_row("SELECT COUNT(*) FROM api_keys", [], |r| r.get(0))?;
            if count > 0 {
                return Ok(false);
            }
            insert_key(c, &prefix, &hash, "first key", now)?;
            Ok(true)
        })
        .await
    }

    pub async fn key_by_hash(&self, hash: &[u8]) -> Result<Option<KeyRow>> {
        let hash = hash.to_vec();
        self.read(move |c| {
            c.prepare_cached(&format!(
                "SELECT {KEY_COLUMNS} FROM api_keys WHERE hash = ?1 AND revoked_at IS NULL"
            ))?
            .query_row([hash], key_row)
            .optional()
        })
        .await
    }

    pub async fn list_keys(&self) -> Result<Vec<KeyRow>> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!("SELECT {KEY_COLUMNS} FROM api_keys ORDER BY id"))?;
            let rows = stmt.query_map([], key_row)?;
            rows.collect()
        })
        .await
    }

    pub async fn revoke_key(&self, id_or_prefix: &str, now: i64) -> Result<usize> {
        let key = id_or_prefix.to_owned();
        self.write(move |c| {
            let id: i64 = key.parse().unwrap_or(-1);
            c.execute(
                "UPDATE api_keys SET revoked_at = ?3
                 WHERE revoked_at IS NULL AND (id = ?1 OR prefix = ?2)",
                params![id, key, now],
            )
        })
        .await
    }

    pub async fn touch_key(&self, id: i64, now: i64) -> Result<()> {
        self.write(move |c| {
            c.execute(
                "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1",
                params![id, now],
            )
            .map(drop)
        })
        .await
    }

    pub async fn usage(&self, key_id: i64, month: &str) -> Result<(u64, u64)> {
        let month = month.to_owned();
        self.read(move |c| usage(c, key_id, &month)).await
    }

    pub async fn reserve_usage(
        &self,
        key_id: i64,
        month: &str,
        kind: &str,
        included: i64,
    ) -> Result<bool> {
        let (month, kind) = (month.to_owned(), kind.to_owned());
        self.write(move |c| {
            c.execute(
                "INSERT INTO usage (key_id, month, kind, count) VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT (key_id, month, kind) DO UPDATE SET count = count + 1
                 WHERE count < ?4",
                params![key_id, month, kind, included],
            )
            .map(|n| n == 1)
        })
        .await
    }

    pub async fn release_usage(&self, key_id: i64, month: &str, kind: &str) -> Result<()> {
        let (month, kind) = (month.to_owned(), kind.to_owned());
        self.write(move |c| release_usage(c, key_id, &month, &kind))
            .await
    }

    pub async fn record_image(&self, i: NewImage) -> Result<()> {
        self.transaction(move |c| {
            c.prepare_cached(
                "INSERT INTO exports (id, key_id, kind, status, progress, format, width, height,
                                      file, size_bytes, created_at, started_at, finished_at)
                 VALUES (?1, ?2, 'image', 'completed', 1, 'png', ?3, ?4, ?5, ?6, ?7, ?7, ?7)",
            )?
            .execute(params![
                i.id, i.key_id, i.width, i.height, i.file, i.size, i.now
            ])?;
            if i.counted {
                return Ok(());
            }
            add_usage(c, i.key_id, &i.month, "image")
        })
        .await
    }

    pub async fn enqueue_job(&self, job: NewJob, limits: QueueLimits) -> Result<QueueRoom> {
        self.transaction(move |c| {
            let room = queue_room(c, job.key_id, limits)?;
            if room == QueueRoom::Free {
                insert_job(c, &job)?;
            }
            Ok(room)
        })
        .await
    }

    pub async fn export(&self, id: &str) -> Result<Option<ExportRow>> {
        let id = id.to_owned();
        self.read(move |c| export_by_id(c, &id)).await
    }

    pub async fn claim_job(&self, claim: Claim) -> Result<Option<Job>> {
        self.write(move |c| claim_job(c, claim)).await
    }

    pub async fn renew_lease(&self, id: &str, lease: &str, lease_secs: i64) -> Result<bool> {
        let (id, lease) = (id.to_owned(), lease.to_owned());
        self.write(move |c| {
            c.execute(
                "UPDATE exports SET lease_until = unixepoch() + ?3
                 WHERE id = ?1 AND lease_token = ?2 AND status = 'rendering'",
                params![id, lease, lease_secs],
            )
            .map(|n| n == 1)
        })
        .await
    }

    pub async fn set_progress(&self, id: &str, lease: &str, progress: f64) -> Result<()> {
        let (id, lease) = (id.to_owned(), lease.to_owned());
        self.write(move |c| set_progress(c, &id, &lease, progress))
            .await
    }

    pub async fn complete_job(&self, id: &str, lease: &str, done: Finished) -> Result<bool> {
        let (id, lease) = (id.to_owned(), lease.to_owned());
        self.transaction(move |c| {
            let Some((key_id, counted)) = complete_job(c, &id, &lease, &done)? else {
                return Ok(false);
            };
            if counted.is_none() {
                add_usage(c, key_id, &done.month, "video")?;
            }
            Ok(true)
        })
        .await
    }

    pub async fn fail_job(&self, id: &str, lease: &str, error: &str, now: i64) -> Result<bool> {
        let (id, lease, error) = (id.to_owned(), lease.to_owned(), error.to_owned());
        self.transaction(move |c| fail_job(c, &id, &lease, &error, now))
            .await
    }

    pub async fn release_job(&self, id: &str, lease: &str) -> Result<()> {
        let (id, lease) = (id.to_owned(), lease.to_owned());
        self.write(move |c| {
            c.execute(
                "UPDATE exports SET status = 'queued', progress = 0, attempts = attempts - 1,
                                    lease_token = NULL, lease_until = NULL, node = NULL
                 WHERE id = ?1 AND lease_token = ?2 AND status = 'rendering'",
                params![id, lease],
            )
            .map(drop)
        })
        .await
    }

    pub async fn reclaim(
        &self,
        which: Interrupted,
        max_attempts: u32,
        now: i64,
    ) -> Result<Reclaimed> {
        self.transaction(move |c| match which {
            Interrupted::All => reclaim(c, "1 = 1", params![max_attempts, now]),
            Interrupted::LeaseExpired => reclaim(
                c,
                "COALESCE(lease_until, 0) < unixepoch() AND ?2 = ?2",
                params![max_attempts, now],
            ),
        })
        .await
    }

    pub async fn expired(&self, before: i64) -> Result<Vec<ExportRow>> {
        self.read(move |c| {
            exports_where(
                c,
                "status IN ('completed', 'failed') AND COALESCE(finished_at, created_at) < ?1",
                [before],
            )
        })
        .await
    }

    pub async fn stored_bytes(&self) -> Result<i64> {
        // Kept by triggers (migration 0002): one row, whatever the number of exports.
        self.read(|c| {
            c.prepare_cached("SELECT total FROM stored_bytes WHERE id = 1")?
                .query_row([], |r| r.get(0))
        })
        .await
    }

    pub async fn oldest_completed(&self, limit: i64) -> Result<Vec<ExportRow>> {
        self.read(move |c| {
            exports_where(
                c,
                "status = 'completed' AND file IS NOT NULL
                 ORDER BY COALESCE(finished_at, created_at), rowid LIMIT ?1",
                [limit],
            )
        })
        .await
    }

    pub async fn delete_export(&self, id: &str) -> Result<bool> {
        let id = id.to_owned();
        self.write(move |c| {
            c.execute("DELETE FROM exports WHERE id = ?1", [id])
                .map(|n| n == 1)
        })
        .await
    }

    pub async fn jobs_by_status(&self) -> Result<Vec<(Status, i64)>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT status, COUNT(*) FROM exports GROUP BY status")?;
            let rows = stmt.query_map([], |r| {
                Ok((Status::parse(&r.get::<_, String>(0)?), r.get(1)?))
            })?;
            rows.collect()
        })
        .await
    }

    /// The one process counts rate limits in memory.
    pub async fn rate_hit(&self, _hit: super::RateHit) -> Result<Option<super::RateCount>> {
        Ok(None)
    }

    pub async fn prune_rate_hits(&self, _window_ms: i64) -> Result<()> {
        Ok(())
    }

    pub async fn setting_or_insert(&self, name: &str, value: &[u8]) -> Result<Vec<u8>> {
        let (name, value) = (name.to_owned(), value.to_vec());
        self.transaction(move |c| {
            c.execute(
                "INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
                params![name, value],
            )?;
            c.query_row("SELECT value FROM settings WHERE name = ?1", [name], |r| {
                r.get(0)
            })
        })
        .await
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

fn insert_key(
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

fn release_usage(c: &Connection, key_id: i64, month: &str, kind: &str) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE usage SET count = count - 1
         WHERE key_id = ?1 AND month = ?2 AND kind = ?3 AND count > 0",
        params![key_id, month, kind],
    )
    .map(drop)
}

/// Refunds the jobs that failed and had been counted when accepted.
fn refund(c: &Connection, failed: &[(i64, Option<String>)]) -> rusqlite::Result<()> {
    for (key_id, month) in failed {
        if let Some(month) = month {
            release_usage(c, *key_id, month, "video")?;
        }
    }
    Ok(())
}

/// Counts one successful render.
fn add_usage(c: &Connection, key_id: i64, month: &str, kind: &str) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO usage (key_id, month, kind, count) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT (key_id, month, kind) DO UPDATE SET count = count + 1",
    )?
    .execute(params![key_id, month, kind])?;
    Ok(())
}

fn usage(c: &Connection, key_id: i64, month: &str) -> rusqlite::Result<(u64, u64)> {
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
        extras: parse_extras(r.get(10)?),
    })
}

fn exports_where(
    c: &Connection,
    condition: &str,
    params: impl rusqlite::Params,
) -> rusqlite::Result<Vec<ExportRow>> {
    let mut stmt = c.prepare(&format!(
        "SELECT {EXPORT_COLUMNS} FROM exports WHERE {condition}"
    ))?;
    let rows = stmt.query_map(params, export_row)?;
    rows.collect()
}

fn insert_job(c: &Connection, job: &NewJob) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO exports (id, key_id, kind, status, format, payload, created_at, usage_month)
         VALUES (?1, ?2, 'video', 'queued', ?3, ?4, ?5, ?6)",
        params![
            job.id,
            job.key_id,
            job.format,
            job.payload,
            job.now,
            job.usage_month
        ],
    )?;
    Ok(())
}

fn export_by_id(c: &Connection, id: &str) -> rusqlite::Result<Option<ExportRow>> {
    c.prepare_cached(&format!(
        "SELECT {EXPORT_COLUMNS} FROM exports WHERE id = ?1"
    ))?
    .query_row([id], export_row)
    .optional()
}

fn queue_room(c: &Connection, key_id: i64, limits: QueueLimits) -> rusqlite::Result<QueueRoom> {
    let (all, mine): (i64, i64) = c.query_row(
        "SELECT COUNT(*), COALESCE(SUM(key_id = ?1), 0) FROM exports WHERE status = 'queued'",
        [key_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(if mine >= limits.per_key {
        QueueRoom::KeyShareUsed
    } else if all >= limits.capacity {
        QueueRoom::Full
    } else {
        QueueRoom::Free
    })
}

fn claim_job(c: &Connection, claim: Claim) -> rusqlite::Result<Option<Job>> {
    let lease = uuid::Uuid::new_v4().simple().to_string();
    c.query_row(
        "WITH running AS (
             SELECT key_id, COUNT(*) AS n FROM exports
             WHERE status = 'rendering' AND node = ?5 GROUP BY key_id
         )
         UPDATE exports SET status = 'rendering', started_at = ?1, attempts = attempts + 1,
                            progress = 0, lease_token = ?3, lease_until = unixepoch() + ?4,
                            node = ?5
         WHERE id = (SELECT e.id FROM exports e LEFT JOIN running r ON r.key_id = e.key_id
                     WHERE e.status = 'queued' AND COALESCE(r.n, 0) < ?2
                     ORDER BY COALESCE(r.n, 0), e.created_at, e.rowid LIMIT 1)
         RETURNING id, key_id, format, payload, attempts, lease_token",
        params![
            claim.now,
            claim.per_key,
            lease,
            claim.lease_secs,
            claim.node
        ],
        |r| {
            Ok(Job {
                id: r.get(0)?,
                key_id: r.get(1)?,
                format: r.get(2)?,
                payload: r.get(3)?,
                attempts: r.get(4)?,
                lease: r.get(5)?,
            })
        },
    )
    .optional()
}

fn set_progress(c: &Connection, id: &str, lease: &str, progress: f64) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE exports SET progress = MAX(progress, ?3)
         WHERE id = ?1 AND lease_token = ?2 AND status = 'rendering'",
        params![id, lease, progress.clamp(0.0, 1.0)],
    )?;
    Ok(())
}

/// The job's key and the month it was counted in when accepted, when it was still
/// this lease's and is now completed.
fn complete_job(
    c: &Connection,
    id: &str,
    lease: &str,
    done: &Finished,
) -> rusqlite::Result<Option<(i64, Option<String>)>> {
    c.query_row(
        "UPDATE exports SET status = 'completed', progress = 1, file = ?3, size_bytes = ?4,
                            width = ?5, height = ?6, finished_at = ?7, payload = NULL,
                            extras = ?8, lease_token = NULL, lease_until = NULL, node = NULL
         WHERE id = ?1 AND lease_token = ?2 AND status = 'rendering'
         RETURNING key_id, usage_month",
        params![
            id,
            lease,
            done.file,
            done.size,
            done.width,
            done.height,
            done.now,
            extras_json(&done.extras)
        ],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

fn fail_job(
    c: &Connection,
    id: &str,
    lease: &str,
    error: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    let failed = c
        .query_row(
            "UPDATE exports SET status = 'failed', error = ?3, finished_at = ?4, payload = NULL,
                                lease_token = NULL, lease_until = NULL, node = NULL
             WHERE id = ?1 AND lease_token = ?2 AND status = 'rendering'
             RETURNING key_id, usage_month",
            params![id, lease, error, now],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    refund(c, failed.as_slice())?;
    Ok(failed.is_some())
}

/// Rendering jobs matching `which` (SQL over `?1` = max attempts, `?2` = now and
/// further parameters) go back to the queue, or fail once they were interrupted
/// `max_attempts` times.
fn reclaim(
    c: &Connection,
    which: &str,
    params: impl rusqlite::Params + Copy,
) -> rusqlite::Result<Reclaimed> {
    let mut stmt = c.prepare(&format!(
        "UPDATE exports SET status = 'failed', finished_at = ?2, payload = NULL,
                error = 'Render failed: interrupted during each of ' || attempts || ' attempts',
                lease_token = NULL, lease_until = NULL, node = NULL
         WHERE status = 'rendering' AND attempts >= ?1 AND {which}
         RETURNING key_id, usage_month"
    ))?;
    let failed = stmt
        .query_map(params, |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    refund(c, &failed)?;
    let failed = failed.len();
    let requeued = c.execute(
        &format!(
            "UPDATE exports SET status = 'queued', progress = 0,
                    lease_token = NULL, lease_until = NULL, node = NULL
             WHERE status = 'rendering' AND ?1 = ?1 AND ?2 = ?2 AND {which}"
        ),
        params,
    )?;
    Ok(Reclaimed { requeued, failed })
}
