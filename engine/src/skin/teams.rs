//! Microsoft Teams (iOS), light and dark: flat, nearly square bubbles (others'
//! grey, yours light purple) on a plain canvas, others' on the left with their avatar by the run and a "Name  10:42 AM"
//! caption above it, yours on the right in the light brand purple with no avatar,
//! the "Seen" eye under your last message, days between hairlines, and "Type a
//! message". Colours are Fluent 2's Teams tokens (`@fluentui/tokens` brandTeams and
//! neutrals); geometry from Fluent UI's Teams chat message styles.

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
use crate::scene::{Color, Item, Rect};
use crate::text::TextStyle;
use crate::time::DayFormat;

/// Teams's brand purple (brand 80), and its dark-mode shade (brand 100).
pub(crate) const BRAND: Color = Color::hex(0x5B5FC7);
pub(crate) const BRAND_DARK: Color = Color::hex(0x7F85F5);
/// The "Available" presence badge.
pub(crate) const AVAILABLE: Color = Color::hex(0x13A10E);

/// Names in quotes take the brand colour.
const BRAND_NAMES: [Color; 1] = [BRAND];
const BRAND_NAMES_DARK: [Color; 1] = [BRAND_DARK];

#[derive(Debug, Clone, Copy)]
struct Bars {
    bar: Color,
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
        chrome: Box::new(Teams { bars }),
    }
}

/// The mobile bubbles' design (the desktop app shares its geometry and type).
pub(crate) fn design(dark: bool) -> Design {
    if dark {
        dark_design().0
    } else {
        light_design().0
    }
}

fn light_design() -> (Design, Bars) {
    let caption = Color::hex(0x616161);
    let d = Design {
        font: Family::Inter,
        text_size: 15.0,
        line_height: 20.0,
        tracking: -0.01,
        meta_size: 12.0,
        page: Color::WHITE,
        ink: Color::hex(0x242424),
        sent: Fill::Solid(Color::hex(0xE8EBFA)),
        sent_text: Color::hex(0x242424),
        received: Fill::Solid(Color::hex(0xF5F5F5)),
        received_text: Color::hex(0x242424),
        sent_meta: caption,
        received_meta: caption,
        meta: caption,
        accent: BRAND,
        link: Some(BRAND),
        quote_sent: Color::WHITE,
        quote_received: Color::WHITE,
        rule: Color::hex(0xE0E0E0),
        radius: 6.0,
        joined_radius: 2.0,
        pad: Pad {
            top: 8.0,
            side: 14.0,
            bottom: 8.0,
        },
        max_width: 0.78,
        tail: Tail::None,
        shadow: None,
        side_margin: 12.0,
        run_gap: 2.0,
        new_run_gap: 16.0,
        times: Times::Caption,
        collapse_times: false,
        receipts: Receipts::SeenEye,
        default_status: DeliveryStatus::Read,
        names: Names::WithTime,
        avatars: Avatars::First,
        avatar_size: 32.0,
        separator: Label::Ruled(Color::hex(0xE0E0E0)),
        system: Label::Text,
        days: DayFormat {
            today: "Today|",
            yesterday: "Yesterday|",
            this_week: "{weekday}|",
            this_year: "{weekday}, {month} {day}|",
            older: "{weekday}, {month} {day}, {year}|",
        },
        separator_rule: SeparatorRule::NewDay,
        reactions: Reactions::Below {
            fill: Color::WHITE,
            ring: Color::hex(0xE0E0E0),
            inward: true,
        },
        replies: Replies::Inside,
        photos_inside: false,
        photo_radius: 6.0,
        photo_width: 240.0,
        // Emoji alone stay in their bubble, larger (E: ~32).
        big_emoji: 0.0,
        bubbled_emoji: 32.0,
        typing: Typing::Dots,
        voice: Voice::Waveform,
        run_break_minutes: Some(10),
        name_colors: &BRAND_NAMES,
        motion: Motion {
            enter_ms: 260.0,
            rise: 10.0,
            overshoot: 0.04,
            ..Motion::default()
        },
    };
    let bars = Bars {
        bar: Color::WHITE,
        hairline: Color::hex(0xE0E0E0),
        field: Color::hex(0xF5F5F5),
        placeholder: Color::hex(0x707070),
        icon: Color::hex(0x424242),
        subtitle: caption,
    };
    (d, bars)
}

fn dark_design() -> (Design, Bars) {
    let (light, _) = light_design();
    let caption = Color::hex(0xADADAD);
    let d = Design {
        page: Color::hex(0x141414),
        ink: Color::WHITE,
        sent: Fill::Solid(Color::hex(0x2F2F4A)),
        sent_text: Color::WHITE,
        received: Fill::Solid(Color::hex(0x292929)),
        received_text: Color::WHITE,
        sent_meta: caption,
        received_meta: caption,
        meta: caption,
        accent: BRAND_DARK,
        link: Some(BRAND_DARK),
        quote_sent: Color::hex(0x1F1F1F),
        quote_received: Color::hex(0x1F1F1F),
        rule: Color::hex(0x3D3D3D),
        separator: Label::Ruled(Color::hex(0x3D3D3D)),
        reactions: Reactions::Below {
            fill: Color::hex(0x292929),
            ring: Color::hex(0x3D3D3D),
            inward: true,
        },
        name_colors: &BRAND_NAMES_DARK,
        ..light
    };
    let bars = Bars {
        bar: Color::hex(0x292929),
        hairline: Color::hex(0x3D3D3D),
        field: Color::hex(0x1F1F1F),
        placeholder: Color::hex(0x8A8A8A),
        icon: Color::hex(0xD6D6D6),
        subtitle: caption,
    };
    (d, bars)
}

struct Teams {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 52.0;

impl Chrome<Design> for Teams {
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
        let subtitle = if h.group {
            format!("{} people", h.members.len() + 1)
        } else {
            "Available".to_owned()
        };
        let size = 32.0;
        parts::left_title(
            cx,
            &mut b,
            &h,
            (34.0, mid),
            (size, parts::NoPhoto::Monogram),
            (
                &TextStyle::new(d.font, 17.0, 21.0, 600, d.ink),
                &subtitle,
                &TextStyle::new(d.font, 12.0, 15.0, 400, bars.subtitle),
            ),
            w - 34.0 - size - 110.0,
        );
        if !h.group {
            // The presence dot on the avatar's corner, ringed in the bar's colour.
            let (px, py) = (34.0 + size - 4.0, mid + size / 2.0 - 4.0);
            parts::presence_dot(&mut b, (px, py), (4.5, 1.5), (bars.bar, AVAILABLE));
        }
        parts::call_buttons(
            &mut b,
            [Icon::Phone, Icon::Video],
            (w - 16.0, mid),
            48.0,
            0.95,
            bars.icon,
        );
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let fx = 50.0;
        let right = if draft.is_some() { 52.0 } else { 86.0 };
        let field_w = w - fx - right;
        let style = TextStyle::new(d.font, 16.0, 21.0, 400, d.received_text).tracking(d.tracking);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, field_w, field_w - 44.0),
            (38.0, 8.0, 8.0),
            bars.bar,
            Some(bars.hairline),
        );
        let (field, cy) = (c.field, c.cy);
        c.push(Item::Icon {
            icon: Icon::PlusOutline,
            rect: Rect::new(12.0, cy - 13.0, 26.0, 26.0),
            color: bars.icon,
        });
        c.field_box(Some(bars.field), None, 6.0);
        c.push(Item::Icon {
            icon: Icon::SmileyOutline,
            rect: Rect::new(field.right() - 32.0, cy - 11.0, 22.0, 22.0),
            color: bars.icon,
        });
        if c.draft.is_some() {
            c.draw_draft((fx + 12.0, field.y + 8.5), 6.0, d.accent);
            c.push(Item::Icon {
                icon: Icon::Send,
                rect: Rect::new(w - 38.0, cy - 11.0, 22.0, 22.0),
                color: d.accent,
            });
        } else {
            let ph = cx.line("Type a message", &style.color(bars.placeholder));
            c.push(Item::text(fx + 12.0, field.y + 8.5, ph));
            c.icon_row(
                &[(Icon::Camera, 24.0, 24.0), (Icon::Mic, 14.0, 22.0)],
                (w - right + 6.0, 40.0, 28.0),
                bars.icon,
            );
        }
        c.finish()
    }
}
