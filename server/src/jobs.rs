//! The video job queue: jobs wait in the database (`queued`), a bounded number of
//! render slots take them one at a time under a lease (each key at most its share of
//! the slots), and progress, completion and failure are written back.
//!
//! The lease is what lets jobs survive nodes: a worker renews it while it renders,
//! and any node takes back a job whose lease ran out (its node died), counting the
//! attempt; `job_max_attempts` ends it as failed. A stopping node gives its jobs
//! back at once. With SQLite the one process also takes back, at its start, every
//! job its last run left rendering.
//!
//! A slot is a worker task: it takes its next job only once the render it ran has
//! really stopped, even after a timeout, so no more videos render than there are
//! slots.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use mockly_engine::Cancel;

use tokio::sync::watch;

use crate::api::App;
use crate::files::Files;
use crate::metrics::{Kind, Outcome};
use crate::now;
use crate::store::{self, Claim, Finished, Interrupted, Job};

/// How many video renders are running, and the most that ever ran at once: the
/// number the render slots bound.
#[derive(Debug, Default)]
pub struct RenderGauge {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl RenderGauge {
    pub fn running(&self) -> usize {
        self.now.load(Ordering::SeqCst)
    }

    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Counts a render from now until the returned guard is dropped.
    fn enter(&self) -> impl Drop + '_ {
        let n = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(n, Ordering::SeqCst);
        Leave(self)
    }
}

struct Leave<'a>(&'a RenderGauge);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Starts `slots` workers; they stop taking jobs once `stop` turns true, and end
/// once their job (if any) is given back.
pub fn spawn_workers(
    app: App,
    slots: usize,
    stop: watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut workers = Vec::new();
    for _ in 0..slots.max(1) {
        let (app, mut stop) = (app.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            loop {
                if *stop.borrow() {
                    break;
                }
                let claim = Claim {
                    now: now(),
                    node: app.node.clone(),
                    per_key: app.config.key_slot_share() as i64,
                    lease_secs: app.config.job_lease_secs as i64,
                };
                match app.store.claim_job(claim).await {
                    Ok(Some(job)) => run(&app, job, &mut stop).await,
                    Ok(None) => {
                        // Other nodes' jobs wake us through the database's
                        // notifications; polling covers a notification missed
                        // while the listening connection was down.
                        let poll = if app.store.shared() { 2 } else { 5 };
                        tokio::select! {
                            _ = app.job_added.notified() => {}
                            _ = tokio::time::sleep(Duration::from_secs(poll)) => {}
                            _ = stop.changed() => {}
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "cannot take a job from the queue");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        }));
    }
    workers
}

/// Renders one job within the time limit and records the outcome. Returns only
/// when the render has stopped.
async fn run(app: &App, job: Job, stop: &mut watch::Receiver<bool>) {
    let started = Instant::now();
    let cancel = Cancel::new();
    let name = Files::name(&job.id, &job.format);
    let staging = app.files.staging(&name);
    // The lease is renewed from the claim until the outcome is recorded, the upload
    // included; `lost` resolves if another node took the job back meanwhile.
    let (lost_tx, mut lost) = tokio::sync::oneshot::channel::<()>();
    let _renewing = AbortOnDrop(tokio::spawn({
        let (app, job) = (app.clone(), job.clone());
        async move {
            hold_lease(&app, &job).await;
            let _ = lost_tx.send(());
        }
    }));
    let mut task = {
        let (app, job, cancel) = (app.clone(), job.clone(), cancel.clone());
        let runtime = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            let _running = app.video_renders.enter();
            render_video(&app, &job, &staging, &cancel, &runtime)
        })
    };
    let limit = Duration::from_secs(app.config.job_timeout_secs);
    let finished = tokio::select! {
        finished = tokio::time::timeout(limit, &mut task) => finished,
        () = stopping(stop) => {
            // The server is stopping: stop the render and give the job back to the
            // queue at once, for another node or the next start.
            cancel.cancel();
            let _ = task.await;
            app.files.remove_staging(&name);
            if let Err(e) = app.store.release_job(&job.id, &job.lease).await {
                // Its lease runs out instead.
                tracing::warn!(job = %job.id, error = %e, "cannot give the job back");
            }
            tracing::info!(job = %job.id, "render stopped by shutdown; queued again");
            return;
        }
        _ = &mut lost => {
            // Another node took the job back (this one could not renew its lease
            // for a whole term): its render is the one that counts.
            cancel.cancel();
            let _ = task.await;
            app.files.remove_staging(&name);
            tracing::warn!(job = %job.id, "lease lost; the job is another worker's now");
            return;
        }
    };
    // Whether the failure is recorded already (a timeout is, at once).
    let mut recorded = false;
    let outcome = match finished {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => {
            // The detail (a panic's message) is for the log, not for the client.
            tracing::error!(job = %job.id, error = %join, "video render task failed");
            Err((Outcome::Failed, "Render failed: internal error".to_owned()))
        }
        Err(_) => {
            // The client learns of the timeout now; the slot is held until the
            // render, which looks at the flag between frames, layout steps and
            // pictures, has stopped.
            cancel.cancel();
            let message = format!(
                "Render timed out after {} seconds",
                app.config.job_timeout_secs
            );
            match fail(app, &job, &message).await {
                Ok(_) => recorded = true,
                Err(e) => tracing::error!(job = %job.id, error = %e, "cannot record the timeout"),
            }
            let _ = task.await;
            Err((Outcome::Failed, message))
        }
    };
    let result = match outcome {
        Ok((size, (width, height), extras)) => {
            let names = staged(&name, &extras);
            let committed = tokio::select! {
                committed = app.files.commit(&names) => committed,
                _ = &mut lost => {
                    app.files.remove_staging(&name);
                    tracing::warn!(job = %job.id, "lease lost while storing; the job is another worker's now");
                    return;
                }
            };
            match committed {
                Ok(()) => {
                    let done = Finished {
                        file: name.clone(),
                        size: size as i64,
                        extras,
                        width,
                        height,
                        now: now(),
                        month: crate::month_bounds(now()).0,
                    };
                    let completed = app.store.complete_job(&job.id, &job.lease, done).await;
                    if let Ok(true) = completed {
                        let seconds = started.elapsed().as_secs_f64();
                        app.metrics.render(Kind::Video, Outcome::Ok, Some(seconds));
                        crate::spawn_storage_check(app);
                    }
                    // Not completed (the lease was lost): the files stay, the node
                    // that took the job over writes the same bytes under the same
                    // names.
                    completed
                }
                Err(e) => {
                    app.files.remove_staging(&name);
                    app.metrics.render(Kind::Video, Outcome::Failed, None);
                    let message = format!("Render failed: cannot store the file ({e})");
                    let failed = fail(app, &job, &message).await;
                    // Only the lease's holder removes what it may have stored:
                    // another node's finished files have the same names.
                    if let Ok(true) = failed {
                        app.files.remove(&name).await;
                    }
                    failed
                }
            }
        }
        Err((class, message)) => {
            app.files.remove_staging(&name);
            app.metrics.render(Kind::Video, class, None);
            if recorded {
                Ok(true)
            } else {
                fail(app, &job, &message).await
            }
        }
    };
    match result {
        Ok(true) => {}
        Ok(false) => tracing::warn!(job = %job.id, "lease lost before the outcome was recorded"),
        Err(e) => tracing::error!(job = %job.id, error = %e, "cannot record the job's outcome"),
    }
    tracing::info!(job = %job.id, seconds = started.elapsed().as_secs_f64(), "video job finished");
}

/// Aborts a task when dropped (the lease's renewals end with the job's run).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The files a render staged: the video and the files made beside it.
fn staged(main: &str, extras: &[store::ExtraFile]) -> Vec<String> {
    std::iter::once(main.to_owned())
        .chain(extras.iter().map(|e| e.file.clone()))
        .collect()
}

/// Resolves once the server stops.
async fn stopping(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

async fn fail(app: &App, job: &Job, message: &str) -> Result<bool, store::StoreError> {
    app.store
        .fail_job(&job.id, &job.lease, message, now())
        .await
}

/// Renews the job's lease a third of the way through each term; resolves when it
/// was lost (the job was taken back), never while it is held. A database that does
/// not answer only delays renewals: the lease may run out, and then it is lost.
async fn hold_lease(app: &App, job: &Job) {
    let lease = app.config.job_lease_secs;
    loop {
        tokio::time::sleep(Duration::from_millis(lease * 1000 / 3)).await;
        match app
            .store
            .renew_lease(&job.id, &job.lease, lease as i64)
            .await
        {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => tracing::warn!(job = %job.id, error = %e, "cannot renew the lease"),
        }
    }
}

/// Takes back jobs whose lease ran out, on every node, every third of a lease.
pub fn spawn_reclaimer(app: App, mut stop: watch::Receiver<bool>) {
    tokio::spawn(async move {
        let every = Duration::from_millis(app.config.job_lease_secs * 1000 / 3);
        loop {
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.wait_for(|s| *s) => break,
            }
            let max = app.config.job_max_attempts;
            match app
                .store
                .reclaim(Interrupted::LeaseExpired, max, now())
                .await
            {
                Ok(r) if r.requeued + r.failed > 0 => {
                    tracing::warn!(
                        requeued = r.requeued,
                        failed = r.failed,
                        "took back jobs whose lease ran out"
                    );
                    app.job_added.notify_waiters();
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "cannot take back expired jobs"),
            }
        }
    });
}

/// What a finished render left: bytes written, pixel size, the files made beside it.
type Rendered = (u64, (u32, u32), Vec<store::ExtraFile>);

/// Why a render did not finish (whose fault, for `/metrics`) and the job's error.
type Failure = (Outcome, String);

/// Renders a job's video into `out`. Progress goes to the database at most every
/// 1 % or half second; `cancel` stops the render.
fn render_video(
    app: &App,
    job: &Job,
    out: &std::path::Path,
    cancel: &Cancel,
    runtime: &tokio::runtime::Handle,
) -> Result<Rendered, Failure> {
    let payload = mockly_engine::Payload::from_json(&job.payload)
        .map_err(|e| (Outcome::Refused, format!("Render failed: {e}")))?;
    let mut written = 0.0;
    let mut last_write = Instant::now();
    let mut report = |p: mockly_engine::video::Progress| {
        let share = p.share();
        if share - written >= 0.01 || last_write.elapsed() >= Duration::from_millis(500) {
            written = share;
            last_write = Instant::now();
            let progress = app.store.set_progress(&job.id, &job.lease, share);
            if let Err(e) = runtime.block_on(progress) {
                tracing::warn!(job = %job.id, error = %e, "cannot record progress");
            }
        }
    };
    let info = app
        .engine
        .render_video(&payload, out, &mut report, cancel)
        .map_err(|e| match e {
            e if e.is_client_error() => (Outcome::Refused, format!("Render failed: {e}")),
            mockly_engine::Error::Cancelled => (Outcome::Failed, "Render stopped".to_owned()),
            e => {
                tracing::error!(job = %job.id, error = %e, "video render failed");
                let message = "Render failed: internal error while encoding";
                (Outcome::Failed, message.to_owned())
            }
        })?;
    let mut extras = Vec::new();
    for extra in payload.props().video_extras() {
        let name = Files::extra_name(&job.id, extra);
        let contents = extra.contents(&info.timing, &payload);
        std::fs::write(app.files.staging(&name), contents.as_bytes()).map_err(|e| {
            let what = extra.name();
            (
                Outcome::Failed,
                format!("Render failed: cannot store the {what} file ({e})"),
            )
        })?;
        extras.push(store::ExtraFile {
            kind: extra.name().to_owned(),
            file: name,
            size_bytes: contents.len() as i64,
        });
    }
    Ok((info.bytes, (info.width, info.height), extras))
}
