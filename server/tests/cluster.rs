//! Two `mockly serve` processes on one PostgreSQL database and one S3 bucket, both
//! real and started here (Debian's PostgreSQL, moto's S3 server): what a client
//! sees is one service, whichever node answers, and a node's death loses nothing.
//!
//! Skipped when PostgreSQL or moto is not installed (`.ci/setup` installs both);
//! under `CI=true` their absence fails the test instead.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{Served, agent, example, free_port, small_payload};
use mockly_testkit::services::{Postgres, S3};
use serde_json::{Value, json};

/// The services, or `None` when this machine has none (outside CI).
fn services() -> Option<(Postgres, S3)> {
    if Postgres::available() && S3::available() {
        return Some((Postgres::start(), S3::start()));
    }
    assert!(
        std::env::var("CI").is_err(),
        "PostgreSQL or moto missing: run .ci/setup"
    );
    eprintln!("skipped: PostgreSQL or moto (.ci/setup) not installed");
    None
}

/// One node, as an operator runs it.
struct Node {
    served: Served,
    base: String,
    dir: std::path::PathBuf,
}

impl Node {
    fn spawn(database_url: &str, s3: &S3) -> Node {
        Node::spawn_with(database_url, s3, &[])
    }

    fn spawn_with(database_url: &str, s3: &S3, settings: &[(&str, &str)]) -> Node {
        let dir = std::env::temp_dir().join(format!("mockly-node-{}", uuid::Uuid::new_v4()));
        let mut all = cluster_env(database_url, s3);
        all.push(("MOCKLY_RENDER_SLOTS", "1".to_owned()));
        all.push(("MOCKLY_JOB_LEASE_SECS", "3".to_owned()));
        all.extend(settings.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let log = std::fs::File::create(dir.with_extension("log")).unwrap();
        let served = Served::spawn(&dir, free_port(), &all, log.into());
        Node {
            base: served.base.clone(),
            served,
            dir,
        }
    }

    fn wait_ready(&self) {
        self.served.wait_for("/readyz");
    }

    /// The first key, if this node printed one.
    fn first_key(&self) -> Option<String> {
        self.served.first_key(Duration::from_millis(300))
    }

    fn metrics(&self) -> String {
        let mut r = agent()
            .get(&format!("{}/metrics", self.base))
            .call()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        r.body_mut().read_to_string().unwrap()
    }

    fn kill(&mut self) {
        self.served.child.kill().unwrap(); // SIGKILL
        self.served.child.wait().unwrap();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.served.child.kill();
        let _ = self.served.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
        let log = self.dir.with_extension("log");
        if std::thread::panicking() {
            eprintln!(
                "{} log:\n{}",
                self.base,
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        let _ = std::fs::remove_file(log);
    }
}

/// The settings every node gets: the database, the bucket, its credentials.
fn cluster_env(database_url: &str, s3: &S3) -> Vec<(&'static str, String)> {
    vec![
        ("MOCKLY_DATABASE_URL", database_url.to_owned()),
        ("MOCKLY_STORAGE_BACKEND", "s3".to_owned()),
        ("MOCKLY_STORAGE_BUCKET", s3.bucket.clone()),
        ("MOCKLY_STORAGE_ENDPOINT", s3.endpoint.clone()),
        ("MOCKLY_STORAGE_REGION", s3.region.clone()),
        ("AWS_ACCESS_KEY_ID", s3.access_key.clone()),
        ("AWS_SECRET_ACCESS_KEY", s3.secret_key.clone()),
    ]
}

/// `mockly keys …` against the cluster's database.
fn keys_cli(database_url: &str, s3: &S3, args: &[&str]) -> String {
    let dir = std::env::temp_dir().join(format!("mockly-cli-{}", uuid::Uuid::new_v4()));
    let out = Command::new(env!("CARGO_BIN_EXE_mockly"))
        .arg("keys")
        .args(args)
        .arg("--data-dir")
        .arg(&dir)
        .envs(cluster_env(database_url, s3))
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn post(base: &str, key: &str, body: &[u8]) -> (u16, Value) {
    let r = agent()
        .post(&format!("{base}/api/v1/chat/render"))
        .header("Authorization", &format!("Bearer {key}"))
        .header("Content-Type", "application/json")
        .send(body);
    let mut r = r.unwrap();
    let status = r.status().as_u16();
    let body = r.body_mut().read_to_vec().unwrap();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// GETs JSON as a well-behaved client: a 429 waits its `Retry-After`.
fn get_json(url: &str, key: &str) -> Value {
    loop {
        let mut r = agent()
            .get(url)
            .header("Authorization", &format!("Bearer {key}"))
            .call()
            .unwrap();
        if r.status().as_u16() == 429 {
            let wait = r.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            std::thread::sleep(Duration::from_secs(wait));
            continue;
        }
        assert_eq!(r.status().as_u16(), 200, "{url}");
        return serde_json::from_slice(&r.body_mut().read_to_vec().unwrap()).unwrap();
    }
}

/// Fetches a URL with an optional `Range`: (status, bytes).
fn fetch(url: &str, range: Option<&str>) -> (u16, Vec<u8>) {
    let mut request = agent().get(url);
    if let Some(r) = range {
        request = request.header("Range", r);
    }
    let mut r = request.call().unwrap();
    let status = r.status().as_u16();
    let bytes = r
        .body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_vec()
        .unwrap();
    (status, bytes)
}

/// The same URL on another node.
fn on(node: &Node, url: &str) -> String {
    let path = url.trim_start_matches("http://");
    format!("{}{}", node.base, &path[path.find('/').unwrap()..])
}

/// Polls an export on `node` until it stops rendering.
fn finished(node: &Node, key: &str, id: &str, within: Duration) -> Value {
    let start = Instant::now();
    loop {
        let v = get_json(&format!("{}/api/v1/exports/{id}", node.base), key);
        if v["status"] != "rendering" {
            return v;
        }
        assert!(start.elapsed() < within, "still rendering: {v}");
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn gauge(metrics: &str, name: &str) -> i64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in\n{metrics}"))
}

#[test]
fn two_nodes_on_one_database_and_one_bucket_are_one_service() {
    let Some((pg, s3)) = services() else {
        return;
    };
    // Booted together on an empty database: one migrates while the other waits,
    // one makes the first key, both sign with one secret.
    let mut a = Node::spawn(&pg.url, &s3);
    let mut b = Node::spawn(&pg.url, &s3);
    a.wait_ready();
    b.wait_ready();
    let keys: Vec<String> = [&a, &b].iter().filter_map(|n| n.first_key()).collect();
    assert_eq!(keys.len(), 1, "exactly one node makes the first key");
    let key = keys[0].clone();
    let listed = keys_cli(&pg.url, &s3, &["list"]);
    assert_eq!(listed.lines().count(), 2, "a header and one key:\n{listed}");

    // A still rendered on A is found, and downloaded, on B.
    let (status, still) = post(&a.base, &key, &small_payload("image"));
    assert_eq!(status, 200, "{still}");
    let url = still["downloadUrl"].as_str().unwrap();
    let (status, on_a) = fetch(url, None);
    assert_eq!(status, 200);
    let (status, on_b) = fetch(&on(&b, url), None);
    assert_eq!(status, 200, "B checks A's signature: one secret");
    assert_eq!(on_a, on_b);
    image::load_from_memory(&on_b).expect("a PNG");
    let (status, part) = fetch(&on(&b, url), Some("bytes=10-109"));
    assert_eq!(status, 206);
    assert_eq!(part, on_a[10..110]);
    let id = still["id"].as_str().unwrap();
    let v = get_json(&format!("{}/api/v1/exports/{id}", b.base), &key);
    assert_eq!(v["status"], "completed");

    // A video submitted to A is polled and downloaded on B.
    let (status, job) = post(&a.base, &key, &small_payload("video"));
    assert_eq!(status, 202, "{job}");
    let done = finished(
        &b,
        &key,
        job["id"].as_str().unwrap(),
        Duration::from_secs(120),
    );
    assert_eq!(done["status"], "completed", "{done}");
    let (status, video) = fetch(&on(&b, done["downloadUrl"].as_str().unwrap()), None);
    assert_eq!(status, 200);
    assert_eq!(&video[4..8], b"ftyp", "an MP4");
    assert_eq!(video.len() as u64, done["sizeBytes"].as_u64().unwrap());

    // One key's 60 renders a minute hold for the cluster: 80 spread over both
    // nodes, 60 accepted.
    let burst = keys_cli(&pg.url, &s3, &["create", "--label", "burst"]);
    let burst = burst.trim();
    let tiny = small_payload("image");
    let mut accepted = 0;
    let mut refused = 0;
    for i in 0..80 {
        let node = if i % 2 == 0 { &a } else { &b };
        match post(&node.base, burst, &tiny) {
            (200, _) => accepted += 1,
            (429, v) => {
                assert_eq!(v["error"]["code"], "rate_limited");
                refused += 1;
            }
            (s, v) => panic!("unexpected {s}: {v}"),
        }
    }
    assert_eq!((accepted, refused), (60, 20));
    let counted: i64 = [&a, &b]
        .iter()
        .map(|n| gauge(&n.metrics(), "mockly_rate_limited_total{bucket=\"render\"}"))
        .sum();
    assert_eq!(counted, 20, "each node counts what it refused");

    // The node rendering a long video is killed: the other takes the job back once
    // its lease runs out and finishes it.
    let mut long: Value = serde_json::from_slice(&example("imessage-long")).unwrap();
    long["renderKind"] = json!("video");
    long["resolutionScale"] = json!("1x");
    let (status, job) = post(&a.base, &key, long.to_string().as_bytes());
    assert_eq!(status, 202, "{job}");
    let id = job["id"].as_str().unwrap().to_owned();
    let start = Instant::now();
    let running = |n: &Node| gauge(&n.metrics(), "mockly_video_renders_running");
    let rendering_on_a = loop {
        let (on_a, on_b) = (running(&a), running(&b));
        if on_a + on_b == 1 {
            break on_a == 1;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "never started");
        std::thread::sleep(Duration::from_millis(20));
    };
    std::thread::sleep(Duration::from_millis(500));
    let (dead, survivor) = if rendering_on_a {
        (&mut a, &b)
    } else {
        (&mut b, &a)
    };
    let v = get_json(&format!("{}/api/v1/exports/{id}", survivor.base), &key);
    assert_eq!(
        v["status"], "rendering",
        "finished too soon to interrupt: {v}"
    );
    assert!(v["progress"].as_f64().unwrap() > 0.0, "under way: {v}");
    dead.kill();
    let done = finished(survivor, &key, &id, Duration::from_secs(240));
    assert_eq!(done["status"], "completed", "{done}");
    let (status, video) = fetch(&on(survivor, done["downloadUrl"].as_str().unwrap()), None);
    assert_eq!(status, 200);
    assert_eq!(&video[4..8], b"ftyp");
    let metrics = survivor.metrics();
    assert_eq!(gauge(&metrics, "mockly_exports{status=\"rendering\"}"), 0);
    assert_eq!(gauge(&metrics, "mockly_exports{status=\"queued\"}"), 0);
    assert_eq!(gauge(&metrics, "mockly_exports{status=\"failed\"}"), 0);
    // Nothing lost: the first still is still there, through the survivor.
    let (status, again) = fetch(&on(survivor, url), None);
    assert_eq!((status, again == on_a), (200, true));
}

#[test]
fn presigned_urls_hand_out_the_buckets_own_links() {
    let Some((pg, s3)) = services() else {
        return;
    };
    let node = Node::spawn_with(&pg.url, &s3, &[("MOCKLY_STORAGE_PRESIGNED_URLS", "true")]);
    node.wait_ready();
    let key = node.first_key().expect("a first key");
    let (status, still) = post(&node.base, &key, &small_payload("image"));
    assert_eq!(status, 200, "{still}");
    let url = still["downloadUrl"].as_str().unwrap();
    assert!(url.starts_with(&s3.endpoint), "the bucket's URL: {url}");
    assert!(url.contains("X-Amz-Signature="), "{url}");
    let (status, png) = fetch(url, None);
    assert_eq!(status, 200);
    assert_eq!(png.len() as u64, still["sizeBytes"].as_u64().unwrap());
    image::load_from_memory(&png).expect("a PNG");
    // The keyed download route still streams through the node.
    let id = still["id"].as_str().unwrap();
    let mut r = agent()
        .get(&format!("{}/api/v1/exports/{id}/download", node.base))
        .header("Authorization", &format!("Bearer {key}"))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.body_mut().read_to_vec().unwrap(), png);
}

#[test]
fn a_node_stopped_gracefully_hands_its_job_over_at_once() {
    let Some((pg, s3)) = services() else {
        return;
    };
    // Leases far longer than the test: only the hand-over can move the job.
    let long_lease = [("MOCKLY_JOB_LEASE_SECS", "600")];
    let a = Node::spawn_with(&pg.url, &s3, &long_lease);
    a.wait_ready();
    let key = a.first_key().expect("a first key");
    let b = Node::spawn_with(&pg.url, &s3, &long_lease);
    b.wait_ready();
    let mut long: Value = serde_json::from_slice(&example("imessage-long")).unwrap();
    long["renderKind"] = json!("video");
    long["resolutionScale"] = json!("1x");
    let (status, job) = post(&a.base, &key, long.to_string().as_bytes());
    assert_eq!(status, 202, "{job}");
    let running = |n: &Node| gauge(&n.metrics(), "mockly_video_renders_running");
    let start = Instant::now();
    let (mut stopping, other) = loop {
        match (running(&a), running(&b)) {
            (1, 0) => break (a, b),
            (0, 1) => break (b, a),
            _ => {}
        }
        assert!(start.elapsed() < Duration::from_secs(60), "never started");
        std::thread::sleep(Duration::from_millis(20));
    };
    // SIGTERM, as an orchestrator stops a node.
    let term = Command::new("kill")
        .args(["-TERM", &stopping.served.child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let stopped = stopping.served.child.wait().unwrap();
    assert!(stopped.success(), "a graceful stop: {stopped:?}");
    let handed = Instant::now();
    while running(&other) == 0 {
        assert!(
            handed.elapsed() < Duration::from_secs(15),
            "the other node did not take the job over"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let id = job["id"].as_str().unwrap();
    let done = finished(&other, &key, id, Duration::from_secs(240));
    assert_eq!(done["status"], "completed", "{done}");
}
