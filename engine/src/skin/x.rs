//! X (Twitter) direct messages (iOS), light and "Lights out" dark: the long-standing
//! DM look (X blue #1D9BF0 own bubbles in every mode) rather than the monochrome
//! "Chat" of late 2025, because it is what people recognise as X's messages. Tailless
//! bubbles of radius 24 whose sender-side bottom corner stays sharp, the time under
//! each run ("10:42 AM · Seen" under your last message), faded quotes above replies,
//! "Start a message". Colours are X's public web palette.

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

/// X blue.
const BLUE: Color = Color::hex(0x1D9BF0);

/// X does not colour names.
const GREY: [Color; 1] = [Color::hex(0x536471)];

#[derive(Debug, Clone, Copy)]
struct Bars {
    hairline: Color,
    field: Color,
    placeholder: Color,
}

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let (d, bars) = if dark { dark_design() } else { light_design() };
    BubbleChat {
        design: d,
        chrome: Box::new(X { bars }),
    }
}

fn light_design() -> (Design, Bars) {
    let page = Color::WHITE;
    let secondary = Color::hex(0x536471);
    let other = Color::hex(0xEFF3F4);
    let d = Design {
        font: Family::Inter,
        text_size: 15.5,
        line_height: 20.0,
        tracking: -0.01,
        meta_size: 13.0,
        page,
        ink: Color::hex(0x0F1419),
        sent: Fill::Solid(BLUE),
        sent_text: Color::WHITE,
        received: Fill::Solid(other),
        received_text: Color::hex(0x0F1419),
        sent_meta: secondary,
        received_meta: secondary,
        meta: secondary,
        accent: BLUE,
        link: Some(BLUE),
        quote_sent: other,
        quote_received: other,
        rule: other,
        radius: 24.0,
        joined_radius: 4.0,
        pad: Pad {
            top: 10.0,
            side: 16.0,
            bottom: 10.0,
        },
        max_width: 0.75,
        tail: Tail::Corner,
        shadow: None,
        side_margin: 16.0,
        run_gap: 4.0,
        new_run_gap: 12.0,
        times: Times::UnderRun,
        collapse_times: false,
        receipts: Receipts::Seen,
        default_status: DeliveryStatus::Read,
        names: Names::WithTime,
        avatars: Avatars::GroupLast,
        avatar_size: 32.0,
        separator: Label::Text,
        system: Label::Text,
        days: DayFormat {
            today: "Today",
            yesterday: "Yesterday",
            this_week: "{mon} {day}",
            this_year: "{mon} {day}",
            older: "{mon} {day}, {year}",
        },
        separator_rule: SeparatorRule::NewDay,
        reactions: Reactions::Below {
            fill: other,
            ring: page,
            inward: true,
        },
        replies: Replies::Faded,
        photos_inside: false,
        photo_radius: 16.0,
        photo_width: 260.0,
        big_emoji: 44.0,
        bubbled_emoji: 0.0,
        typing: Typing::Dots,
        voice: Voice::Waveform,
        run_break_minutes: None,
        name_colors: &GREY,
        motion: Motion::default(),
    };
    let bars = Bars {
        hairline: other,
        field: other,
        placeholder: secondary,
    };
    (d, bars)
}

/// "Lights out": X's dark theme (the navy "Dim" is the old one).
fn dark_design() -> (Design, Bars) {
    let (light, _) = light_design();
    let page = Color::BLACK;
    let secondary = Color::hex(0x71767B);
    let other = Color::hex(0x2F3336);
    let d = Design {
        page,
        ink: Color::hex(0xE7E9EA),
        received: Fill::Solid(other),
        received_text: Color::hex(0xE7E9EA),
        sent_meta: secondary,
        received_meta: secondary,
        meta: secondary,
        quote_sent: other,
        quote_received: other,
        rule: other,
        reactions: Reactions::Below {
            fill: other,
            ring: page,
            inward: true,
        },
        ..light
    };
    let bars = Bars {
        hairline: other,
        field: Color::hex(0x202327),
        placeholder: secondary,
    };
    (d, bars)
}

struct X {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 50.0;

impl Chrome<Design> for X {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block {
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        let all = Rect::new(0.0, 0.0, w, b.height);
        parts::bar(&mut b, all, d.page.fade(0.92), Some(self.bars.hairline));
        let mid = top + HEADER_HEIGHT / 2.0;
        b.push(Item::Icon {
            icon: Icon::ArrowLeft,
            rect: Rect::new(14.0, mid - 11.0, 22.0, 22.0),
            color: d.ink,
        });
        // The avatar and the name side by side, centred; no presence.
        let h = headline(cx.props());
        let size = 28.0;
        let name = cx.line_within(
            &h.title,
            &TextStyle::new(d.font, 16.5, 21.0, 700, d.ink),
            w - 150.0,
        );
        let total = size + 8.0 + name.width;
        let x = ((w - total) / 2.0).round();
        b.items
            .extend(headline_avatar(cx, &h, (x + size / 2.0, mid), size, d.page));
        b.push(Item::text(x + size + 8.0, mid - 10.5, name));
        b.push(Item::Icon {
            icon: Icon::Info,
            rect: Rect::new(w - 16.0 - 24.0, mid - 12.0, 24.0, 24.0),
            color: d.ink,
        });
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let fx = 84.0;
        let field_w = w - fx - 52.0;
        let style = TextStyle::new(d.font, 16.0, 21.0, 400, d.received_text).tracking(d.tracking);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, field_w, field_w - 28.0),
            (40.0, 8.0, 8.0),
            d.page.fade(0.92),
            Some(bars.hairline),
        );
        let (field, cy) = (c.field, c.cy);
        c.push(Item::Icon {
            icon: Icon::Photo,
            rect: Rect::new(14.0, cy - 11.0, 22.0, 22.0),
            color: BLUE,
        });
        // The GIF button: the word in a rounded outline.
        let gif = Rect::new(46.0, cy - 9.5, 26.0, 19.0);
        c.push(Item::Stroke {
            shape: Shape::RoundRect(gif.inset(0.8), 4.0),
            color: BLUE,
            width: 1.6,
        });
        let word = cx.line("GIF", &TextStyle::new(d.font, 9.5, 12.0, 800, BLUE));
        c.push(Item::text(
            gif.center_x() - word.width / 2.0,
            cy - 6.0,
            word,
        ));
        c.field_box(Some(bars.field), None, 20.0);
        if c.draft.is_some() {
            c.draw_draft((fx + 14.0, field.y + 9.5), 20.0, BLUE);
            c.push(Item::Icon {
                icon: Icon::Send,
                rect: Rect::new(w - 38.0, cy - 11.0, 22.0, 22.0),
                color: BLUE,
            });
        } else {
            let ph = cx.line("Start a message", &style.color(bars.placeholder));
            c.push(Item::text(fx + 14.0, field.y + 9.5, ph));
            c.push(Item::Icon {
                icon: Icon::Mic,
                rect: Rect::new(w - 34.0, cy - 11.0, 14.0, 22.0),
                color: BLUE,
            });
        }
        c.finish()
    }
}
