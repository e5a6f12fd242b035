//! A real server on 127.0.0.1:0 with its own data directory, and a real HTTP client.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use mockly_server::config::Config;
use mockly_server::{RunningServer, keys};

pub struct TestServer {
    pub base: String,
    /// The first key, made at first start.
    pub key: String,
    pub dir: PathBuf,
    pub config: Config,
    rt: tokio::runtime::Runtime,
    server: Option<RunningServer>,
    /// Whether dropping this removes the data directory (not after a restart).
    owns_dir: bool,
}

impl TestServer {
    /// Starts a server with default settings changed by `tweak`.
    pub fn start(tweak: impl FnOnce(&mut Config)) -> TestServer {
        let dir = std::env::temp_dir().join(format!("mockly-test-{}", uuid::Uuid::new_v4()));
        let mut config = Config {
            data_dir: dir.clone(),
            ..Config::default()
        };
        tweak(&mut config);
        TestServer::boot(config, None)
    }

    fn boot(config: Config, key: Option<String>) -> TestServer {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let server = rt.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            mockly_server::start(config.clone(), listener)
                .await
                .unwrap()
        });
        let key = key
            .or_else(|| server.first_key.clone())
            .expect("a fresh data directory gets a first key");
        TestServer {
            base: server.base_url.clone(),
            key,
            dir: config.data_dir.clone(),
            config,
            rt,
            server: Some(server),
            owns_dir: true,
        }
    }

    /// Stops the server gracefully and starts a new one on the same data directory.
    pub fn restart(mut self) -> TestServer {
        self.stop();
        self.owns_dir = false;
        TestServer::boot(self.config.clone(), Some(self.key.clone()))
    }

    pub fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            self.rt.block_on(s.shutdown());
        }
    }

    /// Runs the retention sweep now.
    pub fn sweep(&self) -> usize {
        let app = self.server.as_ref().unwrap().app.clone();
        self.rt.block_on(mockly_server::sweep(&app)).unwrap()
    }

    /// The files in the exports directory, but for the empty ones the server keeps
    /// ready for its next stills (`.blank-…`); a half-written file counts.
    pub fn stored_files(&self) -> usize {
        std::fs::read_dir(self.dir.join("exports")).map_or(0, |d| {
            d.flatten()
                .filter(|e| !e.file_name().to_string_lossy().starts_with(".blank-"))
                .count()
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `host:port` of the listener, for raw connections.
    pub fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_owned()
    }

    /// The server's shared state (gauges, engine).
    pub fn app(&self) -> mockly_server::api::App {
        self.server.as_ref().unwrap().app.clone()
    }

    /// Sends raw bytes on a new connection and reads the reply until the server
    /// closes it (or `wait` passes).
    pub fn raw(&self, request: &[u8], wait: Duration) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(self.addr()).unwrap();
        stream.set_read_timeout(Some(wait)).unwrap();
        // The server may stop reading (and answer) before all is sent.
        let _ = stream.write_all(request);
        let mut reply = Vec::new();
        let _ = stream.read_to_end(&mut reply);
        reply
    }

    /// Makes another key directly in the database.
    pub fn new_key(&self) -> String {
        let store = &self.server.as_ref().unwrap().app.store;
        let key = keys::generate();
        self.rt
            .block_on(store.insert_key(&key.prefix, &key.hash, "test", 0))
            .unwrap();
        key.secret
    }

    /// Revokes a key directly in the database.
    pub fn revoke_key(&self, prefix: &str) {
        let store = &self.server.as_ref().unwrap().app.store;
        self.rt.block_on(store.revoke_key(prefix, 1)).unwrap();
    }

    pub fn render(&self, body: &[u8]) -> Reply {
        self.render_with(&self.key, body)
    }

    pub fn render_with(&self, key: &str, body: &[u8]) -> Reply {
        let r = agent()
            .post(&self.url("/api/v1/chat/render"))
            .header("Authorization", &format!("Bearer {key}"))
            .header("Content-Type", "application/json")
            .send(body);
        Reply::from(r)
    }

    pub fn get(&self, path_or_url: &str) -> Reply {
        self.get_with(Some(&self.key), path_or_url, &[])
    }

    pub fn get_with(
        &self,
        key: Option<&str>,
        path_or_url: &str,
        headers: &[(&str, &str)],
    ) -> Reply {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_owned()
        } else {
            self.url(path_or_url)
        };
        let mut req = agent().get(&url);
        if let Some(k) = key {
            req = req.header("Authorization", &format!("Bearer {k}"));
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        Reply::from(req.call())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
        if self.owns_dir {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

/// A response read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn from(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut r = r.expect("request reached the server");
        let headers = r
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = r
            .body_mut()
            .with_config()
            .limit(200 * 1024 * 1024)
            .read_to_vec()
            .unwrap();
        Reply {
            status: r.status().as_u16(),
            headers,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// Asserts an error envelope with this status and code; returns the message.
    pub fn error(&self, status: u16, code: &str) -> String {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        let v = self.json();
        let obj = v.as_object().unwrap();
        assert_eq!(obj.len(), 1, "only 'error' in the envelope: {v}");
        assert_eq!(v["error"]["code"], code, "{v}");
        let message = v["error"]["message"].as_str().unwrap().to_owned();
        assert!(!message.is_empty());
        message
    }

    /// The names of the body's JSON fields, sorted.
    pub fn fields(&self) -> Vec<String> {
        let mut f: Vec<String> = self.json().as_object().unwrap().keys().cloned().collect();
        f.sort();
        f
    }
}

pub fn example(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/{name}.json")))
        .unwrap()
}

/// The status and the JSON body of a raw HTTP/1.1 reply.
pub fn parse_raw(reply: &[u8]) -> (u16, serde_json::Value) {
    let text = String::from_utf8_lossy(reply);
    let status = text
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP reply: {text:?}"));
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let json =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("body not JSON ({e}): {text:?}"));
    (status, json)
}

/// An example turned into a small, fast payload of the given kind.
pub fn small_payload(kind: &str) -> Vec<u8> {
    let mut doc: serde_json::Value = serde_json::from_slice(&example("imessage-dm-light")).unwrap();
    doc["renderKind"] = serde_json::json!(kind);
    doc["resolutionScale"] = serde_json::json!("1x");
    doc.to_string().into_bytes()
}

/// The real binary, as an operator runs it: `mockly serve` on `port` with its own
/// data directory and the given settings. Its standard output (the first key, when
/// it makes one) is collected; its log goes to `log`.
pub struct Served {
    pub child: std::process::Child,
    pub base: String,
    stdout: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Served {
    pub fn spawn(
        data_dir: &Path,
        port: u16,
        settings: &[(&str, String)],
        log: std::process::Stdio,
    ) -> Served {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mockly"))
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(data_dir)
            .envs(settings.iter().map(|(k, v)| (k, v)))
            .stdout(std::process::Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let stdout = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (pipe, lines) = (child.stdout.take().unwrap(), stdout.clone());
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        Served {
            child,
            base: format!("http://127.0.0.1:{port}"),
            stdout,
        }
    }

    /// Waits until the node answers `path` (`/healthz`, `/readyz`).
    pub fn wait_for(&self, path: &str) {
        let start = std::time::Instant::now();
        while agent().get(&format!("{}{path}", self.base)).call().is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The first key, if the server printed one within `wait` (it prints it before
    /// it answers requests, so a short wait after it answers is enough).
    pub fn first_key(&self, wait: Duration) -> Option<String> {
        let start = std::time::Instant::now();
        loop {
            let key = self.stdout.lock().unwrap().iter().find_map(|line| {
                line.strip_prefix("Created the first API key (shown once, keep it): ")
                    .map(|k| k.trim().to_owned())
            });
            if key.is_some() || start.elapsed() >= wait {
                return key;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
