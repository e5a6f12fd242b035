//! The server's memory under the heaviest requests a client may send, measured on
//! the real binary (with its own allocator) from `/proc`: the peak stays within the
//! budget, and the footprint returns near its baseline afterwards.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use mockly_testkit::Doc;
use serde_json::{Value, json};

/// No request may take the server past this (resident set, MiB).
const PEAK_BUDGET_MIB: u64 = 600;
/// After the storm, resident memory comes back within this of its baseline (MiB).
const RESTING_MARGIN_MIB: u64 = 64;

struct Server {
    child: Child,
    base: String,
    key: String,
    dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Server {
    fn start() -> Server {
        let dir = std::env::temp_dir().join(format!("mockly-memory-{}", std::process::id()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_mockly"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the mockly binary starts");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let key = line.split_whitespace().last().unwrap().to_owned();
        let mut err = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut base = None;
        for line in err.by_ref() {
            let line = line.unwrap();
            if let Some(url) = line.split_whitespace().find_map(|w| w.strip_prefix("url=")) {
                base = Some(url.to_owned());
                break;
            }
        }
        // Keep reading both pipes, or the server's log lines would have nowhere to go.
        std::thread::spawn(move || {
            let _keep = out;
            err.for_each(drop)
        });
        Server {
            child,
            base: base.expect("the server logs its address"),
            key,
            dir,
        }
    }

    /// (resident now, peak resident) in MiB.
    fn memory(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let field = |name: &str| -> u64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|kb| kb.parse::<u64>().ok())
                .unwrap()
                / 1024
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    fn render(&self, doc: &Value) -> (u16, Value) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(300)))
            .build()
            .into();
        let mut r = agent
            .post(&format!("{}/api/v1/chat/render", self.base))
            .header("Authorization", &format!("Bearer {}", self.key))
            .header("Content-Type", "application/json")
            .send(doc.to_string().as_bytes())
            .unwrap();
        let body: Value = serde_json::from_slice(&r.body_mut().read_to_vec().unwrap()).unwrap();
        (r.status().as_u16(), body)
    }

    fn wait_for_export(&self, id: &str) -> Value {
        let started = Instant::now();
        loop {
            let mut r = ureq::get(&format!("{}/api/v1/exports/{id}", self.base))
                .header("Authorization", &format!("Bearer {}", self.key))
                .call()
                .unwrap();
            let v: Value = serde_json::from_slice(&r.body_mut().read_to_vec().unwrap()).unwrap();
            if v["status"] != "rendering" {
                return v;
            }
            assert!(started.elapsed() < Duration::from_secs(300), "{v}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// A 7000×7000 picture of one colour: a few kilobytes as lossless WebP, 196 MB
/// decoded.
fn huge_webp(shade: u8) -> String {
    let img = image::RgbImage::from_pixel(7000, 7000, image::Rgb([shade, 120, 200]));
    let mut buf = std::io::Cursor::new(Vec::new());
    img.write_to(&mut buf, image::ImageFormat::WebP).unwrap();
    format!(
        "data:image/webp;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(buf.into_inner())
    )
}

#[test]
fn heavy_requests_stay_within_the_memory_budget_and_memory_comes_back() {
    let server = Server::start();
    let ordinary = Doc::example("imessage-dm-light").json();
    for _ in 0..3 {
        assert_eq!(server.render(&ordinary).0, 200);
    }
    let (baseline, _) = server.memory();

    // Six 7000×7000 pictures in one message: 294 million pixels decoded.
    let photos: Vec<String> = (0..6).map(|i| huge_webp(i * 40)).collect();
    let doc = Doc::new()
        .text("you", "look")
        .message(json!({"type": "image", "userId": "me", "images": photos}))
        .json();
    let (status, body) = server.render(&doc);
    assert_eq!(status, 200, "{body}");

    // The tallest still that fits the canvas limit.
    let tall = Doc::new()
        .texts(1200, |i| format!("{i} {}", "word ".repeat(17)))
        .json();
    let (status, body) = server.render(&tall);
    assert_eq!(status, 200, "{body}");

    // A video typing a 10,000-letter message.
    let video = Doc::example("imessage-dm-light")
        .video()
        .scale("1x")
        .message(
            json!({"type": "text", "userId": "me", "text": "lorem ipsum ".repeat(833),
                        "timestamp": "2024-05-10T18:30:00-07:00"}),
        )
        .json();
    let (status, body) = server.render(&video);
    assert_eq!(status, 202, "{body}");
    let done = server.wait_for_export(body["id"].as_str().unwrap());
    assert_eq!(done["status"], "completed", "{done}");

    // Nine megabytes of text: refused.
    let wall = Doc::new().texts(1000, |_| "x".repeat(9000)).json();
    assert_eq!(server.render(&wall).0, 400);

    let (_, peak) = server.memory();
    eprintln!("baseline {baseline} MiB, peak {peak} MiB");
    assert!(
        peak <= PEAK_BUDGET_MIB,
        "peak resident memory {peak} MiB, budget {PEAK_BUDGET_MIB} MiB"
    );
    let started = Instant::now();
    let resting = loop {
        let (now, _) = server.memory();
        if now <= baseline + RESTING_MARGIN_MIB || started.elapsed() > Duration::from_secs(20) {
            break now;
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    assert!(
        resting <= baseline + RESTING_MARGIN_MIB,
        "resident {resting} MiB after the heavy requests, baseline {baseline} MiB"
    );
}
