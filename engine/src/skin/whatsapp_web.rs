//! WhatsApp Web and Desktop (2024 look) for `mobileView: false`: the navigation
//! rail, the chat list (title, search, filter chips, chats with the current one
//! selected), and the conversation on the doodle wallpaper with the web's header
//! and composer. Bubbles are the mobile skin's at the web's type size and widths.

use super::bubble::{BubbleChat, Design};
use super::parts;
use super::{Chrome, Wallpaper, whatsapp};
use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::window::{Column, Window};
use crate::layout::{Block, Cx};
use crate::payload::{DeliveryStatus, MessageType};
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;
use crate::time::{self, RelativeDay};

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
        let subtitle = if h.group {
            let mut names: Vec<String> = h
                .members
                .iter()
                .map(|u| u.name.split_whitespace().next().unwrap_or("").to_owned())
                .collect();
            names.push("You".to_owned());
            names.join(", ")
        } else {
            "online".to_owned()
        };
        parts::left_title(
            cx,
            &mut b,
            &h,
            (16.0, mid),
            40.0,
            (
                &TextStyle::new(d.font, 16.0, 21.0, 400, t.ink),
                &subtitle,
                &TextStyle::new(d.font, 13.0, 17.0, 400, t.secondary),
            ),
            w - 16.0 - 50.0 - 170.0,
        );
        for (icon, x, size) in [
            (Icon::Video, w - 148.0, (24.0, 16.0)),
            (Icon::Search, w - 92.0, (20.0, 20.0)),
            (Icon::MoreVertical, w - 36.0, (5.0, 20.0)),
        ] {
            b.push(Item::Icon {
                icon,
                rect: Rect::new(x - size.0 / 2.0, mid - size.1 / 2.0, size.0, size.1),
                color: t.icon,
            });
        }
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

        let mut y = 154.0;
        let current = self.current_chat(cx);
        y = self.chat_row(cx, &mut b, y, &current, font, true);
        let today = cx.today(
            cx.payload
                .times
                .messages
                .last()
                .expect("a payload has messages"),
        );
        for chat in &PLACEHOLDERS {
            if y > b.height {
                break;
            }
            let day = today - chrono::Days::new(u64::from(chat.days_ago));
            let when = match RelativeDay::of(day, today) {
                RelativeDay::Yesterday => "Yesterday".to_owned(),
                RelativeDay::ThisWeek(wd) => time::weekday_name(wd).to_owned(),
                _ => {
                    use chrono::Datelike;
                    format!("{}/{}/{}", day.month(), day.day(), day.year())
                }
            };
            let row = Chat {
                avatar: None,
                title: chat.name.to_owned(),
                preview: chat.preview.to_owned(),
                ticks: chat.mine.then_some(false),
                time: when,
                unread: chat.unread,
            };
            y = self.chat_row(cx, &mut b, y, &row, font, false);
        }
        Column {
            width: LIST,
            fill: t.list,
            top: b,
            bottom: None,
            edge: Some(t.edge),
        }
    }

    /// The current conversation as the list shows it: its name and avatar, and its
    /// last message with the time it was sent.
    fn current_chat(&self, cx: &mut Cx<'_>) -> Chat {
        let props = cx.props();
        let h = parts::headline(props);
        let (i, last) = props
            .messages
            .iter()
            .enumerate()
            .rev()
            .find(|(_, m)| m.kind != MessageType::Typing)
            .unwrap_or((
                props.messages.len() - 1,
                &props.messages[props.messages.len() - 1],
            ));
        let mine = last.user_id == props.sender.id;
        let text = match last.kind {
            MessageType::Image => match last.text.as_deref() {
                Some(caption) if !caption.is_empty() => format!("📷 {caption}"),
                _ => "📷 Photo".to_owned(),
            },
            MessageType::Voice => "🎤 Voice message".to_owned(),
            _ => last.text.clone().unwrap_or_default(),
        };
        let text = text.lines().next().unwrap_or("").to_owned();
        let preview = match props.user(&last.user_id) {
            Some(u) if h.group && !mine => {
                format!("{}: {text}", u.name.split_whitespace().next().unwrap_or(""))
            }
            _ => text,
        };
        let read = last.status.unwrap_or(DeliveryStatus::Read) == DeliveryStatus::Read;
        let time = time::clock(&cx.payload.times.messages[i], props.time_notation);
        Chat {
            avatar: Some(h),
            title: String::new(),
            preview,
            ticks: mine.then_some(read),
            time,
            unread: 0,
        }
    }

    /// One chat of the list from `y`: avatar, name and time, preview (with ticks
    /// on one's own last message) and unread count; returns the next row's top.
    fn chat_row(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        y: f32,
        chat: &Chat,
        font: Family,
        selected: bool,
    ) -> f32 {
        let t = &self.t;
        let (w, h) = (LIST, 72.0);
        if selected {
            b.push(Item::rect(Rect::new(0.0, y, w, h), t.selected));
        }
        let (ax, ay) = (13.0 + 24.5, y + h / 2.0);
        let title = match &chat.avatar {
            Some(headline) => {
                b.items
                    .extend(parts::headline_avatar(cx, headline, (ax, ay), 49.0, t.list));
                headline.title.clone()
            }
            None => {
                b.push(Item::fill(
                    Shape::Circle {
                        cx: ax,
                        cy: ay,
                        r: 24.5,
                    },
                    t.placeholder_avatar,
                ));
                b.push(Item::Icon {
                    icon: Icon::Communities,
                    rect: Rect::new(ax - 14.0, ay - 14.0, 28.0, 28.0),
                    color: t.placeholder_person,
                });
                chat.title.clone()
            }
        };
        let tx = 77.0;
        let unread = chat.unread > 0;
        let time_style = TextStyle::new(
            font,
            12.0,
            16.0,
            if unread { 500 } else { 400 },
            if unread { t.unread } else { t.secondary },
        );
        let when = cx.line(&chat.time, &time_style);
        let time_x = w - 15.0 - when.width;
        let name = cx.line_within(
            &title,
            &TextStyle::new(font, 17.0, 22.0, 400, t.ink),
            time_x - tx - 8.0,
        );
        b.push(Item::text(tx, y + 13.0, name));
        b.push(Item::text(time_x, y + 17.0, when));

        let mut px = tx;
        if let Some(read) = chat.ticks {
            b.push(Item::Icon {
                icon: Icon::CheckDouble,
                rect: Rect::new(px, y + 44.0, 18.0, 11.0),
                color: if read { t.read } else { t.secondary },
            });
            px += 21.0;
        }
        let room = w - 15.0 - px - if unread { 32.0 } else { 0.0 };
        let preview = cx.line_within(
            &chat.preview,
            &TextStyle::new(font, 14.0, 20.0, 400, t.secondary),
            room,
        );
        b.push(Item::text(px, y + 39.0, preview));
        if unread {
            let count = cx.line(
                &chat.unread.to_string(),
                &TextStyle::new(font, 12.0, 16.0, 600, t.list),
            );
            let bw = (count.width + 10.0).max(20.0);
            let badge = Rect::new(w - 15.0 - bw, y + 40.0, bw, 20.0);
            b.push(Item::fill(Shape::RoundRect(badge, 10.0), t.unread));
            b.push(Item::text(
                badge.center_x() - count.width / 2.0,
                badge.center_y() - count.height / 2.0,
                count,
            ));
        }
        if !selected {
            b.push(Item::rect(
                Rect::new(tx, y + h - 1.0, w - tx, 1.0),
                t.divider,
            ));
        }
        y + h
    }
}

/// A chat of the list.
struct Chat {
    /// The current conversation's avatar; `None` for a placeholder group.
    avatar: Option<parts::avatar::Headline>,
    title: String,
    preview: String,
    /// One's own last message: read (blue) or not.
    ticks: Option<bool>,
    time: String,
    unread: u32,
}

/// Other chats in the list: groups and topics, never a person's name.
struct Placeholder {
    name: &'static str,
    preview: &'static str,
    days_ago: u32,
    unread: u32,
    mine: bool,
}

const PLACEHOLDERS: [Placeholder; 8] = [
    Placeholder {
        name: "Family",
        preview: "Dinner at 7 on Sunday?",
        days_ago: 1,
        unread: 2,
        mine: false,
    },
    Placeholder {
        name: "Book club",
        preview: "Next up: chapter 5 📚",
        days_ago: 2,
        unread: 0,
        mine: false,
    },
    Placeholder {
        name: "Weekend trip",
        preview: "📷 Photo",
        days_ago: 3,
        unread: 0,
        mine: false,
    },
    Placeholder {
        name: "Work",
        preview: "Sounds good, thanks!",
        days_ago: 4,
        unread: 0,
        mine: true,
    },
    Placeholder {
        name: "Neighbours",
        preview: "The parcel is at my door",
        days_ago: 6,
        unread: 0,
        mine: false,
    },
    Placeholder {
        name: "Running crew",
        preview: "Sunday 8am, same spot 🏃",
        days_ago: 9,
        unread: 0,
        mine: false,
    },
    Placeholder {
        name: "Movie night",
        preview: "Popcorn is on me 🍿",
        days_ago: 15,
        unread: 0,
        mine: true,
    },
    Placeholder {
        name: "Design team",
        preview: "New mockups are in the folder",
        days_ago: 24,
        unread: 0,
        mine: false,
    },
];
