//! Each platform's skin draws with its own palette and marks: the colours a user
//! recognises, light and dark, and no substitution warning.

use mockly_engine::{Engine, Payload, Rendered};
use mockly_testkit::Doc;
use serde_json::{Value, json};

fn conversation(platform: &str, dark: bool) -> Value {
    let mut doc = Doc::new()
        .platform(platform)
        .set("props.darkMode", json!(dark));
    for i in 0..14 {
        doc = doc.message(
            json!({"type": "text", "userId": if i % 2 == 0 { "you" } else { "me" },
                                 "text": format!("message {i} with a few words"),
                                 "timestamp": "2024-05-01T09:41:00Z", "status": "read"}),
        );
    }
    doc.json()
}

fn render(doc: &Value) -> Rendered {
    let p = Payload::from_json(doc.to_string().as_bytes()).unwrap();
    Engine::new().render(&p).unwrap()
}

fn pixels(r: &Rendered) -> impl Iterator<Item = (u32, u32, [u8; 3])> + '_ {
    let w = r.pixmap.width();
    r.pixmap.pixels().iter().enumerate().map(move |(i, p)| {
        let c = p.demultiply();
        (i as u32 % w, i as u32 / w, [c.red(), c.green(), c.blue()])
    })
}

fn count(r: &Rendered, rgb: u32) -> usize {
    let want = [(rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8];
    pixels(r).filter(|(_, _, c)| *c == want).count()
}

#[test]
fn the_bubble_skins_render_without_substitution() {
    for platform in [
        "imessage",
        "whatsapp",
        "messenger",
        "instagram",
        "telegram",
        "signal",
        "wechat",
        "line",
        "x",
        "tinder",
        "tiktok",
        "snapchat",
        "microsoftTeams",
        "reddit",
        "slack",
    ] {
        for dark in [false, true] {
            let r = render(&conversation(platform, dark));
            assert!(
                r.warnings.iter().all(|w| w.path != "props.platform"),
                "{platform}: {:?}",
                r.warnings
            );
            assert_eq!(r.pixmap.width(), 390);
        }
    }
}

#[test]
fn whatsapp_bubbles_wallpaper_and_blue_ticks() {
    let light = render(&conversation("whatsapp", false));
    assert!(count(&light, 0xD9FDD3) > 2000, "green outgoing bubbles");
    assert!(count(&light, 0xFFFFFF) > 2000, "white incoming bubbles");
    assert!(count(&light, 0xEFEAE2) > 20000, "beige wallpaper");
    let blue_ticks = pixels(&light)
        .filter(|(_, _, c)| c[2] > 200 && c[0] < 140 && c[1] > 160 && c[1] < 215)
        .count();
    assert!(blue_ticks > 30, "read ticks are blue: {blue_ticks}");
    let dark = render(&conversation("whatsapp", true));
    assert!(count(&dark, 0x005C4B) > 2000, "dark green outgoing bubbles");
    assert!(count(&dark, 0x202C33) > 2000, "dark incoming bubbles");
}

#[test]
fn signal_ultramarine_over_the_screen_and_grey_incoming() {
    let light = render(&conversation("signal", false));
    assert!(count(&light, 0xE9E9E9) > 2000, "grey incoming bubbles");
    // Outgoing bubbles show the part of the gradient behind them: deeper blue at
    // the top of the screen, lighter at the bottom.
    let blue_rows = |y0: u32, y1: u32| {
        let (mut n, mut r, mut g) = (0u32, 0u32, 0u32);
        for (_, y, c) in pixels(&light) {
            if (y0..y1).contains(&y) && c[2] > 220 && c[0] < 60 && c[1] > 60 && c[1] < 120 {
                n += 1;
                r += u32::from(c[0]);
                g += u32::from(c[1]);
            }
        }
        assert!(n > 300, "outgoing bubbles between {y0} and {y1}: {n}");
        (r / n, g / n)
    };
    let (top, bottom) = (blue_rows(100, 350), blue_rows(500, 760));
    assert!(
        top.0 + 8 < bottom.0 && top.1 + 6 < bottom.1,
        "{top:?} vs {bottom:?}"
    );
    let dark = render(&conversation("signal", true));
    assert!(count(&dark, 0x2E2E2E) > 2000, "dark grey incoming bubbles");
    assert!(count(&dark, 0x000000) > 20000, "black page");
}

#[test]
fn signal_shows_time_only_on_the_last_of_a_same_minute_burst() {
    let msg = |user: &str, text: &str, at: &str| {
        json!({"type": "text", "userId": user, "text": text,
               "timestamp": format!("2024-05-01T09:41:{at}Z"), "status": "read"})
    };
    let burst = Doc::new()
        .platform("signal")
        .message(msg("me", "first of three", "00"))
        .message(msg("me", "second of three", "10"))
        .message(msg("me", "third of three", "20"))
        .json();
    // The same three, each its own run (a reply between them): each shows its time.
    let apart = Doc::new()
        .platform("signal")
        .message(msg("me", "first of three", "00"))
        .message(msg("you", "ok", "05"))
        .message(msg("me", "second of three", "10"))
        .message(msg("you", "ok", "15"))
        .message(msg("me", "third of three", "20"))
        .json();
    // Time and checks are translucent white on the blue: count those pixels.
    let meta = |r: &Rendered| {
        pixels(r)
            .filter(|&(_, _, c)| c[0] > 120 && c[0] < 235 && c[2] > 235)
            .count()
    };
    let (collapsed, each) = (meta(&render(&burst)), meta(&render(&apart)));
    assert!(
        each > collapsed + 100,
        "{collapsed} in the burst vs {each} apart"
    );
}

#[test]
fn wechat_avatars_beside_every_message_on_both_sides() {
    let light = render(&conversation("wechat", false));
    assert!(count(&light, 0x95EC69) > 2000, "green outgoing bubbles");
    assert!(count(&light, 0xEDEDED) > 20000, "grey page");
    // Every message has its avatar: the grey tiles of people without a photo
    // stand at both edges, one per message shown.
    let tiles = |right: bool| {
        pixels(&light)
            .filter(|&(x, _, c)| c == [0xC8, 0xCD, 0xD3] && (x > 300) == right)
            .count()
    };
    let (left, right) = (tiles(false), tiles(true));
    assert!(
        left > 4 * 600 && right > 4 * 600,
        "avatar tiles: {left} left, {right} right"
    );
    let dark = render(&conversation("wechat", true));
    assert!(count(&dark, 0x3EB575) > 2000, "dark-mode green");
    assert!(count(&dark, 0x111111) > 20000, "near-black page");
}

#[test]
fn line_green_and_white_on_blue_with_read_beside() {
    let light = render(&conversation("line", false));
    assert!(count(&light, 0x8CABD8) > 20000, "blue-grey talk background");
    assert!(count(&light, 0x8DE055) > 2000, "yellow-green own bubbles");
    assert!(count(&light, 0xFFFFFF) > 2000, "white friend bubbles");
    // "Read" stands on the wallpaper left of each read own bubble: the same
    // conversation merely sent has that much less dark ink left of them.
    let mut sent = conversation("line", false);
    for m in sent["props"]["messages"].as_array_mut().unwrap() {
        m["status"] = json!("sent");
    }
    let ink = |r: &Rendered| {
        pixels(r)
            .filter(|&(x, _, c)| x < 150 && c[0] < 110 && c[2] < 150)
            .count()
    };
    let (read, unread) = (ink(&light), ink(&render(&sent)));
    assert!(
        read > unread + 100,
        "\"Read\" beside own bubbles: {read} vs {unread}"
    );
    let dark = render(&conversation("line", true));
    assert!(count(&dark, 0x2B2B2B) > 2000, "dark friend bubbles");
    assert!(count(&dark, 0x3BB85A) > 2000, "dark-mode green");
}

#[test]
fn x_blue_in_light_and_lights_out() {
    for dark in [false, true] {
        let r = render(&conversation("x", dark));
        assert!(
            count(&r, 0x1D9BF0) > 2000,
            "X blue own bubbles (dark: {dark})"
        );
        let (page, other) = if dark {
            (0x000000, 0x2F3336)
        } else {
            (0xFFFFFF, 0xEFF3F4)
        };
        assert!(count(&r, page) > 20000, "page (dark: {dark})");
        assert!(count(&r, other) > 2000, "other bubbles (dark: {dark})");
    }
}

#[test]
fn tinder_hearts_beside_the_match_and_the_match_card() {
    let plain = render(&conversation("tinder", false));
    assert!(count(&plain, 0x1786F8) > 2000, "blue own bubbles");
    assert!(count(&plain, 0xEEF0F4) > 2000, "grey match bubbles");
    // A reaction fills the heart beside the match's message in Tinder pink.
    let mut liked = conversation("tinder", false);
    liked["props"]["messages"][12]["reactions"] = json!([{"emoji": "❤️", "userId": "me"}]);
    let pink = |r: &Rendered| count(r, 0xFD267A);
    let (with, without) = (pink(&render(&liked)), pink(&plain));
    assert!(with > without + 80, "a filled heart: {with} vs {without}");
    let dark = render(&conversation("tinder", true));
    assert!(count(&dark, 0x111418) > 20000, "dark page");
    assert!(count(&dark, 0x2A2F36) > 2000, "dark match bubbles");
}

#[test]
fn tiktok_cyan_own_bubbles_and_seen_only_once_read() {
    let read = render(&conversation("tiktok", false));
    assert!(count(&read, 0x00B5D4) > 2000, "cyan own bubbles");
    assert!(count(&read, 0xF1F1F2) > 2000, "grey bubbles");
    // "Seen" under the last own message once read.
    let mut sent = conversation("tiktok", false);
    for m in sent["props"]["messages"].as_array_mut().unwrap() {
        m["status"] = json!("delivered");
    }
    let unread = render(&sent);
    let differing = read
        .pixmap
        .pixels()
        .iter()
        .zip(unread.pixmap.pixels())
        .filter(|(a, b)| a != b)
        .count();
    assert!(
        differing > 50,
        "\"Seen\" drawn once read: {differing} pixels differ"
    );
    let dark = render(&conversation("tiktok", true));
    assert!(count(&dark, 0x121212) > 20000, "dark page");
    assert!(count(&dark, 0x2A2A2A) > 2000, "dark grey bubbles");
}

#[test]
fn snapchat_everything_on_the_left_under_coloured_bars() {
    for dark in [false, true] {
        let r = render(&conversation("snapchat", dark));
        let at = |rgb: u32, right: bool| {
            let want = [(rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8];
            pixels(&r)
                .filter(|&(x, _, c)| c == want && (x > 120) == right)
                .count()
        };
        // "ME" and your bars in red, the friend's in blue: on the left only.
        assert!(at(0xF23C57, false) > 300, "red ME bars (dark: {dark})");
        assert!(at(0x0096E5, false) > 300, "blue friend bars (dark: {dark})");
        assert_eq!(
            at(0xF23C57, true) + at(0x0096E5, true),
            0,
            "nothing on the right"
        );
    }
    let dark = render(&conversation("snapchat", true));
    assert!(count(&dark, 0x121212) > 20000, "dark page");
}

#[test]
fn teams_purple_own_bubbles_and_grey_ones_on_a_plain_canvas() {
    let light = render(&conversation("microsoftTeams", false));
    assert!(count(&light, 0xFFFFFF) > 20000, "white canvas");
    assert!(count(&light, 0xE8EBFA) > 2000, "light purple own bubbles");
    assert!(count(&light, 0xF5F5F5) > 2000, "grey bubbles");
    let dark = render(&conversation("microsoftTeams", true));
    assert!(count(&dark, 0x141414) > 20000, "dark canvas");
    assert!(count(&dark, 0x2F2F4A) > 2000, "dark purple own bubbles");
}

#[test]
fn reddit_rows_with_our_own_default_avatars() {
    let light = render(&conversation("reddit", false));
    assert!(count(&light, 0xFFFFFF) > 20000, "white page");
    // Default avatars: a disc in one of Reddit's default colours with a white
    // face, not initials.
    let discs: usize = [0xFF4500, 0xFF8717, 0xD4E815, 0x46D160, 0x24A0ED, 0xA5A4A4]
        .into_iter()
        .map(|c| count(&light, c))
        .sum();
    assert!(discs > 400, "default avatar discs: {discs}");
    let dark = render(&conversation("reddit", true));
    assert!(count(&dark, 0x0E1113) > 20000, "dark page");
}

#[test]
fn slack_square_avatars_on_slack_kit_colours() {
    let light = render(&conversation("slack", false));
    assert!(count(&light, 0xFFFFFF) > 20000, "white page");
    let dark = render(&conversation("slack", true));
    assert!(count(&dark, 0x1A1D21) > 20000, "dark page");
    // Avatars are rounded squares: near their left edge they fill most of their
    // height (about 1,500 pixels here), where round ones would fill about 1,000.
    let corner_filled = |r: &Rendered| {
        pixels(r)
            .filter(|&(x, _, c)| {
                (17..=19).contains(&x) && c != [0xFF, 0xFF, 0xFF] && c != [0x1A, 0x1D, 0x21]
            })
            .count()
    };
    assert!(
        corner_filled(&light) > 1250,
        "square-ish avatars: {}",
        corner_filled(&light)
    );
}

#[test]
fn telegram_bubbles_on_a_gradient_wallpaper() {
    let light = render(&conversation("telegram", false));
    assert!(
        count(&light, 0xEFFDDE) > 2000,
        "pale green outgoing bubbles"
    );
    // The wallpaper runs from yellow-green at the top to green at the bottom.
    let at = |y: u32| {
        let p = light.pixmap.pixel(2, y).unwrap().demultiply();
        (p.red(), p.green())
    };
    assert!(at(200).0 > at(700).0, "{:?} {:?}", at(200), at(700));
    let dark = render(&conversation("telegram", true));
    assert!(
        count(&dark, 0x2B5278) > 2000,
        "blue outgoing bubbles in the dark"
    );
}

/// Average colour of the outgoing gradient bubbles (saturated, right half) in a band.
fn sent_tint(r: &Rendered, y0: u32, y1: u32) -> (f64, f64) {
    let (mut red, mut blue, mut n) = (0.0, 0.0, 0.0);
    for (x, y, c) in pixels(r) {
        let saturated = c[2] > 200 && c[1] < 170 && c[0] < 200;
        if x > 200 && (y0..y1).contains(&y) && saturated {
            red += f64::from(c[0]);
            blue += f64::from(c[2]);
            n += 1.0;
        }
    }
    assert!(n > 500.0, "found sent bubbles between {y0} and {y1}");
    (red / n, blue / n)
}

#[test]
fn messenger_and_instagram_share_one_gradient_across_the_screen() {
    for platform in ["messenger", "instagram"] {
        let r = render(&conversation(platform, false));
        let top = sent_tint(&r, 100, 400);
        let bottom = sent_tint(&r, 700, 1000);
        assert!(
            top.0 > bottom.0 + 40.0,
            "{platform}: purple at the top, blue below: {top:?} {bottom:?}"
        );
    }
}

#[test]
fn incoming_runs_get_avatars_in_messenger_but_not_in_whatsapp() {
    // Sam's photo is plain magenta, easy to find beside the bubbles.
    let photo = {
        use base64::Engine as _;
        let img = image::RgbaImage::from_pixel(8, 8, image::Rgba([255, 0, 255, 255]));
        let mut png = std::io::Cursor::new(Vec::new());
        img.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let b64 = base64::engine::general_purpose::STANDARD.encode(png.into_inner());
        format!("data:image/png;base64,{b64}")
    };
    let magenta_beside_bubbles = |platform: &str| {
        let mut doc = conversation(platform, false);
        doc["props"]["receivers"][0]["image"] = json!(photo);
        let r = render(&doc);
        pixels(&r)
            .filter(|(x, y, c)| *x < 44 && *y > 150 && *c == [255, 0, 255])
            .count()
    };
    assert!(
        magenta_beside_bubbles("messenger") > 200,
        "Messenger shows the avatar"
    );
    assert!(
        magenta_beside_bubbles("instagram") > 200,
        "Instagram shows the avatar"
    );
    assert_eq!(
        magenta_beside_bubbles("whatsapp"),
        0,
        "WhatsApp does not in a direct chat"
    );
    assert_eq!(magenta_beside_bubbles("imessage"), 0, "nor does iMessage");
}
