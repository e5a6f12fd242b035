//! iPhone parts shared by every skin shown on iOS: the status bar, the home
//! indicator, contact avatars (photo or monogram), and the phone drawn around the
//! screen.

use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::{Block, Cx, MOBILE_HEIGHT, MOBILE_WIDTH};
use crate::payload::User;
use crate::scene::{Color, Item, Paint, Rect, Shape};
use crate::text::TextStyle;

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
    b.push(Item::text(
        66.0 - time.width / 2.0,
        mid - time.first_baseline + 6.0,
        time,
    ));

    // Cellular signal: four rising bars.
    let mut x = 296.0;
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

/// A composer's frame: a bar whose field grows with the draft typed into it (up to
/// five lines, then the text scrolls inside), for each skin to put its buttons on.
pub struct Composer {
    pub block: Block,
    pub field: Rect,
    /// Vertical centre of the buttons beside the field's last line.
    pub cy: f32,
    /// The draft, shaped.
    pub draft: Option<std::sync::Arc<crate::text::TextBlock>>,
    lines: (usize, usize),
}

impl Composer {
    /// `field`: x and width of the field; `text_w`: room for the draft's lines;
    /// `height`: the empty field's height and the bar's padding above and below it;
    /// `hairline`: a line along the bar's top edge.
    pub fn new(
        cx: &mut Cx<'_>,
        style: &TextStyle,
        draft: Option<&str>,
        (fx, fw, text_w): (f32, f32, f32),
        (field_h, pad_top, pad_bottom): (f32, f32, f32),
        tint: Color,
        hairline: Option<Color>,
    ) -> Composer {
        let draft = draft.map(|t| {
            cx.text(
                &crate::text::with_links(t),
                style,
                crate::text::Bounds::width(text_w),
            )
        });
        let lines = draft.as_ref().map_or(1, |t| t.line_count().max(1));
        let shown = lines.min(5);
        // Only the last lines show; a video keeps many drafts, so keep no more.
        let draft = draft.map(|t| {
            if lines > shown {
                std::sync::Arc::new(t.last_lines(shown))
            } else {
                t
            }
        });
        let lines = shown;
        let field = Rect::new(
            fx,
            pad_top,
            fw,
            field_h + (shown - 1) as f32 * style.line_height,
        );
        let mut block = Block::new(pad_top + field.h + pad_bottom + HOME_INDICATOR_HEIGHT);
        let all = Rect::new(0.0, 0.0, cx.width, block.height);
        bar(&mut block, all, tint, None);
        if let Some(line) = hairline {
            block.push(Item::rect(Rect::new(0.0, 0.0, cx.width, 0.5), line));
        }
        Composer {
            block,
            cy: field.bottom() - field_h / 2.0,
            field,
            draft,
            lines: (lines, shown),
        }
    }

    pub fn push(&mut self, item: Item) {
        self.block.push(item);
    }

    /// Paints the field: filled, outlined, or both.
    pub fn field_box(&mut self, fill: Option<Color>, stroke: Option<Color>, radius: f32) {
        if let Some(fill) = fill {
            self.push(Item::fill(Shape::RoundRect(self.field, radius), fill));
        }
        if let Some(color) = stroke {
            self.push(Item::Stroke {
                shape: Shape::RoundRect(self.field.inset(0.5), radius),
                color,
                width: 1.0,
            });
        }
    }

    /// Draws the draft from `origin` (its first line's top-left), clipped to the
    /// field and scrolled to its last line, with the caret after it.
    pub fn draw_draft(&mut self, origin: (f32, f32), radius: f32, caret: Color) {
        let Some(text) = self.draft.clone() else {
            return;
        };
        let (lines, shown) = self.lines;
        let line_h = text.height / text.line_count().max(1) as f32;
        let hidden = (lines - shown) as f32 * line_h;
        let caret_x = origin.0 + text.last_line_width() + 1.0;
        let caret_y = origin.1 + (shown - 1) as f32 * line_h;
        self.block.push(Item::Group {
            items: vec![Item::text(origin.0, origin.1 - hidden, text)],
            opacity: 1.0,
            offset: (0.0, 0.0),
            clip: Some(Shape::RoundRect(self.field, radius)),
            bounds: Some(self.field),
        });
        self.block.push(Item::fill(
            Shape::RoundRect(Rect::new(caret_x, caret_y + 1.0, 2.0, line_h - 2.0), 1.0),
            caret,
        ));
    }

    /// The finished bar, with the home indicator in `ink`.
    pub fn finish(mut self, ink: Color) -> Block {
        let h = self.block.height;
        home_indicator(&mut self.block, h, ink);
        self.block
    }
}

/// A wallpaper of the doodle pattern in `doodle` over `gradient` (top, bottom) or
/// the page colour underneath.
pub fn doodle_wallpaper(
    cx: &mut Cx<'_>,
    doodle: Color,
    gradient: Option<(Color, Color)>,
) -> Option<super::Wallpaper> {
    let side = (260.0 * cx.scale).round() as u32;
    let tile = crate::icons::raster(Icon::Doodles, doodle, side, side);
    let base = match gradient {
        Some((top, bottom)) => Paint::Linear {
            from: (0.0, 0.0),
            to: (0.0, MOBILE_HEIGHT),
            stops: vec![(0.0, top), (1.0, bottom)],
            pinned: false,
        },
        None => Paint::Solid(Color::TRANSPARENT),
    };
    Some(super::Wallpaper { base, tile })
}

/// A header's left-aligned title: the conversation's avatar with its left edge at
/// `x`, centred on `mid`, and the title over a subtitle beside it.
pub fn left_title(
    cx: &mut Cx<'_>,
    b: &mut Block,
    h: &super::chat::Headline,
    (x, mid): (f32, f32),
    avatar: f32,
    (title_style, subtitle, subtitle_style): (&TextStyle, &str, &TextStyle),
    max_w: f32,
) -> Rect {
    b.items.extend(super::chat::headline_avatar(
        cx,
        h,
        (x + avatar / 2.0, mid),
        avatar,
        Color::TRANSPARENT,
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

/// The home indicator bar, centred at the bottom of a strip of `height`.
pub fn home_indicator(b: &mut Block, height: f32, ink: Color) {
    let w = 134.0;
    let r = Rect::new((MOBILE_WIDTH - w) / 2.0, height - 8.0 - 5.0, w, 5.0);
    b.push(Item::fill(Shape::RoundRect(r, 2.5), ink));
}

/// A round avatar: the user's photo, or their initials on the iOS grey gradient.
pub fn avatar(cx: &mut Cx<'_>, user: &User, cx0: f32, cy0: f32, d: f32) -> Vec<Item> {
    let r = d / 2.0;
    let clip = Shape::Circle {
        cx: cx0,
        cy: cy0,
        r,
    };
    let rect = Rect::new(cx0 - r, cy0 - r, d, d);
    if let Some(url) = &user.image
        && let Some(item) = cx.picture(url, rect, clip.clone())
    {
        return vec![item];
    }
    monogram(cx, &initials(&user.name), rect)
}

/// Initials on the grey gradient iOS uses for contacts without a photo; a
/// silhouette when the name has no letters.
pub fn monogram(cx: &mut Cx<'_>, letters: &str, rect: Rect) -> Vec<Item> {
    let r = rect.w / 2.0;
    let mut items = vec![Item::fill(
        Shape::Circle {
            cx: rect.center_x(),
            cy: rect.center_y(),
            r,
        },
        Paint::Linear {
            from: (rect.x, rect.y),
            to: (rect.x, rect.bottom()),
            stops: vec![(0.0, Color::hex(0xA5ABB8)), (1.0, Color::hex(0x858994))],
            pinned: false,
        },
    )];
    if letters.is_empty() {
        let s = rect.w * 0.62;
        items.push(Item::Icon {
            icon: Icon::Person,
            rect: Rect::new(
                rect.center_x() - s / 2.0,
                rect.center_y() - s / 2.0 + rect.w * 0.04,
                s,
                s,
            ),
            color: Color::WHITE,
        });
        return items;
    }
    let size = rect.w * 0.41;
    let style = TextStyle::new(Family::Inter, size, size * 1.2, 600, Color::WHITE).tracking(0.01);
    let t = cx.line(letters, &style);
    // Centre the capitals optically: cap height ≈ 0.73 em for Inter.
    let baseline = rect.center_y() + size * 0.73 / 2.0;
    items.push(Item::text(
        rect.center_x() - t.width / 2.0,
        baseline - t.first_baseline,
        t,
    ));
    items
}

/// Up to two initials: first letters of the first and last words.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .collect();
    let first = |w: &str| {
        w.chars()
            .next()
            .map(|c| c.to_uppercase().collect::<String>())
    };
    match words.as_slice() {
        [] => String::new(),
        [one] => first(one).unwrap_or_default(),
        [a, .., z] => format!(
            "{}{}",
            first(a).unwrap_or_default(),
            first(z).unwrap_or_default()
        ),
    }
}

/// Space around the screen taken by the phone, points.
pub const FRAME_BEZEL: f32 = 14.0;
/// Extra room for the side buttons and the edge highlight.
pub const FRAME_MARGIN: f32 = 6.0;

/// The phone around a screen placed at (`FRAME_MARGIN + FRAME_BEZEL`, same): titanium
/// band, black bezel, side buttons. Drawn before the screen.
pub fn device_body(dark: bool) -> Vec<Item> {
    let o = FRAME_MARGIN;
    let body = Rect::new(
        o,
        o,
        MOBILE_WIDTH + 2.0 * FRAME_BEZEL,
        MOBILE_HEIGHT + 2.0 * FRAME_BEZEL,
    );
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

/// Shape of the screen in its own coordinates, for clipping what is on it.
pub fn screen_shape_at_origin() -> Shape {
    Shape::RoundRect(
        Rect::new(0.0, 0.0, MOBILE_WIDTH, MOBILE_HEIGHT),
        SCREEN_RADIUS,
    )
}

/// The Dynamic Island, drawn over the screen.
pub fn island() -> Item {
    let at = FRAME_MARGIN + FRAME_BEZEL;
    let (w, h) = (124.0, 36.0);
    Item::fill(
        Shape::RoundRect(
            Rect::new(at + (MOBILE_WIDTH - w) / 2.0, at + 11.0, w, h),
            h / 2.0,
        ),
        Color::BLACK,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_from_names() {
        assert_eq!(initials("Jane Appleseed"), "JA");
        assert_eq!(initials("jane"), "J");
        assert_eq!(initials("Mary Ann van Dyke"), "MD");
        assert_eq!(initials("🔥🔥"), "");
        assert_eq!(initials("Ölaf 42"), "Ö");
    }
}
