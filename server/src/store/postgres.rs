//! The PostgreSQL backend: one database that every node of a deployment shares.
//!
//! Nothing here assumes that this process is the only one: jobs are claimed with
//! `FOR UPDATE SKIP LOCKED` under a lease, checks and the writes they guard share a
//! transaction (the queue's under an advisory lock), the signing secret and the first
//! key are inserted only if absent, and the rate-limit window lives in the database.

use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::Row;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::{
    ExportRow, KeyRow, NewImage, RateCount, RateHit, Result, Status, StoreError, parse_extras,
};

/// Schema migrations in order; `mockly_migrations` records which have run.
const MIGRATIONS: &[&str] = &[include_str!("../../migrations/postgres/0001_initial.sql")];

mod queue;

/// Advisory-lock id (arbitrary, fixed): one node migrates at a time. The queue's
/// locks are in `queue`.
const MIGRATION_LOCK: i64 = 0x6d6f_636b_6c79_0001;

/// Connections each node keeps at most.
const POOL_SIZE: usize = 16;

/// Limits on each session unless `database_url` sets its own `options`: a
/// statement, a lock wait or an idle transaction cannot hold a request (or a lock
/// other nodes wait for) longer than this when the database or the network stalls.
const SESSION_OPTIONS: &str =
    "-c statement_timeout=30s -c lock_timeout=10s -c idle_in_transaction_session_timeout=60s";

/// TLS as the URL's `sslmode` says (`prefer` by default: TLS when the server offers
/// it; `require`). The server's certificate must chain to a public (Mozilla) root or
/// to one the system trusts — a private CA (RDS, Cloud SQL) is added to the system's
/// store (`update-ca-certificates`, or `SSL_CERT_FILE`) — and match the host name.
fn tls() -> MakeRustlsConnect {
    let mut roots =
        rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let system = rustls_native_certs::load_native_certs();
    let (added, _unusable) = roots.add_parsable_certificates(system.certs);
    if !system.errors.is_empty() {
        tracing::warn!(
            added,
            errors = system.errors.len(),
            "some system CA certificates could not be read"
        );
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    MakeRustlsConnect::new(config)
}

/// The URL as a driver configuration, with our defaults for what it leaves out.
fn driver_config(url: &str) -> Result<tokio_postgres::Config> {
    let mut config: tokio_postgres::Config = url.parse().map_err(|e| StoreError::Open {
        path: "database_url".into(),
        message: format!("{e}"),
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(5));
    }
    if config.get_options().is_none() {
        config.options(SESSION_OPTIONS);
    }
    // A peer that vanished (a partition, a failover) is noticed within about a
    // minute, not hours: probes after 30 s idle, every 10 s, three times; and data
    // left unacknowledged for 30 s ends the connection.
    config.keepalives_idle(Duration::from_secs(30));
    config.keepalives_interval(Duration::from_secs(10));
    config.keepalives_retries(3);
    config.tcp_user_timeout(Duration::from_secs(30));
    Ok(config)
}

/// A pool of connections to the shared database.
#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postgres").finish_non_exhaustive()
    }
}

/// A driver error with the server's own message when there is one ("db error"
/// alone says nothing).
fn pg(e: tokio_postgres::Error) -> StoreError {
    match e.as_db_error() {
        Some(db) => StoreError::Postgres(format!("{}: {}", db.code().code(), db.message())),
        None => StoreError::Postgres(e.to_string()),
    }
}

fn pool_error(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => pg(e),
        e => StoreError::Postgres(e.to_string()),
    }
}

const KEY_COLUMNS: &str = "id, prefix, label, created_at, last_used_at, revoked_at";

fn key_row(r: &Row) -> KeyRow {
    KeyRow {
        id: r.get(0),
        prefix: r.get(1),
        label: r.get(2),
        created_at: r.get(3),
        last_used_at: r.get(4),
        revoked_at: r.get(5),
    }
}

const EXPORT_COLUMNS: &str =
    "id, key_id, kind, status, progress, format, file, size_bytes, error, created_at, extras";

fn export_row(r: &Row) -> ExportRow {
    ExportRow {
        id: r.get(0),
        key_id: r.get(1),
        kind: r.get(2),
        status: Status::parse(r.get(3)),
        progress: r.get(4),
        format: r.get(5),
        file: r.get(6),
        size_bytes: r.get(7),
        error: r.get(8),
        created_at: r.get(9),
        extras: parse_extras(r.get(10)),
    }
}

impl Postgres {
    /// Connects to `url` (`postgres://user:password@host:port/database`) and brings
    /// the schema up to date; nodes starting together migrate one after the other.
    pub async fn connect(url: &str) -> Result<Postgres> {
        let manager = Manager::from_config(
            driver_config(url)?,
            tls(),
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(10)))
            .create_timeout(Some(Duration::from_secs(5)))
            .recycle_timeout(Some(Duration::from_secs(5)))
            .build()
            .map_err(|e| StoreError::Postgres(e.to_string()))?;
        let store = Postgres { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.pool.get().await.map_err(pool_error)
    }

    async fn migrate(&self) -> Result<()> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(pg)?;
        // Held until the transaction ends: a second node waits here, then finds the
        // migrations done.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(pg)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS mockly_migrations (version INTEGER PRIMARY KEY)",
        )
        .await
        .map_err(pg)?;
        let done: i64 = tx
            .query_one("SELECT COUNT(*) FROM mockly_migrations", &[])
            .await
            .map_err(pg)?
            .get(0);
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
            tx.batch_execute(sql).await.map_err(pg)?;
            tx.execute(
                "INSERT INTO mockly_migrations (version) VALUES ($1)",
                &[&(i as i32 + 1)],
            )
            .await
            .map_err(pg)?;
        }
        tx.commit().await.map_err(pg)
    }

    pub async fn ping(&self) -> Result<()> {
        let c = self.client().await?;
        c.query_one("SELECT 1", &[]).await.map_err(pg).map(drop)
    }

    pub async fn insert_key(
        &self,
        prefix: &str,
        hash: &[u8],
        label: &str,
        now: i64,
    ) -> Result<i64> {
        let c = self.client().await?;
        insert_key(&c, prefix, hash, label, now).await
    }

    pub async fn insert_first_key(&self, prefix: &str, hash: &[u8], now: i64) -> Result<bool> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(pg)?;
        // The marker row is the decision: a second node's insert waits for the first
        // one's transaction and then inserts nothing.
        let first = tx
            .execute(
                "INSERT INTO settings (name, value) VALUES ('first_key', '\\x01')
                 ON CONFLICT (name) DO NOTHING",
                &[],
            )
            .await
            .map_err(pg)?
            == 1;
        let none: bool = tx
            .query_one("SELECT NOT EXISTS (SELECT 1 FROM api_keys)", &[])
            .await
            .map_err(pg)?
            .get(0);
        let made = first && none;
        if made {
            insert_key(&tx, prefix, hash, "first key", now).await?;
        }
        tx.commit().await.map_err(pg)?;
        Ok(made)
    }

    pub async fn key_by_hash(&self, hash: &[u8]) -> Result<Option<KeyRow>> {
        let c = self.client().await?;
        let stmt = c
            .prepare_cached(&format!(
                "SELECT {KEY_COLUMNS} FROM api_keys WHERE hash = $1 AND revoked_at IS NULL"
            ))
            .await
            .map_err(pg)?;
        let row = c.query_opt(&stmt, &[&hash]).await.map_err(pg)?;
        Ok(row.as_ref().map(key_row))
    }

    pub async fn list_keys(&self) -> Result<Vec<KeyRow>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &format!("SELECT {KEY_COLUMNS} FROM api_keys ORDER BY id"),
                &[],
            )
            .await
            .map_err(pg)?;
        Ok(rows.iter().map(key_row).collect())
    }

    pub async fn revoke_key(&self, id_or_prefix: &str, now: i64) -> Result<usize> {
        let c = self.client().await?;
        let id: i64 = id_or_prefix.parse().unwrap_or(-1);
        let n = c
            .execute(
                "UPDATE api_keys SET revoked_at = $3
                 WHERE revoked_at IS NULL AND (id = $1 OR prefix = $2)",
                &[&id, &id_or_prefix, &now],
            )
            .await
            .map_err(pg)?;
        Ok(n as usize)
    }

    pub async fn touch_key(&self, id: i64, now: i64) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            "UPDATE api_keys SET last_used_at = $2 WHERE id = $1",
            &[&id, &now],
        )
        .await
        .map_err(pg)
        .map(drop)
    }

    pub async fn usage(&self, key_id: i64, month: &str) -> Result<(u64, u64)> {
        let c = self.client().await?;
        let stmt = c
            .prepare_cached(
                "SELECT COALESCE(SUM(count) FILTER (WHERE kind = 'image'), 0)::BIGINT,
                        COALESCE(SUM(count) FILTER (WHERE kind = 'video'), 0)::BIGINT
                 FROM usage WHERE key_id = $1 AND month = $2",
            )
            .await
            .map_err(pg)?;
        let row = c.query_one(&stmt, &[&key_id, &month]).await.map_err(pg)?;
        let count = |i: usize| row.get::<_, i64>(i).max(0) as u64;
        Ok((count(0), count(1)))
    }

    pub async fn reserve_usage(
        &self,
        key_id: i64,
        month: &str,
        kind: &str,
        included: i64,
    ) -> Result<bool> {
        let c = self.client().await?;
        let stmt = c
            .prepare_cached(
                "INSERT INTO usage (key_id, month, kind, count) VALUES ($1, $2, $3, 1)
                 ON CONFLICT (key_id, month, kind) DO UPDATE SET count = usage.count + 1
                 WHERE usage.count < $4",
            )
            .await
            .map_err(pg)?;
        let n = c
            .execute(&stmt, &[&key_id, &month, &kind, &included])
            .await
            .map_err(pg)?;
        Ok(n == 1)
    }

    pub async fn release_usage(&self, key_id: i64, month: &str, kind: &str) -> Result<()> {
        let c = self.client().await?;
        release_usage(&c, key_id, month, kind).await
    }

    pub async fn record_image(&self, i: NewImage) -> Result<()> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(pg)?;
        let stmt = tx
            .prepare_cached(
                "INSERT INTO exports (id, key_id, kind, status, progress, format, width, height,
                                      file, size_bytes, created_at, started_at, finished_at)
                 VALUES ($1, $2, 'image', 'completed', 1, 'png', $3, $4, $5, $6, $7, $7, $7)",
            )
            .await
            .map_err(pg)?;
        let (w, h) = (i64::from(i.width), i64::from(i.height));
        tx.execute(&stmt, &[&i.id, &i.key_id, &w, &h, &i.file, &i.size, &i.now])
            .await
            .map_err(pg)?;
        if !i.counted {
            add_usage(&tx, i.key_id, &i.month, "image").await?;
        }
        tx.commit().await.map_err(pg)
    }

    pub async fn export(&self, id: &str) -> Result<Option<ExportRow>> {
        let c = self.client().await?;
        let stmt = c
            .prepare_cached(&format!(
                "SELECT {EXPORT_COLUMNS} FROM exports WHERE id = $1"
            ))
            .await
            .map_err(pg)?;
        let row = c.query_opt(&stmt, &[&id]).await.map_err(pg)?;
        Ok(row.as_ref().map(export_row))
    }

    pub async fn expired(&self, before: i64) -> Result<Vec<ExportRow>> {
        self.exports_where(
            "status IN ('completed', 'failed') AND COALESCE(finished_at, created_at) < $1",
            before,
        )
        .await
    }

    pub async fn stored_bytes(&self) -> Result<i64> {
        let c = self.client().await?;
        let row = c
            .query_one("SELECT total FROM stored_bytes WHERE id = 1", &[])
            .await
            .map_err(pg)?;
        Ok(row.get(0))
    }

    pub async fn oldest_completed(&self, limit: i64) -> Result<Vec<ExportRow>> {
        self.exports_where(
            "status = 'completed' AND file IS NOT NULL
             ORDER BY COALESCE(finished_at, created_at), seq LIMIT $1",
            limit,
        )
        .await
    }

    async fn exports_where(&self, condition: &str, param: i64) -> Result<Vec<ExportRow>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &format!("SELECT {EXPORT_COLUMNS} FROM exports WHERE {condition}"),
                &[&param],
            )
            .await
            .map_err(pg)?;
        Ok(rows.iter().map(export_row).collect())
    }

    pub async fn delete_export(&self, id: &str) -> Result<bool> {
        let c = self.client().await?;
        let n = c
            .execute("DELETE FROM exports WHERE id = $1", &[&id])
            .await
            .map_err(pg)?;
        Ok(n == 1)
    }

    pub async fn jobs_by_status(&self) -> Result<Vec<(Status, i64)>> {
        let c = self.client().await?;
        let rows = c
            .query("SELECT status, COUNT(*) FROM exports GROUP BY status", &[])
            .await
            .map_err(pg)?;
        Ok(rows
            .iter()
            .map(|r| (Status::parse(r.get(0)), r.get(1)))
            .collect())
    }

    pub async fn rate_hit(&self, hit: RateHit) -> Result<Option<RateCount>> {
        let c = self.client().await?;
        let stmt = c
            .prepare_cached("SELECT * FROM mockly_rate_hit($1, $2, $3, $4)")
            .await
            .map_err(pg)?;
        let limit = hit.limit.min(i32::MAX as u32) as i32;
        let row = c
            .query_one(&stmt, &[&hit.key_id, &hit.bucket, &limit, &hit.window_ms])
            .await
            .map_err(pg)?;
        Ok(Some(RateCount {
            allowed: row.get(0),
            used: row.get::<_, i32>(1).max(0) as u32,
            oldest_ms: row.get(2),
            now_ms: row.get(3),
        }))
    }

    pub async fn prune_rate_hits(&self, window_ms: i64) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            "DELETE FROM rate_hits
             WHERE at_ms <= (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT - $1",
            &[&window_ms],
        )
        .await
        .map_err(pg)
        .map(drop)
    }

    pub async fn setting_or_insert(&self, name: &str, value: &[u8]) -> Result<Vec<u8>> {
        let c = self.client().await?;
        // One statement: the insert's conflict waits for a concurrent insert of the
        // same name to commit, so two nodes read the same value.
        c.execute(
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            &[&name, &value],
        )
        .await
        .map_err(pg)?;
        let row = c
            .query_one("SELECT value FROM settings WHERE name = $1", &[&name])
            .await
            .map_err(pg)?;
        Ok(row.get(0))
    }
}

async fn insert_key(
    c: &impl GenericClient,
    prefix: &str,
    hash: &[u8],
    label: &str,
    now: i64,
) -> Result<i64> {
    let row = c
        .query_one(
            "INSERT INTO api_keys (prefix, hash, label, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id",
            &[&prefix, &hash, &label, &now],
        )
        .await
        .map_err(pg)?;
    Ok(row.get(0))
}

async fn release_usage(c: &impl GenericClient, key_id: i64, month: &str, kind: &str) -> Result<()> {
    c.execute(
        "UPDATE usage SET count = count - 1
         WHERE key_id = $1 AND month = $2 AND kind = $3 AND count > 0",
        &[&key_id, &month, &kind],
    )
    .await
    .map_err(pg)
    .map(drop)
}

/// Refunds the failed jobs (rows of `key_id, usage_month`) that had been counted
/// when accepted.
async fn refund(c: &impl GenericClient, failed: &[Row]) -> Result<()> {
    for row in failed {
        if let Some(month) = row.get::<_, Option<String>>(1) {
            release_usage(c, row.get(0), &month, "video").await?;
        }
    }
    Ok(())
}

/// Counts one successful render.
async fn add_usage(c: &impl GenericClient, key_id: i64, month: &str, kind: &str) -> Result<()> {
    let stmt = c
        .prepare_cached(
            "INSERT INTO usage (key_id, month, kind, count) VALUES ($1, $2, $3, 1)
             ON CONFLICT (key_id, month, kind) DO UPDATE SET count = usage.count + 1",
        )
        .await
        .map_err(pg)?;
    c.execute(&stmt, &[&key_id, &month, &kind])
        .await
        .map_err(pg)
        .map(drop)
}
