//! The error envelope every non-2xx response carries:
//! `{"error":{"code":"…","message":"…"}}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::types::{ErrorBody, ErrorEnvelope};

/// Everything a request can fail with, mapped to a status and a stable code.
#[derive(Debug)]
pub enum ApiError {
    /// 400: the payload is invalid; the message names the field.
    Validation(String),
    /// 400: the payload is invalid at `field` (a dotted path such as
    /// `props.messages.3.userId`), also given apart from the message so a client
    /// (the playground's editor) can point at it.
    InvalidField { field: String, message: String },
    /// 413: the body is over the limit.
    TooLarge { limit: usize },
    /// 401: no key, a malformed, unknown or revoked key.
    Unauthorized,
    /// 403: a signed URL's signature does not match.
    InvalidSignature,
    /// 403: a signed URL has expired.
    UrlExpired,
    /// 404: unknown route or id, or another key's export.
    NotFound,
    /// 405: a known route with another method.
    MethodNotAllowed,
    /// 409: download before the export is complete.
    NotReady,
    /// 415: the body is not JSON.
    UnsupportedMediaType,
    /// 416: the range asked for is outside the file.
    RangeNotSatisfiable { size: u64 },
    /// 429: rate limit or enforced monthly quota.
    RateLimited { message: String, retry_after: u64 },
    /// 503: the render queue is full.
    Overloaded { retry_after: u64 },
    /// 503: a still did not finish in time (the server is busy).
    TimedOut { seconds: u64 },
    /// 408: the request body did not arrive in time.
    RequestTimeout,
    /// An error status answered by a layer outside our handlers, put in the
    /// envelope by the middleware.
    Status(StatusCode),
    /// 503: a dependency (database, disk) is unavailable.
    Unavailable(String),
    /// 500: a bug. The detail is logged, never sent.
    Internal(String),
}

impl ApiError {
    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(e.to_string())
    }

    /// A payload that could not be parsed or validated.
    pub fn payload(e: mockly_engine::PayloadError) -> ApiError {
        ApiError::invalid(e.message, &e.path)
    }

    /// A render's failure: the client's (400, with the field when there is one) or
    /// ours (500).
    pub fn render(e: mockly_engine::Error) -> ApiError {
        if !e.is_client_error() {
            return ApiError::internal(e);
        }
        let field = e.path().unwrap_or_default().to_owned();
        ApiError::invalid(e.to_string(), &field)
    }

    fn invalid(message: String, field: &str) -> ApiError {
        if field.is_empty() {
            ApiError::Validation(message)
        } else {
            ApiError::InvalidField {
                field: field.to_owned(),
                message,
            }
        }
    }

    /// The envelope for a bare status (the stable code of the contract's table).
    pub fn from_status(status: StatusCode) -> ApiError {
        match status {
            StatusCode::NOT_FOUND => ApiError::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
            StatusCode::REQUEST_TIMEOUT => ApiError::RequestTimeout,
            s if s.is_server_error() => ApiError::Internal(format!("a layer answered {s}")),
            s => ApiError::Status(s),
        }
    }

    /// Whether the client caused it (4xx).
    pub fn is_client_error(&self) -> bool {
        self.parts().0.is_client_error()
    }

    fn parts(&self) -> (StatusCode, &'static str, String) {
        use ApiError as E;
        match self {
            E::Validation(m) | E::InvalidField { message: m, .. } => {
                (StatusCode::BAD_REQUEST, "validation_failed", m.clone())
            }
            E::TooLarge { limit } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "validation_failed",
                format!("Request body is larger than the limit of {limit} bytes; host large images and pass their URLs instead of data URLs"),
            ),
            E::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "Missing, malformed, unknown or revoked API key; send 'Authorization: Bearer mk_live_…'".to_owned(),
            ),
            E::InvalidSignature => (
                StatusCode::FORBIDDEN,
                "invalid_signature",
                "The download URL's signature is not valid".to_owned(),
            ),
            E::UrlExpired => (
                StatusCode::FORBIDDEN,
                "url_expired",
                "The download URL has expired; poll the export again for a fresh one".to_owned(),
            ),
            E::NotFound => (StatusCode::NOT_FOUND, "not_found", "Not found".to_owned()),
            E::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "This route does not accept that method".to_owned(),
            ),
            E::NotReady => (
                StatusCode::CONFLICT,
                "not_ready",
                "The export is not completed yet; poll its status until it is".to_owned(),
            ),
            E::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the payload as JSON with 'Content-Type: application/json'".to_owned(),
            ),
            E::RangeNotSatisfiable { size } => (
                StatusCode::RANGE_NOT_SATISFIABLE,
                "range_not_satisfiable",
                format!("The requested range is outside the file's {size} bytes"),
            ),
            E::RateLimited { message, .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "rate_limited", message.clone())
            }
            E::Overloaded { .. } => (
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                "The render queue is full; retry after the time in Retry-After".to_owned(),
            ),
            E::TimedOut { seconds } => (
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                format!("The render did not finish within {seconds} seconds; the server is busy, retry after the time in Retry-After"),
            ),
            E::RequestTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                "request_timeout",
                "The request body did not arrive in time".to_owned(),
            ),
            E::Status(status) => (
                *status,
                match *status {
                    StatusCode::PAYLOAD_TOO_LARGE | StatusCode::BAD_REQUEST => "validation_failed",
                    StatusCode::URI_TOO_LONG => "uri_too_long",
                    StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "headers_too_large",
                    _ => "bad_request",
                },
                format!(
                    "The request was refused: {}",
                    status.canonical_reason().unwrap_or("client error")
                ),
            ),
            E::Unavailable(m) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", m.clone()),
            E::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "Internal error".to_owned(),
            ),
        }
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> ApiError {
        ApiError::Internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let body = ErrorEnvelope {
            error: ErrorBody {
                code: code.to_owned(),
                message,
                field: match &self {
                    ApiError::InvalidField { field, .. } => Some(field.clone()),
                    _ => None,
                },
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        let retry = match &self {
            ApiError::RateLimited { retry_after, .. } | ApiError::Overloaded { retry_after } => {
                Some(*retry_after)
            }
            ApiError::TimedOut { .. } => Some(10),
            _ => None,
        };
        if let Some(secs) = retry {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        if let ApiError::RangeNotSatisfiable { size } = &self
            && let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}"))
        {
            response.headers_mut().insert(header::CONTENT_RANGE, v);
        }
        response
    }
}
