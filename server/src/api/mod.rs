//! The HTTP API: router, shared state and middleware in one place; handlers in the
//! modules beside this one.

mod downloads;
pub mod error;
mod playground;
mod preview;
mod render;
mod service;
pub mod types;

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::extract::{FromRequestParts, MatchedPath, Request};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use mockly_engine::Engine;
use tokio::sync::{Notify, Semaphore};

use crate::config::Config;
use crate::files::Files;
use crate::keys;
use crate::ratelimit::{Bucket, Decision, RateLimiter};
use crate::signing::Signer;
use crate::store::{self, KeyRow, Store};
pub use error::ApiError;

/// What every handler can reach.
#[derive(Debug)]
pub struct AppState {
    pub config: Config,
    /// Base of absolute URLs, no trailing slash.
    pub base_url: String,
    pub store: Store,
    pub engine: Arc<Engine>,
    pub files: Files,
    pub signer: Signer,
    pub limiter: RateLimiter,
    /// Bounds stills rendered at once (CPU-bound work on blocking threads). A
    /// permit is held by the render itself, so it is free only when the work stops.
    pub still_slots: Arc<Semaphore>,
    /// Bounds heavy stills rendered at once (they also take a still slot).
    pub heavy_slots: Arc<Semaphore>,
    /// Each key's share of the still slots, for its ordinary stills.
    pub key_stills: crate::shares::KeyShares,
    /// Each key's share of the heavy lane: a key's heavy stills wait behind each
    /// other there, not in front of its ordinary ones.
    pub key_heavy: crate::shares::KeyShares,
    /// Wakes the video workers when a job is queued.
    pub job_added: Arc<Notify>,
    /// Video renders whose work is running (not merely waited for).
    pub video_renders: crate::jobs::RenderGauge,
    pub metrics: crate::metrics::Metrics,
    /// This process's name in the job queue (a key's share of the render slots is
    /// counted per node).
    pub node: String,
}

pub type App = Arc<AppState>;

/// The router with every route, fallback and layer.
pub fn router(app: App) -> Router {
    layered(routes()).with_state(app)
}

fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/chat/render", post(render::submit))
        .route("/api/v1/render", post(render::submit))
        .route("/api/v1/chat/preview", post(preview::preview))
        .route("/api/v1/exports/{id}", get(downloads::status))
        .route("/api/v1/exports/{id}/download", get(downloads::download))
        .route("/api/v1/files/{name}", get(downloads::signed_file))
        .route("/api/v1/usage", get(service::usage))
        .route("/api/v1/openapi.json", get(service::openapi))
        .route("/api/v1/schema.json", get(service::schema))
        .route("/healthz", get(service::healthz))
        .route("/readyz", get(service::readyz))
        .route("/metrics", get(service::metrics))
        .route("/", get(playground::index))
        .route("/playground/meta.json", get(playground::meta))
        .route("/playground/{file}", get(playground::file))
        .route("/playground/examples/{name}", get(playground::example))
}

/// Fallbacks and layers around routes: envelope for 404/405 and for any error an
/// extractor answered in plain text, one log line per request, and panics turned
/// into 500 `internal_error` while the server carries on.
fn layered(routes: Router<App>) -> Router<App> {
    routes
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(middleware::from_fn(envelope))
        .layer(middleware::from_fn(log_request))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                ApiError::Internal("a handler panicked".to_owned()).into_response()
            },
        ))
}

/// Every error response in the envelope, every response with `nosniff`. Handlers
/// answer errors as [`ApiError`] already; this catches what a framework layer may
/// have answered in plain text, so no client ever has to parse two shapes.
async fn envelope(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let status = response.status();
    let json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if (status.is_client_error() || status.is_server_error()) && !json {
        let headers = response.headers().clone();
        response = ApiError::from_status(status).into_response();
        for name in [axum::http::header::ALLOW, axum::http::header::RETRY_AFTER] {
            if let Some(v) = headers.get(&name) {
                response.headers_mut().insert(name, v.clone());
            }
        }
    }
    response.headers_mut().insert(
        axum::http::header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Filled in by [`Key`] so the request log can name the key (by prefix only).
#[derive(Clone, Default)]
struct LoggedKey(Arc<Mutex<Option<String>>>);

/// One log line per request: method, route, status, latency, key prefix. Never the
/// key itself, never the payload.
async fn log_request(mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |m| m.as_str().to_owned());
    let key = LoggedKey::default();
    req.extensions_mut().insert(key.clone());
    let response = next.run(req).await;
    let prefix = key
        .0
        .lock()
        .ok()
        .and_then(|k| k.clone())
        .unwrap_or_else(|| "-".to_owned());
    tracing::info!(
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        latency_ms = format!("{:.1}", start.elapsed().as_secs_f64() * 1000.0),
        key = %prefix,
        "request"
    );
    response
}

/// The caller's API key, checked against the database.
#[derive(Debug, Clone)]
pub struct Key(pub KeyRow);

impl FromRequestParts<App> for Key {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Key, ApiError> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError::Unauthorized)?;
        if !keys::well_formed(token) {
            return Err(ApiError::Unauthorized);
        }
        let hash = keys::hash(token);
        let row = app
            .store
            .key_by_hash(&hash)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        if let Some(logged) = parts.extensions.get::<LoggedKey>()
            && let Ok(mut slot) = logged.0.lock()
        {
            *slot = Some(row.prefix.clone());
        }
        let now = crate::now();
        // "Last used" to the minute is plenty, and spares a write per request.
        if row.last_used_at.is_none_or(|t| now - t >= 60) {
            let (store, id) = (app.store.clone(), row.id);
            tokio::spawn(async move {
                let _ = store.touch_key(id, now).await;
            });
        }
        Ok(Key(row))
    }
}

/// Counts the request in its key's window: in this process's memory, or in the
/// database every node shares (one round trip; see `mockly_rate_hit`).
async fn rate_decision(
    app: &App,
    key: &Key,
    bucket: Bucket,
    limit: u32,
) -> Result<Decision, ApiError> {
    if !app.store.shared() {
        return Ok(app.limiter.check(key.0.id, bucket, limit));
    }
    let window_ms = (app.config.rate_window_secs * 1000) as i64;
    let hit = store::RateHit {
        key_id: key.0.id,
        bucket: bucket.name(),
        limit,
        window_ms,
    };
    let count = app.store.rate_hit(hit).await?;
    Ok(count.map_or_else(
        || app.limiter.check(key.0.id, bucket, limit),
        |c| Decision::of_count(c, limit, window_ms),
    ))
}

/// Runs a handler under a rate limit and puts the limit headers on whatever it
/// returns; over the limit, answers 429 without running it.
pub async fn limited<F>(app: &App, key: &Key, bucket: Bucket, handler: F) -> Response
where
    F: std::future::Future<Output = Result<Response, ApiError>>,
{
    let limit = match bucket {
        Bucket::Render => app.config.render_rate_limit,
        Bucket::Exports => app.config.exports_rate_limit,
        Bucket::Preview => app.config.preview_rate_limit,
    };
    let decision = match rate_decision(app, key, bucket, limit).await {
        Ok(decision) => decision,
        Err(e) => return e.into_response(),
    };
    let mut response = if decision.allowed {
        handler.await.unwrap_or_else(IntoResponse::into_response)
    } else {
        app.metrics.rate_limited(bucket.name());
        ApiError::RateLimited {
            message: format!(
                "Rate limit of {limit} requests per {} seconds exceeded; retry after {} seconds",
                app.config.rate_window_secs, decision.retry_after
            ),
            retry_after: decision.retry_after,
        }
        .into_response()
    };
    rate_headers(response.headers_mut(), &decision);
    response
}

fn rate_headers(h: &mut HeaderMap, d: &Decision) {
    h.insert("x-ratelimit-limit", HeaderValue::from(d.limit));
    h.insert("x-ratelimit-remaining", HeaderValue::from(d.remaining));
    h.insert("x-ratelimit-reset", HeaderValue::from(d.reset));
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_and_the_router_keeps_serving() {
        let dir = std::env::temp_dir().join(format!("mockly-panic-{}", uuid::Uuid::new_v4()));
        let config = Config {
            data_dir: dir.clone(),
            ..Config::default()
        };
        let app = Arc::new(AppState {
            base_url: "http://test".to_owned(),
            store: Store::from(crate::store::Backend::Sqlite(
                crate::store::sqlite::Sqlite::open(&dir).unwrap(),
            )),
            engine: Arc::new(Engine::new()),
            files: Files::open(&config).unwrap(),
            signer: Signer::new(vec![1; 32]),
            limiter: RateLimiter::new(std::time::Duration::from_secs(60)),
            still_slots: Arc::new(Semaphore::new(1)),
            heavy_slots: Arc::new(Semaphore::new(1)),
            key_stills: crate::shares::KeyShares::new(1),
            key_heavy: crate::shares::KeyShares::new(1),
            job_added: Arc::new(Notify::new()),
            video_renders: crate::jobs::RenderGauge::default(),
            metrics: crate::metrics::Metrics::default(),
            node: "test".to_owned(),
            config,
        });
        async fn boom() -> &'static str {
            panic!("boom")
        }
        let boom = routes().route("/boom", get(boom));
        let service = layered(boom).with_state(app);
        let get = |uri: &str| Request::builder().uri(uri).body(Body::empty()).unwrap();

        let response = service.clone().oneshot(get("/boom")).await.unwrap();
        assert_eq!(response.status(), 500);
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"]["code"], "internal_error");
        assert!(
            !v["error"]["message"].as_str().unwrap().contains("boom"),
            "no internals leak"
        );

        let response = service.oneshot(get("/healthz")).await.unwrap();
        assert_eq!(response.status(), 200);
    }
}
