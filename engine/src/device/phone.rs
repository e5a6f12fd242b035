//! An iPhone with a Dynamic Island (390 × 844 points): its status bar (time, signal,
//! Wi-Fi, battery), the home indicator, and the phone drawn around the screen.

use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;

/// The screen, points.
pub const SCREEN: (f32, f32) = (390.0, 844.0);
/// Height of the status bar on a Dynamic Island iPhone, points.
pub const STATUS_BAR_HEIGHT: f32 = 54.0;
/// Height of the home-indicator strip at the bottom of the screen.
pub const HOME_INDICATOR_HEIGHT: f32 = 34.0;
/// Corner radius of the screen.
pub const SCREEN_RADIUS: f32 = 47.0;

/// Time, signal, Wi-Fi and battery, in `ink` (black on light apps, white on dark).
pub fn status_bar(cx: &mut Cx<'_>, ink: Color) -> Block {
    let mut b = Block::new(STATUS_BAR_HEIGHT);
    let mid = 27.5;
    let style = TextStyle::new(Family::Inter, 17.0, 22.0, 600, ink).tracking(-0.01);
    let time = cx.line_within(&cx.props().status_bar_time.clone(), &style, 90.0);
    // The time is centred left of the island; the signal, Wi-Fi and battery cluster
    // ends 94 points from the right edge.
    b.push(Item::text(
        66.0 - time.width / 2.0,
        mid - time.first_baseline + 6.0,
        time,
    ));

    // Cellular signal: four rising bars.
    let mut x = cx.width - 94.0;
    for (i, h) in [4.0, 6.0, 8.5, 11.0].into_iter().enumerate() {
        let r = Rect::new(x + i as f32 * 4.6, mid + 5.5 - h, 3.0, h);
        b.push(Item::fill(Shape::RoundRect(r, 0.9), ink));
    }
    x += 17.0 + 5.0;
    b.push(Item::Icon {
        icon: Icon::Wifi,
        rect: Rect::new(x, mid - 5.5, 15.5, 11.2),
        color: ink,
    });
    x += 15.5 + 6.0;
    battery(&mut b, x, mid, cx.props().battery_level as f32, ink);
    b
}

/// The battery: outlined body, fill by level (red at 20 % and below), and cap.
fn battery(b: &mut Block, x: f32, mid: f32, level: f32, ink: Color) {
    let body = Rect::new(x, mid - 6.25, 25.0, 12.5);
    b.push(Item::Stroke {
        shape: Shape::RoundRect(body.inset(0.5), 3.8),
        color: ink.fade(0.35),
        width: 1.0,
    });
    let inner = body.inset(2.0);
    let level = (level / 100.0).clamp(0.0, 1.0);
    if level > 0.0 {
        let fill = if level <= 0.2 {
            Color::hex(0xFF3B30)
        } else {
            ink
        };
        let w = (inner.w * level).max(1.5);
        b.push(Item::fill(
            Shape::RoundRect(Rect::new(inner.x, inner.y, w, inner.h), 2.2),
            fill,
        ));
    }
    let cap = Rect::new(body.right() + 1.0, mid - 2.2, 1.6, 4.4);
    b.push(Item::fill(Shape::RoundRect(cap, 0.8), ink.fade(0.4)));
}

/// The home indicator bar, centred at the bottom of a strip of `height`.
pub fn home_indicator(width: f32, height: f32, ink: Color) -> Item {
    let w = 134.0;
    let r = Rect::new((width - w) / 2.0, height - 8.0 - 5.0, w, 5.0);
    Item::fill(Shape::RoundRect(r, 2.5), ink)
}

/// Space around the screen taken by the phone, points.
pub const FRAME_BEZEL: f32 = 14.0;
/// Extra room for the side buttons and the edge highlight.
pub const FRAME_MARGIN: f32 = 6.0;

/// The phone around a screen of `(w, h)` placed at (`FRAME_MARGIN + FRAME_BEZEL`,
/// same): titanium band, black bezel, side buttons. Drawn before the screen.
pub fn body((w, h): (f32, f32), dark: bool) -> Vec<Item> {
    let o = FRAME_MARGIN;
    let body = Rect::new(o, o, w + 2.0 * FRAME_BEZEL, h + 2.0 * FRAME_BEZEL);
    let radius = SCREEN_RADIUS + FRAME_BEZEL;
    let band = if dark {
        Color::hex(0x3B3B3D)
    } else {
        Color::hex(0x8E8E93)
    };
    let mut items = Vec::new();
    // Side buttons first, so the band overlaps their inner ends.
    let button =
        |x: f32, y: f32, h: f32| Item::fill(Shape::RoundRect(Rect::new(x, y, 4.0, h), 1.5), band);
    items.push(button(o - 3.0, o + 120.0, 30.0)); // action button
    items.push(button(o - 3.0, o + 176.0, 58.0)); // volume up
    items.push(button(o - 3.0, o + 246.0, 58.0)); // volume down
    items.push(button(body.right() - 1.0, o + 200.0, 92.0)); // side button
    items.push(Item::fill(Shape::RoundRect(body, radius), band));
    items.push(Item::fill(
        Shape::RoundRect(body.inset(2.5), radius - 2.5),
        Color::hex(0x0A0A0A),
    ));
    items
}

/// Shape of a screen of `(w, h)` in its own coordinates, for clipping what is on it.
pub fn screen_shape((w, h): (f32, f32)) -> Shape {
    Shape::RoundRect(Rect::new(0.0, 0.0, w, h), SCREEN_RADIUS)
}

/// The Dynamic Island of a screen `width` wide, drawn over the screen.
pub fn island(width: f32) -> Item {
    let at = FRAME_MARGIN + FRAME_BEZEL;
    let (w, h) = (124.0, 36.0);
    Item::fill(
        Shape::RoundRect(Rect::new(at + (width - w) / 2.0, at + 11.0, w, h), h / 2.0),
        Color::BLACK,
    )
}
