//! Reddit chat (iOS), light and dark: a message list (avatar, bare username and
//! time over a run, everyone on the left) on Reddit's neutral palette, default
//! avatars of our own drawing (a little round alien on the colours of Reddit's
//! default discs: never Reddit's artwork), days between thin rules, no call
//! buttons, and the "Message" composer with its send arrow. Colours are Reddit's
//! live web styles; the chat layout is estimated (see the closing note).

use super::Chrome;
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

/// Default avatars' colours.
const AVATARS: [Color; 6] = [
    Color::hex(0xFF4500),
    Color::hex(0xFF8717),
    Color::hex(0xD4E815),
    Color::hex(0x46D160),
    Color::hex(0x24A0ED),
    Color::hex(0xA5A4A4),
];

#[derive(Debug, Clone, Copy)]
struct Bars {
    field: Color,
    icon: Color,
    blue: Color,
}

pub(crate) fn skin(dark: bool) -> RowChat {
    let (design, bars) = if dark { dark_design() } else { light_design() };
    RowChat {
        design,
        chrome: Box::new(Reddit { bars }),
    }
}

fn light_design() -> (RowDesign, Bars) {
    let blue = Color::hex(0x115BCA);
    let design = RowDesign {
        font: Family::Inter,
        text_size: 15.0,
        line_height: 21.0,
        name_size: 14.0,
        name_weight: 700,
        time_size: 12.0,
        page: Color::WHITE,
        ink: Color::BLACK,
        text: Color::hex(0x333D42),
        name: Color::hex(0x181C1F),
        muted: Color::hex(0x5C6C74),
        link: blue,
        divider: Color::rgba(0, 0, 0, 0x1A),
        accent: blue,
        surface: Color::hex(0xF6F7F8),
        spine: Color::hex(0xC2CCD0),
        mention_fill: Color::rgba(0x11, 0x5B, 0xCA, 0x1A),
        mention_ink: blue,
        mention_me: None,
        mentioned_row: None,
        avatar_size: 32.0,
        avatar_x: 16.0,
        column: 56.0,
        right_pad: 16.0,
        run_gap: 16.0,
        line_gap: 4.0,
        jumbo: 36.0,
        chips: Chips {
            fill: Color::hex(0xEAEDEF),
            ring: Color::hex(0xEAEDEF),
            ink: Color::hex(0x2A3C42),
            mine_fill: Color::hex(0xE5ECF8),
            mine_ring: blue,
            mine_ink: blue,
            height: 26.0,
            radius: 13.0,
        },
        days: DayFormat {
            today: "Today",
            yesterday: "Yesterday",
            this_week: "{weekday}",
            this_year: "{mon} {day}",
            older: "{mon} {day}, {year}",
        },
        stamps: DayFormat {
            today: "{time}",
            yesterday: "Yesterday {time}",
            this_week: "{wd} {time}",
            this_year: "{mon} {day} {time}",
            older: "{mon} {day}, {year}",
        },
        separator_rule: SeparatorRule::NewDay,
        run_break_minutes: Some(5),
        default_status: DeliveryStatus::Read,
        // Reddit does not colour names.
        name_colors: &[],
        avatar_colors: &AVATARS,
        avatar_face: Some(Icon::Alien),
        replies: RowReplies::Quote,
        avatar_corner: None,
        threads: false,
        typing_strip: None,
        notices: RowNotices::Centred,
        motion: Motion {
            enter_ms: 220.0,
            rise: 8.0,
            overshoot: 0.0,
            ..Motion::default()
        },
    };
    let bars = Bars {
        field: Color::hex(0xF6F7F8),
        icon: Color::hex(0x2A3C42),
        blue: Color::hex(0x0A449B),
    };
    (design, bars)
}

fn dark_design() -> (RowDesign, Bars) {
    let (light, _) = light_design();
    let blue = Color::hex(0x648EFC);
    let design = RowDesign {
        page: Color::hex(0x0E1113),
        ink: Color::WHITE,
        text: Color::hex(0xF2F4F5),
        name: Color::hex(0xF2F4F5),
        muted: Color::hex(0x8BA2AD),
        link: blue,
        divider: Color::rgba(0xFF, 0xFF, 0xFF, 0x33),
        accent: blue,
        surface: Color::hex(0x181C1F),
        spine: Color::hex(0x3E4A50),
        mention_fill: Color::rgba(0x64, 0x8E, 0xFC, 0x33),
        mention_ink: blue,
        mention_me: None,
        mentioned_row: None,
        chips: Chips {
            fill: Color::hex(0x181C1F),
            ring: Color::hex(0x181C1F),
            ink: Color::hex(0xB7CAD4),
            mine_fill: Color::hex(0x1C2A4A),
            mine_ring: blue,
            mine_ink: Color::hex(0xC5D5FF),
            height: 26.0,
            radius: 13.0,
        },
        ..light
    };
    let bars = Bars {
        field: Color::hex(0x181C1F),
        icon: Color::hex(0xB7CAD4),
        blue,
    };
    (design, bars)
}

struct Reddit {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 48.0;

impl Chrome<RowDesign> for Reddit {
    fn header(&self, cx: &mut Cx<'_>, d: &RowDesign, top: f32) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        b.push(Item::rect(Rect::new(0.0, 0.0, w, b.height), d.page));
        b.push(Item::rect(
            Rect::new(0.0, b.height - 0.5, w, 0.5),
            d.divider,
        ));
        let mid = top + HEADER_HEIGHT / 2.0;
        b.push(Item::Icon {
            icon: Icon::ArrowLeft,
            rect: Rect::new(12.0, mid - 11.0, 22.0, 22.0),
            color: bars.icon,
        });
        let props = cx.props();
        let (title, user) = match (&props.group_chat_settings, props.is_group()) {
            (Some(g), true) => (g.name.clone(), None),
            _ => (
                props.receivers[0].name.clone(),
                Some(props.receivers[0].clone()),
            ),
        };
        let size = 28.0;
        let ax = 44.0;
        match user {
            Some(u) => {
                avatar_of(d, cx, &mut b, &u, (ax, mid - size / 2.0), size);
            }
            None => {
                // A group: two members' avatars overlapping on the diagonal.
                let members: Vec<_> = cx.props().receivers.iter().take(2).cloned().collect();
                let small = 20.0;
                let spots = [
                    (ax, mid - size / 2.0),
                    (ax + size - small, mid + size / 2.0 - small),
                ];
                for (u, (x, y)) in members.iter().zip(spots) {
                    b.push(Item::fill(
                        Shape::Circle {
                            cx: x + small / 2.0,
                            cy: y + small / 2.0,
                            r: small / 2.0 + 1.5,
                        },
                        d.page,
                    ));
                    avatar_of(d, cx, &mut b, u, (x, y), small);
                }
            }
        }
        let t = cx.line_within(
            &title,
            &TextStyle::new(d.font, 16.0, 20.0, 700, d.name),
            w - ax - size - 10.0 - 60.0,
        );
        b.push(Item::text(ax + size + 10.0, mid - 10.0, t));
        b.push(Item::Icon {
            icon: Icon::More,
            rect: Rect::new(w - 16.0 - 20.0, mid - 2.5, 20.0, 5.0),
            color: bars.icon,
        });
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &RowDesign, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let fx = 52.0;
        let field_w = w - fx - 56.0;
        let style = TextStyle::new(d.font, 16.0, 21.0, 400, d.text);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, field_w, field_w - 28.0),
            (40.0, 8.0, 8.0),
            d.page,
            Some(d.divider),
        );
        let (field, cy) = (c.field, c.cy);
        c.push(Item::Icon {
            icon: Icon::PlusOutline,
            rect: Rect::new(14.0, cy - 13.0, 26.0, 26.0),
            color: bars.icon,
        });
        c.field_box(Some(bars.field), None, 20.0);
        // The send arrow: white on blue once there is something to send.
        let ready = c.draft.is_some();
        if ready {
            c.draw_draft((fx + 16.0, field.y + 9.5), 20.0, bars.blue);
        } else {
            let ph = cx.line("Message", &style.color(d.muted));
            c.push(Item::text(fx + 16.0, field.y + 9.5, ph));
        }
        let (fill, ink) = if ready {
            (bars.blue, Color::WHITE)
        } else {
            (bars.field, d.muted)
        };
        c.push(Item::fill(
            Shape::Circle {
                cx: w - 30.0,
                cy,
                r: 18.0,
            },
            fill,
        ));
        c.push(Item::Icon {
            icon: Icon::Send,
            rect: Rect::new(w - 39.0, cy - 9.0, 18.0, 18.0),
            color: ink,
        });
        c.finish()
    }
}
