//! WeChat (iOS), light and dark: a rounded-square avatar and a pointed bubble for
//! every message on both sides, no runs, no receipts, no reactions, plain time rows
//! after five quiet minutes, quotes in a grey box under the reply, voice messages
//! as long as they last, and a composer with no placeholder. Colours are WeUI's
//! tokens (Tencent/weui `light.less` / `dark.less`); CJK text falls to Noto Sans CJK.

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
use crate::payload::{DeliveryStatus, MessageType, RenderKind};
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;
use crate::time::DayFormat;

/// WeChat does not colour names: nicknames are grey.
const GREY_LIGHT: [Color; 1] = [Color::rgba(0, 0, 0, 0x80)];
const GREY_DARK: [Color; 1] = [Color::rgba(0xFF, 0xFF, 0xFF, 0x80)];

/// WeChat's brand green (the Send button).
const BRAND: Color = Color::hex(0x07C160);

#[derive(Debug, Clone, Copy)]
struct Bars {
    /// The composer's bar (BG-1).
    bar: Color,
    hairline: Color,
    field: Color,
    icon: Color,
}

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let (d, bars) = if dark { dark_design() } else { light_design() };
    BubbleChat {
        design: d,
        chrome: Box::new(WeChat { bars }),
    }
}

fn light_design() -> (Design, Bars) {
    let text = Color::rgba(0, 0, 0, 0xE6);
    let d = Design {
        font: Family::Inter,
        text_size: 17.0,
        line_height: 24.0,
        tracking: -0.01,
        meta_size: 13.0,
        page: Color::hex(0xEDEDED),
        ink: text,
        sent: Fill::Solid(Color::hex(0x95EC69)),
        sent_text: text,
        received: Fill::Solid(Color::WHITE),
        received_text: text,
        sent_meta: Color::rgba(0, 0, 0, 0x80),
        received_meta: Color::rgba(0, 0, 0, 0x80),
        meta: Color::rgba(0, 0, 0, 0x66),
        accent: BRAND,
        link: Some(Color::hex(0x576B95)),
        quote_sent: Color::rgba(0, 0, 0, 0x0D),
        quote_received: Color::rgba(0, 0, 0, 0x0D),
        rule: Color::hex(0xD9D9D9),
        radius: 4.0,
        joined_radius: 4.0,
        pad: Pad {
            top: 8.0,
            side: 12.0,
            bottom: 8.0,
        },
        max_width: 0.605,
        tail: Tail::Pointer,
        shadow: None,
        side_margin: 12.0,
        run_gap: 16.0,
        new_run_gap: 16.0,
        times: Times::Hidden,
        collapse_times: false,
        receipts: Receipts::Hidden,
        default_status: DeliveryStatus::Read,
        names: Names::Above,
        avatars: Avatars::Every { corner: 4.0 },
        avatar_size: 40.0,
        separator: Label::Text,
        system: Label::Text,
        days: DayFormat {
            today: "{time}",
            yesterday: "Yesterday {time}",
            this_week: "{weekday} {time}",
            this_year: "{mon} {day} {time}",
            older: "{mon} {day}, {year} {time}",
        },
        separator_rule: SeparatorRule::NewDayOrGap { minutes: 5 },
        reactions: Reactions::Hidden,
        replies: Replies::Below,
        photos_inside: false,
        photo_radius: 4.0,
        photo_width: 150.0,
        // Emoji stay in the bubble at text size.
        big_emoji: 0.0,
        bubbled_emoji: 0.0,
        typing: Typing::NoRow,
        voice: Voice::Seconds,
        // Every message stands alone, with its own avatar and pointer.
        run_break_minutes: Some(0),
        name_colors: &GREY_LIGHT,
        motion: Motion {
            enter_ms: 260.0,
            rise: 10.0,
            overshoot: 0.05,
            ..Motion::default()
        },
    };
    let bars = Bars {
        bar: Color::hex(0xF7F7F7),
        hairline: Color::rgba(0, 0, 0, 0x1A),
        field: Color::WHITE,
        icon: Color::hex(0x181818),
    };
    (d, bars)
}

fn dark_design() -> (Design, Bars) {
    let (light, _) = light_design();
    let text = Color::rgba(0xFF, 0xFF, 0xFF, 0xCC);
    let d = Design {
        page: Color::hex(0x111111),
        ink: text,
        sent: Fill::Solid(Color::hex(0x3EB575)),
        sent_text: Color::rgba(0, 0, 0, 0xE6),
        received: Fill::Solid(Color::hex(0x2C2C2C)),
        received_text: text,
        sent_meta: Color::rgba(0xFF, 0xFF, 0xFF, 0x80),
        received_meta: Color::rgba(0xFF, 0xFF, 0xFF, 0x80),
        meta: Color::rgba(0xFF, 0xFF, 0xFF, 0x59),
        link: Some(Color::hex(0x7D90A9)),
        quote_sent: Color::rgba(0xFF, 0xFF, 0xFF, 0x14),
        quote_received: Color::rgba(0xFF, 0xFF, 0xFF, 0x14),
        rule: Color::hex(0x2C2C2C),
        name_colors: &GREY_DARK,
        ..light
    };
    let bars = Bars {
        bar: Color::hex(0x1E1E1E),
        hairline: Color::rgba(0xFF, 0xFF, 0xFF, 0x14),
        field: Color::hex(0x2C2C2C),
        icon: Color::hex(0xD0D0D0),
    };
    (d, bars)
}

struct WeChat {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 44.0;

impl Chrome<Design> for WeChat {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block {
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        // The bar is the page's own colour, with no line under it.
        let all = Rect::new(0.0, 0.0, w, b.height);
        parts::bar(&mut b, all, d.page, None);
        let mid = top + HEADER_HEIGHT / 2.0;
        b.push(Item::Icon {
            icon: Icon::BackChevron,
            rect: Rect::new(14.0, mid - 10.0, 11.5, 20.0),
            color: d.ink,
        });
        let h = headline(cx.props());
        let props = cx.props();
        // In a still that ends with the other side typing, the title says so (a
        // video keeps the name: its header is laid out once).
        let typing = !h.group
            && cx.payload.export().render_kind == RenderKind::Image
            && props
                .messages
                .last()
                .is_some_and(|m| m.kind == MessageType::Typing && m.user_id != props.sender.id);
        let title = if typing {
            "Typing...".to_owned()
        } else if h.group {
            format!("{}({})", h.title, h.members.len() + 1)
        } else {
            h.title.clone()
        };
        let t = cx.line_within(
            &title,
            &TextStyle::new(d.font, 17.0, 22.0, 600, d.ink),
            w - 140.0,
        );
        b.push(Item::text((w - t.width) / 2.0, mid - 11.0, t));
        b.push(Item::Icon {
            icon: Icon::More,
            rect: Rect::new(w - 16.0 - 22.0, mid - 2.75, 22.0, 5.5),
            color: d.ink,
        });
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let fx = 48.0;
        let right = if draft.is_some() { 118.0 } else { 88.0 };
        let field_w = w - fx - right;
        let style = TextStyle::new(d.font, d.text_size, d.line_height, 400, d.received_text)
            .tracking(d.tracking);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, field_w, field_w - 20.0),
            (40.0, 8.0, 8.0),
            bars.bar,
            Some(bars.hairline),
        );
        let (field, cy) = (c.field, c.cy);
        c.push(Item::Icon {
            icon: Icon::VoiceOutline,
            rect: Rect::new(10.0, cy - 14.0, 28.0, 28.0),
            color: bars.icon,
        });
        // No placeholder: the empty field is blank.
        c.field_box(Some(bars.field), None, 4.0);
        c.push(Item::Icon {
            icon: Icon::SmileyOutline,
            rect: Rect::new(field.right() + 10.0, cy - 14.0, 28.0, 28.0),
            color: bars.icon,
        });
        if c.draft.is_some() {
            c.draw_draft((fx + 10.0, field.y + 8.0), 4.0, BRAND);
            let button = Rect::new(w - 10.0 - 56.0, cy - 16.0, 56.0, 32.0);
            c.push(Item::fill(Shape::RoundRect(button, 4.0), BRAND));
            let send = cx.line(
                "Send",
                &TextStyle::new(d.font, 15.0, 18.0, 500, Color::WHITE),
            );
            c.push(Item::text(
                button.center_x() - send.width / 2.0,
                cy - 9.0,
                send,
            ));
        } else {
            c.push(Item::Icon {
                icon: Icon::PlusOutline,
                rect: Rect::new(w - 10.0 - 28.0, cy - 14.0, 28.0, 28.0),
                color: bars.icon,
            });
        }
        c.finish()
    }
}
