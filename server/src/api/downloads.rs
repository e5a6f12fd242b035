//! Export status, the keyed download route and the signed file route.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{
    ACCEPT_RANGES, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE,
    IF_RANGE, RANGE,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::types::{
    Completed, ExportCompleted, ExportFailed, ExportRendering, ExportStatus, ExtraFileLink, Failed,
    RenderKind, Rendering,
};
use super::{ApiError, App, Key, limited};
use crate::ratelimit::Bucket;
use crate::signing::SignatureError;
use crate::store::{ExportRow, Status};
use mockly_engine::payload::VideoExtra;

/// An id from the path; one that is not even text (`%FF%FE`) names no export.
fn id_of(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(id)| id).map_err(|_| ApiError::NotFound)
}

pub async fn status(
    State(app): State<App>,
    key: Key,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    limited(&app, &key, Bucket::Exports, async {
        let row = own_export(&app, &key, id_of(path)?).await?;
        let kind = if row.kind == "video" {
            RenderKind::Video
        } else {
            RenderKind::Image
        };
        let body = match row.status {
            Status::Queued | Status::Rendering => ExportStatus::Rendering(ExportRendering {
                id: row.id,
                status: Rendering::Rendering,
                render_kind: kind,
                progress: row.progress.clamp(0.0, 1.0),
            }),
            Status::Completed => {
                let name = row.file.clone().unwrap_or_default();
                let mut files = Vec::with_capacity(row.extras.len());
                for e in &row.extras {
                    files.push(ExtraFileLink {
                        kind: e.kind.clone(),
                        download_url: app.download_url(&row.id, &e.file).await,
                        size_bytes: e.size_bytes.max(0) as u64,
                    });
                }
                ExportStatus::Completed(ExportCompleted {
                    download_url: app.download_url(&row.id, &name).await,
                    id: row.id,
                    status: Completed::Completed,
                    render_kind: kind,
                    format: row.format,
                    size_bytes: row.size_bytes.unwrap_or(0).max(0) as u64,
                    files,
                })
            }
            Status::Failed => ExportStatus::Failed(ExportFailed {
                id: row.id,
                status: Failed::Failed,
                render_kind: kind,
                error: row.error.unwrap_or_else(|| "Render failed".to_owned()),
            }),
        };
        Ok(Json(body).into_response())
    })
    .await
}

pub async fn download(
    State(app): State<App>,
    key: Key,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    limited(&app, &key, Bucket::Exports, async {
        let row = own_export(&app, &key, id_of(path)?).await?;
        if row.status != Status::Completed {
            return Err(ApiError::NotReady);
        }
        serve_file(&app, &row, &headers).await
    })
    .await
}

/// `expires` and `signature` of a signed URL's query, each exactly once; anything
/// else about the query (other parameters) is ignored.
fn signed_query(query: Option<&str>) -> Option<(i64, String)> {
    let (mut expires, mut signature) = (None, None);
    for pair in query.unwrap_or("").split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match k {
            "expires" => &mut expires,
            "signature" => &mut signature,
            _ => continue,
        };
        if slot.replace(v).is_some() {
            // A repeated parameter is not a URL this server made.
            return None;
        }
    }
    Some((expires?.parse().ok()?, signature?.to_owned()))
}

/// `GET /api/v1/files/{id}.{ext}?expires=…&signature=…`: no key, the URL is the
/// permission.
pub async fn signed_file(
    State(app): State<App>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let name = path
        .map(|Path(n)| n)
        .map_err(|_| ApiError::InvalidSignature)?;
    let id = name.split('.').next().unwrap_or_default().to_owned();
    let (expires, signature) = signed_query(query.as_deref()).ok_or(ApiError::InvalidSignature)?;
    app.signer
        .verify(&id, &name, expires, &signature, crate::now())
        .map_err(|e| match e {
            SignatureError::Invalid => ApiError::InvalidSignature,
            SignatureError::Expired => ApiError::UrlExpired,
        })?;
    let row = app
        .store
        .export(&id)
        .await?
        .filter(|r| r.status == Status::Completed)
        .ok_or(ApiError::NotFound)?;
    if row.file.as_deref() == Some(name.as_str()) {
        return serve_file(&app, &row, &headers).await;
    }
    let extra = row
        .extras
        .iter()
        .find(|e| e.file == name)
        .ok_or(ApiError::NotFound)?;
    serve_stored(&app, &extra.file, extra_media_type(&extra.kind), &headers).await
}

/// The export if it exists and belongs to this key; another key's export is as
/// unknown as a missing one.
async fn own_export(app: &App, key: &Key, id: String) -> Result<ExportRow, ApiError> {
    let key_id = key.0.id;
    app.store
        .export(&id)
        .await?
        .filter(|r| r.key_id == key_id)
        .ok_or(ApiError::NotFound)
}

/// Streams an export's main file.
async fn serve_file(app: &App, row: &ExportRow, headers: &HeaderMap) -> Result<Response, ApiError> {
    let name = row.file.as_deref().ok_or(ApiError::NotFound)?;
    let content_type = match row.format.as_str() {
        "png" => "image/png",
        ext => mockly_engine::video::Container::format_of_extension(ext)
            .map_or("application/octet-stream", |format| {
                mockly_engine::video::Container::new(format, false).media_type()
            }),
    };
    serve_stored(app, name, content_type, headers).await
}

/// The media type of a file made beside a video, by its kind.
fn extra_media_type(kind: &str) -> &'static str {
    VideoExtra::ALL
        .into_iter()
        .find(|e| e.name() == kind)
        .map_or("application/octet-stream", VideoExtra::media_type)
}

/// Streams a stored file with download headers, honouring a single byte range.
async fn serve_stored(
    app: &App,
    name: &str,
    content_type: &'static str,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let size = app.files.size(name).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ApiError::NotFound,
        _ => ApiError::internal(e),
    })?;
    // No validators are issued, so an If-Range never matches: the whole file.
    let range = headers
        .get(RANGE)
        .filter(|_| !headers.contains_key(IF_RANGE))
        .and_then(|v| v.to_str().ok())
        .map(|r| parse_range(r, size))
        .transpose()?
        .flatten();
    let (status, start, len) = match range {
        Some((start, end)) => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
        None => (StatusCode::OK, 0, size),
    };
    let body = app
        .files
        .read(name, start, len)
        .await
        .map_err(ApiError::internal)?;
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    let value = |s: String| HeaderValue::from_str(&s).map_err(ApiError::internal);
    h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(
        CONTENT_DISPOSITION,
        value(format!("attachment; filename=\"{name}\""))?,
    );
    h.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=60"),
    );
    h.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if status == StatusCode::PARTIAL_CONTENT {
        h.insert(
            CONTENT_RANGE,
            value(format!("bytes {start}-{}/{size}", start + len - 1))?,
        );
    }
    Ok(response)
}

/// Parses `bytes=a-b`, `bytes=a-` or `bytes=-n` into inclusive bounds. Several
/// ranges, or a form we do not know, serve the whole file (`Ok(None)`); a range
/// outside the file is 416.
fn parse_range(header: &str, size: u64) -> Result<Option<(u64, u64)>, ApiError> {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((a, b)) = spec.split_once('-') else {
        return Ok(None);
    };
    let (a, b) = (a.trim(), b.trim());
    let unsatisfiable = ApiError::RangeNotSatisfiable { size };
    let bounds = match (a.parse::<u64>().ok(), b.parse::<u64>().ok()) {
        (Some(start), Some(end)) if start <= end => (start, end.min(size.saturating_sub(1))),
        (Some(start), None) if b.is_empty() => (start, size.saturating_sub(1)),
        (None, Some(suffix)) if a.is_empty() => {
            if suffix == 0 {
                return Err(unsatisfiable);
            }
            (size.saturating_sub(suffix), size.saturating_sub(1))
        }
        _ => return Ok(None),
    };
    if size == 0 || bounds.0 >= size {
        return Err(unsatisfiable);
    }
    Ok(Some(bounds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_queries() {
        assert_eq!(
            signed_query(Some("expires=10&signature=ab")),
            Some((10, "ab".to_owned()))
        );
        assert_eq!(
            signed_query(Some("expires=10&expires=11&signature=ab")),
            None
        );
        assert_eq!(signed_query(Some("signature=ab")), None);
        assert_eq!(signed_query(Some("expires=x&signature=ab")), None);
        assert_eq!(signed_query(None), None);
    }

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-9", 100).unwrap(), Some((0, 9)));
        assert_eq!(parse_range("bytes=90-", 100).unwrap(), Some((90, 99)));
        assert_eq!(parse_range("bytes=-10", 100).unwrap(), Some((90, 99)));
        assert_eq!(parse_range("bytes=50-500", 100).unwrap(), Some((50, 99)));
        assert_eq!(parse_range("bytes=0-1,5-6", 100).unwrap(), None);
        assert_eq!(parse_range("items=0-1", 100).unwrap(), None);
        assert!(parse_range("bytes=100-", 100).is_err());
        assert!(parse_range("bytes=-0", 100).is_err());
    }
}
