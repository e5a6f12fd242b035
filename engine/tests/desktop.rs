//! `mobileView: false`: a desktop window where the platform has one (WhatsApp Web,
//! Telegram Desktop, messenger.com, Discord, Slack and Teams), 1280 × 800 points and taller with the conversation, framed in a window
//! with a title bar when asked; the others stay mobile with a warning that says why.

use mockly_engine::{Engine, Payload, Rendered};
use mockly_testkit::Doc;
use serde_json::{Value, json};

fn chat(platform: &str, messages: usize) -> Doc {
    let mut doc = Doc::new()
        .platform(platform)
        .set("props.mobileView", json!(false))
        .scale("1x");
    for i in 0..messages {
        doc = doc.message(
            json!({"type": "text", "userId": if i % 2 == 0 { "you" } else { "me" },
            "text": format!("message {i} with a few words"),
            "timestamp": "2024-05-01T09:41:00Z", "status": "read"}),
        );
    }
    doc
}

fn render(doc: &Value) -> Rendered {
    let p = Payload::from_json(doc.to_string().as_bytes()).unwrap();
    Engine::new().render(&p).unwrap()
}

fn rgb(r: &Rendered, x: u32, y: u32) -> u32 {
    let p = r.pixmap.pixel(x, y).unwrap().demultiply();
    u32::from(p.red()) << 16 | u32::from(p.green()) << 8 | u32::from(p.blue())
}

#[test]
fn whatsapp_web_is_a_window_with_its_rail_and_chat_list() {
    for (dark, rail, list, selected) in [
        (false, 0xF0F2F5, 0xFFFFFF, 0xF0F2F5),
        (true, 0x202C33, 0x111B21, 0x2A3942),
    ] {
        let r = render(
            &chat("whatsapp", 6)
                .set("props.darkMode", json!(dark))
                .json(),
        );
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!((r.pixmap.width(), r.pixmap.height()), (1280, 800));
        assert_eq!(rgb(&r, 4, 400), rail, "the rail (dark: {dark})");
        assert_eq!(rgb(&r, 300, 700), list, "the chat list");
        // The current conversation is the selected row, under the chips.
        assert_eq!(rgb(&r, 300, 160), selected, "the selected chat");
    }
}

#[test]
fn telegram_desktop_selects_the_chat_in_blue_and_centres_the_column() {
    for (dark, list, active) in [(false, 0xFFFFFF, 0x419FD9), (true, 0x17212B, 0x2B5278)] {
        let r = render(
            &chat("telegram", 6)
                .set("props.darkMode", json!(dark))
                .json(),
        );
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!((r.pixmap.width(), r.pixmap.height()), (1280, 800));
        assert_eq!(rgb(&r, 300, 700), list, "the dialogs column (dark: {dark})");
        assert_eq!(rgb(&r, 200, 58), active, "the current chat, selected");
    }
    // Incoming bubbles start in the centred column, not at the pane's edge.
    let r = render(&chat("telegram", 6).json());
    let row = 120;
    let first_white = (330..1280).find(|&x| rgb(&r, x, row) == 0xFFFFFF);
    assert!(
        first_white.is_some_and(|x| x > 320 + 100),
        "first bubble pixel at {first_white:?}"
    );
}

#[test]
fn messenger_web_has_its_list_and_the_info_panel() {
    for (dark, panel, selected) in [(false, 0xFFFFFF, 0xF0F2F5), (true, 0x242526, 0x3A3B3C)] {
        let r = render(
            &chat("messenger", 6)
                .set("props.darkMode", json!(dark))
                .json(),
        );
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!((r.pixmap.width(), r.pixmap.height()), (1280, 800));
        assert_eq!(rgb(&r, 200, 690), panel, "the chat list (dark: {dark})");
        assert_eq!(rgb(&r, 345, 182), selected, "the current chat, selected");
        assert_eq!(rgb(&r, 1100, 700), panel, "the info panel");
    }
}

#[test]
fn discord_has_its_rail_sidebar_and_member_list_or_profile() {
    for (dark, rail, sidebar, chat_bg) in [
        (false, 0xE3E5E8, 0xF2F3F5, 0xFFFFFF),
        (true, 0x1E1F22, 0x2B2D31, 0x313338),
    ] {
        let r = render(&chat("discord", 6).set("props.darkMode", json!(dark)).json());
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!((r.pixmap.width(), r.pixmap.height()), (1280, 800));
        assert_eq!(rgb(&r, 2, 600), rail, "the server rail (dark: {dark})");
        assert_eq!(rgb(&r, 200, 600), sidebar, "the sidebar");
        assert_eq!(rgb(&r, 600, 700), chat_bg, "the chat");
        // A DM: the profile panel (340 wide) with its banner.
        assert_eq!(rgb(&r, 1279 - 300, 600), sidebar, "the profile panel");
        assert_ne!(rgb(&r, 1279 - 100, 40), sidebar, "the banner");
    }
    // A server channel: the member list lists everyone in the conversation.
    let group = chat("discord", 6)
        .set("props.conversationType", json!("group-chat"))
        .set("props.groupChatSettings", json!({"name": "Weekend Trip"}))
        .json();
    let r = render(&group);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(rgb(&r, 1279 - 200, 600), 0xF2F3F5, "the member list");
}

#[test]
fn teams_has_its_title_bar_app_bar_and_chat_list() {
    for (dark, frame, list, canvas) in [
        (false, 0xEBEBEB, 0xF5F5F5, 0xF5F5F5),
        (true, 0x0A0A0A, 0x1F1F1F, 0x1F1F1F),
    ] {
        let r = render(
            &chat("microsoftTeams", 6)
                .set("props.darkMode", json!(dark))
                .json(),
        );
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!((r.pixmap.width(), r.pixmap.height()), (1280, 800));
        assert_eq!(rgb(&r, 300, 4), frame, "the title bar (dark: {dark})");
        assert_eq!(rgb(&r, 4, 600), frame, "the app bar");
        assert_eq!(rgb(&r, 200, 760), list, "the chat list");
        assert_eq!(rgb(&r, 900, 700), canvas, "the canvas");
    }
}

#[test]
fn slack_is_a_card_in_the_theme_coloured_frame() {
    for (dark, frame, sidebar, card) in [
        (false, 0x3F0E40, 0x4E214F, 0xFFFFFF),
        (true, 0x2A0A2B, 0x381939, 0x1A1D21),
    ] {
        let r = render(&chat("slack", 4).set("props.darkMode", json!(dark)).json());
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        let (w, h) = (r.pixmap.width(), r.pixmap.height());
        assert_eq!(w, 1280);
        assert!(h >= 800, "{h}");
        assert_eq!(rgb(&r, 600, 4), frame, "the top bar (dark: {dark})");
        assert_eq!(rgb(&r, 4, 600), frame, "the tab rail");
        assert_eq!(rgb(&r, 200, 600), sidebar, "the sidebar");
        assert_eq!(rgb(&r, 900, 300), card, "the card");
        // The card sits inset from the frame's right and bottom edges.
        assert_eq!(rgb(&r, w - 3, 300), frame, "frame right of the card");
        assert_eq!(rgb(&r, 900, h - 3), frame, "frame below the card");
    }
}

#[test]
fn a_long_conversation_makes_the_window_taller() {
    let r = render(&chat("whatsapp", 60).json());
    assert_eq!(r.pixmap.width(), 1280);
    assert!(r.pixmap.height() > 2000, "{}", r.pixmap.height());
    // The rail reaches the bottom, where the user's settings sit.
    assert_eq!(rgb(&r, 4, r.pixmap.height() - 2), 0xF0F2F5);
}

#[test]
fn with_a_device_frame_the_window_gets_a_title_bar() {
    let r = render(
        &chat("whatsapp", 6)
            .set("props.showDeviceFrame", json!(true))
            .json(),
    );
    assert_eq!(
        (r.pixmap.width(), r.pixmap.height()),
        (1280 + 96, 800 + 28 + 96)
    );
    // Traffic lights on the title bar; a neutral backdrop around the window.
    assert_eq!(rgb(&r, 48 + 14, 48 + 14), 0xFF5F57);
    assert_eq!(rgb(&r, 2, 2), 0xE5E5EA);
}

#[test]
fn platforms_without_a_desktop_window_say_so_and_stay_mobile() {
    let r = render(&chat("signal", 6).json());
    assert_eq!(r.pixmap.width(), 390);
    let w = &r.warnings;
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].path, "props.mobileView");
    assert!(
        w[0].message.contains("Signal has no desktop window yet")
            && w[0]
                .message
                .contains("whatsapp, messenger, telegram, discord, slack, microsoftTeams"),
        "{}",
        w[0].message
    );
}

#[test]
fn desktop_videos_play_in_the_window() {
    let doc = chat("whatsapp", 4).video().json();
    let p = Payload::from_json(doc.to_string().as_bytes()).unwrap();
    let engine = Engine::new();
    let (t, warnings) = engine.timeline(&p).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(t.pixel_size(), (1280, 800));
    // At 2x a desktop frame is over the per-frame limit; the refusal says which
    // scale fits.
    let big = chat("whatsapp", 4).video().scale("2x").json();
    let p = Payload::from_json(big.to_string().as_bytes()).unwrap();
    let e = engine.timeline(&p).unwrap_err().to_string();
    assert!(e.contains("render this video at 1x"), "{e}");
}

/// Pixels of the columns left of the pane (WhatsApp Web's rail and chat list).
fn chat_list(pixmap: &mockly_engine::tiny_skia::Pixmap) -> Vec<u8> {
    (60..800)
        .flat_map(|y| {
            let row = &pixmap.data()[(y * pixmap.width() as usize) * 4..];
            row[..400 * 4].to_vec()
        })
        .collect()
}

#[test]
fn a_desktop_video_previews_only_the_messages_already_sent() {
    let engine = Engine::new();
    let n = 4;
    let payload = |doc: &Doc| Payload::from_json(doc.json().to_string().as_bytes()).unwrap();
    let video = payload(&chat("whatsapp", n).video());
    let (t, _) = engine.timeline(&video).unwrap();
    let list_at = |ms: f64| chat_list(&engine.paint(&t.scene_at(ms)).unwrap());
    // The chat list of the conversation so far, as a still of its first k messages.
    let so_far: Vec<Vec<u8>> = (1..=n)
        .map(|k| {
            chat_list(
                &engine
                    .render(&payload(&chat("whatsapp", k)))
                    .unwrap()
                    .pixmap,
            )
        })
        .collect();
    let end = chat_list(&engine.paint(&t.scene_at(t.duration_ms - 1.0)).unwrap());
    assert!(
        end == so_far[n - 1],
        "the last frame previews the last message"
    );
    // Mid-video the list is that of an earlier point of the conversation, never
    // the end's (which would give the last message away before it is sent).
    let mid = list_at(t.duration_ms / 2.0);
    let k = so_far.iter().position(|l| *l == mid);
    assert!(matches!(k, Some(k) if k + 1 < n), "mid-video: {k:?}");
    // Before the first message the current chat previews nothing.
    assert!(list_at(0.0) != so_far[0]);
}

fn parse(doc: &Value) -> Result<Payload, mockly_engine::PayloadError> {
    Payload::from_json(doc.to_string().as_bytes())
}

#[test]
fn the_sidebar_is_validated_with_field_paths() {
    let with = |sidebar: Value| chat("whatsapp", 2).set("props.sidebar", sidebar).json();
    let e = parse(&with(json!([{"name": "  "}]))).unwrap_err();
    assert_eq!(e.path, "props.sidebar.0.name", "{}", e.message);
    let e = parse(&with(
        json!([{"name": "Mom"}, {"name": "Work", "image": "ftp://x/y.png"}]),
    ))
    .unwrap_err();
    assert_eq!(e.path, "props.sidebar.1.image", "{}", e.message);
    let e = parse(&with(json!([{"name": "Mom", "time": "x".repeat(40)}]))).unwrap_err();
    assert_eq!(e.path, "props.sidebar.0.time", "{}", e.message);
    let e = parse(&with(json!([{"name": "Mom", "unread": 10000}]))).unwrap_err();
    assert_eq!(e.path, "props.sidebar.0.unread", "{}", e.message);
    let many: Vec<Value> = (0..51)
        .map(|i| json!({"name": format!("Chat {i}")}))
        .collect();
    let e = parse(&with(Value::Array(many))).unwrap_err();
    assert_eq!(e.path, "props.sidebar", "{}", e.message);
    let e = parse(&with(json!("Mom"))).unwrap_err();
    assert_eq!(e.path, "props.sidebar", "{}", e.message);
    // Fields we do not know are dropped with a warning naming them.
    let p = parse(&with(json!([{"name": "Mom", "nickname": "M"}]))).unwrap();
    assert!(
        p.warnings
            .iter()
            .any(|w| w.path == "props.sidebar.0.nickname"),
        "{:?}",
        p.warnings
    );
}

#[test]
fn the_sidebar_replaces_the_placeholder_chats() {
    // Below the current chat (the first 72-point row under the chips), the
    // second row's avatar (the list starts after the 64-point rail): a
    // placeholder group by default, nothing with an empty sidebar, the payload's
    // chat with one.
    let avatar = (64 + 13 + 24, 154 + 72 + 36);
    let placeholder = render(&chat("whatsapp", 4).json());
    assert_eq!(rgb(&placeholder, avatar.0, avatar.1), 0xDFE5E7);
    let empty = render(&chat("whatsapp", 4).set("props.sidebar", json!([])).json());
    assert_eq!(rgb(&empty, avatar.0, avatar.1), 0xFFFFFF);
    let own = render(
        &chat("whatsapp", 4)
            .set(
                "props.sidebar",
                json!([{"name": "Mom", "lastMessage": "hi", "unread": 2}]),
            )
            .json(),
    );
    // The payload's chat, without a picture, gets WhatsApp's person silhouette
    // (the placeholder its group silhouette): the same grey, another figure.
    assert_eq!(rgb(&own, avatar.0 - 18, avatar.1), 0xDFE5E7);
    let figure = |r: &Rendered| -> Vec<u32> {
        (avatar.1 - 20..avatar.1 + 20)
            .flat_map(|y| (avatar.0 - 20..avatar.0 + 20).map(move |x| (x, y)))
            .map(|(x, y)| rgb(r, x, y))
            .collect()
    };
    assert!(
        figure(&own) != figure(&placeholder),
        "a person, not a group"
    );
    // The unread count's green badge at the row's right.
    let badge = (64..464u32)
        .rev()
        .find(|&x| rgb(&own, x, 154 + 72 + 50) == 0x25D366);
    assert!(badge.is_some(), "an unread badge");
}
