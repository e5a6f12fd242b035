//! iMessage (iOS 17/18), light and dark: the quality bar for every other skin.

use std::sync::Arc;

use tiny_skia::{Path, PathBuilder, Transform};

use crate::conversation::{Entry, Said, SeparatorRule};
use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::payload::{DeliveryStatus, MessageType, Reaction, User};
use crate::scene::{Color, Item, Rect, Shape, push_rounded_rect};
use crate::skin::{Skin, ios};
use crate::text::{self, Bounds, Span, TextBlock, TextStyle};
use crate::time::{self, RelativeDay, clock};

/// Colours of one appearance (light or dark).
#[derive(Debug, Clone, Copy)]
struct Palette {
    page: Color,
    sent: Color,
    sent_text: Color,
    received: Color,
    received_text: Color,
    /// Captions, separators, sender names.
    meta: Color,
    accent: Color,
    /// Ink of the status bar and header title.
    ink: Color,
    bar_tint: Color,
    hairline: Color,
    field_stroke: Color,
    placeholder: Color,
    plus_fill: Color,
    plus_ink: Color,
    quote_stroke: Color,
}

const LIGHT: Palette = Palette {
    page: Color::WHITE,
    sent: Color::hex(0x0B84FE),
    sent_text: Color::WHITE,
    received: Color::hex(0xE9E9EB),
    received_text: Color::BLACK,
    meta: Color::hex(0x8E8E93),
    accent: Color::hex(0x007AFF),
    ink: Color::BLACK,
    bar_tint: Color::rgba(0xF6, 0xF6, 0xF6, 0xEB),
    hairline: Color::rgba(0, 0, 0, 0x30),
    field_stroke: Color::hex(0xD1D1D6),
    placeholder: Color::hex(0xB4B4B9),
    plus_fill: Color::hex(0xE9E9EB),
    plus_ink: Color::hex(0x7C7C82),
    quote_stroke: Color::hex(0xD1D1D6),
};

const DARK: Palette = Palette {
    page: Color::BLACK,
    sent: Color::hex(0x0A84FF),
    sent_text: Color::WHITE,
    received: Color::hex(0x26252A),
    received_text: Color::WHITE,
    meta: Color::hex(0x8D8D93),
    accent: Color::hex(0x0A84FF),
    ink: Color::WHITE,
    bar_tint: Color::rgba(0x1C, 0x1C, 0x1E, 0xEB),
    hairline: Color::rgba(0xFF, 0xFF, 0xFF, 0x26),
    field_stroke: Color::hex(0x3A3A3C),
    placeholder: Color::hex(0x5E5E63),
    plus_fill: Color::hex(0x2C2C2E),
    plus_ink: Color::hex(0x9A9AA0),
    quote_stroke: Color::hex(0x3A3A3C),
};

// Geometry, points.
const SIDE_MARGIN: f32 = 16.0;
const MAX_BUBBLE: f32 = 0.70;
const RADIUS: f32 = 18.0;
const PAD_X: f32 = 13.0;
const PAD_TOP: f32 = 7.0;
const PAD_BOTTOM: f32 = 8.0;
const RUN_GAP: f32 = 2.0;
const NEW_RUN_GAP: f32 = 8.0;
const GROUP_AVATAR: f32 = 28.0;
const GROUP_AVATAR_X: f32 = 8.0;
const REACTION_ROOM: f32 = 20.0;
const HEADER_HEIGHT: f32 = 84.0;
const PHOTO_MAX_W: f32 = 240.0;
const PHOTO_MAX_H: f32 = 300.0;

/// The iMessage skin.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IMessage {
    c: Palette,
}

impl IMessage {
    pub fn new(dark: bool) -> IMessage {
        IMessage {
            c: if dark { DARK } else { LIGHT },
        }
    }

    fn body(&self, color: Color) -> TextStyle {
        TextStyle::new(Family::Inter, 17.0, 22.0, 400, color).tracking(-0.022)
    }

    fn caption(&self) -> TextStyle {
        TextStyle::new(Family::Inter, 11.0, 13.0, 400, self.c.meta).tracking(0.01)
    }
}

impl Skin for IMessage {
    fn separator_rule(&self) -> SeparatorRule {
        SeparatorRule::NewDayOrGap { minutes: 60 }
    }

    fn default_status(&self) -> DeliveryStatus {
        DeliveryStatus::Delivered
    }

    fn page_color(&self) -> Color {
        self.c.page
    }

    fn status_bar(&self, cx: &mut Cx<'_>) -> Block {
        ios::status_bar(cx, self.c.ink)
    }

    fn header(&self, cx: &mut Cx<'_>, top: f32) -> Block {
        let c = &self.c;
        let w = cx.width;
        let mut b = Block::new(top + HEADER_HEIGHT);
        let bar = Rect::new(0.0, 0.0, w, b.height);
        b.push(Item::BackdropBlur {
            rect: bar,
            radius: 20.0,
        });
        b.push(Item::rect(bar, c.bar_tint));
        b.push(Item::rect(
            Rect::new(0.0, b.height - 0.5, w, 0.5),
            c.hairline,
        ));

        let avatar_d = 52.0;
        let acy = top + 4.0 + avatar_d / 2.0;
        b.push(Item::Icon {
            icon: Icon::BackChevron,
            rect: Rect::new(9.0, acy - 11.0, 12.5, 21.0),
            color: c.accent,
        });
        b.push(Item::Icon {
            icon: Icon::Video,
            rect: Rect::new(w - 16.0 - 28.5, acy - 9.5, 28.5, 19.0),
            color: c.accent,
        });

        let props = cx.props();
        let (title, members): (String, Vec<User>) = match &props.group_chat_settings {
            Some(g) if props.is_group() => (g.name.clone(), props.receivers.clone()),
            _ => (
                props.receivers[0].name.clone(),
                vec![props.receivers[0].clone()],
            ),
        };
        let group_image = props
            .group_chat_settings
            .as_ref()
            .filter(|_| props.is_group())
            .and_then(|g| g.image.clone());
        let cxm = w / 2.0;
        if let Some(url) = group_image {
            let user = User {
                id: String::new(),
                name: title.clone(),
                image: Some(url),
                color: None,
            };
            b.items.extend(ios::avatar(cx, &user, cxm, acy, avatar_d));
        } else if members.len() > 1 {
            // A cluster of members' avatars, as iOS shows for unnamed-photo groups.
            let small = 30.0;
            let spots: &[(f32, f32)] = if members.len() == 2 {
                &[(-10.0, -3.0), (10.0, 3.0)]
            } else {
                &[(-11.0, -9.0), (12.0, -4.0), (-3.0, 12.0)]
            };
            for (user, &(dx, dy)) in members.iter().zip(spots).rev() {
                b.push(Item::fill(
                    Shape::Circle {
                        cx: cxm + dx,
                        cy: acy + dy,
                        r: small / 2.0 + 1.5,
                    },
                    c.bar_tint.fade(1.0),
                ));
                b.items
                    .extend(ios::avatar(cx, user, cxm + dx, acy + dy, small));
            }
        } else {
            b.items
                .extend(ios::avatar(cx, &members[0], cxm, acy, avatar_d));
        }

        let name_style = TextStyle::new(Family::Inter, 12.0, 15.0, 400, c.ink);
        let name = cx.line_within(&title, &name_style, w - 140.0);
        let chevron_w = 5.5;
        let total = name.width + 3.0 + chevron_w;
        let nx = cxm - total / 2.0;
        let ny = acy + avatar_d / 2.0 + 5.0;
        b.push(Item::Icon {
            icon: Icon::ChevronRight,
            rect: Rect::new(nx + name.width + 3.0, ny + 4.0, chevron_w, 9.0),
            color: c.meta,
        });
        b.push(Item::text(nx, ny, name));
        b
    }

    fn composer(&self, cx: &mut Cx<'_>, draft: Option<&str>) -> Block {
        let c = &self.c;
        let w = cx.width;
        let plus_d = 34.0;
        let fx = 12.0 + plus_d + 8.0;
        let field_w = w - fx - 12.0;
        let text_x = fx + 13.0;
        // A draft grows the field up to five lines, then scrolls inside it.
        let typed = draft.map(|d| {
            let style = self.body(c.received_text);
            cx.text(
                &text::with_links(d),
                &style,
                Bounds::width(field_w - 13.0 - 40.0),
            )
        });
        let lines = typed.as_ref().map_or(1, |t| t.line_count().max(1));
        let shown = lines.min(5);
        let field_h = 36.0 + (shown - 1) as f32 * 22.0;
        let fy = 8.0;
        let mut b = Block::new(fy + field_h + 8.0 + ios::HOME_INDICATOR_HEIGHT);
        let all = Rect::new(0.0, 0.0, w, b.height);
        b.push(Item::BackdropBlur {
            rect: all,
            radius: 20.0,
        });
        b.push(Item::rect(all, c.page.fade(0.92)));

        let field = Rect::new(fx, fy, field_w, field_h);
        let button_cy = field.bottom() - 18.0;
        b.push(Item::fill(
            Shape::Circle {
                cx: 12.0 + plus_d / 2.0,
                cy: button_cy,
                r: plus_d / 2.0,
            },
            c.plus_fill,
        ));
        b.push(Item::Icon {
            icon: Icon::Plus,
            rect: Rect::new(12.0 + plus_d / 2.0 - 8.0, button_cy - 8.0, 16.0, 16.0),
            color: c.plus_ink,
        });
        b.push(Item::Stroke {
            shape: Shape::RoundRect(field.inset(0.5), 18.0),
            color: c.field_stroke,
            width: 1.0,
        });
        match typed {
            None => {
                let ph = cx.line("iMessage", &self.body(c.placeholder));
                b.push(Item::text(text_x, fy + 7.0, ph));
                b.push(Item::Icon {
                    icon: Icon::Mic,
                    rect: Rect::new(field.right() - 26.0, button_cy - 9.5, 12.0, 19.0),
                    color: c.meta,
                });
            }
            Some(t) => {
                let hidden = (lines - shown) as f32 * 22.0;
                let caret_x = text_x + t.last_line_width() + 1.0;
                let caret_y = fy + 7.0 + (shown - 1) as f32 * 22.0;
                b.push(Item::Group {
                    items: vec![Item::text(text_x, fy + 7.0 - hidden, t)],
                    opacity: 1.0,
                    offset: (0.0, 0.0),
                    clip: Some(Shape::RoundRect(field, 18.0)),
                    bounds: Some(field),
                });
                b.push(Item::fill(
                    Shape::RoundRect(Rect::new(caret_x, caret_y + 1.0, 2.0, 20.0), 1.0),
                    c.accent,
                ));
                b.push(Item::fill(
                    Shape::Circle {
                        cx: field.right() - 17.0,
                        cy: button_cy,
                        r: 14.0,
                    },
                    c.sent,
                ));
                b.push(Item::Icon {
                    icon: Icon::ArrowUp,
                    rect: Rect::new(field.right() - 17.0 - 6.5, button_cy - 7.5, 13.0, 15.0),
                    color: Color::WHITE,
                });
            }
        }
        let h = b.height;
        ios::home_indicator(&mut b, h, c.ink);
        b
    }

    fn bare_bottom(&self, _cx: &mut Cx<'_>) -> Block {
        Block::new(16.0)
    }

    fn transcript_padding(&self) -> (f32, f32) {
        (10.0, 12.0)
    }

    fn entry(&self, cx: &mut Cx<'_>, entry: &Entry<'_>, prev: Option<&Entry<'_>>) -> Block {
        match entry {
            Entry::Separator { time, .. } => {
                let today = cx
                    .payload
                    .times
                    .messages
                    .last()
                    .map(|t| t.date_naive())
                    .unwrap_or_else(|| time.date_naive());
                let notation = cx.props().time_notation;
                let (day, rest) = separator_label(time, today, notation);
                let style = self.caption();
                let spans = [Span::plain(&day).weight(600), Span::plain(&rest)];
                let t = cx.text(&spans, &style, Bounds::width(cx.width - 40.0));
                let top = if prev.is_some() { 14.0 } else { 4.0 };
                let mut b = Block::new(top + t.height + 8.0);
                b.push(Item::text((cx.width - t.width) / 2.0, top, t));
                b
            }
            Entry::Message(s) => self.message(cx, s, prev),
        }
    }
}

/// "Today" / "9:41 AM": the bold day part and the regular time part of a separator.
fn separator_label(
    t: &time::LocalTime,
    today: chrono::NaiveDate,
    notation: crate::payload::TimeNotation,
) -> (String, String) {
    use chrono::Datelike;
    let at = clock(t, notation);
    let d = t.date_naive();
    match RelativeDay::of(d, today) {
        RelativeDay::Today => ("Today".into(), format!(" {at}")),
        RelativeDay::Yesterday => ("Yesterday".into(), format!(" {at}")),
        RelativeDay::ThisWeek(wd) => (time::weekday_name(wd).into(), format!(" {at}")),
        RelativeDay::ThisYear(d) => (
            format!(
                "{}, {} {}",
                time::short(time::weekday_name(d.weekday())),
                time::short(time::month_name(d.month())),
                d.day()
            ),
            format!(" at {at}"),
        ),
        RelativeDay::Older(d) => (
            format!(
                "{} {}, {}",
                time::short(time::month_name(d.month())),
                d.day(),
                d.year()
            ),
            format!(" at {at}"),
        ),
    }
}

/// What sits in the message's column: bubbles and bare pieces, stacked.
enum Piece {
    /// A coloured bubble holding text.
    Bubble {
        text: Arc<TextBlock>,
        fill: Color,
    },
    /// Big emoji, no bubble.
    Emoji(Arc<TextBlock>),
    /// Photos laid out in a `w`×`h` box.
    Photos {
        w: f32,
        h: f32,
        items: Vec<Item>,
    },
    /// An audio message bubble.
    Voice {
        w: f32,
        items: Vec<Item>,
        fill: Color,
    },
    Typing,
}

impl Piece {
    fn size(&self) -> (f32, f32) {
        match self {
            Piece::Bubble { text, .. } => (
                (text.width.ceil() + 2.0 * PAD_X).max(2.0 * RADIUS),
                text.height + PAD_TOP + PAD_BOTTOM,
            ),
            Piece::Emoji(t) => (t.width, t.height),
            Piece::Photos { w, h, .. } => (*w, *h),
            Piece::Voice { w, .. } => (*w, 40.0),
            Piece::Typing => (62.0, 38.0),
        }
    }
}

impl IMessage {
    fn message(&self, cx: &mut Cx<'_>, s: &Said<'_>, prev: Option<&Entry<'_>>) -> Block {
        let c = self.c;
        let w = cx.width;
        let props = cx.props();
        let group = props.is_group();
        let show_names = (group || props.show_receiver) && !s.outgoing;
        let after_separator = matches!(prev, None | Some(Entry::Separator { .. }));
        let gap = if after_separator {
            0.0
        } else if s.kind() == MessageType::System || s.first_in_run {
            NEW_RUN_GAP
        } else {
            RUN_GAP
        };

        if s.kind() == MessageType::System {
            let style = self.caption().size(12.0, 15.0);
            let t = cx.text(&text::with_links(s.text()), &style, Bounds::width(w - 60.0));
            let mut b = Block::new(gap + 6.0 + t.height + 6.0);
            b.push(Item::text((w - t.width) / 2.0, gap + 6.0, t));
            return b;
        }

        let column_left = SIDE_MARGIN + if group { GROUP_AVATAR + 8.0 - 6.0 } else { 0.0 };
        let max_w = (w * MAX_BUBBLE).min(w - column_left - SIDE_MARGIN - 30.0);
        let (fill, ink) = if s.outgoing {
            (c.sent, c.sent_text)
        } else {
            (c.received, c.received_text)
        };

        let mut pieces = Vec::new();
        match s.kind() {
            MessageType::Typing => pieces.push(Piece::Typing),
            MessageType::Image => {
                let urls = s.message.images.clone().unwrap_or_default();
                pieces.push(self.photos(cx, &urls));
                if !s.text().trim().is_empty() {
                    pieces.push(self.text_piece(cx, s.text(), fill, ink, max_w));
                }
            }
            MessageType::Voice => pieces.push(self.voice(cx, s, fill, ink)),
            _ => match text::emoji_only_count(s.text()) {
                Some(n) if n <= 3 => {
                    let style = TextStyle::new(Family::Emoji, 48.0, 58.0, 400, ink);
                    pieces.push(Piece::Emoji(cx.line(s.text().trim(), &style)));
                }
                _ => pieces.push(self.text_piece(cx, s.text(), fill, ink, max_w)),
            },
        }

        let mut b = Block::new(0.0);
        let mut y = gap;
        if show_names && s.first_in_run && s.kind() != MessageType::Typing {
            let name = cx.line_within(&s.author.name, &self.caption(), max_w);
            b.push(Item::text(column_left + PAD_X, y, name));
            y += 15.0;
        }
        if let Some(quoted) = s.reply_to {
            y = self.quote(cx, &mut b, s, quoted, y, column_left, max_w);
        }
        let reactions = s.message.reactions.as_deref().unwrap_or(&[]);
        if !reactions.is_empty() {
            y += REACTION_ROOM;
        }

        let mut first_rect = None;
        let mut last_rect = Rect::default();
        let count = pieces.len();
        for (i, piece) in pieces.into_iter().enumerate() {
            if i > 0 {
                y += RUN_GAP;
            }
            let (pw, ph) = piece.size();
            let x = if s.outgoing {
                w - SIDE_MARGIN - pw
            } else {
                column_left
            };
            let rect = Rect::new(x, y, pw, ph);
            let tail = s.last_in_run && i + 1 == count;
            self.draw_piece(&mut b, piece, rect, (tail, !s.outgoing), cx.phase);
            first_rect.get_or_insert(rect);
            last_rect = rect;
            y += ph;
        }

        if let Some(r) = first_rect {
            self.tapbacks(cx, &mut b, reactions, r, s.outgoing);
        }
        if group && !s.outgoing && s.last_in_run {
            let d = GROUP_AVATAR;
            let avatar = ios::avatar(
                cx,
                s.author,
                GROUP_AVATAR_X + d / 2.0,
                last_rect.bottom() - d / 2.0,
                d,
            );
            b.items.extend(avatar);
        }
        if let Some(status) = s.receipt {
            let notation = cx.props().time_notation;
            let at = clock(&s.time, notation);
            let spans: Vec<Span<'_>> = match status {
                DeliveryStatus::Delivered => vec![Span::plain("Delivered").weight(600)],
                DeliveryStatus::Read => {
                    vec![
                        Span::plain("Read").weight(600),
                        Span::plain(" "),
                        Span::plain(&at),
                    ]
                }
                DeliveryStatus::Sent => vec![],
            };
            if !spans.is_empty() {
                let t = cx.text(&spans, &self.caption(), Bounds::default());
                y += 3.0;
                b.push(Item::text(w - SIDE_MARGIN - 2.0 - t.width, y, t));
                y += 13.0;
            }
        }
        b.height = y;
        b
    }

    fn text_piece(&self, cx: &mut Cx<'_>, s: &str, fill: Color, ink: Color, max_w: f32) -> Piece {
        let style = self.body(ink);
        let text = cx.text(
            &text::with_links(s),
            &style,
            Bounds::width(max_w - 2.0 * PAD_X),
        );
        Piece::Bubble { text, fill }
    }

    fn draw_piece(
        &self,
        b: &mut Block,
        piece: Piece,
        r: Rect,
        (tail, left): (bool, bool),
        phase: Option<f32>,
    ) {
        match piece {
            Piece::Bubble { text, fill } => {
                b.push(Item::fill(bubble(r, tail, left), fill));
                b.push(Item::text(r.x + PAD_X, r.y + PAD_TOP, text));
            }
            Piece::Emoji(t) => b.push(Item::text(r.x, r.y, t)),
            Piece::Photos { items, .. } => b.push(Item::group(items, (r.x, r.y))),
            Piece::Voice { items, fill, .. } => {
                b.push(Item::fill(bubble(r, tail, left), fill));
                b.push(Item::group(items, (r.x, r.y)));
            }
            Piece::Typing => self.typing(b, r, phase),
        }
    }

    /// The typing indicator: three dots in a received bubble with a two-circle tail.
    fn typing(&self, b: &mut Block, r: Rect, phase: Option<f32>) {
        let fill = self.c.received;
        b.push(Item::fill(
            Shape::Circle {
                cx: r.x + 2.5,
                cy: r.bottom() - 1.5,
                r: 7.0,
            },
            fill,
        ));
        b.push(Item::fill(
            Shape::Circle {
                cx: r.x - 3.0,
                cy: r.bottom() + 5.5,
                r: 3.3,
            },
            fill,
        ));
        b.push(Item::fill(Shape::RoundRect(r, r.h / 2.0), fill));
        let dot = self.c.meta;
        // In a video the dots pulse one after another; a still shows one moment of it.
        let alphas = match phase {
            Some(p) => [0.0, 1.0, 2.0].map(|i| {
                let wave = ((p - i * 0.18) * std::f32::consts::TAU).cos() * 0.5 + 0.5;
                0.35 + 0.65 * wave
            }),
            None => [0.45, 0.7, 1.0],
        };
        for (i, alpha) in alphas.into_iter().enumerate() {
            b.push(Item::fill(
                Shape::Circle {
                    cx: r.x + 18.0 + i as f32 * 13.0,
                    cy: r.center_y(),
                    r: 4.2,
                },
                dot.fade(alpha),
            ));
        }
    }

    /// One photo at its aspect, or a two-column grid of square tiles.
    fn photos(&self, cx: &mut Cx<'_>, urls: &[String]) -> Piece {
        let mut items = Vec::new();
        if let [url] = urls {
            let aspect = cx.pictures.aspect(url).unwrap_or(1.0).clamp(0.3, 4.0);
            let (mut pw, mut ph) = (PHOTO_MAX_W, PHOTO_MAX_W / aspect);
            if ph > PHOTO_MAX_H {
                ph = PHOTO_MAX_H;
                pw = (ph * aspect).max(80.0);
            }
            let rect = Rect::new(0.0, 0.0, pw.round(), ph.round());
            items.extend(cx.picture(url, rect, Shape::RoundRect(rect, RADIUS)));
            return Piece::Photos {
                w: rect.w,
                h: rect.h,
                items,
            };
        }
        let gap = 3.0;
        let tile = ((PHOTO_MAX_W - gap) / 2.0).floor();
        for (i, url) in urls.iter().enumerate() {
            let (col, row) = ((i % 2) as f32, (i / 2) as f32);
            let mut rect = Rect::new(col * (tile + gap), row * (tile + gap), tile, tile);
            // An odd last photo spans both columns.
            if i + 1 == urls.len() && i % 2 == 0 {
                rect.w = tile * 2.0 + gap;
            }
            items.extend(cx.picture(url, rect, Shape::RoundRect(rect, 14.0)));
        }
        let rows = urls.len().div_ceil(2) as f32;
        Piece::Photos {
            w: tile * 2.0 + gap,
            h: rows * tile + (rows - 1.0) * gap,
            items,
        }
    }

    /// An audio message: play button, waveform and duration.
    fn voice(&self, cx: &mut Cx<'_>, s: &Said<'_>, fill: Color, ink: Color) -> Piece {
        let secs = s.message.duration_sec.unwrap_or(1.0).round() as u64;
        let label = format!("{}:{:02}", secs / 60, secs % 60);
        let style = TextStyle::new(Family::Inter, 15.0, 20.0, 500, ink);
        let t = cx.line(&label, &style);
        let bars = 34;
        let w = 42.0 + bars as f32 * 3.5 + 10.0 + t.width + 14.0;
        let mut items = vec![Item::Icon {
            icon: Icon::Play,
            rect: Rect::new(16.0, 13.0, 12.0, 14.0),
            color: ink,
        }];
        let mut seed = fnv(s.message.id.as_bytes());
        for i in 0..bars {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = ((seed >> 33) % 1000) as f32 / 1000.0;
            let envelope = (i as f32 / bars as f32 * std::f32::consts::PI).sin();
            let h = 3.0 + (noise * 0.6 + 0.4) * envelope * 17.0;
            let bar = Rect::new(42.0 + i as f32 * 3.5, 20.0 - h / 2.0, 2.0, h);
            items.push(Item::fill(Shape::RoundRect(bar, 1.0), ink.fade(0.9)));
        }
        items.push(Item::text(w - 14.0 - t.width, 10.0, t));
        Piece::Voice { w, items, fill }
    }

    /// The quoted message above a reply: an outlined copy of the original bubble and
    /// a thin line down to the reply. Returns the new `y`.
    #[allow(clippy::too_many_arguments)]
    fn quote(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        s: &Said<'_>,
        quoted: &crate::payload::Message,
        y: f32,
        column_left: f32,
        max_w: f32,
    ) -> f32 {
        let w = cx.width;
        let quoted_out = quoted.user_id == cx.props().sender.id;
        let photo = quoted
            .images
            .as_ref()
            .and_then(|i| i.first())
            .filter(|_| quoted.kind == MessageType::Image);
        if let Some(url) = photo {
            // A small faded copy of the photo stands for it.
            let side = 56.0;
            let qx = if quoted_out {
                w - SIDE_MARGIN - side
            } else {
                column_left
            };
            let q = Rect::new(qx, y, side, side);
            if let Some(pic) = cx.picture(url, q, Shape::RoundRect(q, 10.0)) {
                b.push(Item::Group {
                    items: vec![pic],
                    opacity: 0.55,
                    offset: (0.0, 0.0),
                    clip: None,
                    bounds: Some(q),
                });
            }
            self.connector(b, q, quoted_out, s.outgoing, column_left, w);
            return y + side + 16.0;
        }
        let label = match quoted.kind {
            MessageType::Voice => "Audio Message".to_owned(),
            _ => quoted.text.clone().unwrap_or_default(),
        };
        let style = self.body(self.c.meta).size(15.0, 19.0);
        let t = cx.text(
            &[Span::plain(&label)],
            &style,
            Bounds::width(max_w - 40.0 - 2.0 * PAD_X).lines(2),
        );
        let qw = (t.width.ceil() + 2.0 * PAD_X).max(2.0 * 16.0);
        let qh = t.height + 12.0;
        let qx = if quoted_out {
            w - SIDE_MARGIN - qw
        } else {
            column_left
        };
        let q = Rect::new(qx, y, qw, qh);
        b.push(Item::Stroke {
            shape: Shape::RoundRect(q.inset(0.5), 16.0),
            color: self.c.quote_stroke,
            width: 1.0,
        });
        b.push(Item::text(q.x + PAD_X, q.y + 6.0, t));

        self.connector(b, q, quoted_out, s.outgoing, column_left, w);
        y + qh + 16.0
    }

    /// The thin line from a quoted message down to the reply under it.
    fn connector(&self, b: &mut Block, q: Rect, quoted_out: bool, out: bool, left: f32, w: f32) {
        let from_x = if quoted_out {
            q.x + 14.0
        } else {
            q.right() - 14.0
        };
        let to_x = if out {
            w - SIDE_MARGIN - 24.0
        } else {
            left + 24.0
        };
        let y1 = q.bottom() + 16.0;
        let mut pb = PathBuilder::new();
        pb.move_to(from_x, q.bottom());
        pb.cubic_to(from_x, y1, to_x, q.bottom(), to_x, y1 + 1.0);
        if let Some(path) = pb.finish() {
            b.push(Item::Stroke {
                shape: Shape::path(path),
                color: self.c.quote_stroke,
                width: 1.5,
            });
        }
    }

    /// Tapback badges on the message's top corner away from its tail side.
    fn tapbacks(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        reactions: &[Reaction],
        r: Rect,
        outgoing: bool,
    ) {
        let c = self.c;
        let sender = cx.props().sender.id.clone();
        let d = 30.0;
        for (i, reaction) in reactions.iter().take(3).enumerate().rev() {
            let step = i as f32 * 15.0;
            // On sent bubbles the badge sits on the top-left, on received the top-right.
            let (bx, dir) = if outgoing {
                (r.x - 3.0 + step, 1.0)
            } else {
                (r.right() + 3.0 - step, -1.0)
            };
            let by = r.y - 8.0;
            let mine = reaction.user_id == sender;
            let fill = if mine { c.accent } else { c.received };
            let ring = c.page;
            // The badge's own little tail: two dots trailing toward the bubble.
            let dots = [(dir * 9.5, 12.5, 4.0), (dir * 13.0, 17.0, 1.9)];
            for (dx, dy, rr) in dots {
                b.push(Item::fill(
                    Shape::Circle {
                        cx: bx + dx,
                        cy: by + dy,
                        r: rr + 1.5,
                    },
                    ring,
                ));
            }
            b.push(Item::fill(
                Shape::Circle {
                    cx: bx,
                    cy: by,
                    r: d / 2.0 + 2.0,
                },
                ring,
            ));
            for (dx, dy, rr) in dots {
                b.push(Item::fill(
                    Shape::Circle {
                        cx: bx + dx,
                        cy: by + dy,
                        r: rr,
                    },
                    fill,
                ));
            }
            b.push(Item::fill(
                Shape::Circle {
                    cx: bx,
                    cy: by,
                    r: d / 2.0,
                },
                fill,
            ));
            let style = TextStyle::new(Family::Emoji, 15.0, 18.0, 400, Color::WHITE);
            let t = cx.line(reaction.emoji.trim(), &style);
            b.push(Item::text(bx - t.width / 2.0, by - 9.0, t));
        }
    }
}

/// A bubble, with the iMessage tail on its bottom corner (left or right) when `tail`.
fn bubble(r: Rect, tail: bool, left: bool) -> Shape {
    if !tail {
        return Shape::RoundRect(r, RADIUS);
    }
    Shape::path(tailed_bubble(r, left).unwrap_or_else(|| {
        crate::scene::rounded_rect(r, RADIUS).unwrap_or_else(|| {
            PathBuilder::from_rect(tiny_skia::Rect::from_xywh(0.0, 0.0, 1.0, 1.0).unwrap())
        })
    }))
}

/// The bubble and its tail as one path: the tail is a second sub-path wound the same
/// way, so a non-zero fill unites them.
///
/// The tail fills the bubble's bottom corner square and flares out of its side: the
/// outer edge is a quarter circle (r 8) leaving the side 8.4 pt above the bottom and
/// sweeping down to a softly rounded tip 6 pt outside the bubble; the bottom edge runs
/// flat into the tip.
fn tailed_bubble(r: Rect, left: bool) -> Option<Path> {
    let (w, h) = (r.w, r.h);
    let mut pb = PathBuilder::new();
    push_rounded_rect(&mut pb, Rect::new(0.0, 0.0, w, h), RADIUS);
    // Tail on the right, in the bubble's own coordinates.
    let corner = RADIUS.min(h / 2.0);
    pb.move_to(w - corner, h - corner);
    pb.line_to(w, h - corner);
    pb.line_to(w, h - 8.4);
    arc(&mut pb, (w + 8.0, h - 8.4), (8.0, 8.0), 180.0, 101.0);
    pb.quad_to(w + 7.0, h, w + 5.0, h);
    pb.line_to(w - corner, h);
    pb.close();
    let path = pb.finish()?;
    let ts = if left {
        Transform::from_row(-1.0, 0.0, 0.0, 1.0, r.x + w, r.y)
    } else {
        Transform::from_translate(r.x, r.y)
    };
    path.transform(ts)
}

/// Appends an elliptical arc from angle `a0` to `a1` (degrees, y down) as cubics.
fn arc(pb: &mut PathBuilder, c: (f32, f32), rad: (f32, f32), a0: f32, a1: f32) {
    let segments = ((a1 - a0).abs() / 90.0).ceil().max(1.0) as usize;
    let step = (a1 - a0).to_radians() / segments as f32;
    let k = 4.0 / 3.0 * (step / 4.0).tan();
    let mut a = a0.to_radians();
    let point = |a: f32| (c.0 + rad.0 * a.cos(), c.1 + rad.1 * a.sin());
    for _ in 0..segments {
        let b = a + step;
        let (p0, p3) = (point(a), point(b));
        let c1 = (p0.0 - k * rad.0 * a.sin(), p0.1 + k * rad.1 * a.cos());
        let c2 = (p3.0 + k * rad.0 * b.sin(), p3.1 - k * rad.1 * b.cos());
        pb.cubic_to(c1.0, c1.1, c2.0, c2.1, p3.0, p3.1);
        a = b;
    }
}

/// A stable hash for the waveform's look (FNV-1a).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_reaches_past_the_bubble_on_its_side() {
        let r = Rect::new(100.0, 10.0, 80.0, 36.0);
        let right = tailed_bubble(r, false).unwrap().bounds();
        assert!(right.right() > r.right() + 5.5 && right.right() <= r.right() + 7.01);
        assert!((right.left() - r.x).abs() < 0.01);
        let left = tailed_bubble(r, true).unwrap().bounds();
        assert!(left.left() < r.x - 5.5 && left.left() >= r.x - 7.01);
        assert!((left.bottom() - r.bottom()).abs() < 0.01);
    }

    #[test]
    fn separator_labels() {
        use crate::payload::TimeNotation::H12;
        let tz = chrono_tz::Tz::UTC;
        let t = crate::time::parse_timestamp("2024-05-06T09:41:00Z", tz).unwrap();
        let d = |day| chrono::NaiveDate::from_ymd_opt(2024, 5, day).unwrap();
        assert_eq!(separator_label(&t, d(6), H12).0, "Today");
        assert_eq!(separator_label(&t, d(9), H12).0, "Monday");
        let older = separator_label(&t, d(30), H12);
        assert_eq!(older.0, "Mon, May 6");
        assert_eq!(older.1, " at 9:41\u{202F}AM");
    }
}
