//! `POST /api/v1/chat/render`: stills are rendered before answering; videos are
//! queued and answered 202 at once.

use std::sync::Arc;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use mockly_engine::payload::RenderKind as PayloadKind;
use mockly_engine::{Payload, Warning};

use super::types::{Completed, ImageRendered, RenderKind, Rendering, VideoAccepted};
use super::{ApiError, App, Key, limited};
use crate::files::Files;
use crate::ratelimit::Bucket;
use crate::{now, store};

pub async fn submit(State(app): State<App>, key: Key, req: Request) -> Response {
    limited(&app, &key, Bucket::Render, render(&app, &key, req)).await
}

async fn render(app: &App, key: &Key, req: Request) -> Result<Response, ApiError> {
    let (parts, body) = req.into_parts();
    if !is_json(&parts.headers) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = read_limited(body, &parts.headers, app.config.max_body_bytes).await?;
    let payload = {
        let bytes = bytes.clone();
        tokio::task::spawn_blocking(move || Payload::from_json(&bytes))
            .await
            .map_err(ApiError::internal)?
            .map_err(|e| ApiError::Validation(e.message))?
    };
    let kind = payload.export.render_kind;
    check_quota(app, key, kind).await?;
    match kind {
        PayloadKind::Image => image(app, key, payload).await,
        PayloadKind::Video => video(app, key, payload, bytes).await,
    }
}

/// `application/json`, with or without parameters such as `charset`.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// Reads the body, refusing (without buffering it) anything over `limit` bytes.
async fn read_limited(body: Body, headers: &HeaderMap, limit: usize) -> Result<Bytes, ApiError> {
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
        match body.frame().await {
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
async fn check_quota(app: &App, key: &Key, kind: PayloadKind) -> Result<(), ApiError> {
    if !app.config.quota_enforce {
        return Ok(());
    }
    let (month, next_month) = crate::month_bounds(now());
    let key_id = key.0.id;
    let m = month.clone();
    let (images, videos) = app.store.read(move |c| store::usage(c, key_id, &m)).await?;
    let (used, included, what) = match kind {
        PayloadKind::Image => (images, app.config.quota_images, "image"),
        PayloadKind::Video => (videos, app.config.quota_videos, "video"),
    };
    if used >= included {
        return Err(ApiError::RateLimited {
            message: format!(
                "Monthly quota of {included} {what} renders used up for {month}; it resets at the start of next month (UTC)"
            ),
            retry_after: (next_month - now()).max(1) as u64,
        });
    }
    Ok(())
}

async fn image(app: &App, key: &Key, payload: Payload) -> Result<Response, ApiError> {
    let _slot = app
        .still_slots
        .acquire()
        .await
        .map_err(ApiError::internal)?;
    let engine = Arc::clone(&app.engine);
    let rendered = tokio::task::spawn_blocking(move || engine.render_png(&payload))
        .await
        .map_err(|e| ApiError::Internal(format!("render task: {e}")))?
        .map_err(|e| {
            if e.is_client_error() {
                ApiError::Validation(e.to_string())
            } else {
                ApiError::internal(e)
            }
        })?;
    drop(_slot);

    let id = uuid::Uuid::new_v4().to_string();
    let name = Files::name(&id, "png");
    let size = rendered.png.len() as u64;
    let files = app.files.clone();
    let (file, png) = (name.clone(), rendered.png);
    tokio::task::spawn_blocking(move || files.write(&file, &png))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let (key_id, month, t) = (key.0.id, crate::month_bounds(now()).0, now());
    let (eid, file, w, h) = (id.clone(), name.clone(), rendered.width, rendered.height);
    app.store
        .write(move |c| {
            let tx = c.unchecked_transaction()?;
            store::insert_completed_image(&tx, &eid, key_id, &file, size as i64, w, h, t)?;
            store::add_usage(&tx, key_id, &month, "image")?;
            tx.commit()
        })
        .await?;
    let body = ImageRendered {
        download_url: app.signed_url(&id, &name),
        id,
        status: Completed::Completed,
        render_kind: RenderKind::Image,
        format: "png".to_owned(),
        size_bytes: size,
        warnings: texts(&rendered.warnings),
    };
    Ok((StatusCode::OK, Json(body)).into_response())
}

/// The longest video we render.
const MAX_VIDEO_SECONDS: f64 = 600.0;

async fn video(app: &App, key: &Key, payload: Payload, raw: Bytes) -> Result<Response, ApiError> {
    let seconds = mockly_engine::timeline::planned_duration_ms(&payload) / 1000.0;
    if seconds > MAX_VIDEO_SECONDS {
        return Err(ApiError::Validation(format!(
            "Video too long at props.messages: it would last {seconds:.0} seconds, over the limit of {MAX_VIDEO_SECONDS:.0}; shorten the conversation or its delays"
        )));
    }
    let queued = app.store.read(store::queued_count).await?;
    if queued >= app.config.queue_capacity as i64 {
        return Err(ApiError::Overloaded { retry_after: 30 });
    }
    let format = mockly_engine::video::Container::of(&payload).extension();
    let id = uuid::Uuid::new_v4().to_string();
    let (jid, key_id, t) = (id.clone(), key.0.id, now());
    app.store
        .write(move |c| store::insert_job(c, &jid, key_id, format, &raw, t))
        .await?;
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

fn texts(warnings: &[Warning]) -> Vec<String> {
    warnings.iter().map(ToString::to_string).collect()
}
