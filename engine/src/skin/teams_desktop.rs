//! Microsoft Teams (new Teams, 2.x) for `mobileView: false`: the title bar with
//! search across the window, the app bar (Chat selected), the chat list (the
//! current chat selected), and the conversation with its tabs, the flat bubbles
//! on the grey canvas and the composer with its brand underline. Colours are
//! Fluent 2's Teams tokens; the frame's greys are estimated.

use super::Chrome;
use super::bubble::{BubbleChat, Design, Fill};
use super::parts::chat_list::{self, RowStyle};
use super::parts::{self, headline};
use super::teams::{self, AVAILABLE, BRAND, BRAND_DARK};
use crate::icons::Icon;
use crate::layout::window::{Column, Window};
use crate::layout::{Block, Cx};
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;

#[derive(Debug, Clone, Copy)]
struct Tokens {
    frame: Color,
    search: Color,
    list: Color,
    selected: Color,
    canvas: Color,
    header: Color,
    ink: Color,
    secondary: Color,
    rule: Color,
    brand: Color,
    received: Color,
    sent: Color,
    /// Colours of people without a photo.
    people: &'static [(Color, Color, Color)],
}

const LIGHT: Tokens = Tokens {
    frame: Color::hex(0xEBEBEB),
    search: Color::hex(0xFFFFFF),
    list: Color::hex(0xF5F5F5),
    selected: Color::hex(0xFFFFFF),
    canvas: Color::hex(0xF5F5F5),
    header: Color::hex(0xFFFFFF),
    ink: Color::hex(0x242424),
    secondary: Color::hex(0x616161),
    rule: Color::hex(0xE0E0E0),
    brand: BRAND,
    received: Color::hex(0xFFFFFF),
    sent: Color::hex(0xE8EBFA),
    people: &PEOPLE,
};

const DARK: Tokens = Tokens {
    frame: Color::hex(0x0A0A0A),
    search: Color::hex(0x292929),
    list: Color::hex(0x1F1F1F),
    selected: Color::hex(0x2E2E2E),
    canvas: Color::hex(0x1F1F1F),
    header: Color::hex(0x292929),
    ink: Color::hex(0xFFFFFF),
    secondary: Color::hex(0xADADAD),
    rule: Color::hex(0x3D3D3D),
    brand: BRAND_DARK,
    received: Color::hex(0x292929),
    sent: Color::hex(0x2F2F4A),
    people: &PEOPLE_DARK,
};

const TITLE: f32 = 48.0;
const APP_BAR: f32 = 68.0;
const LIST: f32 = 320.0;
const HEADER: f32 = 56.0;

/// Avatars of people without a photo, picked by name: Fluent's "colorful" avatars,
/// a pastel tint with the initials in a dark shade of the same hue (estimated).
const PEOPLE: [(Color, Color, Color); 8] = [
    (
        Color::hex(0xF6D1D5),
        Color::hex(0xF6D1D5),
        Color::hex(0x750B1C),
    ),
    (
        Color::hex(0xFDCFB4),
        Color::hex(0xFDCFB4),
        Color::hex(0x8A3707),
    ),
    (
        Color::hex(0xF9E2AE),
        Color::hex(0xF9E2AE),
        Color::hex(0x6D5700),
    ),
    (
        Color::hex(0xCAEAD8),
        Color::hex(0xCAEAD8),
        Color::hex(0x0B5A08),
    ),
    (
        Color::hex(0xA6E9ED),
        Color::hex(0xA6E9ED),
        Color::hex(0x00666D),
    ),
    (
        Color::hex(0xC7DCF5),
        Color::hex(0xC7DCF5),
        Color::hex(0x004377),
    ),
    (
        Color::hex(0xE1D3F0),
        Color::hex(0xE1D3F0),
        Color::hex(0x47158B),
    ),
    (
        Color::hex(0xF7C0E3),
        Color::hex(0xF7C0E3),
        Color::hex(0x80215D),
    ),
];

/// The same in the dark theme: the dark shade behind initials in the tint.
const PEOPLE_DARK: [(Color, Color, Color); 8] = {
    let mut dark = PEOPLE;
    let mut i = 0;
    while i < dark.len() {
        let (tint, _, shade) = PEOPLE[i];
        dark[i] = (shade, shade, tint);
        i += 1;
    }
    dark
};

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let t = if dark { DARK } else { LIGHT };
    let mobile = teams::design(dark);
    let design = Design {
        page: t.canvas,
        received: Fill::Solid(t.received),
        sent: Fill::Solid(t.sent),
        text_size: 14.0,
        line_height: 20.0,
        // Others' avatars at 20, their bubbles from 60; the column is centred.
        side_margin: 60.0,
        max_width: 0.7,
        ..mobile
    };
    BubbleChat {
        design,
        chrome: Box::new(Desktop { t }),
    }
}

struct Desktop {
    t: Tokens,
}

impl Chrome<Design> for Desktop {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block {
        let t = &self.t;
        let w = cx.width;
        let mut b = Block::new(top + HEADER);
        b.push(Item::rect(Rect::new(0.0, 0.0, w, b.height), t.header));
        b.push(Item::rect(Rect::new(0.0, b.height - 1.0, w, 1.0), t.rule));
        let mid = top + HEADER / 2.0;
        let h = headline(cx.props());
        b.items.extend(parts::headline_avatar_as(
            cx,
            &h,
            (20.0 + 16.0, mid),
            32.0,
            t.header,
            parts::NoPhoto::Palette(t.people),
        ));
        if !h.group {
            parts::presence_dot(
                &mut b,
                (20.0 + 28.0, mid + 12.0),
                (4.5, 1.5),
                (t.header, AVAILABLE),
            );
        }
        let title = cx.line_within(
            &h.title,
            &TextStyle::new(d.font, 18.0, 24.0, 700, t.ink),
            w - 560.0,
        );
        let mut x = 64.0;
        b.push(Item::text(x, mid - title.height / 2.0, title.clone()));
        x += title.width + 24.0;
        for (i, tab) in ["Chat", "Shared", "+"].into_iter().enumerate() {
            let weight = if i == 0 { 600 } else { 400 };
            let ink = if i == 0 { t.ink } else { t.secondary };
            let l = cx.line(tab, &TextStyle::new(d.font, 14.0, 20.0, weight, ink));
            b.push(Item::text(x, mid - l.height / 2.0, l.clone()));
            if i == 0 {
                b.push(Item::fill(
                    Shape::RoundRect(Rect::new(x, b.height - 3.0, l.width, 3.0), 1.5),
                    t.brand,
                ));
            }
            x += l.width + 20.0;
        }
        // The video split button in the brand colour, then phone, people, more.
        let video = Rect::new(w - 216.0, mid - 16.0, 64.0, 32.0);
        b.push(Item::fill(Shape::RoundRect(video, 4.0), t.brand));
        b.push(Item::Icon {
            icon: Icon::Video,
            rect: Rect::new(video.x + 12.0, mid - 7.0, 21.0, 14.0),
            color: Color::WHITE,
        });
        b.push(Item::rect(
            Rect::new(video.x + 42.0, video.y + 6.0, 1.0, 20.0),
            Color::WHITE.fade(0.5),
        ));
        // The split button's menu: a small down arrow right of the divider.
        let mut pb = tiny_skia::PathBuilder::new();
        let (ax, ay) = (video.x + 53.0, mid - 1.5);
        pb.move_to(ax - 4.0, ay);
        pb.line_to(ax + 4.0, ay);
        pb.line_to(ax, ay + 4.0);
        pb.close();
        if let Some(path) = pb.finish() {
            b.push(Item::fill(Shape::path(path), Color::WHITE));
        }
        parts::icons_at(
            &mut b,
            &[
                (Icon::Phone, w - 120.0, (18.0, 18.0)),
                (Icon::Communities, w - 80.0, (22.0, 22.0)),
                (Icon::More, w - 36.0, (16.0, 4.0)),
            ],
            mid,
            t.ink,
        );
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let t = &self.t;
        let w = cx.width;
        let (fx, fw) = (20.0, w - 40.0);
        let style = TextStyle::new(d.font, 14.0, 20.0, 400, t.ink);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, fw, fw - 180.0),
            (44.0, 8.0, 16.0),
            t.canvas,
            None,
        );
        let (field, cy) = (c.field, c.cy);
        c.field_box(Some(t.search), None, 4.0);
        c.push(Item::fill(
            Shape::RoundRect(Rect::new(field.x, field.bottom() - 2.0, field.w, 2.0), 1.0),
            t.brand,
        ));
        c.icon_row(
            &[
                (Icon::SmileyOutline, 20.0, 20.0),
                (Icon::Paperclip, 20.0, 20.0),
                (Icon::PlusOutline, 20.0, 20.0),
            ],
            (field.right() - 156.0, 36.0, 28.0),
            t.secondary,
        );
        c.push(Item::Icon {
            icon: Icon::Send,
            rect: Rect::new(field.right() - 36.0, cy - 10.0, 20.0, 20.0),
            color: t.brand,
        });
        if c.draft.is_some() {
            c.draw_draft((fx + 12.0, field.y + 12.0), 4.0, t.ink);
        } else {
            let hint = cx.line("Type a message", &style.color(t.secondary));
            c.push(Item::text(fx + 12.0, cy - hint.height / 2.0, hint));
        }
        c.finish()
    }

    fn window(&self, cx: &mut Cx<'_>, d: &Design) -> Option<Window> {
        Some(Window {
            top: Some(self.title_bar(cx, d)),
            left: vec![self.app_bar(cx, d), self.chat_list(cx, d)],
            right: Vec::new(),
            card: None,
        })
    }
}

impl Desktop {
    /// Across the window: history arrows, the search box in the middle, more,
    /// and the user's avatar with its presence.
    fn title_bar(&self, cx: &mut Cx<'_>, d: &Design) -> Block {
        let t = &self.t;
        let w = crate::device::desktop::SCREEN.0;
        let mut b = Block::new(TITLE);
        b.push(Item::rect(Rect::new(0.0, 0.0, w, TITLE), t.frame));
        let mid = TITLE / 2.0;
        for (i, icon) in [Icon::ArrowLeft, Icon::ArrowRight].into_iter().enumerate() {
            b.push(Item::Icon {
                icon,
                rect: Rect::new(84.0 + i as f32 * 32.0, mid - 8.0, 16.0, 16.0),
                color: t.secondary,
            });
        }
        let search = Rect::new((w - 560.0) / 2.0, mid - 16.0, 560.0, 32.0);
        b.push(Item::fill(Shape::RoundRect(search, 4.0), t.search));
        b.push(Item::Icon {
            icon: Icon::Search,
            rect: Rect::new(search.x + 12.0, mid - 8.0, 16.0, 16.0),
            color: t.secondary,
        });
        let hint = cx.line(
            "Search",
            &TextStyle::new(d.font, 14.0, 20.0, 400, t.secondary),
        );
        b.push(Item::text(search.x + 36.0, mid - hint.height / 2.0, hint));
        b.push(Item::Icon {
            icon: Icon::More,
            rect: Rect::new(w - 88.0, mid - 2.0, 16.0, 4.0),
            color: t.ink,
        });
        let me = cx.props().sender.clone();
        b.items.extend(parts::avatar(cx, &me, w - 36.0, mid, 32.0));
        parts::presence_dot(
            &mut b,
            (w - 36.0 + 12.0, mid + 12.0),
            (4.5, 1.5),
            (t.frame, AVAILABLE),
        );
        b
    }

    /// The app bar: Activity, Chat (selected: brand icon and bar), Teams, Calls,
    /// more; Apps at the bottom.
    fn app_bar(&self, cx: &mut Cx<'_>, d: &Design) -> Column {
        let t = &self.t;
        let mut b = Block::new(cx.height);
        let x = APP_BAR / 2.0;
        let items = [
            (Icon::Bell, "Activity"),
            (Icon::Chats, "Chat"),
            (Icon::Communities, "Teams"),
            (Icon::Phone, "Calls"),
            (Icon::More, ""),
        ];
        for (i, (icon, label)) in items.into_iter().enumerate() {
            let y = 8.0 + i as f32 * 56.0;
            let selected = label == "Chat";
            let ink = if selected { t.brand } else { t.secondary };
            if selected {
                b.push(Item::fill(
                    Shape::RoundRect(Rect::new(0.0, y + 8.0, 3.0, 40.0), 1.5),
                    t.brand,
                ));
            }
            let (iw, ih) = if icon == Icon::More {
                (16.0, 4.0)
            } else {
                (22.0, 22.0)
            };
            let iy = if label.is_empty() { y + 26.0 } else { y + 10.0 };
            b.push(Item::Icon {
                icon,
                rect: Rect::new(x - iw / 2.0, iy + (22.0 - ih) / 2.0, iw, ih),
                color: ink,
            });
            if !label.is_empty() {
                let weight = if selected { 600 } else { 400 };
                let l = cx.line(label, &TextStyle::new(d.font, 10.0, 14.0, weight, ink));
                b.push(Item::text(x - l.width / 2.0, y + 36.0, l));
            }
        }
        let mut foot = Block::new(64.0);
        foot.push(Item::Icon {
            icon: Icon::Apps,
            rect: Rect::new(x - 11.0, 10.0, 22.0, 22.0),
            color: t.secondary,
        });
        let l = cx.line(
            "Apps",
            &TextStyle::new(d.font, 10.0, 14.0, 400, t.secondary),
        );
        foot.push(Item::text(x - l.width / 2.0, 36.0, l));
        Column {
            width: APP_BAR,
            fill: t.frame,
            top: b,
            bottom: Some(foot),
            edge: None,
        }
    }

    /// The chat list: "Chat" with its buttons, "Recent", the current chat selected,
    /// and group chats that name no one.
    fn chat_list(&self, cx: &mut Cx<'_>, d: &Design) -> Column {
        let t = &self.t;
        let mut b = Block::new(cx.height);
        let title = cx.line("Chat", &TextStyle::new(d.font, 18.0, 24.0, 700, t.ink));
        b.push(Item::text(20.0, 24.0 - title.height / 2.0, title));
        parts::icons_at(
            &mut b,
            &[
                (Icon::More, LIST - 84.0, (16.0, 4.0)),
                (Icon::Compose, LIST - 40.0, (20.0, 20.0)),
            ],
            24.0,
            t.ink,
        );
        let recent = cx.line(
            "Recent",
            &TextStyle::new(d.font, 12.0, 16.0, 600, t.secondary),
        );
        b.push(Item::text(20.0, 56.0, recent));
        let style = RowStyle {
            font: d.font,
            width: LIST,
            height: 52.0,
            avatar: 32.0,
            avatar_x: 20.0,
            text_x: 64.0,
            right_pad: 20.0,
            name: (14.0, 20.0, 400),
            name_top: 7.0,
            preview: (12.0, 16.0),
            preview_top: 27.0,
            time_size: 12.0,
            ink: t.ink,
            secondary: t.secondary,
            unread_time: t.ink,
            badge: t.brand,
            badge_ink: Color::WHITE,
            selected: (t.selected, 4.0, 8.0, None),
            divider: None,
            ticks: None,
            placeholder: (t.rule, t.secondary),
            no_photo: parts::NoPhoto::Palette(t.people),
            day,
            inline: false,
        };
        let mut current = chat_list::current(cx, true);
        current.unread = 0;
        let bottom = b.height;
        chat_list::rows(cx, &mut b, 80.0, bottom, &current, &style);
        Column {
            width: LIST,
            fill: t.list,
            top: b,
            bottom: None,
            edge: Some(t.rule),
        }
    }
}

/// Teams's list dates: `Yesterday`, a weekday, then `11/24`.
fn day(rel: crate::time::RelativeDay, date: chrono::NaiveDate, _ago: u32) -> String {
    use crate::time::RelativeDay;
    use chrono::Datelike;
    match rel {
        RelativeDay::Today => String::new(),
        RelativeDay::Yesterday => "Yesterday".to_owned(),
        RelativeDay::ThisWeek(wd) => crate::time::short(crate::time::weekday_name(wd)).to_owned(),
        _ => format!("{}/{}", date.month(), date.day()),
    }
}
