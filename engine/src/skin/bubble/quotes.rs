//! A quoted message above or inside a reply, the three ways apps show it.

use tiny_skia::PathBuilder;

use super::place::Column;
use super::{BubbleChat, Fill};
use crate::conversation::Post;
use crate::layout::{Block, Cx};
use crate::payload::{Message, MessageType};
use crate::scene::{Item, Rect, Shape};
use crate::text::{Bounds, Span};

/// How a quoted message shows above a reply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Replies {
    /// An outlined copy above, joined by a thin line (iMessage).
    Outlined,
    /// A faded copy above with "replied to" (Messenger, Instagram).
    Faded,
    /// A tinted block with a coloured bar inside the bubble (WhatsApp, Telegram).
    Inside,
    /// A grey box under the new message: "Name: quoted text" (WeChat).
    Below,
}

impl BubbleChat {
    /// What a quoted message says, in one short line of text.
    pub(super) fn quoted_text(quoted: &Message) -> String {
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

    /// WeChat: a grey box under the reply, its outer edge in line with the
    /// bubble's, saying "Name: quoted text" on at most two lines. Returns the new `y`.
    pub(super) fn quote_below(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        (s, quoted): (&Post<'_>, &Message),
        y: f32,
        (col, bubble): (&Column, Rect),
    ) -> f32 {
        let d = &self.design;
        let props = cx.props();
        let author = props
            .user(&quoted.user_id)
            .map_or_else(String::new, |u| u.name.clone());
        let label = format!("{author}: {}", Self::quoted_text(quoted));
        let style = self.small(d.meta).size(13.0, 18.0);
        let t = cx.text(
            &[Span::plain(&label)],
            &style,
            Bounds::width(col.max_w - 16.0).lines(2),
        );
        let (qw, qh) = (t.width.ceil() + 16.0, t.height + 10.0);
        let qx = if s.outgoing {
            bubble.right() - qw
        } else {
            bubble.x
        };
        let q = Rect::new(qx, y + 5.0, qw, qh);
        b.push(Item::fill(Shape::RoundRect(q, 4.0), d.quote_received));
        b.push(Item::text(q.x + 8.0, q.y + 5.0, t));
        q.bottom()
    }

    /// iMessage: an outlined copy of the quoted bubble above, joined by a line.
    pub(super) fn quote_outlined(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        (s, quoted): (&Post<'_>, &Message),
        y: f32,
        col: &Column,
    ) -> f32 {
        let d = &self.design;
        let max_w = col.max_w;
        let quoted_out = quoted.user_id == cx.props().sender.id;
        let photo = quoted
            .images
            .as_ref()
            .and_then(|i| i.first())
            .filter(|_| quoted.kind == MessageType::Image);
        let q = if let Some(url) = photo {
            let side = 56.0;
            let qx = col.x(quoted_out, side, 0.0);
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
            let qx = col.x(quoted_out, qw, 0.0);
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
        let to_x = col.x(s.outgoing, 0.0, 24.0);
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
    pub(super) fn quote_faded(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        (s, quoted): (&Post<'_>, &Message),
        y: f32,
        col: &Column,
    ) -> f32 {
        let d = &self.design;
        let max_w = col.max_w;
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
        let cap_x = col.x(s.outgoing, cap.width, 4.0);
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
        let qx = col.x(s.outgoing, qw, 0.0);
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
    pub(super) fn quote_inside(
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
        let (name, mut color) = match author {
            Some(_) if quoted_out => ("You".to_owned(), d.accent),
            Some(u) => (u.name.clone(), self.name_color(u)),
            None => (String::new(), d.accent),
        };
        // On a gradient bubble no accent reads: the stripe takes the bubble's ink and
        // the quote's own tint carries the words (Signal).
        let on_gradient = s.outgoing && matches!(d.sent, Fill::Screen { .. });
        let stripe = if on_gradient { d.sent_text } else { color };
        if on_gradient {
            color = d.received_text;
        }
        let name_style = self
            .small(color)
            .weight(600)
            .size(d.meta_size + 2.0, d.meta_size + 6.0);
        let name_t = cx.line_within(&name, &name_style, max_w - 20.0);
        let label = Self::quoted_text(quoted);
        let text_ink = if on_gradient {
            d.received_text
        } else {
            self.meta_ink(s.outgoing)
        };
        let text_style = self
            .small(text_ink)
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
        crate::scene::push_corners(
            &mut pb,
            Rect::new(0.0, 0.0, 4.0, qh),
            crate::scene::Corners(6.0, 0.0, 0.0, 6.0),
        );
        if let Some(bar) = pb.finish() {
            items.push(Item::fill(Shape::path(bar), stripe));
        }
        items.push(Item::text(12.0, 6.0, name_t.clone()));
        items.push(Item::text(12.0, 6.0 + name_t.height, body));
        (items, qw, qh)
    }
}

/// The first word of a name ("Sam" of "Sam Chen").
fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_owned()
}
