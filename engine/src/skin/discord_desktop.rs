//! Discord's desktop app (2023 layout) for `mobileView: false`: the server rail,
//! the sidebar (direct messages, or the server's channels with the current one
//! selected) with the user panel at its foot, the chat with its header and
//! composer, and the member list (a server) or the profile panel (a DM).

use chrono::Datelike;

use super::Chrome;
use super::discord::{self, BLURPLE, ONLINE};
use super::parts;
use super::rows::{RowChat, RowDesign, avatar_of};
use crate::icons::Icon;
use crate::layout::window::{Column, Window};
use crate::layout::{Block, Cx};
use crate::payload::User;
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;
use crate::time::{self, DayFormat};

#[derive(Debug, Clone, Copy)]
struct Tokens {
    rail: Color,
    sidebar: Color,
    panel: Color,
    selected: Color,
    selected_ink: Color,
    idle: Color,
    field: Color,
    icon: Color,
    search: Color,
    server: Color,
    shadow: Color,
}

const LIGHT: Tokens = Tokens {
    rail: Color::hex(0xE3E5E8),
    sidebar: Color::hex(0xF2F3F5),
    panel: Color::hex(0xEBEDEF),
    selected: Color::hex(0xD7D9DC),
    selected_ink: Color::hex(0x060607),
    idle: Color::hex(0x5C5E66),
    field: Color::hex(0xEBEDEF),
    icon: Color::hex(0x4E5058),
    search: Color::hex(0xE3E5E8),
    server: Color::hex(0xFFFFFF),
    shadow: Color::rgba(0x06, 0x06, 0x07, 0x1F),
};

const DARK: Tokens = Tokens {
    rail: Color::hex(0x1E1F22),
    sidebar: Color::hex(0x2B2D31),
    panel: Color::hex(0x232428),
    selected: Color::hex(0x404249),
    selected_ink: Color::hex(0xFFFFFF),
    idle: Color::hex(0x949BA4),
    field: Color::hex(0x383A40),
    icon: Color::hex(0xB5BAC1),
    search: Color::hex(0x1E1F22),
    server: Color::hex(0x313338),
    shadow: Color::rgba(0, 0, 0, 0x4D),
};

const RAIL: f32 = 72.0;
const SIDEBAR: f32 = 240.0;
const MEMBERS: f32 = 240.0;
const PROFILE: f32 = 340.0;
const HEADER: f32 = 48.0;
/// Under the composer's field: where "… is typing…" shows.
const TYPING_STRIP: f32 = 24.0;

pub(crate) fn skin(dark: bool) -> RowChat {
    let mobile = discord::design(dark);
    let design = RowDesign {
        right_pad: 48.0,
        typing_strip: Some(TYPING_STRIP),
        // The desktop app writes the day before today's times too.
        stamps: DayFormat {
            today: "Today at {time}",
            yesterday: "Yesterday at {time}",
            this_week: "{m}/{day}/{year} {time}",
            this_year: "{m}/{day}/{year} {time}",
            older: "{m}/{day}/{year} {time}",
        },
        ..mobile
    };
    RowChat {
        design,
        chrome: Box::new(Desktop {
            t: if dark { DARK } else { LIGHT },
        }),
    }
}

struct Desktop {
    t: Tokens,
}

/// Where the conversation is: a server channel (a group) or a direct message.
enum Place {
    Channel { server: String, channel: String },
    Dm { with: User },
}

fn place(cx: &Cx<'_>) -> Place {
    let props = cx.props();
    match (&props.group_chat_settings, props.is_group()) {
        (Some(g), true) => Place::Channel {
            server: g.name.clone(),
            channel: discord::channel(&g.name),
        },
        _ => Place::Dm {
            with: props.receivers[0].clone(),
        },
    }
}

impl Chrome<RowDesign> for Desktop {
    fn header(&self, cx: &mut Cx<'_>, d: &RowDesign, top: f32) -> Block {
        let t = &self.t;
        let w = cx.width;
        let mut b = Block::new(top + HEADER);
        b.push(Item::rect(Rect::new(0.0, 0.0, w, b.height), d.page));
        b.push(Item::rect(Rect::new(0.0, b.height - 1.0, w, 1.0), t.shadow));
        let mid = top + HEADER / 2.0;
        let title_style = TextStyle::new(d.font, 16.0, 20.0, 600, d.name);
        let icons: &[Icon] = match place(cx) {
            Place::Channel { channel, .. } => {
                let hash = cx.line("#", &TextStyle::new(d.font, 22.0, 26.0, 500, t.idle));
                let hw = hash.width;
                b.push(Item::text(16.0, mid - hash.height / 2.0, hash));
                let title = cx.line_within(&channel, &title_style, w - 360.0);
                b.push(Item::text(16.0 + hw + 8.0, mid - title.height / 2.0, title));
                &[Icon::Threads, Icon::Communities]
            }
            Place::Dm { with } => {
                let (ax, size) = (16.0 + 12.0, 24.0);
                b.items.extend(parts::avatar(cx, &with, ax, mid, size));
                parts::presence_dot(&mut b, (ax + 8.5, mid + 8.5), (3.5, 2.0), (d.page, ONLINE));
                let title = cx.line_within(&with.name, &title_style, w - 380.0);
                b.push(Item::text(48.0, mid - title.height / 2.0, title));
                &[Icon::Phone, Icon::Video, Icon::Person]
            }
        };
        // The search box, then the icons leftwards from it.
        let search = Rect::new(w - 16.0 - 32.0 - 144.0, mid - 12.0, 144.0, 24.0);
        b.push(Item::fill(Shape::RoundRect(search, 4.0), t.search));
        let hint = cx.line("Search", &TextStyle::new(d.font, 13.0, 16.0, 500, t.idle));
        b.push(Item::text(search.x + 8.0, mid - hint.height / 2.0, hint));
        b.push(Item::Icon {
            icon: Icon::Search,
            rect: Rect::new(search.right() - 20.0, mid - 7.0, 14.0, 14.0),
            color: t.idle,
        });
        b.push(Item::Icon {
            icon: Icon::Info,
            rect: Rect::new(w - 16.0 - 22.0, mid - 11.0, 22.0, 22.0),
            color: t.icon,
        });
        for (i, &icon) in icons.iter().enumerate() {
            let x = search.x - 28.0 - i as f32 * 40.0;
            let (iw, ih) = if icon == Icon::Video {
                (24.0, 16.0)
            } else {
                (22.0, 22.0)
            };
            b.push(Item::Icon {
                icon,
                rect: Rect::new(x - iw / 2.0, mid - ih / 2.0, iw, ih),
                color: t.icon,
            });
        }
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &RowDesign, draft: Option<&str>) -> Block {
        let t = &self.t;
        let w = cx.width;
        let (fx, fw) = (16.0, w - 32.0);
        let style = TextStyle::new(d.font, d.text_size, 22.0, 400, d.text);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, fw, fw - 56.0 - 120.0),
            (44.0, 0.0, TYPING_STRIP),
            d.page,
            None,
        );
        let (field, cy) = (c.field, c.cy);
        c.field_box(Some(t.field), None, 8.0);
        c.push(Item::fill(
            Shape::Circle {
                cx: fx + 28.0,
                cy,
                r: 12.0,
            },
            t.icon,
        ));
        c.push(Item::Icon {
            icon: Icon::Plus,
            rect: Rect::new(fx + 21.0, cy - 7.0, 14.0, 14.0),
            color: t.field,
        });
        c.icon_row(
            &[
                (Icon::Gift, 22.0, 22.0),
                (Icon::Sticker, 22.0, 22.0),
                (Icon::Smiley, 22.0, 22.0),
            ],
            (field.right() - 124.0, 40.0, 32.0),
            t.icon,
        );
        if c.draft.is_some() {
            c.draw_draft((fx + 56.0, field.y + 11.0), 8.0, d.text);
        } else {
            let placeholder = match place(cx) {
                Place::Channel { channel, .. } => format!("Message #{channel}"),
                Place::Dm { with } => format!("Message @{}", with.name),
            };
            let hint = cx.line_within(&placeholder, &style.color(d.muted), fw - 200.0);
            c.push(Item::text(fx + 56.0, cy - hint.height / 2.0, hint));
        }
        c.finish()
    }

    fn window(&self, cx: &mut Cx<'_>, d: &RowDesign) -> Option<Window> {
        let here = place(cx);
        let right = match &here {
            Place::Channel { .. } => self.members(cx, d),
            Place::Dm { with } => self.profile(cx, d, with),
        };
        Some(Window {
            top: None,
            left: vec![self.rail(cx, d, &here), self.sidebar(cx, d, &here)],
            right: vec![right],
            card: None,
        })
    }
}

/// Servers in the rail: placeholders that name no one.
const SERVERS: [&str; 5] = [
    "Book Club",
    "Design Team",
    "Running Crew",
    "Movie Night",
    "Garden",
];

impl Desktop {
    /// The server rail: home (direct messages), a separator, the servers (the
    /// current one selected when the chat is a channel), and "add a server".
    fn rail(&self, cx: &mut Cx<'_>, d: &RowDesign, here: &Place) -> Column {
        let t = &self.t;
        let mut b = Block::new(cx.height);
        let x = RAIL / 2.0;
        let squircle = |b: &mut Block, y: f32, fill: Color, selected: bool| {
            let r = Rect::new(x - 24.0, y, 48.0, 48.0);
            let radius = if selected { 16.0 } else { 24.0 };
            b.push(Item::fill(Shape::RoundRect(r, radius), fill));
            if selected {
                b.push(Item::fill(
                    Shape::RoundRect(Rect::new(-4.0, y + 4.0, 8.0, 40.0), 4.0),
                    d.ink,
                ));
            }
        };
        let home_selected = matches!(here, Place::Dm { .. });
        squircle(
            &mut b,
            12.0,
            if home_selected { BLURPLE } else { t.server },
            home_selected,
        );
        b.push(Item::Icon {
            icon: Icon::Chats,
            rect: Rect::new(x - 14.0, 12.0 + 10.0, 28.0, 28.0),
            color: if home_selected { Color::WHITE } else { t.icon },
        });
        b.push(Item::fill(
            Shape::RoundRect(Rect::new(x - 16.0, 69.0, 32.0, 2.0), 1.0),
            t.selected,
        ));
        let mut y = 80.0;
        let mut servers: Vec<String> = SERVERS.iter().map(|s| (*s).to_owned()).collect();
        if let Place::Channel { server, .. } = here {
            servers.insert(0, server.clone());
        }
        for (i, name) in servers.iter().enumerate() {
            let selected = i == 0 && matches!(here, Place::Channel { .. });
            if selected
                && let Some(url) = cx
                    .props()
                    .group_chat_settings
                    .as_ref()
                    .and_then(|g| g.image.clone())
            {
                let rect = Rect::new(x - 24.0, y, 48.0, 48.0);
                if let Some(item) = cx.picture(&url, rect, Shape::RoundRect(rect, 16.0)) {
                    b.push(item);
                    b.push(Item::fill(
                        Shape::RoundRect(Rect::new(-4.0, y + 4.0, 8.0, 40.0), 4.0),
                        d.ink,
                    ));
                    y += 56.0;
                    continue;
                }
            }
            squircle(
                &mut b,
                y,
                if selected { BLURPLE } else { t.server },
                selected,
            );
            let letters = parts::avatar::initials(name);
            let ink = if selected { Color::WHITE } else { d.name };
            let l = cx.line(&letters, &TextStyle::new(d.font, 16.0, 20.0, 500, ink));
            b.push(Item::text(x - l.width / 2.0, y + 24.0 - l.height / 2.0, l));
            y += 56.0;
        }
        squircle(&mut b, y, t.server, false);
        b.push(Item::Icon {
            icon: Icon::Plus,
            rect: Rect::new(x - 10.0, y + 14.0, 20.0, 20.0),
            color: ONLINE,
        });
        Column {
            width: RAIL,
            fill: t.rail,
            top: b,
            bottom: None,
            edge: None,
        }
    }

    /// The sidebar: direct messages (a DM) or the server's channels (a channel),
    /// with the user panel at its foot.
    fn sidebar(&self, cx: &mut Cx<'_>, d: &RowDesign, here: &Place) -> Column {
        let t = &self.t;
        let mut b = Block::new(cx.height);
        let caps = TextStyle::new(d.font, 12.0, 16.0, 600, t.idle);
        let row_style = |ink| TextStyle::new(d.font, 16.0, 20.0, 500, ink);
        match here {
            Place::Dm { with } => {
                let search = Rect::new(10.0, 10.0, SIDEBAR - 20.0, 28.0);
                b.push(Item::fill(Shape::RoundRect(search, 4.0), t.search));
                let hint = cx.line(
                    "Find or start a conversation",
                    &TextStyle::new(d.font, 14.0, 18.0, 500, t.idle),
                );
                b.push(Item::text(
                    search.x + 6.0,
                    search.center_y() - hint.height / 2.0,
                    hint,
                ));
                b.push(Item::rect(
                    Rect::new(0.0, HEADER - 1.0, SIDEBAR, 1.0),
                    t.shadow,
                ));
                let mut y = HEADER + 8.0;
                for (icon, label) in [(Icon::Person, "Friends"), (Icon::Gift, "Shop")] {
                    b.push(Item::Icon {
                        icon,
                        rect: Rect::new(20.0, y + 9.0, 24.0, 24.0),
                        color: t.idle,
                    });
                    let l = cx.line(label, &row_style(t.idle));
                    b.push(Item::text(56.0, y + 21.0 - l.height / 2.0, l));
                    y += 44.0;
                }
                y += 12.0;
                let head = cx.line("DIRECT MESSAGES", &caps);
                b.push(Item::text(18.0, y, head));
                b.push(Item::Icon {
                    icon: Icon::Plus,
                    rect: Rect::new(SIDEBAR - 28.0, y + 1.0, 14.0, 14.0),
                    color: t.idle,
                });
                y += 24.0;
                // The current DM, selected; then group DMs that name no one.
                b.push(Item::fill(
                    Shape::RoundRect(Rect::new(8.0, y, SIDEBAR - 16.0, 42.0), 4.0),
                    t.selected,
                ));
                avatar_of(d, cx, &mut b, with, (16.0, y + 5.0), 32.0);
                parts::presence_dot(
                    &mut b,
                    (16.0 + 27.0, y + 5.0 + 27.0),
                    (5.0, 2.5),
                    (t.selected, ONLINE),
                );
                let name = cx.line_within(&with.name, &row_style(t.selected_ink), SIDEBAR - 80.0);
                b.push(Item::text(58.0, y + 21.0 - name.height / 2.0, name));
                y += 44.0;
                if let Some(chats) = cx.props().sidebar.clone() {
                    // The payload's own: people and groups with their pictures.
                    for chat in chats.iter().take(16) {
                        let user = User {
                            id: chat.name.clone(),
                            name: chat.name.clone(),
                            image: chat.image.clone(),
                            color: None,
                        };
                        avatar_of(d, cx, &mut b, &user, (16.0, y + 5.0), 32.0);
                        let unread = chat.unread.is_some_and(|n| n > 0);
                        let ink = if unread { t.selected_ink } else { t.idle };
                        let l = cx.line_within(&chat.name, &row_style(ink), SIDEBAR - 80.0);
                        match chat.last_message.as_deref().filter(|m| !m.is_empty()) {
                            Some(sub) => {
                                let sub = cx.line_within(
                                    sub,
                                    &TextStyle::new(d.font, 12.0, 16.0, 500, t.idle),
                                    SIDEBAR - 80.0,
                                );
                                let top = y + 21.0 - (l.height + sub.height) / 2.0;
                                b.push(Item::text(58.0, top, l.clone()));
                                b.push(Item::text(58.0, top + l.height, sub));
                            }
                            None => b.push(Item::text(58.0, y + 21.0 - l.height / 2.0, l)),
                        }
                        y += 44.0;
                    }
                }
                let groups: &[(&str, u32)] = if cx.props().sidebar.is_some() {
                    &[]
                } else {
                    &[("Book club", 4), ("Weekend trip", 3), ("Design team", 6)]
                };
                for &(label, members) in groups {
                    b.push(Item::fill(
                        Shape::Circle {
                            cx: 32.0,
                            cy: y + 21.0,
                            r: 16.0,
                        },
                        BLURPLE.fade(0.85),
                    ));
                    b.push(Item::Icon {
                        icon: Icon::Communities,
                        rect: Rect::new(22.0, y + 11.0, 20.0, 20.0),
                        color: Color::WHITE,
                    });
                    let l = cx.line(label, &row_style(t.idle));
                    let sub = cx.line(
                        &format!("{members} Members"),
                        &TextStyle::new(d.font, 12.0, 16.0, 500, t.idle),
                    );
                    let top = y + 21.0 - (l.height + sub.height) / 2.0;
                    b.push(Item::text(58.0, top, l.clone()));
                    b.push(Item::text(58.0, top + l.height, sub));
                    y += 44.0;
                }
            }
            Place::Channel { server, channel } => {
                let title = cx.line_within(
                    server,
                    &TextStyle::new(d.font, 16.0, 20.0, 600, d.name),
                    SIDEBAR - 40.0,
                );
                b.push(Item::text(16.0, HEADER / 2.0 - title.height / 2.0, title));
                // The server menu's chevron at the right of the name's bar.
                b.push(Item::Icon {
                    icon: Icon::ChevronDown,
                    rect: Rect::new(SIDEBAR - 30.0, HEADER / 2.0 - 4.0, 14.0, 8.0),
                    color: d.name,
                });
                b.push(Item::rect(
                    Rect::new(0.0, HEADER - 1.0, SIDEBAR, 1.0),
                    t.shadow,
                ));
                let mut y = HEADER + 16.0;
                // The payload's other conversations are the server's other channels.
                let mut text_channels: Vec<String> = match &cx.props().sidebar {
                    Some(chats) => std::iter::once(channel.clone())
                        .chain(chats.iter().take(16).map(|c| discord::channel(&c.name)))
                        .collect(),
                    None => vec!["general".to_owned(), channel.clone(), "photos".to_owned()],
                };
                let mut seen = std::collections::HashSet::new();
                text_channels.retain(|c| seen.insert(c.clone()));
                for (category, items) in [
                    ("TEXT CHANNELS", text_channels),
                    ("VOICE CHANNELS", vec!["Lounge".to_owned()]),
                ] {
                    let head = cx.line(category, &caps);
                    b.push(Item::text(18.0, y, head));
                    y += 24.0;
                    for name in &items {
                        let voice = category.starts_with("VOICE");
                        let selected = !voice && name == channel;
                        if selected {
                            b.push(Item::fill(
                                Shape::RoundRect(Rect::new(8.0, y, SIDEBAR - 16.0, 34.0), 4.0),
                                t.selected,
                            ));
                        }
                        let ink = if selected { t.selected_ink } else { t.idle };
                        if voice {
                            b.push(Item::Icon {
                                icon: Icon::Speaker,
                                rect: Rect::new(16.0, y + 7.0, 20.0, 20.0),
                                color: t.idle,
                            });
                        } else {
                            let hash =
                                cx.line("#", &TextStyle::new(d.font, 20.0, 24.0, 500, t.idle));
                            b.push(Item::text(18.0, y + 17.0 - hash.height / 2.0, hash));
                        }
                        let l = cx.line_within(name, &row_style(ink), SIDEBAR - 64.0);
                        b.push(Item::text(44.0, y + 17.0 - l.height / 2.0, l));
                        y += 36.0;
                    }
                    y += 12.0;
                }
            }
        }
        // The user panel.
        let me = cx.props().sender.clone();
        let mut foot = Block::new(52.0);
        foot.push(Item::rect(Rect::new(0.0, 0.0, SIDEBAR, 52.0), t.panel));
        avatar_of(d, cx, &mut foot, &me, (8.0, 10.0), 32.0);
        parts::presence_dot(
            &mut foot,
            (8.0 + 27.0, 10.0 + 27.0),
            (5.0, 2.5),
            (t.panel, ONLINE),
        );
        let name = cx.line_within(
            &me.name,
            &TextStyle::new(d.font, 14.0, 18.0, 600, d.name),
            100.0,
        );
        let status = cx.line("Online", &TextStyle::new(d.font, 12.0, 16.0, 400, t.idle));
        foot.push(Item::text(48.0, 26.0 - name.height, name));
        foot.push(Item::text(48.0, 26.0, status));
        for (i, icon) in [Icon::Gear, Icon::Headphones, Icon::Mic]
            .into_iter()
            .enumerate()
        {
            let (iw, ih) = if icon == Icon::Mic {
                (12.0, 20.0)
            } else {
                (20.0, 20.0)
            };
            let cx0 = SIDEBAR - 24.0 - i as f32 * 32.0;
            foot.push(Item::Icon {
                icon,
                rect: Rect::new(cx0 - iw / 2.0, 26.0 - ih / 2.0, iw, ih),
                color: t.icon,
            });
        }
        Column {
            width: SIDEBAR,
            fill: t.sidebar,
            top: b,
            bottom: Some(foot),
            edge: None,
        }
    }

    /// A server's member list: who is online, everyone in the conversation.
    fn members(&self, cx: &mut Cx<'_>, d: &RowDesign) -> Column {
        let t = &self.t;
        let mut b = Block::new(cx.height);
        let props = cx.props();
        let mut people: Vec<User> = props.receivers.clone();
        people.push(props.sender.clone());
        let head = cx.line(
            &format!("ONLINE — {}", people.len()),
            &TextStyle::new(d.font, 12.0, 16.0, 600, t.idle),
        );
        b.push(Item::text(16.0, 24.0, head));
        let mut y = 48.0;
        for person in &people {
            avatar_of(d, cx, &mut b, person, (16.0, y + 5.0), 32.0);
            parts::presence_dot(
                &mut b,
                (16.0 + 27.0, y + 5.0 + 27.0),
                (5.0, 2.5),
                (t.sidebar, ONLINE),
            );
            let ink = d.name_colors
                [(super::fnv(person.id.as_bytes()) % d.name_colors.len() as u64) as usize];
            let l = cx.line_within(
                &person.name,
                &TextStyle::new(d.font, 16.0, 20.0, 500, ink),
                MEMBERS - 80.0,
            );
            b.push(Item::text(58.0, y + 21.0 - l.height / 2.0, l));
            y += 44.0;
            if y > b.height {
                break;
            }
        }
        Column {
            width: MEMBERS,
            fill: t.sidebar,
            top: b,
            bottom: None,
            edge: None,
        }
    }

    /// A DM's profile panel: banner, avatar, names and when they joined.
    fn profile(&self, cx: &mut Cx<'_>, d: &RowDesign, with: &User) -> Column {
        let t = &self.t;
        let mut b = Block::new(cx.height);
        let banner = d.avatar_colors
            [(super::fnv(with.id.as_bytes()) % d.avatar_colors.len() as u64) as usize];
        b.push(Item::rect(Rect::new(0.0, 0.0, PROFILE, 120.0), banner));
        b.push(Item::fill(
            Shape::Circle {
                cx: 16.0 + 46.0,
                cy: 120.0,
                r: 46.0,
            },
            t.sidebar,
        ));
        avatar_of(d, cx, &mut b, with, (22.0, 80.0), 80.0);
        parts::presence_dot(
            &mut b,
            (22.0 + 68.0, 80.0 + 68.0),
            (8.0, 4.0),
            (t.sidebar, ONLINE),
        );
        let name = cx.line_within(
            &with.name,
            &TextStyle::new(d.font, 20.0, 24.0, 700, d.name),
            PROFILE - 32.0,
        );
        b.push(Item::text(16.0, 178.0, name));
        let handle: String = with
            .name
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '.' || *c == '_')
            .collect();
        let handle = cx.line(&handle, &TextStyle::new(d.font, 14.0, 18.0, 400, d.name));
        b.push(Item::text(16.0, 204.0, handle));
        let card = Rect::new(16.0, 240.0, PROFILE - 32.0, 72.0);
        b.push(Item::fill(Shape::RoundRect(card, 8.0), d.page));
        let since = cx.line(
            "Member Since",
            &TextStyle::new(d.font, 12.0, 16.0, 700, d.name),
        );
        b.push(Item::text(card.x + 12.0, card.y + 12.0, since));
        // A date well before the conversation, as an account's would be.
        let last = cx.payload.times.messages.last().map(|t| cx.today(t));
        if let Some(day) = last {
            let joined = day - chrono::Months::new(28);
            let text = format!(
                "{} {}, {}",
                time::short(time::month_name(joined.month())),
                joined.day(),
                joined.year()
            );
            let l = cx.line(&text, &TextStyle::new(d.font, 14.0, 18.0, 400, d.text));
            b.push(Item::text(card.x + 12.0, card.y + 36.0, l));
        }
        Column {
            width: PROFILE,
            fill: t.sidebar,
            top: b,
            bottom: None,
            edge: None,
        }
    }
}
