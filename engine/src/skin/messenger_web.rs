//! messenger.com for `mobileView: false`: the chat list (title with round buttons,
//! search, Inbox/Communities, the current chat selected), the conversation with the
//! web header and composer, and the info panel (avatar, name, buttons, sections).
//! Bubbles follow the mobile skin (gradient, radii); the page colours are
//! Facebook's web neutrals (estimated: no source was read).

use super::bubble::{BubbleChat, Design, Pad, Reactions};
use super::parts::chat_list::{self, RowStyle};
use super::parts::{self, headline};
use super::{Chrome, messenger};
use crate::icons::Icon;
use crate::layout::window::{Column, Window};
use crate::layout::{Block, Cx};
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;
use crate::time::RelativeDay;

#[derive(Debug, Clone, Copy)]
struct Tokens {
    panel: Color,
    field: Color,
    ink: Color,
    secondary: Color,
    rule: Color,
    tab: Color,
    tab_ink: Color,
    active: Color,
    placeholder: (Color, Color),
}

const LIGHT: Tokens = Tokens {
    panel: Color::hex(0xFFFFFF),
    field: Color::hex(0xF0F2F5),
    ink: Color::hex(0x050505),
    secondary: Color::hex(0x65676B),
    rule: Color::hex(0xE4E6EB),
    tab: Color::hex(0xEBF5FF),
    tab_ink: Color::hex(0x0866FF),
    active: Color::hex(0x31A24C),
    placeholder: (Color::hex(0xE4E6EB), Color::hex(0xFFFFFF)),
};

const DARK: Tokens = Tokens {
    panel: Color::hex(0x242526),
    field: Color::hex(0x3A3B3C),
    ink: Color::hex(0xE4E6EB),
    secondary: Color::hex(0xB0B3B8),
    rule: Color::hex(0x3E4042),
    tab: Color::hex(0x263951),
    tab_ink: Color::hex(0x4599FF),
    active: Color::hex(0x31A24C),
    placeholder: (Color::hex(0x4E4F50), Color::hex(0xE4E6EB)),
};

const LIST: f32 = 360.0;
const INFO: f32 = 320.0;
const HEADER: f32 = 56.0;

pub(crate) fn skin(dark: bool) -> BubbleChat {
    let t = if dark { DARK } else { LIGHT };
    let mobile = messenger::design(dark);
    let design = Design {
        text_size: 15.0,
        line_height: 20.0,
        tracking: 0.0,
        pad: Pad {
            top: 8.0,
            side: 12.0,
            bottom: 8.0,
        },
        max_width: 0.6,
        page: t.panel,
        photo_width: 300.0,
        // Reaction pills are ringed in the page's colour, lighter than the phone's.
        reactions: match mobile.reactions {
            Reactions::Below { fill, inward, .. } => Reactions::Below {
                fill,
                ring: t.panel,
                inward,
            },
            other => other,
        },
        ..mobile
    };
    BubbleChat {
        design,
        chrome: Box::new(Web { t }),
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
        b.push(Item::rect(Rect::new(0.0, 0.0, w, b.height), t.panel));
        b.push(Item::rect(Rect::new(0.0, b.height - 1.0, w, 1.0), t.rule));
        let mid = top + HEADER / 2.0;
        let h = headline(cx.props());
        let status = if h.group {
            format!("{} members", h.members.len() + 1)
        } else {
            "Active now".to_owned()
        };
        parts::left_title(
            cx,
            &mut b,
            &h,
            (16.0, mid),
            (
                40.0,
                parts::NoPhoto::Silhouette {
                    fill: t.placeholder.0,
                    ink: t.placeholder.1,
                },
            ),
            (
                &TextStyle::new(d.font, 15.0, 20.0, 600, t.ink),
                &status,
                &TextStyle::new(d.font, 12.0, 16.0, 400, t.secondary),
            ),
            w - 240.0,
        );
        if !h.group {
            active_dot(&mut b, (16.0 + 40.0 - 5.0, mid + 15.0), t);
        }
        parts::icons_at(
            &mut b,
            &[
                (Icon::Phone, w - 124.0, (20.0, 20.0)),
                (Icon::Video, w - 80.0, (25.0, 17.0)),
                (Icon::Info, w - 36.0, (22.0, 22.0)),
            ],
            mid,
            d.accent,
        );
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block {
        let t = &self.t;
        let w = cx.width;
        let fx = 124.0;
        let fw = w - fx - 56.0;
        let style = TextStyle::new(d.font, 15.0, 20.0, 400, t.ink);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, fw, fw - 44.0),
            (36.0, 12.0, 12.0),
            t.panel,
            None,
        );
        let (field, cy) = (c.field, c.cy);
        c.icon_row(
            &[
                (Icon::PlusCircle, 22.0, 22.0),
                (Icon::Photo, 22.0, 22.0),
                (Icon::Sticker, 22.0, 22.0),
            ],
            (12.0, 34.0, 24.0),
            d.accent,
        );
        c.field_box(Some(t.field), None, 18.0);
        c.push(Item::Icon {
            icon: Icon::Smiley,
            rect: Rect::new(field.right() - 32.0, cy - 11.0, 22.0, 22.0),
            color: d.accent,
        });
        let end = if c.draft.is_some() {
            c.draw_draft((fx + 14.0, field.y + 8.0), 18.0, d.accent);
            Icon::Send
        } else {
            let hint = cx.line("Aa", &style.color(t.secondary));
            c.push(Item::text(fx + 14.0, cy - hint.height / 2.0, hint));
            Icon::ThumbsUp
        };
        c.push(Item::Icon {
            icon: end,
            rect: Rect::new(w - 40.0, cy - 12.0, 24.0, 24.0),
            color: d.accent,
        });
        c.finish()
    }

    fn window(&self, cx: &mut Cx<'_>, d: &Design) -> Option<Window> {
        Some(Window {
            top: None,
            left: vec![self.chat_list(cx, d)],
            right: vec![self.info_panel(cx, d)],
            card: None,
        })
    }
}

/// The green "active" dot on an avatar, ringed in the panel's colour.
fn active_dot(b: &mut Block, (x, y): (f32, f32), t: &Tokens) {
    b.push(Item::fill(
        Shape::Circle {
            cx: x,
            cy: y,
            r: 7.0,
        },
        t.panel,
    ));
    b.push(Item::fill(
        Shape::Circle {
            cx: x,
            cy: y,
            r: 5.0,
        },
        t.active,
    ));
}

impl Web {
    fn chat_list(&self, cx: &mut Cx<'_>, d: &Design) -> Column {
        let t = &self.t;
        let font = d.font;
        let mut b = Block::new(cx.height);
        let title = cx.line("Chats", &TextStyle::new(font, 24.0, 30.0, 700, t.ink));
        b.push(Item::text(16.0, 28.0 - title.height / 2.0, title));
        for (icon, x, size) in [
            (Icon::More, LIST - 84.0, (16.0, 4.0)),
            (Icon::Compose, LIST - 36.0, (20.0, 20.0)),
        ] {
            b.push(Item::fill(
                Shape::Circle {
                    cx: x,
                    cy: 28.0,
                    r: 18.0,
                },
                t.field,
            ));
            b.push(Item::Icon {
                icon,
                rect: Rect::new(x - size.0 / 2.0, 28.0 - size.1 / 2.0, size.0, size.1),
                color: t.ink,
            });
        }
        let search = Rect::new(16.0, 58.0, LIST - 32.0, 36.0);
        b.push(Item::fill(Shape::RoundRect(search, 18.0), t.field));
        b.push(Item::Icon {
            icon: Icon::Search,
            rect: Rect::new(search.x + 12.0, search.center_y() - 8.0, 16.0, 16.0),
            color: t.secondary,
        });
        let hint = cx.line(
            "Search Messenger",
            &TextStyle::new(font, 15.0, 20.0, 400, t.secondary),
        );
        b.push(Item::text(
            search.x + 38.0,
            search.center_y() - hint.height / 2.0,
            hint,
        ));
        let mut x = 16.0;
        for (i, label) in ["Inbox", "Communities"].into_iter().enumerate() {
            let ink = if i == 0 { t.tab_ink } else { t.secondary };
            let text = cx.line(label, &TextStyle::new(font, 15.0, 20.0, 600, ink));
            let pill = Rect::new(x, 104.0, text.width + 24.0, 36.0);
            if i == 0 {
                b.push(Item::fill(Shape::RoundRect(pill, 18.0), t.tab));
            }
            b.push(Item::text(
                x + 12.0,
                pill.center_y() - text.height / 2.0,
                text,
            ));
            x = pill.right() + 4.0;
        }
        let style = RowStyle {
            font,
            width: LIST,
            height: 68.0,
            avatar: 56.0,
            avatar_x: 16.0,
            text_x: 84.0,
            right_pad: 20.0,
            name: (15.0, 20.0, 500),
            name_top: 13.0,
            preview: (13.0, 18.0),
            preview_top: 35.0,
            time_size: 13.0,
            ink: t.ink,
            secondary: t.secondary,
            unread_time: t.secondary,
            badge: t.tab_ink,
            badge_ink: Color::WHITE,
            selected: (t.field, 8.0, 8.0, None),
            divider: None,
            ticks: None,
            placeholder: t.placeholder,
            no_photo: parts::NoPhoto::Silhouette {
                fill: t.placeholder.0,
                ink: t.placeholder.1,
            },
            day,
            inline: true,
        };
        let mut current = chat_list::current(cx, true);
        current.time = "1m".to_owned();
        let bottom = b.height;
        chat_list::rows(cx, &mut b, 148.0, bottom, &current, &style);
        if !current.avatar.as_ref().is_some_and(|h| h.group) {
            active_dot(&mut b, (16.0 + 56.0 - 7.0, 148.0 + 34.0 + 21.0), t);
        }
        Column {
            width: LIST,
            fill: t.panel,
            top: b,
            bottom: None,
            edge: Some(t.rule),
        }
    }

    /// The info panel: the conversation's avatar and name, buttons, and the
    /// sections the app folds its settings into.
    fn info_panel(&self, cx: &mut Cx<'_>, d: &Design) -> Column {
        let t = &self.t;
        let font = d.font;
        let mut b = Block::new(cx.height);
        let h = headline(cx.props());
        let mid = INFO / 2.0;
        b.items.extend(parts::headline_avatar_as(
            cx,
            &h,
            (mid, 64.0),
            72.0,
            t.panel,
            parts::NoPhoto::Silhouette {
                fill: t.placeholder.0,
                ink: t.placeholder.1,
            },
        ));
        let name = cx.line_within(
            &h.title,
            &TextStyle::new(font, 17.0, 22.0, 700, t.ink),
            INFO - 32.0,
        );
        b.push(Item::text(mid - name.width / 2.0, 110.0, name));
        let status = if h.group { "" } else { "Active now" };
        if !status.is_empty() {
            let s = cx.line(status, &TextStyle::new(font, 13.0, 17.0, 400, t.secondary));
            b.push(Item::text(mid - s.width / 2.0, 134.0, s));
        }
        let buttons: &[(Icon, &str)] = if h.group {
            &[(Icon::Person, "Add"), (Icon::Search, "Search")]
        } else {
            &[(Icon::Person, "Profile"), (Icon::Search, "Search")]
        };
        let step = 88.0;
        let x0 = mid - step * (buttons.len() as f32 - 1.0) / 2.0;
        for (i, (icon, label)) in buttons.iter().enumerate() {
            let x = x0 + i as f32 * step;
            b.push(Item::fill(
                Shape::Circle {
                    cx: x,
                    cy: 182.0,
                    r: 18.0,
                },
                t.field,
            ));
            b.push(Item::Icon {
                icon: *icon,
                rect: Rect::new(x - 9.0, 173.0, 18.0, 18.0),
                color: t.ink,
            });
            let l = cx.line(label, &TextStyle::new(font, 12.0, 16.0, 400, t.ink));
            b.push(Item::text(x - l.width / 2.0, 206.0, l));
        }
        let mut sections = vec!["Chat info", "Customize chat"];
        if h.group {
            sections.push("Chat members");
        }
        sections.extend(["Media, files and links", "Privacy & support"]);
        let mut y = 240.0;
        for label in sections {
            let l = cx.line(label, &TextStyle::new(font, 15.0, 20.0, 600, t.ink));
            b.push(Item::text(16.0, y + 22.0 - l.height / 2.0, l));
            b.push(Item::Icon {
                icon: Icon::ChevronRight,
                rect: Rect::new(INFO - 28.0, y + 15.0, 8.0, 14.0),
                color: t.secondary,
            });
            y += 44.0;
        }
        Column {
            width: INFO,
            fill: t.panel,
            top: b,
            bottom: None,
            edge: Some(t.rule),
        }
    }
}

/// messenger.com's ages: `1d`, `3d`, `2w`.
fn day(_rel: RelativeDay, _date: chrono::NaiveDate, ago: u32) -> String {
    if ago < 7 {
        format!("{}d", ago.max(1))
    } else {
        format!("{}w", ago / 7)
    }
}
