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
    // Until the video renderer exists, the job fails with a clear message, which the
    // client surfaces as its error.
    assert!(!out.status.success(), "stdout: {stdout}");
    assert!(
        stderr.contains("Video rendering is not available in this build yet"),
        "stderr: {stderr}"
    );
}
