//! The image route end to end over HTTP on loopback: a load generator that reports
//! p50/p99 latency of one client at a time, and images per second with two.
//!
//! Goal (issue 3): p50 under 30 ms for the 12-message example at 2x on the 2-core
//! machine. Baseline in the same run: `render_png` called directly, without HTTP.

use std::time::{Duration, Instant};

use mockly_engine::Engine;
use mockly_server::config::Config;

const WARMUP: usize = 20;
const SEQUENTIAL: usize = 300;
const PARALLEL_EACH: usize = 150;

fn main() {
    // `cargo test --benches` runs bench targets with --bench absent: do a quick pass.
    let quick = !std::env::args().any(|a| a == "--bench");
    let (sequential, parallel) = if quick {
        (5, 5)
    } else {
        (SEQUENTIAL, PARALLEL_EACH)
    };

    let payload = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/imessage-dm-light.json"
    ))
    .unwrap();

    let dir = std::env::temp_dir().join(format!("mockly-bench-{}", std::process::id()));
    let config = Config {
        data_dir: dir.clone(),
        render_rate_limit: u32::MAX,
        ..Config::default()
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        mockly_server::start(config, listener).await.unwrap()
    });
    let url = format!("{}/api/v1/chat/render", server.base_url);
    let key = server.first_key.clone().unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let post = |agent: &ureq::Agent| {
        let t = Instant::now();
        let mut r = agent
            .post(&url)
            .header("Authorization", &format!("Bearer {key}"))
            .header("Content-Type", "application/json")
            .send(&payload[..])
            .unwrap();
        assert_eq!(r.status(), 200);
        let _ = r.body_mut().read_to_vec().unwrap();
        t.elapsed()
    };

    for _ in 0..WARMUP.min(sequential) {
        post(&agent);
    }
    let mut lat: Vec<Duration> = (0..sequential).map(|_| post(&agent)).collect();
    lat.sort();
    let pct = |p: f64| lat[((lat.len() - 1) as f64 * p).round() as usize];

    let t = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..2 {
            let agent = agent.clone();
            s.spawn(move || {
                for _ in 0..parallel {
                    post(&agent);
                }
            });
        }
    });
    let rate = (2 * parallel) as f64 / t.elapsed().as_secs_f64();

    // Baseline: the same render without HTTP, storage or signing.
    let engine = Engine::new();
    let p = mockly_engine::Payload::from_json(&payload).unwrap();
    let mut direct: Vec<Duration> = (0..sequential)
        .map(|_| {
            let t = Instant::now();
            engine.render_png(&p).unwrap();
            t.elapsed()
        })
        .collect();
    direct.sort();

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("http/render image (imessage-dm-light, 2x), {sequential} sequential requests:");
    println!(
        "  p50 {:.1} ms   p99 {:.1} ms   mean {:.1} ms",
        ms(pct(0.5)),
        ms(pct(0.99)),
        ms(lat.iter().sum::<Duration>()) / lat.len() as f64
    );
    println!("  2 concurrent clients: {rate:.0} images/s");
    println!(
        "  baseline render_png without HTTP: p50 {:.1} ms",
        ms(direct[direct.len() / 2])
    );

    rt.block_on(server.shutdown());
    let _ = std::fs::remove_dir_all(dir);
}
