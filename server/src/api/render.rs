//! `POST /api/v1/chat/render` (and the hosted API's newer `POST /api/v1/render`,
//! same body): stills are rendered before answering; videos are checked, queued and
//! answered 202.
//!
//! Every still runs under a deadline and in a bounded slot that the render itself
//! holds until it has really stopped; heavy ones (tall, text-heavy, picture-heavy)
//! also take one of a few heavy slots, so they cannot starve ordinary ones.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use mockly_engine::payload::RenderKind as PayloadKind;
use mockly_engine::{Cancel, Engine, Payload, Warning};
use tokio::time::Instant;

use super::types::{Completed, ImageRendered, RenderKind, Rendering, VideoAccepted};
use super::{ApiError, App, Key, limited};
use crate::files::Files;
use crate::metrics::{Kind, Outcome};
use crate::ratelimit::Bucket;
use crate::{now, store};

/// Bodies up to this size are parsed on the request's own thread.
const INLINE_PARSE_BYTES: usize = 64 * 1024;

pub async fn submit(State(app): State<App>, key: Key, req: Request) -> Response {
    limited(&app, &key, Bucket::Render, render(&app, &key, req)).await
}

async fn render(app: &App, key: &Key, req: Request) -> Result<Response, ApiError> {
    let (payload, bytes) = read_payload(app, req).await?;
    let kind = payload.export().render_kind;
    let counted = reserve_quota(app, key, kind).await?;
    match kind {
        PayloadKind::Image => {
            let started = std::time::Instant::now();
            let result = image(app, key, payload, counted).await;
            let outcome = match &result {
                Ok(_) => Outcome::Ok,
                Err(e) if e.is_client_error() => Outcome::Refused,
                Err(_) => Outcome::Failed,
            };
            let seconds = (outcome == Outcome::Ok).then(|| started.elapsed().as_secs_f64());
            app.metrics.render(Kind::Image, outcome, seconds);
            result
        }
        PayloadKind::Video => video(app, key, payload, bytes, counted).await,
    }
}

/// Reads a JSON body within the limits and parses it as a payload (the raw bytes
/// too, which a queued video keeps).
pub(super) async fn read_payload(app: &App, req: Request) -> Result<(Payload, Bytes), ApiError> {
    let (parts, body) = req.into_parts();
    if !is_json(&parts.headers) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let timeouts = (
        Duration::from_secs(app.config.header_timeout_secs),
        Duration::from_secs(app.config.body_timeout_secs),
    );
    let bytes = read_limited(body, &parts.headers, app.config.max_body_bytes, timeouts).await?;
    // A typical payload (a few KB) parses in ~50 µs, less than handing it to a
    // blocking thread costs; large ones are parsed off the async threads.
    let parsed = if bytes.len() <= INLINE_PARSE_BYTES {
        Payload::from_json(&bytes)
    } else {
        let bytes = bytes.clone();
        tokio::task::spawn_blocking(move || Payload::from_json(&bytes))
            .await
            .map_err(ApiError::internal)?
    };
    let payload = parsed.map_err(ApiError::payload)?;
    Ok((payload, bytes))
}

/// `application/json`, with or without parameters such as `charset`.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// Reads the body, refusing (without buffering it) anything over `limit` bytes, and
/// a body that pauses longer than `idle` or takes longer than `total` (408).
async fn read_limited(
    body: Body,
    headers: &HeaderMap,
    limit: usize,
    (idle, total): (Duration, Duration),
) -> Result<Bytes, ApiError> {
    let deadline = Instant::now() + total;
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = ApiError::TooLarge { limit };
    if declared.is_some_and(|n| n > limit as u64) {
        drain(body, headers).await;
        return Err(too_large);
    }
    let mut body = body;
    let mut out = Vec::with_capacity(declared.unwrap_or(0) as usize);
    loop {
        let until = deadline.min(Instant::now() + idle);
        let frame = tokio::time::timeout_at(until, body.frame())
            .await
            .map_err(|_| ApiError::RequestTimeout)?;
        match frame {
            None => return Ok(Bytes::from(out)),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    if out.len() + data.len() > limit {
                        drop(out);
                        drain(body, headers).await;
                        return Err(too_large);
                    }
                    out.extend_from_slice(&data);
                }
            }
            Some(Err(e)) => {
                return Err(ApiError::Validation(format!(
                    "Could not read the request body: {e}"
                )));
            }
        }
    }
}

/// Reads and discards what is left of a refused body (up to a bound), so that a
/// client still sending it receives the 413 instead of a reset connection. Clients
/// that asked `Expect: 100-continue` have not sent it and are answered at once.
async fn drain(body: Body, headers: &HeaderMap) {
    const MAX_DISCARD: usize = 32 * 1024 * 1024;
    let expects = headers
        .get(axum::http::header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    if expects {
        return;
    }
    let discard = async {
        let mut body = body;
        let mut seen = 0usize;
        while let Some(Ok(frame)) = body.frame().await {
            seen += frame.data_ref().map_or(0, |d| d.len());
            if seen > MAX_DISCARD {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), discard).await;
}

/// With quotas enforced, refuses a render beyond this month's allowance until the
/// first second of next month.
/// The render is counted now, atomically against the quota (so concurrent requests
/// on any node cannot overrun it), and refunded if it does not finish.
async fn reserve_quota(
    app: &App,
    key: &Key,
    kind: PayloadKind,
) -> Result<Option<Counted>, ApiError> {
    if !app.config.quota_enforce {
        return Ok(None);
    }
    let (month, next_month) = crate::month_bounds(now());
    let (included, what) = match kind {
        PayloadKind::Image => (app.config.quota_images, "image"),
        PayloadKind::Video => (app.config.quota_videos, "video"),
    };
    if !app
        .store
        .reserve_usage(key.0.id, &month, what, included)
        .await?
    {
        return Err(ApiError::RateLimited {
            message: format!(
                "Monthly quota of {included} {what} renders used up for {month}; it resets at the start of next month (UTC)"
            ),
            retry_after: (next_month - now()).max(1) as u64,
        });
    }
    Ok(Some(Counted {
        app: app.clone(),
        key_id: key.0.id,
        month,
        kind: what,
        kept: false,
    }))
}

/// A render counted against the quota before it ran. Unless [`Counted::keep`] is
/// called (the render was stored), dropping it gives the count back — also when the
/// request is dropped because its client went away.
struct Counted {
    app: App,
    key_id: i64,
    month: String,
    kind: &'static str,
    kept: bool,
}

impl Counted {
    fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        let (app, key_id, month, kind) = (
            self.app.clone(),
            self.key_id,
            std::mem::take(&mut self.month),
            self.kind,
        );
        tokio::spawn(async move {
            if let Err(e) = app.store.release_usage(key_id, &month, kind).await {
                tracing::error!(error = %e, "cannot give back a quota count");
            }
        });
    }
}

/// A still is heavy when it will likely be this many pixels …
const HEAVY_PIXELS: u64 = 8_000_000;
/// … or has this much text, this many pictures, or pictures that may keep this many
/// pixels.
const HEAVY_TEXT_CHARS: usize = 20_000;
const HEAVY_PICTURES: usize = 24;
const HEAVY_PICTURE_PIXELS: u64 = 16_000_000;

/// Raises its flag when dropped: a request whose client went away stops its render.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Runs `work` (a still-sized render) in the still lanes, under the image deadline:
/// the key's own share first, then (when the payload is heavy) a heavy slot, then a
/// still slot. The slots are held by the work itself until it has really stopped;
/// a request that gives up or times out raises the work's cancel flag.
pub(super) async fn in_still_lane<T, F>(
    app: &App,
    key: &Key,
    payload: Payload,
    work: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Engine, &Payload, &Cancel) -> Result<T, mockly_engine::Error> + Send + 'static,
{
    let seconds = app.config.image_timeout_secs;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let timed_out = || ApiError::TimedOut { seconds };
    let estimate = app.engine.estimate(&payload);
    let heavy = estimate.likely_pixels() > HEAVY_PIXELS
        || estimate.text_chars > HEAVY_TEXT_CHARS
        || estimate.pictures > HEAVY_PICTURES
        || estimate.picture_pixels > HEAVY_PICTURE_PIXELS;
    // The key's own share first, of the lane the still will take: its surplus
    // waits behind itself, and its heavy stills do not hold up its ordinary ones.
    let shares = if heavy {
        &app.key_heavy
    } else {
        &app.key_stills
    };
    let key_slot = tokio::time::timeout_at(deadline, shares.of(key.0.id).acquire_owned())
        .await
        .map_err(|_| timed_out())?
        .map_err(ApiError::internal)?;
    let heavy_slot = if heavy {
        let slot = tokio::time::timeout_at(deadline, app.heavy_slots.clone().acquire_owned())
            .await
            .map_err(|_| timed_out())?
            .map_err(ApiError::internal)?;
        Some(slot)
    } else {
        None
    };
    let slot = tokio::time::timeout_at(deadline, app.still_slots.clone().acquire_owned())
        .await
        .map_err(|_| timed_out())?
        .map_err(ApiError::internal)?;
    let cancel = Cancel::new();
    let _stop_if_dropped = CancelOnDrop(cancel.clone());
    let engine = Arc::clone(&app.engine);
    let flag = cancel.clone();
    let mut task = tokio::task::spawn_blocking(move || {
        // The slots are the render's: given back when it has stopped, not when the
        // request gives up on it.
        let _slots = (key_slot, slot, heavy_slot);
        work(&engine, &payload, &flag)
    });
    match tokio::time::timeout_at(deadline, &mut task).await {
        Ok(joined) => joined.map_err(|e| ApiError::Internal(format!("render task: {e}")))?,
        Err(_) => {
            cancel.cancel();
            return Err(timed_out());
        }
    }
    .map_err(ApiError::render)
}

async fn image(
    app: &App,
    key: &Key,
    payload: Payload,
    counted: Option<Counted>,
) -> Result<Response, ApiError> {
    let rendered = in_still_lane(app, key, payload, |engine, payload, cancel| {
        engine.render_png_with(payload, cancel)
    })
    .await?;

    let id = uuid::Uuid::new_v4().to_string();
    let name = Files::name(&id, "png");
    let size = rendered.png.len() as u64;
    let record = store::NewImage {
        id: id.clone(),
        key_id: key.0.id,
        file: name.clone(),
        size: size as i64,
        width: rendered.width,
        height: rendered.height,
        now: now(),
        month: crate::month_bounds(now()).0,
        counted: counted.is_some(),
    };
    // Stored on a task of its own: a client that goes away cannot stop it
    // halfway (a file with no row, or a row whose file the storage budget's sweep
    // could take while the file was still being written, leaving the file behind).
    tokio::spawn(store_image(app.clone(), record, rendered.png, counted))
        .await
        .map_err(|e| ApiError::Internal(format!("storing a still: {e}")))??;
    crate::spawn_storage_check(app);
    let body = ImageRendered {
        download_url: app.download_url(&id, &name).await,
        id,
        status: Completed::Completed,
        render_kind: RenderKind::Image,
        format: "png".to_owned(),
        size_bytes: size,
        warnings: texts(&rendered.warnings),
    };
    Ok((StatusCode::OK, Json(body)).into_response())
}

/// Writes a still's file and its row, and keeps its count; undoes either when the
/// other fails.
async fn store_image(
    app: App,
    record: store::NewImage,
    png: Vec<u8>,
    counted: Option<Counted>,
) -> Result<(), ApiError> {
    let (id, name, key_id) = (record.id.clone(), record.file.clone(), record.key_id);
    let month = record.month.clone();
    // The file and its row are written at the same time: ~0.8 ms less per still
    // than one after the other, measured. Whichever fails, the other is undone
    // (on a task of its own). This process's storage checks leave the row alone
    // until the file is in place.
    let storing = app.files.hold(&name);
    let (stored, recorded) =
        tokio::join!(app.files.put(&name, png), app.store.record_image(record));
    drop(storing);
    match (stored, recorded) {
        (Ok(()), Ok(())) => {}
        (Err(e), recorded) => {
            if recorded.is_ok() {
                // Counted by the row's transaction when not reserved beforehand
                // (a reserved count is given back by `counted` when dropped).
                let release = counted.is_none().then_some(month);
                tokio::spawn(async move { unrecord(&app, &id, key_id, release).await });
            }
            return Err(ApiError::internal(e));
        }
        (Ok(()), Err(e)) => {
            let files = app.files.clone();
            tokio::spawn(async move { files.remove(&name).await });
            return Err(e.into());
        }
    }
    // Another node's storage check (with a database every node shares) may have
    // taken the row while its file was still being written, and found no file to
    // remove.
    if app.store.shared() && app.store.export(&id).await?.is_none() {
        app.files.remove(&name).await;
        return Err(ApiError::Internal(
            "the storage budget (storage_max_bytes) removed this still as it was stored".to_owned(),
        ));
    }
    if let Some(c) = counted {
        c.keep();
    }
    Ok(())
}

/// Takes back the row of a still whose file could not be stored, and its count.
async fn unrecord(app: &App, id: &str, key_id: i64, release: Option<String>) {
    if let Err(e) = app.store.delete_export(id).await {
        tracing::error!(error = %e, id, "could not delete the row of a still not stored");
    }
    if let Some(month) = release
        && let Err(e) = app.store.release_usage(key_id, &month, "image").await
    {
        tracing::error!(error = %e, id, "could not give back a still's count");
    }
}

/// How long checking a video's pictures may take before the 202.
const PICTURE_CHECK_SECS: u64 = 30;

async fn video(
    app: &App,
    key: &Key,
    payload: Payload,
    raw: Bytes,
    counted: Option<Counted>,
) -> Result<Response, ApiError> {
    // What can be known now is refused now, not by a failed job later.
    app.engine.check_video(&payload).map_err(ApiError::render)?;
    let cancel = Cancel::new();
    let _stop_if_dropped = CancelOnDrop(cancel.clone());
    let (engine, flag) = (Arc::clone(&app.engine), cancel.clone());
    let checked = tokio::task::spawn_blocking(move || {
        engine.check_pictures(&payload, &flag).map(|()| payload)
    });
    let payload = match tokio::time::timeout(Duration::from_secs(PICTURE_CHECK_SECS), checked).await
    {
        Ok(joined) => joined
            .map_err(ApiError::internal)?
            .map_err(ApiError::render)?,
        Err(_) => {
            cancel.cancel();
            return Err(ApiError::TimedOut {
                seconds: PICTURE_CHECK_SECS,
            });
        }
    };
    let format = mockly_engine::video::Container::of(&payload).extension();
    let id = uuid::Uuid::new_v4().to_string();
    let limits = store::QueueLimits {
        capacity: app.config.queue_capacity as i64,
        per_key: app.config.key_queue_share() as i64,
    };
    let share = limits.per_key;
    // Counting and queueing in one transaction: two requests cannot both take the
    // last place.
    let job = store::NewJob {
        id: id.clone(),
        key_id: key.0.id,
        format: format.to_owned(),
        payload: raw.to_vec(),
        now: now(),
        usage_month: counted.as_ref().map(|c| c.month.clone()),
    };
    let queued = app.store.enqueue_job(job, limits).await?;
    if queued == store::QueueRoom::Free {
        // The job carries its count now: refunded by the store if it fails.
        if let Some(c) = counted {
            c.keep();
        }
    }
    match queued {
        store::QueueRoom::Free => {}
        store::QueueRoom::Full => return Err(ApiError::Overloaded { retry_after: 30 }),
        store::QueueRoom::KeyShareUsed => {
            return Err(ApiError::RateLimited {
                message: format!(
                    "This key already has {share} videos waiting, its share of the queue; retry when one has finished"
                ),
                retry_after: 30,
            });
        }
    }
    app.job_added.notify_one();
    let body = VideoAccepted {
        status_url: format!("{}/api/v1/exports/{id}", app.base_url),
        id,
        status: Rendering::Rendering,
        render_kind: RenderKind::Video,
        format: format.to_owned(),
        warnings: texts(&payload.warnings),
    };
    Ok((StatusCode::ACCEPTED, Json(body)).into_response())
}

pub(super) fn texts(warnings: &[Warning]) -> Vec<String> {
    warnings.iter().map(ToString::to_string).collect()
}
