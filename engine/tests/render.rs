//! What a user relies on in a render: sizes per scale and geometry mode, colours where
//! they matter, transparency, warnings, and clear errors for bad pictures.

use mockly_engine::{Engine, Error, Payload};
use mockly_testkit::Doc;
use serde_json::{Value, json};

fn base() -> Value {
    Doc::new()
        .message(json!({"id": "1", "type": "text", "userId": "you", "text": "Hello there"}))
        .message(json!({"id": "2", "type": "text", "userId": "me", "text": "Hi!"}))
        .json()
}

fn render(doc: &Value) -> mockly_engine::Rendered {
    let payload = Payload::from_json(doc.to_string().as_bytes()).expect("valid payload");
    Engine::new().render(&payload).expect("renders")
}

fn rgba(r: &mockly_engine::Rendered, x: u32, y: u32) -> [u8; 4] {
    let p = r.pixmap.pixel(x, y).expect("inside").demultiply();
    [p.red(), p.green(), p.blue(), p.alpha()]
}

/// Finds the first pixel of exactly this colour in a row band.
fn find_colour(r: &mockly_engine::Rendered, colour: [u8; 3]) -> Option<(u32, u32)> {
    let (w, h) = (r.pixmap.width(), r.pixmap.height());
    (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .find(|&(x, y)| {
            let p = rgba(r, x, y);
            p[..3] == colour && p[3] == 255
        })
}

#[test]
fn scales_multiply_the_mobile_viewport() {
    for (scale, w, h) in [("1x", 390, 844), ("2x", 780, 1688), ("4x", 1560, 3376)] {
        let mut doc = base();
        doc["resolutionScale"] = json!(scale);
        let r = render(&doc);
        assert_eq!((r.pixmap.width(), r.pixmap.height()), (w, h), "{scale}");
    }
}

#[test]
fn long_conversations_become_tall_screenshots() {
    let mut doc = base();
    let messages: Vec<Value> = (0..40)
        .map(|i| {
            json!({"id": i.to_string(), "type": "text",
                   "userId": if i % 3 == 0 { "me" } else { "you" },
                   "text": format!("message number {i}"),
                   "timestamp": "2024-05-01T09:41:00Z"})
        })
        .collect();
    doc["props"]["messages"] = json!(messages);
    let tall = render(&doc);
    assert_eq!(tall.pixmap.width(), 390);
    assert!(
        tall.pixmap.height() > 1500,
        "height {}",
        tall.pixmap.height()
    );

    // With a device frame the screen stays one phone tall, scrolled to the end.
    doc["props"]["showDeviceFrame"] = json!(true);
    let framed = render(&doc);
    assert_eq!((framed.pixmap.width(), framed.pixmap.height()), (430, 884));
    // Canvas corners outside the phone are transparent.
    assert_eq!(rgba(&framed, 0, 0)[3], 0);
}

#[test]
fn bubbles_use_the_imessage_palette() {
    let light = render(&base());
    assert!(
        find_colour(&light, [0x0B, 0x84, 0xFE]).is_some(),
        "blue sent bubble"
    );
    assert!(
        find_colour(&light, [0xE9, 0xE9, 0xEB]).is_some(),
        "grey received bubble"
    );
    assert_eq!(rgba(&light, 200, 500), [255, 255, 255, 255], "white page");

    let mut doc = base();
    doc["props"]["darkMode"] = json!(true);
    let dark = render(&doc);
    assert!(
        find_colour(&dark, [0x26, 0x25, 0x2A]).is_some(),
        "dark received bubble"
    );
    assert_eq!(rgba(&dark, 200, 500), [0, 0, 0, 255], "black page");
}

#[test]
fn sent_bubbles_sit_right_and_received_left() {
    let r = render(&base());
    let (bx, _) = find_colour(&r, [0x0B, 0x84, 0xFE]).unwrap();
    let (gx, _) = find_colour(&r, [0xE9, 0xE9, 0xEB]).unwrap();
    assert!(bx > 195, "sent bubble starts at x={bx}");
    assert!(gx < 60, "received bubble starts at x={gx}");
}

#[test]
fn transparent_background_leaves_alpha_and_crops() {
    let mut doc = base();
    for flag in ["showHeader", "showFooter", "showDeviceStatus"] {
        doc["props"][flag] = json!(false);
    }
    doc["props"]["transparentBackground"] = json!(true);
    let r = render(&doc);
    assert_eq!(rgba(&r, 0, 0)[3], 0, "corner is transparent");
    assert!(
        r.pixmap.height() < 200,
        "cropped to the bubbles: {}",
        r.pixmap.height()
    );
    assert!(
        find_colour(&r, [0x0B, 0x84, 0xFE]).is_some(),
        "bubble is opaque"
    );
}

#[test]
fn hiding_chrome_removes_it() {
    let full = render(&base());
    let mut doc = base();
    doc["props"]["showHeader"] = json!(false);
    let bare = render(&doc);
    // The header's blue back chevron is drawn at the left of the header.
    let has_accent = |r: &mockly_engine::Rendered| {
        (0..150).any(|y| (0..40).any(|x| rgba(r, x, y)[..3] == [0x00, 0x7A, 0xFF]))
    };
    assert!(has_accent(&full));
    assert!(!has_accent(&bare));
}

#[test]
fn every_platform_has_its_own_skin() {
    let on = |platform: &str| {
        let mut doc = base();
        doc["platform"] = json!(platform);
        doc["props"]["platform"] = json!(platform);
        render(&doc)
    };
    let imessage = on("imessage");
    let mut seen = vec![imessage.pixmap.data().to_vec()];
    for platform in [
        "whatsapp",
        "messenger",
        "instagram",
        "telegram",
        "discord",
        "slack",
        "signal",
        "snapchat",
        "tiktok",
        "tinder",
        "wechat",
        "line",
        "x",
        "reddit",
        "microsoftTeams",
    ] {
        let r = on(platform);
        assert!(
            r.warnings.iter().all(|w| w.path != "props.platform"),
            "{platform}: {:?}",
            r.warnings
        );
        // Not another platform's picture.
        assert!(
            !seen.iter().any(|p| p.as_slice() == r.pixmap.data()),
            "{platform} looks like another platform"
        );
        seen.push(r.pixmap.data().to_vec());
    }
}

#[test]
fn every_message_type_renders() {
    let png = image_data_url();
    let mut doc = base();
    doc["props"]["conversationType"] = json!("group-chat");
    doc["props"]["groupChatSettings"] = json!({"name": "Team", "image": png});
    doc["props"]["receivers"] = json!([{"id": "you", "name": "You", "image": png},
                                       {"id": "kai", "name": "Kai"}]);
    doc["props"]["messages"] = json!([
        {"id": "1", "type": "system", "userId": "you", "text": "You joined", "timestamp": "2024-05-01T09:00:00Z"},
        {"id": "2", "type": "image", "userId": "you", "images": [png], "text": "look",
         "timestamp": "2024-05-01T09:01:00Z", "reactions": [{"emoji": "😂", "userId": "me"}]},
        {"id": "3", "type": "voice", "userId": "kai", "durationSec": 12, "timestamp": "2024-05-01T09:02:00Z"},
        {"id": "4", "type": "text", "userId": "me", "text": "🔥🔥", "replyToId": "2",
         "timestamp": "2024-05-01T09:03:00Z", "status": "read"},
        {"id": "5", "type": "typing", "userId": "kai", "timestamp": "2024-05-01T09:04:00Z"}
    ]);
    let r = render(&doc);
    assert_eq!(r.pixmap.width(), 390);
}

#[test]
fn undecodable_picture_names_its_field() {
    let mut doc = base();
    // Valid base64 of bytes that are not a picture.
    doc["props"]["receivers"][0]["image"] = json!("data:image/png;base64,aGVsbG8gd29ybGQ=");
    let payload = Payload::from_json(doc.to_string().as_bytes()).unwrap();
    let err = Engine::new().render_png(&payload).unwrap_err();
    assert!(matches!(err, Error::Image { .. }));
    assert_eq!(err.path(), Some("props.receivers.0.image"));
    assert!(
        err.to_string()
            .starts_with("Invalid image at props.receivers.0.image"),
        "{err}"
    );
}

#[test]
fn remote_pictures_need_a_fetcher() {
    let mut doc = base();
    doc["props"]["sender"]["image"] = json!("https://example.com/me.png");
    let payload = Payload::from_json(doc.to_string().as_bytes()).unwrap();
    let err = Engine::new().render_png(&payload).unwrap_err();
    assert_eq!(err.path(), Some("props.sender.image"));
}

/// `count` messages of `chars` characters of words.
fn long_conversation(scale: &str, count: usize, chars: usize) -> Payload {
    let mut doc = base();
    doc["resolutionScale"] = json!(scale);
    let long_text = "word ".repeat(chars / 5);
    let messages: Vec<Value> = (0..count)
        .map(|i| {
            json!({"id": i.to_string(), "type": "text", "userId": "you",
                        "text": long_text, "timestamp": "2024-05-01T09:41:00Z"})
        })
        .collect();
    doc["props"]["messages"] = json!(messages);
    Payload::from_json(doc.to_string().as_bytes()).unwrap()
}

#[test]
fn too_large_is_refused_not_allocated() {
    // Certain before any layout: refused from the estimate.
    let err = Engine::new()
        .render_png(&long_conversation("4x", 20, 9500))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooLarge {
                estimated: true,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.is_client_error());
    assert!(err.to_string().contains("at least"), "{err}");
    // Known only once laid out: refused before painting.
    let err = Engine::new()
        .render_png(&long_conversation("2x", 20, 5000))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooLarge {
                estimated: false,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn the_estimate_is_a_lower_bound() {
    let engine = Engine::new();
    let scripts = |text: &str, count: usize| {
        let doc = Doc::new().texts(count, |_| text.to_owned());
        Payload::from_json(&doc.bytes()).unwrap()
    };
    // (what, payload, whether the bound must be within 3× of the truth: for
    // scripts of wide glyphs, so that walls of them are refused before shaping)
    let cases = [
        ("short", long_conversation("1x", 1, 10), false),
        ("many", long_conversation("1x", 30, 200), false),
        ("long", long_conversation("1x", 5, 5000), false),
        ("narrow", scripts(&"ll'i.".repeat(800), 3), false),
        ("cjk", scripts(&"漢字かな".repeat(500), 4), true),
        ("thai", scripts(&"สวัสดีชาวโลก".repeat(300), 3), true),
        ("arabic", scripts(&"مرحبا بالعالم ".repeat(200), 3), false),
        ("emoji", scripts(&"👍🏽🇫🇷".repeat(200), 3), true),
    ];
    for (what, payload, tight) in cases {
        let (w, h) = engine.estimate(&payload).min_pixel_size;
        let rendered = engine.render(&payload).unwrap();
        assert_eq!(w, rendered.pixmap.width());
        let drawn = rendered.pixmap.height();
        assert!(h <= drawn, "{what}: estimated {h}, drawn {drawn}");
        assert!(
            !tight || h * 3 >= drawn,
            "{what}: estimated {h}, drawn {drawn}"
        );
    }
}

fn image_data_url() -> String {
    use base64::Engine as _;
    let img = image::RgbaImage::from_fn(40, 30, |x, _| image::Rgba([x as u8 * 6, 90, 160, 255]));
    let mut buf = std::io::Cursor::new(Vec::new());
    img.write_to(&mut buf, image::ImageFormat::Png).unwrap();
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(buf.into_inner())
    )
}

#[test]
fn a_line_far_wider_than_the_picture_renders() {
    // One unbreakable emoji sequence: its glyphs run far off both edges.
    let chain = format!("👨{}", "\u{200D}👨".repeat(4995));
    let doc = Doc::new()
        .text("you", &chain)
        .text("me", "🐶\u{200D}🐶\u{200D}🐶");
    let payload = Payload::from_json(&doc.bytes()).unwrap();
    let image = Engine::new().render_png(&payload).unwrap();
    assert_eq!(image.width, 390);
}
