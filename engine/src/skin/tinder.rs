//! Tinder (iOS), light and dark: blue own bubbles and grey match bubbles, a heart
//! beside each of the match's messages, "YOU MATCHED WITH ANNA ON 6/3/24" opening
//! the conversation, the avatar and name centred in the header with the video and
//! "···" buttons, "Sent" with a blue check badge, and the bordered "Type a message
//! … Send" field over its row of round buttons (profile card, GIF, music). Tinder
//! publishes no tokens: layout and wording follow an inventory of current
//! screenshots, colours are estimates (see the closing note).

use chrono::Datelike;

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
use crate::text::{Bounds, Span, TextStyle};
use crate::time::DayFormat;

/// Tinder's brand pink (its gradient runs on to orange #FF6036).
const PINK: Color = Color::hex(0xFD267A);

/// Tinder does not colour names.
const GREY: [Color; 1] = [Color::hex(0x7C8591)];

#[derive(Debug, Clone, Copy)]
struct Bars {
    bar: Color,
    hairline: Color,
    field_stroke: Color,
    icon: Color,
    /// The round buttons under the field: profile card, GIF, music.
    buttons: [Color; 3],
    blue: Color,
}

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let (d, bars) = if dark { dark_design() } else { light_design() };
    BubbleChat {
        design: d,
        chrome: Box::new(Tinder { bars }),
    }
}

fn light_design() -> (Design, Bars) {
    let page = Color::WHITE;
    let other = Color::hex(0xEEF0F4);
    let secondary = Color::hex(0x7C8591);
    let d = Design {
        font: Family::Inter,
        text_size: 16.0,
        line_height: 21.0,
        tracking: -0.01,
        meta_size: 12.0,
        page,
        ink: Color::hex(0x21262E),
        sent: Fill::Solid(Color::hex(0x1786F8)),
        sent_text: Color::WHITE,
        received: Fill::Solid(other),
        received_text: Color::hex(0x21262E),
        sent_meta: secondary,
        received_meta: secondary,
        meta: secondary,
        accent: PINK,
        link: Some(Color::hex(0x1786F8)),
        quote_sent: other,
        quote_received: other,
        rule: Color::hex(0xE6E9EF),
        radius: 20.0,
        joined_radius: 4.0,
        pad: Pad {
            top: 10.0,
            side: 16.0,
            bottom: 10.0,
        },
        max_width: 0.74,
        tail: Tail::None,
        shadow: None,
        side_margin: 12.0,
        run_gap: 4.0,
        new_run_gap: 12.0,
        times: Times::Hidden,
        collapse_times: false,
        receipts: Receipts::SentBadge(Color::hex(0x1786F8)),
        default_status: DeliveryStatus::Sent,
        names: Names::Above,
        avatars: Avatars::Last,
        avatar_size: 32.0,
        separator: Label::Text,
        system: Label::Text,
        days: DayFormat {
            today: "Today {time}",
            yesterday: "Yesterday {time}",
            this_week: "{wd} {time}",
            this_year: "{m}/{day}/{year} {time}",
            older: "{m}/{day}/{year} {time}",
        },
        separator_rule: SeparatorRule::NewDayOrGap { minutes: 60 },
        reactions: Reactions::Heart {
            liked: PINK,
            idle: Color::hex(0xC5CAD3),
        },
        replies: Replies::Faded,
        photos_inside: false,
        photo_radius: 12.0,
        photo_width: 220.0,
        big_emoji: 40.0,
        bubbled_emoji: 0.0,
        typing: Typing::Dots,
        voice: Voice::Waveform,
        run_break_minutes: None,
        name_colors: &GREY,
        motion: Motion::default(),
    };
    let bars = Bars {
        bar: page,
        hairline: Color::hex(0xE6E9EF),
        field_stroke: Color::hex(0xD4D8DE),
        icon: Color::hex(0x505965),
        buttons: [
            Color::hex(0x1786F8),
            Color::hex(0xEEF0F4),
            Color::hex(0x2DC26B),
        ],
        blue: Color::hex(0x1786F8),
    };
    (d, bars)
}

fn dark_design() -> (Design, Bars) {
    let (light, _) = light_design();
    let page = Color::hex(0x111418);
    let secondary = Color::hex(0xA0A7B0);
    let other = Color::hex(0x2A2F36);
    let d = Design {
        page,
        ink: Color::WHITE,
        received: Fill::Solid(other),
        received_text: Color::WHITE,
        sent_meta: secondary,
        received_meta: secondary,
        meta: secondary,
        quote_sent: other,
        quote_received: other,
        rule: other,
        reactions: Reactions::Heart {
            liked: PINK,
            idle: Color::hex(0x5A616B),
        },
        ..light
    };
    let bars = Bars {
        bar: page,
        hairline: other,
        field_stroke: Color::hex(0x3A4049),
        icon: Color::hex(0xC9CED6),
        buttons: [
            Color::hex(0x1786F8),
            Color::hex(0x2A2F36),
            Color::hex(0x2DC26B),
        ],
        blue: Color::hex(0x3D9BFF),
    };
    (d, bars)
}

struct Tinder {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 76.0;

impl Chrome<Design> for Tinder {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        let all = Rect::new(0.0, 0.0, w, b.height);
        parts::bar(&mut b, all, bars.bar, Some(bars.hairline));
        let mid = top + HEADER_HEIGHT / 2.0;
        b.push(Item::Icon {
            icon: Icon::BackChevron,
            rect: Rect::new(16.0, mid - 10.5, 12.0, 21.0),
            color: bars.icon,
        });
        // The match's photo centred, the name under it.
        let h = headline(cx.props());
        let size = 36.0;
        let avatar_y = top + 6.0;
        b.items.extend(headline_avatar(
            cx,
            &h,
            (w / 2.0, avatar_y + size / 2.0),
            size,
            bars.bar,
        ));
        let name = cx.line_within(
            &h.title,
            &TextStyle::new(d.font, 12.0, 15.0, 600, d.ink),
            w - 160.0,
        );
        b.push(Item::text(
            (w - name.width) / 2.0,
            avatar_y + size + 4.0,
            name,
        ));
        b.push(Item::Icon {
            icon: Icon::Video,
            rect: Rect::new(w - 90.0, mid - 9.0, 27.0, 18.0),
            color: bars.blue,
        });
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
        let fx = 12.0;
        let field_w = w - 2.0 * fx;
        let style = TextStyle::new(d.font, 16.0, 21.0, 400, d.received_text).tracking(d.tracking);
        // The field, then a row of round buttons under it.
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, field_w, field_w - 90.0),
            (46.0, 8.0, 64.0),
            bars.bar,
            Some(bars.hairline),
        );
        let (field, cy) = (c.field, c.cy);
        c.field_box(Some(bars.bar), Some(bars.field_stroke), 23.0);
        let send_style = TextStyle::new(d.font, 16.0, 20.0, 700, d.meta);
        let (text_y, send_y) = (field.y + 12.5, cy - 10.0);
        if c.draft.is_some() {
            c.draw_draft((fx + 18.0, text_y), 23.0, PINK);
            let send = cx.line("Send", &send_style.color(bars.blue));
            c.push(Item::text(field.right() - 18.0 - send.width, send_y, send));
        } else {
            let ph = cx.line("Type a message", &style.color(d.meta));
            c.push(Item::text(fx + 18.0, text_y, ph));
            let send = cx.line("Send", &send_style);
            c.push(Item::text(field.right() - 18.0 - send.width, send_y, send));
        }
        let row = field.bottom() + 12.0 + 20.0;
        for (i, fill) in bars.buttons.into_iter().enumerate() {
            let bx = 16.0 + 20.0 + i as f32 * 52.0;
            c.push(Item::fill(
                Shape::Circle {
                    cx: bx,
                    cy: row,
                    r: 20.0,
                },
                fill,
            ));
            match i {
                0 => c.push(Item::Icon {
                    icon: Icon::IdCard,
                    rect: Rect::new(bx - 11.0, row - 11.0, 22.0, 22.0),
                    color: Color::WHITE,
                }),
                1 => {
                    let gif = cx.line("GIF", &TextStyle::new(d.font, 11.0, 14.0, 800, bars.icon));
                    c.push(Item::text(bx - gif.width / 2.0, row - 7.0, gif));
                }
                _ => c.push(Item::Icon {
                    icon: Icon::Music,
                    rect: Rect::new(bx - 10.0, row - 10.0, 20.0, 20.0),
                    color: Color::WHITE,
                }),
            }
        }
        c.finish()
    }

    fn opening(&self, cx: &mut Cx<'_>, d: &Design) -> Option<Block> {
        let w = cx.width;
        let first = cx.payload.times.messages.first().copied()?;
        // A Double Date (a group) matched with everyone in it.
        let firsts: Vec<String> = cx
            .props()
            .receivers
            .iter()
            .map(|u| {
                u.name
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_uppercase()
            })
            .collect();
        let name = match firsts.as_slice() {
            [one] => one.clone(),
            [rest @ .., last] => format!("{} AND {last}", rest.join(", ")),
            [] => return None,
        };
        let date = format!(
            "{}/{}/{:02}",
            first.month(),
            first.day(),
            first.year() % 100
        );
        let line = format!("YOU MATCHED WITH {name} ON {date}");
        let t = cx.text(
            &[Span::plain(&line)],
            &TextStyle::new(d.font, 12.0, 15.0, 600, d.meta).tracking(0.02),
            Bounds::width(w - 60.0).centered(),
        );
        let mut b = Block::new(14.0 + t.height + 14.0);
        b.push(Item::text((w - t.width) / 2.0, 14.0, t));
        Some(b)
    }
}
