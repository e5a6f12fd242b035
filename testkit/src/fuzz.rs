//! Random payloads for property tests: mostly well-formed conversations (so that
//! layout and painting get exercised, not only validation) with hostile texts,
//! every flag, every platform, bad pictures and bad references, and a share of
//! documents with a field replaced by a value of any JSON type.
//!
//! Run briefly by `cargo test` (the case count of `PROPTEST_CASES`, default small);
//! `PROPTEST_CASES=5000 cargo test --release -p mockly-engine --test fuzz` runs long.

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

/// Platform ids, and one that is not.
pub const PLATFORMS: &[&str] = &[
    "imessage",
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
    "myspace",
];

/// Texts that have broken renderers before: scripts, emoji sequences, controls,
/// invisible characters, markup, long words.
const TRICKY: &[&str] = &[
    "hi",
    "Hello there! How are you?",
    "😀",
    "👍🏽 ❤️ 🇫🇷",
    "👨‍👩‍👧‍👦",
    "مرحبا كيف حالك",
    "שלום עולם",
    "こんにちは世界、元気？",
    "안녕하세요",
    "नमस्ते दुनिया",
    "สวัสดีครับ",
    "e\u{301}\u{302}\u{303}\u{304}",
    "\u{200B}\u{200B}\u{FEFF}\u{2060}",
    "\u{202E}reversed\u{202C}",
    "line one\nline two\n\n\nline five",
    "\t\r\n",
    "https://example.com/a/very/long/path?with=query&and=more#fragment",
    "mail me@example.com",
    "<script>alert(1)</script>",
    "%s%n%x{}{{}}",
    "supercalifragilisticexpialidocious-antidisestablishmentarianism",
    "\u{0}\u{1}\u{7f}",
    "1️⃣#️⃣",
    // Repeated, an unbreakable line far wider than the picture.
    "👨\u{200D}",
    "🏳️‍🌈🏴󠁧󠁢󠁳󠁣󠁴󠁿",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(TRICKY).prop_map(str::to_owned),
        2 => "[a-zA-Z0-9 ,.!?'\n]{0,120}",
        1 => any::<String>(),
        1 => (select(TRICKY), 1usize..400).prop_map(|(t, n)| t.repeat(n).chars().take(4000).collect()),
    ]
}

/// A name: short, in any script, now and then too long.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        20 => select(TRICKY).prop_map(|t| t.chars().take(60).collect()),
        5 => "[A-Za-z ]{1,30}",
        1 => text(),
    ]
}

/// A picture reference: small and good, or now and then broken in one of several
/// ways, or remote.
fn picture() -> impl Strategy<Value = String> {
    prop_oneof![
        30 => (1u32..40, 1u32..40).prop_map(|(w, h)| super::png_data_url(w, h)),
        1 => Just("data:image/png;base64,iVBORw0KGgo=".to_owned()),
        1 => Just("data:image/png;base64,***".to_owned()),
        1 => Just("data:text/html;base64,PGI+".to_owned()),
        1 => Just("https://example.invalid/a.png".to_owned()),
        1 => Just("ftp://example.com/a.png".to_owned()),
    ]
}

fn timestamp() -> impl Strategy<Value = String> {
    prop_oneof![
        60 => (0u32..3, 0u32..24, 0u32..60).prop_map(|(d, h, m)| format!("2024-05-{:02}T{h:02}:{m:02}:00Z", 10 + d)),
        3 => Just("2024-05-10T18:02:00-07:00".to_owned()),
        3 => Just("2024-05-10 18:02".to_owned()),
        1 => Just("last tuesday".to_owned()),
    ]
}

/// Mostly `good`, now and then `bad`.
fn mostly<T: Clone + std::fmt::Debug + 'static>(
    good: &'static [T],
    bad: T,
) -> impl Strategy<Value = T> {
    prop_oneof![40 => select(good), 1 => Just(bad)]
}

fn message(n: usize) -> impl Strategy<Value = Value> {
    let users = mostly(&["me", "you", "you", "ann"], "ghost");
    let kinds = prop_oneof![
        60 => Just("text"), 10 => Just("image"), 5 => Just("system"),
        3 => Just("typing"), 5 => Just("voice"), 1 => Just("poll"),
    ];
    (
        kinds,
        users,
        proptest::option::weighted(0.98, text()),
        timestamp(),
        proptest::collection::vec(picture(), 1..4),
        proptest::option::weighted(0.4, mostly(&["sent", "delivered", "read"], "lost")),
        proptest::option::weighted(
            0.2,
            proptest::collection::vec(
                (
                    mostly(&["❤️", "😂", "👍"], ""),
                    mostly(&["me", "you"], "ghost"),
                ),
                0..4,
            ),
        ),
        proptest::option::weighted(0.15, 0..n.max(1)),
        prop_oneof![20 => 1.0f64..600.0, 1 => -5.0f64..1e9],
    )
        .prop_map(
            move |(kind, user, text, ts, images, status, reactions, reply, num)| {
                let mut m =
                    json!({"id": format!("m{n}"), "type": kind, "userId": user, "timestamp": ts});
                if let Some(t) = text {
                    m["text"] = json!(t);
                }
                if kind == "image" {
                    m["images"] = json!(images);
                }
                if kind == "voice" {
                    m["durationSec"] = json!(num);
                }
                if let Some(s) = status {
                    m["status"] = json!(s);
                }
                if let Some(r) = reactions {
                    m["reactions"] = Value::Array(
                        r.into_iter()
                            .map(|(e, u)| json!({"emoji": e, "userId": u}))
                            .collect(),
                    );
                }
                if let Some(r) = reply.filter(|&r| r < n) {
                    m["replyToId"] = json!(format!("m{r}"));
                }
                m
            },
        )
}

/// Any JSON value, small.
pub fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A payload document: a conversation of up to 12 messages with random settings,
/// and now and then a field replaced by any JSON value.
pub fn payload() -> impl Strategy<Value = Value> {
    let flags = proptest::collection::vec(any::<bool>(), 9);
    (
        mostly(&PLATFORMS[..16], "myspace"),
        select(&["image", "image", "image", "video"][..]),
        select(&["1x", "1x", "1x", "2x"][..]),
        prop_oneof![40 => 1usize..12, 1 => Just(0usize)].prop_flat_map(|n| {
            (0..n)
                .map(message)
                .collect::<Vec<_>>()
        }),
        flags,
        (name(), name(), prop_oneof![30 => 0.0f64..=100.0, 1 => -10.0f64..120.0]),
        mostly(&["UTC", "America/Los_Angeles", "Asia/Kolkata"], "Mars/Olympus"),
        proptest::option::weighted(0.15, (select(PATHS), any_json())),
        proptest::option::weighted(0.3, picture()),
    )
        .prop_map(
            |(platform, kind, scale, messages, f, (name, group, battery), zone, swap, avatar)| {
                let mut doc = json!({
                    "mockupType": "chats", "platform": platform, "renderKind": kind,
                    "resolutionScale": scale, "rendererVersion": "mockly-native-v1",
                    "props": {
                        "platform": platform,
                        "sender": {"id": "me", "name": "Me"},
                        "receivers": [{"id": "you", "name": name}, {"id": "ann", "name": "Ann"}],
                        "messages": messages,
                        "conversationType": if f[0] { "group-chat" } else { "direct-message" },
                        "groupChatSettings": {"name": group},
                        "darkMode": f[1], "showDeviceFrame": f[2], "showHeader": f[3],
                        "showFooter": f[4], "showDates": f[5], "transparentBackground": f[6],
                        "mobileView": !f[7], "showReceiver": f[8],
                        "batteryLevel": battery, "timezone": zone,
                        "timeNotation": if f[1] { "12h" } else { "24h" },
                        "video": {"startDelayMs": 100, "messageDelayMs": 200, "typingMs": 300, "endHoldMs": 200}
                    }
                });
                if let Some(url) = avatar {
                    doc["props"]["sender"]["image"] = json!(url);
                }
                if let Some((path, value)) = swap
                    && let Some(at) = doc.pointer_mut(&format!("/{}", path.replace('.', "/")))
                {
                    *at = value;
                }
                doc
            },
        )
}

/// Fields a swapped-in value lands on.
const PATHS: &[&str] = &[
    "props.sender",
    "props.receivers",
    "props.messages",
    "props.messages.0",
    "props.video",
    "resolutionScale",
    "props.messages.0.reactions",
];
