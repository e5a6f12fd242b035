//! Random requests at a live server: any method, route, key, content type and body
//! (random payloads and random bytes). No answer is a 500, every error is the
//! envelope, and the server stays healthy.
//!
//! `cargo test` runs a few dozen requests; for a long run:
//! `PROPTEST_CASES=5000 cargo test --release -p mockly-server --test fuzz_http`.

mod common;

use std::sync::OnceLock;

use common::{Reply, TestServer, agent};
use proptest::prelude::*;
use proptest::sample::select;

fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        TestServer::start(|c| {
            c.render_rate_limit = 1_000_000;
            c.exports_rate_limit = 1_000_000;
            c.render_slots = 1;
            c.queue_capacity = 2;
        })
    })
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

/// A path: a route of the API with random parts, or random bytes escaped.
fn path() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        Just("00000000-0000-4000-8000-000000000000".to_owned()),
        "[a-zA-Z0-9._~-]{0,40}",
        proptest::collection::vec(any::<u8>(), 0..12)
            .prop_map(|b| b.iter().map(|x| format!("%{x:02X}")).collect()),
    ];
    prop_oneof![
        8 => Just("/api/v1/chat/render".to_owned()),
        4 => Just("/api/v1/render".to_owned()),
        1 => segment.clone().prop_map(|s| format!("/api/v1/exports/{s}")),
        1 => segment.clone().prop_map(|s| format!("/api/v1/exports/{s}/download")),
        1 => (segment.clone(), "[a-z0-9=&%]{0,40}")
            .prop_map(|(s, q)| format!("/api/v1/files/{s}.png?{q}")),
        1 => Just("/api/v1/usage".to_owned()),
        1 => Just("/api/v1/openapi.json".to_owned()),
        1 => Just("/healthz".to_owned()),
        1 => Just("/readyz".to_owned()),
        1 => segment.prop_map(|s| format!("/{s}")),
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => mockly_testkit::fuzz::payload().prop_map(|d| serde_json::to_vec(&d).unwrap()),
        1 => proptest::collection::vec(any::<u8>(), 0..200),
        1 => mockly_testkit::fuzz::any_json().prop_map(|d| serde_json::to_vec(&d).unwrap()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_request_gets_a_well_formed_answer(
        method in prop_oneof![6 => Just("POST"), 3 => Just("GET"), 1 => select(&["PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"][..])],
        path in path(),
        key in prop_oneof![6 => Just("good"), 1 => select(&["none", "mk_live_forged", "Basic abc"][..])],
        content_type in prop_oneof![6 => Just("application/json"), 1 => select(&["application/json; charset=utf-8", "text/plain", ""][..])],
        body in body(),
    ) {
        let s = server();
        let url = s.url(&path);
        let mut req = ureq::http::Request::builder().method(method).uri(&url);
        match key {
            "good" => req = req.header("Authorization", format!("Bearer {}", s.key)),
            "none" => {}
            other => req = req.header("Authorization", format!("Bearer {other}")),
        }
        if !content_type.is_empty() {
            req = req.header("Content-Type", content_type);
        }
        let Ok(request) = req.body(body) else {
            // Not a request a client library would send.
            return Ok(());
        };
        let reply = Reply::from(agent().run(request));
        prop_assert_ne!(reply.status, 500, "{} {} → {}", method, path, String::from_utf8_lossy(&reply.body));
        if reply.status >= 400 && method != "HEAD" {
            let v: serde_json::Value = serde_json::from_slice(&reply.body)
                .map_err(|e| TestCaseError::fail(format!("{method} {path}: not JSON ({e})")))?;
            let obj = v.as_object().unwrap();
            prop_assert_eq!(obj.len(), 1, "{}", v);
            prop_assert!(v["error"]["code"].is_string() && v["error"]["message"].is_string(), "{}", v);
            prop_assert!(reply.header("content-type").unwrap_or("").starts_with("application/json"));
        }
    }
}

#[test]
fn the_server_is_healthy_after_the_fuzzing() {
    // Runs in the same process as the fuzzing above (often after it).
    let s = server();
    assert_eq!(s.get("/healthz").status, 200);
    assert_eq!(s.render(&common::small_payload("image")).status, 200);
}
