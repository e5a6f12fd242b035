//! Load generator: the image route on PostgreSQL + S3 against SQLite + local disk
//! on the same machine, and images per second with one node and with two.
//!
//! `cargo bench -p mockly-benches --bench cluster -- --bench`. Starts a throwaway
//! PostgreSQL and moto's S3 server (`.ci/setup` installs both); without them it
//! says so and measures nothing. The servers run in this process (each node its own
//! runtime, as a `mockly serve` would have); moto, a Python server, stands in for
//! the object store, so the S3 numbers include its own cost.

use std::time::{Duration, Instant};

use mockly_server::RunningServer;
use mockly_server::config::Config;
use mockly_testkit::services::{Postgres, S3};

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const WARMUP: usize = 20;
const SEQUENTIAL: usize = 200;
const PARALLEL_EACH: usize = 100;
const CLIENTS: usize = 4;

/// A node in this process, with its own runtime.
struct Node {
    server: RunningServer,
    _rt: tokio::runtime::Runtime,
}

impl Node {
    fn start(config: Config) -> Node {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = rt.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            mockly_server::start(config, listener).await.unwrap()
        });
        Node { server, _rt: rt }
    }

    fn url(&self) -> String {
        format!("{}/api/v1/chat/render", self.server.base_url)
    }
}

fn config(name: &str) -> Config {
    Config {
        data_dir: std::env::temp_dir()
            .join(format!("mockly-cluster-{name}-{}", std::process::id())),
        render_rate_limit: u32::MAX,
        ..Config::default()
    }
}

fn shared(name: &str, database_url: &str, s3: &S3) -> Config {
    Config {
        database_url: database_url.to_owned(),
        storage_backend: "s3".to_owned(),
        storage_bucket: s3.bucket.clone(),
        storage_endpoint: s3.endpoint.clone(),
        storage_region: s3.region.clone(),
        storage_access_key_id: s3.access_key.clone(),
        storage_secret_access_key: s3.secret_key.clone(),
        ..config(name)
    }
}

fn main() {
    // `cargo test --benches` runs bench targets without --bench: a quick pass.
    let quick = !std::env::args().any(|a| a == "--bench");
    let (sequential, parallel) = if quick {
        (3, 3)
    } else {
        (SEQUENTIAL, PARALLEL_EACH)
    };
    if !(Postgres::available() && S3::available()) {
        assert!(
            std::env::var("CI").is_err(),
            "PostgreSQL or moto missing: run .ci/setup"
        );
        println!("cluster: PostgreSQL or moto not installed (.ci/setup); nothing measured");
        return;
    }
    let (pg, s3) = (Postgres::start(), S3::start());
    let payload = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/imessage-dm-light.json"
    ))
    .unwrap();

    let local = Node::start(config("local"));
    let first = Node::start(shared("a", &pg.url, &s3));
    let second = Node::start(shared("b", &pg.url, &s3));
    let local_key = local.server.first_key.clone().unwrap();
    // The cluster's one key, made by whichever node started first.
    let key = first.server.first_key.clone().unwrap();

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let post = |agent: &ureq::Agent, url: &str, key: &str| {
        let (status, took) = mockly_benches::post_render(agent, url, key, &payload);
        assert_eq!(status, 200);
        took
    };
    for _ in 0..WARMUP.min(sequential) {
        post(&agent, &local.url(), &local_key);
        post(&agent, &first.url(), &key);
    }
    // Interleaved, so both see the machine in the same state.
    let (mut on_local, mut on_shared) = (Vec::new(), Vec::new());
    for _ in 0..sequential {
        on_local.push(post(&agent, &local.url(), &local_key));
        on_shared.push(post(&agent, &first.url(), &key));
    }
    on_local.sort();
    on_shared.sort();

    let rate = |urls: &[String], key: &str| {
        let t = Instant::now();
        std::thread::scope(|s| {
            for client in 0..CLIENTS {
                let (agent, url) = (agent.clone(), &urls[client % urls.len()]);
                s.spawn(move || {
                    for _ in 0..parallel {
                        post(&agent, url, key);
                    }
                });
            }
        });
        (CLIENTS * parallel) as f64 / t.elapsed().as_secs_f64()
    };
    let local_rate = rate(&[local.url()], &local_key);
    let one_node = rate(&[first.url()], &key);
    let two_nodes = rate(&[first.url(), second.url()], &key);

    // What the shared state costs a request: one rate-window hit in PostgreSQL,
    // and one PUT of the picture to the bucket.
    let app = first.server.app.clone();
    let png = vec![7u8; 60_000];
    let (mut hits, mut puts) = (Vec::new(), Vec::new());
    first._rt.block_on(async {
        let hit = mockly_server::store::RateHit {
            key_id: 1,
            bucket: "render",
            limit: u32::MAX,
            window_ms: 60_000,
        };
        for i in 0..sequential {
            let t = Instant::now();
            app.store.rate_hit(hit).await.unwrap();
            hits.push(t.elapsed());
            let t = Instant::now();
            app.files
                .put(&format!("probe-{i}.png"), png.clone())
                .await
                .unwrap();
            puts.push(t.elapsed());
        }
    });
    hits.sort();
    puts.sort();

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p50 = |v: &[Duration]| ms(v[v.len() / 2]);
    let p99 = |v: &[Duration]| ms(v[((v.len() - 1) as f64 * 0.99).round() as usize]);
    println!("cluster/image route (imessage-dm-light, 2x), {sequential} sequential requests each:");
    println!(
        "  SQLite + local disk:  p50 {:.1} ms   p99 {:.1} ms",
        p50(&on_local),
        p99(&on_local)
    );
    println!(
        "  PostgreSQL + S3:      p50 {:.1} ms   p99 {:.1} ms",
        p50(&on_shared),
        p99(&on_shared)
    );
    println!(
        "  of which a rate-window hit in PostgreSQL: p50 {:.2} ms; a 60 kB PUT to moto: p50 {:.1} ms",
        p50(&hits),
        p50(&puts)
    );
    println!("  images/s, {CLIENTS} concurrent clients:");
    println!("    SQLite + local disk, one node: {local_rate:.0}");
    println!("    PostgreSQL + S3, one node:     {one_node:.0}");
    println!(
        "    PostgreSQL + S3, two nodes:    {two_nodes:.0} (both nodes on this machine's cores)"
    );
    for node in [local, first, second] {
        let dir = node.server.app.config.data_dir.clone();
        node._rt.block_on(node.server.shutdown());
        let _ = std::fs::remove_dir_all(dir);
    }
}
