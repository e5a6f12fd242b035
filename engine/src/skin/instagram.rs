//! Instagram direct messages (iOS), light and dark: round bubbles with grouped
//! corners, the purple-to-blue gradient pinned to the screen, "Seen".

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

const NAMES: [Color; 1] = [Color::hex(0x737373)];

#[derive(Debug, Clone, Copy)]
struct Bars {
    bar: Color,
    subtitle: Color,
    blue: Color,
}

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let (d, bars) = if dark { dark_design() } else { light_design() };
    BubbleChat {
        design: d,
        chrome: Box::new(Instagram { bars }),
    }
}

fn light_design() -> (Design, Bars) {
    let d = Design {
        font: Family::Inter,
        text_size: 16.0,
        line_height: 21.0,
        tracking: -0.01,
        meta_size: 12.0,
        page: Color::WHITE,
        ink: Color::BLACK,
        sent: Fill::Screen {
            top: Color::hex(0x8934F5),
            bottom: Color::hex(0x3797F0),
        },
        sent_text: Color::WHITE,
        received: Fill::Solid(Color::hex(0xEFEFEF)),
        received_text: Color::BLACK,
        sent_meta: Color::WHITE,
        received_meta: Color::hex(0x737373),
        meta: Color::hex(0x737373),
        accent: Color::hex(0x3797F0),
        link: None,
        quote_sent: Color::TRANSPARENT,
        quote_received: Color::TRANSPARENT,
        rule: Color::hex(0xDBDBDB),
        radius: 22.0,
        joined_radius: 5.0,
        pad: Pad {
            top: 10.0,
            side: 14.0,
            bottom: 10.0,
        },
        max_width: 0.68,
        tail: Tail::None,
        shadow: None,
        side_margin: 14.0,
        run_gap: 2.0,
        new_run_gap: 10.0,
        times: Times::Hidden,
        collapse_times: false,
        receipts: Receipts::Seen,
        default_status: DeliveryStatus::Read,
        names: Names::Above,
        avatars: Avatars::Last,
        avatar_size: 24.0,
        separator: Label::Text,
        system: Label::Text,
        days: DayFormat {
            today: "Today {time}",
            yesterday: "Yesterday {time}",
            this_week: "{weekday} {time}",
            this_year: "{mon} {day}, {time}",
            older: "{mon} {day}, {year}, {time}",
        },
        separator_rule: SeparatorRule::NewDayOrGap { minutes: 60 },
        reactions: Reactions::Below {
            inward: false,
            fill: Color::hex(0xEFEFEF),
            ring: Color::WHITE,
        },
        replies: Replies::Faded,
        photos_inside: false,
        photo_radius: 22.0,
        photo_width: 240.0,
        big_emoji: 44.0,
        bubbled_emoji: 0.0,
        typing: Typing::Dots,
        voice: Voice::Waveform,
        run_break_minutes: None,
        name_colors: &NAMES,
        motion: Motion {
            enter_ms: 300.0,
            rise: 12.0,
            overshoot: 0.08,
            ..Motion::default()
        },
    };
    (
        d,
        Bars {
            bar: Color::rgba(0xFF, 0xFF, 0xFF, 0xF5),
            subtitle: Color::hex(0x737373),
            blue: Color::hex(0x3797F0),
        },
    )
}

fn dark_design() -> (Design, Bars) {
    let (light, _) = light_design();
    let d = Design {
        page: Color::BLACK,
        ink: Color::WHITE,
        received: Fill::Solid(Color::hex(0x262626)),
        received_text: Color::hex(0xF5F5F5),
        received_meta: Color::hex(0xA8A8A8),
        meta: Color::hex(0xA8A8A8),
        rule: Color::hex(0x262626),
        reactions: Reactions::Below {
            inward: false,
            fill: Color::hex(0x262626),
            ring: Color::BLACK,
        },
        ..light
    };
    (
        d,
        Bars {
            bar: Color::rgba(0, 0, 0, 0xF5),
            subtitle: Color::hex(0xA8A8A8),
            blue: Color::hex(0x3797F0),
        },
    )
}

struct Instagram {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 52.0;

impl Chrome<Design> for Instagram {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        let all = Rect::new(0.0, 0.0, w, b.height);
        parts::bar(&mut b, all, bars.bar, Some(d.rule.fade(0.6)));
        let mid = top + HEADER_HEIGHT / 2.0;
        b.push(Item::Icon {
            icon: Icon::BackChevron,
            rect: Rect::new(12.0, mid - 10.5, 12.0, 21.0),
            color: d.ink,
        });
        let h = headline(cx.props());
        let subtitle = if h.group {
            format!("{} members", h.members.len() + 1)
        } else {
            "Active now".to_owned()
        };
        parts::left_title(
            cx,
            &mut b,
            &h,
            (38.0, mid),
            (32.0, parts::NoPhoto::Monogram),
            (
                &TextStyle::new(d.font, 16.0, 19.0, 600, d.ink),
                &subtitle,
                &TextStyle::new(d.font, 12.0, 15.0, 400, bars.subtitle),
            ),
            w - 38.0 - 140.0,
        );
        parts::call_buttons(
            &mut b,
            [Icon::Video, Icon::Phone],
            (w - 18.0, mid),
            48.0,
            1.03,
            d.ink,
        );
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let fx = 12.0;
        let text_x = fx + 50.0;
        let right = if draft.is_some() { 64.0 } else { 118.0 };
        let style = TextStyle::new(d.font, d.text_size, d.line_height, 400, d.received_text);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, w - 24.0, w - 24.0 - 50.0 - right),
            (44.0, 6.0, 8.0),
            bars.bar,
            None,
        );
        let (field, cy) = (c.field, c.cy);
        c.field_box(Some(d.received.color()), None, 22.0);
        c.push(Item::fill(
            Shape::Circle {
                cx: fx + 22.0,
                cy,
                r: 17.0,
            },
            bars.blue,
        ));
        c.push(Item::Icon {
            icon: Icon::Camera,
            rect: Rect::new(fx + 12.0, cy - 10.0, 20.0, 20.0),
            color: Color::WHITE,
        });
        if c.draft.is_some() {
            c.draw_draft((text_x, field.y + 11.5), 22.0, bars.blue);
            let send = cx.line("Send", &TextStyle::new(d.font, 16.0, 20.0, 600, bars.blue));
            c.push(Item::text(
                field.right() - 16.0 - send.width,
                cy - 10.0,
                send,
            ));
        } else {
            let ph = cx.line("Message...", &style.color(bars.subtitle));
            c.push(Item::text(text_x, field.y + 11.5, ph));
            c.icon_row(
                &[
                    (Icon::Mic, 14.0, 22.0),
                    (Icon::Photo, 24.0, 24.0),
                    (Icon::Sticker, 24.0, 24.0),
                ],
                (field.right() - 112.0, 36.0, 24.0),
                d.ink,
            );
        }
        c.finish()
    }
}
