//! iMessage (iOS 17/18), light and dark: the quality bar for every other skin.

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

/// Colours of the bars, which the shared design does not cover.
#[derive(Debug, Clone, Copy)]
struct Bars {
    tint: Color,
    hairline: Color,
    field_stroke: Color,
    placeholder: Color,
    plus_fill: Color,
    plus_ink: Color,
}

/// The iMessage skin.
pub(crate) fn skin(dark: bool) -> BubbleChat {
    let (d, bars) = if dark { dark_design() } else { light_design() };
    BubbleChat {
        design: d,
        chrome: Box::new(IMessage { bars }),
    }
}

fn base() -> Design {
    Design {
        font: Family::Inter,
        text_size: 17.0,
        line_height: 22.0,
        tracking: -0.022,
        meta_size: 11.0,
        page: Color::WHITE,
        ink: Color::BLACK,
        sent: Fill::Solid(Color::hex(0x0B84FE)),
        sent_text: Color::WHITE,
        received: Fill::Solid(Color::hex(0xE9E9EB)),
        received_text: Color::BLACK,
        sent_meta: Color::WHITE,
        received_meta: Color::hex(0x8E8E93),
        meta: Color::hex(0x8E8E93),
        accent: Color::hex(0x007AFF),
        link: None,
        quote_sent: Color::TRANSPARENT,
        quote_received: Color::TRANSPARENT,
        rule: Color::hex(0xD1D1D6),
        radius: 18.0,
        joined_radius: 18.0,
        pad: Pad {
            top: 7.0,
            side: 13.0,
            bottom: 8.0,
        },
        max_width: 0.70,
        tail: Tail::Hook,
        shadow: None,
        side_margin: 16.0,
        run_gap: 2.0,
        new_run_gap: 8.0,
        times: Times::Hidden,
        collapse_times: false,
        receipts: Receipts::Caption,
        default_status: DeliveryStatus::Delivered,
        names: Names::Above,
        avatars: Avatars::GroupLast,
        avatar_size: 28.0,
        separator: Label::Text,
        system: Label::Text,
        days: DayFormat {
            today: "Today| {time}",
            yesterday: "Yesterday| {time}",
            this_week: "{weekday}| {time}",
            this_year: "{wd}, {mon} {day}| at {time}",
            older: "{mon} {day}, {year}| at {time}",
        },
        separator_rule: SeparatorRule::NewDayOrGap { minutes: 60 },
        reactions: Reactions::Tapback,
        replies: Replies::Outlined,
        photos_inside: false,
        photo_radius: 18.0,
        photo_width: 240.0,
        big_emoji: 48.0,
        bubbled_emoji: 0.0,
        typing: Typing::Thought,
        voice: Voice::Waveform,
        run_break_minutes: None,
        name_colors: &GREY,
        motion: Motion::default(),
    }
}

fn light_design() -> (Design, Bars) {
    (
        base(),
        Bars {
            tint: Color::rgba(0xF6, 0xF6, 0xF6, 0xEB),
            hairline: Color::rgba(0, 0, 0, 0x30),
            field_stroke: Color::hex(0xD1D1D6),
            placeholder: Color::hex(0xB4B4B9),
            plus_fill: Color::hex(0xE9E9EB),
            plus_ink: Color::hex(0x7C7C82),
        },
    )
}

fn dark_design() -> (Design, Bars) {
    let d = Design {
        page: Color::BLACK,
        ink: Color::WHITE,
        sent: Fill::Solid(Color::hex(0x0A84FF)),
        received: Fill::Solid(Color::hex(0x26252A)),
        received_text: Color::WHITE,
        received_meta: Color::hex(0x8D8D93),
        meta: Color::hex(0x8D8D93),
        accent: Color::hex(0x0A84FF),
        rule: Color::hex(0x3A3A3C),
        ..base()
    };
    (
        d,
        Bars {
            tint: Color::rgba(0x1C, 0x1C, 0x1E, 0xEB),
            hairline: Color::rgba(0xFF, 0xFF, 0xFF, 0x26),
            field_stroke: Color::hex(0x3A3A3C),
            placeholder: Color::hex(0x5E5E63),
            plus_fill: Color::hex(0x2C2C2E),
            plus_ink: Color::hex(0x9A9AA0),
        },
    )
}

/// iMessage does not colour names.
const GREY: [Color; 1] = [Color::hex(0x8E8E93)];

struct IMessage {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 84.0;

impl Chrome<Design> for IMessage {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block {
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        parts::bar(
            &mut b,
            Rect::new(0.0, 0.0, w, top + HEADER_HEIGHT),
            self.bars.tint,
            Some(self.bars.hairline),
        );
        let avatar_d = 52.0;
        let acy = top + 4.0 + avatar_d / 2.0;
        b.push(Item::Icon {
            icon: Icon::BackChevron,
            rect: Rect::new(9.0, acy - 11.0, 12.5, 21.0),
            color: d.accent,
        });
        b.push(Item::Icon {
            icon: Icon::Video,
            rect: Rect::new(w - 16.0 - 28.5, acy - 9.5, 28.5, 19.0),
            color: d.accent,
        });
        let h = headline(cx.props());
        b.items.extend(headline_avatar(
            cx,
            &h,
            (w / 2.0, acy),
            avatar_d,
            self.bars.tint.fade(1.0),
        ));
        let name_style = TextStyle::new(Family::Inter, 12.0, 15.0, 400, d.ink);
        let name = cx.line_within(&h.title, &name_style, w - 140.0);
        let chevron_w = 5.5;
        let nx = w / 2.0 - (name.width + 3.0 + chevron_w) / 2.0;
        let ny = acy + avatar_d / 2.0 + 5.0;
        b.push(Item::Icon {
            icon: Icon::ChevronRight,
            rect: Rect::new(nx + name.width + 3.0, ny + 4.0, chevron_w, 9.0),
            color: d.meta,
        });
        b.push(Item::text(nx, ny, name));
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let plus_d = 34.0;
        let fx = 12.0 + plus_d + 8.0;
        let field_w = w - fx - 12.0;
        let body = TextStyle::new(d.font, d.text_size, d.line_height, 400, d.received_text)
            .tracking(d.tracking);
        let mut c = parts::Composer::new(
            cx,
            &body,
            draft,
            (fx, field_w, field_w - 13.0 - 40.0),
            (36.0, 8.0, 8.0),
            d.page.fade(0.92),
            None,
        );
        let (field, cy) = (c.field, c.cy);
        c.push(Item::fill(
            Shape::Circle {
                cx: 12.0 + plus_d / 2.0,
                cy,
                r: plus_d / 2.0,
            },
            bars.plus_fill,
        ));
        c.push(Item::Icon {
            icon: Icon::Plus,
            rect: Rect::new(12.0 + plus_d / 2.0 - 8.0, cy - 8.0, 16.0, 16.0),
            color: bars.plus_ink,
        });
        c.field_box(None, Some(bars.field_stroke), 18.0);
        if c.draft.is_some() {
            c.draw_draft((fx + 13.0, field.y + 7.0), 18.0, d.accent);
            c.push(Item::fill(
                Shape::Circle {
                    cx: field.right() - 17.0,
                    cy,
                    r: 14.0,
                },
                d.sent.color(),
            ));
            c.push(Item::Icon {
                icon: Icon::ArrowUp,
                rect: Rect::new(field.right() - 23.5, cy - 7.5, 13.0, 15.0),
                color: Color::WHITE,
            });
        } else {
            let ph = cx.line("iMessage", &body.color(bars.placeholder));
            c.push(Item::text(fx + 13.0, field.y + 7.0, ph));
            c.push(Item::Icon {
                icon: Icon::Mic,
                rect: Rect::new(field.right() - 26.0, cy - 9.5, 12.0, 19.0),
                color: d.meta,
            });
        }
        c.finish()
    }
}
