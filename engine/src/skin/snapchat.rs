//! Snapchat (iOS), light and dark: no bubbles and everything on the left. Each run
//! opens with the sender's name in capitals ("ME" for you) in their colour, and its
//! messages hang off a thin bar of that colour; tiny grey capitals date the days;
//! no times, no receipts; "Send a chat". Colours, sizes and strings are Snap's own
//! design tokens and resources as the current app ships them (see the issue's
//! closing note). A layout of its own: it shares the bubble family's parts, not its
//! rows.

use super::parts::{self, Waveform, headline, headline_avatar};
use super::{Motion, Skin, fnv};
use crate::conversation::{Entry, Grouping, Post, SeparatorRule};
use crate::estimate::TextMetrics;
use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::payload::{DeliveryStatus, Message, MessageType, User};
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::{self, Bounds, Span, TextStyle};
use crate::time::{DayFormat, LocalTime};

/// You, always.
const ME: Color = Color::hex(0xF23C57);
/// The friend in a one-to-one chat.
const FRIEND: Color = Color::hex(0x0096E5);
/// Others in groups (never red: red is you).
const MEMBERS: [Color; 6] = [
    Color::hex(0xA05DCD),
    Color::hex(0xFF8A00),
    Color::hex(0x02B790),
    Color::hex(0xD23689),
    Color::hex(0x2B4DD6),
    Color::hex(0xCF7B4C),
];
/// Snapchat's chat blue (the send button).
const CHAT_BLUE: Color = Color::hex(0x0FADFF);

/// Where things sit across the screen: the label and bar at 8, text at 16.
const BAR_X: f32 = 8.0;
const BAR_W: f32 = 2.0;
const TEXT_X: f32 = 16.0;
const RIGHT_PAD: f32 = 8.0;

const DAYS: DayFormat = DayFormat {
    today: "Today",
    yesterday: "Yesterday",
    this_week: "{weekday}",
    this_year: "{month} {day}",
    older: "{month} {day}, {year}",
};

#[derive(Debug, Clone, Copy)]
struct Palette {
    page: Color,
    text: Color,
    secondary: Color,
    tertiary: Color,
    icon: Color,
    icon_muted: Color,
    field: Color,
    button: Color,
    typing: Color,
}

const LIGHT: Palette = Palette {
    page: Color::WHITE,
    text: Color::hex(0x16191C),
    secondary: Color::hex(0x656D78),
    tertiary: Color::hex(0x9A9FA7),
    icon: Color::hex(0x2C3137),
    icon_muted: Color::hex(0x4E565F),
    field: Color::hex(0xF2F2F2),
    button: Color::hex(0xECEFF1),
    typing: Color::hex(0x4C5965),
};

const DARK: Palette = Palette {
    page: Color::hex(0x121212),
    text: Color::hex(0xDEDEDE),
    secondary: Color::hex(0x999999),
    tertiary: Color::hex(0x616161),
    icon: Color::hex(0xDEDEDE),
    icon_muted: Color::hex(0x999999),
    field: Color::hex(0x2A2A2A),
    button: Color::hex(0x2B2B2B),
    typing: Color::hex(0xB0B8C0),
};

/// Snapchat's chat screen.
pub(crate) struct Snapchat {
    p: Palette,
}

pub(crate) fn skin(dark: bool) -> Snapchat {
    Snapchat {
        p: if dark { DARK } else { LIGHT },
    }
}

const HEADER_HEIGHT: f32 = 56.0;
const TEXT_SIZE: f32 = 16.0;
const LINE_HEIGHT: f32 = 21.0;

impl Skin for Snapchat {
    fn grouping(&self) -> Grouping {
        Grouping {
            separators: SeparatorRule::NewDay,
            run_break_minutes: None,
        }
    }

    fn default_status(&self) -> DeliveryStatus {
        DeliveryStatus::Read
    }

    fn page_color(&self) -> Color {
        self.p.page
    }

    fn status_ink(&self) -> Color {
        if self.p.page == Color::WHITE {
            Color::BLACK
        } else {
            Color::WHITE
        }
    }

    fn header(&self, cx: &mut Cx<'_>, status_height: f32) -> Block {
        let p = &self.p;
        let w = cx.width;
        let mut b = Block::new(status_height + HEADER_HEIGHT);
        let all = Rect::new(0.0, 0.0, w, b.height);
        parts::bar(&mut b, all, p.page, None);
        let mid = status_height + HEADER_HEIGHT / 2.0;
        b.push(Item::Icon {
            icon: Icon::BackChevron,
            rect: Rect::new(14.0, mid - 10.5, 12.0, 21.0),
            color: p.icon,
        });
        let h = headline(cx.props());
        let size = 38.0;
        b.items.extend(headline_avatar(
            cx,
            &h,
            (36.0 + size / 2.0, mid),
            size,
            p.page,
        ));
        let name = cx.line_within(
            &h.title,
            &TextStyle::new(Family::Inter, 18.0, 22.0, 700, p.text),
            w - 36.0 - size - 10.0 - 110.0,
        );
        b.push(Item::text(36.0 + size + 10.0, mid - 11.0, name));
        // Phone, then video at the right edge, each in a grey circle.
        for (i, icon) in [Icon::Video, Icon::Phone].into_iter().enumerate() {
            let ccx = w - 12.0 - 18.0 - i as f32 * 44.0;
            b.push(Item::fill(
                Shape::Circle {
                    cx: ccx,
                    cy: mid,
                    r: 18.0,
                },
                p.button,
            ));
            let (iw, ih) = if icon == Icon::Video {
                (21.0, 14.0)
            } else {
                (18.0, 18.0)
            };
            b.push(Item::Icon {
                icon,
                rect: Rect::new(ccx - iw / 2.0, mid - ih / 2.0, iw, ih),
                color: p.icon,
            });
        }
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, draft: Option<&str>) -> Block {
        let p = &self.p;
        let w = cx.width;
        let fx = 56.0;
        let right = if draft.is_some() { 56.0 } else { 84.0 };
        let field_w = w - fx - right;
        let style = TextStyle::new(Family::Inter, TEXT_SIZE, LINE_HEIGHT, 400, p.text);
        let mut c = parts::Composer::new(
            cx,
            &style,
            draft,
            (fx, field_w, field_w - 44.0),
            (40.0, 6.0, 6.0),
            p.page,
            None,
        );
        let (field, cy) = (c.field, c.cy);
        c.push(Item::fill(
            Shape::Circle {
                cx: 8.0 + 20.0,
                cy,
                r: 20.0,
            },
            p.button,
        ));
        c.push(Item::Icon {
            icon: Icon::Camera,
            rect: Rect::new(28.0 - 11.0, cy - 11.0, 22.0, 22.0),
            color: p.icon,
        });
        c.field_box(Some(p.field), None, 20.0);
        if c.draft.is_some() {
            // The cursor is red; a blue send button takes the icons' place.
            c.draw_draft((fx + 14.0, field.y + 9.5), 20.0, ME);
            c.push(Item::fill(
                Shape::Circle {
                    cx: w - 28.0,
                    cy,
                    r: 18.0,
                },
                CHAT_BLUE,
            ));
            c.push(Item::Icon {
                icon: Icon::Send,
                rect: Rect::new(w - 37.0, cy - 9.0, 18.0, 18.0),
                color: Color::WHITE,
            });
        } else {
            let ph = cx.line("Send a chat", &style.color(p.tertiary));
            c.push(Item::text(fx + 14.0, field.y + 9.5, ph));
            c.push(Item::Icon {
                icon: Icon::Mic,
                rect: Rect::new(field.right() - 28.0, cy - 10.0, 13.0, 20.0),
                color: p.icon_muted,
            });
            c.icon_row(
                &[(Icon::SmileyOutline, 26.0, 26.0), (Icon::Photo, 25.0, 25.0)],
                (w - right + 6.0, 38.0, 36.0),
                p.icon_muted,
            );
        }
        c.finish()
    }

    fn motion(&self) -> Motion {
        Motion {
            enter_ms: 240.0,
            rise: 10.0,
            overshoot: 0.04,
            ..Motion::default()
        }
    }

    fn transcript_padding(&self) -> (f32, f32) {
        (6.0, 12.0)
    }

    fn entry(&self, cx: &mut Cx<'_>, entry: &Entry<'_>, prev: Option<&Entry<'_>>) -> Block {
        match entry {
            Entry::Separator { time, .. } => self.date(cx, time, prev.is_some()),
            Entry::Message(s) if s.kind() == MessageType::System => {
                self.caps_line(cx, s.text(), 8.0)
            }
            Entry::Message(s) if s.kind() == MessageType::Typing => self.typing(cx, s),
            Entry::Message(s) => self.message(cx, s, prev),
        }
    }

    fn bare_bottom(&self, _cx: &mut Cx<'_>) -> Block {
        Block::new(16.0)
    }

    fn text_metrics(&self, width: f32) -> TextMetrics {
        TextMetrics {
            size: TEXT_SIZE,
            line_height: LINE_HEIGHT,
            wrap: width - TEXT_X - RIGHT_PAD,
            row: 2.0,
            notice: 8.0 + 14.0,
        }
    }
}

impl Snapchat {
    /// A user's colour: their own, red for you, blue for the friend of a one-to-one
    /// chat, else one of the group colours picked by their id.
    fn color_of(&self, cx: &Cx<'_>, user: &User) -> Color {
        if let Some(c) = user.color.as_deref().and_then(Color::from_hex) {
            return c;
        }
        let props = cx.props();
        if user.id == props.sender.id {
            ME
        } else if props.is_group() {
            MEMBERS[(fnv(user.id.as_bytes()) % MEMBERS.len() as u64) as usize]
        } else {
            FRIEND
        }
    }

    /// The run's label: "ME" or the name, in capitals.
    fn label(&self, cx: &Cx<'_>, user: &User) -> String {
        if user.id == cx.props().sender.id {
            "ME".to_owned()
        } else {
            user.name.to_uppercase()
        }
    }

    /// A centred line of tiny grey capitals (dates, notices).
    fn caps_line(&self, cx: &mut Cx<'_>, text: &str, top: f32) -> Block {
        let style = TextStyle::new(Family::Inter, 10.0, 13.0, 600, self.p.tertiary).tracking(0.02);
        let t = cx.text(
            &[Span::plain(&text.to_uppercase())],
            &style,
            Bounds::width(cx.width - 48.0).centered(),
        );
        let mut b = Block::new(top + t.height + 6.0);
        b.push(Item::text((cx.width - t.width) / 2.0, top, t));
        b
    }

    fn date(&self, cx: &mut Cx<'_>, time: &LocalTime, after_something: bool) -> Block {
        let today = cx.today(time);
        let (a, rest) = DAYS.label(time, today, cx.props().time_notation);
        let top = if after_something { 14.0 } else { 6.0 };
        self.caps_line(cx, &format!("{a}{rest}"), top)
    }

    fn message(&self, cx: &mut Cx<'_>, s: &Post<'_>, prev: Option<&Entry<'_>>) -> Block {
        let color = self.color_of(cx, s.author);
        let column_w = cx.width - TEXT_X - RIGHT_PAD;
        let mut b = Block::new(0.0);
        let mut y = match prev {
            None | Some(Entry::Separator { .. }) => 2.0,
            _ if s.first_in_run => 12.0,
            _ => 0.0,
        };
        if s.first_in_run {
            let style = TextStyle::new(Family::Inter, 11.0, 14.0, 700, color);
            let label = cx.line_within(&self.label(cx, s.author), &style, column_w);
            b.push(Item::text(BAR_X, y, label));
            y += 14.0 + 3.0;
        }
        // The bar runs down the run without a break: from under the label, or from
        // the top of this row.
        let bar_top = if s.first_in_run { y } else { 0.0 };
        y += if s.first_in_run { 0.0 } else { 2.0 };
        if let Some(quoted) = s.reply_to {
            y = self.quote(cx, &mut b, quoted, y, column_w);
        }
        y = self.content(cx, &mut b, s, y, column_w, color);
        if let Some(reactions) = s.message.reactions.as_deref().filter(|r| !r.is_empty()) {
            y = self.reactions(cx, &mut b, reactions, y + 6.0);
        }
        b.push(Item::rect(
            Rect::new(BAR_X, bar_top, BAR_W, y - bar_top),
            color,
        ));
        b.height = y;
        b
    }

    /// Reactions under the message: each emoji once, with its count, in a small
    /// grey chip. Returns the new `y`.
    fn reactions(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        reactions: &[crate::payload::Reaction],
        y: f32,
    ) -> f32 {
        let p = self.p;
        let mut seen: Vec<(&str, usize)> = Vec::new();
        for r in reactions {
            match seen.iter_mut().find(|(e, _)| *e == r.emoji) {
                Some((_, n)) => *n += 1,
                None => seen.push((&r.emoji, 1)),
            }
        }
        let mut x = TEXT_X;
        for (emoji, n) in seen.into_iter().take(6) {
            let e = cx.line(
                emoji,
                &TextStyle::new(Family::Emoji, 13.0, 16.0, 400, p.text),
            );
            let count = (n > 1).then(|| {
                cx.line(
                    &n.to_string(),
                    &TextStyle::new(Family::Inter, 12.0, 15.0, 600, p.secondary),
                )
            });
            let w = 16.0 + e.width + count.as_ref().map_or(0.0, |c| c.width + 4.0);
            let chip = Rect::new(x, y, w, 22.0);
            b.push(Item::fill(Shape::RoundRect(chip, 11.0), p.button));
            b.push(Item::text(x + 8.0, y + 3.0, e.clone()));
            if let Some(c) = count {
                b.push(Item::text(x + 8.0 + e.width + 4.0, y + 3.5, c));
            }
            x += w + 4.0;
        }
        y + 22.0
    }

    /// The quoted message above a reply: its own bar in its sender's colour, the
    /// sender's name in capitals and a line or two of what they said.
    fn quote(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        quoted: &Message,
        y: f32,
        column_w: f32,
    ) -> f32 {
        let p = self.p;
        let props = cx.props();
        let author = props
            .user(&quoted.user_id)
            .cloned()
            .unwrap_or_else(|| props.sender.clone());
        let color = self.color_of(cx, &author);
        let x = TEXT_X + 2.0;
        let name = cx.line_within(
            &self.label(cx, &author),
            &TextStyle::new(Family::Inter, 11.0, 14.0, 700, color),
            column_w - 12.0,
        );
        let said = match quoted.kind {
            MessageType::Image => "Photo".to_owned(),
            MessageType::Voice => "Voice Note".to_owned(),
            _ => quoted.text.clone().unwrap_or_default(),
        };
        let t = cx.text(
            &[Span::plain(&said)],
            &TextStyle::new(Family::Inter, 14.0, 18.0, 400, p.secondary),
            Bounds::width(column_w - 12.0).lines(2),
        );
        let h = 14.0 + 2.0 + t.height;
        b.push(Item::rect(Rect::new(x, y + 2.0, BAR_W, h), color));
        b.push(Item::text(x + 8.0, y + 2.0, name));
        b.push(Item::text(x + 8.0, y + 2.0 + 16.0, t));
        y + 2.0 + h + 6.0
    }

    /// The message in the text column from `y`; returns the new `y`.
    fn content(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        s: &Post<'_>,
        y: f32,
        column_w: f32,
        color: Color,
    ) -> f32 {
        let p = self.p;
        match s.kind() {
            MessageType::Image => {
                let urls = s.message.images.clone().unwrap_or_default();
                let mut y = self.photos(cx, b, &urls, y, column_w);
                let caption = s.text().trim();
                if !caption.is_empty() {
                    y = self.words(cx, b, caption, y + 4.0, column_w);
                }
                y
            }
            MessageType::Voice => {
                // A play button and the waveform in the sender's colour.
                let cy = y + 18.0;
                b.push(Item::fill(
                    Shape::Circle {
                        cx: TEXT_X + 14.0,
                        cy,
                        r: 14.0,
                    },
                    color,
                ));
                b.push(Item::Icon {
                    icon: Icon::Play,
                    rect: Rect::new(TEXT_X + 10.5, cy - 6.0, 10.0, 12.0),
                    color: Color::WHITE,
                });
                let wave = Waveform {
                    bars: 22,
                    pitch: 5.0,
                    bar_width: 2.0,
                    depth: 16.0,
                };
                b.items
                    .extend(wave.draw(&s.message.id, TEXT_X + 36.0, cy, color));
                let secs = s.message.duration_sec.unwrap_or(1.0).round() as u64;
                let t = cx.line(
                    &format!("{}:{:02}", secs / 60, secs % 60),
                    &TextStyle::new(Family::Inter, 13.0, 16.0, 500, p.secondary),
                );
                b.push(Item::text(TEXT_X + 36.0 + wave.width() + 10.0, cy - 8.0, t));
                y + 36.0
            }
            _ => match text::emoji_only_count(s.text()) {
                Some(n) if n <= 6 => {
                    let style = TextStyle::new(Family::Emoji, 32.0, 40.0, 400, p.text);
                    let t = cx.line(s.text().trim(), &style);
                    let h = t.height;
                    b.push(Item::text(TEXT_X, y, t));
                    y + h
                }
                _ => self.words(cx, b, s.text(), y, column_w),
            },
        }
    }

    fn words(&self, cx: &mut Cx<'_>, b: &mut Block, text: &str, y: f32, column_w: f32) -> f32 {
        let p = self.p;
        let mut spans = text::with_links(text);
        for s in spans.iter_mut().filter(|s| s.underline) {
            s.color = Some(CHAT_BLUE);
        }
        let style = TextStyle::new(Family::Inter, TEXT_SIZE, LINE_HEIGHT, 400, p.text);
        let t = cx.text(&spans, &style, Bounds::width(column_w));
        let h = t.height;
        b.push(Item::text(TEXT_X, y, t));
        y + h
    }

    /// Photos saved in the chat, in the column: one rounded, about 60 % of the
    /// width; several batched in small square tiles, two to a row.
    fn photos(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        urls: &[String],
        y: f32,
        column_w: f32,
    ) -> f32 {
        let max_w = (column_w * 0.62).round();
        let top = y + 2.0;
        if let [url] = urls {
            let aspect = cx.pictures.aspect(url).unwrap_or(1.0).clamp(0.5, 2.5);
            let rect = Rect::new(TEXT_X, top, max_w, (max_w / aspect).min(300.0).round());
            b.items
                .extend(cx.picture(url, rect, Shape::RoundRect(rect, 8.0)));
            return rect.bottom() + 2.0;
        }
        let gap = 4.0;
        let tile = ((max_w - gap) / 2.0).floor();
        for (i, url) in urls.iter().enumerate() {
            let (col, row) = ((i % 2) as f32, (i / 2) as f32);
            let rect = Rect::new(
                TEXT_X + col * (tile + gap),
                top + row * (tile + gap),
                tile,
                tile,
            );
            b.items
                .extend(cx.picture(url, rect, Shape::RoundRect(rect, 8.0)));
        }
        let rows = urls.len().div_ceil(2) as f32;
        top + rows * tile + (rows - 1.0) * gap + 2.0
    }

    /// The friend about to say something: their avatar with a small bubble of
    /// three dots beside it (Snapchat shows no words for it).
    fn typing(&self, cx: &mut Cx<'_>, s: &Post<'_>) -> Block {
        let p = self.p;
        let mut b = Block::new(40.0);
        let size = 28.0;
        b.items.extend(parts::avatar(
            cx,
            s.author,
            BAR_X + size / 2.0,
            10.0 + size / 2.0,
            size,
        ));
        let bubble = Rect::new(BAR_X + size + 6.0, 8.0, 28.0, 26.0);
        b.push(Item::fill(Shape::RoundRect(bubble, 13.0), p.button));
        let phase = cx.phase.unwrap_or(0.0);
        for i in 0..3 {
            // The dots rise in turn.
            let lift = ((phase * 3.0 - i as f32).rem_euclid(3.0) < 1.0) as u8 as f32 * 1.5;
            b.push(Item::fill(
                Shape::Circle {
                    cx: bubble.x + 9.0 + i as f32 * 5.0,
                    cy: bubble.center_y() - lift,
                    r: 1.5,
                },
                p.typing,
            ));
        }
        b
    }
}
