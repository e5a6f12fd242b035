//! Each way a payload can be wrong gives a message naming the field's dotted path.

use mockly_engine::Payload;
use mockly_testkit::Doc;
use serde_json::{Value, json};

/// Two messages with ids "1" and "2", as the hosted API's clients send them.
fn base() -> Value {
    Doc::new()
        .scale("2x")
        .set("rendererVersion", json!("mockup-remotion-v1"))
        .message(json!({"id": "1", "type": "text", "userId": "you", "text": "hi"}))
        .message(json!({"id": "2", "type": "text", "userId": "me", "text": "hello"}))
        .json()
}

/// Applies `change` to the base payload and returns the error message.
fn rejects(change: impl FnOnce(&mut Value)) -> String {
    let mut doc = base();
    change(&mut doc);
    match Payload::from_json(doc.to_string().as_bytes()) {
        Ok(_) => panic!("payload was accepted: {doc}"),
        Err(e) => {
            assert!(
                e.message.contains(&e.path) || e.path.is_empty(),
                "message {:?} should name path {:?}",
                e.message,
                e.path
            );
            e.message
        }
    }
}

#[test]
fn base_payload_is_valid() {
    Payload::from_json(base().to_string().as_bytes()).unwrap();
}

#[test]
fn missing_required_fields() {
    assert_eq!(
        rejects(|d| {
            d["props"]["messages"][0]
                .as_object_mut()
                .unwrap()
                .remove("userId");
        }),
        "Required at props.messages.0.userId"
    );
    assert_eq!(
        rejects(|d| {
            d.as_object_mut().unwrap().remove("renderKind");
        }),
        "Required at renderKind"
    );
    assert_eq!(
        rejects(|d| {
            d["props"]["messages"][1]
                .as_object_mut()
                .unwrap()
                .remove("text");
        }),
        "Required at props.messages.1.text"
    );
    assert_eq!(
        rejects(|d| d["props"]["messages"][1]["type"] = json!("image")),
        "Required at props.messages.1.images"
    );
    assert_eq!(
        rejects(|d| d["props"]["messages"][1]["type"] = json!("voice")),
        "Required at props.messages.1.durationSec"
    );
}

#[test]
fn bad_enum_values() {
    let m = rejects(|d| d["props"]["platform"] = json!("icq"));
    assert!(
        m.starts_with(
            "Invalid enum value at props.platform: expected one of 'imessage', 'whatsapp'"
        ),
        "{m}"
    );
    assert!(
        m.contains("'microsoftTeams'") && m.ends_with("received 'icq'"),
        "{m}"
    );
    let m = rejects(|d| d["resolutionScale"] = json!("3x"));
    assert!(
        m.starts_with("Invalid enum value at resolutionScale"),
        "{m}"
    );
    let m = rejects(|d| d["rendererVersion"] = json!("v2"));
    assert!(
        m.starts_with("Invalid enum value at rendererVersion"),
        "{m}"
    );
    let m = rejects(|d| d["props"]["messages"][0]["type"] = json!("sticker"));
    assert!(
        m.starts_with("Invalid enum value at props.messages.0.type"),
        "{m}"
    );
}

#[test]
fn wrong_types() {
    assert_eq!(
        rejects(|d| d["props"]["darkMode"] = json!("yes")),
        "Invalid type at props.darkMode: expected boolean, received string"
    );
    assert_eq!(
        rejects(|d| d["props"]["receivers"] = json!({"id": "x"})),
        "Invalid type at props.receivers: expected array, received object"
    );
    assert_eq!(
        rejects(|d| d["props"]["batteryLevel"] = json!("full")),
        "Invalid type at props.batteryLevel: expected number, received string"
    );
    assert_eq!(
        rejects(|d| d["props"]["sender"]["id"] = Value::Null),
        "Invalid type at props.sender.id: expected string, received null"
    );
}

#[test]
fn unknown_top_level_field() {
    assert_eq!(
        rejects(|d| d["theme"] = json!("x")),
        "Unrecognized key at theme"
    );
}

#[test]
fn platform_mismatch() {
    let m = rejects(|d| d["props"]["platform"] = json!("whatsapp"));
    assert_eq!(
        m,
        "Platform mismatch at props.platform: expected 'imessage' (the top-level platform), received 'whatsapp'"
    );
}

#[test]
fn unknown_users() {
    assert_eq!(
        rejects(|d| d["props"]["messages"][1]["userId"] = json!("ghost")),
        "Unknown user at props.messages.1.userId: 'ghost' is not the sender or a receiver"
    );
    let m = rejects(|d| {
        d["props"]["messages"][0]["reactions"] = json!([{"emoji": "👍", "userId": "ghost"}])
    });
    assert!(
        m.starts_with("Unknown user at props.messages.0.reactions.0.userId"),
        "{m}"
    );
}

#[test]
fn threads_name_people_in_the_chat_and_count_sensibly() {
    let m = rejects(|d| {
        d["props"]["messages"][0]["thread"] = json!({"replies": 2, "userIds": ["ghost"]})
    });
    assert!(
        m.starts_with("Unknown user at props.messages.0.thread.userIds.0"),
        "{m}"
    );
    let m = rejects(|d| d["props"]["messages"][0]["thread"] = json!({"replies": 0}));
    assert!(m.contains("props.messages.0.thread.replies"), "{m}");
    let m = rejects(|d| d["props"]["messages"][0]["thread"] = json!("3 replies"));
    assert!(m.contains("props.messages.0.thread"), "{m}");
    // Unknown fields inside a thread are dropped with a warning, like elsewhere.
    let mut doc = base();
    doc["props"]["messages"][0]["thread"] = json!({"replies": 3, "unread": true});
    let p = Payload::from_json(doc.to_string().as_bytes()).unwrap();
    let paths: Vec<&str> = p.warnings.iter().map(|w| w.path.as_str()).collect();
    assert!(
        paths.contains(&"props.messages.0.thread.unread"),
        "{paths:?}"
    );
}

#[test]
fn group_needs_settings() {
    assert_eq!(
        rejects(|d| d["props"]["conversationType"] = json!("group-chat")),
        "Required at props.groupChatSettings: conversationType is 'group-chat'"
    );
}

#[test]
fn bad_data_urls() {
    let m = rejects(|d| d["props"]["sender"]["image"] = json!("data:image/png;base64,@@@"));
    assert!(
        m.starts_with("Invalid image at props.sender.image: invalid image URL: bad base64"),
        "{m}"
    );
    let m = rejects(|d| {
        d["props"]["messages"][1]["type"] = json!("image");
        d["props"]["messages"][1]["images"] = json!(["data:text/plain;base64,aGk="]);
    });
    assert!(
        m.starts_with("Invalid image at props.messages.1.images.0"),
        "{m}"
    );
    assert!(m.contains("unsupported media type"), "{m}");
    let m = rejects(|d| d["props"]["receivers"][0]["image"] = json!("ftp://x/y.png"));
    assert!(
        m.starts_with("Invalid image at props.receivers.0.image"),
        "{m}"
    );
}

#[test]
fn bad_times_and_zones() {
    let m = rejects(|d| d["props"]["messages"][0]["timestamp"] = json!("last tuesday"));
    assert!(
        m.starts_with("Invalid datetime at props.messages.0.timestamp"),
        "{m}"
    );
    let m = rejects(|d| d["props"]["timezone"] = json!("Mars/Olympus_Mons"));
    assert!(m.starts_with("Invalid timezone at props.timezone"), "{m}");
}

#[test]
fn ranges_and_references() {
    let m = rejects(|d| d["props"]["batteryLevel"] = json!(101));
    assert!(
        m.starts_with("Number out of range at props.batteryLevel"),
        "{m}"
    );
    let m = rejects(|d| d["props"]["messages"][1]["id"] = json!("1"));
    assert!(
        m.starts_with("Duplicate message id at props.messages.1.id"),
        "{m}"
    );
    let m = rejects(|d| d["props"]["receivers"][0]["id"] = json!("me"));
    assert!(
        m.starts_with("Duplicate user id at props.receivers.0.id"),
        "{m}"
    );
    let m = rejects(|d| d["props"]["messages"][0]["replyToId"] = json!("2"));
    assert!(
        m.starts_with("Unknown message at props.messages.0.replyToId"),
        "{m}"
    );
    let m = rejects(|d| d["props"]["receivers"] = json!([]));
    assert_eq!(
        m,
        "Array must contain at least 1 element(s) at props.receivers"
    );
    let m = rejects(|d| d["props"]["messages"] = json!([]));
    assert_eq!(
        m,
        "Array must contain at least 1 element(s) at props.messages"
    );
    let m = rejects(|d| d["props"]["receivers"][0]["color"] = json!("teal"));
    assert!(
        m.starts_with("Invalid color at props.receivers.0.color"),
        "{m}"
    );
    let m = rejects(|d| d["props"]["video"] = json!({"fps": 29}));
    assert!(m.starts_with("Invalid value at props.video.fps"), "{m}");
    let m = rejects(|d| d["props"]["messages"][1]["delayMs"] = json!(-5));
    assert!(
        m.starts_with("Number out of range at props.messages.1.delayMs"),
        "{m}"
    );
    let m = rejects(|d| d["props"]["messages"][1]["text"] = json!("   "));
    assert!(
        m.starts_with("String must contain at least 1 character(s) at props.messages.1.text"),
        "{m}"
    );
}

#[test]
fn soft_problems_are_warnings() {
    let mut doc = base();
    doc["props"]["messages"][1]["timestamp"] = json!("2024-05-01T08:00:00Z");
    doc["props"]["wallpaper"] = json!("stars");
    let p = Payload::from_json(doc.to_string().as_bytes()).unwrap();
    let paths: Vec<&str> = p.warnings.iter().map(|w| w.path.as_str()).collect();
    assert!(paths.contains(&"props.wallpaper"), "{paths:?}");
    assert!(paths.contains(&"props.messages.1.timestamp"), "{paths:?}");
}
