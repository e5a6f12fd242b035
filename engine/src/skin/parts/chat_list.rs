//! A desktop app's chat list: the current conversation (selected, with its last
//! message and time) and other chats that name no one, each drawn as a row in the
//! app's own style.

use chrono::{Datelike, NaiveDate};

use super::avatar::{Headline, headline, headline_avatar_as};
use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::payload::{DeliveryStatus, MessageType};
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;
use crate::time::{self, RelativeDay};

/// A chat of the list.
pub(crate) struct Chat {
    /// The current conversation's avatar; `None` for a placeholder group.
    pub avatar: Option<Headline>,
    pub title: String,
    pub preview: String,
    /// One's own last message: read or not.
    pub ticks: Option<bool>,
    pub time: String,
    pub unread: u32,
}

/// How an app draws its rows.
pub(crate) struct RowStyle {
    pub font: Family,
    pub width: f32,
    pub height: f32,
    pub avatar: f32,
    /// Left edge of the avatar and of the text.
    pub avatar_x: f32,
    pub text_x: f32,
    pub right_pad: f32,
    /// Name: size, line height, weight; tops of the name and preview lines.
    pub name: (f32, f32, u16),
    pub name_top: f32,
    pub preview: (f32, f32),
    pub preview_top: f32,
    pub time_size: f32,
    pub ink: Color,
    pub secondary: Color,
    /// The time of a chat with unread messages.
    pub unread_time: Color,
    pub badge: Color,
    pub badge_ink: Color,
    /// The selected row: fill, corner radius, side inset, and ink over it.
    pub selected: (Color, f32, f32, Option<Color>),
    /// A line under each row from the text's left edge.
    pub divider: Option<Color>,
    /// Ticks before one's own last message: read, unread colours.
    pub ticks: Option<(Color, Color)>,
    pub placeholder: (Color, Color),
    /// What a chat without a picture shows.
    pub no_photo: super::NoPhoto,
    /// Writes a placeholder's day, given how many days ago it was.
    pub day: fn(RelativeDay, NaiveDate, u32) -> String,
    /// The time after the preview ("ok · 2h") instead of at the right, and unread
    /// chats marked with a dot instead of a count (Messenger's rows).
    pub inline: bool,
}

/// The current conversation as the list shows it: its name and avatar, and its last
/// message (with the sender's first name in a group) and the time it was sent.
pub(crate) fn current(cx: &Cx<'_>, you_prefix: bool) -> Chat {
    let props = cx.props();
    let h = headline(props);
    let sent = &props.messages[..cx.shown.unwrap_or(usize::MAX).min(props.messages.len())];
    let Some((i, last)) = sent
        .iter()
        .enumerate()
        .rev()
        .find(|(_, m)| m.kind != MessageType::Typing)
    else {
        // A video before its first message: the chat, nothing said yet.
        return Chat {
            avatar: Some(h),
            title: String::new(),
            preview: String::new(),
            ticks: None,
            time: String::new(),
            unread: 0,
        };
    };
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
    let first = |name: &str| name.split_whitespace().next().unwrap_or("").to_owned();
    let preview = match props.user(&last.user_id) {
        _ if mine && you_prefix => format!("You: {text}"),
        Some(u) if h.group && !mine => format!("{}: {text}", first(&u.name)),
        _ => text,
    };
    let read = last.status.unwrap_or(DeliveryStatus::Read) == DeliveryStatus::Read;
    Chat {
        avatar: Some(h),
        title: String::new(),
        preview,
        ticks: mine.then_some(read),
        time: time::clock(&cx.payload.times.messages[i], props.time_notation),
        unread: 0,
    }
}

/// Other chats of the list, as many as `rows`: the payload's `props.sidebar` when
/// it has one, else groups and topics that name no one, dated back from the
/// conversation's day.
pub(crate) fn others(cx: &Cx<'_>, rows: usize, style: &RowStyle) -> Vec<Chat> {
    if let Some(chats) = &cx.props().sidebar {
        return chats
            .iter()
            .take(rows)
            .map(|c| Chat {
                avatar: Some(sidebar_headline(c)),
                title: c.name.clone(),
                preview: c.last_message.clone().unwrap_or_default(),
                ticks: None,
                time: c.time.clone().unwrap_or_default(),
                unread: c.unread.unwrap_or(0),
            })
            .collect();
    }
    placeholders(cx, rows, style)
}

/// A sidebar chat drawn as the list draws a conversation: its picture, or its
/// initials.
pub(crate) fn sidebar_headline(c: &crate::payload::SidebarChat) -> Headline {
    Headline {
        title: c.name.clone(),
        members: vec![crate::payload::User {
            id: c.name.clone(),
            name: c.name.clone(),
            image: c.image.clone(),
            color: None,
        }],
        image: c.image.clone(),
        group: false,
    }
}

fn placeholders(cx: &Cx<'_>, rows: usize, style: &RowStyle) -> Vec<Chat> {
    let last = cx.payload.times.messages.last();
    let today = last.map_or_else(NaiveDate::default, |t| cx.today(t));
    PLACEHOLDERS
        .iter()
        .take(rows)
        .map(|p| {
            let day = today - chrono::Days::new(u64::from(p.days_ago));
            Chat {
                avatar: None,
                title: p.name.to_owned(),
                preview: p.preview.to_owned(),
                ticks: p.mine.then_some(false),
                time: (style.day)(RelativeDay::of(day, today), day, p.days_ago),
                unread: p.unread,
            }
        })
        .collect()
}

/// `Yesterday`, a weekday, or `11/24/2025` (US English desktop apps).
pub(crate) fn day_us(rel: RelativeDay, day: NaiveDate, _ago: u32) -> String {
    match rel {
        RelativeDay::Today => String::new(),
        RelativeDay::Yesterday => "Yesterday".to_owned(),
        RelativeDay::ThisWeek(wd) => time::weekday_name(wd).to_owned(),
        _ => format!("{}/{}/{}", day.month(), day.day(), day.year()),
    }
}

/// One row from `y`: avatar, name and time, preview (after ticks on one's own last
/// message) and the unread count; returns the next row's top.
pub(crate) fn row(
    cx: &mut Cx<'_>,
    b: &mut Block,
    y: f32,
    chat: &Chat,
    s: &RowStyle,
    selected: bool,
) -> f32 {
    let (w, h) = (s.width, s.height);
    let (fill, radius, inset, over) = s.selected;
    if selected {
        let r = Rect::new(inset, y, w - 2.0 * inset, h);
        b.push(Item::fill(Shape::RoundRect(r, radius), fill));
    }
    let ink = if selected {
        over.unwrap_or(s.ink)
    } else {
        s.ink
    };
    let secondary = if selected {
        over.unwrap_or(s.secondary)
    } else {
        s.secondary
    };
    let (ax, ay) = (s.avatar_x + s.avatar / 2.0, y + h / 2.0);
    let title = match &chat.avatar {
        Some(headline) => {
            b.items.extend(headline_avatar_as(
                cx,
                headline,
                (ax, ay),
                s.avatar,
                Color::TRANSPARENT,
                s.no_photo,
            ));
            headline.title.clone()
        }
        None => {
            let r = s.avatar / 2.0;
            b.push(Item::fill(
                Shape::Circle { cx: ax, cy: ay, r },
                s.placeholder.0,
            ));
            let icon = s.avatar * 0.56;
            b.push(Item::Icon {
                icon: Icon::Communities,
                rect: Rect::new(ax - icon / 2.0, ay - icon / 2.0, icon, icon),
                color: s.placeholder.1,
            });
            chat.title.clone()
        }
    };
    let unread = chat.unread > 0;
    let time_ink = if unread && !selected {
        s.unread_time
    } else {
        secondary
    };
    let when = cx.line(
        &chat.time,
        &TextStyle::new(s.font, s.time_size, s.time_size + 4.0, 400, time_ink),
    );
    let time_x = if s.inline {
        w - s.right_pad
    } else {
        w - s.right_pad - when.width
    };
    let (size, line, weight) = s.name;
    let weight = if unread && s.inline { 700 } else { weight };
    let name = cx.line_within(
        &title,
        &TextStyle::new(s.font, size, line, weight, ink),
        time_x - s.text_x - 8.0,
    );
    let name_mid = y + s.name_top + name.height / 2.0;
    b.push(Item::text(s.text_x, y + s.name_top, name));
    if !s.inline {
        b.push(Item::text(time_x, name_mid - when.height / 2.0, when));
    }

    let mut px = s.text_x;
    let preview_style = TextStyle::new(s.font, s.preview.0, s.preview.1, 400, secondary);
    if let (Some(read), Some((read_ink, sent_ink))) = (chat.ticks, s.ticks) {
        let tick = if selected {
            over.unwrap_or(sent_ink)
        } else if read {
            read_ink
        } else {
            sent_ink
        };
        b.push(Item::Icon {
            icon: Icon::CheckDouble,
            rect: Rect::new(px, y + s.preview_top + s.preview.1 / 2.0 - 5.5, 18.0, 11.0),
            color: tick,
        });
        px += 21.0;
    }
    let room = w - s.right_pad - px - if unread { 32.0 } else { 0.0 };
    if s.inline {
        // "preview · time": the preview gives way, the time stays whole.
        let preview_style = if unread {
            TextStyle::new(s.font, s.preview.0, s.preview.1, 600, ink)
        } else {
            preview_style
        };
        let tail = cx.line(&format!(" · {}", chat.time), &preview_style);
        let text = cx.line_within(&chat.preview, &preview_style, room - tail.width);
        let tail_x = px + text.width;
        b.push(Item::text(px, y + s.preview_top, text));
        b.push(Item::text(tail_x, y + s.preview_top, tail));
        if unread {
            let cy = y + h / 2.0;
            b.push(Item::fill(
                Shape::Circle {
                    cx: w - s.right_pad - 6.0,
                    cy,
                    r: 6.0,
                },
                s.badge,
            ));
        }
    } else {
        let preview = cx.line_within(&chat.preview, &preview_style, room);
        b.push(Item::text(px, y + s.preview_top, preview));
    }
    if unread && !s.inline {
        let count = cx.line(
            &chat.unread.to_string(),
            &TextStyle::new(s.font, 12.0, 16.0, 600, s.badge_ink),
        );
        let bw = (count.width + 10.0).max(20.0);
        let cy = y + s.preview_top + s.preview.1 / 2.0;
        let badge = Rect::new(w - s.right_pad - bw, cy - 10.0, bw, 20.0);
        b.push(Item::fill(Shape::RoundRect(badge, 10.0), s.badge));
        b.push(Item::text(
            badge.center_x() - count.width / 2.0,
            badge.center_y() - count.height / 2.0,
            count,
        ));
    }
    if let Some(line) = s.divider
        && !selected
    {
        b.push(Item::rect(
            Rect::new(s.text_x, y + h - 1.0, w - s.text_x, 1.0),
            line,
        ));
    }
    y + h
}

/// The current chat, selected, then placeholders down to `bottom`.
pub(crate) fn rows(
    cx: &mut Cx<'_>,
    b: &mut Block,
    mut y: f32,
    bottom: f32,
    current: &Chat,
    s: &RowStyle,
) {
    y = row(cx, b, y, current, s, true);
    let fit = ((bottom - y) / s.height).ceil().max(0.0) as usize;
    for chat in others(cx, fit, s) {
        y = row(cx, b, y, &chat, s, false);
    }
}

/// Other chats: groups and topics, never a person's name.
struct Placeholder {
    name: &'static str,
    preview: &'static str,
    days_ago: u32,
    unread: u32,
    mine: bool,
}

const PLACEHOLDERS: [Placeholder; 10] = [
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
    Placeholder {
        name: "Climbing gym",
        preview: "New routes are up on the east wall",
        days_ago: 31,
        unread: 0,
        mine: false,
    },
    Placeholder {
        name: "Garden share",
        preview: "Tomatoes are ready to pick 🍅",
        days_ago: 40,
        unread: 0,
        mine: false,
    },
];
