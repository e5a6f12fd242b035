//! The video timeline: frame count and timing for a known payload, and golden
//! pictures of chosen frames (typing indicator, a bubble mid-entry, after scrolling).
//!
//! `MOCKLY_BLESS=1` rewrites the frame references in `tests/ref/frames/`.

use mockly_engine::{Engine, Payload, timeline};
use mockly_testkit::Doc;
use serde_json::{Value, json};

/// Two messages, one each way, fixed pacing.
fn two_messages() -> Value {
    Doc::new()
        .video()
        .text("you", "Hey!")
        .text("me", "Hi Sam")
        .set(
            "props.video",
            json!({"fps": 30, "startDelayMs": 500, "messageDelayMs": 900, "typingMs": 1000, "endHoldMs": 2000}),
        )
        .json()
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

/// A preview's frame at `t` is the video's own frame on screen then: the same
/// pixels the encoder is given, the time snapped down to the frame, clamped to the
/// video, and the same bytes every time.
#[test]
fn a_frame_at_t_is_the_video_frame_on_screen_then() {
    let p = payload(&two_messages());
    let engine = Engine::new();
    let (t, _) = engine.timeline(&p).unwrap();
    let cancel = mockly_engine::Cancel::new();
    let frame = engine.render_frame_png(&p, 2020.5, &cancel).unwrap();
    assert_eq!((frame.frame, frame.at_ms), (60, 2000.0));
    assert_eq!((frame.fps, frame.duration_ms), (30, 5400.0));
    let decoded = mockly_engine::tiny_skia::Pixmap::decode_png(&frame.image.png).unwrap();
    let painted = engine.paint(&t.scene_at(2000.0)).unwrap();
    assert_eq!(
        (decoded.width(), decoded.height()),
        (frame.image.width, frame.image.height)
    );
    assert!(decoded.data() == painted.data(), "the encoder's frame");
    let again = engine.render_frame_png(&p, 2020.5, &cancel).unwrap();
    assert_eq!(again.image.png, frame.image.png, "deterministic");

    let first = engine.render_frame_png(&p, 0.0, &cancel).unwrap();
    assert_ne!(first.image.png, frame.image.png, "the chat moved on by 2 s");
    for early in [-5.0, f64::NAN, f64::NEG_INFINITY] {
        let f = engine.render_frame_png(&p, early, &cancel).unwrap();
        assert_eq!(f.frame, 0, "{early}");
    }
    for late in [5400.0, 1e12, f64::INFINITY] {
        let f = engine.render_frame_png(&p, late, &cancel).unwrap();
        assert_eq!(f.frame, t.frame_count - 1, "{late}");
    }
}

/// A slider stepping by a frame's length (1000/30 ms) lands on that frame, not the
/// one before, whatever the rounding of the decimal it sends.
#[test]
fn frame_times_sent_back_find_their_frame() {
    let p = payload(&two_messages());
    let engine = Engine::new();
    let cancel = mockly_engine::Cancel::new();
    for n in [1u64, 7, 100, 161] {
        let t = n as f64 * (1000.0 / 30.0);
        let rounded: f64 = format!("{t:.11}").parse().unwrap();
        let f = engine.render_frame_png(&p, rounded, &cancel).unwrap();
        assert_eq!(f.frame, n, "t = {rounded}");
    }
}

/// Pixels of iMessage's blue (a sent bubble) between the header and the composer
/// (whose icons and send button are blue too).
fn blue(pixmap: &mockly_engine::tiny_skia::Pixmap) -> usize {
    let row = pixmap.width() as usize * 4;
    pixmap.data()[140 * row..(pixmap.height() as usize - 120) * row]
        .chunks_exact(4)
        .filter(|p| p[2] > 200 && p[0] < 60 && p[1] > 100 && p[1] < 160)
        .count()
}

#[test]
fn the_timing_file_names_the_frame_each_message_appears_on() {
    let doc = Doc(two_messages())
        .text("you", "Dinner at 8?\n\nOr 9 --> whichever")
        .set("props.video.include", json!(["srt", "timeline", "vtt"]))
        .json();
    let p = payload(&doc);
    let engine = Engine::new();
    let (t, _) = engine.timeline(&p).unwrap();
    let timing = t.timing();
    // 500 start, 1000 typing → "Hey!" at 1.5 s; 900 pause, 1000 typed → "Hi Sam" at
    // 3.4 s; 900 pause, 1000 typing → the third at 5.3 s; then the 2 s hold.
    let at: Vec<f64> = timing.messages.iter().map(|m| m.at_ms).collect();
    assert_eq!(at, [1500.0, 3400.0, 5300.0]);
    assert_eq!(timing.messages[1].frame, 102);
    assert!(timing.messages[1].outgoing);
    assert_eq!((timing.hold.start_ms, timing.hold.end_ms), (5300.0, 7300.0));
    assert_eq!(timing.duration_ms, t.duration_ms);
    let spans: Vec<(&str, f64, f64)> = timing
        .typing
        .iter()
        .map(|s| (s.place, s.start_ms, s.end_ms))
        .collect();
    assert_eq!(
        spans,
        [
            ("indicator", 500.0, 1500.0),
            ("composer", 2400.0, 3400.0),
            ("indicator", 4300.0, 5300.0)
        ]
    );

    // The frame named is the one the sent bubble's entrance starts on: none of it
    // before, some of it three frames in, all of it once settled.
    let sent = &timing.messages[1];
    let blue_at = |n: u64| blue(&engine.paint(&t.scene_at(t.frame_time(n))).unwrap());
    assert_eq!(blue_at(sent.frame - 1), 0, "not sent yet");
    assert!(blue_at(sent.frame + 3) > 0, "appearing");
    assert!(blue_at(sent.frame + 30) > 300, "settled");

    // Captions: one cue a message, until the next one; nothing that breaks a cue.
    let srt = timing.srt(&p);
    assert!(
        srt.starts_with("1\n00:00:01,500 --> 00:00:03,400\nSam Lee: Hey!\n\n2\n00:00:03,400 --> 00:00:05,300\nMe: Hi Sam\n\n"),
        "{srt}"
    );
    assert!(
        srt.contains(
            "3\n00:00:05,300 --> 00:00:07,300\nSam Lee: Dinner at 8?\nOr 9 → whichever\n\n"
        ),
        "{srt}"
    );
    let vtt = timing.vtt(&p);
    assert!(
        vtt.starts_with("WEBVTT\n\n00:00:01.500 --> 00:00:03.400\nSam Lee: Hey!\n\n"),
        "{vtt}"
    );
    let json: Value = serde_json::from_str(&timing.json()).unwrap();
    assert_eq!(
        json["messages"][2]["caption"],
        "Dinner at 8?\n\nOr 9 --> whichever"
    );
    assert_eq!(json["typing"][1]["where"], "composer");
    assert_eq!(p.props().video_extras().len(), 3);
}

/// Every frame of a timeline, painted (the pixels the encoder is given).
fn every_frame(t: &timeline::Timeline, engine: &Engine) -> Vec<mockly_engine::tiny_skia::Pixmap> {
    (0..t.frame_count)
        .map(|n| engine.paint(&t.scene_at(t.frame_time(n))).unwrap())
        .collect()
}

#[test]
fn every_canvas_shape_holds_the_screen_at_the_video_s_size() {
    for (frame, ratio) in [
        ("1:1", 1.0),
        ("4:5", 0.8),
        ("16:9", 16.0 / 9.0),
        ("9:16", 9.0 / 16.0),
    ] {
        let mut doc = two_messages();
        doc["props"]["video"]["frame"] = json!(frame);
        let (t, _) = Engine::new().timeline(&payload(&doc)).unwrap();
        let (w, h) = t.pixel_size();
        assert_eq!((w % 2, h % 2), (0, 0));
        let got = f64::from(w) / f64::from(h);
        assert!((got - ratio).abs() < 0.005, "{frame}: {w}×{h}");
        assert!(
            w >= 390 && h >= 844,
            "{frame}: the screen fits inside: {w}×{h}"
        );
    }
}

#[test]
fn a_safe_zone_keeps_every_frame_clear_of_the_captions_and_buttons() {
    let engine = Engine::new();
    // A colour nothing in the chat has, to find the chat by.
    let magenta = [255u8, 0, 255, 255];
    for zone in ["tiktok", "reels", "shorts"] {
        let doc = Doc(two_messages())
            .texts(4, |i| {
                format!("message {i} that is long enough to wrap onto a second line")
            })
            .set("props.video.safeZone", json!(zone))
            .set("props.video.background", json!("#FF00FF"))
            .json();
        let (t, _) = engine.timeline(&payload(&doc)).unwrap();
        let (w, h) = t.pixel_size();
        assert!((f64::from(w) / f64::from(h) - 9.0 / 16.0).abs() < 0.005);
        // The zones' bottoms and right-hand columns, in pixels of this frame
        // (TikTok 480 and 150 of 1080 × 1920, Reels 420 and 120, Shorts 400 and 190).
        let (bottom, right) = match zone {
            "tiktok" => (480.0, 150.0),
            "reels" => (420.0, 120.0),
            _ => (400.0, 190.0),
        };
        let y0 = (f64::from(h) * (1.0 - bottom / 1920.0)).ceil() as u32;
        let x0 = (f64::from(w) * (1.0 - right / 1080.0)).ceil() as u32;
        let frames = every_frame(&t, &engine);
        assert_eq!(frames.len() as u64, t.frame_count);
        let row = w as usize * 4;
        let plain: Vec<u8> = magenta.iter().copied().cycle().take(row).collect();
        for (n, f) in frames.iter().enumerate() {
            for (y, line) in f.data().chunks_exact(row).enumerate() {
                let from = if y as u32 >= y0 { 0 } else { x0 as usize * 4 };
                assert!(
                    line[from..] == plain[from..],
                    "{zone}: frame {n} draws in the unsafe zone on row {y}"
                );
            }
        }
        // And the newest message is on screen, inside the zone, at the end.
        let last = frames.last().unwrap();
        let blue = last
            .data()
            .chunks_exact(4)
            .enumerate()
            .filter(|(i, p)| {
                let (x, y) = ((*i as u32) % w, (*i as u32) / w);
                x < x0 && y < y0 && p[2] > 200 && p[0] < 60 && p[1] > 100 && p[1] < 160
            })
            .count();
        assert!(
            blue > 300,
            "{zone}: the sent bubbles are in the safe zone ({blue})"
        );
    }
}

#[test]
fn display_zoom_makes_the_conversation_bigger_on_the_same_screen() {
    let engine = Engine::new();
    let last_blue = |zoom: f64| {
        let mut doc = two_messages();
        doc["props"]["video"]["zoom"] = json!(zoom);
        let (t, _) = engine.timeline(&payload(&doc)).unwrap();
        let frame = engine
            .paint(&t.scene_at(t.frame_time(t.frame_count - 1)))
            .unwrap();
        (t.pixel_size(), blue(&frame))
    };
    let (size, plain) = last_blue(1.0);
    let (zoomed_size, zoomed) = last_blue(1.5);
    assert_eq!(size, zoomed_size, "the same screen");
    // 1.5 × as wide and high: about 2.25 × the bubble's pixels.
    assert!(
        zoomed as f64 > plain as f64 * 1.8,
        "{zoomed} against {plain} blue pixels"
    );
}

#[test]
fn the_canvas_backdrop_is_a_colour_a_picture_or_the_blurred_chat() {
    let engine = Engine::new();
    let corner = |background: &str| {
        let mut doc = two_messages();
        doc["props"]["video"]["frame"] = json!("16:9");
        doc["props"]["video"]["background"] = json!(background);
        let (t, _) = engine.timeline(&payload(&doc)).unwrap();
        let frame = engine.paint(&t.scene_at(t.frame_time(0))).unwrap();
        let p = &frame.data()[..4];
        [p[0], p[1], p[2], p[3]]
    };
    assert_eq!(corner("#123456"), [0x12, 0x34, 0x56, 255]);
    // The test picture is blue (160) at its top-left, with red and green growing.
    let picture = corner(&mockly_testkit::png_data_url(64, 36));
    assert!(picture[2] > 140 && picture[0] < 40, "{picture:?}");
    // Blurred iMessage: near white, not the plain canvas colour (#F2F2F7).
    let blurred = corner("blur");
    assert_ne!(blurred, [0xF2, 0xF2, 0xF7, 255]);
    assert!(blurred[0] > 200 && blurred[3] == 255, "{blurred:?}");

    // Bad values are refused with their field.
    for (field, value) in [
        ("zoom", json!(2)),
        ("background", json!("#12")),
        ("background", json!("ftp://example.com/a.png")),
        ("safeZone", json!("vine")),
        ("frame", json!("3:2")),
    ] {
        let mut doc = two_messages();
        doc["props"]["video"][field] = value;
        let err = Payload::from_json(doc.to_string().as_bytes()).unwrap_err();
        assert_eq!(err.path, format!("props.video.{field}"), "{err}");
    }
}
