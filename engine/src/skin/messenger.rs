//! Messenger (iOS), light and dark: no tails, grouped corners, the purple-to-blue
//! gradient pinned to the screen, avatars beside incoming runs, seen-avatars.

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

const NAMES: [Color; 1] = [Color::hex(0x8A8D91)];

#[derive(Debug, Clone, Copy)]
struct Bars {
    bar: Color,
    field: Color,
    subtitle: Color,
    active: Color,
}

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let (d, bars) = if dark { dark_design() } else { light_design() };
    BubbleChat {
        design: d,
        chrome: Box::new(Messenger { bars }),
    }
}

/// The mobile bubbles' design (messenger.com shares its colours and radii).
pub(crate) fn design(dark: bool) -> Design {
    if dark {
        dark_design().0
    } else {
        light_design().0
    }
}

fn light_design() -> (Design, Bars) {
    let d = Design {
        font: Family::Inter,
        text_size: 16.5,
        line_height: 21.0,
        tracking: -0.015,
        meta_size: 12.0,
        page: Color::WHITE,
        ink: Color::BLACK,
        sent: Fill::Screen {
            top: Color::hex(0xA033FF),
            bottom: Color::hex(0x0A7CFF),
        },
        sent_text: Color::WHITE,
        received: Fill::Solid(Color::hex(0xF0F0F0)),
        received_text: Color::hex(0x050505),
        sent_meta: Color::WHITE,
        received_meta: Color::hex(0x8A8D91),
        meta: Color::hex(0x8A8D91),
        accent: Color::hex(0x8E3CF7),
        link: None,
        quote_sent: Color::TRANSPARENT,
        quote_received: Color::TRANSPARENT,
        rule: Color::hex(0xE4E6EB),
        radius: 18.0,
        joined_radius: 4.0,
        pad: Pad {
            top: 8.0,
            side: 12.0,
            bottom: 8.0,
        },
        max_width: 0.68,
        tail: Tail::None,
        shadow: None,
        side_margin: 12.0,
        run_gap: 2.0,
        new_run_gap: 10.0,
        times: Times::Hidden,
        collapse_times: false,
        receipts: Receipts::SeenAvatar,
        default_status: DeliveryStatus::Read,
        names: Names::Above,
        avatars: Avatars::Last,
        avatar_size: 28.0,
        separator: Label::Text,
        system: Label::Text,
        days: DayFormat {
            today: "{time}",
            yesterday: "Yesterday at {time}",
            this_week: "{wd} at {time}",
            this_year: "{mon} {day}, {time}",
            older: "{mon} {day}, {year}, {time}",
        },
        separator_rule: SeparatorRule::NewDayOrGap { minutes: 60 },
        reactions: Reactions::Below {
            inward: false,
            fill: Color::WHITE,
            ring: Color::WHITE,
        },
        replies: Replies::Faded,
        photos_inside: false,
        photo_radius: 18.0,
        photo_width: 240.0,
        big_emoji: 44.0,
        bubbled_emoji: 0.0,
        typing: Typing::Dots,
        voice: Voice::Waveform,
        run_break_minutes: None,
        name_colors: &NAMES,
        motion: Motion {
            enter_ms: 280.0,
            rise: 12.0,
            overshoot: 0.1,
            ..Motion::default()
        },
    };
    (
        d,
        Bars {
            bar: Color::rgba(0xFF, 0xFF, 0xFF, 0xF2),
            field: Color::hex(0xF0F2F5),
            subtitle: Color::hex(0x65676B),
            active: Color::hex(0x31A24C),
        },
    )
}

fn dark_design() -> (Design, Bars) {
    let (light, _) = light_design();
    let d = Design {
        page: Color::BLACK,
        ink: Color::WHITE,
        received: Fill::Solid(Color::hex(0x303030)),
        received_text: Color::hex(0xE4E6EB),
        received_meta: Color::hex(0xB0B3B8),
        meta: Color::hex(0x8A8D91),
        accent: Color::hex(0xA66CFF),
        rule: Color::hex(0x3E4042),
        reactions: Reactions::Below {
            inward: false,
            fill: Color::hex(0x303030),
            ring: Color::BLACK,
        },
        ..light
    };
    (
        d,
        Bars {
            bar: Color::rgba(0, 0, 0, 0xF2),
            field: Color::hex(0x303030),
            subtitle: Color::hex(0xB0B3B8),
            active: Color::hex(0x31A24C),
        },
    )
}

struct Messenger {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 54.0;

impl Chrome<Design> for Messenger {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        let all = Rect::new(0.0, 0.0, w, b.height);
        parts::bar(&mut b, all, bars.bar, Some(d.rule));
        let mid = top + HEADER_HEIGHT / 2.0;
        b.push(Item::Icon {
            icon: Icon::BackChevron,
            rect: Rect::new(12.0, mid - 10.5, 12.0, 21.0),
            color: d.accent,
        });
        let h = headline(cx.props());
        let avatar = 38.0;
        parts::left_title(
            cx,
            &mut b,
            &h,
            (36.0, mid),
            (avatar, parts::NoPhoto::Monogram),
            (
                &TextStyle::new(d.font, 16.5, 20.0, 600, d.ink),
                "Active now",
                &TextStyle::new(d.font, 12.5, 15.0, 400, bars.subtitle),
            ),
            w - 36.0 - 140.0,
        );
        // The green "active" dot on the avatar.
        let (dx, dy) = (36.0 + avatar - 5.0, mid + avatar / 2.0 - 5.0);
        b.push(Item::fill(
            Shape::Circle {
                cx: dx,
                cy: dy,
                r: 7.0,
            },
            d.page,
        ));
        b.push(Item::fill(
            Shape::Circle {
                cx: dx,
                cy: dy,
                r: 5.0,
            },
            bars.active,
        ));
        parts::call_buttons(
            &mut b,
            [Icon::Video, Icon::Phone],
            (w - 16.0, mid),
            46.0,
            0.95,
            d.accent,
        );
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        // While typing, the row of buttons folds into one chevron.
        let fx = if draft.is_some() { 44.0 } else { 152.0 };
        let field_w = w - fx - 52.0;
        let style = TextStyle::new(d.font, d.text_size, d.line_height, 400, d.received_text);
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
        if c.draft.is_some() {
            c.push(Item::Icon {
                icon: Icon::ChevronRight,
                rect: Rect::new(16.0, cy - 8.0, 9.0, 16.0),
                color: d.accent,
            });
        } else {
            c.icon_row(
                &[
                    (Icon::PlusCircle, 24.0, 24.0),
                    (Icon::Camera, 24.0, 24.0),
                    (Icon::Photo, 24.0, 24.0),
                    (Icon::Mic, 14.0, 22.0),
                ],
                (12.0, 35.0, 24.0),
                d.accent,
            );
        }
        c.field_box(Some(bars.field), None, 18.0);
        c.push(Item::Icon {
            icon: Icon::Smiley,
            rect: Rect::new(field.right() - 32.0, cy - 11.0, 22.0, 22.0),
            color: d.accent,
        });
        let end = if c.draft.is_some() {
            c.draw_draft((fx + 14.0, field.y + 7.5), 18.0, d.accent);
            Icon::Send
        } else {
            let ph = cx.line("Aa", &style.color(bars.subtitle));
            c.push(Item::text(fx + 14.0, field.y + 7.5, ph));
            Icon::ThumbsUp
        };
        c.push(Item::Icon {
            icon: end,
            rect: Rect::new(w - 40.0, cy - 12.0, 24.0, 24.0),
            color: d.accent,
        });
        c.finish()
    }
}
