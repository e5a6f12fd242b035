//! Video jobs through the API: progress, completion, download, failure paths, and a
//! job surviving the server being killed mid-render.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Served, TestServer, agent, example, free_port};
use serde_json::{Value, json};

/// A short video payload (about 3 s at 1x).
fn short_video(transparent: bool) -> Vec<u8> {
    json!({
        "mockupType": "chats", "platform": "imessage", "renderKind": "video",
        "resolutionScale": "1x", "rendererVersion": "mockup-remotion-v1",
        "props": {
            "platform": "imessage", "transparentBackground": transparent,
            "sender": {"id": "me", "name": "Me"},
            "receivers": [{"id": "you", "name": "Sam"}],
            "messages": [
                {"id": "1", "type": "text", "userId": "you", "text": "Hey!", "timestamp": "2024-05-01T09:41:00Z"},
                {"id": "2", "type": "text", "userId": "me", "text": "Hi", "timestamp": "2024-05-01T09:42:00Z"}
            ],
            "video": {"startDelayMs": 200, "messageDelayMs": 400, "typingMs": 600, "endHoldMs": 800}
        }
    })
    .to_string()
    .into_bytes()
}

/// Polls an export until it leaves "rendering"; returns every body seen.
fn poll(s: &TestServer, id: &str, limit: Duration) -> Vec<Value> {
    let start = Instant::now();
    let mut seen = Vec::new();
    loop {
        let v = s.get(&format!("/api/v1/exports/{id}")).json();
        let done = v["status"] != "rendering";
        seen.push(v);
        if done {
            return seen;
        }
        assert!(start.elapsed() < limit, "still rendering after {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_video_renders_with_growing_progress_and_downloads() {
    let s = TestServer::start(|_| {});
    let r = s.render(&short_video(false));
    assert_eq!(r.status, 202);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let seen = poll(&s, &id, Duration::from_secs(120));
    let progress: Vec<f64> = seen
        .iter()
        .filter(|v| v["status"] == "rendering")
        .map(|v| {
            let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
            assert_eq!(keys.len(), 4, "{v}");
            v["progress"].as_f64().unwrap()
        })
        .collect();
    assert!(progress.windows(2).all(|w| w[0] <= w[1]), "{progress:?}");
    assert!(progress.iter().all(|p| (0.0..=1.0).contains(p)));
    let done = seen.last().unwrap();
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["format"], "mp4");
    let file = s.get_with(None, done["downloadUrl"].as_str().unwrap(), &[]);
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("video/mp4"));
    assert_eq!(file.body.len() as u64, done["sizeBytes"].as_u64().unwrap());
    let probe = ffprobe(&file.body, "mp4");
    assert_eq!(probe["streams"][0]["codec_name"], "h264");
    assert_eq!(probe["streams"][0]["width"], 390);
    assert_eq!(s.get("/api/v1/usage").json()["videos"]["used"], 1);

    // Seeking players ask for ranges.
    let part = s.get_with(
        Some(&s.key),
        &format!("/api/v1/exports/{id}/download"),
        &[("Range", "bytes=0-99")],
    );
    assert_eq!(part.status, 206);
    assert_eq!(part.body.len(), 100);
}

#[test]
fn transparent_videos_are_webm_with_alpha() {
    let s = TestServer::start(|_| {});
    let id = s.render(&short_video(true)).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let done = poll(&s, &id, Duration::from_secs(120)).pop().unwrap();
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["format"], "webm");
    let file = s.get(&format!("/api/v1/exports/{id}/download"));
    assert_eq!(file.header("content-type"), Some("video/webm"));
    let probe = ffprobe(&file.body, "webm");
    assert_eq!(probe["streams"][0]["codec_name"], "vp9");
    assert_eq!(probe["streams"][0]["tags"]["alpha_mode"], "1");
}

#[test]
fn the_payload_picks_gif_webp_or_mov_and_the_download_says_so() {
    let s = TestServer::start(|_| {});
    for (format, media_type, magic) in [
        ("gif", "image/gif", &b"GIF89a"[..]),
        ("webp", "image/webp", b"RIFF"),
        ("mov", "video/quicktime", b"\0\0\0\x14ftypqt"),
    ] {
        let mut doc: Value = serde_json::from_slice(&short_video(false)).unwrap();
        doc["props"]["video"]["format"] = json!(format);
        let r = s.render(doc.to_string().as_bytes());
        assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.json()["format"], format);
        let id = r.json()["id"].as_str().unwrap().to_owned();
        let done = poll(&s, &id, Duration::from_secs(120)).pop().unwrap();
        assert_eq!(done["status"], "completed", "{done}");
        assert_eq!(done["format"], format);
        let file = s.get_with(None, done["downloadUrl"].as_str().unwrap(), &[]);
        assert_eq!(file.status, 200);
        assert_eq!(file.header("content-type"), Some(media_type));
        assert_eq!(&file.body[..magic.len()], magic, "{format}");
        assert!(
            done["downloadUrl"]
                .as_str()
                .unwrap()
                .contains(&format!(".{format}?")),
            "{done}"
        );
    }
    // A format we do not make is refused with its field.
    let mut doc: Value = serde_json::from_slice(&short_video(false)).unwrap();
    doc["props"]["video"]["format"] = json!("avi");
    let r = s.render(doc.to_string().as_bytes());
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["field"], "props.video.format");
}

#[test]
fn the_timing_file_and_captions_come_with_the_video_under_signed_urls() {
    let s = TestServer::start(|_| {});
    let mut doc: Value = serde_json::from_slice(&short_video(false)).unwrap();
    doc["props"]["video"]["include"] = json!(["vtt", "timeline", "srt"]);
    let id = s.render(doc.to_string().as_bytes()).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let done = poll(&s, &id, Duration::from_secs(120)).pop().unwrap();
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["format"], "mp4", "the video itself is unchanged");
    let files = done["files"].as_array().unwrap();
    let kinds: Vec<&str> = files.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["timeline", "srt", "vtt"],
        "each once, in a fixed order"
    );
    let fetch = |kind: &str| {
        let f = files.iter().find(|f| f["kind"] == kind).unwrap();
        let url = f["downloadUrl"].as_str().unwrap();
        let reply = s.get_with(None, url, &[]);
        assert_eq!(reply.status, 200, "{url}");
        assert_eq!(reply.body.len() as u64, f["sizeBytes"].as_u64().unwrap());
        // The signature covers the name: another export's name is refused.
        let forged = url.replace(&id, "0123456789abcdef");
        assert_eq!(s.get_with(None, &forged, &[]).status, 403);
        (reply.header("content-type").map(str::to_owned), reply.body)
    };
    let (json_type, json_body) = fetch("timeline");
    assert_eq!(json_type.as_deref(), Some("application/json"));
    let timing: Value = serde_json::from_slice(&json_body).unwrap();
    let first = timing["messages"][0]["atMs"].as_f64().unwrap();
    // 200 ms start + 600 ms typing before Sam's "Hey!".
    assert_eq!(first, 800.0);
    assert_eq!(timing["messages"][1]["caption"], "Hi");
    let (srt_type, srt) = fetch("srt");
    assert_eq!(
        srt_type.as_deref(),
        Some("application/x-subrip; charset=utf-8")
    );
    assert!(
        String::from_utf8_lossy(&srt).starts_with("1\n00:00:00,800 --> "),
        "{}",
        String::from_utf8_lossy(&srt)
    );
    let (vtt_type, vtt) = fetch("vtt");
    assert_eq!(vtt_type.as_deref(), Some("text/vtt; charset=utf-8"));
    assert!(String::from_utf8_lossy(&vtt).contains("00:00:00.800 --> "));

    // Without `include`, no files are listed (the hosted API's fields only).
    let plain = s.render(&short_video(false)).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let done = poll(&s, &plain, Duration::from_secs(120)).pop().unwrap();
    assert!(done.get("files").is_none(), "{done}");
}

#[test]
fn a_job_over_the_time_limit_fails_with_the_documented_message() {
    let s = TestServer::start(|c| c.job_timeout_secs = 1);
    let mut long: Value = serde_json::from_slice(&example("imessage-long")).unwrap();
    long["renderKind"] = json!("video");
    let id = s.render(long.to_string().as_bytes()).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let done = poll(&s, &id, Duration::from_secs(60)).pop().unwrap();
    assert_eq!(
        done,
        json!({"id": id, "status": "failed", "renderKind": "video",
               "error": "Render timed out after 1 seconds"})
    );
    // Failed renders do not count.
    assert_eq!(s.get("/api/v1/usage").json()["videos"]["used"], 0);
}

#[test]
fn too_long_a_video_is_refused_at_submission() {
    let s = TestServer::start(|_| {});
    let mut doc: Value = serde_json::from_slice(&short_video(false)).unwrap();
    doc["props"]["video"]["endHoldMs"] = json!(60000);
    let messages: Vec<Value> = (0..20)
        .map(|i| {
            json!({"id": i.to_string(), "type": "text", "userId": "you", "text": "hi",
                        "timestamp": "2024-05-01T09:41:00Z", "delayMs": 40000})
        })
        .collect();
    doc["props"]["messages"] = json!(messages);
    let m = s
        .render(doc.to_string().as_bytes())
        .error(400, "validation_failed");
    assert!(m.starts_with("Video too long at props.messages"), "{m}");
}

fn spawn_server(dir: &std::path::Path, port: u16) -> (Served, Option<String>) {
    let one_slot = [("MOCKLY_RENDER_SLOTS", "1".to_owned())];
    let server = Served::spawn(dir, port, &one_slot, Stdio::null());
    server.wait_for("/healthz");
    let key = server.first_key(Duration::from_millis(200));
    (server, key)
}

#[test]
fn a_job_interrupted_by_kill_9_completes_after_restart() {
    let dir = std::env::temp_dir().join(format!("mockly-kill-{}", uuid::Uuid::new_v4()));
    let port = free_port();
    let (mut first, key) = spawn_server(&dir, port);
    let key = key.expect("first start prints a key");
    let auth = format!("Bearer {key}");
    let mut long: Value = serde_json::from_slice(&example("imessage-long")).unwrap();
    long["renderKind"] = json!("video");
    long["resolutionScale"] = json!("1x");
    let mut r = agent()
        .post(&format!("{}/api/v1/chat/render", first.base))
        .header("Authorization", &auth)
        .header("Content-Type", "application/json")
        .send(long.to_string().as_bytes())
        .unwrap();
    assert_eq!(r.status().as_u16(), 202);
    let v: Value = serde_json::from_slice(&r.body_mut().read_to_vec().unwrap()).unwrap();
    let status_url = v["statusUrl"].as_str().unwrap().to_owned();
    let progress = |base: &str| -> Value {
        let url = status_url.replace(&first_base(&status_url), base);
        let mut r = agent()
            .get(&url)
            .header("Authorization", &auth)
            .call()
            .unwrap();
        serde_json::from_slice(&r.body_mut().read_to_vec().unwrap()).unwrap()
    };
    // Wait until it is well under way, then kill the process outright.
    let start = Instant::now();
    loop {
        let v = progress(&first.base);
        if v["progress"].as_f64().unwrap_or(0.0) > 0.05 {
            break;
        }
        assert_eq!(
            v["status"], "rendering",
            "finished too soon to interrupt: {v}"
        );
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(50));
    }
    first.child.kill().unwrap(); // SIGKILL
    first.child.wait().unwrap();

    let (mut second, no_key) = spawn_server(&dir, port);
    assert!(no_key.is_none(), "the key survived the restart");
    let start = Instant::now();
    let done = loop {
        let v = progress(&second.base);
        if v["status"] != "rendering" {
            break v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(180),
            "never finished: {v}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(done["status"], "completed", "{done}");
    let mut file = agent()
        .get(done["downloadUrl"].as_str().unwrap())
        .call()
        .unwrap();
    assert_eq!(file.status().as_u16(), 200);
    let bytes = file
        .body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_vec()
        .unwrap();
    assert_eq!(ffprobe(&bytes, "mp4")["streams"][0]["codec_name"], "h264");
    second.child.kill().unwrap();
    second.child.wait().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

/// `http://host:port` of a URL.
fn first_base(url: &str) -> String {
    let rest = url.trim_start_matches("http://");
    format!("http://{}", rest.split('/').next().unwrap())
}

fn ffprobe(bytes: &[u8], ext: &str) -> Value {
    let path = std::env::temp_dir().join(format!("mockly-probe-{}.{ext}", uuid::Uuid::new_v4()));
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_streams",
            "-show_format",
        ])
        .arg(&path)
        .output()
        .expect("ffprobe is installed (.ci/setup)");
    let _ = std::fs::remove_file(path);
    serde_json::from_slice(&out.stdout).unwrap()
}
