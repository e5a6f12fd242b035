//! Health, readiness, usage and the machine-readable descriptions of the API.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::types::{QuotaUse, Usage};
use super::{ApiError, App, Key};

/// Liveness: the process answers.
pub async fn healthz() -> Response {
    Json(json!({"status": "ok"})).into_response()
}

/// Readiness: the database answers and the file store can be written.
pub async fn readyz(State(app): State<App>) -> Result<Response, ApiError> {
    app.store
        .ping()
        .await
        .map_err(|e| ApiError::Unavailable(format!("database unavailable: {e}")))?;
    if !app.files.writable().await {
        return Err(ApiError::Unavailable(
            "file storage is not writable".to_owned(),
        ));
    }
    Ok(Json(json!({"status": "ready"})).into_response())
}

/// `GET /metrics`: Prometheus text format, no key (scrapers carry none; put the
/// route behind the load balancer's own rules when it must not be public).
pub async fn metrics(State(app): State<App>) -> Response {
    // While the database does not answer, the node's own counters (its database
    // errors among them) are what an operator needs most: they are served anyway.
    let by_status = app.store.jobs_by_status().await.ok();
    let text = app
        .metrics
        .encode(by_status.as_deref(), app.video_renders.running());
    let content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    ([(axum::http::header::CONTENT_TYPE, content_type)], text).into_response()
}

/// `GET /api/v1/usage` (ext): this key's renders this month, against its quota.
pub async fn usage(State(app): State<App>, key: Key) -> Result<Response, ApiError> {
    let (month, _) = crate::month_bounds(crate::now());
    let (images, videos) = app.store.usage(key.0.id, &month).await?;
    Ok(Json(Usage {
        month,
        images: QuotaUse {
            used: images,
            included: app.config.quota_images,
        },
        videos: QuotaUse {
            used: videos,
            included: app.config.quota_videos,
        },
        enforced: app.config.quota_enforce,
    })
    .into_response())
}

pub async fn openapi(State(app): State<App>, _key: Key) -> Response {
    Json(crate::openapi::document(&app.base_url)).into_response()
}

pub async fn schema(_key: Key) -> Response {
    Json(crate::openapi::payload_schema()).into_response()
}
