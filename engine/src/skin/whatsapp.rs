//! WhatsApp (iOS, 2023+ look), light and dark: doodle wallpaper, flag tails on the
//! first bubble of a run, time and ticks inside the bubbles, names inside group
//! bubbles, date chips and the yellow encryption notice.

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

/// Group name colours (on light and dark wallpapers alike).
const NAMES: [Color; 8] = [
    Color::hex(0x1F7AEC),
    Color::hex(0xE542A3),
    Color::hex(0x02A698),
    Color::hex(0xD9365E),
    Color::hex(0x7F66FF),
    Color::hex(0xC4532D),
    Color::hex(0x3B9A1D),
    Color::hex(0xA857C9),
];

/// Colours of the bars and wallpaper.
#[derive(Debug, Clone, Copy)]
struct Bars {
    bar: Color,
    hairline: Color,
    field: Color,
    field_stroke: Color,
    icon: Color,
    subtitle: Color,
    doodle: Color,
    green: Color,
}

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let (d, bars) = if dark { dark_design() } else { light_design() };
    BubbleChat {
        design: d,
        chrome: Box::new(WhatsApp { bars }),
    }
}

/// The mobile bubbles' design (the web and desktop apps share it).
pub(crate) fn design(dark: bool) -> Design {
    if dark {
        dark_design().0
    } else {
        light_design().0
    }
}

fn light_design() -> (Design, Bars) {
    let page = Color::hex(0xEFEAE2);
    let d = Design {
        font: Family::Roboto,
        text_size: 15.5,
        line_height: 20.0,
        tracking: 0.0,
        meta_size: 11.0,
        page,
        ink: Color::BLACK,
        sent: Fill::Solid(Color::hex(0xD9FDD3)),
        sent_text: Color::hex(0x111B21),
        received: Fill::Solid(Color::WHITE),
        received_text: Color::hex(0x111B21),
        sent_meta: Color::hex(0x667781),
        received_meta: Color::hex(0x667781),
        meta: Color::hex(0x54656F),
        accent: Color::hex(0x06CF9C),
        link: Some(Color::hex(0x027EB5)),
        quote_sent: Color::hex(0xD1F4CC),
        quote_received: Color::hex(0xF5F6F6),
        rule: Color::hex(0xD1D7DB),
        radius: 8.0,
        joined_radius: 8.0,
        pad: Pad {
            top: 6.0,
            side: 8.5,
            bottom: 7.0,
        },
        max_width: 0.80,
        tail: Tail::Flag,
        shadow: Some(Color::rgba(0x0B, 0x14, 0x1A, 0x22)),
        side_margin: 16.0,
        run_gap: 2.0,
        new_run_gap: 10.0,
        times: Times::Inside,
        collapse_times: false,
        receipts: Receipts::Ticks {
            pending: Color::hex(0x8696A0),
            read: Color::hex(0x53BDEB),
        },
        default_status: DeliveryStatus::Read,
        names: Names::Inside,
        avatars: Avatars::GroupFirst,
        avatar_size: 28.0,
        separator: Label::Chip {
            fill: Color::WHITE,
            ink: Color::hex(0x54656F),
            shadow: true,
        },
        system: Label::Chip {
            fill: Color::hex(0xFFEECD),
            ink: Color::hex(0x54656F),
            shadow: true,
        },
        days: DayFormat {
            today: "Today",
            yesterday: "Yesterday",
            this_week: "{weekday}",
            this_year: "{wd}, {mon} {day}",
            older: "{mon} {day}, {year}",
        },
        separator_rule: SeparatorRule::NewDay,
        reactions: Reactions::Below {
            inward: false,
            fill: Color::WHITE,
            ring: page,
        },
        replies: Replies::Inside,
        photos_inside: true,
        photo_radius: 8.0,
        photo_width: 240.0,
        big_emoji: 44.0,
        bubbled_emoji: 0.0,
        typing: Typing::Dots,
        voice: Voice::Waveform,
        run_break_minutes: None,
        name_colors: &NAMES,
        motion: Motion {
            enter_ms: 260.0,
            rise: 10.0,
            overshoot: 0.05,
            ..Motion::default()
        },
    };
    let bars = Bars {
        bar: Color::rgba(0xF6, 0xF5, 0xF3, 0xF2),
        hairline: Color::rgba(0, 0, 0, 0x24),
        field: Color::WHITE,
        field_stroke: Color::hex(0xDDDDE1),
        icon: Color::hex(0x111B21),
        subtitle: Color::hex(0x667781),
        doodle: Color::rgba(0x6B, 0x5A, 0x45, 0x18),
        green: Color::hex(0x00A884),
    };
    (d, bars)
}

fn dark_design() -> (Design, Bars) {
    let page = Color::hex(0x0B141A);
    let (light, _) = light_design();
    let d = Design {
        page,
        ink: Color::WHITE,
        sent: Fill::Solid(Color::hex(0x005C4B)),
        sent_text: Color::hex(0xE9EDEF),
        received: Fill::Solid(Color::hex(0x202C33)),
        received_text: Color::hex(0xE9EDEF),
        sent_meta: Color::rgba(0xE9, 0xED, 0xEF, 0x99),
        received_meta: Color::hex(0x8696A0),
        meta: Color::hex(0x8696A0),
        accent: Color::hex(0x06CF9C),
        link: Some(Color::hex(0x53BDEB)),
        quote_sent: Color::hex(0x025144),
        quote_received: Color::hex(0x1D282F),
        rule: Color::hex(0x2A3942),
        shadow: None,
        receipts: Receipts::Ticks {
            pending: Color::rgba(0xE9, 0xED, 0xEF, 0x99),
            read: Color::hex(0x53BDEB),
        },
        separator: Label::Chip {
            fill: Color::hex(0x182229),
            ink: Color::hex(0x8696A0),
            shadow: false,
        },
        system: Label::Chip {
            fill: Color::hex(0x182229),
            ink: Color::hex(0xFFD279),
            shadow: false,
        },
        reactions: Reactions::Below {
            inward: false,
            fill: Color::hex(0x202C33),
            ring: page,
        },
        ..light
    };
    let bars = Bars {
        bar: Color::rgba(0x0B, 0x14, 0x1A, 0xF2),
        hairline: Color::rgba(0xFF, 0xFF, 0xFF, 0x1A),
        field: Color::hex(0x1F2C34),
        field_stroke: Color::hex(0x1F2C34),
        icon: Color::hex(0xE9EDEF),
        subtitle: Color::hex(0x8696A0),
        doodle: Color::rgba(0xFF, 0xFF, 0xFF, 0x0D),
        green: Color::hex(0x00A884),
    };
    (d, bars)
}

struct WhatsApp {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 52.0;

impl Chrome<Design> for WhatsApp {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        let all = Rect::new(0.0, 0.0, w, b.height);
        parts::bar(&mut b, all, bars.bar, Some(bars.hairline));
        let mid = top + HEADER_HEIGHT / 2.0;
        b.push(Item::Icon {
            icon: Icon::BackChevron,
            rect: Rect::new(10.0, mid - 10.5, 12.0, 21.0),
            color: bars.icon,
        });
        let h = headline(cx.props());
        let subtitle = subtitle(&h);
        parts::left_title(
            cx,
            &mut b,
            &h,
            (34.0, mid),
            (36.0, parts::NoPhoto::Monogram),
            (
                &TextStyle::new(d.font, 17.0, 21.0, 500, d.ink),
                &subtitle,
                &TextStyle::new(d.font, 13.0, 16.0, 400, bars.subtitle),
            ),
            w - 34.0 - 110.0,
        );
        parts::call_buttons(
            &mut b,
            [Icon::Phone, Icon::Video],
            (w - 18.0, mid),
            52.0,
            1.0,
            bars.icon,
        );
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let fx = 46.0;
        let right = if draft.is_some() { 54.0 } else { 96.0 };
        let field_w = w - fx - right;
        let style = TextStyle::new(d.font, d.text_size, d.line_height, 400, d.received_text);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, field_w, field_w - 46.0),
            (34.0, 8.0, 8.0),
            bars.bar,
            Some(bars.hairline),
        );
        let (field, cy) = (c.field, c.cy);
        c.push(Item::Icon {
            icon: Icon::Plus,
            rect: Rect::new(14.0, cy - 10.0, 20.0, 20.0),
            color: bars.icon,
        });
        c.field_box(Some(bars.field), Some(bars.field_stroke), 17.0);
        c.push(Item::Icon {
            icon: Icon::Sticker,
            rect: Rect::new(field.right() - 32.0, cy - 11.0, 22.0, 22.0),
            color: bars.subtitle,
        });
        if c.draft.is_some() {
            c.draw_draft((fx + 12.0, field.y + 6.5), 17.0, bars.green);
            c.push(Item::fill(
                Shape::Circle {
                    cx: w - 28.0,
                    cy,
                    r: 17.0,
                },
                bars.green,
            ));
            c.push(Item::Icon {
                icon: Icon::Send,
                rect: Rect::new(w - 37.0, cy - 9.0, 19.0, 19.0),
                color: Color::WHITE,
            });
        } else {
            c.icon_row(
                &[(Icon::Camera, 25.0, 25.0), (Icon::Mic, 14.0, 22.0)],
                (w - right + 12.0, 44.0, 25.0),
                bars.icon,
            );
        }
        c.finish()
    }

    fn wallpaper(&self, cx: &mut Cx<'_>, _d: &Design) -> Option<super::Wallpaper> {
        parts::doodle_wallpaper(cx, self.bars.doodle, None)
    }
}

/// Under the conversation's name: the members' first names and "You" in a group,
/// "online" in a direct message (the phone and the web app alike).
pub(crate) fn subtitle(h: &parts::avatar::Headline) -> String {
    if h.group {
        let mut names: Vec<String> = h
            .members
            .iter()
            .map(|u| u.name.split_whitespace().next().unwrap_or("").to_owned())
            .collect();
        names.push("You".to_owned());
        names.join(", ")
    } else {
        "online".to_owned()
    }
}
