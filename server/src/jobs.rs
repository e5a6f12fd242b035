//! The video job queue: jobs wait in SQLite (`queued`), a bounded number of render
//! slots take them one at a time (each key at most its share of the slots), and
//! progress, completion and failure are written back. A job interrupted by a crash
//! is queued again at the next start.
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
use crate::now;
use crate::store::{self, Job};

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

/// Starts `slots` workers; they stop taking jobs once `stop` turns true.
pub fn spawn_workers(app: App, slots: usize, stop: watch::Receiver<bool>) {
    for _ in 0..slots.max(1) {
        let (app, mut stop) = (app.clone(), stop.clone());
        tokio::spawn(async move {
            loop {
                if *stop.borrow() {
                    break;
                }
                let per_key = app.config.key_slot_share() as i64;
                let claimed = app
                    .store
                    .write(move |c| store::claim_job(c, now(), per_key))
                    .await;
                match claimed {
                    Ok(Some(job)) => run(&app, job, &mut stop).await,
                    Ok(None) => {
                        tokio::select! {
                            _ = app.job_added.notified() => {}
                            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                            _ = stop.changed() => {}
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "cannot take a job from the queue");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        });
    }
}

/// Renders one job within the time limit and records the outcome. Returns only
/// when the render has stopped.
async fn run(app: &App, job: Job, stop: &mut watch::Receiver<bool>) {
    let started = Instant::now();
    let cancel = Cancel::new();
    let name = Files::name(&job.id, &job.format);
    let staging = app.files.staging(&name);
    let mut task = {
        let (app, job, cancel) = (app.clone(), job.clone(), cancel.clone());
        tokio::task::spawn_blocking(move || {
            let _running = app.video_renders.enter();
            render_video(&app, &job, &staging, &cancel)
        })
    };
    let limit = Duration::from_secs(app.config.job_timeout_secs);
    let finished = tokio::select! {
        finished = tokio::time::timeout(limit, &mut task) => finished,
        () = stopping(stop) => {
            // The server is stopping: stop the render and leave the job
            // 'rendering', to be queued again at the next start.
            cancel.cancel();
            let _ = task.await;
            app.files.remove(&name);
            tracing::info!(job = %job.id, "render stopped by shutdown; queued again at the next start");
            return;
        }
    };
    let outcome = match finished {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => {
            // The detail (a panic's message) is for the log, not for the client.
            tracing::error!(job = %job.id, error = %join, "video render task failed");
            Err("Render failed: internal error".to_owned())
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
            if let Err(e) = fail(app, &job.id, &message).await {
                tracing::error!(job = %job.id, error = %e, "cannot record the timeout");
            }
            let _ = task.await;
            Err(message)
        }
    };
    let id = job.id.clone();
    let key_id = job.key_id;
    let result = match outcome {
        Ok((size, dims, extras)) => match app.files.commit(&name) {
            Ok(()) => {
                let month = crate::month_bounds(now()).0;
                let file = name.clone();
                app.store
                    .write(move |c| {
                        let tx = c.unchecked_transaction()?;
                        let main = (file.as_str(), size as i64, extras.as_slice());
                        store::complete_job(&tx, &id, main, dims, now())?;
                        store::add_usage(&tx, key_id, &month, "video")?;
                        tx.commit()
                    })
                    .await
                    .inspect(|()| crate::spawn_storage_check(app))
            }
            Err(e) => {
                // The video's staging file and the files made beside it.
                app.files.remove(&name);
                fail(
                    app,
                    &job.id,
                    &format!("Render failed: cannot store the file ({e})"),
                )
                .await
            }
        },
        Err(message) => {
            app.files.remove(&name);
            fail(app, &job.id, &message).await
        }
    };
    if let Err(e) = result {
        tracing::error!(job = %job.id, error = %e, "cannot record the job's outcome");
    }
    tracing::info!(job = %job.id, seconds = started.elapsed().as_secs_f64(), "video job finished");
}

/// Resolves once the server stops.
async fn stopping(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

async fn fail(app: &App, id: &str, message: &str) -> Result<(), store::StoreError> {
    let (id, message) = (id.to_owned(), message.to_owned());
    app.store
        .write(move |c| store::fail_job(c, &id, &message, now()))
        .await
}

/// What a finished render left: bytes written, pixel size, the files made beside it.
type Rendered = (u64, (u32, u32), Vec<store::ExtraFile>);

/// Renders a job's video into `out`. Progress goes to the database at most every
/// 1 % or half second; `cancel` stops the render.
fn render_video(
    app: &App,
    job: &Job,
    out: &std::path::Path,
    cancel: &Cancel,
) -> Result<Rendered, String> {
    let payload = mockly_engine::Payload::from_json(&job.payload)
        .map_err(|e| format!("Render failed: {e}"))?;
    let mut written = 0.0;
    let mut last_write = Instant::now();
    let mut report = |p: mockly_engine::video::Progress| {
        let share = p.share();
        if share - written >= 0.01 || last_write.elapsed() >= Duration::from_millis(500) {
            written = share;
            last_write = Instant::now();
            let id = job.id.as_str();
            if let Err(e) = app.store.write_now(|c| store::set_progress(c, id, share)) {
                tracing::warn!(job = %job.id, error = %e, "cannot record progress");
            }
        }
    };
    let info = app
        .engine
        .render_video(&payload, out, &mut report, cancel)
        .map_err(|e| match e {
            e if e.is_client_error() => format!("Render failed: {e}"),
            mockly_engine::Error::Cancelled => "Render stopped".to_owned(),
            e => {
                tracing::error!(job = %job.id, error = %e, "video render failed");
                "Render failed: internal error while encoding".to_owned()
            }
        })?;
    let mut extras = Vec::new();
    for extra in payload.props().video_extras() {
        let name = Files::extra_name(&job.id, extra);
        let contents = extra.contents(&info.timing, &payload);
        app.files.write(&name, contents.as_bytes()).map_err(|e| {
            format!(
                "Render failed: cannot store the {} file ({e})",
                extra.name()
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
