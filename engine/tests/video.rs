//! Videos decoded back: container, codec, pixel format, size, length and frame count;
//! for WebM, that alpha survives (transparent around the bubbles, opaque inside).
//! Needs the `video` feature (on in a workspace build) and the `ffmpeg`/`ffprobe`
//! tools, which `.ci/setup` installs.
#![cfg(feature = "video")]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use mockly_engine::video::{Container, Frame};
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
    assert_eq!(info.container, Container::MP4);
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

/// The largest mean difference of any 16×16 block between painted (premultiplied
/// RGBA) and decoded (straight RGBA) pixels, in luma plus alpha levels: luma,
/// because 4:2:0 chroma smears colour at the edges of small text in every encoder.
fn worst_block(painted: &[u8], decoded: &[u8], w: usize, h: usize) -> f64 {
    let luma = |p: &[u8], a: f64| {
        (0.2126 * f64::from(p[0]) + 0.7152 * f64::from(p[1]) + 0.0722 * f64::from(p[2])) * a
    };
    let mut worst = 0.0f64;
    for by in (0..h).step_by(16) {
        for bx in (0..w).step_by(16) {
            let (mut sum, mut count) = (0.0, 0.0);
            for y in by..(by + 16).min(h) {
                for x in bx..(bx + 16).min(w) {
                    let i = (y * w + x) * 4;
                    let (a, b) = (&painted[i..i + 4], &decoded[i..i + 4]);
                    sum += (luma(a, 1.0) - luma(b, f64::from(b[3]) / 255.0)).abs()
                        + f64::from(a[3].abs_diff(b[3]));
                    count += 1.0;
                }
            }
            worst = worst.max(sum / count);
        }
    }
    worst
}

/// Every frame of the file, decoded in order, against the frames the engine paints
/// whole (a repeat shows the frame painted before it): no frame is stale, shifted,
/// lost or doubled. A render repaints only the rows that changed, reuses the
/// encoder's pictures and sends a repeat's picture again, so a mix-up would show
/// here as a block of another frame.
fn every_frame_matches_the_painted_ones(p: &Payload, name: &str, tolerance: f64) {
    let engine = Engine::new();
    let out = temp(name);
    engine
        .render_video(p, &out, &mut |_| {}, &Cancel::new())
        .unwrap();
    let raw = engine.capture_frames(p).unwrap();
    let (w, h) = (raw.width as usize, raw.height as usize);
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-v", "error"]);
    if name.ends_with(".webm") {
        // FFmpeg's own VP9 decoder drops the alpha channel.
        cmd.args(["-c:v", "libvpx-vp9"]);
    }
    let mut child = cmd
        .arg("-i")
        .arg(&out)
        .args([
            "-vf",
            "scale=in_color_matrix=bt709:in_range=tv:out_range=pc",
        ])
        .args(["-f", "rawvideo", "-pix_fmt", "rgba", "-"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut decoded = vec![0u8; w * h * 4];
    let mut before = vec![0u8; w * h * 4];
    let webm = name.ends_with(".webm");
    // WebM: the frames written as one byte, which show the frame before again.
    let shown_again: Vec<bool> = if webm {
        packet_sizes(&out).iter().map(|&s| s == 1).collect()
    } else {
        Vec::new()
    };
    let mut painted: Vec<&[u8]> = Vec::new();
    for f in &raw.frames {
        painted.push(match f {
            Frame::Pixels(px) => px,
            Frame::Repeat => painted.last().copied().unwrap(),
        });
    }
    let (mut worst, mut changes, mut told_apart) = (0.0f64, 0, 0);
    for n in 0..painted.len() {
        stdout
            .read_exact(&mut decoded)
            .unwrap_or_else(|e| panic!("{name}: frame {n} of {}: {e}", painted.len()));
        worst = worst.max(worst_block(painted[n], &decoded, w, h));
        // A WebM repeat is a VP9 frame that shows the last one again: exactly it.
        if shown_again.get(n) == Some(&true) {
            assert!(
                decoded == before,
                "{name}: repeat {n} is not the frame before"
            );
        }
        std::mem::swap(&mut decoded, &mut before);
        // The test can tell frames apart: where the next painted frame differs,
        // the decoded one is far from it.
        if n + 1 < painted.len() && painted[n + 1] != painted[n] {
            changes += 1;
            if worst_block(painted[n + 1], &before, w, h) > tolerance {
                told_apart += 1;
            }
        }
    }
    assert_eq!(
        stdout.read(&mut [0u8; 1]).unwrap(),
        0,
        "{name}: extra frames"
    );
    assert!(child.wait().unwrap().success());
    assert!(
        worst < tolerance,
        "{name}: a block differs by {worst:.1} levels"
    );
    assert!(
        changes > 20 && told_apart * 3 >= changes * 2,
        "{name}: {told_apart} of {changes}"
    );
    if webm {
        // Each repeat cost one byte (and one for its alpha), not an encode; the
        // render finds at least the repeats the timeline knows of (it also finds
        // frames whose changes paint nothing).
        let repeats = raw.frames.iter().filter(|f| matches!(f, Frame::Repeat));
        let (repeats, ones) = (repeats.count(), shown_again.iter().filter(|&&s| s).count());
        assert!(
            repeats > 10 && ones >= repeats,
            "{name}: {ones} of {repeats}"
        );
    }
}

/// The size of every video packet in the file, in order.
fn packet_sizes(path: &Path) -> Vec<usize> {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0"])
        .args(["-show_entries", "packet=size", "-of", "csv=p=0"])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        // A packet with alpha is followed by its side data's fields.
        .filter_map(|l| l.split(',').next()?.trim().parse().ok())
        .collect()
}

#[test]
fn every_frame_of_a_video_is_the_one_painted_whole() {
    // Mean levels (of 255) in a 16×16 block: H.264 at qp 18 is near lossless;
    // VP9 at crf 30 less so.
    every_frame_matches_the_painted_ones(&payload_as(false, "mp4"), "every.mp4", 4.0);
    every_frame_matches_the_painted_ones(&payload_as(false, "webm"), "every.webm", 7.0);
    // Alpha is a second VP9 stream as lossy as the colour: a fading bubble's
    // edges reach 9.5 (as much painted whole as in changed rows only).
    every_frame_matches_the_painted_ones(&payload(true), "every-clear.webm", 12.0);
    // Wallpapers, gradients pinned to the screen, blurred bars.
    for platform in ["whatsapp", "messenger", "telegram", "instagram", "signal"] {
        let doc = Doc::new()
            .platform(platform)
            .video()
            .text("you", "Hey! Ready for the trip?")
            .text("me", "Packing now")
            .text("you", "See you at the station 🚆")
            .set(
                "props.video",
                json!({"fps": 30, "startDelayMs": 300, "messageDelayMs": 500, "typingMs": 700, "endHoldMs": 500}),
            );
        let p = Payload::from_json(&doc.bytes()).unwrap();
        every_frame_matches_the_painted_ones(&p, &format!("every-{platform}.mp4"), 4.0);
    }
}

#[test]
fn webm_keeps_alpha_transparent_around_and_opaque_inside_bubbles() {
    let engine = Engine::new();
    let out = temp("chat.webm");
    let info = engine
        .render_video(&payload(true), &out, &mut |_| {}, &Cancel::new())
        .unwrap();
    assert_eq!(info.container, Container::WEBM_ALPHA);

    let v = probe(&out);
    let s = &v["streams"][0];
    assert_eq!(s["codec_name"], "vp9");
    // Browsers read the track's AlphaMode element (ID 0x53C0, one byte: 1);
    // FFmpeg reports it as this tag.
    assert_eq!(s["tags"]["alpha_mode"], "1", "{}", s["tags"]);
    let file = std::fs::read(&out).unwrap();
    assert!(
        file.windows(4).any(|w| w == [0x53, 0xC0, 0x81, 0x01]),
        "alpha flagged in the track"
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

/// A player that seeks in a transparent WebM starts decoding at a keyframe: the
/// alpha stream (encoded apart from the colour) must have one at the same frame, or
/// the picture comes back without its alpha after the seek.
#[test]
fn a_transparent_webm_seeks_to_keyframes_with_their_alpha() {
    let mut doc = Doc::new().video();
    for i in 0..5 {
        doc = doc.text(
            if i % 2 == 0 { "you" } else { "me" },
            "On my way, see you soon",
        );
    }
    let doc = doc
        .set("props.transparentBackground", json!(true))
        .set("props.showHeader", json!(false))
        .set("props.showFooter", json!(false))
        .set("props.showDeviceStatus", json!(false))
        .set(
            "props.video",
            json!({"fps": 30, "startDelayMs": 300, "messageDelayMs": 500, "typingMs": 700, "endHoldMs": 500}),
        );
    let p = Payload::from_json(&doc.bytes()).unwrap();
    let engine = Engine::new();
    let out = temp("seek.webm");
    engine
        .render_video(&p, &out, &mut |_| {}, &Cancel::new())
        .unwrap();
    let listed = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0"])
        .args(["-show_entries", "packet=pts_time,flags", "-of", "csv=p=0"])
        .arg(&out)
        .output()
        .unwrap();
    // `time,flags` and, for a packet with alpha, its side data's fields.
    let packets: Vec<(String, bool)> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| {
            let mut fields = l.split(',');
            Some((fields.next()?.to_owned(), fields.next()?.starts_with('K')))
        })
        .collect();
    let keys: Vec<usize> = (0..packets.len()).filter(|&n| packets[n].1).collect();
    assert!(
        keys.len() >= 2 && keys[0] == 0 && keys[1] >= 128,
        "{keys:?}"
    );

    let raw = engine.capture_frames(&p).unwrap();
    let (w, h) = (raw.width as usize, raw.height as usize);
    let n = keys[1];
    let painted = raw.frames[..=n]
        .iter()
        .rev()
        .find_map(|f| match f {
            Frame::Pixels(px) => Some(px),
            Frame::Repeat => None,
        })
        .unwrap();
    let decoded = Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-ss",
            &packets[n].0,
            "-c:v",
            "libvpx-vp9",
            "-i",
        ])
        .arg(&out)
        .args(["-frames:v", "1", "-vf"])
        .arg("scale=in_color_matrix=bt709:in_range=tv:out_range=pc")
        .args(["-f", "rawvideo", "-pix_fmt", "rgba", "-"])
        .output()
        .unwrap();
    assert!(decoded.status.success() && decoded.stdout.len() == w * h * 4);
    assert_eq!(decoded.stdout[3], 0, "transparent around the bubbles");
    let worst = worst_block(painted, &decoded.stdout, w, h);
    assert!(
        worst < 12.0,
        "frame {n} after the seek differs by {worst:.1}"
    );
}

/// The payload with `props.video.format` set.
fn payload_as(transparent: bool, format: &str) -> Payload {
    let mut v: Value = serde_json::to_value(payload(transparent).export()).unwrap();
    v["props"]["video"]["format"] = json!(format);
    Payload::from_json(&serde_json::to_vec(&v).unwrap()).unwrap()
}

/// Frames of an animated GIF or WebP decoded by the `image` crate: their count,
/// total length in milliseconds, and the last one.
fn animation(path: &Path) -> (usize, f64, image::RgbaImage) {
    use image::AnimationDecoder;
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let frames = if path.extension().is_some_and(|e| e == "gif") {
        image::codecs::gif::GifDecoder::new(file)
            .unwrap()
            .into_frames()
            .collect_frames()
            .unwrap()
    } else {
        image::codecs::webp::WebPDecoder::new(file)
            .unwrap()
            .into_frames()
            .collect_frames()
            .unwrap()
    };
    let ms: f64 = frames
        .iter()
        .map(|f| {
            let (n, d) = f.delay().numer_denom_ms();
            f64::from(n) / f64::from(d)
        })
        .sum();
    let last = frames.last().unwrap().buffer().clone();
    (frames.len(), ms, last)
}

/// Pixels of iMessage's blue bubble (opaque).
fn blue_pixels(img: &image::RgbaImage) -> usize {
    img.pixels()
        .filter(|p| p.0[3] == 255 && p.0[2] > 200 && p.0[0] < 60 && p.0[1] > 100 && p.0[1] < 160)
        .count()
}

/// The same payload gives the same file, byte for byte, in every format (WebM's
/// muxer writes a random segment ID unless told to be bit-exact).
#[test]
fn every_format_gives_the_same_bytes_every_time() {
    let engine = Engine::new();
    for (transparent, format) in [
        (false, "mp4"),
        (false, "webm"),
        (true, "webm"),
        (true, "mov"),
        (true, "gif"),
        (true, "webp"),
    ] {
        let p = payload_as(transparent, format);
        let bytes: Vec<Vec<u8>> = (0..2)
            .map(|i| {
                let out = temp(&format!("same-{transparent}-{i}.{format}"));
                engine
                    .render_video(&p, &out, &mut |_| {}, &Cancel::new())
                    .unwrap();
                std::fs::read(&out).unwrap()
            })
            .collect();
        assert!(
            bytes[0] == bytes[1],
            "{format} (transparent: {transparent})"
        );
    }
}

#[test]
fn the_payload_and_the_file_name_choose_the_format() {
    use mockly_engine::payload::VideoFormat;
    assert_eq!(Container::of(&payload(false)), Container::MP4);
    assert_eq!(Container::of(&payload(true)), Container::WEBM_ALPHA);
    let gif = Container::of(&payload_as(false, "gif"));
    assert_eq!((gif.format, gif.alpha), (VideoFormat::Gif, false));
    assert_eq!(gif.media_type(), "image/gif");
    // ProRes 4444 always carries alpha; MP4 never does (and says so).
    assert!(Container::of(&payload_as(false, "mov")).alpha);
    let p = payload_as(true, "mp4");
    assert!(!Container::of(&p).alpha);
    let (_, warnings) = Engine::new().timeline(&p).unwrap();
    assert!(
        warnings.iter().any(|w| w.path == "props.video.format"),
        "{warnings:?}"
    );
    assert_eq!(
        Container::format_of_extension("WEBP"),
        Some(VideoFormat::Webp)
    );
    assert_eq!(Container::format_of_extension("avi"), None);
    let bad = serde_json::to_vec(&{
        let mut v: Value = serde_json::to_value(payload(false).export()).unwrap();
        v["props"]["video"]["format"] = json!("avi");
        v
    })
    .unwrap();
    let err = Payload::from_json(&bad).unwrap_err();
    assert_eq!(err.path, "props.video.format", "{err}");
}

#[test]
fn opaque_webm_is_vp9_without_alpha() {
    let out = temp("opaque.webm");
    let info = Engine::new()
        .render_video(
            &payload_as(false, "webm"),
            &out,
            &mut |_| {},
            &Cancel::new(),
        )
        .unwrap();
    let v = probe(&out);
    let s = &v["streams"][0];
    assert_eq!(s["codec_name"], "vp9");
    assert_eq!(s["pix_fmt"], "yuv420p");
    assert!(s["tags"]["alpha_mode"].is_null(), "no alpha flagged");
    assert_eq!(s["nb_read_frames"], info.frames.to_string());
}

#[test]
fn mov_is_prores_4444_with_alpha_of_the_right_length() {
    let engine = Engine::new();
    let out = temp("chat.mov");
    let info = engine
        .render_video(&payload_as(true, "mov"), &out, &mut |_| {}, &Cancel::new())
        .unwrap();
    let v = probe(&out);
    let s = &v["streams"][0];
    assert_eq!(s["codec_name"], "prores");
    assert_eq!(s["profile"], "4444");
    assert!(
        s["pix_fmt"].as_str().unwrap().starts_with("yuva444p"),
        "{}",
        s["pix_fmt"]
    );
    assert_eq!(
        (s["width"].as_u64(), s["height"].as_u64()),
        (Some(390), Some(844))
    );
    // Every frame is in the file, repeated ones as copies of their packet.
    assert_eq!(s["nb_read_frames"], info.frames.to_string());
    let duration: f64 = v["format"]["duration"].as_str().unwrap().parse().unwrap();
    assert!((duration - 3.2).abs() < 0.05, "duration {duration}");

    let last = frame_rgba(&out, info.frames - 1, false);
    assert_eq!(
        last.get_pixel(2, 2).0[3],
        0,
        "transparent around the bubbles"
    );
    assert!(blue_pixels(&last) > 300, "opaque bubble pixels");
    // An opaque background is opaque everywhere.
    let opaque = temp("opaque.mov");
    engine
        .render_video(
            &payload_as(false, "mov"),
            &opaque,
            &mut |_| {},
            &Cancel::new(),
        )
        .unwrap();
    let first = frame_rgba(&opaque, 0, false);
    assert!(first.pixels().all(|p| p.0[3] == 255));
}

#[test]
fn gif_and_webp_play_for_the_video_s_length_with_holds_folded() {
    let engine = Engine::new();
    for (format, transparent) in [
        ("gif", false),
        ("gif", true),
        ("webp", false),
        ("webp", true),
    ] {
        let out = temp(&format!("chat-{transparent}.{format}"));
        let info = engine
            .render_video(
                &payload_as(transparent, format),
                &out,
                &mut |_| {},
                &Cancel::new(),
            )
            .unwrap();
        assert_eq!(info.container.extension(), format);
        let (frames, ms, last) = animation(&out);
        assert!(
            (ms - info.duration_ms).abs() <= 10.0,
            "{format}: plays {ms} ms, the video is {} ms",
            info.duration_ms
        );
        // Holds and pauses are one long frame, not thirty identical ones.
        assert!(
            frames < info.frames as usize,
            "{format}: {frames} frames for {} video frames",
            info.frames
        );
        assert_eq!(last.dimensions(), (390, 844));
        assert!(
            blue_pixels(&last) > 300,
            "{format}: the sent bubble is blue"
        );
        let corner = last.get_pixel(2, 2).0[3];
        assert_eq!(
            corner,
            if transparent { 0 } else { 255 },
            "{format} corner alpha"
        );
    }
}

#[test]
fn a_gif_keeps_the_conversation_s_colours_exact() {
    let engine = Engine::new();
    let p = payload_as(false, "gif");
    let out = temp("colours.gif");
    engine
        .render_video(&p, &out, &mut |_| {}, &Cancel::new())
        .unwrap();
    let (_, _, last) = animation(&out);
    // The video's last frame, painted directly: the GIF's background and bubble
    // colours are the same bytes, whatever else the palette approximates.
    let (timeline, _) = engine.timeline(&p).unwrap();
    let t = timeline.frame_time(timeline.frame_count - 1);
    let painted = engine.paint(&timeline.scene_at(t)).unwrap();
    let at = |x: u32, y: u32| {
        let i = (y as usize * 390 + x as usize) * 4;
        [
            painted.data()[i],
            painted.data()[i + 1],
            painted.data()[i + 2],
        ]
    };
    let same = last
        .enumerate_pixels()
        .filter(|(x, y, p)| p.0[..3] == at(*x, *y))
        .count();
    let share = same as f64 / (390.0 * 844.0);
    assert!(share > 0.9, "{share:.3} of the pixels exact");
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

/// The sound track decoded back: mono f32 samples at 48 kHz.
fn audio(path: &Path) -> Vec<f32> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-vn", "-f", "f32le", "-ac", "1", "-ar", "48000", "-"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

fn rms(s: &[f32]) -> f32 {
    (s.iter().map(|v| v * v).sum::<f32>() / s.len().max(1) as f32).sqrt()
}

/// The payload with sound on, as `format`.
fn with_sound(transparent: bool, format: &str) -> Payload {
    let mut v: Value = serde_json::to_value(payload_as(transparent, format).export()).unwrap();
    v["props"]["video"]["sound"] = json!(true);
    // A long pause before the reply, to hear the silence between the cues.
    v["props"]["video"]["messageDelayMs"] = json!(1500);
    Payload::from_json(&serde_json::to_vec(&v).unwrap()).unwrap()
}

#[test]
fn sound_is_on_the_message_frames_and_silent_between_in_every_format_that_has_it() {
    let engine = Engine::new();
    for (format, codec) in [("mp4", "aac"), ("webm", "opus"), ("mov", "pcm_s16le")] {
        let out = temp(&format!("sound.{format}"));
        let info = engine
            .render_video(
                &with_sound(format == "webm", format),
                &out,
                &mut |_| {},
                &Cancel::new(),
            )
            .unwrap();
        let v = probe(&out);
        let streams = v["streams"].as_array().unwrap();
        let a = streams
            .iter()
            .find(|s| s["codec_type"] == "audio")
            .unwrap_or_else(|| panic!("{format}: no sound track: {v}"));
        assert_eq!(a["codec_name"], codec);
        assert_eq!(a["sample_rate"], "48000");
        let samples = audio(&out);
        let seconds = samples.len() as f64 / 48_000.0;
        assert!(
            (seconds * 1000.0 - info.duration_ms).abs() < 40.0,
            "{format}: {seconds} s of sound for {} ms of video",
            info.duration_ms
        );
        let window = |from_ms: f64, to_ms: f64| {
            let at = |ms: f64| ((ms * 48.0) as usize).min(samples.len());
            rms(&samples[at(from_ms)..at(to_ms)])
        };
        let timing = &info.timing;
        for m in &timing.messages {
            let loud = window(m.at_ms, m.at_ms + 120.0);
            assert!(loud > 0.03, "{format}: a cue at {} ms: rms {loud}", m.at_ms);
            // Nothing before the cue: the sound starts on the message's frame.
            let before = window(m.at_ms - 150.0, m.at_ms - 30.0);
            let typing = timing.typing.iter().any(|s| {
                s.place == "composer" && s.end_ms > m.at_ms - 160.0 && s.start_ms < m.at_ms
            });
            if !typing {
                assert!(
                    before < 0.003,
                    "{format}: before {} ms: rms {before}",
                    m.at_ms
                );
            }
        }
        // The typing ticks of the owner's draft, softer than the cues.
        let draft = timing
            .typing
            .iter()
            .find(|s| s.place == "composer")
            .unwrap();
        let ticks = window(draft.start_ms, draft.end_ms);
        assert!(ticks > 0.002 && ticks < 0.05, "{format}: ticks rms {ticks}");
        // The end hold is silent once the last sound has rung out.
        let quiet = window(timing.hold.start_ms + 600.0, timing.duration_ms - 20.0);
        assert!(quiet < 0.003, "{format}: hold rms {quiet}");
    }
}

#[test]
fn without_sound_there_is_no_sound_track_and_gif_says_it_has_none() {
    let engine = Engine::new();
    let out = temp("silent.mp4");
    engine
        .render_video(&payload(false), &out, &mut |_| {}, &Cancel::new())
        .unwrap();
    let v = probe(&out);
    assert_eq!(v["streams"].as_array().unwrap().len(), 1, "video only");
    let gif = temp("sound.gif");
    let info = engine
        .render_video(&with_sound(false, "gif"), &gif, &mut |_| {}, &Cancel::new())
        .unwrap();
    assert!(
        info.warnings.iter().any(|w| w.path == "props.video.sound"),
        "{:?}",
        info.warnings
    );
}

/// A mono 16-bit WAV of a 440 Hz sine at 44.1 kHz, `seconds` long, as a data URL.
fn wav_data_url(seconds: f64) -> String {
    use base64::Engine as _;
    let rate = 44_100u32;
    let n = (seconds * f64::from(rate)) as u32;
    let mut w = Vec::new();
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&(36 + n * 2).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes()); // PCM
    w.extend_from_slice(&1u16.to_le_bytes()); // mono
    w.extend_from_slice(&rate.to_le_bytes());
    w.extend_from_slice(&(rate * 2).to_le_bytes());
    w.extend_from_slice(&2u16.to_le_bytes());
    w.extend_from_slice(&16u16.to_le_bytes());
    w.extend_from_slice(b"data");
    w.extend_from_slice(&(n * 2).to_le_bytes());
    for i in 0..n {
        let v = (f64::from(i) * 440.0 * std::f64::consts::TAU / f64::from(rate)).sin();
        w.extend_from_slice(&((v * 16_000.0) as i16).to_le_bytes());
    }
    format!(
        "data:audio/wav;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(w)
    )
}

#[test]
fn a_music_bed_loops_under_the_video_and_ducks_under_the_cues() {
    let engine = Engine::new();
    let mut v: Value = serde_json::to_value(with_sound(false, "mp4").export()).unwrap();
    // One second of music under a video of several: it loops.
    v["props"]["video"]["music"] = json!({"src": wav_data_url(1.0), "volume": 0.5});
    let p = Payload::from_json(&serde_json::to_vec(&v).unwrap()).unwrap();
    let out = temp("music.mp4");
    let info = engine
        .render_video(&p, &out, &mut |_| {}, &Cancel::new())
        .unwrap();
    let samples = audio(&out);
    let window = |from_ms: f64, to_ms: f64| {
        let at = |ms: f64| ((ms * 48.0) as usize).min(samples.len());
        rms(&samples[at(from_ms)..at(to_ms)])
    };
    // 0.5 × a sine at 16000/32768: rms ≈ 0.17 where nothing else sounds.
    let hold = &info.timing.hold;
    let free = window(hold.start_ms + 800.0, info.duration_ms - 50.0);
    assert!((0.12..0.22).contains(&free), "music in the hold: {free}");
    let early = window(30.0, 250.0);
    assert!(
        (0.12..0.22).contains(&early),
        "music from the start: {early}"
    );
    // Under the first cue the music drops to a third; what is left there, with
    // the cue itself, is louder than silence but the music is not simply added.
    let first = info.timing.messages[0].at_ms;
    let with_cue = window(first + 60.0, first + 200.0);
    assert!(with_cue > 0.05, "{with_cue}");

    // Music without the cues still makes a sound track.
    v["props"]["video"]["sound"] = json!(false);
    let p = Payload::from_json(&serde_json::to_vec(&v).unwrap()).unwrap();
    let out = temp("music-only.mp4");
    engine
        .render_video(&p, &out, &mut |_| {}, &Cancel::new())
        .unwrap();
    let music_only = audio(&out);
    let at = |ms: f64| (ms * 48.0) as usize;
    let under = rms(&music_only[at(first + 60.0)..at(first + 200.0)]);
    assert!((0.12..0.22).contains(&under), "no cue, no ducking: {under}");

    // A file that is not audio is the client's error, naming the field.
    v["props"]["video"]["music"] = json!({"src": "data:audio/mpeg;base64,bm90IGF1ZGlv"});
    let p = Payload::from_json(&serde_json::to_vec(&v).unwrap()).unwrap();
    let err = engine
        .render_video(&p, &temp("bad-music.mp4"), &mut |_| {}, &Cancel::new())
        .unwrap_err();
    assert!(err.is_client_error(), "{err}");
    assert_eq!(err.path(), Some("props.video.music.src"), "{err}");
}

#[test]
fn a_60_fps_gif_keeps_every_delay_browsers_honour_and_its_length() {
    use image::AnimationDecoder;
    let mut v: Value = serde_json::to_value(payload_as(false, "gif").export()).unwrap();
    v["props"]["video"]["fps"] = json!(60);
    let p = Payload::from_json(&serde_json::to_vec(&v).unwrap()).unwrap();
    let out = temp("sixty.gif");
    let info = Engine::new()
        .render_video(&p, &out, &mut |_| {}, &Cancel::new())
        .unwrap();
    let file = std::io::BufReader::new(std::fs::File::open(&out).unwrap());
    let frames = image::codecs::gif::GifDecoder::new(file)
        .unwrap()
        .into_frames()
        .collect_frames()
        .unwrap();
    let delays: Vec<f64> = frames
        .iter()
        .map(|f| {
            let (n, d) = f.delay().numer_denom_ms();
            f64::from(n) / f64::from(d)
        })
        .collect();
    // Browsers play a delay under 20 ms as 100 ms.
    assert!(delays.iter().all(|&d| d >= 20.0), "{delays:?}");
    let total: f64 = delays.iter().sum();
    assert!(
        (total - info.duration_ms).abs() <= 20.0,
        "{total} ms for {}",
        info.duration_ms
    );
}
