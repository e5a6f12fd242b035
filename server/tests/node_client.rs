//! The hosted API's reference client (JavaScript `fetch` polling loop) run with
//! Node.js against our server, changing only the base URL and key.

mod common;

use std::process::Command;

use common::{TestServer, small_payload};

fn node() -> Command {
    let found = Command::new("node").arg("--version").output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "Node.js is needed for this test; .ci/setup installs it"
    );
    Command::new("node")
}

#[test]
fn reference_polling_client_runs_against_the_server() {
    let s = TestServer::start(|_| {});
    let payload = s.dir.join("payload.json");
    std::fs::write(&payload, small_payload("video")).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/js/polling-client.mjs");
    let out = node()
        .arg(script)
        .arg(&payload)
        .env("MOCKLY_API_KEY", &s.key)
        .env("MOCKLY_BASE_URL", &s.base)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout: {stdout}\nstderr: {stderr}");
    let url = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Done: "))
        .unwrap_or_else(|| panic!("no 'Done:' line in {stdout}"));
    // The signed URL serves the MP4 without a key.
    let file = s.get_with(None, url, &[]);
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("video/mp4"));
    assert_eq!(&file.body[4..8], b"ftyp");
}
