//! Signal (iOS), light and dark: the ultramarine bubble (a gradient pinned to the
//! screen), tailless bubbles whose joined corners drop to 4, time and circled checks
//! inside the bubble, plain bold date headers. Tokens from Signal-iOS
//! (`ConversationStyle`, `ChatColors`, `UIColor+Signal`, `GroupNameColors`).

use super::Chrome;
use super::bubble::BubbleChat;
use super::bubble::{
    Avatars, Design, Fill, Label, Names, Pad, Reactions, Receipts, Replies, Tail, Times, Typing,
    Voice,
};
use super::parts::headline;
use super::{Motion, parts};
use crate::conversation::SeparatorRule;
use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::payload::DeliveryStatus;
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;
use crate::time::DayFormat;

/// Signal's group name colours, light (the first eight of its 36).
const NAMES_LIGHT: [Color; 8] = [
    Color::hex(0x006DA3),
    Color::hex(0x007A3D),
    Color::hex(0xC13215),
    Color::hex(0xB814B8),
    Color::hex(0x5B6976),
    Color::hex(0x3D7406),
    Color::hex(0xCC0066),
    Color::hex(0x2E51FF),
];

/// The same colours for dark mode.
const NAMES_DARK: [Color; 8] = [
    Color::hex(0x00A7FA),
    Color::hex(0x00B85C),
    Color::hex(0xFF6F52),
    Color::hex(0xF65AF6),
    Color::hex(0x8BA1B6),
    Color::hex(0x5EB309),
    Color::hex(0xF76EB2),
    Color::hex(0x8599FF),
];

/// Ultramarine, Signal's default chat colour: a gradient over the screen.
const ULTRAMARINE: Fill = Fill::Screen {
    top: Color::hex(0x0552F0),
    bottom: Color::hex(0x2C6BED),
};

#[derive(Debug, Clone, Copy)]
struct Bars {
    bar: Color,
    hairline: Color,
    field: Color,
    placeholder: Color,
    icon: Color,
}

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let (d, bars) = if dark { dark_design() } else { light_design() };
    BubbleChat {
        design: d,
        chrome: Box::new(Signal { bars }),
    }
}

fn light_design() -> (Design, Bars) {
    let page = Color::WHITE;
    let d = Design {
        font: Family::Inter,
        text_size: 17.0,
        line_height: 22.0,
        tracking: -0.022,
        meta_size: 12.0,
        page,
        ink: Color::BLACK,
        sent: ULTRAMARINE,
        sent_text: Color::WHITE,
        received: Fill::Solid(Color::hex(0xE9E9E9)),
        received_text: Color::hex(0x1B1B1B),
        sent_meta: Color::rgba(0xFF, 0xFF, 0xFF, 0xCC),
        received_meta: Color::hex(0x5E5E5E),
        meta: Color::rgba(0x3C, 0x3C, 0x43, 0xB8),
        accent: Color::hex(0x2267F5),
        link: Some(Color::hex(0x2267F5)),
        // The chat colour under 60 % white.
        quote_sent: Color::hex(0xA3BFF8),
        quote_received: Color::hex(0xA3BFF8),
        rule: Color::hex(0xC6C6C8),
        radius: 18.0,
        joined_radius: 4.0,
        pad: Pad {
            top: 7.0,
            side: 12.0,
            bottom: 7.0,
        },
        max_width: 0.805,
        tail: Tail::None,
        shadow: None,
        side_margin: 16.0,
        run_gap: 2.0,
        new_run_gap: 12.0,
        times: Times::Inside,
        collapse_times: true,
        receipts: Receipts::Circles,
        default_status: DeliveryStatus::Read,
        names: Names::Inside,
        avatars: Avatars::GroupLast,
        avatar_size: 28.0,
        separator: Label::Text,
        system: Label::Text,
        days: DayFormat {
            today: "Today|",
            yesterday: "Yesterday|",
            this_week: "{weekday}|",
            this_year: "{wd}, {mon} {day}|",
            older: "{mon} {day}, {year}|",
        },
        separator_rule: SeparatorRule::DayChange,
        reactions: Reactions::Below {
            inward: true,
            fill: Color::hex(0xE9E9E9),
            ring: page,
        },
        replies: Replies::Inside,
        photos_inside: true,
        photo_radius: 18.0,
        photo_width: 240.0,
        big_emoji: 51.0,
        bubbled_emoji: 0.0,
        typing: Typing::Dots,
        voice: Voice::Waveform,
        // Signal clusters a sender's messages sent within three minutes.
        run_break_minutes: Some(3),
        name_colors: &NAMES_LIGHT,
        motion: Motion {
            enter_ms: 280.0,
            rise: 12.0,
            overshoot: 0.08,
            ..Motion::default()
        },
    };
    let bars = Bars {
        bar: Color::rgba(0xFF, 0xFF, 0xFF, 0xEB),
        hairline: Color::rgba(0, 0, 0, 0x1F),
        field: Color::hex(0xF0F0F0),
        placeholder: Color::hex(0x8B8B8B),
        icon: Color::hex(0x3B3B3B),
    };
    (d, bars)
}

fn dark_design() -> (Design, Bars) {
    let (light, _) = light_design();
    let page = Color::BLACK;
    let d = Design {
        page,
        ink: Color::WHITE,
        sent_text: Color::hex(0xE9E9E9),
        received: Fill::Solid(Color::hex(0x2E2E2E)),
        received_text: Color::hex(0xE9E9E9),
        sent_meta: Color::rgba(0xFF, 0xFF, 0xFF, 0x99),
        received_meta: Color::hex(0xB9B9B9),
        meta: Color::rgba(0xEB, 0xEB, 0xF5, 0xB3),
        accent: Color::hex(0x2D70FA),
        link: Some(Color::hex(0x2D70FA)),
        // The chat colour under 40 % black.
        quote_sent: Color::hex(0x1A408E),
        quote_received: Color::hex(0x1A408E),
        rule: Color::hex(0x38383A),
        reactions: Reactions::Below {
            inward: true,
            fill: Color::hex(0x2E2E2E),
            ring: page,
        },
        name_colors: &NAMES_DARK,
        ..light
    };
    let bars = Bars {
        bar: Color::rgba(0x12, 0x12, 0x12, 0xEB),
        hairline: Color::rgba(0xFF, 0xFF, 0xFF, 0x1F),
        field: Color::hex(0x2E2E2E),
        placeholder: Color::hex(0x8B8B8B),
        icon: Color::hex(0xD4D4D4),
    };
    (d, bars)
}

struct Signal {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 52.0;

impl Chrome<Design> for Signal {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        let all = Rect::new(0.0, 0.0, w, b.height);
        parts::bar(&mut b, all, bars.bar, Some(bars.hairline));
        let mid = top + HEADER_HEIGHT / 2.0;
        b.push(Item::Icon {
            icon: Icon::BackChevron,
            rect: Rect::new(12.0, mid - 10.5, 12.0, 21.0),
            color: bars.icon,
        });
        let h = headline(cx.props());
        // Signal shows no presence under the name.
        parts::left_title(
            cx,
            &mut b,
            &h,
            (36.0, mid),
            (36.0, parts::NoPhoto::Monogram),
            (
                &TextStyle::new(d.font, 17.0, 21.0, 600, d.ink),
                "",
                &TextStyle::new(d.font, 12.0, 15.0, 400, d.meta),
            ),
            w - 36.0 - 120.0,
        );
        // Calls: video and phone; a group has video only.
        if h.group {
            b.push(Item::Icon {
                icon: Icon::Video,
                rect: Rect::new(w - 16.0 - 26.0, mid - 8.5, 26.0, 17.0),
                color: bars.icon,
            });
        } else {
            parts::call_buttons(
                &mut b,
                [Icon::Phone, Icon::Video],
                (w - 16.0, mid),
                50.0,
                0.95,
                bars.icon,
            );
        }
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let fx = 48.0;
        let right = if draft.is_some() { 56.0 } else { 92.0 };
        let field_w = w - fx - right;
        let style = TextStyle::new(d.font, d.text_size, d.line_height, 400, d.received_text)
            .tracking(d.tracking);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, field_w, field_w - 44.0),
            (36.0, 8.0, 8.0),
            bars.bar,
            None,
        );
        let (field, cy) = (c.field, c.cy);
        c.push(Item::Icon {
            icon: Icon::Plus,
            rect: Rect::new(15.0, cy - 11.0, 22.0, 22.0),
            color: bars.icon,
        });
        c.field_box(Some(bars.field), None, 18.0);
        c.push(Item::Icon {
            icon: Icon::Sticker,
            rect: Rect::new(field.right() - 32.0, cy - 11.0, 22.0, 22.0),
            color: bars.icon,
        });
        if c.draft.is_some() {
            c.draw_draft((fx + 14.0, field.y + 7.0), 18.0, d.accent);
            let fill = Fill::Solid(Color::hex(0x2C6BED)).paint(cx.height);
            c.push(Item::fill(
                Shape::Circle {
                    cx: w - 30.0,
                    cy,
                    r: 16.0,
                },
                fill,
            ));
            c.push(Item::Icon {
                icon: Icon::ArrowUp,
                rect: Rect::new(w - 36.5, cy - 8.0, 13.0, 16.0),
                color: Color::WHITE,
            });
        } else {
            let ph = cx.line("Message", &style.color(bars.placeholder));
            c.push(Item::text(fx + 14.0, field.y + 7.0, ph));
            c.icon_row(
                &[(Icon::Camera, 25.0, 21.0), (Icon::Mic, 14.0, 22.0)],
                (w - right + 8.0, 42.0, 28.0),
                bars.icon,
            );
        }
        c.finish()
    }
}
