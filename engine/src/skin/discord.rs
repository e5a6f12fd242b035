//! Discord (iOS), light and dark: a message list on the classic palette (`#313338`
//! dark, blurple `#5865F2`), the channel or DM header, and the composer with its
//! round buttons and "Message @name" pill.

use super::Chrome;
use super::parts;
use super::rows::{Chips, RowChat, RowDesign, RowNotices, RowReplies};
use crate::conversation::SeparatorRule;
use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::payload::DeliveryStatus;
use crate::scene::{Color, Item, Rect, Shape};
use crate::skin::Motion;
use crate::text::TextStyle;
use crate::time::DayFormat;

/// Role colours (Discord's presets), for names in a server channel.
const ROLES: [Color; 10] = [
    Color::hex(0x1ABC9C),
    Color::hex(0x2ECC71),
    Color::hex(0x3498DB),
    Color::hex(0x9B59B6),
    Color::hex(0xE91E63),
    Color::hex(0xF1C40F),
    Color::hex(0xE67E22),
    Color::hex(0xE74C3C),
    Color::hex(0x95A5A6),
    Color::hex(0x607D8B),
];

/// Default avatars' colours, for users without a picture.
const AVATARS: [Color; 5] = [
    Color::hex(0x5865F2),
    Color::hex(0x757E8A),
    Color::hex(0x3BA55C),
    Color::hex(0xFAA61A),
    Color::hex(0xED4245),
];

pub(crate) const BLURPLE: Color = Color::hex(0x5865F2);
pub(crate) const ONLINE: Color = Color::hex(0x23A55A);

/// Colours of the bars, which the row design does not cover.
#[derive(Debug, Clone, Copy)]
struct Bars {
    /// The pill and the round buttons of the composer.
    field: Color,
    /// Icons in the header and the composer.
    icon: Color,
    /// The "#" before a channel's name.
    hash: Color,
}

pub(crate) fn skin(dark: bool) -> RowChat {
    let (design, bars) = if dark { dark_design() } else { light_design() };
    RowChat {
        design,
        chrome: Box::new(Discord { bars }),
    }
}

/// The mobile design (the desktop app shares its palette and metrics).
pub(crate) fn design(dark: bool) -> RowDesign {
    if dark {
        dark_design().0
    } else {
        light_design().0
    }
}

fn light_design() -> (RowDesign, Bars) {
    let design = RowDesign {
        font: Family::NotoSans,
        text_size: 16.0,
        line_height: 22.0,
        name_size: 16.0,
        name_weight: 600,
        time_size: 12.0,
        page: Color::WHITE,
        ink: Color::BLACK,
        text: Color::hex(0x313338),
        name: Color::hex(0x060607),
        muted: Color::hex(0x5C5E66),
        link: Color::hex(0x006CE7),
        divider: Color::hex(0xE1E2E4),
        accent: BLURPLE,
        surface: Color::hex(0xF2F3F5),
        spine: Color::hex(0xC4C9CE),
        mention_fill: Color::rgba(0x58, 0x65, 0xF2, 0x26),
        mention_ink: Color::hex(0x505CDC),
        mention_me: None,
        mentioned_row: Some((Color::rgba(0xF0, 0xB2, 0x32, 0x1A), Color::hex(0xF0B232))),
        avatar_size: 40.0,
        avatar_x: 16.0,
        column: 72.0,
        right_pad: 16.0,
        run_gap: 16.0,
        line_gap: 4.0,
        jumbo: 40.0,
        chips: Chips {
            fill: Color::hex(0xF2F3F5),
            ring: Color::hex(0xF2F3F5),
            ink: Color::hex(0x4E5058),
            mine_fill: Color::hex(0xE7E9FD),
            mine_ring: BLURPLE,
            mine_ink: BLURPLE,
            height: 28.0,
            radius: 8.0,
        },
        days: DayFormat {
            today: "{month} {day}, {year}",
            yesterday: "{month} {day}, {year}",
            this_week: "{month} {day}, {year}",
            this_year: "{month} {day}, {year}",
            older: "{month} {day}, {year}",
        },
        // The iOS app writes only the time for today's messages.
        stamps: DayFormat {
            today: "{time}",
            yesterday: "Yesterday at {time}",
            this_week: "{m}/{day}/{year} {time}",
            this_year: "{m}/{day}/{year} {time}",
            older: "{m}/{day}/{year} {time}",
        },
        separator_rule: SeparatorRule::NewDay,
        run_break_minutes: Some(7),
        default_status: DeliveryStatus::Read,
        name_colors: &ROLES,
        avatar_colors: &AVATARS,
        avatar_face: None,
        replies: RowReplies::Spine,
        avatar_corner: None,
        threads: false,
        typing_strip: None,
        notices: RowNotices::Arrow,
        motion: Motion {
            enter_ms: 220.0,
            rise: 8.0,
            overshoot: 0.0,
            ..Motion::default()
        },
    };
    let bars = Bars {
        field: Color::hex(0xEBEDEF),
        icon: Color::hex(0x4E5058),
        hash: Color::hex(0x80848E),
    };
    (design, bars)
}

fn dark_design() -> (RowDesign, Bars) {
    let (light, _) = light_design();
    let design = RowDesign {
        page: Color::hex(0x313338),
        ink: Color::WHITE,
        text: Color::hex(0xDBDEE1),
        name: Color::hex(0xF2F3F5),
        muted: Color::hex(0x949BA4),
        link: Color::hex(0x00A8FC),
        divider: Color::hex(0x3F4147),
        surface: Color::hex(0x2B2D31),
        spine: Color::hex(0x4E5058),
        mention_fill: Color::rgba(0x58, 0x65, 0xF2, 0x4D),
        mention_ink: Color::hex(0xC9CDFB),
        mention_me: None,
        mentioned_row: Some((Color::rgba(0xF0, 0xB2, 0x32, 0x14), Color::hex(0xF0B232))),
        chips: Chips {
            fill: Color::hex(0x2B2D31),
            ring: Color::hex(0x2B2D31),
            ink: Color::hex(0xB5BAC1),
            mine_fill: Color::hex(0x373A5B),
            mine_ring: BLURPLE,
            mine_ink: Color::hex(0xDEE0FC),
            height: 28.0,
            radius: 8.0,
        },
        ..light
    };
    let bars = Bars {
        field: Color::hex(0x383A40),
        icon: Color::hex(0xB5BAC1),
        hash: Color::hex(0x80848E),
    };
    (design, bars)
}

struct Discord {
    bars: Bars,
}

const HEADER_HEIGHT: f32 = 44.0;

/// A server channel's name as Discord writes it: lower case, dashes for spaces.
pub(crate) fn channel(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        "general".to_owned()
    } else {
        slug
    }
}

impl Chrome<RowDesign> for Discord {
    fn header(&self, cx: &mut Cx<'_>, d: &RowDesign, top: f32) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        b.push(Item::rect(Rect::new(0.0, 0.0, w, b.height), d.page));
        b.push(Item::rect(
            Rect::new(0.0, b.height - 1.0, w, 1.0),
            d.divider,
        ));
        let mid = top + HEADER_HEIGHT / 2.0;
        b.push(Item::Icon {
            icon: Icon::ArrowLeft,
            rect: Rect::new(12.0, mid - 12.0, 24.0, 24.0),
            color: d.ink.fade(0.85),
        });
        let title_style = TextStyle::new(d.font, 18.0, 24.0, 600, d.name);
        let props = cx.props();
        let right_icons: &[Icon] =
            if let (true, Some(g)) = (props.is_group(), &props.group_chat_settings) {
                let name = channel(&g.name);
                let online = props.receivers.len() + 1;
                let hash = cx.line("#", &TextStyle::new(d.font, 24.0, 28.0, 500, bars.hash));
                let hw = hash.width;
                let title = cx.line_within(&name, &title_style, w - 44.0 - hw - 130.0);
                let sub = cx.line(
                    &format!("{online} online"),
                    &TextStyle::new(d.font, 13.0, 16.0, 400, d.muted),
                );
                let block_h = title.height + sub.height;
                let ty = mid - block_h / 2.0;
                b.push(Item::text(44.0, mid - hash.height / 2.0 - 1.0, hash));
                let tx = 44.0 + hw + 4.0;
                let tw = title.width;
                b.push(Item::text(tx, ty, title));
                b.push(Item::fill(
                    Shape::Circle {
                        cx: tx + 4.0,
                        cy: ty + 24.0 + sub.height / 2.0,
                        r: 3.5,
                    },
                    ONLINE,
                ));
                b.push(Item::text(tx + 11.0, ty + 24.0, sub));
                chevron(&mut b, tx + tw, ty + 12.0, d.muted);
                &[Icon::Search, Icon::Threads]
            } else {
                let user = props.receivers[0].clone();
                let size = 32.0;
                let (ax, ay) = (44.0 + size / 2.0, mid);
                b.items.extend(parts::avatar(cx, &user, ax, ay, size));
                // The status dot, cut out of the avatar by a ring of the bar's colour.
                let (dx, dy) = (ax + 11.5, ay + 11.5);
                parts::presence_dot(&mut b, (dx, dy), (4.5, 2.0), (d.page, ONLINE));
                let tx = 44.0 + size + 12.0;
                let title = cx.line_within(&user.name, &title_style, w - tx - 150.0);
                let tw = title.width;
                b.push(Item::text(tx, mid - title.height / 2.0, title));
                chevron(&mut b, tx + tw, mid, d.muted);
                &[Icon::Search, Icon::Video, Icon::Phone]
            };
        for (i, &icon) in right_icons.iter().enumerate() {
            let cx0 = w - 16.0 - 16.0 - i as f32 * 44.0;
            let (iw, ih) = if icon == Icon::Video {
                (24.0, 16.0)
            } else {
                (20.0, 20.0)
            };
            b.push(Item::Icon {
                icon,
                rect: Rect::new(cx0 - iw / 2.0, mid - ih / 2.0, iw, ih),
                color: d.ink.fade(0.85),
            });
        }
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &RowDesign, draft: Option<&str>) -> Block {
        let bars = &self.bars;
        let w = cx.width;
        let typing = draft.is_some();
        // While typing, the three round buttons fold into one chevron.
        let fx = if typing { 60.0 } else { 152.0 };
        let field_w = w - 56.0 - fx;
        let style = TextStyle::new(d.font, d.text_size, 22.0, 400, d.text);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, field_w, field_w - 56.0),
            (40.0, 8.0, 8.0),
            d.page,
            Some(d.divider),
        );
        let (field, cy) = (c.field, c.cy);
        let button = |c: &mut parts::Composer, x: f32, fill: Color| {
            c.push(Item::fill(
                Shape::Circle {
                    cx: x + 20.0,
                    cy,
                    r: 20.0,
                },
                fill,
            ));
        };
        if typing {
            button(&mut c, 12.0, bars.field);
            c.push(Item::Icon {
                icon: Icon::ChevronRight,
                rect: Rect::new(28.0, cy - 8.0, 9.0, 16.0),
                color: bars.icon,
            });
        } else {
            for x in [12.0, 60.0, 108.0] {
                button(&mut c, x, bars.field);
            }
            c.icon_row(
                &[
                    (Icon::Plus, 20.0, 20.0),
                    (Icon::Apps, 22.0, 22.0),
                    (Icon::Gift, 22.0, 22.0),
                ],
                (12.0, 48.0, 40.0),
                bars.icon,
            );
        }
        c.field_box(Some(bars.field), None, 20.0);
        c.push(Item::Icon {
            icon: Icon::Smiley,
            rect: Rect::new(field.right() - 34.0, cy - 11.0, 22.0, 22.0),
            color: bars.icon,
        });
        if c.draft.is_some() {
            c.draw_draft((fx + 16.0, field.y + 9.0), 20.0, d.accent);
            button(&mut c, w - 52.0, d.accent);
            c.push(Item::Icon {
                icon: Icon::Send,
                rect: Rect::new(w - 42.0, cy - 10.0, 20.0, 20.0),
                color: Color::WHITE,
            });
        } else {
            let props = cx.props();
            let placeholder = match (&props.group_chat_settings, props.is_group()) {
                (Some(g), true) => format!("Message #{}", channel(&g.name)),
                _ => format!("Message @{}", props.receivers[0].name),
            };
            let ph = cx.line_within(&placeholder, &style.color(d.muted), field.w - 56.0);
            c.push(Item::text(fx + 16.0, field.y + 9.0, ph));
            button(&mut c, w - 52.0, bars.field);
            c.push(Item::Icon {
                icon: Icon::Mic,
                rect: Rect::new(w - 39.0, cy - 11.0, 14.0, 22.0),
                color: bars.icon,
            });
        }
        c.finish()
    }
}

/// The small ">" after a header's title: tap for the profile or channel details.
fn chevron(b: &mut Block, after: f32, mid: f32, color: Color) {
    b.push(Item::Icon {
        icon: Icon::ChevronRight,
        rect: Rect::new(after + 5.0, mid - 5.0, 6.0, 10.0),
        color,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_names() {
        assert_eq!(channel("Weekend Trip"), "weekend-trip");
        assert_eq!(channel("  Design & Dev!! "), "design-dev");
        assert_eq!(channel("🎉"), "general");
    }
}
