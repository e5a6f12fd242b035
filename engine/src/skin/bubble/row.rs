//! One message row: its pieces (bubbles, big emoji, photos, typing dots) stacked in
//! its column, with the name, quote, reactions, avatar and receipt around them.

use std::sync::Arc;

use super::body::Body;
use super::design::Times;
use super::place::Column;
use super::{Avatars, BubbleChat, Design, Names, Reactions, Replies};
use crate::conversation::{Entry, Post};
use crate::fonts::Family;
use crate::layout::{Block, Cx};
use crate::payload::{DeliveryStatus, MessageType};
use crate::scene::{Item, Rect};
use crate::text::{self, TextBlock, TextStyle};
use crate::time::clock;

/// What stacks in a message's column.
pub(super) enum Piece {
    Bubble(Body),
    /// Big emoji without a bubble, with the time chip of designs that show time.
    Emoji(Arc<TextBlock>, Option<Body>),
    /// Bare photos (outside any bubble).
    Photos(Body),
    Typing,
}

impl Piece {
    pub(super) fn size(&self, d: &Design) -> (f32, f32) {
        match self {
            Piece::Bubble(b) | Piece::Photos(b) => (b.w, b.h),
            Piece::Emoji(t, meta) => {
                let (mw, mh) = meta.as_ref().map_or((0.0, 0.0), |m| (m.w, m.h + 2.0));
                (t.width.max(mw), t.height + mh)
            }
            Piece::Typing => {
                if d.typing == super::Typing::Thought {
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
pub(super) struct RunPlace {
    pub(super) first: bool,
    pub(super) last: bool,
}

impl BubbleChat {
    pub(super) fn message(&self, cx: &mut Cx<'_>, s: &Post<'_>, prev: Option<&Entry<'_>>) -> Block {
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
        let col = Column::of(d, w, group, outgoing);
        let max_w = col.max_w;
        let show_name = (group || props.show_receiver || d.names == Names::AboveAll)
            && !outgoing
            && s.first_in_run;

        let mut pieces = self.pieces(cx, s, max_w, show_name && d.names == Names::Inside);
        if pieces.is_empty() {
            // Nothing of it shows in the transcript (WeChat's typing).
            return Block::new(0.0);
        }
        let mut b = Block::new(0.0);
        let mut y = gap;
        if show_name
            && matches!(d.names, Names::Above | Names::AboveAll)
            && s.kind() != MessageType::Typing
        {
            let name = cx.line_within(&s.author.name, &self.small(d.meta), max_w);
            b.push(Item::text(col.left + d.pad.side, y, name));
            y += d.meta_size + 4.0;
        }
        if d.times == Times::Caption && s.first_in_run && s.kind() != MessageType::Typing {
            let at = clock(&s.time, cx.props().time_notation);
            let line = if group && !outgoing {
                format!("{}  {at}", s.author.name)
            } else {
                at
            };
            let t = cx.line_within(&line, &self.small(d.meta), max_w);
            b.push(Item::text(col.x(outgoing, t.width, 2.0), y, t));
            y += d.meta_size + 6.0;
        }
        if let Some(quoted) = s.reply_to {
            y = match d.replies {
                Replies::Outlined => self.quote_outlined(cx, &mut b, (s, quoted), y, &col),
                Replies::Faded => self.quote_faded(cx, &mut b, (s, quoted), y, &col),
                Replies::Inside | Replies::Below => y,
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
            let r = Rect::new(col.x(outgoing, pw, 0.0), y, pw, ph);
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
            Reactions::Heart { liked, idle } if !outgoing && s.kind() != MessageType::Typing => {
                self.like(&mut b, !reactions.is_empty(), last, (liked, idle));
            }
            Reactions::Below { fill, ring, inward } if !reactions.is_empty() => {
                let look = (fill, ring, inward);
                // Room for what hangs below the bubble, and a gap under it so the
                // next bubble does not touch it.
                y += self.reaction_pill(cx, &mut b, reactions, last, outgoing, look) + 2.0;
            }
            _ => {}
        }
        if d.times == Times::Beside && s.kind() != MessageType::Typing {
            self.meta_beside(cx, &mut b, s, last, group);
        }
        if let (Some(quoted), Replies::Below) = (s.reply_to, d.replies) {
            y = self.quote_below(cx, &mut b, (s, quoted), y, (&col, last));
        }
        if let Avatars::Every { corner } = d.avatars {
            let size = d.avatar_size;
            let x = if outgoing {
                w - d.side_margin - size
            } else {
                d.side_margin
            };
            let rect = Rect::new(x, gap, size, size);
            let avatar = crate::skin::parts::avatar::rounded(cx, s.author, rect, corner);
            b.items.extend(avatar);
            // A lone short message is as tall as its avatar.
            y = y.max(gap + size);
        } else if col.with_avatar {
            let size = d.avatar_size;
            let cy = match d.avatars {
                // LINE's avatar is level with the name above the bubble, Teams's
                // with the caption.
                Avatars::First if s.first_in_run && (show_name || d.times == Times::Caption) => {
                    Some(gap + size / 2.0)
                }
                Avatars::GroupFirst | Avatars::First if s.first_in_run => {
                    Some(first.y + size / 2.0)
                }
                Avatars::GroupLast | Avatars::Last if s.last_in_run => {
                    Some(last.bottom() - size / 2.0)
                }
                _ => None,
            };
            if let Some(cy) = cy {
                let x = d.avatar_lane().0;
                let avatar = crate::skin::parts::avatar(cx, s.author, x + size / 2.0, cy, size);
                b.items.extend(avatar);
            }
        }
        if d.times == Times::UnderRun {
            // The time (and the receipt) under the run, on the sender's side.
            if s.last_in_run && s.kind() != MessageType::Typing {
                y = self.time_under(cx, &mut b, s, y, (&col, group));
            }
        } else if let Some(status) = s.receipt {
            y = self.receipt(cx, &mut b, s, status, y);
        }
        b.height = y;
        b
    }

    /// X's line under a run: "10:42 AM", "Ana · 10:42 AM" under others' runs in
    /// groups, "10:42 AM · Seen" under the owner's last message. Returns the new `y`.
    fn time_under(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        s: &Post<'_>,
        y: f32,
        (col, group): (&Column, bool),
    ) -> f32 {
        let d = &self.design;
        let mut line = clock(&s.time, cx.props().time_notation);
        if group && !s.outgoing {
            line = format!("{} · {line}", s.author.name);
        }
        if let Some(status) = s.receipt {
            let word = if status == DeliveryStatus::Read {
                "Seen"
            } else {
                "Sent"
            };
            line = format!("{line} · {word}");
        }
        let t = cx.line_within(&line, &self.small(d.meta).size(13.0, 16.0), col.max_w);
        b.push(Item::text(col.x(s.outgoing, t.width, 2.0), y + 4.0, t));
        y + 22.0
    }

    /// LINE's meta: the time outside the bubble at its bottom, on the inner side,
    /// with "Read" (or "Read 3" in groups) above it beside the owner's read messages.
    fn meta_beside(&self, cx: &mut Cx<'_>, b: &mut Block, s: &Post<'_>, last: Rect, group: bool) {
        let d = &self.design;
        let props = cx.props();
        let (notation, readers) = (props.time_notation, props.receivers.len());
        let style = self.small(d.meta).size(10.5, 13.0);
        let time = cx.line(&clock(&s.time, notation), &style);
        let read = (s.outgoing && self.tick_status(s) == DeliveryStatus::Read).then(|| {
            let word = if group {
                format!("Read {readers}")
            } else {
                "Read".to_owned()
            };
            cx.line(&word, &style)
        });
        let bottom = last.bottom() - 1.0;
        let place = |w: f32| {
            if s.outgoing {
                last.x - 4.0 - w
            } else {
                last.right() + 4.0
            }
        };
        b.push(Item::text(
            place(time.width),
            bottom - time.height,
            time.clone(),
        ));
        if let Some(read) = read {
            let y = bottom - time.height - read.height + 1.0;
            b.push(Item::text(place(read.width), y, read));
        }
    }

    /// The pieces of a message, top to bottom.
    pub(super) fn pieces(
        &self,
        cx: &mut Cx<'_>,
        s: &Post<'_>,
        max_w: f32,
        name_inside: bool,
    ) -> Vec<Piece> {
        let d = &self.design;
        let outgoing = s.outgoing;
        match s.kind() {
            // WeChat shows typing in the header's title, LINE not at all.
            MessageType::Typing if d.typing == super::Typing::NoRow => Vec::new(),
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
                // Apps that keep emoji at text size (WeChat) have no big emoji.
                Some(n) if n <= 3 && s.reply_to.is_none() && d.big_emoji > d.text_size => {
                    let style = TextStyle::new(
                        Family::Emoji,
                        d.big_emoji,
                        d.big_emoji + 10.0,
                        400,
                        self.ink_of(outgoing),
                    );
                    let big = cx.line(s.text().trim(), &style);
                    let chip = (d.times == Times::Inside).then(|| self.time_chip(cx, s));
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

    pub(super) fn draw_piece(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        piece: Piece,
        r: Rect,
        place: RunPlace,
        incoming: bool,
    ) {
        match piece {
            Piece::Bubble(body) => {
                let shape = self.bubble_shape(r, place, incoming);
                let paint = self.fill_of(!incoming).paint(cx.height);
                b.items.extend(self.shadow(&shape, r, &paint));
                b.push(Item::fill(shape, paint));
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
}
