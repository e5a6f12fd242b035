//! The hardening budgets (issue 8) over HTTP on loopback, against a server started
//! in this process:
//!
//! - a request that will be refused is refused in under 100 ms whatever its size
//!   within 10 MB (9 MB of text, a megabyte of name, a still too large for the
//!   canvas, ten 7000×7000 pictures);
//! - an ordinary still sent while another key runs four heavy stills completes in
//!   under 1 s (baseline in the same run: the same still on an idle server), and
//!   so does the same still from the key that runs the heavy ones (its heavy
//!   stills wait behind each other in their own lane, not in front of it).
//!
//! Peak and resting memory are checked on the real binary by
//! `server/tests/memory.rs`.

use std::time::Duration;

use base64::Engine as _;
use mockly_server::config::Config;
use mockly_testkit::Doc;
use serde_json::json;

fn main() {
    // `cargo test --benches` runs bench targets without --bench: do a quick pass.
    let quick = !std::env::args().any(|a| a == "--bench");
    let rounds = if quick { 1 } else { 15 };

    let dir = std::env::temp_dir().join(format!("mockly-budgets-{}", std::process::id()));
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
    // A second tenant, the one sending heavy stills.
    let heavy_key = {
        let k = mockly_server::keys::generate();
        let store = server.app.store.clone();
        rt.block_on(store.insert_key(&k.prefix, &k.hash, "heavy", 0))
            .unwrap();
        k.secret
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into();
    let post_as = |key: &str, body: &[u8]| mockly_benches::post_render(&agent, &url, key, body);
    let post = |body: &[u8]| post_as(&key, body);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;

    let huge_picture = |shade: u8| {
        let img = image::RgbImage::from_pixel(7000, 7000, image::Rgb([shade, 90, 200]));
        let mut buf = std::io::Cursor::new(Vec::new());
        img.write_to(&mut buf, image::ImageFormat::WebP).unwrap();
        format!(
            "data:image/webp;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(buf.into_inner())
        )
    };
    let refused = [
        (
            "9 MB of text (1000 × 9000 characters)",
            Doc::new().texts(1000, |_| "x".repeat(9000)).bytes(),
        ),
        (
            "a 1 MB name",
            Doc::new()
                .text("you", "hi")
                .set("props.sender.name", json!("n".repeat(1_000_000)))
                .bytes(),
        ),
        (
            "a still too large for the canvas (4x)",
            Doc::new()
                .scale("4x")
                .texts(20, |_| "word ".repeat(1900))
                .bytes(),
        ),
        (
            "ten 7000×7000 pictures",
            Doc::new()
                .message(json!({"type": "image", "userId": "me",
                                "images": (0..10).map(|i| huge_picture(i * 20)).collect::<Vec<_>>()}))
                .bytes(),
        ),
    ];
    println!("refusals (goal: under 100 ms whatever the size):");
    for (what, body) in &refused {
        let mut times: Vec<Duration> = (0..rounds)
            .map(|_| {
                let (status, t) = post(body);
                assert_eq!(status, 400, "{what}");
                t
            })
            .collect();
        times.sort();
        println!(
            "  {what:<40} {:>6.1} MB  p50 {:>6.1} ms  max {:>6.1} ms",
            body.len() as f64 / 1e6,
            ms(times[times.len() / 2]),
            ms(times[times.len() - 1])
        );
    }

    let ordinary = Doc::example("imessage-dm-light").bytes();
    let heavy = Doc::new()
        .texts(1200, |i| format!("{i} {}", "word ".repeat(17)))
        .bytes();
    let samples = if quick { 3 } else { 40 };
    let measure = |key: &str| {
        let mut lat: Vec<Duration> = (0..samples)
            .map(|_| {
                let (status, t) = post_as(key, &ordinary);
                assert_eq!(status, 200);
                t
            })
            .collect();
        lat.sort();
        (lat[lat.len() / 2], lat[lat.len() - 1])
    };
    let (idle_p50, idle_max) = measure(&key);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (loaded, heavy_done) = std::thread::scope(|s| {
        let heavies: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        let (status, t) = post_as(&heavy_key, &heavy);
                        assert_eq!(status, 200);
                        done.push(t);
                    }
                    done
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(500));
        let loaded = measure(&key);
        let same_key = measure(&heavy_key);
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let done: Vec<Duration> = heavies
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        ((loaded, same_key), done)
    });
    let (loaded, same_key) = loaded;
    println!(
        "an ordinary still (imessage-dm-light, 2x) — goal: under 1 s while a key runs four heavy stills:"
    );
    println!(
        "  idle server:            p50 {:>6.1} ms  max {:>6.1} ms",
        ms(idle_p50),
        ms(idle_max)
    );
    println!(
        "  from another key:       p50 {:>6.1} ms  max {:>6.1} ms",
        ms(loaded.0),
        ms(loaded.1)
    );
    println!(
        "  from the heavy key:     p50 {:>6.1} ms  max {:>6.1} ms",
        ms(same_key.0),
        ms(same_key.1)
    );
    let mean_heavy = heavy_done.iter().sum::<Duration>() / heavy_done.len().max(1) as u32;
    println!(
        "  (heavy still: 1200 messages at 1x, {} done, mean {:.0} ms each, queued one at a time)",
        heavy_done.len(),
        ms(mean_heavy)
    );

    rt.block_on(server.shutdown());
    let _ = std::fs::remove_dir_all(dir);
}
