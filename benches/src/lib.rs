//! Shared helpers for the benchmarks: loading example payloads by name.

use std::path::PathBuf;

use mockly_engine::Payload;

/// Parses `examples/<name>.json`.
pub fn example(name: &str) -> Payload {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/{name}.json"));
    let json = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Payload::from_json(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
