//! Shared helpers for the benchmarks: loading example payloads by name, posting a
//! render to a server.
// Only the engine's FFmpeg side data needs `unsafe` (the workspace denies it).
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use mockly_engine::Payload;

/// Parses `examples/<name>.json`.
pub fn example(name: &str) -> Payload {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/{name}.json"));
    let json = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Payload::from_json(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Posts a render with `key` and reads the whole answer: (status, time taken).
pub fn post_render(agent: &ureq::Agent, url: &str, key: &str, body: &[u8]) -> (u16, Duration) {
    let t = Instant::now();
    let mut r = agent
        .post(url)
        .header("Authorization", &format!("Bearer {key}"))
        .header("Content-Type", "application/json")
        .send(body)
        .unwrap();
    let _ = r.body_mut().read_to_vec().unwrap();
    (r.status().as_u16(), t.elapsed())
}
