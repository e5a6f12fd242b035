//! `POST /api/v1/chat/preview?t=<ms>` (ours): the PNG bytes of a payload, answered
//! directly: the still for an image payload, the frame on screen at `t` for a video
//! payload. Made for the playground's live preview, so it has its own rate limit
//! (generous enough for typing), is not counted in the monthly quota and stores
//! nothing; it renders in the same bounded still lanes as the image route.

use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use mockly_engine::payload::RenderKind;
use serde::Deserialize;

use super::render::{in_still_lane, read_payload, texts};
use super::{ApiError, App, Key, limited};
use crate::ratelimit::Bucket;

#[derive(Debug, Deserialize)]
pub struct PreviewQuery {
    /// Milliseconds into a video; ignored for an image payload.
    t: Option<f64>,
}

/// What a preview says about itself beside its pixels.
struct Shown {
    png: Vec<u8>,
    width: u32,
    height: u32,
    warnings: Vec<String>,
    /// For a video: (frame time, whole length, frames per second).
    video: Option<(f64, f64, u32)>,
}

pub async fn preview(
    State(app): State<App>,
    key: Key,
    query: Result<Query<PreviewQuery>, axum::extract::rejection::QueryRejection>,
    req: Request,
) -> Response {
    limited(&app, &key, Bucket::Preview, async {
        let t = match query {
            Ok(Query(q)) => q.t.unwrap_or(0.0),
            Err(_) => {
                return Err(ApiError::Validation(
                    "Query parameter 't' must be a number of milliseconds".to_owned(),
                ));
            }
        };
        if !t.is_finite() || t < 0.0 {
            return Err(ApiError::Validation(
                "Query parameter 't' must be a number of milliseconds, 0 or more".to_owned(),
            ));
        }
        let (payload, _) = read_payload(&app, req).await?;
        let shown = match payload.export().render_kind {
            RenderKind::Image => {
                in_still_lane(&app, &key, payload, |engine, payload, cancel| {
                    engine.render_png_with(payload, cancel).map(|r| Shown {
                        png: r.png,
                        width: r.width,
                        height: r.height,
                        warnings: texts(&r.warnings),
                        video: None,
                    })
                })
                .await?
            }
            RenderKind::Video => {
                app.engine.check_video(&payload).map_err(ApiError::render)?;
                in_still_lane(&app, &key, payload, move |engine, payload, cancel| {
                    engine.render_frame_png(payload, t, cancel).map(|f| Shown {
                        png: f.image.png,
                        width: f.image.width,
                        height: f.image.height,
                        warnings: texts(&f.image.warnings),
                        video: Some((f.at_ms, f.duration_ms, f.fps)),
                    })
                })
                .await?
            }
        };
        Ok(respond(shown))
    })
    .await
}

fn respond(shown: Shown) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let mut put = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), v);
        }
    };
    put("x-mockly-width", shown.width.to_string());
    put("x-mockly-height", shown.height.to_string());
    put("x-mockly-warning-count", shown.warnings.len().to_string());
    put("x-mockly-warnings", encode_warnings(&shown.warnings));
    if let Some((at, duration, fps)) = shown.video {
        put("x-mockly-frame-ms", format!("{at:.0}"));
        put("x-mockly-duration-ms", format!("{duration:.0}"));
        put("x-mockly-fps", fps.to_string());
    }
    (StatusCode::OK, headers, Body::from(shown.png)).into_response()
}

/// At most this many bytes of warnings go in the header: proxies refuse responses
/// whose headers pass 4–8 KB, browsers theirs at 256 KB.
const WARNINGS_HEADER_BYTES: usize = 2048;

/// The first warnings as a JSON array, percent-encoded so any text fits in a header
/// (`decodeURIComponent` in a browser gives the JSON back); as many as fit in
/// [`WARNINGS_HEADER_BYTES`] (`X-Mockly-Warning-Count` says how many there are).
fn encode_warnings(warnings: &[String]) -> String {
    let mut shown = warnings.len();
    loop {
        let encoded = percent_encoded_json(&warnings[..shown]);
        if encoded.len() <= WARNINGS_HEADER_BYTES || shown == 0 {
            return encoded;
        }
        shown = (shown * 2 / 3).min(shown - 1);
    }
}

fn percent_encoded_json(warnings: &[String]) -> String {
    let json = serde_json::to_string(warnings).unwrap_or_else(|_| "[]".to_owned());
    let mut out = String::with_capacity(json.len());
    for b in json.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_warnings_are_cut_to_fit_the_header() {
        let w: Vec<String> = (0..500)
            .map(|i| format!("props.messages.{i}.timestamp: earlier than the message before"))
            .collect();
        let encoded = encode_warnings(&w);
        assert!(encoded.len() <= WARNINGS_HEADER_BYTES);
        assert!(encoded.len() > WARNINGS_HEADER_BYTES / 2, "as many as fit");
        assert!(encoded.starts_with("%5B%22props.messages.0.timestamp"));
        // A single warning longer than the budget: an empty list, never a cut string.
        assert_eq!(encode_warnings(&["x".repeat(5000)]), "%5B%5D");
    }

    #[test]
    fn warnings_survive_the_header() {
        let w = vec!["props.x: ignored — “quoted” é 😀".to_owned()];
        let encoded = encode_warnings(&w);
        assert!(encoded.bytes().all(|b| b.is_ascii_graphic()));
        assert!(HeaderValue::from_str(&encoded).is_ok());
        // Decoding it back by hand, as decodeURIComponent does.
        let mut bytes = Vec::new();
        let mut it = encoded.bytes();
        while let Some(b) = it.next() {
            if b == b'%' {
                let hex = [it.next().unwrap(), it.next().unwrap()];
                bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).unwrap(), 16).unwrap());
            } else {
                bytes.push(b);
            }
        }
        let back: Vec<String> = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, w);
    }
}
