//! A bubble's contents: the sender's name and a quote inside it, photos framed in
//! it, the text, and the meta line (time and ticks) tucked after the last line.

use chrono::Timelike;

use super::design::Times;
use super::{BubbleChat, Reactions, Receipts, Replies};
use crate::conversation::Post;
use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::Cx;
use crate::payload::DeliveryStatus;
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::{self, Bounds, TextStyle};
use crate::time::clock;

/// A laid-out bubble: its size (padding included) and contents relative to its
/// top-left corner.
pub(super) struct Body {
    pub(super) w: f32,
    pub(super) h: f32,
    pub(super) items: Vec<Item>,
}

impl BubbleChat {
    /// A text bubble: name, quote, photos, text, reactions and time, as the design says.
    pub(super) fn bubble_body(
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
        let alone = d.bubbled_emoji > d.text_size
            && photo_box.is_none()
            && s.reply_to.is_none()
            && text::emoji_only_count(text).is_some_and(|n| n <= 3);
        let style = if alone {
            let size = d.bubbled_emoji;
            TextStyle::new(Family::Emoji, size, size + 8.0, 400, self.ink_of(outgoing))
        } else {
            self.body(self.ink_of(outgoing))
        };
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
        let meta = (d.times == Times::Inside && !self.time_collapsed(cx, s))
            .then(|| self.meta_line(cx, s));
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
    pub(super) fn meta_line(&self, cx: &mut Cx<'_>, s: &Post<'_>) -> (Vec<Item>, f32, f32) {
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
        if s.outgoing && d.receipts == Receipts::Circles {
            let knockout = d.sent.color();
            let at = (w + 4.0, 1.0);
            let (checks, cw) =
                super::receipts::circled_checks(self.tick_status(s), at, ink, knockout);
            items.extend(checks);
            w += 4.0 + cw;
        }
        (items, w, h)
    }

    /// Whether a bubble leaves its time to the next one: the design collapses
    /// times, and the next message of the run (runs are counted over what is on
    /// screen, so the last shown keeps its time in videos) was sent the same minute.
    pub(super) fn time_collapsed(&self, cx: &Cx<'_>, s: &Post<'_>) -> bool {
        if !self.design.collapse_times || s.last_in_run {
            return false;
        }
        let times = &cx.payload.times.messages;
        let minute = |t: &crate::time::LocalTime| (t.date_naive(), t.hour(), t.minute());
        s.index
            .checked_add(1)
            .and_then(|next| times.get(next))
            .is_some_and(|next| minute(next) == minute(&s.time))
    }

    /// The ticks a sent message shows: the conversation's receipt on the latest one
    /// (a single tick while it is on its way, in videos), else its own status.
    pub(super) fn tick_status(&self, s: &Post<'_>) -> DeliveryStatus {
        match (s.receipt, s.pending) {
            (Some(r), _) => r,
            (None, true) => DeliveryStatus::Sent,
            (None, false) => s.message.status.unwrap_or(self.design.default_status),
        }
    }

    /// The time beside big emoji, in a small chip.
    pub(super) fn time_chip(&self, cx: &mut Cx<'_>, s: &Post<'_>) -> Body {
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
}
