//! Rows that are not messages: the day divider (a rule with the date on it),
//! notices (someone joined, a pin) and the typing line.

use super::RowChat;
use crate::conversation::{Entry, Post};
use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::{Bounds, Span};
use crate::time::LocalTime;

/// Discord's green, for someone who joined.
const JOINED: Color = Color::hex(0x23A55A);

impl RowChat {
    /// A full-width rule with the day centred on it.
    pub(super) fn separator(
        &self,
        cx: &mut Cx<'_>,
        time: &LocalTime,
        after_something: bool,
    ) -> Block {
        let d = &self.design;
        let today = cx.today(time);
        let (a, rest) = d.days.label(time, today, cx.props().time_notation);
        let label = cx.line(&format!("{a}{rest}"), &self.small(12.0, 600, d.muted));
        let top = if after_something { 20.0 } else { 8.0 };
        let mid = top + label.height / 2.0;
        let w = cx.width;
        let lx = ((w - label.width) / 2.0).round();
        let mut b = Block::new(top + label.height + 4.0);
        b.push(Item::rect(
            Rect::new(d.avatar_x, mid, lx - 8.0 - d.avatar_x, 1.0),
            d.divider,
        ));
        let after = lx + label.width + 8.0;
        b.push(Item::rect(
            Rect::new(after, mid, w - d.right_pad - after, 1.0),
            d.divider,
        ));
        b.push(Item::text(lx, top, label));
        b
    }

    /// A system notice: an arrow in the avatars' column, the text muted, the time
    /// after it.
    pub(super) fn notice(&self, cx: &mut Cx<'_>, s: &Post<'_>, prev: Option<&Entry<'_>>) -> Block {
        let d = &self.design;
        let top = match prev {
            None | Some(Entry::Separator { .. }) => 4.0,
            _ => d.run_gap,
        };
        if d.notices == super::RowNotices::Centred {
            let style = self.small(13.0, 400, d.muted);
            let w = cx.width;
            let t = cx.text(
                &self.rich(cx, s.text()),
                &style,
                Bounds::width(w - 64.0).centered(),
            );
            let mut b = Block::new(top + t.height + 2.0);
            b.push(Item::text((w - t.width) / 2.0, top, t));
            return b;
        }
        let column_w = cx.width - d.column - d.right_pad;
        let today = cx.today(&s.time);
        let (a, rest) = d.stamps.label(&s.time, today, cx.props().time_notation);
        let stamp = format!("  {a}{rest}");
        let spans = [
            Span::plain(s.text()),
            Span {
                color: Some(d.muted),
                ..Span::plain(&stamp)
            },
        ];
        let style = self.small(15.0, 400, d.muted).size(15.0, 20.0);
        let t = cx.text(&spans, &style, Bounds::width(column_w));
        let mut b = Block::new(top + t.height);
        let icon = 18.0;
        let ix = d.avatar_x + (d.avatar_size - icon) / 2.0;
        b.push(Item::Icon {
            icon: Icon::ArrowRight,
            rect: Rect::new(ix, top + 1.0, icon, icon),
            color: JOINED,
        });
        b.push(Item::text(d.column, top, t));
        b
    }

    /// "Sam is typing…" with three pulsing dots, at the foot of the list or in the
    /// strip under the composer.
    pub(super) fn typing(&self, cx: &mut Cx<'_>, s: &Post<'_>) -> Block {
        let d = &self.design;
        let (mut b, mid) = match d.typing_strip {
            Some(strip) => {
                let mut b = Block::new(0.0);
                b.pinned = Some(strip);
                (b, strip / 2.0)
            }
            None => (Block::new(8.0 + 24.0), 8.0 + 12.0),
        };
        let alphas = match cx.phase {
            Some(p) => [0.0, 1.0, 2.0].map(|i| {
                let wave = ((p - i * 0.18) * std::f32::consts::TAU).cos() * 0.5 + 0.5;
                0.3 + 0.7 * wave
            }),
            None => [0.45, 0.7, 1.0],
        };
        for (i, alpha) in alphas.into_iter().enumerate() {
            b.push(Item::fill(
                Shape::Circle {
                    cx: d.avatar_x + 4.0 + i as f32 * 8.0,
                    cy: mid,
                    r: 3.0,
                },
                d.text.fade(alpha),
            ));
        }
        let first = s.author.name.as_str();
        let spans = [Span::plain(first).weight(700), Span::plain(" is typing…")];
        let t = cx.text(
            &spans,
            &self.small(12.0, 500, d.text),
            Bounds::width(cx.width - 60.0).lines(1),
        );
        let th = t.height;
        b.push(Item::text(d.avatar_x + 28.0, mid - th / 2.0, t));
        b
    }
}
