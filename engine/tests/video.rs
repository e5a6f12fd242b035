//! Videos decoded back: container, codec, pixel format, size, length and frame count;
//! for WebM, that alpha survives (transparent around the bubbles, opaque inside).
//! Needs the `video` feature (on in a workspace build) and the `ffmpeg`/`ffprobe`
//! tools, which `.ci/setup` installs.
#![cfg(feature = "video")]

use std::path::{Path, PathBuf};
use std::process::Command;

use mockly_engine::video::Container;
use mockly_engine::{Cancel, Engine, Payload};
use mockly_testkit::Doc;
use serde_json::{Value, json};

fn payload(transparent: bool) -> Payload {
    let doc = Doc::new()
        .video()
        .text("you", "Hey! Ready for the trip?")
        .text("me", "Packing now")
        .set("props.transparentBackground", json!(transparent))
        .set("props.showHeader", json!(!transparent))
        .set("props.showFooter", json!(!transparent))
        .set("props.showDeviceStatus", json!(!transparent))
        .set(
            "props.video",
            json!({"fps": 30, "startDelayMs": 300, "messageDelayMs": 500, "typingMs": 700, "endHoldMs": 1000}),
        );
    Payload::from_json(&doc.bytes()).unwrap()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mockly-video-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// `ffprobe` fields of the first video stream and the container.
fn probe(path: &Path) -> Value {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-print_format", "json"])
        .args(["-show_streams", "-show_format"])
        .arg(path)
        .output()
        .expect("ffprobe is installed (.ci/setup)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// One decoded frame as RGBA (WebM decoded with libvpx, which keeps alpha).
fn frame_rgba(path: &Path, n: u64, libvpx: bool) -> image::RgbaImage {
    let png = path.with_extension(format!("frame{n}.png"));
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-v", "error", "-y"]);
    if libvpx {
        cmd.args(["-c:v", "libvpx-vp9"]);
    }
    let status = cmd
        .arg("-i")
        .arg(path)
        .args([
            "-vf",
            &format!("select=eq(n\\,{n})"),
            "-frames:v",
            "1",
            "-pix_fmt",
            "rgba",
        ])
        .arg(&png)
        .status()
        .unwrap();
    assert!(status.success());
    image::open(&png).unwrap().to_rgba8()
}

#[test]
fn mp4_is_h264_yuv420p_of_the_right_size_and_length() {
    let engine = Engine::new();
    let p = payload(false);
    let out = temp("chat.mp4");
    let mut seen = Vec::new();
    let info = engine
        .render_video(
            &p,
            &out,
            &mut |pr| seen.push(pr.frames_done),
            &Cancel::new(),
        )
        .unwrap();
    assert_eq!(info.container, Container::Mp4);
    // 300 + 700 typing + 500 pause + 700 typing + 1000 hold = 3.2 s → 96 frames.
    assert_eq!(info.frames, 96);
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "progress only grows");
    assert_eq!(seen.last(), Some(&96));

    let v = probe(&out);
    let s = &v["streams"][0];
    assert_eq!(s["codec_name"], "h264");
    assert_eq!(s["pix_fmt"], "yuv420p");
    assert_eq!(
        (s["width"].as_u64(), s["height"].as_u64()),
        (Some(390), Some(844))
    );
    assert_eq!(s["nb_read_frames"], "96");
    assert_eq!(s["r_frame_rate"], "30/1");
    assert_eq!(s["color_space"], "bt709");
    let duration: f64 = v["format"]["duration"].as_str().unwrap().parse().unwrap();
    assert!((duration - 3.2).abs() < 0.05, "duration {duration}");
    assert!(v["format"]["format_name"].as_str().unwrap().contains("mp4"));

    // The last frame shows the sent message in iMessage blue, on the right.
    let last = frame_rgba(&out, 95, false);
    let blue = last
        .enumerate_pixels()
        .filter(|(x, _, p)| *x > 200 && p.0[2] > 200 && p.0[0] < 60 && p.0[1] > 100 && p.0[1] < 160)
        .count();
    assert!(blue > 500, "blue bubble pixels: {blue}");
    // faststart: the index (moov) comes before the media data (mdat).
    let bytes = std::fs::read(&out).unwrap();
    let find = |tag: &[u8]| bytes.windows(4).position(|w| w == tag).unwrap();
    assert!(find(b"moov") < find(b"mdat"));
}

#[test]
fn webm_keeps_alpha_transparent_around_and_opaque_inside_bubbles() {
    let engine = Engine::new();
    let out = temp("chat.webm");
    let info = engine
        .render_video(&payload(true), &out, &mut |_| {}, &Cancel::new())
        .unwrap();
    assert_eq!(info.container, Container::WebmAlpha);

    let v = probe(&out);
    let s = &v["streams"][0];
    assert_eq!(s["codec_name"], "vp9");
    assert_eq!(
        s["tags"]["alpha_mode"], "1",
        "alpha flagged in the container"
    );
    assert_eq!(s["nb_read_frames"], info.frames.to_string());

    let last = frame_rgba(&out, info.frames - 1, true);
    // Top-left corner: nothing there.
    assert_eq!(
        last.get_pixel(2, 2).0[3],
        0,
        "transparent around the bubbles"
    );
    let opaque_blue = last
        .pixels()
        .filter(|p| p.0[3] == 255 && p.0[2] > 200 && p.0[0] < 60)
        .count();
    assert!(opaque_blue > 300, "opaque bubble pixels: {opaque_blue}");
}

#[test]
fn a_stopped_render_reports_cancelled() {
    let engine = Engine::new();
    let out = temp("stopped.mp4");
    let cancel = Cancel::new();
    let stop = cancel.clone();
    let err = engine
        .render_video(
            &payload(false),
            &out,
            &mut |p| {
                if p.frames_done >= 10 {
                    stop.cancel();
                }
            },
            &cancel,
        )
        .unwrap_err();
    assert_eq!(err, mockly_engine::Error::Cancelled);
    // Raised before it starts, the render stops before any layout.
    let err = engine
        .render_video(&payload(false), &out, &mut |_| {}, &cancel)
        .unwrap_err();
    assert_eq!(err, mockly_engine::Error::Cancelled);
}
