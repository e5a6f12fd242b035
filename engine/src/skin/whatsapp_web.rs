//! WhatsApp Web and Desktop (2024 look) for `mobileView: false`: the navigation
//! rail, the chat list (title, search, filter chips, chats with the current one
//! selected), and the conversation on the doodle wallpaper with the web's header
//! and composer. Bubbles are the mobile skin's at the web's type size and widths.

use super::bubble::{BubbleChat, Design};
use super::parts;
use super::parts::chat_list::{self, RowStyle};
use super::{Chrome, Wallpaper, whatsapp};
use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::window::{Column, Window};
use crate::layout::{Block, Cx};
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;

/// Colours of everything around the bubbles (web CSS variables where known: the
/// light theme; dark values are the classic dark theme, estimated).
#[derive(Debug, Clone, Copy)]
struct Tokens {
    rail: Color,
    rail_selected: Color,
    edge: Color,
    list: Color,
    bar: Color,
    search: Color,
    selected: Color,
    divider: Color,
    icon: Color,
    input: Color,
    ink: Color,
    secondary: Color,
    unread: Color,
    chip: Color,
    chip_ink: Color,
    chip_on: Color,
    chip_on_ink: Color,
    placeholder_avatar: Color,
    placeholder_person: Color,
    read: Color,
    doodle: Color,
}

const LIGHT: Tokens = Tokens {
    rail: Color::hex(0xF0F2F5),
    rail_selected: Color::hex(0xD9DBDF),
    edge: Color::hex(0xD1D7DB),
    list: Color::hex(0xFFFFFF),
    bar: Color::hex(0xF0F2F5),
    search: Color::hex(0xF0F2F5),
    selected: Color::hex(0xF0F2F5),
    divider: Color::hex(0xE9EDEF),
    icon: Color::hex(0x54656F),
    input: Color::hex(0xFFFFFF),
    ink: Color::hex(0x111B21),
    secondary: Color::hex(0x667781),
    unread: Color::hex(0x25D366),
    chip: Color::hex(0xF0F2F5),
    chip_ink: Color::hex(0x54656F),
    chip_on: Color::hex(0xE7FCE3),
    chip_on_ink: Color::hex(0x008069),
    placeholder_avatar: Color::hex(0xDFE5E7),
    placeholder_person: Color::hex(0xFFFFFF),
    read: Color::hex(0x53BDEB),
    doodle: Color::rgba(0x6B, 0x5A, 0x45, 0x18),
};

const DARK: Tokens = Tokens {
    rail: Color::hex(0x202C33),
    rail_selected: Color::hex(0x374248),
    edge: Color::hex(0x2F3B43),
    list: Color::hex(0x111B21),
    bar: Color::hex(0x202C33),
    search: Color::hex(0x202C33),
    selected: Color::hex(0x2A3942),
    divider: Color::hex(0x222D34),
    icon: Color::hex(0xAEBAC1),
    input: Color::hex(0x2A3942),
    ink: Color::hex(0xE9EDEF),
    secondary: Color::hex(0x8696A0),
    unread: Color::hex(0x00A884),
    chip: Color::hex(0x202C33),
    chip_ink: Color::hex(0x8696A0),
    chip_on: Color::hex(0x0A332C),
    chip_on_ink: Color::hex(0x25D366),
    placeholder_avatar: Color::hex(0x6A7175),
    placeholder_person: Color::hex(0xCFD4D6),
    read: Color::hex(0x53BDEB),
    doodle: Color::rgba(0xFF, 0xFF, 0xFF, 0x0D),
};

/// Column widths at 1280 points: the rail and the chat list.
const RAIL: f32 = 64.0;
const LIST: f32 = 400.0;
const HEADER: f32 = 60.0;

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let mobile = whatsapp::design(dark);
    let design = Design {
        font: Family::Inter,
        text_size: 14.2,
        line_height: 19.0,
        meta_size: 11.0,
        max_width: 0.65,
        // The web pads the messages column by about 8 % each side.
        side_margin: 63.0,
        photo_width: 330.0,
        big_emoji: 40.0,
        ..mobile
    };
    BubbleChat {
        design,
        chrome: Box::new(Web {
            t: if dark { DARK } else { LIGHT },
        }),
    }
}

struct Web {
    t: Tokens,
}

impl Chrome<Design> for Web {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block {
        let t = &self.t;
        let w = cx.width;
        let mut b = Block::new(top + HEADER);
        b.push(Item::rect(Rect::new(0.0, 0.0, w, b.height), t.bar));
        let mid = top + HEADER / 2.0;
        let h = parts::headline(cx.props());
        let subtitle = whatsapp::subtitle(&h);
        parts::left_title(
            cx,
            &mut b,
            &h,
            (16.0, mid),
            (
                40.0,
                parts::NoPhoto::Silhouette {
                    fill: t.placeholder_avatar,
                    ink: t.placeholder_person,
                },
            ),
            (
                &TextStyle::new(d.font, 16.0, 21.0, 400, t.ink),
                &subtitle,
                &TextStyle::new(d.font, 13.0, 17.0, 400, t.secondary),
            ),
            w - 16.0 - 50.0 - 170.0,
        );
        parts::icons_at(
            &mut b,
            &[
                (Icon::Video, w - 148.0, (24.0, 16.0)),
                (Icon::Search, w - 92.0, (20.0, 20.0)),
                (Icon::MoreVertical, w - 36.0, (5.0, 20.0)),
            ],
            mid,
            t.icon,
        );
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let t = &self.t;
        let w = cx.width;
        let fx = 104.0;
        let fw = w - fx - 64.0;
        let style = TextStyle::new(d.font, 15.0, 20.0, 400, t.ink);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, fw, fw - 24.0),
            (42.0, 10.0, 10.0),
            t.bar,
            None,
        );
        let (field, cy) = (c.field, c.cy);
        c.push(Item::Icon {
            icon: Icon::Plus,
            rect: Rect::new(26.0, cy - 10.0, 20.0, 20.0),
            color: t.icon,
        });
        c.push(Item::Icon {
            icon: Icon::SmileyOutline,
            rect: Rect::new(62.0, cy - 11.5, 23.0, 23.0),
            color: t.icon,
        });
        c.field_box(Some(t.input), None, 8.0);
        if c.draft.is_some() {
            c.draw_draft((fx + 12.0, field.y + 11.0), 8.0, t.unread);
            c.push(Item::Icon {
                icon: Icon::Send,
                rect: Rect::new(w - 44.0, cy - 11.0, 22.0, 22.0),
                color: t.icon,
            });
        } else {
            let hint = cx.line(
                "Type a message",
                &TextStyle::new(d.font, 15.0, 20.0, 400, t.secondary),
            );
            c.push(Item::text(fx + 12.0, cy - hint.height / 2.0, hint));
            c.push(Item::Icon {
                icon: Icon::Mic,
                rect: Rect::new(w - 39.0, cy - 12.0, 15.0, 24.0),
                color: t.icon,
            });
        }
        c.finish()
    }

    fn wallpaper(&self, cx: &mut Cx<'_>, _d: &Design) -> Option<Wallpaper> {
        parts::doodle_wallpaper(cx, self.t.doodle, None)
    }

    fn window(&self, cx: &mut Cx<'_>, d: &Design) -> Option<Window> {
        Some(Window {
            top: None,
            left: vec![self.rail(cx), self.chat_list(cx, d)],
            right: Vec::new(),
            card: None,
        })
    }
}

impl Web {
    /// The navigation rail: chats (selected), status, channels, communities; at the
    /// bottom, settings and the user's own avatar.
    fn rail(&self, cx: &mut Cx<'_>) -> Column {
        let t = &self.t;
        let mut top = Block::new(220.0);
        let x = RAIL / 2.0;
        for (i, icon) in [Icon::Chats, Icon::Status, Icon::Channels, Icon::Communities]
            .into_iter()
            .enumerate()
        {
            let y = 34.0 + i as f32 * 48.0;
            if i == 0 {
                top.push(Item::fill(
                    Shape::Circle {
                        cx: x,
                        cy: y,
                        r: 20.0,
                    },
                    t.rail_selected,
                ));
            }
            top.push(Item::Icon {
                icon,
                rect: Rect::new(x - 12.0, y - 12.0, 24.0, 24.0),
                color: t.icon,
            });
        }
        let mut bottom = Block::new(110.0);
        bottom.push(Item::Icon {
            icon: Icon::Gear,
            rect: Rect::new(x - 12.0, 28.0 - 12.0, 24.0, 24.0),
            color: t.icon,
        });
        let me = cx.props().sender.clone();
        bottom.items.extend(parts::avatar(cx, &me, x, 76.0, 32.0));
        Column {
            width: RAIL,
            fill: t.rail,
            top,
            bottom: Some(bottom),
            edge: Some(t.edge),
        }
    }

    /// The chat list: title, search, filter chips, then the chats — the current
    /// conversation selected at the top, and others that name no one.
    fn chat_list(&self, cx: &mut Cx<'_>, d: &Design) -> Column {
        let t = &self.t;
        let w = LIST;
        let font = d.font;
        let mut b = Block::new(cx.height);

        let title = cx.line("Chats", &TextStyle::new(font, 22.0, 28.0, 700, t.ink));
        b.push(Item::text(16.0, 32.0 - title.height / 2.0, title));
        b.push(Item::Icon {
            icon: Icon::NewChat,
            rect: Rect::new(w - 92.0, 20.0, 24.0, 24.0),
            color: t.icon,
        });
        b.push(Item::Icon {
            icon: Icon::MoreVertical,
            rect: Rect::new(w - 38.0, 22.0, 5.0, 20.0),
            color: t.icon,
        });

        let search = Rect::new(12.0, 64.0, w - 24.0, 36.0);
        b.push(Item::fill(Shape::RoundRect(search, 8.0), t.search));
        b.push(Item::Icon {
            icon: Icon::Search,
            rect: Rect::new(search.x + 14.0, search.center_y() - 8.0, 16.0, 16.0),
            color: t.secondary,
        });
        let hint = cx.line(
            "Search",
            &TextStyle::new(font, 15.0, 20.0, 400, t.secondary),
        );
        b.push(Item::text(
            search.x + 46.0,
            search.center_y() - hint.height / 2.0,
            hint,
        ));

        let mut x = 12.0;
        for (i, label) in ["All", "Unread", "Favourites", "Groups"]
            .into_iter()
            .enumerate()
        {
            let (fill, ink) = if i == 0 {
                (t.chip_on, t.chip_on_ink)
            } else {
                (t.chip, t.chip_ink)
            };
            let text = cx.line(label, &TextStyle::new(font, 14.0, 18.0, 500, ink));
            let chip = Rect::new(x, 112.0, text.width + 24.0, 32.0);
            b.push(Item::fill(Shape::RoundRect(chip, 16.0), fill));
            b.push(Item::text(
                x + 12.0,
                chip.center_y() - text.height / 2.0,
                text,
            ));
            x = chip.right() + 8.0;
        }

        let style = RowStyle {
            font,
            width: LIST,
            height: 72.0,
            avatar: 49.0,
            avatar_x: 13.0,
            text_x: 77.0,
            right_pad: 15.0,
            name: (17.0, 22.0, 400),
            name_top: 13.0,
            preview: (14.0, 20.0),
            preview_top: 39.0,
            time_size: 12.0,
            ink: t.ink,
            secondary: t.secondary,
            unread_time: t.unread,
            badge: t.unread,
            badge_ink: t.list,
            selected: (t.selected, 0.0, 0.0, None),
            divider: Some(t.divider),
            ticks: Some((t.read, t.secondary)),
            placeholder: (t.placeholder_avatar, t.placeholder_person),
            no_photo: parts::NoPhoto::Silhouette {
                fill: t.placeholder_avatar,
                ink: t.placeholder_person,
            },
            day: chat_list::day_us,
            inline: false,
        };
        let current = chat_list::current(cx, false);
        let bottom = b.height;
        chat_list::rows(cx, &mut b, 154.0, bottom, &current, &style);
        Column {
            width: LIST,
            fill: t.list,
            top: b,
            bottom: None,
            edge: Some(t.edge),
        }
    }
}
