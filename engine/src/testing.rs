//! Helpers shared by unit tests.

use crate::payload::Payload;

/// A 3×2 PNG with distinct pixels.
pub fn tiny_png() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(3, 2, |x, y| {
        image::Rgba([(x * 80) as u8, (y * 120) as u8, 200, 255])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A direct-message payload between "me" and "you" with the given
/// `(userId, type, timestamp)` messages, each saying "hello".
pub fn payload_with(messages: &[(&str, &str, &str)]) -> Payload {
    let msgs: Vec<serde_json::Value> = messages
        .iter()
        .enumerate()
        .map(|(i, (user, kind, ts))| {
            serde_json::json!({
                "id": format!("m{i}"), "type": kind, "userId": user,
                "text": "hello", "timestamp": ts
            })
        })
        .collect();
    let doc = mockly_testkit::Doc::new().set("props.messages", serde_json::json!(msgs));
    Payload::from_json(&doc.bytes()).expect("test payload is valid")
}
