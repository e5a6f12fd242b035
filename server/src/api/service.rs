//! Health, readiness, usage and the machine-readable descriptions of the API.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::types::{QuotaUse, Usage};
use super::{ApiError, App, Key};
use crate::store;

/// Liveness: the process answers.
pub async fn healthz() -> Response {
    Json(json!({"status": "ok"})).into_response()
}

/// Readiness: the database answers and the file store can be written.
pub async fn readyz(State(app): State<App>) -> Result<Response, ApiError> {
    app.store
        .read(|c| c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)))
        .await
        .map_err(|e| ApiError::Unavailable(format!("database unavailable: {e}")))?;
    let files = app.files.clone();
    let writable = tokio::task::spawn_blocking(move || files.writable())
        .await
        .unwrap_or(false);
    if !writable {
        return Err(ApiError::Unavailable(
            "file storage is not writable".to_owned(),
        ));
    }
    Ok(Json(json!({"status": "ready"})).into_response())
}

/// `GET /api/v1/usage` (ext): this key's renders this month, against its quota.
pub async fn usage(State(app): State<App>, key: Key) -> Result<Response, ApiError> {
    let (month, _) = crate::month_bounds(crate::now());
    let (key_id, m) = (key.0.id, month.clone());
    let (images, videos) = app.store.read(move |c| store::usage(c, key_id, &m)).await?;
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
