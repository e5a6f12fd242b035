//! Slack (iOS), light and dark: a message list in Lato (black-weight names with the
//! time after them, runs that collapse), rounded-square avatars, reactions as
//! rounded chips (yours outlined in blue), @mentions highlighted, quotes with a
//! grey bar, "joined #general." as an ordinary message, the "# channel" header
//! with its member count and huddle button, and the "Message #channel" field over
//! its formatting row. Colours are Slack Kit's design tokens.

use super::Chrome;
use super::discord::channel;
use super::parts;
use super::rows::{Chips, RowChat, RowDesign, RowNotices, RowReplies, avatar_of};
use crate::conversation::SeparatorRule;
use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::payload::DeliveryStatus;
use crate::scene::{Color, Item, Rect, Shape};
use crate::skin::Motion;
use crate::text::TextStyle;
use crate::time::DayFormat;

/// Slack's green (send, success).
const GREEN: Color = Color::hex(0x007A5A);
/// The "active" presence dot.
const ACTIVE: Color = Color::hex(0x2BAC76);

/// Default avatars' colours.
const AVATARS: [Color; 6] = [
    Color::hex(0x4A154B),
    Color::hex(0x1264A3),
    Color::hex(0x2BAC76),
    Color::hex(0xE01E5A),
    Color::hex(0xECB22E),
    Color::hex(0x36C5F0),
];

#[derive(Debug, Clone, Copy)]
struct Bars {
    field: Color,
    icon: Color,
    idle_send: Color,
}

pub(crate) fn skin(dark: bool) -> RowChat {
    let (design, bars) = if dark { dark_design() } else { light_design() };
    RowChat {
        design,
        chrome: Box::new(Slack { bars }),
    }
}

/// The mobile design (the desktop app shares its type and palette).
pub(crate) fn design(dark: bool) -> RowDesign {
    if dark {
        dark_design().0
    } else {
        light_design().0
    }
}

fn light_design() -> (RowDesign, Bars) {
    let blue = Color::hex(0x1264A3);
    let design = RowDesign {
        font: Family::Lato,
        text_size: 15.0,
        line_height: 22.0,
        name_size: 15.0,
        name_weight: 900,
        time_size: 12.0,
        page: Color::WHITE,
        ink: Color::BLACK,
        text: Color::hex(0x1D1C1D),
        name: Color::hex(0x1D1C1D),
        muted: Color::hex(0x616061),
        link: blue,
        divider: Color::hex(0xDDDDDD),
        accent: GREEN,
        surface: Color::hex(0xF8F8F8),
        spine: Color::hex(0xDDDDDD),
        mention_fill: Color::rgba(0x1D, 0x9B, 0xD1, 0x1A),
        mention_ink: blue,
        mention_me: Some((Color::rgba(0xF2, 0xC7, 0x44, 0x66), Color::hex(0x1D1C1D))),
        mentioned_row: None,
        avatar_size: 36.0,
        avatar_x: 16.0,
        column: 60.0,
        right_pad: 16.0,
        run_gap: 14.0,
        line_gap: 2.0,
        jumbo: 32.0,
        chips: Chips {
            fill: Color::hex(0xF1F1F1),
            ring: Color::hex(0xF1F1F1),
            ink: Color::hex(0x1D1C1D),
            mine_fill: Color::hex(0xE8F5FA),
            mine_ring: blue,
            mine_ink: blue,
            height: 24.0,
            radius: 12.0,
        },
        days: DayFormat {
            today: "Today",
            yesterday: "Yesterday",
            this_week: "{weekday}, {month} {day}",
            this_year: "{weekday}, {month} {day}",
            older: "{weekday}, {month} {day}, {year}",
        },
        stamps: DayFormat {
            today: "{time}",
            yesterday: "{time}",
            this_week: "{time}",
            this_year: "{time}",
            older: "{time}",
        },
        separator_rule: SeparatorRule::NewDay,
        run_break_minutes: Some(5),
        default_status: DeliveryStatus::Read,
        // Slack does not colour names.
        name_colors: &[],
        avatar_colors: &AVATARS,
        avatar_face: None,
        avatar_corner: Some(8.0),
        replies: RowReplies::Quote,
        threads: true,
        typing_strip: None,
        notices: RowNotices::Message,
        motion: Motion {
            enter_ms: 200.0,
            rise: 6.0,
            overshoot: 0.0,
            ..Motion::default()
        },
    };
    let bars = Bars {
        field: Color::hex(0xF8F8F8),
        icon: Color::hex(0x616061),
        idle_send: Color::hex(0xDDDDDD),
    };
    (design, bars)
}

fn dark_design() -> (RowDesign, Bars) {
    let (light, _) = light_design();
    let blue = Color::hex(0x1D9BD1);
    let design = RowDesign {
        page: Color::hex(0x1A1D21),
        ink: Color::WHITE,
        text: Color::hex(0xD1D2D3),
        name: Color::hex(0xF8F8F8),
        muted: Color::hex(0xABABAD),
        link: blue,
        divider: Color::hex(0x35373B),
        surface: Color::hex(0x222529),
        spine: Color::hex(0x35373B),
        mention_fill: Color::rgba(0x1D, 0x9B, 0xD1, 0x33),
        mention_ink: blue,
        mention_me: Some((Color::rgba(0xF2, 0xC7, 0x44, 0x4D), Color::hex(0xF2C744))),
        mentioned_row: None,
        chips: Chips {
            fill: Color::hex(0x2C2D30),
            ring: Color::hex(0x2C2D30),
            ink: Color::hex(0xD1D2D3),
            mine_fill: Color::hex(0x1A3A4D),
            mine_ring: blue,
            mine_ink: blue,
            height: 24.0,
            radius: 12.0,
        },
        ..light
    };
    let bars = Bars {
        field: Color::hex(0x222529),
        icon: Color::hex(0xABABAD),
        idle_send: Color::hex(0x35373B),
    };
    (design, bars)
}

struct Slack {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 52.0;

impl Chrome<RowDesign> for Slack {
    fn header(&self, cx: &mut Cx<'_>, d: &RowDesign, top: f32) -> Block {
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        b.push(Item::rect(Rect::new(0.0, 0.0, w, b.height), d.page));
        b.push(Item::rect(
            Rect::new(0.0, b.height - 0.5, w, 0.5),
            d.divider,
        ));
        let mid = top + HEADER_HEIGHT / 2.0;
        b.push(Item::Icon {
            icon: Icon::BackChevron,
            rect: Rect::new(14.0, mid - 10.5, 12.0, 21.0),
            color: d.name,
        });
        let title_style = TextStyle::new(d.font, 17.0, 21.0, 900, d.name);
        let props = cx.props();
        let channel_name = match (&props.group_chat_settings, props.is_group()) {
            (Some(g), true) => Some(channel(&g.name)),
            _ => None,
        };
        let (members, user) = (props.receivers.len() + 1, props.receivers[0].clone());
        if let Some(name) = channel_name {
            let title = cx.line_within(&format!("# {name}"), &title_style, w - 140.0);
            let sub = cx.line(
                &format!("{members} members"),
                &TextStyle::new(d.font, 13.0, 16.0, 400, d.muted),
            );
            let top_y = mid - (title.height + sub.height) / 2.0;
            let tw = title.width;
            b.push(Item::text(38.0, top_y, title));
            b.push(Item::text(38.0, top_y + 21.0, sub));
            b.push(Item::Icon {
                icon: Icon::ChevronRight,
                rect: Rect::new(38.0 + tw + 5.0, top_y + 6.0, 6.0, 10.0),
                color: d.muted,
            });
        } else {
            let size = 24.0;
            avatar_of(d, cx, &mut b, &user, (38.0, mid - size / 2.0), size);
            // The presence dot on the avatar's corner.
            let (px, py) = (38.0 + size - 1.0, mid + size / 2.0 - 1.0);
            parts::presence_dot(&mut b, (px, py), (4.0, 1.5), (d.page, ACTIVE));
            let title = cx.line_within(&user.name, &title_style, w - 38.0 - size - 8.0 - 70.0);
            b.push(Item::text(
                38.0 + size + 8.0,
                mid - title.height / 2.0,
                title,
            ));
        }
        b.push(Item::Icon {
            icon: Icon::Headphones,
            rect: Rect::new(w - 16.0 - 22.0, mid - 11.0, 22.0, 22.0),
            color: d.name,
        });
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &RowDesign, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let fx = 12.0;
        let field_w = w - 2.0 * fx;
        let style = TextStyle::new(d.font, 15.0, 21.0, 400, d.text);
        // The field, then the formatting row under it.
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, field_w, field_w - 24.0),
            (40.0, 8.0, 48.0),
            d.page,
            Some(d.divider),
        );
        let field = c.field;
        c.field_box(Some(bars.field), Some(d.divider), 8.0);
        let ready = c.draft.is_some();
        if ready {
            c.draw_draft((fx + 12.0, field.y + 9.5), 8.0, d.link);
        } else {
            let props = cx.props();
            let placeholder = match (&props.group_chat_settings, props.is_group()) {
                (Some(g), true) => format!("Message #{}", channel(&g.name)),
                _ => format!("Message {}", props.receivers[0].name),
            };
            let ph = cx.line_within(&placeholder, &style.color(d.muted), field.w - 24.0);
            c.push(Item::text(fx + 12.0, field.y + 9.5, ph));
        }
        let row = field.bottom() + 8.0 + 16.0;
        let mut x = 16.0;
        for slot in 0..6 {
            match slot {
                0 => c.push(Item::Icon {
                    icon: Icon::Plus,
                    rect: Rect::new(x, row - 9.0, 18.0, 18.0),
                    color: bars.icon,
                }),
                1 | 3 => {
                    let word = if slot == 1 { "Aa" } else { "@" };
                    let t = cx.line(word, &TextStyle::new(d.font, 17.0, 20.0, 700, bars.icon));
                    c.push(Item::text(x + 9.0 - t.width / 2.0, row - 10.0, t));
                }
                2 => c.push(Item::Icon {
                    icon: Icon::SmileyOutline,
                    rect: Rect::new(x - 1.0, row - 10.0, 20.0, 20.0),
                    color: bars.icon,
                }),
                4 => c.push(Item::Icon {
                    icon: Icon::Camera,
                    rect: Rect::new(x - 1.0, row - 10.0, 20.0, 20.0),
                    color: bars.icon,
                }),
                _ => c.push(Item::Icon {
                    icon: Icon::Mic,
                    rect: Rect::new(x + 3.0, row - 10.0, 12.0, 20.0),
                    color: bars.icon,
                }),
            }
            x += 44.0;
        }
        // The send button: a small square, green once there is something to send.
        let send = Rect::new(w - 16.0 - 32.0, row - 16.0, 32.0, 32.0);
        let (fill, ink) = if ready {
            (GREEN, Color::WHITE)
        } else {
            (bars.idle_send, d.muted)
        };
        c.push(Item::fill(Shape::RoundRect(send, 6.0), fill));
        c.push(Item::Icon {
            icon: Icon::Send,
            rect: Rect::new(send.x + 7.0, send.y + 7.0, 18.0, 18.0),
            color: ink,
        });
        c.finish()
    }
}
