//! Telegram Desktop for `mobileView: false`: the dialogs column (menu, search, the
//! current chat selected in blue) and the chat with its header, the desktop bubble
//! geometry (radius 16, 6 where a run joins, tails on a run's last bubble, at most
//! 430 points wide, the column centred in a wide window) and the full-width
//! composer. Colours from tdesktop's palettes (Day, and Night estimated).

use super::bubble::{BubbleChat, Design, Pad};
use super::parts::chat_list::{self, RowStyle};
use super::parts::{self, headline};
use super::{Chrome, Wallpaper, telegram};
use crate::icons::Icon;
use crate::layout::window::{Column, Window};
use crate::layout::{Block, Cx};
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;
use crate::time::{self, RelativeDay};

#[derive(Debug, Clone, Copy)]
struct Tokens {
    window: Color,
    active: Color,
    name: Color,
    secondary: Color,
    online: Color,
    badge: Color,
    search: Color,
    icon: Color,
    hairline: Color,
    ticks: Color,
    placeholder: (Color, Color),
}

const DAY: Tokens = Tokens {
    window: Color::hex(0xFFFFFF),
    active: Color::hex(0x419FD9),
    name: Color::hex(0x222222),
    secondary: Color::hex(0x999999),
    online: Color::hex(0x168ACD),
    badge: Color::hex(0x40A7E3),
    search: Color::hex(0xF1F1F1),
    icon: Color::hex(0x999999),
    hairline: Color::hex(0xE7E7E7),
    ticks: Color::hex(0x5DC452),
    placeholder: (Color::hex(0x8FBBE0), Color::hex(0xFFFFFF)),
};

const NIGHT: Tokens = Tokens {
    window: Color::hex(0x17212B),
    active: Color::hex(0x2B5278),
    name: Color::hex(0xF5F5F5),
    secondary: Color::hex(0x6D7F8F),
    online: Color::hex(0x6AB3F3),
    badge: Color::hex(0x5288C1),
    search: Color::hex(0x242F3D),
    icon: Color::hex(0x6D7F8F),
    hairline: Color::hex(0x0E1621),
    ticks: Color::hex(0x7DA8D3),
    placeholder: (Color::hex(0x3E6A94), Color::hex(0xDCE8F3)),
};

/// The dialogs column at 1280 points (tdesktop: 260–540, resizable).
const DIALOGS: f32 = 320.0;
const HEADER: f32 = 54.0;
/// Messages are at most this wide; the column they sit in is centred.
const MAX_BUBBLE: f32 = 430.0;
const COLUMN: f32 = 640.0;

/// Userpic colours of people without a photo, picked by name: tdesktop's seven
/// peer gradients (historyPeer1–7UserpicBg to Bg2), white initials.
const PEERS: [(Color, Color, Color); 7] = [
    (Color::hex(0xFF885E), Color::hex(0xFF516A), Color::WHITE),
    (Color::hex(0xFFCD6A), Color::hex(0xFFA85C), Color::WHITE),
    (Color::hex(0x82B1FF), Color::hex(0x665FFF), Color::WHITE),
    (Color::hex(0xA0DE7E), Color::hex(0x54CB68), Color::WHITE),
    (Color::hex(0x53EDD6), Color::hex(0x28C9B7), Color::WHITE),
    (Color::hex(0x72D5FD), Color::hex(0x2A9EF1), Color::WHITE),
    (Color::hex(0xE0A2F3), Color::hex(0xD669ED), Color::WHITE),
];

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let (mobile, doodle, gradient) = telegram::design(dark);
    let pane = crate::device::desktop::SCREEN.0 - DIALOGS;
    let design = Design {
        text_size: 14.0,
        line_height: 19.0,
        meta_size: 12.0,
        radius: 16.0,
        joined_radius: 6.0,
        pad: Pad {
            top: 8.0,
            side: 11.0,
            bottom: 8.0,
        },
        max_width: MAX_BUBBLE / pane,
        side_margin: ((pane - COLUMN) / 2.0).max(16.0),
        avatar_size: 33.0,
        photo_width: 360.0,
        ..mobile
    };
    BubbleChat {
        design,
        chrome: Box::new(Desktop {
            t: if dark { NIGHT } else { DAY },
            doodle,
            gradient,
        }),
    }
}

struct Desktop {
    t: Tokens,
    doodle: Color,
    gradient: (Color, Color),
}

impl Chrome<Design> for Desktop {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block {
        let t = &self.t;
        let w = cx.width;
        let mut b = Block::new(top + HEADER);
        b.push(Item::rect(Rect::new(0.0, 0.0, w, b.height), t.window));
        b.push(Item::rect(
            Rect::new(0.0, b.height - 1.0, w, 1.0),
            t.hairline,
        ));
        let mid = top + HEADER / 2.0;
        let h = headline(cx.props());
        let (status, ink) = if h.group {
            (format!("{} members", h.members.len() + 1), t.secondary)
        } else {
            ("online".to_owned(), t.online)
        };
        let title = cx.line_within(
            &h.title,
            &TextStyle::new(d.font, 15.0, 19.0, 600, t.name),
            w - 260.0,
        );
        let sub = cx.line(&status, &TextStyle::new(d.font, 13.0, 17.0, 400, ink));
        let y = mid - (title.height + sub.height) / 2.0;
        b.push(Item::text(20.0, y, title.clone()));
        b.push(Item::text(20.0, y + title.height, sub));
        parts::icons_at(
            &mut b,
            &[
                (Icon::Search, w - 156.0, (20.0, 20.0)),
                (Icon::Phone, w - 112.0, (20.0, 20.0)),
                (Icon::Info, w - 68.0, (21.0, 21.0)),
                (Icon::MoreVertical, w - 26.0, (5.0, 20.0)),
            ],
            mid,
            t.icon,
        );
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let t = &self.t;
        let w = cx.width;
        let fx = 52.0;
        let fw = w - fx - 96.0;
        let style = TextStyle::new(d.font, 14.0, 19.0, 400, t.name);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, fw, fw),
            (46.0, 0.0, 0.0),
            t.window,
            Some(t.hairline),
        );
        let (field, cy) = (c.field, c.cy);
        c.push(Item::Icon {
            icon: Icon::Paperclip,
            rect: Rect::new(16.0, cy - 12.0, 24.0, 24.0),
            color: t.icon,
        });
        c.push(Item::Icon {
            icon: Icon::SmileyOutline,
            rect: Rect::new(w - 86.0, cy - 11.0, 22.0, 22.0),
            color: t.icon,
        });
        if c.draft.is_some() {
            c.draw_draft((fx, field.y + 13.5), 0.0, d.accent);
            c.push(Item::Icon {
                icon: Icon::Send,
                rect: Rect::new(w - 42.0, cy - 11.0, 22.0, 22.0),
                color: d.accent,
            });
        } else {
            let hint = cx.line("Write a message...", &style.color(t.secondary));
            c.push(Item::text(fx, cy - hint.height / 2.0, hint));
            c.push(Item::Icon {
                icon: Icon::Mic,
                rect: Rect::new(w - 38.0, cy - 12.0, 15.0, 24.0),
                color: t.icon,
            });
        }
        c.finish()
    }

    fn wallpaper(&self, cx: &mut Cx<'_>, _d: &Design) -> Option<Wallpaper> {
        parts::doodle_wallpaper(cx, self.doodle, Some(self.gradient))
    }

    fn window(&self, cx: &mut Cx<'_>, d: &Design) -> Option<Window> {
        let t = &self.t;
        let mut b = Block::new(cx.height);
        b.push(Item::Icon {
            icon: Icon::Menu,
            rect: Rect::new(18.0, HEADER / 2.0 - 8.0, 20.0, 16.0),
            color: t.icon,
        });
        let search = Rect::new(56.0, HEADER / 2.0 - 17.0, DIALOGS - 56.0 - 12.0, 34.0);
        b.push(Item::fill(Shape::RoundRect(search, 17.0), t.search));
        let hint = cx.line(
            "Search",
            &TextStyle::new(d.font, 14.0, 18.0, 400, t.secondary),
        );
        b.push(Item::text(
            search.x + 14.0,
            search.center_y() - hint.height / 2.0,
            hint,
        ));
        let style = RowStyle {
            font: d.font,
            width: DIALOGS,
            height: 62.0,
            avatar: 46.0,
            avatar_x: 10.0,
            text_x: 68.0,
            right_pad: 10.0,
            name: (14.0, 18.0, 600),
            name_top: 10.0,
            preview: (14.0, 18.0),
            preview_top: 33.0,
            time_size: 12.5,
            ink: t.name,
            secondary: t.secondary,
            unread_time: t.secondary,
            badge: t.badge,
            badge_ink: Color::WHITE,
            selected: (t.active, 0.0, 0.0, Some(Color::WHITE)),
            divider: None,
            ticks: Some((t.ticks, t.ticks)),
            placeholder: t.placeholder,
            no_photo: parts::NoPhoto::Palette(&PEERS),
            day,
            inline: false,
        };
        let current = chat_list::current(cx, false);
        let bottom = b.height;
        chat_list::rows(cx, &mut b, HEADER, bottom, &current, &style);
        Some(Window {
            top: None,
            left: vec![Column {
                width: DIALOGS,
                fill: t.window,
                top: b,
                bottom: None,
                edge: Some(t.hairline),
            }],
            right: Vec::new(),
            card: None,
        })
    }
}

/// tdesktop's dates: a short weekday within the week, then `11/24/25`.
fn day(rel: RelativeDay, date: chrono::NaiveDate, _ago: u32) -> String {
    use chrono::Datelike;
    match rel {
        RelativeDay::Today => String::new(),
        RelativeDay::Yesterday => time::short(time::weekday_name(date.weekday())).to_owned(),
        RelativeDay::ThisWeek(wd) => time::short(time::weekday_name(wd)).to_owned(),
        _ => format!("{}/{}/{:02}", date.month(), date.day(), date.year() % 100),
    }
}
