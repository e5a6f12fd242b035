//! The video timeline: frame count and timing for a known payload, and golden
//! pictures of chosen frames (typing indicator, a bubble mid-entry, after scrolling).
//!
//! `MOCKLY_BLESS=1` rewrites the frame references in `tests/ref/frames/`.

use std::path::{Path, PathBuf};

use mockly_engine::{Engine, Payload, timeline};
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Two messages, one each way, fixed pacing.
fn two_messages() -> Value {
    json!({
        "mockupType": "chats", "platform": "imessage", "renderKind": "video",
        "resolutionScale": "1x", "rendererVersion": "mockly-native-v1",
        "props": {
            "platform": "imessage",
            "sender": {"id": "me", "name": "Me"},
            "receivers": [{"id": "you", "name": "Sam Lee"}],
            "messages": [
                {"id": "1", "type": "text", "userId": "you", "text": "Hey!", "timestamp": "2024-05-01T09:41:00Z"},
                {"id": "2", "type": "text", "userId": "me", "text": "Hi Sam", "timestamp": "2024-05-01T09:42:00Z"}
            ],
            "video": {"fps": 30, "startDelayMs": 500, "messageDelayMs": 900, "typingMs": 1000, "endHoldMs": 2000}
        }
    })
}

fn payload(doc: &Value) -> Payload {
    Payload::from_json(doc.to_string().as_bytes()).unwrap()
}

#[test]
fn frame_count_and_length_follow_the_pacing() {
    let p = payload(&two_messages());
    // 500 start + 1000 typing (incoming) + [900 pause + 1000 typed] + 2000 hold.
    let expected_ms = 500.0 + 1000.0 + 900.0 + 1000.0 + 2000.0;
    assert_eq!(timeline::planned_duration_ms(&p), expected_ms);
    let (t, _) = Engine::new().timeline(&p).unwrap();
    assert_eq!(t.duration_ms, expected_ms);
    assert_eq!(t.frame_count, 162, "5.4 s at 30 fps");
    assert_eq!(t.pixel_size(), (390, 844));
}

#[test]
fn frame_times_are_exact_at_every_rate() {
    for (fps, frames) in [(24u32, 130u64), (25, 135), (30, 162), (60, 324)] {
        let mut doc = two_messages();
        doc["props"]["video"]["fps"] = json!(fps);
        let (t, _) = Engine::new().timeline(&payload(&doc)).unwrap();
        assert_eq!(t.frame_count, frames, "{fps} fps");
        assert_eq!(
            t.frame_time(u64::from(fps)),
            1000.0,
            "frame {fps} is at 1 s"
        );
        assert_eq!(
            t.frame_time(frames - 1),
            (frames - 1) as f64 * 1000.0 / f64::from(fps)
        );
    }
}

#[test]
fn still_stretches_are_recognised() {
    let (t, _) = Engine::new().timeline(&payload(&two_messages())).unwrap();
    // During the final hold nothing moves: frames share a key.
    let a = t.still_key(4500.0);
    assert!(a.is_some());
    assert_eq!(a, t.still_key(5300.0));
    // While the other side types, the dots pulse.
    assert_eq!(t.still_key(900.0), None);
    // While a bubble enters, it moves.
    assert_eq!(t.still_key(1520.0), None);
}

#[test]
fn chosen_frames_match_their_references() {
    let engine = Engine::new();
    let example = |name: &str| {
        let json = std::fs::read(root().join(format!("examples/{name}.json"))).unwrap();
        let mut doc: Value = serde_json::from_slice(&json).unwrap();
        doc["renderKind"] = json!("video");
        doc["resolutionScale"] = json!("1x");
        engine.timeline(&payload(&doc)).unwrap().0
    };
    let dark = example("imessage-dm-dark");
    let light = example("imessage-dm-light");
    // Times from the examples' scripts (default pacing): the first incoming message
    // is typed from 0.5 s to 2.5 s, then enters; the owner types from 5.38 s.
    let frames = [
        ("dark-typing", &dark, 900.0),
        ("dark-mid-entry", &dark, 2600.0),
        ("dark-composing", &dark, 6000.0),
        ("light-scrolled", &light, light.duration_ms - 1.0),
    ];
    let bless = std::env::var_os("MOCKLY_BLESS").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ref/frames");
    let mut failures = Vec::new();
    for (name, timeline, at) in frames {
        let pixmap = engine.paint(&timeline.scene_at(at)).unwrap();
        let png = pixmap.encode_png().unwrap();
        let path = dir.join(format!("{name}.png"));
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &png).unwrap();
            continue;
        }
        let expected = image::load_from_memory(&std::fs::read(&path).unwrap())
            .unwrap()
            .to_rgba8();
        let got = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(got.dimensions(), expected.dimensions(), "{name}");
        let differing = got
            .pixels()
            .zip(expected.pixels())
            .filter(|(a, b)| (0..4).any(|c| a.0[c].abs_diff(b.0[c]) > 24))
            .count();
        if differing as f64 > 0.002 * f64::from(got.width() * got.height()) {
            failures.push(format!("{name}: {differing} pixels differ"));
            let out = root().join(format!("target/golden-failures/frame-{name}.png"));
            std::fs::create_dir_all(out.parent().unwrap()).unwrap();
            std::fs::write(out, &png).unwrap();
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}

#[test]
fn portrait_frame_is_nine_by_sixteen_and_framed_phones_fit_in_it() {
    for framed in [false, true] {
        let mut doc = two_messages();
        doc["props"]["video"]["frame"] = json!("9:16");
        doc["props"]["showDeviceFrame"] = json!(framed);
        let (t, _) = Engine::new().timeline(&payload(&doc)).unwrap();
        let (w, h) = t.pixel_size();
        assert_eq!((w % 2, h % 2), (0, 0));
        let ratio = f64::from(w) / f64::from(h);
        assert!((ratio - 9.0 / 16.0).abs() < 0.005, "{w}×{h}");
        assert!(w > 390 && h > 844, "the screen fits inside: {w}×{h}");
    }
}
