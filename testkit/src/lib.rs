//! What Mockly's tests share: one builder of payload documents (instead of a
//! `base()` fixture per test file), small pictures as data URLs, and the fuzzing
//! strategies that feed random payloads through the engine and the HTTP API;
//! and throwaway PostgreSQL and S3 servers ([`services`]).
// Only the engine's FFmpeg side data needs `unsafe` (the workspace denies it).
#![forbid(unsafe_code)]

pub mod fuzz;
pub mod golden;
pub mod services;

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::{Value, json};

/// The repository's root (examples live in `examples/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `examples/<name>.json` as a document.
pub fn example(name: &str) -> Value {
    let path = root().join(format!("examples/{name}.json"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A payload document under construction: a direct message between "me" (the
/// owner, "Me") and "you" ("Sam Lee") on iMessage at 1x, with no messages until
/// some are added. Every field can be set through [`Doc::set`].
#[derive(Debug, Clone)]
pub struct Doc(pub Value);

impl Default for Doc {
    fn default() -> Doc {
        Doc::new()
    }
}

impl Doc {
    pub fn new() -> Doc {
        Doc(json!({
            "mockupType": "chats",
            "platform": "imessage",
            "renderKind": "image",
            "resolutionScale": "1x",
            "rendererVersion": "mockly-native-v1",
            "props": {
                "platform": "imessage",
                "sender": {"id": "me", "name": "Me"},
                "receivers": [{"id": "you", "name": "Sam Lee"}],
                "messages": []
            }
        }))
    }

    /// An example as a starting point.
    pub fn example(name: &str) -> Doc {
        Doc(example(name))
    }

    /// Both `platform` fields.
    pub fn platform(mut self, id: &str) -> Doc {
        self.0["platform"] = json!(id);
        self.0["props"]["platform"] = json!(id);
        self
    }

    pub fn video(mut self) -> Doc {
        self.0["renderKind"] = json!("video");
        self
    }

    pub fn scale(mut self, scale: &str) -> Doc {
        self.0["resolutionScale"] = json!(scale);
        self
    }

    /// Sets any field by its dotted path (`props.darkMode`, `props.messages.0.text`).
    pub fn set(mut self, path: &str, value: Value) -> Doc {
        let mut at = &mut self.0;
        for part in path.split('.') {
            at = match part.parse::<usize>() {
                Ok(i) => &mut at[i],
                Err(_) => &mut at[part],
            };
        }
        *at = value;
        self
    }

    /// Appends a text message by `user` ("me" or "you" …), a minute after the last.
    pub fn text(self, user: &str, text: &str) -> Doc {
        self.message(json!({"type": "text", "userId": user, "text": text}))
    }

    /// Appends a message; `id` and `timestamp` are filled in when missing.
    pub fn message(mut self, mut m: Value) -> Doc {
        let messages = self.0["props"]["messages"]
            .as_array_mut()
            .expect("props.messages is an array");
        let n = messages.len();
        if m.get("id").is_none() {
            m["id"] = json!(format!("m{n}"));
        }
        if m.get("timestamp").is_none() {
            m["timestamp"] = json!(format!(
                "2024-05-01T{:02}:{:02}:00Z",
                9 + n / 60 % 14,
                n % 60
            ));
        }
        messages.push(m);
        self
    }

    /// `n` alternating text messages made by `text(i)`.
    pub fn texts(mut self, n: usize, text: impl Fn(usize) -> String) -> Doc {
        for i in 0..n {
            let user = if i % 2 == 0 { "you" } else { "me" };
            self = self.text(user, &text(i));
        }
        self
    }

    pub fn json(&self) -> Value {
        self.0.clone()
    }

    pub fn bytes(&self) -> Vec<u8> {
        self.0.to_string().into_bytes()
    }
}

/// A PNG of `w`×`h` with a gradient, as a data URL.
pub fn png_data_url(w: u32, h: u32) -> String {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([(x * 7) as u8, (y * 5) as u8, 160, 255])
    });
    let mut buf = std::io::Cursor::new(Vec::new());
    img.write_to(&mut buf, image::ImageFormat::Png)
        .expect("PNG encodes");
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(buf.into_inner())
    )
}
