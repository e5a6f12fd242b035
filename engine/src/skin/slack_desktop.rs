//! Slack's desktop app (2023 redesign) for `mobileView: false`: the frame in the
//! workspace's theme colour (Aubergine) with the search bar across the top and the
//! tab rail, the sidebar (Threads, Huddles, Drafts & sent, channels, direct
//! messages, the current one selected in blue), and the conversation as a card
//! inset in the frame: header with its tabs, the message list, and the composer
//! with its formatting toolbars. Theme colours from Slack's theme string; the rest
//! estimated.

use super::Chrome;
use super::discord::channel;
use super::parts;
use super::rows::{RowChat, RowDesign, avatar_of};
use super::slack;
use crate::icons::Icon;
use crate::layout::window::{Column, Window};
use crate::layout::{Block, Cx};
use crate::payload::User;
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;

#[derive(Debug, Clone, Copy)]
struct Tokens {
    /// The frame: the theme colour around everything.
    frame: Color,
    /// The sidebar, a little lighter than the frame.
    sidebar: Color,
    selected: Color,
    sidebar_ink: Color,
    presence: Color,
    /// The card's border, toolbar and icons.
    border: Color,
    toolbar: Color,
    icon: Color,
    send: Color,
}

const LIGHT: Tokens = Tokens {
    frame: Color::hex(0x3F0E40),
    sidebar: Color::hex(0x4E214F),
    selected: Color::hex(0x1164A3),
    sidebar_ink: Color::rgba(0xFF, 0xFF, 0xFF, 0xB3),
    presence: Color::hex(0x2BAC76),
    border: Color::rgba(0x1D, 0x1C, 0x1D, 0x4D),
    toolbar: Color::hex(0xF8F8F8),
    icon: Color::hex(0x616061),
    send: Color::hex(0x007A5A),
};

const DARK: Tokens = Tokens {
    frame: Color::hex(0x2A0A2B),
    sidebar: Color::hex(0x381939),
    selected: Color::hex(0x1164A3),
    sidebar_ink: Color::rgba(0xFF, 0xFF, 0xFF, 0xB3),
    presence: Color::hex(0x2BAC76),
    border: Color::rgba(0xFF, 0xFF, 0xFF, 0x33),
    toolbar: Color::hex(0x222529),
    icon: Color::hex(0xABABAD),
    send: Color::hex(0x007A5A),
};

const TOP: f32 = 40.0;
const RAIL: f32 = 70.0;
const SIDEBAR: f32 = 260.0;
const HEADER: f32 = 49.0;
const TABS: f32 = 38.0;
/// The card sits this far in from the frame's right and bottom edges.
const INSET: f32 = 8.0;
/// Slack names the workspace; a payload does not, so the window says this.
const WORKSPACE: &str = "Workspace";

/// Under the composer: where "… is typing" shows.
const TYPING_STRIP: f32 = 20.0;

pub(crate) fn skin(dark: bool) -> RowChat {
    let mobile = slack::design(dark);
    let design = RowDesign {
        avatar_x: 20.0,
        column: 20.0 + 36.0 + 8.0,
        right_pad: 20.0,
        typing_strip: Some(TYPING_STRIP),
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

/// Where the conversation is: a channel (a group) or a direct message.
enum Place {
    Channel(String),
    Dm(User),
}

fn place(cx: &Cx<'_>) -> Place {
    let props = cx.props();
    match (&props.group_chat_settings, props.is_group()) {
        (Some(g), true) => Place::Channel(channel(&g.name)),
        _ => Place::Dm(props.receivers[0].clone()),
    }
}

impl Chrome<RowDesign> for Desktop {
    fn header(&self, cx: &mut Cx<'_>, d: &RowDesign, top: f32) -> Block {
        let t = &self.t;
        let w = cx.width;
        let mut b = Block::new(top + HEADER + TABS);
        b.push(Item::rect(Rect::new(0.0, 0.0, w, b.height), d.page));
        b.push(Item::rect(
            Rect::new(0.0, b.height - 1.0, w, 1.0),
            d.divider,
        ));
        let mid = top + HEADER / 2.0;
        let title_style = TextStyle::new(d.font, 18.0, 24.0, 900, d.name);
        match place(cx) {
            Place::Channel(name) => {
                let title = cx.line_within(&format!("# {name}"), &title_style, w - 300.0);
                b.push(Item::text(20.0, mid - title.height / 2.0, title));
                // Stacked member avatars and the count.
                let props = cx.props();
                let mut people: Vec<User> = props.receivers.iter().take(3).cloned().collect();
                people.reverse();
                let count = props.receivers.len() + 1;
                let mut x = w - 20.0 - 96.0 - 30.0;
                let n = cx.line(
                    &count.to_string(),
                    &TextStyle::new(d.font, 13.0, 16.0, 700, d.name),
                );
                b.push(Item::text(x + 4.0, mid - n.height / 2.0, n));
                for person in &people {
                    x -= 16.0;
                    b.push(Item::fill(
                        Shape::RoundRect(Rect::new(x - 1.0, mid - 11.0, 22.0, 22.0), 6.0),
                        d.page,
                    ));
                    avatar_of(d, cx, &mut b, person, (x, mid - 10.0), 20.0);
                }
            }
            Place::Dm(with) => {
                avatar_of(d, cx, &mut b, &with, (20.0, mid - 12.0), 24.0);
                let title = cx.line_within(&with.name, &title_style, w - 300.0);
                b.push(Item::text(52.0, mid - title.height / 2.0, title));
            }
        }
        // The huddle button.
        let huddle = Rect::new(w - 20.0 - 96.0, mid - 14.0, 96.0, 28.0);
        b.push(Item::Stroke {
            shape: Shape::RoundRect(huddle.inset(0.5), 6.0),
            color: t.border,
            width: 1.0,
        });
        b.push(Item::Icon {
            icon: Icon::Headphones,
            rect: Rect::new(huddle.x + 10.0, mid - 8.0, 16.0, 16.0),
            color: d.text,
        });
        let label = cx.line("Huddle", &TextStyle::new(d.font, 13.0, 16.0, 700, d.text));
        b.push(Item::text(huddle.x + 32.0, mid - label.height / 2.0, label));
        // The tabs.
        let ty = top + HEADER;
        let mut x = 20.0;
        for (i, tab) in ["Messages", "Canvas", "Files", "+"].into_iter().enumerate() {
            let ink = if i == 0 { d.name } else { d.muted };
            let l = cx.line(tab, &TextStyle::new(d.font, 14.0, 18.0, 700, ink));
            b.push(Item::text(
                x,
                ty + TABS / 2.0 - l.height / 2.0 - 2.0,
                l.clone(),
            ));
            if i == 0 {
                b.push(Item::rect(
                    Rect::new(x, ty + TABS - 3.0, l.width, 2.0),
                    slack_green(),
                ));
            }
            x += l.width + 24.0;
        }
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &RowDesign, draft: Option<&str>) -> Block {
        let t = &self.t;
        let w = cx.width;
        let (fx, fw) = (20.0, w - 40.0);
        let style = TextStyle::new(d.font, 15.0, 22.0, 400, d.text);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, fw, fw - 24.0),
            (32.0 + 42.0 + 36.0, 0.0, TYPING_STRIP),
            d.page,
            None,
        );
        let field = c.field;
        c.push(Item::fill(
            Shape::RoundRect(Rect::new(field.x, field.y, field.w, 32.0), 8.0),
            t.toolbar,
        ));
        c.push(Item::rect(
            Rect::new(field.x, field.y + 24.0, field.w, 8.0),
            t.toolbar,
        ));
        c.field_box(None, Some(t.border), 8.0);
        // Formatting: bold, italic, strikethrough, then link and code.
        let mut x = field.x + 12.0;
        for (label, weight) in [("B", 800u16), ("I", 400), ("S", 400), ("</>", 600)] {
            let l = cx.line(label, &TextStyle::new(d.font, 14.0, 18.0, weight, t.icon));
            c.push(Item::text(x, field.y + 16.0 - l.height / 2.0, l.clone()));
            if label == "S" {
                c.push(Item::rect(
                    Rect::new(x - 1.0, field.y + 16.0, l.width + 2.0, 1.2),
                    t.icon,
                ));
            }
            x += l.width + 18.0;
        }
        let input_y = field.y + 32.0 + 10.0;
        if c.draft.is_some() {
            c.draw_draft((field.x + 12.0, input_y), 0.0, d.text);
        } else {
            let placeholder = match place(cx) {
                Place::Channel(name) => format!("Message #{name}"),
                Place::Dm(with) => format!("Message {}", with.name),
            };
            let hint = cx.line_within(&placeholder, &style.color(d.muted), fw - 40.0);
            c.push(Item::text(field.x + 12.0, input_y, hint));
        }
        // The bottom toolbar: +, Aa, emoji, @, video, mic; send at the right.
        let by = field.bottom() - 18.0;
        c.push(Item::fill(
            Shape::Circle {
                cx: field.x + 22.0,
                cy: by,
                r: 11.0,
            },
            t.toolbar,
        ));
        c.push(Item::Icon {
            icon: Icon::Plus,
            rect: Rect::new(field.x + 15.0, by - 7.0, 14.0, 14.0),
            color: t.icon,
        });
        let mut x = field.x + 48.0;
        let aa = cx.line("Aa", &TextStyle::new(d.font, 14.0, 18.0, 600, t.icon));
        c.push(Item::text(x, by - aa.height / 2.0, aa.clone()));
        x += aa.width + 16.0;
        for icon in [Icon::SmileyOutline, Icon::Video, Icon::Mic] {
            let (iw, ih) = match icon {
                Icon::Video => (20.0, 14.0),
                Icon::Mic => (11.0, 18.0),
                _ => (18.0, 18.0),
            };
            c.push(Item::Icon {
                icon,
                rect: Rect::new(x + (20.0 - iw) / 2.0, by - ih / 2.0, iw, ih),
                color: t.icon,
            });
            x += 32.0;
        }
        let send = if c.draft.is_some() { t.send } else { t.border };
        if c.draft.is_some() {
            c.push(Item::fill(
                Shape::RoundRect(Rect::new(field.right() - 48.0, by - 14.0, 40.0, 28.0), 4.0),
                t.send,
            ));
        }
        c.push(Item::Icon {
            icon: Icon::Send,
            rect: Rect::new(field.right() - 38.0, by - 8.0, 16.0, 16.0),
            color: if c.draft.is_some() {
                Color::WHITE
            } else {
                send
            },
        });
        c.finish()
    }

    fn window(&self, cx: &mut Cx<'_>, d: &RowDesign) -> Option<Window> {
        Some(Window {
            top: Some(self.top_bar(cx, d)),
            left: vec![self.rail(cx, d), self.sidebar(cx, d)],
            right: vec![Column {
                width: INSET,
                fill: self.t.frame,
                top: Block::new(0.0),
                bottom: None,
                edge: None,
            }],
            card: Some((self.t.frame, INSET, 8.0)),
        })
    }
}

/// Slack's green, for the active tab and the send button.
fn slack_green() -> Color {
    Color::hex(0x007A5A)
}

impl Desktop {
    /// Across the window, in the frame's colour: history arrows, the search field
    /// in the middle, help.
    fn top_bar(&self, cx: &mut Cx<'_>, d: &RowDesign) -> Block {
        let t = &self.t;
        let w = crate::device::desktop::SCREEN.0;
        let mut b = Block::new(TOP);
        b.push(Item::rect(Rect::new(0.0, 0.0, w, TOP), t.frame));
        let mid = TOP / 2.0;
        let search = Rect::new(w * 0.25, mid - 13.0, w * 0.5, 26.0);
        for (i, icon) in [Icon::ArrowLeft, Icon::ArrowRight].into_iter().enumerate() {
            b.push(Item::Icon {
                icon,
                rect: Rect::new(search.x - 76.0 + i as f32 * 30.0, mid - 8.0, 16.0, 16.0),
                color: t.sidebar_ink,
            });
        }
        b.push(Item::fill(
            Shape::RoundRect(search, 6.0),
            Color::rgba(0xFF, 0xFF, 0xFF, 0x33),
        ));
        b.push(Item::Icon {
            icon: Icon::Search,
            rect: Rect::new(search.x + 10.0, mid - 7.0, 14.0, 14.0),
            color: t.sidebar_ink,
        });
        let hint = cx.line(
            &format!("Search {WORKSPACE}"),
            &TextStyle::new(d.font, 13.0, 16.0, 400, t.sidebar_ink),
        );
        b.push(Item::text(search.x + 32.0, mid - hint.height / 2.0, hint));
        b.push(Item::Icon {
            icon: Icon::Info,
            rect: Rect::new(w - 40.0, mid - 9.0, 18.0, 18.0),
            color: t.sidebar_ink,
        });
        b
    }

    /// The tab rail: the workspace, Home (selected), DMs, Activity, Later, More;
    /// at the foot, "+" and the user's avatar with their presence.
    fn rail(&self, cx: &mut Cx<'_>, d: &RowDesign) -> Column {
        let t = &self.t;
        let mut b = Block::new(cx.height);
        let x = RAIL / 2.0;
        let ws = Rect::new(x - 18.0, 8.0, 36.0, 36.0);
        b.push(Item::fill(Shape::RoundRect(ws, 8.0), Color::hex(0xE8E8E8)));
        let letter = cx.line(
            &WORKSPACE[..1],
            &TextStyle::new(d.font, 18.0, 22.0, 800, Color::hex(0x1D1C1D)),
        );
        b.push(Item::text(
            x - letter.width / 2.0,
            ws.center_y() - letter.height / 2.0,
            letter,
        ));
        let items = [
            (Icon::Home, "Home"),
            (Icon::Chats, "DMs"),
            (Icon::Bell, "Activity"),
            (Icon::Bookmark, "Later"),
            (Icon::More, "More"),
        ];
        for (i, (icon, label)) in items.into_iter().enumerate() {
            let y = 60.0 + i as f32 * 58.0;
            let button = Rect::new(x - 18.0, y, 36.0, 36.0);
            if i == 0 {
                b.push(Item::fill(
                    Shape::RoundRect(button, 8.0),
                    Color::rgba(0xFF, 0xFF, 0xFF, 0x33),
                ));
            }
            let (iw, ih) = if icon == Icon::More {
                (16.0, 4.0)
            } else {
                (20.0, 20.0)
            };
            b.push(Item::Icon {
                icon,
                rect: Rect::new(x - iw / 2.0, button.center_y() - ih / 2.0, iw, ih),
                color: Color::WHITE,
            });
            let l = cx.line(
                label,
                &TextStyle::new(d.font, 11.0, 14.0, 700, Color::WHITE),
            );
            b.push(Item::text(x - l.width / 2.0, y + 38.0, l));
        }
        let mut foot = Block::new(100.0);
        foot.push(Item::fill(
            Shape::Circle {
                cx: x,
                cy: 22.0,
                r: 16.0,
            },
            Color::rgba(0xFF, 0xFF, 0xFF, 0x33),
        ));
        foot.push(Item::Icon {
            icon: Icon::Plus,
            rect: Rect::new(x - 8.0, 14.0, 16.0, 16.0),
            color: Color::WHITE,
        });
        let me = cx.props().sender.clone();
        avatar_of(d, cx, &mut foot, &me, (x - 18.0, 52.0), 36.0);
        parts::presence_dot(
            &mut foot,
            (x + 16.0, 52.0 + 34.0),
            (5.0, 2.5),
            (t.frame, t.presence),
        );
        Column {
            width: RAIL,
            fill: t.frame,
            top: b,
            bottom: Some(foot),
            edge: None,
        }
    }

    /// The sidebar: the workspace's name, Threads, Huddles, Drafts & sent, the
    /// channels and the direct messages, the current conversation selected.
    fn sidebar(&self, cx: &mut Cx<'_>, d: &RowDesign) -> Column {
        let t = &self.t;
        let mut b = Block::new(cx.height);
        let here = place(cx);
        let title = cx.line(
            WORKSPACE,
            &TextStyle::new(d.font, 18.0, 22.0, 800, Color::WHITE),
        );
        let after = 16.0 + title.width + 6.0;
        b.push(Item::text(16.0, 25.0 - title.height / 2.0, title));
        // The workspace menu's chevron after its name.
        b.push(Item::Icon {
            icon: Icon::ChevronDown,
            rect: Rect::new(after, 25.0 - 3.0, 10.5, 6.0),
            color: Color::WHITE,
        });
        b.push(Item::fill(
            Shape::Circle {
                cx: SIDEBAR - 28.0,
                cy: 25.0,
                r: 16.0,
            },
            Color::WHITE,
        ));
        b.push(Item::Icon {
            icon: Icon::Compose,
            rect: Rect::new(SIDEBAR - 37.0, 16.0, 18.0, 18.0),
            color: t.frame,
        });
        let row = |b: &mut Block, y: f32, selected: bool| {
            if selected {
                b.push(Item::fill(
                    Shape::RoundRect(Rect::new(8.0, y, SIDEBAR - 16.0, 28.0), 6.0),
                    t.selected,
                ));
            }
        };
        let mut y = 58.0;
        for (icon, label) in [
            (Icon::Threads, "Threads"),
            (Icon::Headphones, "Huddles"),
            (Icon::SendOutline, "Drafts & sent"),
        ] {
            b.push(Item::Icon {
                icon,
                rect: Rect::new(20.0, y + 6.0, 16.0, 16.0),
                color: t.sidebar_ink,
            });
            let l = cx.line(
                label,
                &TextStyle::new(d.font, 15.0, 20.0, 400, t.sidebar_ink),
            );
            b.push(Item::text(44.0, y + 14.0 - l.height / 2.0, l));
            y += 28.0;
        }
        y += 14.0;
        let sidebar = cx.props().sidebar.clone();
        // Channels: the current one (a group), and others.
        let mut channels: Vec<String> = match &here {
            Place::Channel(name) => vec![name.clone()],
            Place::Dm(_) => Vec::new(),
        };
        let people: Vec<User> = match &sidebar {
            Some(chats) => {
                // The payload's chats: groups become channels, people DMs (a chat
                // with a picture, or whose name has a space, reads as a person).
                let (groups, persons): (Vec<_>, Vec<_>) = chats
                    .iter()
                    .take(16)
                    .partition(|c| c.image.is_none() && !c.name.trim().contains(' '));
                channels.extend(groups.iter().map(|c| channel(&c.name)));
                persons
                    .iter()
                    .map(|c| User {
                        id: c.name.clone(),
                        name: c.name.clone(),
                        image: c.image.clone(),
                        color: None,
                    })
                    .collect()
            }
            None => {
                channels.extend(["general", "random", "announcements"].map(str::to_owned));
                Vec::new()
            }
        };
        // Slack sorts channels by name.
        channels.sort();
        channels.dedup();
        let section = |cx: &mut Cx<'_>, b: &mut Block, y: f32, label: &str| {
            let l = cx.line(
                &format!("▾  {label}"),
                &TextStyle::new(d.font, 15.0, 20.0, 400, t.sidebar_ink),
            );
            b.push(Item::text(16.0, y + 14.0 - l.height / 2.0, l));
        };
        section(cx, &mut b, y, "Channels");
        y += 28.0;
        for name in &channels {
            let selected = matches!(&here, Place::Channel(c) if c == name);
            row(&mut b, y, selected);
            let ink = if selected {
                Color::WHITE
            } else {
                t.sidebar_ink
            };
            let l = cx.line_within(
                &format!("#  {name}"),
                &TextStyle::new(d.font, 15.0, 20.0, 400, ink),
                SIDEBAR - 48.0,
            );
            b.push(Item::text(24.0, y + 14.0 - l.height / 2.0, l));
            y += 28.0;
        }
        y += 14.0;
        section(cx, &mut b, y, "Direct messages");
        y += 28.0;
        let props = cx.props();
        // (who, selected, is it the user's own DM with themselves)
        let mut dms: Vec<(User, bool, bool)> = match &here {
            Place::Dm(with) => vec![(with.clone(), true, false)],
            Place::Channel(_) => Vec::new(),
        };
        dms.extend(people.into_iter().map(|u| (u, false, false)));
        dms.push((props.sender.clone(), false, true));
        for (user, selected, me) in dms {
            row(&mut b, y, selected);
            avatar_of(d, cx, &mut b, &user, (24.0, y + 4.0), 20.0);
            let ink = if selected {
                Color::WHITE
            } else {
                t.sidebar_ink
            };
            let l = cx.line_within(
                &user.name,
                &TextStyle::new(d.font, 15.0, 20.0, 400, ink),
                SIDEBAR - 100.0,
            );
            let lw = l.width;
            b.push(Item::text(52.0, y + 14.0 - l.height / 2.0, l));
            if me {
                let you = cx.line(
                    "you",
                    &TextStyle::new(d.font, 15.0, 20.0, 400, t.sidebar_ink.fade(0.7)),
                );
                b.push(Item::text(
                    52.0 + lw + 6.0,
                    y + 14.0 - you.height / 2.0,
                    you,
                ));
            }
            y += 28.0;
            if y > b.height - 40.0 {
                break;
            }
        }
        Column {
            width: SIDEBAR,
            fill: t.sidebar,
            top: b,
            bottom: None,
            edge: None,
        }
    }
}
