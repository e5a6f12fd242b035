//! Mockly's server: the HTTP API over the engine, storage of keys, usage and jobs
//! (SQLite, or PostgreSQL shared by several nodes), rendered files (local disk or an
//! S3-compatible bucket), and the `mockly` command line.
// Only the engine's FFmpeg side data needs `unsafe` (the workspace denies it).
#![forbid(unsafe_code)]

pub mod api;
pub mod cli;
pub mod config;
pub mod fetch;
pub mod files;
pub mod jobs;
pub mod keys;
pub mod metrics;
pub mod openapi;
pub mod ratelimit;
pub mod shares;
pub mod signing;
pub mod store;
pub mod transport;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{Datelike, TimeZone, Utc};
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, watch};

use crate::api::AppState;
use crate::config::Config;

/// Unix seconds now.
pub fn now() -> i64 {
    Utc::now().timestamp()
}

/// The calendar month (UTC) holding `t`, as `YYYY-MM`, and the Unix second its
/// successor starts.
pub fn month_bounds(t: i64) -> (String, i64) {
    let dt = Utc.timestamp_opt(t, 0).single().unwrap_or_else(Utc::now);
    let (y, m) = if dt.month() == 12 {
        (dt.year() + 1, 1)
    } else {
        (dt.year(), dt.month() + 1)
    };
    let next = Utc
        .with_ymd_and_hms(y, m, 1, 0, 0, 0)
        .single()
        .map_or(t + 86_400 * 31, |d| d.timestamp());
    (format!("{:04}-{:02}", dt.year(), dt.month()), next)
}

impl AppState {
    /// A signed download URL for a stored file, valid for the configured lifetime.
    pub fn signed_url(&self, id: &str, name: &str) -> String {
        let expires = now() + self.config.url_ttl_secs as i64;
        let signature = self.signer.sign(id, name, expires);
        format!(
            "{}/api/v1/files/{name}?expires={expires}&signature={signature}",
            self.base_url
        )
    }

    /// The `downloadUrl` of a stored file: ours (signed), or the bucket's own
    /// presigned URL when `storage_presigned_urls` is set.
    pub async fn download_url(&self, id: &str, name: &str) -> String {
        if self.config.storage_presigned_urls {
            let ttl = Duration::from_secs(self.config.url_ttl_secs);
            match self.files.presigned_url(name, ttl).await {
                Ok(Some(url)) => return url,
                Ok(None) => {}
                Err(e) => tracing::error!(file = %name, error = %e, "cannot presign; serving ours"),
            }
        }
        self.signed_url(id, name)
    }
}

/// Why the server could not start.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

/// A server running on a listener; stops when [`RunningServer::shutdown`] is called.
#[derive(Debug)]
pub struct RunningServer {
    pub addr: SocketAddr,
    pub base_url: String,
    /// The key created at first start, when the database had none.
    pub first_key: Option<String>,
    /// The shared state, for maintenance tasks and tests.
    pub app: api::App,
    stop: watch::Sender<bool>,
    done: tokio::task::JoinHandle<()>,
    /// The video workers: a stop waits for them to give their jobs back.
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl RunningServer {
    /// Stops accepting connections, lets in-flight requests finish, and stops the
    /// video workers, which give their running jobs back to the queue.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        self.wait().await;
    }

    /// Waits until the server stops (after a signal): the connections, then the
    /// video workers, which stop their renders and give their jobs back (for at
    /// most half a minute).
    pub async fn wait(self) {
        let _ = self.done.await;
        let workers = futures_util::future::join_all(self.workers);
        if tokio::time::timeout(Duration::from_secs(30), workers)
            .await
            .is_err()
        {
            tracing::warn!("video workers did not stop in time; their leases will run out");
        }
    }
}

/// Opens the data directory and starts serving on `listener`.
pub async fn start(config: Config, listener: TcpListener) -> Result<RunningServer, StartError> {
    let err = |what: &str, e: &dyn std::fmt::Display| StartError(format!("{what}: {e}"));
    let addr = listener.local_addr().map_err(|e| err("listener", &e))?;
    let store = store::Store::open(&config)
        .await
        .map_err(|e| err("database", &e))?;
    if store.shared() && config.storage_backend == "local" {
        tracing::warn!(
            "database_url is set but files are stored on this node's disk: other nodes \
             cannot serve them; set storage_backend = \"s3\" for several nodes"
        );
    }
    let files = files::Files::open(&config).map_err(|e| err("file storage", &e))?;
    let secret = signing_secret(&config, &store)
        .await
        .map_err(|e| err("signing secret", &e))?;
    let first_key = first_key(&store).await.map_err(|e| err("api keys", &e))?;
    // The only process on a SQLite file takes back every job its last run left
    // rendering; on a shared database only jobs whose lease ran out are taken back
    // (others may be rendering on other nodes).
    let interrupted = if store.shared() {
        store::Interrupted::LeaseExpired
    } else {
        store::Interrupted::All
    };
    let back = store
        .reclaim(interrupted, config.job_max_attempts, now())
        .await
        .map_err(|e| err("job recovery", &e))?;
    if back.requeued + back.failed > 0 {
        tracing::warn!(
            requeued = back.requeued,
            failed = back.failed,
            "recovered jobs interrupted by the last stop"
        );
    }
    // Nothing renders yet: half-written files of interrupted jobs are garbage
    // (a re-queued job writes its own again).
    files.clear_staging();
    let metrics = metrics::Metrics::new(store.errors(), files.errors());
    let images = fetch::HttpImages::new(&config);
    let app = Arc::new(AppState {
        base_url: config.base_url(addr),
        still_slots: Arc::new(Semaphore::new(config.still_slots())),
        heavy_slots: Arc::new(Semaphore::new(config.heavy_image_slots)),
        key_stills: shares::KeyShares::new(config.key_image_share()),
        key_heavy: shares::KeyShares::new(config.key_heavy_share()),
        limiter: ratelimit::RateLimiter::new(Duration::from_secs(config.rate_window_secs)),
        engine: Arc::new(mockly_engine::Engine::with_image_source(images)),
        signer: signing::Signer::new(secret),
        job_added: Arc::new(Notify::new()),
        video_renders: crate::jobs::RenderGauge::default(),
        node: uuid::Uuid::new_v4().simple().to_string(),
        metrics,
        store,
        files,
        config,
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let workers = jobs::spawn_workers(app.clone(), app.config.video_slots(), stop_rx.clone());
    jobs::spawn_reclaimer(app.clone(), stop_rx.clone());
    spawn_job_listener(app.clone(), stop_rx.clone());
    spawn_housekeeping(app.clone(), stop_rx.clone());

    let router = api::router(app.clone());
    let base_url = app.base_url.clone();
    let limits = transport::Transport {
        max_connections: app.config.max_connections,
        header_timeout: Duration::from_secs(app.config.header_timeout_secs),
    };
    let done = tokio::spawn(transport::serve(listener, router, limits, stop_rx));
    Ok(RunningServer {
        addr,
        base_url,
        first_key,
        app,
        stop: stop_tx,
        done,
        workers,
    })
}

/// Stops the server on SIGTERM or SIGINT.
pub async fn stop_on_signal(server: RunningServer) {
    let stop = server.stop.clone();
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("SIGTERM handler");
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("stopping: finishing in-flight requests");
        let _ = stop.send(true);
    });
    server.wait().await;
}

/// The configured secret (validated as at least 32 bytes of hex), or the one kept
/// in the database: made by whichever node starts first, read by every other.
async fn signing_secret(
    config: &Config,
    store: &store::Store,
) -> Result<Vec<u8>, store::StoreError> {
    if let Ok(secret) = hex::decode(&config.signing_secret)
        && !secret.is_empty()
    {
        return Ok(secret);
    }
    let candidate: [u8; 32] = rand::random();
    store.setting_or_insert("signing_secret", &candidate).await
}

/// On a database that never had a key, makes one so a first run works at once (one
/// for the whole cluster, however many nodes start together).
async fn first_key(store: &store::Store) -> Result<Option<String>, store::StoreError> {
    let key = keys::generate();
    let made = store
        .insert_first_key(&key.prefix, &key.hash, now())
        .await?;
    Ok(made.then_some(key.secret))
}

/// With a shared database, wakes idle workers when any node queues a job (or takes
/// one back): `LISTEN mockly_jobs`, reconnecting after a second when the connection
/// drops. The workers also poll, so a notification lost meanwhile delays a job by
/// at most the poll interval.
fn spawn_job_listener(app: api::App, mut stop: watch::Receiver<bool>) {
    let store::Backend::Postgres(pg) = app.store.backend().clone() else {
        return;
    };
    tokio::spawn(async move {
        loop {
            tokio::select! {
                r = pg.listen_for_jobs(&app.config.database_url, &app.job_added) => {
                    if let Err(e) = r {
                        tracing::warn!(error = %e, "job notifications interrupted");
                    }
                }
                _ = stop.wait_for(|s| *s) => break,
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = stop.wait_for(|s| *s) => break,
            }
        }
    });
}

/// Deletes exports past their retention, and prunes idle rate-limit state.
fn spawn_housekeeping(app: api::App, mut stop: watch::Receiver<bool>) {
    tokio::spawn(async move {
        let every = Duration::from_secs(60);
        loop {
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.wait_for(|s| *s) => break,
            }
            app.limiter.prune();
            let window_ms = (app.config.rate_window_secs * 1000) as i64;
            if let Err(e) = app.store.prune_rate_hits(window_ms).await {
                tracing::warn!(error = %e, "cannot prune rate-limit hits");
            }
            app.key_stills.prune();
            app.key_heavy.prune();
            if let Err(e) = sweep(&app).await {
                tracing::error!(error = %e, "retention sweep failed");
            }
        }
    });
}

/// Removes finished exports older than the retention. Safe on every node at once:
/// the row is deleted first and only the node whose delete took it removes the
/// files (a file left by a failure between the two is an orphan, never a row
/// without its file).
pub async fn sweep(app: &api::App) -> Result<usize, store::StoreError> {
    let before = now() - (app.config.retention_hours * 3600) as i64;
    let old = app.store.expired(before).await?;
    let mut count = keep_within_storage(app).await?;
    for row in old {
        if app.store.delete_export(&row.id).await? {
            count += 1;
            // A failed video may have left files (stored by a node that had lost
            // its lease): they go too.
            let name = row
                .file
                .unwrap_or_else(|| files::Files::name(&row.id, &row.format));
            app.files.remove(&name).await;
        }
    }
    if count > 0 {
        tracing::info!(count, "deleted exports past retention");
    }
    Ok(count)
}

/// Checks the storage budget in the background (after a file was stored).
pub fn spawn_storage_check(app: &api::App) {
    let app = app.clone();
    tokio::spawn(async move {
        if let Err(e) = keep_within_storage(&app).await {
            tracing::error!(error = %e, "storage budget check failed");
        }
    });
}

/// Deletes the oldest finished exports while the stored files take more than
/// `storage_max_bytes`, so that no stream of renders can fill the disk. Returns how
/// many were deleted.
pub async fn keep_within_storage(app: &api::App) -> Result<usize, store::StoreError> {
    let budget = app.config.storage_max_bytes as i64;
    let mut deleted = 0;
    loop {
        let over = app.store.stored_bytes().await? - budget;
        if over <= 0 {
            break;
        }
        let oldest = app.store.oldest_completed(64).await?;
        if oldest.is_empty() {
            break;
        }
        let (mut freed, mut taken) = (0, 0);
        for row in oldest {
            if freed >= over {
                break;
            }
            // A still whose file is being written as its row was: left for the
            // next check, when its file is in place.
            if row.file.as_ref().is_some_and(|f| app.files.is_storing(f)) {
                continue;
            }
            if app.store.delete_export(&row.id).await? {
                if let Some(name) = &row.file {
                    app.files.remove(name).await;
                }
                deleted += 1;
            }
            freed += row.size_bytes.unwrap_or(0);
            taken += 1;
        }
        if taken == 0 {
            break; // only stills still being stored are left over the budget
        }
    }
    if deleted > 0 {
        tracing::warn!(
            deleted,
            budget,
            "deleted the oldest exports to stay within storage_max_bytes"
        );
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_roll_over() {
        let t = Utc
            .with_ymd_and_hms(2024, 12, 31, 23, 59, 59)
            .unwrap()
            .timestamp();
        let (m, next) = month_bounds(t);
        assert_eq!(m, "2024-12");
        assert_eq!(next, t + 1);
    }
}
