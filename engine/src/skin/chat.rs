//! The drawing code every bubble chat shares, driven by a [`Design`]: transcript
//! rows (separators, notices, bubbles with names, quotes, photos, voice notes, big
//! emoji, typing), receipts and reactions. What differs per platform beyond the
//! tokens (header, composer, labels, wallpaper) comes from its [`Chrome`].

use std::sync::Arc;

use chrono::NaiveDate;
use tiny_skia::PathBuilder;

use super::design::{Avatars, Design, Fill, Label, Names, Reactions, Receipts, Replies, Tail};
use super::shapes::{self, Corners};
use super::{Motion, Skin, fnv, parts};
use crate::conversation::{Entry, Post, SeparatorRule};
use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::payload::{DeliveryStatus, Message, MessageType, Reaction, TimeNotation, User};
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::{self, Bounds, Span, TextBlock, TextStyle};
use crate::time::{LocalTime, clock};

/// What a platform draws its own way: the bars above and below the transcript, the
/// wording of its time separators, and its wallpaper.
pub(crate) trait Chrome: Send + Sync {
    fn header(&self, cx: &mut Cx<'_>, d: &Design, top: f32) -> Block;
    fn composer(&self, cx: &mut Cx<'_>, d: &Design, draft: Option<&str>) -> Block;
    /// A separator's text: the emphasised part and the rest.
    fn day_label(
        &self,
        t: &LocalTime,
        today: NaiveDate,
        notation: TimeNotation,
    ) -> (String, String);
    /// Drawn behind the transcript, under the whole screen.
    fn wallpaper(&self, _cx: &mut Cx<'_>, _d: &Design) -> Option<super::Wallpaper> {
        None
    }
}

/// A bubble chat: tokens plus the platform's own pieces.
pub(crate) struct Chat {
    pub design: Design,
    pub chrome: Box<dyn Chrome>,
}

impl Skin for Chat {
    fn separator_rule(&self) -> SeparatorRule {
        self.design.separator_rule
    }

    fn default_status(&self) -> DeliveryStatus {
        self.design.default_status
    }

    fn page_color(&self) -> Color {
        self.design.page
    }

    fn status_ink(&self) -> Color {
        self.design.ink
    }

    fn header(&self, cx: &mut Cx<'_>, status_height: f32) -> Block {
        self.chrome.header(cx, &self.design, status_height)
    }

    fn composer(&self, cx: &mut Cx<'_>, draft: Option<&str>) -> Block {
        self.chrome.composer(cx, &self.design, draft)
    }

    fn motion(&self) -> Motion {
        self.design.motion
    }

    fn wallpaper(&self, cx: &mut Cx<'_>) -> Option<super::Wallpaper> {
        self.chrome.wallpaper(cx, &self.design)
    }

    fn transcript_padding(&self) -> (f32, f32) {
        (10.0, 12.0)
    }

    fn bare_bottom(&self, _cx: &mut Cx<'_>) -> Block {
        Block::new(16.0)
    }

    fn text_metrics(&self, width: f32) -> crate::estimate::TextMetrics {
        let d = &self.design;
        let small = d.meta_size + 1.0;
        crate::estimate::TextMetrics {
            size: d.text_size,
            line_height: d.line_height,
            wrap: width * d.max_width - 2.0 * d.pad.side,
            row: d.run_gap + d.pad.top + d.pad.bottom,
            notice: 12.0 + small * 1.2,
        }
    }

    fn entry(&self, cx: &mut Cx<'_>, entry: &Entry<'_>, prev: Option<&Entry<'_>>) -> Block {
        match entry {
            Entry::Separator { time, .. } => self.separator(cx, time, prev.is_some()),
            Entry::Message(s) if s.kind() == MessageType::System => {
                let after_label = matches!(prev, None | Some(Entry::Separator { .. }));
                let gap = if after_label {
                    0.0
                } else {
                    self.design.new_run_gap
                };
                self.notice(cx, s.text(), gap)
            }
            Entry::Message(s) => self.message(cx, s, prev),
        }
    }
}

// ---------------------------------------------------------------------------------
// Text styles

impl Chat {
    fn body(&self, color: Color) -> TextStyle {
        let d = &self.design;
        TextStyle::new(d.font, d.text_size, d.line_height, 400, color).tracking(d.tracking)
    }

    fn small(&self, color: Color) -> TextStyle {
        let s = self.design.meta_size;
        TextStyle::new(self.design.font, s, (s * 1.2).round(), 400, color).tracking(0.01)
    }

    fn fill_of(&self, outgoing: bool) -> Fill {
        if outgoing {
            self.design.sent
        } else {
            self.design.received
        }
    }

    fn ink_of(&self, outgoing: bool) -> Color {
        if outgoing {
            self.design.sent_text
        } else {
            self.design.received_text
        }
    }

    fn meta_ink(&self, outgoing: bool) -> Color {
        if outgoing {
            self.design.sent_meta
        } else {
            self.design.received_meta
        }
    }

    /// A user's name colour in groups: their own, else one picked by their id.
    fn name_color(&self, user: &User) -> Color {
        user.color
            .as_deref()
            .and_then(Color::from_hex)
            .unwrap_or_else(|| {
                let colors = self.design.name_colors;
                colors[(fnv(user.id.as_bytes()) % colors.len() as u64) as usize]
            })
    }

    /// Text with its links found, links in the design's link colour.
    fn rich<'t>(&self, text: &'t str) -> Vec<Span<'t>> {
        let mut spans = text::with_links(text);
        if let Some(link) = self.design.link {
            for s in spans.iter_mut().filter(|s| s.underline) {
                s.color = Some(link);
            }
        }
        spans
    }
}

// ---------------------------------------------------------------------------------
// Centred rows

impl Chat {
    /// A centred label at `top`, in `size` points, with `after` points below it.
    fn label_chip(
        &self,
        cx: &mut Cx<'_>,
        spans: &[Span<'_>],
        style: Label,
        (top, size, after): (f32, f32, f32),
    ) -> Block {
        let w = cx.width;
        match style {
            Label::Text => {
                let text_style = self
                    .small(self.design.meta)
                    .size(size, (size * 1.25).round());
                let t = cx.text(spans, &text_style, Bounds::width(w - 60.0).centered());
                let mut b = Block::new(top + t.height + after);
                b.push(Item::text((w - t.width) / 2.0, top, t));
                b
            }
            Label::Chip { fill, ink, shadow } => {
                let style = self
                    .small(ink)
                    .size(self.design.meta_size + 1.0, self.design.meta_size + 5.0);
                let t = cx.text(spans, &style, Bounds::width(w - 90.0).centered());
                let (cw, ch) = (t.width.ceil() + 20.0, t.height + 10.0);
                let chip = Rect::new(((w - cw) / 2.0).round(), top, cw, ch);
                let mut b = Block::new(top + ch + after);
                if shadow {
                    b.push(Item::fill(
                        Shape::RoundRect(chip.translate(0.0, 0.8), 8.0),
                        Color::rgba(0x0B, 0x14, 0x1A, 0x20),
                    ));
                }
                b.push(Item::fill(
                    Shape::RoundRect(chip, ch.min(16.0) / 2.0 + 1.0),
                    fill,
                ));
                b.push(Item::text(chip.x + (cw - t.width) / 2.0, top + 5.0, t));
                b
            }
        }
    }

    fn separator(&self, cx: &mut Cx<'_>, time: &LocalTime, after_something: bool) -> Block {
        let today = cx
            .payload
            .times
            .messages
            .last()
            .map_or_else(|| time.date_naive(), |t| t.date_naive());
        let (day, rest) = self.chrome.day_label(time, today, cx.props().time_notation);
        let spans = [Span::plain(&day).weight(600), Span::plain(&rest)];
        let top = if after_something { 14.0 } else { 4.0 };
        let size = self.design.meta_size;
        let mut b = self.label_chip(cx, &spans, self.design.separator, (top, size, 8.0));
        if self.design.separator == Label::Text {
            // Text separators sit on the line height of captions.
            b.height = top + (size * 1.2).round() + 8.0;
        }
        b
    }

    fn notice(&self, cx: &mut Cx<'_>, text: &str, gap: f32) -> Block {
        let spans = self.rich(text);
        self.label_chip(
            cx,
            &spans,
            self.design.system,
            (gap + 6.0, self.design.meta_size + 1.0, 6.0),
        )
    }
}

// ---------------------------------------------------------------------------------
// Messages

/// A laid-out bubble: its size (padding included) and contents relative to its
/// top-left corner.
struct Body {
    w: f32,
    h: f32,
    items: Vec<Item>,
}

/// What stacks in a message's column.
enum Piece {
    Bubble(Body),
    /// Big emoji without a bubble, with the time chip of designs that show time.
    Emoji(Arc<TextBlock>, Option<Body>),
    /// Bare photos (outside any bubble).
    Photos(Body),
    Typing,
}

impl Piece {
    fn size(&self, d: &Design) -> (f32, f32) {
        match self {
            Piece::Bubble(b) | Piece::Photos(b) => (b.w, b.h),
            Piece::Emoji(t, meta) => {
                let (mw, mh) = meta.as_ref().map_or((0.0, 0.0), |m| (m.w, m.h + 2.0));
                (t.width.max(mw), t.height + mh)
            }
            Piece::Typing => {
                if d.typing_thought {
                    (62.0, 38.0)
                } else {
                    (64.0, 36.0)
                }
            }
        }
    }
}

/// Position of a bubble in its run: which corners meet a neighbour.
#[derive(Clone, Copy)]
struct RunPlace {
    first: bool,
    last: bool,
}

impl Chat {
    fn message(&self, cx: &mut Cx<'_>, s: &Post<'_>, prev: Option<&Entry<'_>>) -> Block {
        let d = &self.design;
        let w = cx.width;
        let props = cx.props();
        let group = props.is_group();
        let outgoing = s.outgoing;
        let after_label = matches!(prev, None | Some(Entry::Separator { .. }));
        let gap = if after_label {
            0.0
        } else if s.first_in_run {
            d.new_run_gap
        } else {
            d.run_gap
        };
        let with_avatars = !outgoing
            && match d.avatars {
                Avatars::GroupLast | Avatars::GroupFirst => group,
                Avatars::Last => true,
            };
        let column_left = d.side_margin
            + if with_avatars {
                d.avatar_size + 10.0 - (d.side_margin - 8.0)
            } else {
                0.0
            };
        let max_w = (w * d.max_width).min(w - column_left - d.side_margin - 30.0);
        let show_name = (group || props.show_receiver) && !outgoing && s.first_in_run;

        let mut pieces = self.pieces(cx, s, max_w, show_name && d.names == Names::Inside);
        let mut b = Block::new(0.0);
        let mut y = gap;
        if show_name && d.names == Names::Above && s.kind() != MessageType::Typing {
            let name = cx.line_within(&s.author.name, &self.small(d.meta), max_w);
            b.push(Item::text(column_left + d.pad.side, y, name));
            y += d.meta_size + 4.0;
        }
        if let Some(quoted) = s.reply_to {
            y = match d.replies {
                Replies::Outlined => {
                    self.quote_outlined(cx, &mut b, s, quoted, y, column_left, max_w)
                }
                Replies::Faded => self.quote_faded(cx, &mut b, s, quoted, y, column_left, max_w),
                Replies::Inside => y,
            };
        }
        let reactions = s.message.reactions.as_deref().unwrap_or(&[]);
        if !reactions.is_empty() && d.reactions == Reactions::Tapback {
            y += 20.0;
        }

        let count = pieces.len();
        let mut rects = Vec::with_capacity(count);
        for (i, piece) in pieces.drain(..).enumerate() {
            if i > 0 {
                y += d.run_gap;
            }
            let (pw, ph) = piece.size(d);
            let x = if outgoing {
                w - d.side_margin - pw
            } else {
                column_left
            };
            let r = Rect::new(x, y, pw, ph);
            let place = RunPlace {
                first: s.first_in_run && i == 0,
                last: s.last_in_run && i + 1 == count,
            };
            self.draw_piece(cx, &mut b, piece, r, place, !outgoing);
            rects.push(r);
            y += ph;
        }
        let (first, last) = (rects[0], rects[rects.len() - 1]);

        match d.reactions {
            Reactions::Tapback => self.tapbacks(cx, &mut b, reactions, first, outgoing),
            Reactions::Below { fill, ring } if !reactions.is_empty() => {
                self.reaction_pill(cx, &mut b, reactions, last, outgoing, (fill, ring));
                y += 16.0;
            }
            _ => {}
        }
        if with_avatars {
            let size = d.avatar_size;
            let cy = match d.avatars {
                Avatars::GroupFirst if s.first_in_run => Some(first.y + size / 2.0),
                Avatars::GroupLast | Avatars::Last if s.last_in_run => {
                    Some(last.bottom() - size / 2.0)
                }
                _ => None,
            };
            if let Some(cy) = cy {
                let avatar = parts::avatar(cx, s.author, 8.0 + size / 2.0, cy, size);
                b.items.extend(avatar);
            }
        }
        if let Some(status) = s.receipt {
            y = self.receipt(cx, &mut b, s, status, y);
        }
        b.height = y;
        b
    }

    /// The pieces of a message, top to bottom.
    fn pieces(&self, cx: &mut Cx<'_>, s: &Post<'_>, max_w: f32, name_inside: bool) -> Vec<Piece> {
        let d = &self.design;
        let outgoing = s.outgoing;
        match s.kind() {
            MessageType::Typing => vec![Piece::Typing],
            MessageType::Image => {
                let urls = s.message.images.clone().unwrap_or_default();
                let caption = s.text().trim();
                if d.photos_inside {
                    let photos = self.photos(cx, &urls, true);
                    let body = self.bubble_body(cx, s, max_w, name_inside, Some(photos), caption);
                    return vec![Piece::Bubble(body)];
                }
                let mut pieces = vec![Piece::Photos(self.photos(cx, &urls, false))];
                if !caption.is_empty() {
                    pieces.push(Piece::Bubble(
                        self.bubble_body(cx, s, max_w, false, None, caption),
                    ));
                }
                pieces
            }
            MessageType::Voice => vec![Piece::Bubble(self.voice(cx, s, name_inside))],
            _ => match text::emoji_only_count(s.text()) {
                Some(n) if n <= 3 && s.reply_to.is_none() => {
                    let style = TextStyle::new(
                        Family::Emoji,
                        d.big_emoji,
                        d.big_emoji + 10.0,
                        400,
                        self.ink_of(outgoing),
                    );
                    let big = cx.line(s.text().trim(), &style);
                    let chip = d.time_inside.then(|| self.time_chip(cx, s));
                    vec![Piece::Emoji(big, chip)]
                }
                _ => vec![Piece::Bubble(self.bubble_body(
                    cx,
                    s,
                    max_w,
                    name_inside,
                    None,
                    s.text(),
                ))],
            },
        }
    }

    /// A text bubble: name, quote, photos, text, reactions and time, as the design says.
    fn bubble_body(
        &self,
        cx: &mut Cx<'_>,
        s: &Post<'_>,
        max_w: f32,
        name_inside: bool,
        photos: Option<Body>,
        text: &str,
    ) -> Body {
        let d = &self.design;
        let outgoing = s.outgoing;
        // A photo bubble is as wide as its photo; its caption wraps within it.
        let inner_max = match &photos {
            Some(p) => p.w + 6.0 - 2.0 * d.pad.side,
            None => max_w - 2.0 * d.pad.side,
        };
        let mut items = Vec::new();
        let mut widest: f32 = 0.0;
        let mut y = d.pad.top;
        if name_inside {
            let color = self.name_color(s.author);
            let style = self
                .small(color)
                .weight(600)
                .size(d.meta_size + 2.0, d.meta_size + 6.0);
            let name = cx.line_within(&s.author.name, &style, inner_max);
            widest = widest.max(name.width);
            items.push(Item::text(d.pad.side, y - 1.0, name));
            y += d.meta_size + 6.0;
        }
        if d.replies == Replies::Inside
            && let Some(quoted) = s.reply_to
        {
            let (block, qw, qh) = self.quote_inside(cx, s, quoted, inner_max);
            items.push(Item::group(block, (d.pad.side, y)));
            widest = widest.max(qw);
            y += qh + 5.0;
        }
        let mut photo_box = None;
        if let Some(p) = photos {
            // A photo sits in a thin frame of bubble; at the top when nothing is above.
            let top = if y <= d.pad.top { 3.0 } else { y };
            items.push(Item::group(p.items, (3.0, top)));
            photo_box = Some(Rect::new(3.0, top, p.w, p.h));
            widest = widest.max(p.w - 2.0 * d.pad.side + 6.0);
            y = top
                + p.h
                + if text.trim().is_empty() {
                    3.0
                } else {
                    d.pad.top
                };
        }
        let style = self.body(self.ink_of(outgoing));
        let block = (!text.trim().is_empty())
            .then(|| cx.text(&self.rich(text), &style, Bounds::width(inner_max)));
        let text_top = y;
        if let Some(t) = &block {
            widest = widest.max(t.width.ceil());
            y += t.height;
        }
        if d.reactions == Reactions::Inside
            && let Some(reactions) = s.message.reactions.as_deref().filter(|r| !r.is_empty())
        {
            let (pills, pw, ph) = self.reaction_pills_inside(cx, reactions, outgoing);
            items.push(Item::group(pills, (d.pad.side, y + 4.0)));
            widest = widest.max(pw);
            y += ph + 4.0;
        }
        let meta = d.time_inside.then(|| self.meta_line(cx, s));
        let mut w = (widest + 2.0 * d.pad.side).max(2.0 * d.radius.min(18.0));
        let mut h = y + d.pad.bottom;
        if let Some((meta_items, mw, mh)) = meta {
            match (&block, photo_box) {
                (None, Some(photo)) => {
                    // On a photo without caption, the time sits on the photo in a
                    // dark pill.
                    let pill = Rect::new(
                        photo.right() - mw - 16.0,
                        photo.bottom() - mh - 10.0,
                        mw + 10.0,
                        mh + 4.0,
                    );
                    items.push(Item::fill(
                        Shape::RoundRect(pill, pill.h / 2.0),
                        Color::rgba(0, 0, 0, 0x66),
                    ));
                    let white: Vec<Item> = meta_items;
                    items.push(Item::group(white, (pill.x + 5.0, pill.y + 2.0)));
                    h = photo.bottom() + 3.0;
                    w = w.max(photo.right() + 3.0);
                }
                _ => {
                    let last_line = block.as_ref().map_or(0.0, |t| t.last_line_width());
                    let fits = block.is_some() && last_line + 8.0 + mw <= inner_max;
                    if fits {
                        w = w.max(last_line + 8.0 + mw + 2.0 * d.pad.side);
                    } else {
                        h += mh;
                        w = w.max(mw + 2.0 * d.pad.side);
                    }
                    items.push(Item::group(
                        meta_items,
                        (w - d.pad.side - mw + 2.0, h - d.pad.bottom - mh + 2.0),
                    ));
                }
            }
        }
        if let Some(t) = block {
            items.push(Item::text(d.pad.side, text_top, t));
        }
        Body {
            w: w.ceil(),
            h,
            items,
        }
    }

    /// "9:41" and, on sent bubbles of tick designs, the ticks: items at (0, 0), width
    /// and height.
    fn meta_line(&self, cx: &mut Cx<'_>, s: &Post<'_>) -> (Vec<Item>, f32, f32) {
        let d = &self.design;
        let notation = cx.props().time_notation;
        let ink = self.meta_ink(s.outgoing);
        let t = cx.line(&clock(&s.time, notation), &self.small(ink));
        let h = d.meta_size + 2.0;
        let mut items = vec![Item::text(0.0, 0.0, t.clone())];
        let mut w = t.width;
        if let (true, Receipts::Ticks { pending, read }) = (s.outgoing, d.receipts) {
            let status = self.tick_status(s);
            let (icon, color) = match status {
                DeliveryStatus::Sent => (Icon::Check, pending),
                DeliveryStatus::Delivered => (Icon::CheckDouble, pending),
                DeliveryStatus::Read => (Icon::CheckDouble, read),
            };
            items.push(Item::Icon {
                icon,
                rect: Rect::new(w + 3.0, 1.5, 16.0, 11.0),
                color,
            });
            w += 19.0;
        }
        (items, w, h)
    }

    /// The ticks a sent message shows: the conversation's receipt on the latest one
    /// (a single tick while it is on its way, in videos), else its own status.
    fn tick_status(&self, s: &Post<'_>) -> DeliveryStatus {
        match (s.receipt, s.pending) {
            (Some(r), _) => r,
            (None, true) => DeliveryStatus::Sent,
            (None, false) => s.message.status.unwrap_or(self.design.default_status),
        }
    }

    /// The time beside big emoji, in a small chip.
    fn time_chip(&self, cx: &mut Cx<'_>, s: &Post<'_>) -> Body {
        let (items, mw, mh) = self.meta_line(cx, s);
        let chip = Rect::new(0.0, 0.0, mw + 12.0, mh + 6.0);
        let mut all = vec![Item::fill(
            Shape::RoundRect(chip, chip.h / 2.0),
            self.design.received.color().fade(0.9),
        )];
        all.push(Item::group(items, (6.0, 3.0)));
        Body {
            w: chip.w,
            h: chip.h,
            items: all,
        }
    }

    fn draw_piece(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        piece: Piece,
        r: Rect,
        place: RunPlace,
        incoming: bool,
    ) {
        let d = &self.design;
        match piece {
            Piece::Bubble(body) => {
                let shape = self.bubble_shape(r, place, incoming);
                if let Some(shadow) = d.shadow {
                    b.push(Item::Group {
                        items: vec![Item::fill(shape.clone(), shadow)],
                        opacity: 1.0,
                        offset: (0.0, 0.8),
                        clip: None,
                        bounds: None,
                    });
                }
                b.push(Item::fill(shape, self.fill_of(!incoming).paint(cx.height)));
                b.push(Item::group(body.items, (r.x, r.y)));
            }
            Piece::Emoji(t, chip) => {
                let th = t.height;
                let tw = t.width;
                b.push(Item::text(r.x, r.y, t));
                if let Some(chip) = chip {
                    let x = if incoming {
                        r.x + tw - chip.w
                    } else {
                        r.right() - chip.w
                    };
                    b.push(Item::group(chip.items, (x.max(r.x), r.y + th + 2.0)));
                }
            }
            Piece::Photos(body) => b.push(Item::group(body.items, (r.x, r.y))),
            Piece::Typing => self.typing(b, r, incoming, (cx.phase, cx.height)),
        }
    }

    /// The outline of a bubble at its place in the run.
    fn bubble_shape(&self, r: Rect, place: RunPlace, incoming: bool) -> Shape {
        let d = &self.design;
        let (full, joined) = (d.radius, d.joined_radius);
        // Corners on the sender's side meet the run's other bubbles.
        let top = if place.first { full } else { joined };
        let bottom = if place.last { full } else { joined };
        let mut c = if incoming {
            Corners(top, full, full, bottom)
        } else {
            Corners(full, top, bottom, full)
        };
        let tail = match d.tail {
            Tail::Flag if place.first => Tail::Flag,
            Tail::Hook | Tail::Curl if place.last => d.tail,
            _ => Tail::None,
        };
        if tail == Tail::Flag {
            // The flag replaces the top corner on the sender's side.
            if incoming {
                c.0 = 0.0;
            } else {
                c.1 = 0.0;
            }
        }
        shapes::bubble(r, c, tail, incoming)
    }

    /// The typing indicator: three pulsing dots in a received bubble.
    fn typing(
        &self,
        b: &mut Block,
        r: Rect,
        incoming: bool,
        (phase, screen_h): (Option<f32>, f32),
    ) {
        let d = &self.design;
        let fill = d.received;
        if d.typing_thought {
            for (cx, cy, rad) in [
                (r.x + 2.5, r.bottom() - 1.5, 7.0),
                (r.x - 3.0, r.bottom() + 5.5, 3.3),
            ] {
                b.push(Item::fill(
                    Shape::Circle { cx, cy, r: rad },
                    fill.paint(screen_h),
                ));
            }
            b.push(Item::fill(
                Shape::RoundRect(r, r.h / 2.0),
                fill.paint(screen_h),
            ));
        } else {
            let place = RunPlace {
                first: true,
                last: true,
            };
            if let Some(shadow) = d.shadow {
                b.push(Item::Group {
                    items: vec![Item::fill(self.bubble_shape(r, place, incoming), shadow)],
                    opacity: 1.0,
                    offset: (0.0, 0.8),
                    clip: None,
                    bounds: None,
                });
            }
            b.push(Item::fill(
                self.bubble_shape(r, place, incoming),
                fill.paint(screen_h),
            ));
        }
        let alphas = match phase {
            Some(p) => [0.0, 1.0, 2.0].map(|i| {
                let wave = ((p - i * 0.18) * std::f32::consts::TAU).cos() * 0.5 + 0.5;
                0.35 + 0.65 * wave
            }),
            None => [0.45, 0.7, 1.0],
        };
        let dot = d.received_meta;
        let spacing = 13.0;
        let x0 = r.center_x() - spacing;
        for (i, alpha) in alphas.into_iter().enumerate() {
            b.push(Item::fill(
                Shape::Circle {
                    cx: x0 + i as f32 * spacing,
                    cy: r.center_y(),
                    r: 4.2,
                },
                dot.fade(alpha),
            ));
        }
    }

    /// One photo at its aspect, or a two-column grid of square tiles; items at (0, 0).
    fn photos(&self, cx: &mut Cx<'_>, urls: &[String], inside: bool) -> Body {
        let d = &self.design;
        let max_w = if inside { 232.0 } else { 240.0 };
        let max_h = 300.0;
        let radius = if inside {
            (d.photo_radius - 3.0).max(4.0)
        } else {
            d.photo_radius
        };
        let mut items = Vec::new();
        if let [url] = urls {
            let aspect = cx.pictures.aspect(url).unwrap_or(1.0).clamp(0.3, 4.0);
            let (mut pw, mut ph) = (max_w, max_w / aspect);
            if ph > max_h {
                ph = max_h;
                pw = (ph * aspect).max(80.0);
            }
            let rect = Rect::new(0.0, 0.0, pw.round(), ph.round());
            items.extend(cx.picture(url, rect, Shape::RoundRect(rect, radius)));
            return Body {
                w: rect.w,
                h: rect.h,
                items,
            };
        }
        let gap = 3.0;
        let tile = ((max_w - gap) / 2.0).floor();
        for (i, url) in urls.iter().enumerate() {
            let (col, row) = ((i % 2) as f32, (i / 2) as f32);
            let mut rect = Rect::new(col * (tile + gap), row * (tile + gap), tile, tile);
            if i + 1 == urls.len() && i % 2 == 0 {
                rect.w = tile * 2.0 + gap;
            }
            items.extend(cx.picture(url, rect, Shape::RoundRect(rect, radius.min(14.0))));
        }
        let rows = urls.len().div_ceil(2) as f32;
        Body {
            w: tile * 2.0 + gap,
            h: rows * tile + (rows - 1.0) * gap,
            items,
        }
    }

    /// An audio message: play button, waveform and duration (and time, where shown).
    fn voice(&self, cx: &mut Cx<'_>, s: &Post<'_>, name_inside: bool) -> Body {
        let d = &self.design;
        let ink = self.ink_of(s.outgoing);
        let secs = s.message.duration_sec.unwrap_or(1.0).round() as u64;
        let label = format!("{}:{:02}", secs / 60, secs % 60);
        let style = TextStyle::new(d.font, 15.0, 20.0, 500, ink);
        let t = cx.line(&label, &style);
        let bars = 34;
        let mut items = Vec::new();
        let mut top = 0.0;
        if name_inside {
            let color = self.name_color(s.author);
            let name_style = self
                .small(color)
                .weight(600)
                .size(d.meta_size + 2.0, d.meta_size + 6.0);
            let name = cx.line(&s.author.name, &name_style);
            items.push(Item::text(d.pad.side, d.pad.top - 1.0, name));
            top = d.meta_size + 8.0;
        }
        items.push(Item::Icon {
            icon: Icon::Play,
            rect: Rect::new(16.0, top + 13.0, 12.0, 14.0),
            color: ink,
        });
        let mut seed = fnv(s.message.id.as_bytes());
        for i in 0..bars {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = ((seed >> 33) % 1000) as f32 / 1000.0;
            let envelope = (i as f32 / bars as f32 * std::f32::consts::PI).sin();
            let h = 3.0 + (noise * 0.6 + 0.4) * envelope * 17.0;
            let bar = Rect::new(42.0 + i as f32 * 3.5, top + 20.0 - h / 2.0, 2.0, h);
            items.push(Item::fill(Shape::RoundRect(bar, 1.0), ink.fade(0.9)));
        }
        let mut w = 42.0 + bars as f32 * 3.5 + 10.0 + t.width + 14.0;
        let mut h = top + 40.0;
        if d.time_inside {
            // Duration under the waveform, time and ticks at the right.
            let duration = cx.line(&label, &self.small(self.meta_ink(s.outgoing)));
            items.push(Item::text(42.0, top + 38.0, duration));
            let (meta, mw, mh) = self.meta_line(cx, s);
            w = w.max(42.0 + 40.0 + mw + d.pad.side + 20.0) - 30.0;
            items.push(Item::group(meta, (w - d.pad.side - mw + 2.0, top + 40.0)));
            h += mh + 4.0;
        } else {
            items.push(Item::text(w - 14.0 - t.width, top + 10.0, t));
        }
        Body { w, h, items }
    }
}

// ---------------------------------------------------------------------------------
// Quotes, reactions, receipts

impl Chat {
    /// What a quoted message says, in one short line of text.
    fn quoted_text(quoted: &Message) -> String {
        match quoted.kind {
            MessageType::Image => quoted
                .text
                .clone()
                .filter(|t| !t.trim().is_empty())
                .map_or_else(|| "📷 Photo".to_owned(), |t| format!("📷 {t}")),
            MessageType::Voice => "🎤 Voice message".to_owned(),
            _ => quoted.text.clone().unwrap_or_default(),
        }
    }

    /// iMessage: an outlined copy of the quoted bubble above, joined by a line.
    #[allow(clippy::too_many_arguments)]
    fn quote_outlined(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        s: &Post<'_>,
        quoted: &Message,
        y: f32,
        column_left: f32,
        max_w: f32,
    ) -> f32 {
        let d = &self.design;
        let w = cx.width;
        let quoted_out = quoted.user_id == cx.props().sender.id;
        let photo = quoted
            .images
            .as_ref()
            .and_then(|i| i.first())
            .filter(|_| quoted.kind == MessageType::Image);
        let q = if let Some(url) = photo {
            let side = 56.0;
            let qx = if quoted_out {
                w - d.side_margin - side
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
            q
        } else {
            let label = Self::quoted_text(quoted);
            let style = self.body(d.meta).size(15.0, 19.0);
            let t = cx.text(
                &[Span::plain(&label)],
                &style,
                Bounds::width(max_w - 40.0 - 2.0 * d.pad.side).lines(2),
            );
            let qw = (t.width.ceil() + 2.0 * d.pad.side).max(32.0);
            let qh = t.height + 12.0;
            let qx = if quoted_out {
                w - d.side_margin - qw
            } else {
                column_left
            };
            let q = Rect::new(qx, y, qw, qh);
            b.push(Item::Stroke {
                shape: Shape::RoundRect(q.inset(0.5), 16.0),
                color: d.rule,
                width: 1.0,
            });
            b.push(Item::text(q.x + d.pad.side, q.y + 6.0, t));
            q
        };
        // The connector runs from the quote's inner edge down to the reply.
        let from_x = if quoted_out {
            q.x + 14.0
        } else {
            q.right() - 14.0
        };
        let to_x = if s.outgoing {
            w - d.side_margin - 24.0
        } else {
            column_left + 24.0
        };
        let y1 = q.bottom() + 16.0;
        let mut pb = PathBuilder::new();
        pb.move_to(from_x, q.bottom());
        pb.cubic_to(from_x, y1, to_x, q.bottom(), to_x, y1 + 1.0);
        if let Some(path) = pb.finish() {
            b.push(Item::Stroke {
                shape: Shape::path(path),
                color: d.rule,
                width: 1.5,
            });
        }
        q.bottom() + 16.0
    }

    /// Messenger, Instagram: "You replied to Sam" and a faded copy of the quote.
    #[allow(clippy::too_many_arguments)]
    fn quote_faded(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        s: &Post<'_>,
        quoted: &Message,
        y: f32,
        column_left: f32,
        max_w: f32,
    ) -> f32 {
        let d = &self.design;
        let w = cx.width;
        let props = cx.props();
        let quoted_author = props
            .user(&quoted.user_id)
            .map_or_else(String::new, |u| first_name(&u.name));
        let quoted_out = quoted.user_id == props.sender.id;
        let caption = match (s.outgoing, quoted_out) {
            (true, true) => "You replied to yourself".to_owned(),
            (true, false) => format!("You replied to {quoted_author}"),
            (false, true) => format!("{} replied to you", first_name(&s.author.name)),
            (false, false) => format!("{} replied to {quoted_author}", first_name(&s.author.name)),
        };
        let cap = cx.line_within(&caption, &self.small(d.meta), max_w);
        let cap_x = if s.outgoing {
            w - d.side_margin - cap.width - 4.0
        } else {
            column_left + 4.0
        };
        b.push(Item::text(cap_x, y, cap));
        let y = y + d.meta_size + 5.0;
        let label = Self::quoted_text(quoted);
        let style = self
            .body(self.ink_of(false))
            .size(d.text_size - 1.0, d.line_height - 2.0);
        let t = cx.text(
            &[Span::plain(&label)],
            &style,
            Bounds::width(max_w - 2.0 * d.pad.side).lines(3),
        );
        let qw = (t.width.ceil() + 2.0 * d.pad.side).max(36.0);
        let qh = t.height + d.pad.top + d.pad.bottom;
        let qx = if s.outgoing {
            w - d.side_margin - qw
        } else {
            column_left
        };
        let q = Rect::new(qx, y, qw, qh);
        b.push(Item::Group {
            items: vec![
                Item::fill(Shape::RoundRect(q, d.radius), d.received.paint(cx.height)),
                Item::text(q.x + d.pad.side, q.y + d.pad.top, t),
            ],
            opacity: 0.5,
            offset: (0.0, 0.0),
            clip: None,
            bounds: Some(q.inset(-2.0)),
        });
        // The reply overlaps the quote a little, as the apps draw it.
        q.bottom() - 6.0
    }

    /// WhatsApp, Telegram: a tinted block with a coloured bar, the quoted author's
    /// name and two lines of the quote. Items at (0, 0), width, height.
    fn quote_inside(
        &self,
        cx: &mut Cx<'_>,
        s: &Post<'_>,
        quoted: &Message,
        max_w: f32,
    ) -> (Vec<Item>, f32, f32) {
        let d = &self.design;
        let props = cx.props();
        let author = props.user(&quoted.user_id);
        let quoted_out = quoted.user_id == props.sender.id;
        let (name, color) = match author {
            Some(_) if quoted_out => ("You".to_owned(), d.accent),
            Some(u) => (u.name.clone(), self.name_color(u)),
            None => (String::new(), d.accent),
        };
        let name_style = self
            .small(color)
            .weight(600)
            .size(d.meta_size + 2.0, d.meta_size + 6.0);
        let name_t = cx.line_within(&name, &name_style, max_w - 20.0);
        let label = Self::quoted_text(quoted);
        let text_style = self
            .small(self.meta_ink(s.outgoing))
            .size(d.meta_size + 2.5, d.meta_size + 6.5);
        let body = cx.text(
            &[Span::plain(&label)],
            &text_style,
            Bounds::width(max_w - 20.0).lines(2),
        );
        let qw = (name_t.width.max(body.width) + 20.0)
            .min(max_w)
            .max(120.0_f32.min(max_w));
        let qh = 6.0 + name_t.height + body.height + 6.0;
        let tint = if s.outgoing {
            d.quote_sent
        } else {
            d.quote_received
        };
        let r = Rect::new(0.0, 0.0, qw, qh);
        let mut items = vec![Item::fill(Shape::RoundRect(r, 6.0), tint)];
        let mut pb = PathBuilder::new();
        shapes::push_corners(
            &mut pb,
            Rect::new(0.0, 0.0, 4.0, qh),
            Corners(6.0, 0.0, 0.0, 6.0),
        );
        if let Some(bar) = pb.finish() {
            items.push(Item::fill(Shape::path(bar), color));
        }
        items.push(Item::text(12.0, 6.0, name_t.clone()));
        items.push(Item::text(12.0, 6.0 + name_t.height, body));
        (items, qw, qh)
    }

    /// iMessage tapbacks: badges on the top corner away from the tail side.
    fn tapbacks(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        reactions: &[Reaction],
        r: Rect,
        outgoing: bool,
    ) {
        let d = &self.design;
        let sender = cx.props().sender.id.clone();
        let radius = 15.0;
        for (i, reaction) in reactions.iter().take(3).enumerate().rev() {
            let step = i as f32 * 15.0;
            let (bx, dir) = if outgoing {
                (r.x - 3.0 + step, 1.0)
            } else {
                (r.right() + 3.0 - step, -1.0)
            };
            let by = r.y - 8.0;
            let mine = reaction.user_id == sender;
            let fill = if mine { d.accent } else { d.received.color() };
            let ring = d.page;
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
                    r: radius + 2.0,
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
                    r: radius,
                },
                fill,
            ));
            let style = TextStyle::new(Family::Emoji, 15.0, 18.0, 400, Color::WHITE);
            let t = cx.line(reaction.emoji.trim(), &style);
            b.push(Item::text(bx - t.width / 2.0, by - 9.0, t));
        }
    }

    /// Distinct emoji of the reactions (up to three) and how many reacted.
    fn reaction_summary(reactions: &[Reaction]) -> (String, usize) {
        let mut distinct: Vec<&str> = Vec::new();
        for r in reactions {
            let e = r.emoji.trim();
            if !distinct.contains(&e) && distinct.len() < 3 {
                distinct.push(e);
            }
        }
        (distinct.concat(), reactions.len())
    }

    /// A pill with the reactions overlapping the bubble's bottom edge.
    fn reaction_pill(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        reactions: &[Reaction],
        r: Rect,
        outgoing: bool,
        (fill, ring): (Color, Color),
    ) {
        let (emoji, count) = Self::reaction_summary(reactions);
        let e = cx.line(
            &emoji,
            &TextStyle::new(Family::Emoji, 14.0, 17.0, 400, Color::BLACK),
        );
        let n = (count > 1).then(|| {
            cx.line(
                &count.to_string(),
                &self.small(self.design.meta).size(12.0, 15.0),
            )
        });
        let pw = 12.0 + e.width + n.as_ref().map_or(0.0, |n| n.width + 4.0);
        let ph = 24.0;
        let x = if outgoing {
            r.right() - pw - 10.0
        } else {
            r.x + 10.0
        };
        let pill = Rect::new(x, r.bottom() - 4.0, pw, ph);
        b.push(Item::fill(
            Shape::RoundRect(pill.inset(-2.0).translate(0.0, 0.8), ph / 2.0 + 2.0),
            Color::rgba(0, 0, 0, 0x1C),
        ));
        b.push(Item::fill(
            Shape::RoundRect(pill.inset(-2.0), ph / 2.0 + 2.0),
            ring,
        ));
        b.push(Item::fill(Shape::RoundRect(pill, ph / 2.0), fill));
        b.push(Item::text(pill.x + 6.0, pill.y + 3.5, e.clone()));
        if let Some(n) = n {
            b.push(Item::text(pill.x + 6.0 + e.width + 4.0, pill.y + 4.5, n));
        }
    }

    /// Telegram: reaction pills inside the bubble. Items at (0, 0), width, height.
    fn reaction_pills_inside(
        &self,
        cx: &mut Cx<'_>,
        reactions: &[Reaction],
        outgoing: bool,
    ) -> (Vec<Item>, f32, f32) {
        let d = &self.design;
        let mut groups: Vec<(&str, usize)> = Vec::new();
        for r in reactions {
            let e = r.emoji.trim();
            match groups.iter_mut().find(|(g, _)| *g == e) {
                Some(g) => g.1 += 1,
                None => groups.push((e, 1)),
            }
        }
        let tint = if outgoing {
            d.sent_meta.fade(0.25)
        } else {
            d.accent.fade(0.14)
        };
        let ink = if outgoing { d.sent_meta } else { d.accent };
        let mut items = Vec::new();
        let mut x = 0.0;
        let h = 26.0;
        for (emoji, n) in groups.into_iter().take(4) {
            let e = cx.line(emoji, &TextStyle::new(Family::Emoji, 15.0, 18.0, 400, ink));
            let count = cx.line(
                &n.to_string(),
                &self.small(ink).weight(600).size(13.0, 16.0),
            );
            let w = 10.0 + e.width + 5.0 + count.width + 10.0;
            let pill = Rect::new(x, 0.0, w, h);
            items.push(Item::fill(Shape::RoundRect(pill, h / 2.0), tint));
            items.push(Item::text(x + 10.0, 4.0, e.clone()));
            items.push(Item::text(x + 15.0 + e.width, 5.0, count));
            x += w + 6.0;
        }
        (items, x - 6.0, h)
    }

    /// The receipt under the owner's last message. Returns the new `y`.
    fn receipt(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        s: &Post<'_>,
        status: DeliveryStatus,
        y: f32,
    ) -> f32 {
        let d = &self.design;
        let w = cx.width;
        let notation = cx.props().time_notation;
        match d.receipts {
            Receipts::Ticks { .. } => y,
            Receipts::Caption => {
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
                    DeliveryStatus::Sent => return y,
                };
                let t = cx.text(&spans, &self.small(d.meta), Bounds::default());
                b.push(Item::text(w - d.side_margin - 2.0 - t.width, y + 3.0, t));
                y + 16.0
            }
            Receipts::Seen => {
                let word = if status == DeliveryStatus::Read {
                    "Seen"
                } else {
                    "Sent"
                };
                let t = cx.line(word, &self.small(d.meta).size(12.0, 15.0));
                b.push(Item::text(w - d.side_margin - 2.0 - t.width, y + 4.0, t));
                y + 19.0
            }
            Receipts::SeenAvatar => {
                let size = 14.0;
                let cxr = w - d.side_margin - size / 2.0 + 1.0;
                let cy = y + 4.0 + size / 2.0;
                match status {
                    DeliveryStatus::Read => {
                        let reader = cx.props().receivers[0].clone();
                        b.items.extend(parts::avatar(cx, &reader, cxr, cy, size));
                    }
                    DeliveryStatus::Delivered => {
                        b.push(Item::fill(
                            Shape::Circle {
                                cx: cxr,
                                cy,
                                r: size / 2.0,
                            },
                            d.meta,
                        ));
                        b.push(Item::Icon {
                            icon: Icon::Check,
                            rect: Rect::new(cxr - 4.5, cy - 3.2, 9.0, 6.4),
                            color: d.page,
                        });
                    }
                    DeliveryStatus::Sent => {
                        b.push(Item::Stroke {
                            shape: Shape::Circle {
                                cx: cxr,
                                cy,
                                r: size / 2.0 - 0.6,
                            },
                            color: d.meta,
                            width: 1.2,
                        });
                        b.push(Item::Icon {
                            icon: Icon::Check,
                            rect: Rect::new(cxr - 4.0, cy - 3.0, 8.0, 6.0),
                            color: d.meta,
                        });
                    }
                }
                y + size + 6.0
            }
        }
    }
}

/// The first word of a name ("Sam" of "Sam Chen").
fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_owned()
}
