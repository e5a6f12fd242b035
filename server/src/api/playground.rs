//! The playground page at `/`: HTML, CSS and JavaScript embedded in the binary (and
//! the example payloads, by `build.rs`), so it works offline and behind a firewall.
//! It talks only to this server's public API with the key its user types; no key is
//! ever part of the page. `playground = false` turns it off for API-only
//! deployments (every route below then answers 404).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use mockly_engine::payload::Platform;
use serde_json::json;

use super::{ApiError, App};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/examples.rs"));
}

const INDEX: &str = include_str!("../../playground/index.html");
const SCRIPT: &str = include_str!("../../playground/app.js");
const STYLE: &str = include_str!("../../playground/app.css");
const ICON: &str = include_str!("../../playground/icon.svg");

/// Only this server's own files and API: no inline script or style, no other
/// origin, no framing, no forms posted anywhere.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' blob:; media-src 'self'; connect-src 'self'; \
    base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn enabled(app: &App) -> Result<(), ApiError> {
    if app.config.playground {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The page and its files change with the binary; revalidating costs little.
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        HeaderName::from_static("content-security-policy"),
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        HeaderName::from_static("referrer-policy"),
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        HeaderName::from_static("x-frame-options"),
        HeaderValue::from_static("DENY"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    response
}

pub async fn index(State(app): State<App>) -> Result<Response, ApiError> {
    enabled(&app)?;
    Ok(asset("text/html; charset=utf-8", INDEX))
}

/// The page's own files, by name under `/playground/`.
const FILES: &[(&str, &str, &str)] = &[
    ("app.js", "text/javascript; charset=utf-8", SCRIPT),
    ("app.css", "text/css; charset=utf-8", STYLE),
    ("icon.svg", "image/svg+xml", ICON),
];

pub async fn file(State(app): State<App>, Path(name): Path<String>) -> Result<Response, ApiError> {
    enabled(&app)?;
    let (_, content_type, body) = FILES
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or(ApiError::NotFound)?;
    Ok(asset(content_type, body))
}

/// What the page builds its controls from: the platforms (with whether each has
/// its own desktop window), the examples' names and the preview's rate limit.
pub async fn meta(State(app): State<App>) -> Result<Response, ApiError> {
    enabled(&app)?;
    let platforms: Vec<_> = Platform::ALL
        .iter()
        .map(|p| {
            json!({
                "id": p.id(),
                "name": p.name(),
                "mobile": "native",
                "desktop": if p.has_desktop_window() { "native" } else { "mobile-fallback" },
            })
        })
        .collect();
    let examples: Vec<&str> = embedded::EXAMPLES.iter().map(|(name, _)| *name).collect();
    let mut response = Json(json!({
        "platforms": platforms,
        "examples": examples,
        "previewRateLimit": app.config.preview_rate_limit,
        "rateWindowSecs": app.config.rate_window_secs,
    }))
    .into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// One example payload, as its file holds it.
pub async fn example(
    State(app): State<App>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    enabled(&app)?;
    let name = name.strip_suffix(".json").unwrap_or(&name);
    let (_, text) = embedded::EXAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or(ApiError::NotFound)?;
    let mut response = (*text).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_is_embedded_and_parses() {
        let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "json")
            })
            .count();
        assert_eq!(embedded::EXAMPLES.len(), on_disk);
        for (name, text) in embedded::EXAMPLES {
            mockly_engine::Payload::from_json(text.as_bytes())
                .unwrap_or_else(|e| panic!("{name}: {}", e.message));
        }
    }

    #[test]
    fn the_page_loads_nothing_from_elsewhere() {
        for (name, text) in [
            ("index.html", INDEX),
            ("app.js", SCRIPT),
            ("app.css", STYLE),
        ] {
            for needle in ["http://", "https://", "//cdn", "<script>", " style=\""] {
                assert!(
                    !text.contains(needle),
                    "{name} contains {needle:?}: only this server's files, no inline code"
                );
            }
        }
    }
}
