//! The bars above and below a transcript: the translucent bar material, a header's
//! left-aligned title, its call buttons and the presence dot on its avatar.

use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;

use super::avatar::{Headline, NoPhoto, headline_avatar_as};

/// A bar material: blur what scrolls beneath, tint it, and draw a hairline along the
/// bottom edge when given (page assembly drops the blur when nothing is beneath).
pub fn bar(b: &mut Block, rect: Rect, tint: Color, hairline: Option<Color>) {
    b.push(Item::BackdropBlur { rect, radius: 20.0 });
    b.push(Item::rect(rect, tint));
    if let Some(line) = hairline {
        b.push(Item::rect(
            Rect::new(rect.x, rect.bottom() - 0.5, rect.w, 0.5),
            line,
        ));
    }
}

/// A header's left-aligned title: the conversation's avatar with its left edge at
/// `x`, centred on `mid`, and the title over a subtitle beside it.
pub fn left_title(
    cx: &mut Cx<'_>,
    b: &mut Block,
    h: &Headline,
    (x, mid): (f32, f32),
    (avatar, no_photo): (f32, NoPhoto),
    (title_style, subtitle, subtitle_style): (&TextStyle, &str, &TextStyle),
    max_w: f32,
) -> Rect {
    b.items.extend(headline_avatar_as(
        cx,
        h,
        (x + avatar / 2.0, mid),
        avatar,
        Color::TRANSPARENT,
        no_photo,
    ));
    let tx = x + avatar + 10.0;
    let title = cx.line_within(&h.title, title_style, max_w);
    let sub = (!subtitle.is_empty()).then(|| cx.line_within(subtitle, subtitle_style, max_w));
    let total = title.height + sub.as_ref().map_or(0.0, |s| s.height);
    let top = mid - total / 2.0;
    let title_w = title.width;
    b.push(Item::text(tx, top, title.clone()));
    if let Some(s) = sub {
        b.push(Item::text(tx, top + title.height, s));
    }
    Rect::new(tx, top, title_w, total)
}

/// Call buttons at a header's right: `icons` from the right edge leftwards, their
/// right edges `spacing` apart from `right` on, sized by `size` (1 = the usual video
/// 27×18 and phone 23×23 points).
pub fn call_buttons(
    b: &mut Block,
    icons: [Icon; 2],
    (right, mid): (f32, f32),
    spacing: f32,
    size: f32,
    color: Color,
) {
    for (i, icon) in icons.into_iter().enumerate() {
        let slot_right = right - i as f32 * spacing;
        let (w, h) = if icon == Icon::Video {
            (27.0 * size, 18.0 * size)
        } else {
            (23.0 * size, 23.0 * size)
        };
        b.push(Item::Icon {
            icon,
            rect: Rect::new(slot_right - w, mid - h / 2.0, w, h),
            color,
        });
    }
}

/// A presence dot of radius `r` centred on `(x, y)`, cut out of what is beneath by
/// a ring `ring` wide in `ring_color` (the bar's).
pub fn presence_dot(
    b: &mut Block,
    (x, y): (f32, f32),
    (r, ring): (f32, f32),
    (ring_color, color): (Color, Color),
) {
    b.push(Item::fill(
        Shape::Circle {
            cx: x,
            cy: y,
            r: r + ring,
        },
        ring_color,
    ));
    b.push(Item::fill(Shape::Circle { cx: x, cy: y, r }, color));
}

/// Icons in one colour, each `(icon, centre x, (width, height))`, centred on `mid`:
/// a bar's row of buttons.
pub fn icons_at(b: &mut Block, icons: &[(Icon, f32, (f32, f32))], mid: f32, color: Color) {
    for &(icon, x, (w, h)) in icons {
        b.push(Item::Icon {
            icon,
            rect: Rect::new(x - w / 2.0, mid - h / 2.0, w, h),
            color,
        });
    }
}
