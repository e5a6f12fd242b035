//! The HTTP contract of `../shared/spec/api.md`, against a real server.

mod common;

use std::io::{Read, Write};
use std::time::Duration;

use common::{TestServer, agent, example, small_payload};
use serde_json::json;

#[test]
fn image_render_returns_the_documented_body_and_a_working_signed_url() {
    let s = TestServer::start(|_| {});
    let r = s.render(&small_payload("image"));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.fields(),
        [
            "downloadUrl",
            "format",
            "id",
            "renderKind",
            "sizeBytes",
            "status"
        ]
    );
    let v = r.json();
    assert_eq!(v["status"], "completed");
    assert_eq!(v["renderKind"], "image");
    assert_eq!(v["format"], "png");
    assert_eq!(r.header("x-ratelimit-limit"), Some("60"));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("59"));
    assert!(
        r.header("x-ratelimit-reset")
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 1_700_000_000
    );
    let id = v["id"].as_str().unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 4);

    // The signed URL needs no key.
    let url = v["downloadUrl"].as_str().unwrap();
    assert!(
        url.starts_with(&s.base),
        "absolute URL from the base: {url}"
    );
    let file = s.get_with(None, url, &[]);
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("image/png"));
    assert_eq!(
        file.header("content-disposition"),
        Some(format!("attachment; filename=\"{id}.png\"").as_str())
    );
    assert_eq!(file.header("cache-control"), Some("private, max-age=60"));
    assert_eq!(file.body.len() as u64, v["sizeBytes"].as_u64().unwrap());
    assert_eq!(
        file.header("content-length").unwrap(),
        file.body.len().to_string()
    );
    let (w, h) = image_size(&file.body);
    assert_eq!(w, 390, "1x render");
    assert!(h > 844, "a tall screenshot: {h}");

    // Status of an image export: completed at once, with a fresh URL.
    let st = s.get(&format!("/api/v1/exports/{id}"));
    assert_eq!(st.status, 200);
    assert_eq!(
        st.fields(),
        [
            "downloadUrl",
            "format",
            "id",
            "renderKind",
            "sizeBytes",
            "status"
        ]
    );
    assert_eq!(st.json()["status"], "completed");
    assert!(st.header("x-ratelimit-limit").is_some());
}

#[test]
fn keyed_download_supports_ranges() {
    let s = TestServer::start(|_| {});
    let id = s.render(&small_payload("image")).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/exports/{id}/download");
    let whole = s.get(&path);
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    let size = whole.body.len();

    let part = s.get_with(Some(&s.key), &path, &[("Range", "bytes=0-9")]);
    assert_eq!(part.status, 206);
    assert_eq!(part.body, whole.body[..10]);
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 0-9/{size}").as_str())
    );
    let tail = s.get_with(Some(&s.key), &path, &[("Range", "bytes=-4")]);
    assert_eq!(tail.body, whole.body[size - 4..]);
    let bad = s.get_with(Some(&s.key), &path, &[("Range", &format!("bytes={size}-"))]);
    bad.error(416, "range_not_satisfiable");
    assert!(s.get_with(None, &path, &[]).status == 401);
}

#[test]
fn credentials_are_checked_on_every_api_route() {
    let s = TestServer::start(|_| {});
    let routes = [
        "/api/v1/exports/x",
        "/api/v1/exports/x/download",
        "/api/v1/usage",
        "/api/v1/openapi.json",
        "/api/v1/schema.json",
    ];
    for route in routes {
        s.get_with(None, route, &[])
            .error(401, "invalid_credentials");
        s.get_with(Some("mk_live_nope"), route, &[])
            .error(401, "invalid_credentials");
    }
    let unknown = format!("mk_live_{}", "A".repeat(32));
    s.render_with(&unknown, b"{}")
        .error(401, "invalid_credentials");
    let r = agent()
        .post(&s.url("/api/v1/chat/render"))
        .header("Authorization", "Basic Zm9vOmJhcg==")
        .send(&b"{}"[..]);
    assert_eq!(r.unwrap().status().as_u16(), 401);

    // A revoked key stops working at once.
    let other = s.new_key();
    assert_eq!(s.get_with(Some(&other), "/api/v1/usage", &[]).status, 200);
    s.revoke_key(&other[..12]);
    s.get_with(Some(&other), "/api/v1/usage", &[])
        .error(401, "invalid_credentials");
}

#[test]
fn exports_are_private_to_their_key() {
    let s = TestServer::start(|_| {});
    let id = s.render(&small_payload("image")).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = s.new_key();
    s.get_with(Some(&other), &format!("/api/v1/exports/{id}"), &[])
        .error(404, "not_found");
    s.get_with(Some(&other), &format!("/api/v1/exports/{id}/download"), &[])
        .error(404, "not_found");
    s.get("/api/v1/exports/00000000-0000-4000-8000-000000000000")
        .error(404, "not_found");
}

#[test]
fn unknown_routes_and_wrong_methods_use_the_envelope() {
    let s = TestServer::start(|_| {});
    s.get("/api/v2/whatever").error(404, "not_found");
    s.get("/nothing-here").error(404, "not_found");
    s.get("/api/v1/chat/render")
        .error(405, "method_not_allowed");
    let r = agent()
        .delete(&s.url("/api/v1/exports/abc"))
        .header("Authorization", &format!("Bearer {}", s.key))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
}

#[test]
fn bodies_must_be_json_and_valid() {
    let s = TestServer::start(|_| {});
    let r = agent()
        .post(&s.url("/api/v1/chat/render"))
        .header("Authorization", &format!("Bearer {}", s.key))
        .header("Content-Type", "text/plain")
        .send(&small_payload("image")[..]);
    common::Reply::from(r).error(415, "unsupported_media_type");

    let mut doc: serde_json::Value = serde_json::from_slice(&small_payload("image")).unwrap();
    doc["props"]["messages"][0]
        .as_object_mut()
        .unwrap()
        .remove("userId");
    let m = s
        .render(doc.to_string().as_bytes())
        .error(400, "validation_failed");
    assert_eq!(m, "Required at props.messages.0.userId");

    doc = serde_json::from_slice(&small_payload("image")).unwrap();
    doc["props"]["platform"] = json!("friendster");
    let m = s
        .render(doc.to_string().as_bytes())
        .error(400, "validation_failed");
    assert!(m.starts_with("Invalid enum value at props.platform"), "{m}");

    let m = s.render(b"{not json").error(400, "validation_failed");
    assert!(m.starts_with("Invalid JSON"), "{m}");

    // Unknown props fields are accepted and reported.
    doc = serde_json::from_slice(&small_payload("image")).unwrap();
    doc["props"]["sparkles"] = json!(true);
    let ok = s.render(doc.to_string().as_bytes());
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.json()["warnings"],
        json!(["props.sparkles: unknown field ignored"])
    );
}

#[test]
fn bodies_over_ten_megabytes_are_refused_without_being_read() {
    let s = TestServer::start(|_| {});
    let limit = 10 * 1024 * 1024;
    // A client that sends the whole 10 MB + 1 byte body still gets the 413.
    let answer = raw_post(&s, &vec![b' '; limit + 1], false);
    assert!(answer.starts_with("HTTP/1.1 413"), "{}", head(&answer));
    assert!(
        answer.contains("\"validation_failed\""),
        "{}",
        head(&answer)
    );
    assert!(answer.contains("10485760"), "{}", head(&answer));
    // Exactly at the limit is read (and then judged on its content).
    let mut at_limit = small_payload("image");
    at_limit.resize(limit, b' ');
    assert_eq!(s.render(&at_limit).status, 200);
    // Without a Content-Length (chunked), the limit holds while reading.
    let answer = raw_post(&s, &vec![b' '; limit + 1], true);
    assert!(answer.starts_with("HTTP/1.1 413"), "{}", head(&answer));
}

fn head(s: &str) -> &str {
    &s[..s.len().min(300)]
}

/// POSTs a body over a plain socket (as a client that does not wait for
/// `100 Continue` would), writing on one thread and reading the answer on this one.
fn raw_post(s: &TestServer, body: &[u8], chunked: bool) -> String {
    let addr = s.base.trim_start_matches("http://").to_owned();
    let mut tcp = std::net::TcpStream::connect(&addr).unwrap();
    let length = if chunked {
        "Transfer-Encoding: chunked".to_owned()
    } else {
        format!("Content-Length: {}", body.len())
    };
    let mut request = format!(
        "POST /api/v1/chat/render HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\n{length}\r\nConnection: close\r\n\r\n",
        s.key
    )
    .into_bytes();
    if chunked {
        for part in body.chunks(1024 * 1024) {
            request.extend(format!("{:x}\r\n", part.len()).bytes());
            request.extend_from_slice(part);
            request.extend(b"\r\n");
        }
        request.extend(b"0\r\n\r\n");
    } else {
        request.extend_from_slice(body);
    }
    let mut writer = tcp.try_clone().unwrap();
    let sender = std::thread::spawn(move || {
        let _ = writer.write_all(&request);
    });
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer);
    let _ = sender.join();
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn the_61st_render_in_a_window_is_429_until_retry_after() {
    let s = TestServer::start(|c| c.rate_window_secs = 3);
    // Invalid bodies are cheap and still count as renders against the limit.
    for i in 0..60 {
        let r = s.render(b"{}");
        assert_eq!(r.status, 400, "request {i}");
        assert_eq!(
            r.header("x-ratelimit-remaining"),
            Some((59 - i).to_string().as_str())
        );
    }
    let refused = s.render(&small_payload("image"));
    refused.error(429, "rate_limited");
    assert_eq!(refused.header("x-ratelimit-limit"), Some("60"));
    assert_eq!(refused.header("x-ratelimit-remaining"), Some("0"));
    let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=3).contains(&retry), "Retry-After {retry}");
    let reset: u64 = refused
        .header("x-ratelimit-reset")
        .unwrap()
        .parse()
        .unwrap();
    let now = mockly_server::now() as u64;
    assert!(reset >= now && reset <= now + 4, "reset {reset}, now {now}");
    // Refused requests do not consume slots.
    for _ in 0..5 {
        assert_eq!(s.render(b"{}").status, 429);
    }
    std::thread::sleep(Duration::from_secs(retry));
    assert_eq!(s.render(&small_payload("image")).status, 200);
}

#[test]
fn status_and_download_share_the_exports_bucket() {
    let s = TestServer::start(|c| c.exports_rate_limit = 2);
    let id = s.render(&small_payload("image")).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(s.get(&format!("/api/v1/exports/{id}")).status, 200);
    let d = s.get(&format!("/api/v1/exports/{id}/download"));
    assert_eq!(d.status, 200);
    assert_eq!(d.header("x-ratelimit-remaining"), Some("0"));
    let r = s.get(&format!("/api/v1/exports/{id}"));
    r.error(429, "rate_limited");
    assert!(r.header("retry-after").is_some());
    // Another key has its own buckets.
    let other = s.new_key();
    assert_eq!(
        s.get_with(Some(&other), &format!("/api/v1/exports/{id}"), &[])
            .status,
        404
    );
}

#[test]
fn quotas_are_counted_always_and_enforced_when_configured() {
    let s = TestServer::start(|c| {
        c.quota_enforce = true;
        c.quota_images = 1;
    });
    assert_eq!(s.render(&small_payload("image")).status, 200);
    // A failed render does not count.
    assert_eq!(s.render(b"{}").status, 400);
    let refused = s.render(&small_payload("image"));
    let m = refused.error(429, "rate_limited");
    assert!(m.contains("quota"), "{m}");
    let retry: i64 = refused.header("retry-after").unwrap().parse().unwrap();
    let (_, next_month) = mockly_server::month_bounds(mockly_server::now());
    assert!((retry - (next_month - mockly_server::now())).abs() <= 2);
    let usage = s.get("/api/v1/usage").json();
    assert_eq!(usage["images"], json!({"used": 1, "included": 1}));
    assert_eq!(usage["enforced"], true);

    let open = TestServer::start(|c| c.quota_images = 1);
    for _ in 0..2 {
        assert_eq!(open.render(&small_payload("image")).status, 200);
    }
    assert_eq!(open.get("/api/v1/usage").json()["images"]["used"], 2);
}

#[test]
fn signed_urls_refuse_tampering_and_expiry() {
    let secret = "ab".repeat(32);
    let s = TestServer::start(|c| c.signing_secret = secret.clone());
    let v = s.render(&small_payload("image")).json();
    let url = v["downloadUrl"].as_str().unwrap().to_owned();
    assert_eq!(s.get_with(None, &url, &[]).status, 200);

    let tampered = url.replace("signature=", "signature=00");
    s.get_with(None, &tampered, &[])
        .error(403, "invalid_signature");
    let later = url.replace("expires=", "expires=9");
    s.get_with(None, &later, &[])
        .error(403, "invalid_signature");
    let unsigned = url.split('?').next().unwrap().to_owned();
    s.get_with(None, &unsigned, &[])
        .error(403, "invalid_signature");

    // A correctly signed URL whose time has passed.
    let id = v["id"].as_str().unwrap();
    let name = format!("{id}.png");
    let signer = mockly_server::signing::Signer::new(hex::decode(&secret).unwrap());
    let past = mockly_server::now() - 10;
    let expired = format!(
        "{}/api/v1/files/{name}?expires={past}&signature={}",
        s.base,
        signer.sign(id, &name, past)
    );
    s.get_with(None, &expired, &[]).error(403, "url_expired");
}

#[test]
fn a_restart_keeps_keys_exports_and_url_validity() {
    let s = TestServer::start(|_| {});
    let v = s.render(&small_payload("image")).json();
    let (id, url) = (
        v["id"].as_str().unwrap().to_owned(),
        v["downloadUrl"].as_str().unwrap().to_owned(),
    );
    let old_base = s.base.clone();
    let s = s.restart();
    // The new server listens elsewhere; the path and signature stay good.
    let url = url.replace(&old_base, &s.base);
    assert_eq!(s.get_with(None, &url, &[]).status, 200);
    assert_eq!(
        s.get(&format!("/api/v1/exports/{id}")).json()["status"],
        "completed"
    );
}

#[test]
fn video_submit_is_accepted_at_once() {
    let s = TestServer::start(|_| {});
    let r = s.render(&small_payload("video"));
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.fields(),
        ["format", "id", "renderKind", "status", "statusUrl"]
    );
    let v = r.json();
    assert_eq!(v["status"], "rendering");
    assert_eq!(v["renderKind"], "video");
    assert_eq!(v["format"], "mp4");
    let id = v["id"].as_str().unwrap();
    assert_eq!(
        v["statusUrl"],
        json!(format!("{}/api/v1/exports/{id}", s.base))
    );
    // Downloading before completion is 409 (unless it finished already).
    let d = s.get(&format!("/api/v1/exports/{id}/download"));
    if d.status != 200 {
        d.error(409, "not_ready");
    }

    let mut transparent: serde_json::Value =
        serde_json::from_slice(&small_payload("video")).unwrap();
    transparent["props"]["transparentBackground"] = json!(true);
    assert_eq!(
        s.render(transparent.to_string().as_bytes()).json()["format"],
        "webm"
    );
}

#[test]
fn a_full_queue_answers_503_overloaded() {
    let s = TestServer::start(|c| {
        c.queue_capacity = 0;
    });
    let r = s.render(&small_payload("video"));
    r.error(503, "overloaded");
    assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
}

#[test]
fn service_routes() {
    let s = TestServer::start(|_| {});
    assert_eq!(
        s.get_with(None, "/healthz", &[]).json(),
        json!({"status": "ok"})
    );
    assert_eq!(
        s.get_with(None, "/readyz", &[]).json(),
        json!({"status": "ready"})
    );
    let doc = s.get("/api/v1/openapi.json").json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], json!(s.base));
    let schema = s.get("/api/v1/schema.json").json();
    assert_eq!(schema["title"], "ChatExportPayload");
    // The schema describes the example payloads: every example top-level key is in it.
    let ex: serde_json::Value = serde_json::from_slice(&example("imessage-group")).unwrap();
    for key in ex.as_object().unwrap().keys() {
        assert!(schema["properties"].get(key).is_some(), "{key}");
    }
}

#[test]
fn remote_images_are_fetched_with_limits_and_a_guard() {
    let png = tiny_png();
    let (origin, _server) = serve_bytes(png.clone());
    let mut doc: serde_json::Value = serde_json::from_slice(&small_payload("image")).unwrap();
    doc["props"]["receivers"][0]["image"] = json!(format!("{origin}/avatar.png"));
    let body = doc.to_string().into_bytes();

    // Loopback is refused by default: the field is named.
    let guarded = TestServer::start(|_| {});
    let m = guarded.render(&body).error(400, "validation_failed");
    assert!(
        m.starts_with("Invalid image at props.receivers.0.image"),
        "{m}"
    );
    assert!(m.contains("internal address"), "{m}");

    // Allowed by the operator, it is fetched.
    let allowed = TestServer::start(|c| c.fetch_allow = vec!["127.0.0.1".to_owned()]);
    assert_eq!(allowed.render(&body).status, 200);

    // Too big for the configured limit.
    let small_limit = TestServer::start(|c| {
        c.fetch_allow = vec!["127.0.0.0/8".to_owned()];
        c.fetch_max_bytes = 10;
    });
    let m = small_limit.render(&body).error(400, "validation_failed");
    assert!(m.contains("larger than 10 bytes"), "{m}");
}

fn image_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    (
        u32::from_be_bytes(png[16..20].try_into().unwrap()),
        u32::from_be_bytes(png[20..24].try_into().unwrap()),
    )
}

fn tiny_png() -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/ref/imessage-transparent.png");
    std::fs::read(path).unwrap()
}

/// A one-route HTTP server on loopback answering every request with `bytes`.
fn serve_bytes(bytes: Vec<u8>) -> (String, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                bytes.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&bytes);
        }
    });
    (origin, handle)
}

#[test]
fn exports_past_retention_are_deleted_with_their_files() {
    let s = TestServer::start(|c| c.retention_hours = 0);
    let v = s.render(&small_payload("image")).json();
    let id = v["id"].as_str().unwrap();
    let file = s.dir.join(format!("exports/{id}.png"));
    assert!(file.exists());
    std::thread::sleep(Duration::from_millis(1100));
    assert!(s.sweep() >= 1);
    assert!(!file.exists());
    s.get(&format!("/api/v1/exports/{id}"))
        .error(404, "not_found");
    s.get_with(None, v["downloadUrl"].as_str().unwrap(), &[])
        .error(404, "not_found");
}

#[test]
fn a_still_whose_file_cannot_be_written_is_neither_recorded_nor_counted() {
    let s = TestServer::start(|_| {});
    assert_eq!(s.render(&small_payload("image")).status, 200);
    // The exports directory replaced by a plain file: every write fails.
    let exports = s.dir.join("exports");
    std::fs::rename(&exports, s.dir.join("exports.away")).unwrap();
    std::fs::write(&exports, b"not a directory").unwrap();
    let failed = s.render(&small_payload("image"));
    failed.error(500, "internal_error");
    let usage = s.get("/api/v1/usage").json();
    assert_eq!(usage["images"]["used"], 1, "{usage}");
    // Nothing half-stored is left for the retention sweep or the budget either.
    std::fs::remove_file(&exports).unwrap();
    std::fs::rename(s.dir.join("exports.away"), &exports).unwrap();
    assert_eq!(s.stored_files(), 1);
    assert_eq!(s.render(&small_payload("image")).status, 200);
    assert_eq!(s.get("/api/v1/usage").json()["images"]["used"], 2);
    assert_eq!(s.stored_files(), 2);
}
