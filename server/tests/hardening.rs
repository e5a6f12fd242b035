//! Hostile and careless clients: what they send never takes the server down, holds
//! its resources past their limits, or gets an answer outside the error envelope.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::{TestServer, parse_raw, small_payload};
use serde_json::{Value, json};

fn doc(kind: &str) -> Value {
    serde_json::from_slice(&small_payload(kind)).unwrap()
}

/// A video of about `seconds` at 2x: long enough to outlive a short job timeout.
fn long_video(seconds: usize) -> Vec<u8> {
    let mut d = doc("video");
    d["resolutionScale"] = json!("2x");
    let messages: Vec<Value> = (0..seconds)
        .map(|i| {
            json!({"id": format!("m{i}"), "type": "text",
                   "userId": if i % 2 == 0 { "me" } else { "sam" },
                   "text": format!("message {i}"), "timestamp": "2024-05-01T09:41:00Z"})
        })
        .collect();
    d["props"]["messages"] = json!(messages);
    d["props"]["video"] = json!({"messageDelayMs": 700, "typingMs": 300, "typeOutgoing": false});
    d.to_string().into_bytes()
}

#[test]
fn half_a_header_is_cut_off_and_others_are_still_served() {
    let s = TestServer::start(|c| {
        c.header_timeout_secs = 1;
        c.max_connections = 8;
    });
    // More stalled connections than the server serves at once.
    let stalled: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut t = TcpStream::connect(s.addr()).unwrap();
            t.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .unwrap();
            t
        })
        .collect();
    let r = s.get("/healthz");
    assert_eq!(r.status, 200, "an ordinary request gets through");
    for mut t in stalled {
        t.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut buf = [0u8; 64];
        let n = t.read(&mut buf).unwrap_or(0);
        assert_eq!(n, 0, "the server closed the stalled connection");
    }
}

#[test]
fn slow_clients_holding_every_connection_make_room_for_others() {
    // Stalled clients would keep their connections for a minute; the server closes
    // the longest idle one whenever a new connection needs room.
    let s = TestServer::start(|c| {
        c.header_timeout_secs = 60;
        c.max_connections = 8;
    });
    let _stalled: Vec<TcpStream> = (0..30)
        .map(|_| {
            let mut t = TcpStream::connect(s.addr()).unwrap();
            t.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            t
        })
        .collect();
    // The client gives up after 20 s, well before the stalled ones time out.
    let quick: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into();
    let r = quick
        .get(&s.url("/healthz"))
        .call()
        .expect("answered in time");
    assert_eq!(r.status(), 200);
}

#[test]
fn a_body_that_stalls_gets_408_in_the_envelope() {
    let s = TestServer::start(|c| {
        c.body_timeout_secs = 1;
        c.header_timeout_secs = 1;
    });
    let request = format!(
        "POST /api/v1/chat/render HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"mockupType\"",
        s.key
    );
    let (status, body) = parse_raw(&s.raw(request.as_bytes(), Duration::from_secs(20)));
    assert_eq!(status, 408);
    assert_eq!(body["error"]["code"], "request_timeout");
}

#[test]
fn refusals_made_below_the_router_carry_the_envelope() {
    let s = TestServer::start(|_| {});
    let huge_header = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(600_000)
    );
    let (status, body) = parse_raw(&s.raw(huge_header.as_bytes(), Duration::from_secs(20)));
    assert_eq!(status, 431);
    assert_eq!(body["error"]["code"], "headers_too_large");

    let long_uri = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
    let (status, body) = parse_raw(&s.raw(long_uri.as_bytes(), Duration::from_secs(20)));
    assert_eq!(status, 414);
    assert_eq!(body["error"]["code"], "uri_too_long");

    let (status, body) = parse_raw(&s.raw(b"NOT HTTP AT ALL\r\n\r\n", Duration::from_secs(20)));
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "bad_request");

    // Paths that are not text and queries that repeat a parameter.
    s.get("/api/v1/exports/%FF%FE").error(404, "not_found");
    let r = s.render(&small_payload("image"));
    let url = r.json()["downloadUrl"].as_str().unwrap().to_owned();
    let file = s.get_with(None, &url, &[]);
    assert_eq!(file.header("x-content-type-options"), Some("nosniff"));
    let doubled = format!("{url}&expires=1");
    s.get_with(None, &doubled, &[])
        .error(403, "invalid_signature");
}

#[test]
fn newer_clients_of_the_hosted_api_are_understood() {
    let s = TestServer::start(|_| {});
    let r = common::Reply::from(
        common::agent()
            .post(&s.url("/api/v1/render"))
            .header("Authorization", &format!("Bearer {}", s.key))
            .header("Content-Type", "application/json")
            .send(&small_payload("image")[..]),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let post = |d: &Value| {
        common::Reply::from(
            common::agent()
                .post(&s.url("/api/v1/render"))
                .header("Authorization", &format!("Bearer {}", s.key))
                .header("Content-Type", "application/json")
                .send(d.to_string().as_bytes()),
        )
    };
    let mut other = doc("image");
    other["mockupType"] = json!("tweets");
    let message = post(&other).error(400, "validation_failed");
    assert!(message.contains("at mockupType"), "{message}");

    let mut flat = doc("image");
    flat["render3D"] = json!(false);
    flat["cameraPosition"] = json!({"x": 0, "y": 1, "z": 2});
    let r = post(&flat);
    assert_eq!(r.status, 200);
    assert!(
        r.json()["warnings"][0]
            .as_str()
            .unwrap()
            .contains("cameraPosition")
    );
    let mut three_d = doc("image");
    three_d["render3D"] = json!(true);
    let message = post(&three_d).error(400, "validation_failed");
    assert!(message.contains("at render3D"), "{message}");
}

#[test]
fn careless_payloads_get_400_naming_the_field() {
    let s = TestServer::start(|_| {});
    let mut d = doc("image");
    d["props"]["sender"] = json!(["me", "Alex"]);
    let m = s
        .render(d.to_string().as_bytes())
        .error(400, "validation_failed");
    assert!(m.contains("at props.sender: expected object"), "{m}");

    let mut d = doc("image");
    d["props"]["groupChatSettings"] = json!({"name": "g".repeat(1_000_000)});
    let started = Instant::now();
    let r = s.render(d.to_string().as_bytes());
    let m = r.error(400, "validation_failed");
    assert!(
        m.starts_with("String too long at props.groupChatSettings.name"),
        "{m}"
    );
    assert!(r.body.len() < 400, "the value is not echoed back");
    let _ = started;

    let mut d = doc("image");
    d["props"]["messages"][0]["userId"] = json!("u".repeat(100_000));
    let r = s.render(d.to_string().as_bytes());
    r.error(400, "validation_failed");
    assert!(r.body.len() < 400, "{} bytes", r.body.len());
}

#[test]
fn a_video_with_a_refused_picture_is_refused_before_it_is_queued() {
    let s = TestServer::start(|_| {});
    let mut d = doc("video");
    d["props"]["sender"]["image"] = json!("http://127.0.0.1:9/me.png");
    let m = s
        .render(d.to_string().as_bytes())
        .error(400, "validation_failed");
    assert!(m.starts_with("Invalid image at props.sender.image"), "{m}");
    assert!(m.contains("internal address"), "{m}");

    // Frames too large for the encoders' memory.
    let mut d = doc("video");
    d["resolutionScale"] = json!("4x");
    let m = s
        .render(d.to_string().as_bytes())
        .error(400, "validation_failed");
    assert!(m.starts_with("Video too large at resolutionScale"), "{m}");

    // Too many pixels to encode in all.
    let mut d = doc("video");
    d["props"]["video"] = json!({"fps": 60});
    d["resolutionScale"] = json!("2x");
    let messages: Vec<Value> = (0..200)
        .map(|i| {
            json!({"id": format!("m{i}"), "type": "text", "userId": "sam",
                        "text": "hi", "timestamp": "2024-05-01T09:41:00Z", "delayMs": 2000})
        })
        .collect();
    d["props"]["messages"] = json!(messages);
    let m = s
        .render(d.to_string().as_bytes())
        .error(400, "validation_failed");
    assert!(m.starts_with("Video too large at props.video"), "{m}");
}

#[test]
fn one_key_cannot_fill_the_queue() {
    let s = TestServer::start(|c| {
        c.render_slots = 1;
        c.queue_capacity = 4;
    });
    let video = long_video(80);
    let mut accepted = 0;
    let mut refused = None;
    for _ in 0..4 {
        let r = s.render(&video);
        match r.status {
            202 => accepted += 1,
            _ => {
                refused = Some(r);
                break;
            }
        }
    }
    let r = refused.expect("the key's share of the queue ran out");
    let m = r.error(429, "rate_limited");
    assert!(m.contains("share of the queue"), "{m}");
    assert!(r.header("retry-after").is_some());
    // One rendering, the key's share (half the queue) waiting.
    assert_eq!(accepted, 3);
    let other = s.new_key();
    assert_eq!(
        s.render_with(&other, &video).status,
        202,
        "another key gets in"
    );
}

#[test]
fn a_timed_out_video_keeps_its_slot_until_its_work_has_stopped() {
    let s = TestServer::start(|c| {
        c.render_slots = 1;
        c.job_timeout_secs = 1;
    });
    let video = long_video(40);
    let ids: Vec<String> = (0..2)
        .map(|_| {
            let r = s.render(&video);
            assert_eq!(r.status, 202);
            r.json()["id"].as_str().unwrap().to_owned()
        })
        .collect();
    let started = Instant::now();
    for id in &ids {
        loop {
            let v = s.get(&format!("/api/v1/exports/{id}")).json();
            if v["status"] == "failed" {
                assert_eq!(v["error"], "Render timed out after 1 seconds");
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "{v}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let app = s.app();
    while app.video_renders.running() > 0 {
        assert!(started.elapsed() < Duration::from_secs(120));
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(app.video_renders.peak(), 1, "never more renders than slots");
}

#[test]
fn a_still_past_its_deadline_is_503_and_the_server_carries_on() {
    // A picture host that accepts connections and never answers.
    let host = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = host.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in host.incoming().flatten() {
            held.push(c);
        }
    });
    let s = TestServer::start(|c| {
        c.image_timeout_secs = 1;
        c.fetch_timeout_secs = 5;
        c.fetch_allow = vec!["127.0.0.1".to_owned()];
    });
    let mut d = doc("image");
    d["props"]["sender"]["image"] = json!(format!("http://127.0.0.1:{port}/slow.png"));
    let r = s.render(d.to_string().as_bytes());
    let m = r.error(503, "overloaded");
    assert!(m.contains("within 1 seconds"), "{m}");
    assert!(r.header("retry-after").is_some());
    assert_eq!(s.render(&small_payload("image")).status, 200);
}

#[test]
fn heavy_stills_hold_up_neither_other_keys_nor_their_own_ordinary_stills() {
    let s = TestServer::start(|c| {
        c.image_slots = 2;
        c.heavy_image_slots = 1;
        c.image_timeout_secs = 120;
    });
    // Heavy by its text (over 20,000 characters): it takes the heavy lane.
    let heavy = mockly_testkit::Doc::new()
        .scale("1x")
        .texts(1200, |i| format!("{i} {}", "word ".repeat(17)))
        .bytes();
    let ordinary = small_payload("image");
    let other = s.new_key();
    let started = Instant::now();
    std::thread::scope(|scope| {
        let heavies: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    assert_eq!(s.render(&heavy).status, 200);
                    started.elapsed()
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(s.render_with(&other, &ordinary).status, 200);
        let other_done = started.elapsed();
        assert_eq!(s.render(&ordinary).status, 200);
        let own_done = started.elapsed();
        let first_heavy = heavies
            .into_iter()
            .map(|h| h.join().unwrap())
            .min()
            .unwrap();
        // Both ordinary stills were served while the heavy ones still ran.
        assert!(
            other_done < first_heavy && own_done < first_heavy,
            "another key's still done at {other_done:?}, the heavy key's own at \
             {own_done:?}, the first heavy still at {first_heavy:?}"
        );
    });
}

#[test]
fn half_written_files_are_cleared_at_start() {
    let s = TestServer::start(|_| {});
    let leftover = s.dir.join("exports/.abc.mp4.partial");
    std::fs::write(&leftover, b"half a video").unwrap();
    let s = s.restart();
    assert!(!leftover.exists());
    assert_eq!(s.get("/healthz").status, 200);
}

#[test]
fn stored_files_stay_within_the_storage_budget() {
    let s = TestServer::start(|c| c.storage_max_bytes = 250_000);
    let mut ids = Vec::new();
    for _ in 0..8 {
        let r = s.render(&small_payload("image"));
        assert_eq!(r.status, 200);
        let v = r.json();
        ids.push((
            v["id"].as_str().unwrap().to_owned(),
            v["sizeBytes"].as_u64().unwrap(),
        ));
    }
    let total: u64 = ids.iter().map(|(_, size)| size).sum();
    assert!(
        total > 250_000,
        "the renders exceed the budget together ({total})"
    );
    let started = Instant::now();
    loop {
        let kept: u64 = ids
            .iter()
            .filter(|(id, _)| s.get(&format!("/api/v1/exports/{id}")).status == 200)
            .map(|(_, size)| size)
            .sum();
        if kept <= 250_000 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{kept} bytes kept"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The oldest went first; the newest is still there.
    s.get(&format!("/api/v1/exports/{}", ids[0].0))
        .error(404, "not_found");
    assert_eq!(s.get(&format!("/api/v1/exports/{}", ids[7].0)).status, 200);
}

/// A still's file and its row are written at the same time. The budget's check,
/// run by other requests, must not take the row before the file is in place: it
/// would find no file to remove, and the file would stay behind with no row.
#[test]
fn a_still_whose_file_is_being_written_is_not_swept_until_it_is_in_place() {
    use mockly_server::files::Files;
    let s = TestServer::start(|c| c.storage_max_bytes = 1);
    let app = s.app();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let key = rt
        .block_on(app.store.key_by_hash(&mockly_server::keys::hash(&s.key)))
        .unwrap()
        .unwrap();
    let id = "6f0c1b8e-0000-4000-8000-00000000cafe".to_owned();
    let name = Files::name(&id, "png");
    let png = vec![7u8; 1000];
    let storing = app.files.hold(&name);
    rt.block_on(app.store.record_image(mockly_server::store::NewImage {
        id: id.clone(),
        key_id: key.id,
        file: name.clone(),
        size: png.len() as i64,
        width: 1,
        height: 1,
        now: mockly_server::now(),
        month: mockly_server::month_bounds(mockly_server::now()).0,
        counted: false,
    }))
    .unwrap();
    // The row is there, over the budget, and its file is not written yet.
    assert_eq!(s.sweep(), 0, "a still being stored is left alone");
    assert_eq!(s.get(&format!("/api/v1/exports/{id}")).status, 200);
    rt.block_on(app.files.put(&name, png)).unwrap();
    drop(storing);
    let download = s.get(&format!("/api/v1/exports/{id}/download"));
    assert_eq!(download.status, 200, "the file is in place");
    // Once it is in place, the budget takes the row and the file together.
    assert_eq!(s.sweep(), 1);
    s.get(&format!("/api/v1/exports/{id}"))
        .error(404, "not_found");
    assert!(
        !s.dir.join("exports").join(&name).exists(),
        "the file went with its row"
    );
}

#[test]
fn an_if_range_that_cannot_match_gets_the_whole_file() {
    let s = TestServer::start(|_| {});
    let id = s.render(&small_payload("image")).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/exports/{id}/download");
    let part = s.get_with(Some(&s.key), &path, &[("Range", "bytes=0-9")]);
    assert_eq!(part.status, 206);
    let whole = s.get_with(
        Some(&s.key),
        &path,
        &[("Range", "bytes=0-9"), ("If-Range", "\"garbage\"")],
    );
    assert_eq!(whole.status, 200);
    assert!(whole.body.len() > 10);
}
