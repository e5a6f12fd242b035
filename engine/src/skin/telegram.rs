//! Telegram (iOS), light and dark: patterned gradient wallpaper, curled tails on the
//! last bubble of a run, time and ticks inside bubbles, translucent date pills.

use super::Chrome;
use super::bubble::BubbleChat;
use super::bubble::{
    Avatars, Design, Fill, Label, Names, Pad, Reactions, Receipts, Replies, Tail, Times, Typing,
    Voice,
};
use super::parts::{headline, headline_avatar};
use super::{Motion, parts};
use crate::conversation::SeparatorRule;
use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::payload::DeliveryStatus;
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;
use crate::time::DayFormat;

/// Telegram's name colours.
const NAMES: [Color; 7] = [
    Color::hex(0xE35A4B),
    Color::hex(0xE08A14),
    Color::hex(0x8B5AD3),
    Color::hex(0x2BA24C),
    Color::hex(0x1B9FB0),
    Color::hex(0x2F86D1),
    Color::hex(0xCF4E93),
];

#[derive(Debug, Clone, Copy)]
struct Bars {
    bar: Color,
    hairline: Color,
    field: Color,
    field_stroke: Color,
    icon: Color,
    subtitle: Color,
    wallpaper: (Color, Color),
    doodle: Color,
}

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let (d, bars) = if dark { dark_design() } else { light_design() };
    BubbleChat {
        design: d,
        chrome: Box::new(Telegram { bars }),
    }
}

/// The mobile bubbles' design, and the wallpaper's doodle ink and gradient (the
/// desktop app shares them).
pub(crate) fn design(dark: bool) -> (Design, Color, (Color, Color)) {
    let (d, bars) = if dark { dark_design() } else { light_design() };
    (d, bars.doodle, bars.wallpaper)
}

fn light_design() -> (Design, Bars) {
    let green = Color::hex(0x4FAE4E);
    let pill = Label::Chip {
        fill: Color::rgba(0x3A, 0x5A, 0x3A, 0x55),
        ink: Color::WHITE,
        shadow: false,
    };
    let d = Design {
        font: Family::Inter,
        text_size: 16.5,
        line_height: 21.0,
        tracking: -0.01,
        meta_size: 11.5,
        page: Color::hex(0xB8CF97),
        ink: Color::BLACK,
        sent: Fill::Solid(Color::hex(0xEFFDDE)),
        sent_text: Color::BLACK,
        received: Fill::Solid(Color::WHITE),
        received_text: Color::BLACK,
        sent_meta: green,
        received_meta: Color::hex(0xA1AAB3),
        meta: Color::WHITE,
        accent: Color::hex(0x168ACD),
        link: Some(Color::hex(0x168ACD)),
        quote_sent: Color::hex(0xDDF5C8),
        quote_received: Color::hex(0xE8F2FA),
        rule: Color::hex(0xC8C7CC),
        radius: 17.0,
        joined_radius: 6.0,
        pad: Pad {
            top: 6.0,
            side: 11.0,
            bottom: 7.0,
        },
        max_width: 0.78,
        tail: Tail::Curl,
        shadow: Some(Color::rgba(0x1E, 0x3A, 0x1A, 0x26)),
        side_margin: 12.0,
        run_gap: 2.0,
        new_run_gap: 8.0,
        times: Times::Inside,
        collapse_times: false,
        receipts: Receipts::Ticks {
            pending: green,
            read: green,
        },
        default_status: DeliveryStatus::Read,
        names: Names::Inside,
        avatars: Avatars::GroupLast,
        avatar_size: 34.0,
        separator: pill,
        system: pill,
        days: DayFormat {
            today: "Today",
            yesterday: "Yesterday",
            this_week: "{month} {day}",
            this_year: "{month} {day}",
            older: "{month} {day}, {year}",
        },
        separator_rule: SeparatorRule::NewDay,
        reactions: Reactions::Inside,
        replies: Replies::Inside,
        photos_inside: true,
        photo_radius: 17.0,
        photo_width: 240.0,
        big_emoji: 48.0,
        bubbled_emoji: 0.0,
        typing: Typing::Dots,
        voice: Voice::Waveform,
        run_break_minutes: None,
        name_colors: &NAMES,
        motion: Motion {
            enter_ms: 300.0,
            rise: 16.0,
            overshoot: 0.12,
            ..Motion::default()
        },
    };
    (
        d,
        Bars {
            bar: Color::rgba(0xF7, 0xF7, 0xF7, 0xEB),
            hairline: Color::rgba(0, 0, 0, 0x2A),
            field: Color::WHITE,
            field_stroke: Color::hex(0xD9D9DE),
            icon: Color::hex(0x858E99),
            subtitle: Color::hex(0x8E8E93),
            wallpaper: (Color::hex(0xD6E2A8), Color::hex(0x8DBB8F)),
            doodle: Color::rgba(0x1E, 0x3A, 0x1A, 0x22),
        },
    )
}

fn dark_design() -> (Design, Bars) {
    let (light, _) = light_design();
    let pill = Label::Chip {
        fill: Color::rgba(0, 0, 0, 0x55),
        ink: Color::WHITE,
        shadow: false,
    };
    let d = Design {
        page: Color::hex(0x0E1621),
        ink: Color::WHITE,
        sent: Fill::Solid(Color::hex(0x2B5278)),
        sent_text: Color::WHITE,
        received: Fill::Solid(Color::hex(0x182533)),
        received_text: Color::WHITE,
        sent_meta: Color::hex(0x7DA8D3),
        received_meta: Color::hex(0x6D7F8F),
        accent: Color::hex(0x6AB3F3),
        link: Some(Color::hex(0x6AB3F3)),
        quote_sent: Color::hex(0x345F89),
        quote_received: Color::hex(0x1F3142),
        rule: Color::hex(0x2B3A4A),
        shadow: None,
        receipts: Receipts::Ticks {
            pending: Color::hex(0x7DA8D3),
            read: Color::hex(0x7DA8D3),
        },
        separator: pill,
        system: pill,
        ..light
    };
    (
        d,
        Bars {
            bar: Color::rgba(0x17, 0x21, 0x2B, 0xEB),
            hairline: Color::rgba(0, 0, 0, 0x66),
            field: Color::hex(0x242F3D),
            field_stroke: Color::hex(0x242F3D),
            icon: Color::hex(0x7F8B97),
            subtitle: Color::hex(0x7F8B97),
            wallpaper: (Color::hex(0x0E1621), Color::hex(0x152333)),
            doodle: Color::rgba(0xFF, 0xFF, 0xFF, 0x0C),
        },
    )
}

struct Telegram {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 50.0;

impl Chrome<Design> for Telegram {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        let all = Rect::new(0.0, 0.0, w, b.height);
        parts::bar(&mut b, all, bars.bar, Some(bars.hairline));
        let mid = top + HEADER_HEIGHT / 2.0;
        b.push(Item::Icon {
            icon: Icon::BackChevron,
            rect: Rect::new(9.0, mid - 10.5, 12.0, 21.0),
            color: d.accent,
        });
        let back = cx.line("Chats", &TextStyle::new(d.font, 17.0, 21.0, 400, d.accent));
        b.push(Item::text(27.0, mid - 10.5, back));
        let h = headline(cx.props());
        let title = cx.line_within(
            &h.title,
            &TextStyle::new(d.font, 16.5, 20.0, 600, d.ink),
            w - 200.0,
        );
        let subtitle = if h.group {
            format!("{} members", h.members.len() + 1)
        } else {
            "last seen recently".to_owned()
        };
        let sub = cx.line(
            &subtitle,
            &TextStyle::new(d.font, 13.0, 16.0, 400, bars.subtitle),
        );
        let top_y = mid - (title.height + sub.height) / 2.0;
        b.push(Item::text((w - title.width) / 2.0, top_y, title.clone()));
        b.push(Item::text((w - sub.width) / 2.0, top_y + title.height, sub));
        b.items.extend(headline_avatar(
            cx,
            &h,
            (w - 16.0 - 19.0, mid),
            38.0,
            bars.bar.fade(1.0),
        ));
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let fx = 46.0;
        let field_w = w - fx - 48.0;
        let style = TextStyle::new(d.font, d.text_size, d.line_height, 400, d.received_text);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, field_w, field_w - 44.0),
            (34.0, 7.0, 7.0),
            bars.bar,
            Some(bars.hairline),
        );
        let (field, cy) = (c.field, c.cy);
        c.push(Item::Icon {
            icon: Icon::Paperclip,
            rect: Rect::new(12.0, cy - 12.0, 24.0, 24.0),
            color: bars.icon,
        });
        c.field_box(Some(bars.field), Some(bars.field_stroke), 17.0);
        c.push(Item::Icon {
            icon: Icon::Sticker,
            rect: Rect::new(field.right() - 31.0, cy - 11.0, 22.0, 22.0),
            color: bars.icon,
        });
        if c.draft.is_some() {
            c.draw_draft((fx + 12.0, field.y + 6.5), 17.0, d.accent);
            c.push(Item::fill(
                Shape::Circle {
                    cx: w - 24.0,
                    cy,
                    r: 15.0,
                },
                d.accent,
            ));
            c.push(Item::Icon {
                icon: Icon::ArrowUp,
                rect: Rect::new(w - 30.5, cy - 7.5, 13.0, 15.0),
                color: Color::WHITE,
            });
        } else {
            let ph = cx.line("Message", &style.color(bars.subtitle));
            c.push(Item::text(fx + 12.0, field.y + 6.5, ph));
            c.push(Item::Icon {
                icon: Icon::Mic,
                rect: Rect::new(w - 31.0, cy - 11.0, 14.0, 22.0),
                color: bars.icon,
            });
        }
        c.finish()
    }

    fn wallpaper(&self, cx: &mut Cx<'_>, _d: &Design) -> Option<super::Wallpaper> {
        parts::doodle_wallpaper(cx, self.bars.doodle, Some(self.bars.wallpaper))
    }
}
