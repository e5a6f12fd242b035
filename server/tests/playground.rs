//! The playground: its preview route (`POST /api/v1/chat/preview`), its page's
//! headers and setting, and the page itself in a real headless Chromium
//! (`browser/playground.mjs`, playwright-core with the system's Chromium).

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Reply, TestServer, agent, example, small_payload};
use serde_json::json;

fn preview(s: &TestServer, key: Option<&str>, query: &str, body: &[u8]) -> Reply {
    let mut req = agent()
        .post(&s.url(&format!("/api/v1/chat/preview{query}")))
        .header("Content-Type", "application/json");
    if let Some(k) = key {
        req = req.header("Authorization", &format!("Bearer {k}"));
    }
    Reply::from(req.send(body))
}

/// Decodes a preview's PNG and checks the size headers against it.
fn picture(r: &Reply) -> image::RgbaImage {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let img = image::load_from_memory(&r.body).unwrap().to_rgba8();
    assert_eq!(
        r.header("x-mockly-width"),
        Some(img.width().to_string().as_str())
    );
    assert_eq!(
        r.header("x-mockly-height"),
        Some(img.height().to_string().as_str())
    );
    img
}

fn header_f64(r: &Reply, name: &str) -> f64 {
    r.header(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .parse()
        .unwrap()
}

#[test]
fn preview_answers_the_png_itself_outside_the_quota() {
    let s = TestServer::start(|c| {
        c.quota_enforce = true;
        c.quota_images = 1;
    });
    let still = preview(&s, Some(&s.key), "", &small_payload("image"));
    let img = picture(&still);
    assert_eq!(img.width(), 390, "1x iMessage");
    assert_eq!(still.header("x-ratelimit-limit"), Some("600"));
    assert_eq!(still.header("x-mockly-warnings"), Some("%5B%5D"));
    assert!(still.header("x-mockly-duration-ms").is_none());
    // The same pixels as the real render's PNG.
    let rendered = s.render(&small_payload("image"));
    assert_eq!(rendered.status, 200);
    let url = rendered.json()["downloadUrl"].as_str().unwrap().to_owned();
    let file = image::load_from_memory(&s.get_with(None, &url, &[]).body)
        .unwrap()
        .to_rgba8();
    assert!(file == img, "preview and export show the same picture");

    // The one image of the quota is used: renders are refused, previews are not,
    // and previews were never counted.
    s.render(&small_payload("image")).error(429, "rate_limited");
    picture(&preview(&s, Some(&s.key), "", &small_payload("image")));
    let usage = s.get("/api/v1/usage").json();
    assert_eq!(usage["images"]["used"], 1);
    assert_eq!(s.stored_files(), 1, "a preview stores nothing");

    // Warnings travel in a header, percent-encoded JSON.
    let mut doc: serde_json::Value = serde_json::from_slice(&small_payload("image")).unwrap();
    doc["props"]["mobileView"] = json!(false);
    let warned = preview(&s, Some(&s.key), "", doc.to_string().as_bytes());
    picture(&warned);
    assert!(
        warned
            .header("x-mockly-warnings")
            .unwrap()
            .contains("props.mobileView"),
        "{:?}",
        warned.header("x-mockly-warnings")
    );
}

#[test]
fn preview_of_a_video_shows_the_frame_at_t() {
    let s = TestServer::start(|_| {});
    let body = small_payload("video");
    let first = preview(&s, Some(&s.key), "?t=0", &body);
    let frame0 = picture(&first);
    let duration = header_f64(&first, "x-mockly-duration-ms");
    assert!(
        duration > 5_000.0,
        "the 12-message video lasts {duration} ms"
    );
    assert_eq!(header_f64(&first, "x-mockly-frame-ms"), 0.0);
    assert_eq!(first.header("x-mockly-fps"), Some("30"));
    assert_eq!(
        (frame0.width(), frame0.height()),
        (390, 844),
        "a video frame"
    );

    let later = preview(&s, Some(&s.key), "?t=3000", &body);
    assert_eq!(header_f64(&later, "x-mockly-frame-ms"), 3000.0);
    assert!(picture(&later) != frame0, "more of the chat at 3 s");

    // Between frames: the frame on screen then. Past the end: the last frame.
    let between = preview(&s, Some(&s.key), "?t=3020.5", &body);
    assert_eq!(header_f64(&between, "x-mockly-frame-ms"), 3000.0);
    let end = preview(&s, Some(&s.key), "?t=99999999", &body);
    let last = header_f64(&end, "x-mockly-frame-ms");
    assert!(
        last < duration && last > duration - 40.0,
        "{last} of {duration}"
    );
    picture(&end);

    for bad in ["?t=-1", "?t=soon", "?t=NaN", "?t=inf"] {
        let m = preview(&s, Some(&s.key), bad, &body).error(400, "validation_failed");
        assert!(m.contains("'t'"), "{bad}: {m}");
    }
}

#[test]
fn preview_refusals_use_the_envelope_and_name_the_field() {
    let s = TestServer::start(|c| c.preview_rate_limit = 3);
    preview(&s, None, "", &small_payload("image")).error(401, "invalid_credentials");

    let mut doc: serde_json::Value = serde_json::from_slice(&example("imessage-dm-light")).unwrap();
    doc["props"]["messages"][3]["userId"] = json!("nobody");
    let r = preview(&s, Some(&s.key), "", doc.to_string().as_bytes());
    r.error(400, "validation_failed");
    assert_eq!(r.json()["error"]["field"], "props.messages.3.userId");
    // The render route names the field the same way (an extra field of ours).
    let r = s.render(doc.to_string().as_bytes());
    r.error(400, "validation_failed");
    assert_eq!(r.json()["error"]["field"], "props.messages.3.userId");
    // Not JSON at all: no field to name.
    let r = preview(&s, Some(&s.key), "", b"{");
    r.error(400, "validation_failed");
    assert!(r.json()["error"].get("field").is_none_or(|f| f == ""));

    // Its own limit, apart from renders.
    picture(&preview(&s, Some(&s.key), "", &small_payload("image")));
    preview(&s, Some(&s.key), "", &small_payload("image")).error(429, "rate_limited");
    let r = preview(&s, Some(&s.key), "", &small_payload("image"));
    assert_eq!(r.header("x-ratelimit-limit"), Some("3"));
    assert!(r.header("retry-after").is_some());
    assert_eq!(s.render(&small_payload("image")).status, 200);
}

/// A preview refreshed as someone types does not fetch its remote pictures again
/// every time: the picture's host is asked once.
#[test]
fn previews_reuse_a_remote_picture_they_just_fetched() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let png = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/ref/imessage-transparent.png"),
    )
    .unwrap();
    let counted = Arc::clone(&hits);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            counted.fetch_add(1, Ordering::SeqCst);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                png.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&png);
        }
    });
    let s = TestServer::start(|c| c.fetch_allow = vec!["127.0.0.1".to_owned()]);
    let mut doc: serde_json::Value = serde_json::from_slice(&small_payload("image")).unwrap();
    doc["props"]["receivers"][0]["image"] = json!(format!("{origin}/avatar.png"));
    for i in 0..5 {
        doc["props"]["messages"][0]["text"] = json!(format!("typing {i}"));
        picture(&preview(&s, Some(&s.key), "", doc.to_string().as_bytes()));
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "fetched once for five previews"
    );
}

#[test]
fn the_page_is_strict_self_contained_and_can_be_turned_off() {
    let s = TestServer::start(|_| {});
    let page = s.get_with(None, "/", &[]);
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = page.header("content-security-policy").unwrap();
    for part in [
        "default-src 'none'",
        "script-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let html = String::from_utf8_lossy(&page.body);
    assert!(html.contains("/playground/app.js"));
    assert!(!html.contains("mk_live_") || html.contains("mk_live_…"));
    assert!(!html.contains(&s.key), "no key in the page");

    for (path, kind) in [
        ("/playground/app.js", "text/javascript; charset=utf-8"),
        ("/playground/app.css", "text/css; charset=utf-8"),
        ("/playground/icon.svg", "image/svg+xml"),
        ("/playground/meta.json", "application/json"),
        (
            "/playground/examples/whatsapp-group",
            "application/json; charset=utf-8",
        ),
    ] {
        let r = s.get_with(None, path, &[]);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(kind), "{path}");
    }
    let meta = s.get_with(None, "/playground/meta.json", &[]).json();
    assert_eq!(meta["platforms"].as_array().unwrap().len(), 16);
    assert_eq!(meta["platforms"][15]["id"], "microsoftTeams");
    assert_eq!(meta["platforms"][15]["name"], "Microsoft Teams");
    let names = meta["examples"].as_array().unwrap();
    assert!(names.iter().any(|n| n == "imessage-dm-light"));
    let example = s.get_with(None, "/playground/examples/imessage-dm-light.json", &[]);
    assert_eq!(example.body, common::example("imessage-dm-light"));
    s.get_with(None, "/playground/examples/nope", &[])
        .error(404, "not_found");
    s.get_with(None, "/playground/nope.js", &[])
        .error(404, "not_found");
    s.get_with(None, "/playground/examples/..%2F..%2FCargo.toml", &[])
        .error(404, "not_found");

    let api_only = TestServer::start(|c| c.playground = false);
    for path in [
        "/",
        "/playground/app.js",
        "/playground/meta.json",
        "/playground/examples/x-group",
    ] {
        api_only.get_with(None, path, &[]).error(404, "not_found");
    }
    // The preview is part of the API and stays.
    picture(&preview(
        &api_only,
        Some(&api_only.key),
        "",
        &small_payload("image"),
    ));
}

/// The page in headless Chromium: key, platform switch, field errors, the time
/// slider, a real video render, a transparent WebM that keeps its alpha in the
/// browser's decoder (through its animation and its hold), the copy buttons, light
/// and dark screenshots (kept in `target/artifacts/playground/`).
#[test]
fn the_playground_works_in_a_real_browser() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let browser = root.join("browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} is missing: `.ci/setup` installs Debian's chromium"
    );
    assert!(
        browser.join("node_modules/playwright-core").exists(),
        "playwright-core is missing: `.ci/setup` installs it (npm ci in browser/)"
    );
    let s = TestServer::start(|_| {});
    let artifacts = root.join("target/artifacts/playground");
    let out = Command::new("node")
        .arg("playground.mjs")
        .current_dir(&browser)
        .env("MOCKLY_BASE_URL", &s.base)
        .env("MOCKLY_API_KEY", &s.key)
        .env("ARTIFACTS", &artifacts)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout: {stdout}\nstderr: {stderr}");
    println!("playground measurements: {stdout}");
    for shot in ["playground-light.png", "playground-dark.png"] {
        let img = image::open(artifacts.join(shot)).unwrap();
        assert_eq!((img.width(), img.height()), (1440, 900), "{shot}");
    }
}
