//! LINE (iOS), light and dark: white and yellow-green bubbles on the flat blue-grey
//! talk background, a horn at the top of each run's first bubble, the friend's
//! avatar and name at the top of their runs, the time (and "Read") outside the
//! bubble on its inner side, date pills, no typing indicator, an "Aa" composer.
//! LINE publishes no design tokens: colours are the consensus of LINE-look builds
//! and screenshots (see the closing note of the issue that added it).

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

/// LINE does not colour names.
const GREY_LIGHT: [Color; 1] = [Color::rgba(0, 0, 0, 0x80)];
const GREY_DARK: [Color; 1] = [Color::rgba(0xFF, 0xFF, 0xFF, 0xB3)];

#[derive(Debug, Clone, Copy)]
struct Bars {
    bar: Color,
    hairline: Color,
    field: Color,
    placeholder: Color,
    icon: Color,
}

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let (d, bars) = if dark { dark_design() } else { light_design() };
    BubbleChat {
        design: d,
        chrome: Box::new(Line { bars }),
    }
}

fn light_design() -> (Design, Bars) {
    let white = Color::WHITE;
    let d = Design {
        font: Family::Inter,
        text_size: 15.5,
        line_height: 20.5,
        tracking: -0.01,
        meta_size: 11.0,
        page: Color::hex(0x8CABD8),
        ink: Color::hex(0x111111),
        sent: Fill::Solid(Color::hex(0x8DE055)),
        sent_text: Color::BLACK,
        received: Fill::Solid(white),
        received_text: Color::hex(0x111111),
        sent_meta: Color::rgba(0, 0, 0, 0x73),
        received_meta: Color::rgba(0, 0, 0, 0x73),
        // Time, "Read" and names sit on the wallpaper, in dark translucent ink.
        meta: Color::rgba(0, 0, 0, 0x73),
        accent: Color::hex(0x06C755),
        link: Some(Color::hex(0x1F5EC9)),
        quote_sent: Color::rgba(0, 0, 0, 0x12),
        quote_received: Color::hex(0xF2F3F5),
        rule: Color::rgba(0, 0, 0, 0x1F),
        radius: 17.0,
        joined_radius: 17.0,
        pad: Pad {
            top: 8.0,
            side: 12.0,
            bottom: 8.0,
        },
        max_width: 0.66,
        tail: Tail::Horn,
        shadow: None,
        side_margin: 10.0,
        run_gap: 4.0,
        new_run_gap: 12.0,
        times: Times::Beside,
        collapse_times: false,
        receipts: Receipts::Hidden,
        default_status: DeliveryStatus::Read,
        names: Names::AboveAll,
        avatars: Avatars::First,
        avatar_size: 38.0,
        separator: Label::Chip {
            fill: Color::rgba(0, 0, 0, 0x26),
            ink: white,
            shadow: false,
        },
        system: Label::Chip {
            fill: Color::rgba(0, 0, 0, 0x26),
            ink: white,
            shadow: false,
        },
        days: DayFormat {
            today: "Today|",
            yesterday: "Yesterday|",
            this_week: "{wd}, {m}/{day}|",
            this_year: "{wd}, {m}/{day}|",
            older: "{wd}, {m}/{day}/{year}|",
        },
        separator_rule: SeparatorRule::NewDay,
        reactions: Reactions::Below {
            fill: white,
            ring: Color::hex(0x8CABD8),
            inward: true,
        },
        replies: Replies::Inside,
        photos_inside: false,
        photo_radius: 12.0,
        photo_width: 200.0,
        // Apple emoji alone stay in their bubble.
        big_emoji: 0.0,
        bubbled_emoji: 0.0,
        typing: Typing::NoRow,
        voice: Voice::Waveform,
        run_break_minutes: None,
        name_colors: &GREY_LIGHT,
        motion: Motion {
            enter_ms: 260.0,
            rise: 12.0,
            overshoot: 0.06,
            ..Motion::default()
        },
    };
    let bars = Bars {
        bar: white,
        hairline: Color::rgba(0, 0, 0, 0x1F),
        field: Color::hex(0xF2F3F5),
        placeholder: Color::hex(0xB7B7B7),
        icon: Color::hex(0x1E1E1E),
    };
    (d, bars)
}

fn dark_design() -> (Design, Bars) {
    let (light, _) = light_design();
    let meta = Color::rgba(0xFF, 0xFF, 0xFF, 0x80);
    let chip = Label::Chip {
        fill: Color::rgba(0xFF, 0xFF, 0xFF, 0x1A),
        ink: Color::WHITE,
        shadow: false,
    };
    let d = Design {
        page: Color::hex(0x111111),
        ink: Color::WHITE,
        sent: Fill::Solid(Color::hex(0x3BB85A)),
        received: Fill::Solid(Color::hex(0x2B2B2B)),
        received_text: Color::WHITE,
        // Quotes inside the green bubble keep dark ink.
        sent_meta: Color::rgba(0, 0, 0, 0x99),
        received_meta: meta,
        meta,
        link: Some(Color::hex(0x6FA3FF)),
        quote_received: Color::hex(0x3A3A3A),
        rule: Color::rgba(0xFF, 0xFF, 0xFF, 0x1F),
        separator: chip,
        system: chip,
        reactions: Reactions::Below {
            fill: Color::hex(0x3A3A3A),
            ring: Color::hex(0x111111),
            inward: true,
        },
        name_colors: &GREY_DARK,
        ..light
    };
    let bars = Bars {
        bar: Color::hex(0x111111),
        hairline: Color::rgba(0xFF, 0xFF, 0xFF, 0x1F),
        field: Color::hex(0x2A2A2A),
        placeholder: Color::hex(0x8A8A8A),
        icon: Color::hex(0xE6E6E6),
    };
    (d, bars)
}

struct Line {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 48.0;

impl Chrome<Design> for Line {
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
        // The name right after the chevron; no avatar, no presence.
        let h = headline(cx.props());
        let title = if h.group {
            format!("{} ({})", h.title, h.members.len() + 1)
        } else {
            h.title.clone()
        };
        let t = cx.line_within(
            &title,
            &TextStyle::new(d.font, 17.0, 22.0, 700, d.ink),
            w - 36.0 - 130.0,
        );
        b.push(Item::text(36.0, mid - 11.0, t));
        for (i, icon) in [Icon::Menu, Icon::Phone, Icon::Search]
            .into_iter()
            .enumerate()
        {
            let size = if icon == Icon::Phone { 22.0 } else { 24.0 };
            let right = w - 14.0 - i as f32 * 40.0;
            b.push(Item::Icon {
                icon,
                rect: Rect::new(right - size, mid - size / 2.0, size, size),
                color: bars.icon,
            });
        }
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        // Typing folds the three buttons on the left into a single chevron.
        let fx = if draft.is_some() { 42.0 } else { 118.0 };
        let field_w = w - fx - 48.0;
        let style = TextStyle::new(d.font, 16.0, 21.0, 400, d.received_text).tracking(d.tracking);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, field_w, field_w - 44.0),
            (36.0, 8.0, 8.0),
            bars.bar,
            Some(bars.hairline),
        );
        let (field, cy) = (c.field, c.cy);
        c.field_box(Some(bars.field), None, 18.0);
        c.push(Item::Icon {
            icon: Icon::SmileyOutline,
            rect: Rect::new(field.right() - 33.0, cy - 12.0, 24.0, 24.0),
            color: bars.icon,
        });
        if c.draft.is_some() {
            c.push(Item::Icon {
                icon: Icon::ChevronRight,
                rect: Rect::new(16.0, cy - 9.0, 10.0, 18.0),
                color: bars.icon,
            });
            c.draw_draft((fx + 14.0, field.y + 7.5), 18.0, d.accent);
            c.push(Item::Icon {
                icon: Icon::Send,
                rect: Rect::new(w - 37.0, cy - 12.0, 24.0, 24.0),
                color: bars.icon,
            });
        } else {
            c.icon_row(
                &[
                    (Icon::Plus, 20.0, 20.0),
                    (Icon::Camera, 25.0, 25.0),
                    (Icon::Photo, 24.0, 24.0),
                ],
                (6.0, 36.0, 36.0),
                bars.icon,
            );
            let ph = cx.line("Aa", &style.color(bars.placeholder));
            c.push(Item::text(fx + 14.0, field.y + 7.5, ph));
            c.push(Item::Icon {
                icon: Icon::Mic,
                rect: Rect::new(w - 32.0, cy - 11.0, 14.0, 22.0),
                color: bars.icon,
            });
        }
        c.finish()
    }
}
