//! A desktop window, 1280 × 800 points: no status bar or home indicator; with a
//! device frame, a macOS-style title bar (traffic lights), rounded corners and a
//! soft shadow on a neutral backdrop around it.

use tiny_skia::PathBuilder;

use crate::scene::{Color, Corners, Item, Rect, Shape, push_corners};

/// The window's content, points.
pub const SCREEN: (f32, f32) = (1280.0, 800.0);
/// The title bar drawn above the content when framed.
pub const TITLE_BAR: f32 = 28.0;
/// Backdrop around the window when framed (room for its shadow).
pub const MARGIN: f32 = 48.0;
/// Corner radius of the window.
pub const RADIUS: f32 = 10.0;

/// The framed picture's size around content of `(w, h)`.
pub fn framed_size((w, h): (f32, f32)) -> (f32, f32) {
    (w + 2.0 * MARGIN, h + TITLE_BAR + 2.0 * MARGIN)
}

/// Where the content goes in the framed picture.
pub fn content_at() -> (f32, f32) {
    (MARGIN, MARGIN + TITLE_BAR)
}

/// Backdrop, shadow, window body and title bar, drawn before the content.
pub fn body((w, h): (f32, f32), dark: bool, transparent: bool) -> Vec<Item> {
    let (fw, fh) = framed_size((w, h));
    let window = Rect::new(MARGIN, MARGIN, w, h + TITLE_BAR);
    let mut items = Vec::new();
    if !transparent {
        let backdrop = if dark {
            Color::hex(0x1C1C1E)
        } else {
            Color::hex(0xE5E5EA)
        };
        items.push(Item::rect(Rect::new(0.0, 0.0, fw, fh), backdrop));
    }
    // A soft shadow: rings of falling opacity, a little lower than the window.
    for (spread, alpha) in [(22.0, 0x06), (14.0, 0x0A), (8.0, 0x10), (3.0, 0x18)] {
        let r = Rect::new(
            window.x - spread,
            window.y - spread + 10.0,
            window.w + 2.0 * spread,
            window.h + 2.0 * spread,
        );
        items.push(Item::fill(
            Shape::RoundRect(r, RADIUS + spread),
            Color::rgba(0, 0, 0, alpha),
        ));
    }
    let (bar, hairline) = if dark {
        (Color::hex(0x2C2C2E), Color::hex(0x0E0E10))
    } else {
        (Color::hex(0xECECEC), Color::hex(0xD4D4D4))
    };
    items.push(Item::fill(Shape::RoundRect(window, RADIUS), bar));
    items.push(Item::rect(
        Rect::new(window.x, window.y + TITLE_BAR - 1.0, w, 1.0),
        hairline,
    ));
    let cy = window.y + TITLE_BAR / 2.0;
    for (i, color) in [0xFF5F57u32, 0xFEBC2E, 0x28C840].into_iter().enumerate() {
        items.push(Item::fill(
            Shape::Circle {
                cx: window.x + 14.0 + i as f32 * 20.0,
                cy,
                r: 6.0,
            },
            Color::hex(color),
        ));
    }
    items
}

/// The content's outline (its bottom corners follow the window's).
pub fn content_shape((w, h): (f32, f32)) -> Shape {
    let mut pb = PathBuilder::new();
    push_corners(
        &mut pb,
        Rect::new(0.0, 0.0, w, h),
        Corners(0.0, 0.0, RADIUS, RADIUS),
    );
    pb.finish()
        .map_or(Shape::Rect(Rect::new(0.0, 0.0, w, h)), Shape::path)
}
