//! TikTok direct messages (iOS), light and dark: cyan own bubbles and grey ones for
//! the other side with their avatar beside each run's last bubble, plain time rows,
//! "Seen" under your last message only once read, the name left-aligned with a
//! green "active" dot, "···", and the "Message..." field with stickers and mic.
//! TikTok's DM screen is the least sourced of all: strings and structure follow UI
//! dumps of the current app; the own bubble's exact colour is an estimate (see the
//! issue's closing note).

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

/// The own bubble: a cyan blue, TikTok's cyan darkened for white text.
const OWN: Color = Color::hex(0x00B5D4);
/// The dot of an active user.
const ACTIVE: Color = Color::hex(0x1DD765);

const GREY: [Color; 1] = [Color::rgba(0x16, 0x18, 0x23, 0x80)];
const GREY_DARK: [Color; 1] = [Color::rgba(0xFF, 0xFF, 0xFF, 0x99)];

#[derive(Debug, Clone, Copy)]
struct Bars {
    hairline: Color,
    field: Color,
    placeholder: Color,
    icon: Color,
    subtitle: Color,
}

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let (d, bars) = if dark { dark_design() } else { light_design() };
    BubbleChat {
        design: d,
        chrome: Box::new(TikTok { bars }),
    }
}

fn light_design() -> (Design, Bars) {
    let page = Color::WHITE;
    let ink = Color::hex(0x161823);
    let secondary = Color::rgba(0x16, 0x18, 0x23, 0x80);
    let other = Color::hex(0xF1F1F2);
    let d = Design {
        font: Family::Inter,
        text_size: 15.5,
        line_height: 21.0,
        tracking: -0.01,
        meta_size: 12.0,
        page,
        ink,
        sent: Fill::Solid(OWN),
        sent_text: Color::WHITE,
        received: Fill::Solid(other),
        received_text: ink,
        sent_meta: secondary,
        received_meta: secondary,
        meta: secondary,
        accent: Color::hex(0xFE2C55),
        link: Some(Color::hex(0x2B5DB9)),
        quote_sent: other,
        quote_received: other,
        rule: Color::rgba(0x16, 0x18, 0x23, 0x1F),
        radius: 16.0,
        joined_radius: 4.0,
        pad: Pad {
            top: 8.0,
            side: 12.0,
            bottom: 8.0,
        },
        max_width: 0.65,
        tail: Tail::None,
        shadow: None,
        side_margin: 16.0,
        run_gap: 3.0,
        new_run_gap: 12.0,
        times: Times::Hidden,
        collapse_times: false,
        receipts: Receipts::SeenOnly,
        default_status: DeliveryStatus::Sent,
        names: Names::Above,
        avatars: Avatars::Last,
        avatar_size: 32.0,
        separator: Label::Text,
        system: Label::Text,
        days: DayFormat {
            today: "{time}",
            yesterday: "Yesterday {time}",
            this_week: "{wd} {time}",
            this_year: "{m}/{day}/{year} {time}",
            older: "{m}/{day}/{year} {time}",
        },
        separator_rule: SeparatorRule::NewDayOrGap { minutes: 60 },
        reactions: Reactions::Below {
            fill: page,
            ring: other,
            inward: false,
        },
        replies: Replies::Faded,
        photos_inside: false,
        photo_radius: 8.0,
        photo_width: 150.0,
        big_emoji: 40.0,
        bubbled_emoji: 0.0,
        typing: Typing::Dots,
        voice: Voice::Waveform,
        run_break_minutes: None,
        name_colors: &GREY,
        motion: Motion::default(),
    };
    let bars = Bars {
        hairline: Color::rgba(0x16, 0x18, 0x23, 0x1F),
        field: other,
        placeholder: Color::rgba(0x16, 0x18, 0x23, 0x66),
        icon: ink,
        subtitle: Color::rgba(0x16, 0x18, 0x23, 0x99),
    };
    (d, bars)
}

fn dark_design() -> (Design, Bars) {
    let (light, _) = light_design();
    let page = Color::hex(0x121212);
    let text = Color::rgba(0xFF, 0xFF, 0xFF, 0xE6);
    let secondary = Color::rgba(0xFF, 0xFF, 0xFF, 0xBF);
    let other = Color::hex(0x2A2A2A);
    let d = Design {
        page,
        ink: text,
        received: Fill::Solid(other),
        received_text: text,
        link: Some(Color::hex(0x6EA8FF)),
        sent_meta: secondary,
        received_meta: secondary,
        meta: secondary,
        quote_sent: other,
        quote_received: other,
        rule: Color::rgba(0xFF, 0xFF, 0xFF, 0x1F),
        reactions: Reactions::Below {
            fill: other,
            ring: page,
            inward: false,
        },
        name_colors: &GREY_DARK,
        ..light
    };
    let bars = Bars {
        hairline: Color::rgba(0xFF, 0xFF, 0xFF, 0x1F),
        field: other,
        placeholder: Color::rgba(0xFF, 0xFF, 0xFF, 0x66),
        icon: text,
        subtitle: Color::rgba(0xFF, 0xFF, 0xFF, 0x99),
    };
    (d, bars)
}

struct TikTok {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 54.0;

impl Chrome<Design> for TikTok {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        let all = Rect::new(0.0, 0.0, w, b.height);
        parts::bar(&mut b, all, d.page, Some(bars.hairline));
        let mid = top + HEADER_HEIGHT / 2.0;
        b.push(Item::Icon {
            icon: Icon::BackChevron,
            rect: Rect::new(14.0, mid - 11.0, 12.5, 22.0),
            color: bars.icon,
        });
        let h = headline(cx.props());
        let subtitle = if h.group { "" } else { "Active now" };
        let size = 36.0;
        parts::left_title(
            cx,
            &mut b,
            &h,
            (38.0, mid),
            (size, parts::NoPhoto::Monogram),
            (
                &TextStyle::new(d.font, 16.5, 21.0, 600, d.ink),
                subtitle,
                &TextStyle::new(d.font, 12.5, 16.0, 400, bars.subtitle),
            ),
            w - 38.0 - size - 80.0,
        );
        if !h.group {
            // The green dot of an active user, ringed in the bar's colour.
            let (dx, dy) = (38.0 + size - 5.0, mid + size / 2.0 - 5.0);
            parts::presence_dot(&mut b, (dx, dy), (4.5, 1.5), (d.page, ACTIVE));
        }
        b.push(Item::Icon {
            icon: Icon::More,
            rect: Rect::new(w - 16.0 - 22.0, mid - 2.75, 22.0, 5.5),
            color: bars.icon,
        });
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let fx = 52.0;
        let field_w = w - fx - 12.0;
        let style = TextStyle::new(d.font, 16.0, 21.0, 400, d.received_text).tracking(d.tracking);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, field_w, field_w - 84.0),
            (40.0, 8.0, 8.0),
            d.page,
            Some(bars.hairline),
        );
        let (field, cy) = (c.field, c.cy);
        c.push(Item::Icon {
            icon: Icon::Photo,
            rect: Rect::new(16.0, cy - 12.0, 24.0, 24.0),
            color: bars.icon,
        });
        c.field_box(Some(bars.field), None, 20.0);
        c.push(Item::Icon {
            icon: Icon::SmileyOutline,
            rect: Rect::new(field.right() - 70.0, cy - 12.0, 24.0, 24.0),
            color: bars.icon,
        });
        if c.draft.is_some() {
            c.draw_draft((fx + 14.0, field.y + 9.5), 20.0, OWN);
            c.push(Item::fill(
                Shape::Circle {
                    cx: field.right() - 22.0,
                    cy,
                    r: 14.0,
                },
                OWN,
            ));
            c.push(Item::Icon {
                icon: Icon::ArrowUp,
                rect: Rect::new(field.right() - 28.0, cy - 7.5, 12.0, 15.0),
                color: Color::WHITE,
            });
        } else {
            let ph = cx.line("Message...", &style.color(bars.placeholder));
            c.push(Item::text(fx + 14.0, field.y + 9.5, ph));
            c.push(Item::Icon {
                icon: Icon::Mic,
                rect: Rect::new(field.right() - 30.0, cy - 11.0, 14.0, 22.0),
                color: bars.icon,
            });
        }
        c.finish()
    }
}
